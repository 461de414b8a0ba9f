//! The store writer: one OS thread that batches what the pipeline accepted
//! into transactions (at most every 100 ms), so a crash loses nothing that
//! was committed and the engine never waits on disk for long.
//!
//! While writes fail (disk full, the `max_store_mb` quota, an I/O error) the
//! writer keeps the batch and retries; the service reports the cause on
//! `/healthz` (503) and in `varde_store_failing`; the bounded queue in front
//! of the writer fills and ingest waits (TCP and files pause, UDP drops and
//! counts). Once the service is stopping, each remaining batch is tried once
//! and given up (counted) if it fails, so SIGTERM ends the process in bounded
//! time.
//!
//! The WAL is checkpointed (`PASSIVE`) every [`CHECKPOINT_EVERY`], so data
//! committed longer ago than that is in the main database file, and
//! truncated at a clean stop.

use super::config::ServeConfig;
use super::journal_block::JournalBlock;
use super::metrics::{Counter, Metrics};
use super::source::SourceHealth;
use anyhow::{Context, Result};
use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::Ordering;
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::sync::Arc;
use std::time::{Duration, Instant};
use varde_store::{
    AlertRecord, Batch, PositionRecord, ReleaseRecord, Retention, SourceStats, SqliteStore, Store,
    VesselRecord,
};

/// One thing to store.
#[derive(Debug)]
pub enum StoreItem {
    /// Accepted input frames (journal), many in one buffer (see [`super::journal_block`]).
    Journal(JournalBlock),
    /// A track point, and the index of its source (the writer fills in the source's name, so the
    /// engine thread allocates nothing per point for it).
    Position(PositionRecord, u32),
    /// A vessel's latest state (boxed, as the alert: the queue to the writer holds thousands of
    /// items, mostly positions and journal lines, and each item is as large as the largest variant).
    Vessel(Box<VesselRecord>),
    /// An alert revision.
    Alert(Box<AlertRecord>),
    /// The engine's state after every journal line sent before it (see `super::snapshot`).
    Snapshot(Vec<u8>),
    /// An item released to a partner, for the audit log (sent by `super::audit::AuditSink`).
    Release(ReleaseRecord),
}

/// Batch size, in items, after which no further chunk is added (a chunk is never split). At ~100 B
/// an item plus a journal line's bytes, a batch holds ~3 MB at most; 50,000 items (~10 MB) before.
/// At full ingest (~30,000 lines/s, two or three items a line) 100 ms fill about 8,000 items.
pub const MAX_BATCH: usize = 16_384;
/// A batch of fewer items than this is a quiet one: its buffers give back their room (see
/// [`Pending::shrink`]). A burst grows them towards [`MAX_BATCH`] items (~3 MB with the vessels'
/// records), which a quiet service need not hold.
const KEEP_ITEMS: usize = 1_024;
/// Items of each kind the buffers keep room for after a quiet batch. Small: the vessels' records
/// are ~270 bytes each (a map with room for [`KEEP_ITEMS`] of them held ~550 kB for good), and a
/// quiet batch's buffers regrow in a few reallocations.
const QUIET_ROOM: usize = 64;
/// Longest a received item waits before its batch is committed.
const MAX_DELAY: Duration = Duration::from_millis(100);
/// How often retention pruning runs.
const PRUNE_EVERY: Duration = Duration::from_secs(3600);
/// How often the WAL is checkpointed into the main file.
pub const CHECKPOINT_EVERY: Duration = Duration::from_secs(10);
/// Longest wait between two tries of a failing batch.
const MAX_RETRY_WAIT: Duration = Duration::from_secs(1);

/// Opens the writer's store in `dir`: checks it (schema version, integrity;
/// a damaged or too new store is refused with what to do) and applies the
/// `max_store_mb` quota.
pub fn open_store(dir: &Path, cfg: &ServeConfig) -> Result<SqliteStore> {
    let mut store = SqliteStore::open(dir)
        .with_context(|| format!("opening the store in {}", dir.display()))?;
    store
        .set_max_size_mib(cfg.max_store_mb)
        .context("setting the store size limit")?;
    Ok(store)
}

