//! What the varde-nats tests share.

use async_nats::jetstream::{self, publish::PublishAck};
use async_nats::HeaderMap;
use bytes::Bytes;
use std::time::{Duration, Instant};

/// Publishes and waits for the acknowledgement, sending again (the same message) while the
/// stream just created has no leader yet: a replicated stream's creation returns before its
/// leader is elected, and until then a publish gets "no responders", which async-nats reports as
/// `StreamNotFound`. `varde ingest` retries the same way. Panics after 20 s.
pub async fn publish_acked(
    js: &jetstream::Context,
    subject: String,
    headers: HeaderMap,
    payload: Bytes,
) -> PublishAck {
    let start = Instant::now();
    loop {
        let sent = js
            .publish_with_headers(subject.clone(), headers.clone(), payload.clone())
            .await;
        let err = match sent {
            Ok(ack) => match ack.await {
                Ok(ack) => return ack,
                Err(e) => e.to_string(),
            },
            Err(e) => e.to_string(),
        };
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "publish to {subject} failed for 20 s: {err}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
