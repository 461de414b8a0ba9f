//! The audit sink: how the feeds record every item they release to a partner.
//!
//! [`AuditSink::spawn`] starts one forwarder thread and hands back a cheap, cloneable
//! [`AuditSink`] and the [`AuditForwarder`] that stops it. A feed calls [`AuditSink::record`]
//! **before** it sends an item to a partner, and withholds the item if the call fails: a release
//! the log could not take is never made (fail closed).
//!
//! # Path into the store
//! `record` puts the release on a bounded queue ([`QUEUE`] releases) and returns at once; it
//! never waits. The forwarder takes what is queued, up to [`CHUNK`] releases at a time, and
//! hands it to the store writer as one chunk of [`StoreItem::Release`] on the same channel the
//! pipeline uses; the writer commits it with the next batch (within about 100 ms), appending it to
//! the hash-chained audit log (`varde_store::sqlite::audit`) in the same transaction as the rest.
//!
//! # When the queue is full
//! The writer is behind (a slow disk, a failing store: its own queue is full) or releases come
//! faster than it commits. Then `record` returns [`AuditRefused::Full`]: the release is counted
//! in [`AuditSink::refused`], the first refusal after a success is logged at `warn` (with the
//! count so far) and the recovery at `info`, and the feed must not release the item. Nothing is
//! ever dropped silently.
//!
//! # Durability
//! `Ok` means queued, not committed: like every store item, a release is durable once the
//! writer's batch commits. A crash (`kill -9`) loses the records of releases made in the last
//! moments (what is queued plus the writer's open batch, at most about 100 ms of releases when
//! the store keeps up).
//!
//! # Shutdown
//! The forwarder holds a sender of the writer's channel, so the writer keeps running while it
//! does: call [`AuditForwarder::close`] before waiting for the writer. It forwards what is queued
//! and ends, whatever sinks remain (their later calls fail with [`AuditRefused::Closed`]).

use super::writer::StoreItem;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{sync_channel, Receiver, RecvTimeoutError, SyncSender, TrySendError};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;
use varde_store::ReleaseRecord;

/// Releases the queue in front of the forwarder holds.
pub const QUEUE: usize = 8_192;
/// Most releases in one chunk handed to the writer.
pub const CHUNK: usize = 1_024;
/// How often an idle forwarder looks whether it was closed.
const POLL: Duration = Duration::from_millis(50);

/// Why [`AuditSink::record`] did not take a release. The caller must not release the item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditRefused {
    /// The queue is full: the store writer is behind.
    Full,
    /// The service is stopping: the forwarder has ended.
    Closed,
}

impl std::fmt::Display for AuditRefused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Full => "the audit log's queue is full (the store is behind); not released",
            Self::Closed => "the audit log is closed (the service is stopping); not released",
        })
    }
}

impl std::error::Error for AuditRefused {}

#[derive(Debug, Default)]
struct Shared {
    recorded: AtomicU64,
    refused: AtomicU64,
    /// Set while refusing, so a run of refusals is logged once.
    refusing: AtomicBool,
    closed: AtomicBool,
}

/// Records releases to partners into the store's audit log. Cheap to clone; `Send + Sync`.
#[derive(Debug, Clone)]
pub struct AuditSink {
    tx: SyncSender<ReleaseRecord>,
    shared: Arc<Shared>,
}

/// Stops the forwarder thread (see the module docs, Shutdown).
#[derive(Debug)]
pub struct AuditForwarder {
    shared: Arc<Shared>,
    thread: JoinHandle<()>,
}

impl AuditSink {
    /// Starts the forwarder thread, sending chunks to the store writer on `writer`.
    pub fn spawn(writer: SyncSender<Vec<StoreItem>>) -> std::io::Result<(Self, AuditForwarder)> {
        Self::spawn_with(writer, QUEUE)
    }

