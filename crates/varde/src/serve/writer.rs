//! The store writer: one OS thread that batches what the pipeline accepted
//! into transactions (at most every 100 ms), so a crash loses nothing that
//! was committed and the engine never waits on disk for long.

use super::metrics::{Counter, Metrics};
use super::source::SourceHealth;
use std::collections::HashMap;
use std::sync::atomic::Ordering;
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::sync::Arc;
use std::time::{Duration, Instant};
use varde_store::{
    AlertRecord, Batch, PositionRecord, RawRecord, Retention, SourceStats, SqliteStore, Store,
    VesselRecord,
};

/// One thing to store.
#[derive(Debug)]
pub enum StoreItem {
    /// An accepted input frame (journal).
    Raw(RawRecord),
    /// A track point.
    Position(PositionRecord),
    /// A vessel's latest state.
    Vessel(VesselRecord),
    /// An alert revision.
    Alert(AlertRecord),
    /// The engine's state after every journal line sent before it (see `super::snapshot`).
    Snapshot(Vec<u8>),
}

/// Largest batch, in items.
const MAX_BATCH: usize = 20_000;
/// Longest a received item waits before its batch is committed.
const MAX_DELAY: Duration = Duration::from_millis(100);
/// How often retention pruning runs.
const PRUNE_EVERY: Duration = Duration::from_secs(3600);

/// Writes until the pipeline hangs up; commits what is left first.
pub fn run(
    mut store: SqliteStore,
    rx: Receiver<StoreItem>,
    metrics: Arc<Metrics>,
    sources: Vec<Arc<SourceHealth>>,
    retention_days: u32,
) {
    let mut last_prune = Instant::now();
    loop {
        let first = match rx.recv_timeout(Duration::from_secs(1)) {
            Ok(item) => item,
            Err(RecvTimeoutError::Timeout) => {
                write(&mut store, &mut Pending::default(), &metrics, &sources);
                continue;
            }
            Err(RecvTimeoutError::Disconnected) => return,
        };
        let mut pending = Pending::default();
        let mut snapshot = pending.push(first);
        let deadline = Instant::now() + MAX_DELAY;
        while pending.len < MAX_BATCH && snapshot.is_none() {
            match rx.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
                Ok(item) => snapshot = pending.push(item),
                Err(_) => break,
            }
        }
        write(&mut store, &mut pending, &metrics, &sources);
        // Committed after everything sent before it: the snapshot covers exactly the journal so far.
        if let Some(state) = snapshot {
            match store.put_snapshot(super::source::now_ms(), &state) {
                Ok(seq) => {
                    metrics.add(Counter::Snapshots, 1);
                    tracing::debug!(seq, bytes = state.len(), "snapshot stored");
                }
                Err(e) => tracing::error!(error = %e, "storing a snapshot failed"),
            }
        }
        if last_prune.elapsed() > PRUNE_EVERY {
            last_prune = Instant::now();
            let cutoff = super::source::now_ms() - i64::from(retention_days) * 86_400_000;
            if let Err(e) = store.prune_with(&Retention::all(cutoff)) {
                tracing::error!(error = %e, "retention pruning failed");
            }
        }
    }
}

#[derive(Default)]
struct Pending {
    batch: Batch,
    vessels: HashMap<u32, VesselRecord>,
    len: usize,
}

impl Pending {
    /// Adds an item to the batch; a snapshot is handed back, to be stored once the batch is.
    fn push(&mut self, item: StoreItem) -> Option<Vec<u8>> {
        self.len += 1;
        match item {
            StoreItem::Raw(r) => self.batch.raw.push(r),
            StoreItem::Position(p) => self.batch.positions.push(p),
            StoreItem::Vessel(v) => {
                self.vessels.insert(v.mmsi, v);
            }
            StoreItem::Alert(a) => self.batch.alerts.push(a),
            StoreItem::Snapshot(s) => return Some(s),
        }
        None
    }
}

fn write(
    store: &mut SqliteStore,
    pending: &mut Pending,
    metrics: &Metrics,
    sources: &[Arc<SourceHealth>],
) {
    let mut vessels: Vec<VesselRecord> = pending.vessels.drain().map(|(_, v)| v).collect();
    vessels.sort_by_key(|v| v.mmsi);
    pending.batch.vessels = vessels;
    pending.batch.sources = sources.iter().map(|h| source_stats(h)).collect();
    let committed = pending.batch.raw.len() as u64;
    // What was accepted is never dropped: a failed batch is retried (the
    // pipeline backs up meanwhile) until the store takes it.
    let mut backoff = Duration::from_millis(50);
    loop {
        match store.write_batch(&pending.batch) {
            Ok(()) => {
                metrics.add(Counter::Committed, committed);
                metrics.add(Counter::Batches, 1);
                return;
            }
            Err(e) => {
                metrics.add(Counter::StoreErrors, 1);
                tracing::error!(error = %e, "store write failed; retrying");
                std::thread::sleep(backoff);
                backoff = (backoff * 2).min(Duration::from_secs(5));
            }
        }
    }
}

/// The store's view of a source's health.
pub fn source_stats(h: &SourceHealth) -> SourceStats {
    let last = h.last_line_ms.load(Ordering::Relaxed);
    SourceStats {
        name: h.name.clone(),
        kind: h.kind.to_owned(),
        state: h.state().as_str().to_owned(),
        reports: h.reports.load(Ordering::Relaxed),
        rejects: h.rejects.load(Ordering::Relaxed),
        last_report_ms: (last > 0).then_some(last),
    }
}
