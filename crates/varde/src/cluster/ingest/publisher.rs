//! Publishing frames to the raw stream with JetStream acknowledgements, pipelined.
//!
//! - Up to `window` frames are in flight (published, acknowledgement not yet back); the next batch
//!   of frames is only taken from the sources' channel when there is room, so while NATS cannot
//!   take frames the channel fills and the sources wait (TCP and files stop reading; UDP drops and
//!   counts).
//! - A frame whose publish fails (ack timeout, no responders while a stream leader is elected, a
//!   broken connection) is sent again, the same frame with the same `Nats-Msg-Id`, so a frame
//!   that was stored but whose ack was lost is stored once. Retries go before new frames and
//!   back off (100 ms doubling to 2 s); nothing is dropped but a frame larger than the server's
//!   `max_payload`, which is counted as rejected.
//! - Acknowledgements are handled in publish order, so retries keep the frames' order among
//!   themselves; a frame that failed while later ones were stored lands after them (by at most
//!   the window): consumers order by the frames' times, not by stream sequence alone.

use super::counters::Counters;
use async_nats::jetstream::context::{PublishError, PublishErrorKind};
use async_nats::jetstream::publish::PublishAck;
use async_nats::jetstream::Context;
use futures_util::future::BoxFuture;
use futures_util::stream::{FuturesOrdered, StreamExt};
use std::collections::VecDeque;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc;
use tokio::time::Instant;
use varde_nats::{partition_of, raw_subject, Frame};

const MIN_BACKOFF: Duration = Duration::from_millis(100);
const MAX_BACKOFF: Duration = Duration::from_secs(2);

/// The raw-stream subject of a frame: its MMSI's partition, partition 0 without an MMSI.
pub fn subject_of(frame: &Frame, partitions: u32) -> String {
    raw_subject(frame.mmsi.map_or(0, |m| partition_of(m, partitions)))
}

type AckFuture = BoxFuture<'static, (Frame, Result<PublishAck, PublishError>)>;

/// Publishes frames from a channel until it closes and every frame is acknowledged.
pub struct Publisher {
    /// The JetStream context (its timeout is the ack timeout).
    pub js: Context,
    /// MMSI partitions.
    pub partitions: u32,
    /// Frames in flight at most.
    pub window: usize,
    /// Counters.
    pub counters: Arc<Counters>,
}

impl Publisher {
    /// Runs until `rx` is closed and drained and every frame acknowledged; `tick` is called every
    /// `log_every` (if any) with the counters.
    pub async fn run(
        self,
        mut rx: mpsc::Receiver<Vec<Frame>>,
        log_every: Option<Duration>,
        mut tick: impl FnMut(),
    ) {
        let window = self.window.max(1);
        let mut fresh: VecDeque<Frame> = VecDeque::new();
        let mut retry: VecDeque<Frame> = VecDeque::new();
        let mut in_flight: FuturesOrdered<AckFuture> = FuturesOrdered::new();
        let mut backoff = MIN_BACKOFF;
        let mut resume_at: Option<Instant> = None;
        let mut failing_since: Option<(Instant, u64)> = None;
        let mut input_open = true;
        let mut log = log_every.map(|d| tokio::time::interval_at(Instant::now() + d, d));
        loop {
            // Send what the window allows: retries first, new frames only once none is waiting.
            while in_flight.len() < window && resume_at.is_none() {
                let Some(frame) = retry.pop_front().or_else(|| {
                    if retry.is_empty() {
                        fresh.pop_front()
                    } else {
                        None
                    }
                }) else {
                    break;
                };
                let subject = subject_of(&frame, self.partitions);
                match self
                    .js
                    .publish_with_headers(subject, frame.headers(), frame.lines.clone())
                    .await
                {
                    Ok(ack) => in_flight.push_back(Box::pin(async move { (frame, ack.await) })),
                    Err(e) => {
                        self.failed(frame, &e, &mut retry);
                        resume_at = Some(Instant::now() + backoff);
                        backoff = (backoff * 2).min(MAX_BACKOFF);
                        failing_since.get_or_insert((Instant::now(), 0));
                    }
                }
            }
            if !input_open && fresh.is_empty() && retry.is_empty() && in_flight.is_empty() {
                break;
            }
            let room = in_flight.len() < window && fresh.is_empty() && retry.is_empty();
            tokio::select! {
                Some((frame, res)) = in_flight.next(), if !in_flight.is_empty() => match res {
                    Ok(ack) => {
                        self.counters.published.fetch_add(1, Ordering::Relaxed);
                        if ack.duplicate {
                            self.counters.duplicates.fetch_add(1, Ordering::Relaxed);
                        }
                        backoff = MIN_BACKOFF;
                        if let Some((since, n)) = failing_since.take() {
                            tracing::info!(retries = n, after_ms = since.elapsed().as_millis() as u64,
                                "NATS takes frames again");
                        }
                    }
                    Err(e) => {
                        let first = failing_since.is_none();
                        if let Some((_, n)) = failing_since.as_mut() {
                            *n += 1;
                        }
                        failing_since.get_or_insert((Instant::now(), 1));
                        if first {
                            tracing::warn!(error = %e, "publish not acknowledged; sending again (sources wait meanwhile)");
                        }
                        self.failed(frame, &e, &mut retry);
                        if resume_at.is_none() {
                            resume_at = Some(Instant::now() + backoff);
                            backoff = (backoff * 2).min(MAX_BACKOFF);
                        }
                    }
                },
                () = sleep_until(resume_at), if resume_at.is_some() => resume_at = None,
                batch = rx.recv(), if input_open && room => match batch {
                    Some(b) => fresh.extend(b),
                    None => input_open = false,
                },
                _ = tick_of(&mut log) => tick(),
            }
        }
    }

    /// Queues a failed frame for another attempt (or counts it rejected if it can never be stored).
    fn failed(&self, frame: Frame, e: &PublishError, retry: &mut VecDeque<Frame>) {
        if e.kind() == PublishErrorKind::MaxPayloadExceeded {
            self.counters
                .reject(&frame.source, "frame_too_large", &frame.lines);
            return;
        }
        tracing::debug!(error = %e, "publish failed; will retry");
        self.counters.retries.fetch_add(1, Ordering::Relaxed);
        retry.push_back(frame);
    }
}

async fn sleep_until(at: Option<Instant>) {
    match at {
        Some(t) => tokio::time::sleep_until(t).await,
        None => std::future::pending().await,
    }
}

async fn tick_of(log: &mut Option<tokio::time::Interval>) {
    match log.as_mut() {
        Some(i) => drop(i.tick().await),
        None => std::future::pending().await,
    }
}