    /// [`spawn`](Self::spawn) with a queue of `capacity` releases.
    pub fn spawn_with(
        writer: SyncSender<Vec<StoreItem>>,
        capacity: usize,
    ) -> std::io::Result<(Self, AuditForwarder)> {
        let (tx, rx) = sync_channel(capacity);
        let shared = Arc::new(Shared::default());
        let thread = {
            let shared = shared.clone();
            std::thread::Builder::new()
                .name("audit-forwarder".into())
                .spawn(move || forward(&rx, &writer, &shared))?
        };
        let sink = Self {
            tx,
            shared: shared.clone(),
        };
        Ok((sink, AuditForwarder { shared, thread }))
    }

    /// Records that `item_id`, labelled `label` (its canonical text), was released to `partner`
    /// over `feed` at `time_ms` (ms since the epoch). Call it before releasing; on `Err` do not
    /// release. Never blocks.
    pub fn record(
        &self,
        partner: &str,
        feed: &str,
        item_id: &str,
        label: &str,
        time_ms: i64,
    ) -> Result<(), AuditRefused> {
        self.record_release(ReleaseRecord {
            time_ms,
            partner: partner.to_owned(),
            feed: feed.to_owned(),
            item_id: item_id.to_owned(),
            label: label.to_owned(),
        })
    }

    /// [`record`](Self::record) with the record already built.
    pub fn record_release(&self, release: ReleaseRecord) -> Result<(), AuditRefused> {
        let s = &self.shared;
        let refused = if s.closed.load(Ordering::Acquire) {
            AuditRefused::Closed
        } else {
            match self.tx.try_send(release) {
                Ok(()) => {
                    s.recorded.fetch_add(1, Ordering::Relaxed);
                    if s.refusing.swap(false, Ordering::Relaxed) {
                        tracing::info!(
                            refused = s.refused.load(Ordering::Relaxed),
                            "the audit log takes releases again"
                        );
                    }
                    return Ok(());
                }
                Err(TrySendError::Full(_)) => AuditRefused::Full,
                Err(TrySendError::Disconnected(_)) => AuditRefused::Closed,
            }
        };
        let n = s.refused.fetch_add(1, Ordering::Relaxed) + 1;
        if !s.refusing.swap(true, Ordering::Relaxed) {
            tracing::warn!(refused = n, reason = %refused, "a release was refused by the audit log");
        }
        Err(refused)
    }

    /// Releases taken so far.
    pub fn recorded(&self) -> u64 {
        self.shared.recorded.load(Ordering::Relaxed)
    }

    /// Releases refused so far (queue full or closed); each was withheld by its caller.
    pub fn refused(&self) -> u64 {
        self.shared.refused.load(Ordering::Relaxed)
    }
}

impl AuditForwarder {
    /// Refuses further releases, hands what is queued to the writer and waits for the forwarder
    /// to end (dropping its sender of the writer's channel).
    pub fn close(self) {
        self.shared.closed.store(true, Ordering::Release);
        if self.thread.join().is_err() {
            tracing::error!("the audit forwarder panicked");
        }
    }
}

/// The forwarder: queued releases to the writer, [`CHUNK`] at most at a time, until closed (or
/// every sink is gone) and the queue is empty.
fn forward(rx: &Receiver<ReleaseRecord>, writer: &SyncSender<Vec<StoreItem>>, s: &Shared) {
    loop {
        let first = match rx.recv_timeout(POLL) {
            Ok(r) => r,
            Err(RecvTimeoutError::Timeout) if s.closed.load(Ordering::Acquire) => break,
            Err(RecvTimeoutError::Timeout) => continue,
            Err(RecvTimeoutError::Disconnected) => break,
        };
        let mut chunk = vec![StoreItem::Release(first)];
        while chunk.len() < CHUNK {
            match rx.try_recv() {
                Ok(r) => chunk.push(StoreItem::Release(r)),
                Err(_) => break,
            }
        }
        let n = chunk.len();
        if writer.send(chunk).is_err() {
            // The writer has ended: only at shutdown, after the pipeline and this forwarder
            // should have stopped. Counted and logged, never silent.
            s.refused.fetch_add(n as u64, Ordering::Relaxed);
            tracing::error!(
                releases = n,
                "the store writer has stopped: audit records lost"
            );
            s.closed.store(true, Ordering::Release);
            break;
        }
    }
    // A release queued between the last look and the close is still forwarded.
    let rest: Vec<StoreItem> = rx.try_iter().map(StoreItem::Release).collect();
    if !rest.is_empty() && writer.send(rest).is_err() {
        tracing::error!("the store writer has stopped: audit records lost");
    }
}

