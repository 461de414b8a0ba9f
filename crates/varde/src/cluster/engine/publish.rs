//! The alerts an engine node publishes to `VARDE_ALERTS` (`varde.alerts.<partition>`, or an area
//! node's `varde.alerts.area.<area>`: [`Role::alerts_subject`]), in order, each once.
//!
//! Each alert is sent and its acknowledgement awaited before the next is sent. Pipelining would be
//! faster, but it cannot keep the order through a NATS node failure: while the stream elects a
//! new leader, the publishes in flight are dropped and their acknowledgements time out, and
//! publishes sent after the election are stored first; sending the lost ones again then stores
//! them after later events, so a consumer taking the last message of an alert as its state would
//! keep an older revision. One at a time, an unacknowledged alert is sent again (same
//! `Nats-Msg-Id`, so a copy that did arrive counts once) until the stream holds it, and only then
//! does the next go out: the stream's order is the event order, and the alerts of a node's
//! partitions in the stream are always the events `1..=n` with nothing missing. Alerts are rare
//! next to frames (hundreds per tens of thousands of frames), so one round trip each costs little.
//!
//! After a restart or take-over the node re-raises the alerts between its snapshot and the crash;
//! those numbered at or below the last event the stream holds ([`last_event`]) are not published
//! again, so even outside the duplicate window nothing is stored twice.

use super::role::Role;
use super::worker::AlertOut;
use anyhow::{Context, Result};
use async_nats::jetstream;
use async_nats::HeaderMap;
use std::time::{Duration, Instant};
use varde_nats::{EVENT_HEADER, EVENT_KIND_HEADER, RAW_SEQ_HEADER, REVISION_HEADER};

/// How long a publish is retried before the node gives up (and exits: its successor carries on
/// from the last snapshot).
pub const RETRY_FOR: Duration = Duration::from_secs(60);

/// One message ready to send.
pub struct Outgoing {
    /// Its subject.
    pub subject: String,
    /// Its headers.
    pub headers: HeaderMap,
    /// Its body.
    pub payload: bytes::Bytes,
}

/// The alerts publisher of one node.
pub struct Outbox {
    js: jetstream::Context,
    role: Role,
    /// Events at or below this number are in the stream already.
    published: u64,
    /// Alert revisions sent (not those skipped as already published).
    pub sent: u64,
    /// Publishes sent again because the first attempt was not acknowledged.
    pub resent: u64,
}

impl Outbox {
    /// A publisher that skips events numbered at or below `published`.
    pub fn new(js: jetstream::Context, role: Role, published: u64) -> Self {
        Self {
            js,
            role,
            published,
            sent: 0,
            resent: 0,
        }
    }

    /// Publishes one alert revision raised by the frame at raw sequence `raw_seq` and returns once
    /// the stream holds it (an error after [`RETRY_FOR`] of failed attempts).
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
            subject: self.role.alerts_subject(a.mmsi),
            headers,
            payload: a.json.into(),
        };
        self.send_acked(&out).await?;
        self.published = a.event;
        self.sent += 1;
        Ok(())
    }

    /// Sends `out` until the stream acknowledges it (or [`RETRY_FOR`] has passed).
    async fn send_acked(&mut self, out: &Outgoing) -> Result<()> {
        let start = Instant::now();
        let resent = &mut self.resent;
        let failures = send_acked(&self.js, out, |failures, e| {
            *resent += 1;
            // Every 100 ms while a stream elects its leader: the first and every 20th.
            if failures == 1 || failures % 20 == 0 {
                tracing::warn!(error = %e, failures, "alert not acknowledged; sending it again");
            }
        })
        .await
        .context("the alerts stream does not accept alerts")?;
        if failures > 0 {
            tracing::info!(
                failures,
                after_ms = start.elapsed().as_millis() as u64,
                "alert acknowledged after sending it again"
            );
        }
        Ok(())
    }
}

/// Sends `out` until the stream acknowledges it, every 100 ms for [`RETRY_FOR`] at most, the same
/// message each time (a copy that did arrive counts once by its `Nats-Msg-Id`, or is the same
/// content on the same subject); `retrying` is told each failure with its count. Returns the
/// number of failed attempts.
pub async fn send_acked(
    js: &jetstream::Context,
    out: &Outgoing,
    mut retrying: impl FnMut(u32, &anyhow::Error),
) -> Result<u32> {
    let start = Instant::now();
    let mut failures = 0u32;
    loop {
        let attempt = async {
            js.publish_with_headers(
                out.subject.clone(),
                out.headers.clone(),
                out.payload.clone(),
            )
            .await?
            .await
            .map_err(anyhow::Error::from)
        };
        match attempt.await {
            Ok(_) => return Ok(failures),
            Err(e) if start.elapsed() < RETRY_FOR => {
                failures += 1;
                retrying(failures, &e);
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            Err(e) => return Err(e),
        }
    }
}

/// The highest event number in the alerts stream among `subjects` (a node's:
/// [`Role::alerts_subjects`]; 0 when none).
pub async fn last_event(stream: &jetstream::stream::Stream, subjects: &[String]) -> Result<u64> {
    let mut last = 0;
    for subject in subjects {
        match stream.get_last_raw_message_by_subject(subject).await {
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
