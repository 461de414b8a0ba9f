//! Service counters, named by one enum and rendered in Prometheus text format.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

/// Counters of the pipeline, shared with `/metrics`.
#[derive(Debug, Default)]
pub struct Metrics {
    counters: [AtomicU64; Counter::ALL.len()],
    /// Rejections by cause.
    pub rejects: Mutex<BTreeMap<&'static str, u64>>,
    /// Alerts raised by kind (from the engine).
    pub alerts: Mutex<BTreeMap<&'static str, u64>>,
}

/// Every counter the service exports.
#[derive(Debug, Clone, Copy)]
pub enum Counter {
    /// Lines read from all sources.
    Lines,
    /// Reports accepted by the engine.
    Reports,
    /// Reports committed to the store (durable).
    Committed,
    /// Store batches written.
    Batches,
    /// Store write failures.
    StoreErrors,
    /// Vessels in the picture.
    Vessels,
    /// Alert events published (opened, updated, closed).
    AlertEvents,
    /// Live events dropped for slow subscribers.
    LiveLagged,
    /// Engine snapshots stored.
    Snapshots,
    /// Journal lines replayed at start (after the snapshot loaded, if any).
    Restored,
    /// Messages without a time of their own (no tag block `c:`, no trailer), timed by their arrival.
    Untimed,
    /// Reports of new MMSIs dropped at the vessel cap.
    VesselsRefused,
}

impl Counter {
    /// All counters, in export order.
    pub const ALL: [Counter; 12] = [
        Counter::Lines,
        Counter::Reports,
        Counter::Committed,
        Counter::Batches,
        Counter::StoreErrors,
        Counter::Vessels,
        Counter::AlertEvents,
        Counter::LiveLagged,
        Counter::Snapshots,
        Counter::Restored,
        Counter::Untimed,
        Counter::VesselsRefused,
    ];

    /// Metric name, type and help text.
    pub const fn describe(self) -> (&'static str, &'static str, &'static str) {
        match self {
            Counter::Lines => (
                "varde_lines_total",
                "counter",
                "Lines read from all sources.",
            ),
            Counter::Reports => (
                "varde_reports_total",
                "counter",
                "Reports accepted by the engine.",
            ),
            Counter::Committed => (
                "varde_reports_committed_total",
                "counter",
                "Accepted reports committed to the store.",
            ),
            Counter::Batches => (
                "varde_store_batches_total",
                "counter",
                "Store batches written.",
            ),
            Counter::StoreErrors => (
                "varde_store_errors_total",
                "counter",
                "Store write failures.",
            ),
            Counter::Vessels => ("varde_vessels", "gauge", "Vessels in the picture."),
            Counter::AlertEvents => (
                "varde_alert_events_total",
                "counter",
                "Alert events published.",
            ),
            Counter::LiveLagged => (
                "varde_live_lagged_total",
                "counter",
                "Live events dropped for slow subscribers.",
            ),
            Counter::Snapshots => (
                "varde_snapshots_total",
                "counter",
                "Engine snapshots stored.",
            ),
            Counter::Restored => (
                "varde_restored_lines_total",
                "counter",
                "Journal lines replayed at start, after the snapshot loaded.",
            ),
            Counter::Untimed => (
                "varde_untimed_messages_total",
                "counter",
                "Messages without a time of their own (no tag block c:, no trailer), timed by their arrival.",
            ),
            Counter::VesselsRefused => (
                "varde_vessels_refused_total",
                "counter",
                "Reports of new MMSIs dropped at the vessel cap (track.max_vessels).",
            ),
        }
    }
}

impl Metrics {
    /// Adds `n` to a counter.
    pub fn add(&self, c: Counter, n: u64) {
        self.counters[c as usize].fetch_add(n, Ordering::Relaxed);
    }

    /// Sets a gauge.
    pub fn set(&self, c: Counter, v: u64) {
        self.counters[c as usize].store(v, Ordering::Relaxed);
    }

    /// Reads a counter.
    pub fn get(&self, c: Counter) -> u64 {
        self.counters[c as usize].load(Ordering::Relaxed)
    }

    /// Counts a rejection.
    pub fn reject(&self, cause: &'static str) {
        if let Ok(mut m) = self.rejects.lock() {
            *m.entry(cause).or_default() += 1;
        }
    }
}
