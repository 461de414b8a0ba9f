//! The alerts an engine node publishes to `VARDE_ALERTS` (`varde.alerts.<partition>`), in order,
//! each once.
//!
//! Publishes are pipelined: acknowledgements are awaited in batches and always before a snapshot
//! is stored, so a snapshot never covers an alert the stream does not hold. A publish that fails
//! (a NATS node down, a leader election) is sent again, with the alerts after it, in order; the
//! `Nats-Msg-Id` makes a copy that did arrive count once. After a restart or take-over the node
//! re-raises the alerts between its snapshot and the crash; those numbered at or below the last
//! event the stream holds ([`last_event`]) are not published again, so even outside the
//! duplicate window nothing is stored twice.

use super::partitions::Partitions;
use super::worker::AlertOut;
use anyhow::{Context, Result};
use async_nats::jetstream::{self, context::PublishAckFuture};
use async_nats::HeaderMap;
use std::collections::VecDeque;
use std::time::Duration;
use varde_nats::{
    alerts_subject, partition_of, EVENT_HEADER, EVENT_KIND_HEADER, RAW_SEQ_HEADER, REVISION_HEADER,
};

/// Unacknowledged publishes before their acknowledgements are awaited.
const IN_FLIGHT: usize = 512;

/// How long a publish is retried before the node gives up (and exits: its successor carries on
/// from the last snapshot).
const RETRY_FOR: Duration = Duration::from_secs(60);

/// One alert message ready to send.
struct Outgoing {
    subject: String,
    headers: HeaderMap,
    payload: bytes::Bytes,
}

/// The alerts publisher of one node.
pub struct Outbox {
    js: jetstream::Context,
    partitions: u32,
    /// Events at or below this number are in the stream already.
    published: u64,
    pending: VecDeque<(Outgoing, PublishAckFuture)>,
    /// Alert revisions sent (not those skipped as already published).
    pub sent: u64,
}

impl Outbox {
    /// A publisher that skips events numbered at or below `published`.
    pub fn new(js: jetstream::Context, partitions: u32, published: u64) -> Self {
        Self {
            js,
            partitions,
            published,
            pending: VecDeque::new(),
            sent: 0,
        }
    }

    /// Publishes one alert revision raised by the frame at raw sequence `raw_seq`.
    pub async fn publish(&mut self, a: AlertOut, raw_seq: u64) -> Result<()> {
        if a.event <= self.published {
            return Ok(());
        }
        let mut headers = HeaderMap::new();
        headers.insert("Nats-Msg-Id", a.msg_id().as_str());
        headers.insert(REVISION_HEADER, a.revision.to_string().as_str());
        headers.insert(EVENT_HEADER, a.event.to_string().as_str());
        headers.insert(EVENT_KIND_HEADER, a.what);
        headers.insert(RAW_SEQ_HEADER, raw_seq.to_string().as_str());
        let out = Outgoing {
            subject: alerts_subject(partition_of(a.mmsi, self.partitions)),
            headers,
            payload: a.json.into(),
        };
        self.published = a.event;
        self.sent += 1;
        match self.send(&out).await {
            Ok(ack) => self.pending.push_back((out, ack)),
            Err(e) => {
                tracing::warn!(error = %e, "publishing an alert failed; retrying");
                self.flush().await?;
                self.send_acked(&out).await?;
            }
        }
        if self.pending.len() >= IN_FLIGHT {
            self.flush().await?;
        }
        Ok(())
    }

    /// Waits until the stream holds every alert published so far.
    pub async fn flush(&mut self) -> Result<()> {
        let mut redo = Vec::new();
        while let Some((out, ack)) = self.pending.pop_front() {
            if !redo.is_empty() {
                redo.push(out);
                continue;
            }
            if let Err(e) = ack.await {
                tracing::warn!(error = %e, "an alert was not acknowledged; sending it again");
                redo.push(out);
            }
        }
        for out in &redo {
            self.send_acked(out).await?;
        }
        Ok(())
    }

    async fn send(&self, out: &Outgoing) -> Result<PublishAckFuture> {
        Ok(self
            .js
            .publish_with_headers(
                out.subject.clone(),
                out.headers.clone(),
                out.payload.clone(),
            )
            .await?)
    }

    /// Sends `out` until the stream acknowledges it (or [`RETRY_FOR`] has passed).
    async fn send_acked(&self, out: &Outgoing) -> Result<()> {
        let start = std::time::Instant::now();
        loop {
            let attempt = async { self.send(out).await?.await.map_err(anyhow::Error::from) };
            match attempt.await {
                Ok(_) => return Ok(()),
                Err(e) if start.elapsed() < RETRY_FOR => {
                    tracing::warn!(error = %e, "alert publish failed; retrying");
                    tokio::time::sleep(Duration::from_millis(250)).await;
                }
                Err(e) => return Err(e).context("the alerts stream does not accept alerts"),
            }
        }
    }
}

/// The highest event number in the alerts stream among the partitions of `set` (0 when none).
pub async fn last_event(stream: &jetstream::stream::Stream, set: &Partitions) -> Result<u64> {
    let mut last = 0;
    for p in set.iter() {
        match stream
            .get_last_raw_message_by_subject(&alerts_subject(p))
            .await
        {
            Ok(m) => {
                let n = m
                    .headers
                    .get(EVENT_HEADER)
                    .and_then(|v| v.as_str().parse::<u64>().ok())
                    .unwrap_or(0);
                last = last.max(n);
            }
            Err(e)
                if matches!(
                    e.kind(),
                    jetstream::stream::LastRawMessageErrorKind::NoMessageFound
                ) =>
            {
                continue
            }
            Err(e) => return Err(e).context("reading the last alert of the alerts stream"),
        }
    }
    Ok(last)
}