/// Writes until the pipeline hangs up; commits what is left first.
pub fn run(
    mut store: SqliteStore,
    rx: Receiver<Vec<StoreItem>>,
    metrics: Arc<Metrics>,
    sources: Vec<Arc<SourceHealth>>,
    retention_days: u32,
) {
    let mut last_prune = Instant::now();
    let mut last_checkpoint = Instant::now();
    // One batch's buffers, reused (cleared after each commit): their size is bounded by
    // MAX_BATCH, and a fresh set per batch left the allocator holding freed blocks between
    // long-lived ones.
    let mut pending = Pending::default();
    loop {
        let first = match rx.recv_timeout(Duration::from_secs(1)) {
            Ok(chunk) => Some(chunk),
            Err(RecvTimeoutError::Timeout) => None,
            Err(RecvTimeoutError::Disconnected) => break,
        };
        pending.clear();
        let mut snapshot = None;
        if let Some(first) = first {
            snapshot = pending.push_chunk(first, &sources);
            let deadline = Instant::now() + MAX_DELAY;
            while pending.len < MAX_BATCH && snapshot.is_none() {
                match rx.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
                    Ok(chunk) => snapshot = pending.push_chunk(chunk, &sources),
                    Err(_) => break,
                }
            }
        }
        let committed = write(&mut store, &mut pending, &metrics, &sources);
        if pending.len < KEEP_ITEMS {
            // A quiet batch after a burst: the buffers the burst grew go back to the allocator.
            pending.shrink();
        }
        // Stored after everything sent before it is committed: it covers exactly the journal so far
        // (never after a batch given up at shutdown).
        if let Some(state) = snapshot.filter(|_| committed) {
            match store.put_snapshot(super::source::now_ms(), &state) {
                Ok(seq) => {
                    metrics.add(Counter::Snapshots, 1);
                    tracing::debug!(seq, bytes = state.len(), "snapshot stored");
                }
                Err(e) => tracing::error!(error = %e, "storing a snapshot failed"),
            }
        }
        if last_checkpoint.elapsed() >= CHECKPOINT_EVERY {
            last_checkpoint = Instant::now();
            if let Err(e) = store.checkpoint_passive() {
                tracing::warn!(error = %e, "WAL checkpoint failed");
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
    if let Err(e) = store.checkpoint() {
        tracing::warn!(error = %e, "final WAL checkpoint failed");
    }
}

#[derive(Default)]
struct Pending {
    batch: Batch,
    vessels: HashMap<u32, VesselRecord>,
    len: usize,
}

impl Pending {
    /// Empties the batch, keeping its buffers.
    fn clear(&mut self) {
        self.batch.clear();
        self.vessels.clear();
        self.len = 0;
    }

    /// Empties the batch and gives back what its buffers hold beyond [`QUIET_ROOM`] items each.
    fn shrink(&mut self) {
        self.clear();
        let b = &mut self.batch;
        b.raw.shrink_to(QUIET_ROOM);
        b.positions.shrink_to(QUIET_ROOM);
        b.vessels.shrink_to(0);
        b.alerts.shrink_to(0);
        b.releases.shrink_to(0);
        self.vessels.shrink_to(QUIET_ROOM);
    }

    /// Adds a chunk from the pipeline (whole: a chunk is never split across batches); a snapshot
    /// (sent alone, after everything before it) is handed back.
    fn push_chunk(
        &mut self,
        chunk: Vec<StoreItem>,
        sources: &[Arc<SourceHealth>],
    ) -> Option<Vec<u8>> {
        let mut snapshot = None;
        for item in chunk {
            if let Some(s) = self.push(item, sources) {
                snapshot = Some(s);
            }
        }
        snapshot
    }

    /// Adds an item to the batch (a point's source is named from `sources`, by index); a
    /// snapshot is handed back, to be stored once the batch is.
    fn push(&mut self, item: StoreItem, sources: &[Arc<SourceHealth>]) -> Option<Vec<u8>> {
        self.len += 1;
        match item {
            StoreItem::Journal(lines) => {
                self.len += lines.len().saturating_sub(1);
                self.batch.raw.extend(lines.records());
            }
            StoreItem::Position(mut p, source) => {
                p.source = sources.get(source as usize).map(|h| h.name.clone());
                self.batch.positions.push(p);
            }
            StoreItem::Vessel(v) => {
                self.vessels.insert(v.mmsi, *v);
            }
            StoreItem::Alert(a) => self.batch.alerts.push(*a),
            StoreItem::Snapshot(s) => return Some(s),
            StoreItem::Release(r) => self.batch.releases.push(r),
        }
        None
    }
}

fn write(
    store: &mut SqliteStore,
    pending: &mut Pending,
    metrics: &Metrics,
    sources: &[Arc<SourceHealth>],
) -> bool {
    let mut vessels: Vec<VesselRecord> = pending.vessels.drain().map(|(_, v)| v).collect();
    vessels.sort_by_key(|v| v.mmsi);
    pending.batch.vessels = vessels;
    pending.batch.sources = sources.iter().map(|h| source_stats(h)).collect();
    let committed = pending.batch.raw.len() as u64;
    metrics.set(Counter::StoreBacklog, pending.len as u64);
    // What was accepted is not dropped while the service runs: a failed
    // batch is retried (the pipeline backs up meanwhile) until the store
    // takes it. Once stopping, it is tried once more and then given up.
    let mut wait = Duration::from_millis(50);
    loop {
        match store.write_batch(&pending.batch) {
            Ok(()) => {
                metrics.add(Counter::Committed, committed);
                metrics.add(Counter::Batches, 1);
                metrics.set(Counter::StoreBacklog, 0);
                if metrics.degraded().is_some() {
                    tracing::info!("store writes succeed again");
                    metrics.clear_store_error();
                }
                return true;
            }
            Err(e) => {
                metrics.add(Counter::StoreErrors, 1);
                if metrics.degraded().is_none() {
                    tracing::error!(error = %e, items = pending.len, "store write failed; retrying");
                }
                metrics.set_store_error(e.to_string());
                if metrics.stopping() {
                    tracing::error!(error = %e, items = pending.len,
                        "stopping with the store failing: giving up a batch");
                    metrics.add(Counter::StoreLost, pending.len as u64);
                    metrics.set(Counter::StoreBacklog, 0);
                    return false;
                }
                std::thread::sleep(wait);
                wait = (wait * 2).min(MAX_RETRY_WAIT);
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
