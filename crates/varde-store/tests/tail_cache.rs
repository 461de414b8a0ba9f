//! Track reads through read-only connections, which keep the tail rows indexed between reads
//! (schema v5): they answer as the writer does while the tail grows and is sealed again and again,
//! and a v3 store's tail is carried over.

mod common;

use common::position;
use std::path::Path;
use varde_store::sqlite::{DEFAULT_FILE_NAME, SCHEMA_VERSION};
use varde_store::{Batch, PositionRecord, SqliteStore, Store};

/// Vessels 1..=3, one point each at `t`; vessel 3 also at `t + 1` (two points of one vessel in a
/// batch).
fn batch_at(t: i64) -> Batch {
    let mut b = Batch::new();
    for m in 1..=3 {
        b.positions.push(position(m, t));
    }
    b.positions.push(position(3, t + 1));
    b
}

/// `n` batches of 1,000 times each, from batch `first`.
fn write(s: &mut SqliteStore, first: i64, n: i64) {
    for k in first..first + n {
        let mut b = Batch::new();
        for i in 0..1_000 {
            b.positions.extend(batch_at((k * 1_000 + i) * 10).positions);
        }
        s.write_batch(&b).unwrap();
    }
}

fn track(s: &SqliteStore, m: u32) -> Vec<PositionRecord> {
    s.track(m, 0, i64::MAX, usize::MAX).unwrap()
}

fn tail_segs(dir: &Path) -> Vec<i64> {
    let conn = rusqlite::Connection::open(dir.join(DEFAULT_FILE_NAME)).unwrap();
    let mut stmt = conn
        .prepare("SELECT seg FROM position_tail ORDER BY seg")
        .unwrap();
    let segs = stmt
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<Vec<i64>>>()
        .unwrap();
    segs
}

#[test]
fn readers_answer_as_the_writer_while_the_tail_is_sealed_and_refilled() {
    let dir = tempfile::tempdir().unwrap();
    let mut w = SqliteStore::open(dir.path()).unwrap();
    let a = SqliteStore::open_reader(dir.path()).unwrap();
    let mut b = SqliteStore::open_reader(dir.path()).unwrap();
    b.share_read_caches(&a);
    // 4,000 points a batch: the tail is sealed every 25 batches (100,000 points, in the same
    // transaction as the 25th row); read after each batch, so the readers hold rows of every
    // generation of the tail.
    let (mut prev, mut max_seen, mut seals) = (Vec::new(), 0, 0);
    for k in 0..55 {
        write(&mut w, k, 1);
        let segs = tail_segs(dir.path());
        assert!(
            segs.iter().all(|s| prev.contains(s) || *s > max_seen),
            "after batch {k}: {segs:?}, before {prev:?}"
        );
        seals += usize::from(segs.len() < prev.len());
        max_seen = max_seen.max(segs.iter().copied().max().unwrap_or(0));
        prev = segs;
        // Every third batch, and around each seal.
        if k % 3 != 0 && !(23..=26).contains(&(k % 25)) {
            continue;
        }
        let reader = if k % 2 == 0 { &a } else { &b };
        for m in [1u32, 3] {
            let want = track(&w, m);
            assert_eq!(track(reader, m), want, "vessel {m} after batch {k}");
            let per_batch = if m == 3 { 2_000 } else { 1_000 };
            assert_eq!(want.len(), (k as usize + 1) * per_batch);
        }
    }
    assert_eq!(seals, 2);
    assert!(!prev.is_empty() && prev.len() < 25, "tail rows {prev:?}");
    // Windows cut inside the tail, and limits.
    let (from, to) = (50_500 * 10, 50_600 * 10);
    assert_eq!(
        a.track(3, from, to, 7).unwrap(),
        w.track(3, from, to, 7).unwrap()
    );
    assert_eq!(a.track(3, from, to, 7).unwrap().len(), 7);
    assert_eq!(a.track(2, to + 5, to + 5, 10).unwrap(), vec![]);
    assert_eq!(a.track(9, 0, i64::MAX, 10).unwrap(), vec![]);
}

#[test]
fn a_v3_store_keeps_its_tail_and_never_reuses_a_seg() {
    let dir = tempfile::tempdir().unwrap();
    let mut w = SqliteStore::open(dir.path()).unwrap();
    write(&mut w, 0, 10);
    let before: Vec<_> = (1..=3).map(|m| track(&w, m)).collect();
    drop(w);
    // Back to v3: `seg` without AUTOINCREMENT, and no audit log (v4).
    {
        let conn = rusqlite::Connection::open(dir.path().join(DEFAULT_FILE_NAME)).unwrap();
        conn.execute_batch(
            "BEGIN;
             CREATE TABLE v3 (seg INTEGER PRIMARY KEY, points INTEGER NOT NULL,
                 min_time_ms INTEGER NOT NULL, max_time_ms INTEGER NOT NULL, data BLOB NOT NULL);
             INSERT INTO v3 SELECT * FROM position_tail;
             DROP TABLE position_tail;
             DELETE FROM sqlite_sequence;
             ALTER TABLE v3 RENAME TO position_tail;
             CREATE INDEX position_tail_points ON position_tail (points);
             DROP TABLE audit;
             DROP TABLE audit_head;
             DROP TABLE alert_actions;
             PRAGMA user_version = 3;
             COMMIT;",
        )
        .unwrap();
    }
    let mut w = SqliteStore::open(dir.path()).unwrap();
    assert_eq!(w.schema_version().unwrap(), SCHEMA_VERSION);
    let r = SqliteStore::open_reader(dir.path()).unwrap();
    let migrated = tail_segs(dir.path());
    assert_eq!(migrated, (1..=10).collect::<Vec<i64>>());
    for m in 1..=3u32 {
        assert_eq!(track(&r, m), before[m as usize - 1]);
    }
    // 25 batches make 100,000 points: sealed after the 25th; the next rows take new segs.
    write(&mut w, 10, 16);
    let after = tail_segs(dir.path());
    assert_eq!(after, vec![26]);
    assert_eq!(track(&r, 3), track(&w, 3));
    assert_eq!(track(&r, 3).len(), 26_000 * 2);
}
