//! What an ingest node counts: lines in, frames out, acknowledgements, retries and every line it
//! could not publish, by cause. Shared by the sources' framers and the publisher; logged
//! periodically and printed at the end of a run.

use crate::serve::source::SourceHealth;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// Rejected lines logged one by one (at `warn`) before the rest are only counted (and logged at
/// `debug`).
const LOGGED_REJECTS: u64 = 20;

/// The counters of one ingest node.
#[derive(Debug, Default)]
pub struct Counters {
    /// Lines read from all sources.
    pub lines: AtomicU64,
    /// Frames built (one per complete AIS message) and queued for publishing.
    pub frames: AtomicU64,
    /// Frames whose payload did not decode to a message (so no MMSI): published to partition 0
    /// without `Varde-Mmsi`.
    pub unattributed: AtomicU64,
    /// Frames acknowledged by JetStream as stored.
    pub published: AtomicU64,
    /// Of those, acknowledged as a duplicate of a frame already stored (same `Nats-Msg-Id`).
    pub duplicates: AtomicU64,
    /// Publishes sent again after a timeout, no responders or another failure.
    pub retries: AtomicU64,
    /// Messages not published because no time could be given to them (a file's messages before
    /// its first timestamp, as `varde replay` skips them; or stamped far ahead of the
    /// recording's clock).
    pub untimed: AtomicU64,
    /// Lines (or frames) refused, by cause.
    rejects: Mutex<BTreeMap<&'static str, u64>>,
    rejected: AtomicU64,
}

impl Counters {
    /// Counts one refused line; the first few are logged with the line.
    pub fn reject(&self, source: &str, cause: &'static str, line: &[u8]) {
        if let Ok(mut m) = self.rejects.lock() {
            *m.entry(cause).or_default() += 1;
        }
        let n = self.rejected.fetch_add(1, Ordering::Relaxed);
        let shown = String::from_utf8_lossy(&line[..line.len().min(120)]);
        if n < LOGGED_REJECTS {
            tracing::warn!(source, cause, line = %shown, "line rejected (counted)");
        } else {
            tracing::debug!(source, cause, line = %shown, "line rejected (counted)");
        }
    }

    /// Adds `n` refusals of `cause` counted elsewhere (a splitter's over-long lines).
    pub fn reject_n(&self, cause: &'static str, n: u64) {
        if n == 0 {
            return;
        }
        if let Ok(mut m) = self.rejects.lock() {
            *m.entry(cause).or_default() += n;
        }
        self.rejected.fetch_add(n, Ordering::Relaxed);
    }

    /// Lines refused in all.
    pub fn rejected(&self) -> u64 {
        self.rejected.load(Ordering::Relaxed)
    }

    /// Refusals by cause.
    pub fn rejects(&self) -> BTreeMap<&'static str, u64> {
        self.rejects.lock().map(|m| m.clone()).unwrap_or_default()
    }

    /// One line of every counter, with the live sources' own (over-long lines, UDP drops).
    pub fn line(&self, sources: &[Arc<SourceHealth>]) -> String {
        let g = |c: &AtomicU64| c.load(Ordering::Relaxed);
        let overlong: u64 = sources
            .iter()
            .map(|s| s.overlong.load(Ordering::Relaxed))
            .sum();
        let dropped: u64 = sources
            .iter()
            .map(|s| s.dropped.load(Ordering::Relaxed))
            .sum();
        format!(
            "{} lines, {} frames ({} without MMSI), {} published ({} already stored), {} retries, \
             {} rejected, {} without time, {} over-long (live), {} dropped (UDP, NATS behind)",
            g(&self.lines),
            g(&self.frames),
            g(&self.unattributed),
            g(&self.published),
            g(&self.duplicates),
            g(&self.retries),
            self.rejected() + overlong,
            g(&self.untimed),
            overlong,
            dropped,
        )
    }

    /// The end-of-run summary: [`Counters::line`] and the refusals by cause.
    pub fn summary(&self, sources: &[Arc<SourceHealth>]) -> String {
        let mut s = format!("ingest: {}\n", self.line(sources));
        for (cause, n) in self.rejects() {
            let _ = writeln!(s, "rejected {cause:<26} {n}");
        }
        s
    }
}
