//! Service counters, named by one enum and rendered in Prometheus text format.

use super::source::{SourceHealth, SourceState};
use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// Counters of the pipeline, shared with `/metrics`.
#[derive(Debug, Default)]
pub struct Metrics {
    counters: [AtomicU64; Counter::ALL.len()],
    /// Rejections by cause.
    pub rejects: Mutex<BTreeMap<&'static str, u64>>,
    /// Alerts raised by kind (from the engine).
    pub alerts: Mutex<BTreeMap<&'static str, u64>>,
    /// Why store writes are failing, while they are (`/healthz` is 503).
    store_error: Mutex<Option<String>>,
    /// Set once the service is stopping: the writer stops retrying.
    stopping: AtomicBool,
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
    /// Live events (positions and alerts) a subscriber lost, each told to it by `event: lagged`.
    LiveLagged,
    /// Alert events a subscriber lost (read too slowly, or resumed past what is kept), each told
    /// to it by `event: lagged`.
    LiveAlertsLagged,
    /// `event: lagged` notices sent to subscribers.
    LiveLaggedNotices,
    /// `/api/stream` subscribers connected now.
    LiveSubscribers,
    /// Engine snapshots stored.
    Snapshots,
    /// Journal lines replayed at start (after the snapshot loaded, if any).
    Restored,
    /// Messages without a time of their own (no tag block `c:`, no trailer), timed by their arrival.
    Untimed,
    /// Reports of new MMSIs dropped at the vessel cap.
    VesselsRefused,
    /// Items the store writer holds that are not committed yet (grows while
    /// writes fail; the queue in front of it is bounded, then ingest waits).
    StoreBacklog,
    /// Items given up at shutdown because the store kept failing.
    StoreLost,
    /// Incomplete multi-sentence groups evicted from the reassembler (too
    /// many in flight).
    FragmentsEvicted,
    /// Incomplete multi-sentence groups expired in the reassembler.
    FragmentsExpired,
}

impl Counter {
    /// All counters, in export order.
    pub const ALL: [Counter; 19] = [
        Counter::Lines,
        Counter::Reports,
        Counter::Committed,
        Counter::Batches,
        Counter::StoreErrors,
        Counter::Vessels,
        Counter::AlertEvents,
        Counter::LiveLagged,
        Counter::LiveAlertsLagged,
        Counter::LiveLaggedNotices,
        Counter::LiveSubscribers,
        Counter::Snapshots,
        Counter::Restored,
        Counter::Untimed,
        Counter::VesselsRefused,
        Counter::StoreBacklog,
        Counter::StoreLost,
        Counter::FragmentsEvicted,
        Counter::FragmentsExpired,
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
                "Live events (positions and alerts) stream subscribers lost, each told by event: lagged.",
            ),
            Counter::LiveAlertsLagged => (
                "varde_live_alerts_lagged_total",
                "counter",
                "Alert events stream subscribers lost (too slow, or resumed past what is kept), each told by event: lagged.",
            ),
            Counter::LiveLaggedNotices => (
                "varde_live_lagged_notices_total",
                "counter",
                "event: lagged notices sent to stream subscribers.",
            ),
            Counter::LiveSubscribers => (
                "varde_live_subscribers",
                "gauge",
                "Stream (/api/stream) subscribers connected now.",
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
            Counter::StoreBacklog => (
                "varde_store_backlog_items",
                "gauge",
                "Items received by the store writer and not yet committed.",
            ),
            Counter::StoreLost => (
                "varde_store_lost_items_total",
                "counter",
                "Items given up at shutdown because the store kept failing.",
            ),
            Counter::FragmentsEvicted => (
                "varde_fragments_evicted_total",
                "counter",
                "Incomplete multi-sentence groups evicted (too many in flight).",
            ),
            Counter::FragmentsExpired => (
                "varde_fragments_expired_total",
                "counter",
                "Incomplete multi-sentence groups expired.",
            ),
        }
    }
}

impl Metrics {
    /// Adds `n` to a counter.
    pub fn add(&self, c: Counter, n: u64) {
        self.counters[c as usize].fetch_add(n, Ordering::Relaxed);
    }

    /// Takes `n` from a gauge.
    pub fn sub(&self, c: Counter, n: u64) {
        self.counters[c as usize].fetch_sub(n, Ordering::Relaxed);
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

impl Metrics {
    /// Records that store writes are failing, and why.
    pub fn set_store_error(&self, reason: impl Into<String>) {
        if let Ok(mut e) = self.store_error.lock() {
            *e = Some(reason.into());
        }
    }

    /// Records that store writes succeed again.
    pub fn clear_store_error(&self) {
        if let Ok(mut e) = self.store_error.lock() {
            *e = None;
        }
    }

    /// Why the service is degraded, if it is (store writes failing).
    pub fn degraded(&self) -> Option<String> {
        self.store_error
            .lock()
            .ok()
            .and_then(|e| e.as_ref().map(|r| format!("store writes failing: {r}")))
    }

    /// Marks the service as stopping: the store writer then tries each
    /// remaining batch once instead of retrying until the store recovers.
    pub fn begin_shutdown(&self) {
        self.stopping.store(true, Ordering::Relaxed);
    }

    /// Whether [`begin_shutdown`](Self::begin_shutdown) was called.
    pub fn stopping(&self) -> bool {
        self.stopping.load(Ordering::Relaxed)
    }

    /// Takes the reassembler's drop counters (from the decoder's
    /// `assembly_stats`).
    pub fn assembly(&self, stats: varde_ais::assemble::AssemblyStats) {
        self.set(Counter::FragmentsEvicted, stats.evicted);
        self.set(Counter::FragmentsExpired, stats.expired);
    }

    /// Prometheus text of the per-source counters beyond lines and state,
    /// and of the store's health.
    pub fn render_extra(&self, out: &mut String, sources: &[Arc<SourceHealth>]) {
        type Get = fn(&SourceHealth) -> u64;
        let per_source: [(&str, &str, &str, Get); 7] = [
            (
                "varde_source_stale",
                "gauge",
                "1 when the source is connected but silent past its idle timeout.",
                |h| u64::from(h.state() == SourceState::Stale),
            ),
            (
                "varde_source_stale_total",
                "counter",
                "Times the source went stale and was reconnected.",
                |h| h.stale.load(Ordering::Relaxed),
            ),
            (
                "varde_source_connects_total",
                "counter",
                "Connections established.",
                |h| h.connects.load(Ordering::Relaxed),
            ),
            (
                "varde_source_overlong_total",
                "counter",
                "Lines over the maximum length, dropped.",
                |h| h.overlong.load(Ordering::Relaxed),
            ),
            (
                "varde_source_kernel_drops_total",
                "counter",
                "Datagrams dropped by the kernel (receive buffer full).",
                |h| h.kernel_drops.load(Ordering::Relaxed),
            ),
            (
                "varde_source_dropped_total",
                "counter",
                "Lines dropped because the pipeline was full.",
                |h| h.dropped.load(Ordering::Relaxed),
            ),
            (
                "varde_source_rejects_total",
                "counter",
                "Lines rejected by the decoder.",
                |h| h.rejects.load(Ordering::Relaxed),
            ),
        ];
        for (name, kind, help, get) in per_source {
            let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}");
            for h in sources {
                let _ = writeln!(out, "{name}{{source=\"{}\"}} {}", h.name, get(h));
            }
        }
        let failing = u8::from(self.degraded().is_some());
        let _ = writeln!(
            out,
            "# HELP varde_store_failing 1 while store writes fail.\n# TYPE varde_store_failing gauge\nvarde_store_failing {failing}"
        );
    }
}