/// Releases to partners, told by the sharing layer, go to the audit log. A refused record (queue
/// full, writer gone) is counted in [`AuditSink::refused`] and logged; the item has been sent.
impl super::share::release::ReleaseLog for AuditSink {
    fn released(
        &self,
        partner: &str,
        feed: &str,
        item_id: &str,
        label: &varde_share::Label,
        time_ms: i64,
    ) {
        let _ = self.record(partner, feed, item_id, &label.to_string(), time_ms);
    }

    fn recorded_refused(&self) -> Option<(u64, u64)> {
        Some((self.recorded(), self.refused()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::serve::metrics::Metrics;
    use varde_store::{AuditEntry, AuditFilter, AuditVerdict, SqliteStore, StoreError};

    #[test]
    fn releases_reach_the_audit_log_through_the_writer() {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(dir.path()).unwrap();
        let (tx, rx) = sync_channel(4);
        let writer = {
            let metrics = Arc::new(Metrics::default());
            std::thread::spawn(move || {
                crate::serve::writer::run(store, rx, metrics, Vec::new(), 30)
            })
        };
        let (sink, forwarder) = AuditSink::spawn(tx).unwrap();
        let feeds: Vec<_> = ["cot", "ogc"]
            .into_iter()
            .map(|feed| {
                let sink = sink.clone();
                std::thread::spawn(move || {
                    for i in 0..500 {
                        let item = format!("{feed}-{i}");
                        sink.record("SWE", feed, &item, "NATO UNCLASSIFIED REL SWE", i)
                            .unwrap();
                    }
                })
            })
            .collect();
        for f in feeds {
            f.join().unwrap();
        }
        assert_eq!(sink.recorded(), 1_000);
        // A sink still held elsewhere does not keep the writer alive once closed.
        forwarder.close();
        assert_eq!(
            sink.record("SWE", "cot", "late", "x", 0),
            Err(AuditRefused::Closed)
        );
        assert_eq!(sink.refused(), 1);
        writer.join().unwrap();

        let store = SqliteStore::open_reader(dir.path()).unwrap();
        assert!(matches!(
            store.audit_verify().unwrap(),
            AuditVerdict::Intact { entries: 1_000, .. }
        ));
        let mut cot: Vec<AuditEntry> = Vec::new();
        store
            .audit_for_each(&AuditFilter::default(), |e| {
                if e.release.feed == "cot" {
                    cot.push(e.clone());
                }
                Ok::<_, StoreError>(())
            })
            .unwrap();
        // Each feed's releases are logged in the order it made them.
        let items: Vec<&str> = cot.iter().map(|e| e.release.item_id.as_str()).collect();
        let want: Vec<String> = (0..500).map(|i| format!("cot-{i}")).collect();
        assert_eq!(items, want);
    }

    #[test]
    fn a_full_queue_refuses_and_counts() {
        // A writer that takes nothing: the writer channel (1 chunk) and the queue (2) fill up.
        let (tx, rx) = sync_channel::<Vec<StoreItem>>(1);
        let (sink, forwarder) = AuditSink::spawn_with(tx, 2).unwrap();
        let mut refused = 0;
        for i in 0..50 {
            match sink.record("NOR", "nmea", &i.to_string(), "", i) {
                Ok(()) => {}
                Err(e) => {
                    assert_eq!(e, AuditRefused::Full);
                    refused += 1;
                }
            }
        }
        assert!(refused > 0);
        assert_eq!(sink.refused(), refused);
        assert_eq!(sink.recorded() + refused, 50);
        // Draining the writer's side lets the forwarder go on; every release taken arrives.
        let reader = std::thread::spawn(move || {
            rx.iter()
                .flatten()
                .map(|item| match item {
                    StoreItem::Release(r) => r.item_id,
                    other => panic!("not a release: {other:?}"),
                })
                .collect::<Vec<_>>()
        });
        forwarder.close();
        drop(sink);
        let got = reader.join().unwrap();
        assert_eq!(got.len() as u64, 50 - refused);
    }
}
