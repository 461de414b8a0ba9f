//! Retention: what a prune removes and what it must keep.

mod common;

use common::*;
use varde_store::{AlertFilter, Batch, PruneCounts, Retention, SqliteStore, Store};

/// Rows at times 1_000 .. 10_000 in every table.
fn filled() -> SqliteStore {
    let mut s = SqliteStore::open_in_memory().unwrap();
    let mut b = Batch::new();
    for i in 1..=10i64 {
        let t = i * 1_000;
        b.raw.push(raw(t, i as usize));
        b.positions.push(position(1, t));
        b.positions.push(position(2, t));
        b.vessels.push(vessel_at(i as u32, 60.0, 5.0, t));
    }
    b.alerts = vec![
        alert("closed-old", 1, 1_000, None),
        alert("closed-old", 2, 1_000, Some(2_000)),
        alert("closed-new", 1, 4_000, Some(8_000)),
        alert("open-old", 1, 500, None),
    ];
    b.sources.push(source("s", 1));
    s.write_batch(&b).unwrap();
    s
}

#[test]
fn prune_removes_only_older_rows() {
    let mut s = filled();
    let n = s.prune(5_000).unwrap();
    assert_eq!(
        n,
        PruneCounts {
            raw: 4,
            positions: 8,
            vessels: 4,
            alerts: 1,
            alert_revisions: 2,
        }
    );
    let c = s.counts().unwrap();
    assert_eq!(
        (
            c.raw,
            c.positions,
            c.vessels,
            c.alerts,
            c.alert_revisions,
            c.sources
        ),
        (6, 12, 6, 2, 2, 1)
    );
    assert_eq!(s.raw_since(0, 100).unwrap()[0].time_ms, 5_000);
    assert_eq!(s.track(1, 0, i64::MAX, 100).unwrap()[0].time_ms, 5_000);
    assert!(s.vessel(4).unwrap().is_none());
    assert!(s.vessel(5).unwrap().is_some());
    // The open alert is older than the cut-off but must stay.
    let ids: Vec<String> = s
        .alerts(&AlertFilter::default())
        .unwrap()
        .into_iter()
        .map(|a| a.id)
        .collect();
    assert_eq!(ids, ["closed-new", "open-old"]);
    assert!(s.alert_revisions("closed-old").unwrap().is_empty());
    // Pruning again finds nothing more.
    assert_eq!(s.prune(5_000).unwrap(), PruneCounts::default());
}

#[test]
fn retention_per_table() {
    let mut s = filled();
    let r = Retention {
        raw_before_ms: Some(9_000),
        ..Retention::default()
    };
    let n = s.prune_with(&r).unwrap();
    assert_eq!(n.raw, 8);
    let c = s.counts().unwrap();
    assert_eq!((c.raw, c.positions, c.vessels, c.alerts), (2, 20, 10, 3));
}

#[test]
fn prune_in_chunks_removes_everything_old() {
    // More rows than one prune chunk (20_000), to exercise the chunk loop.
    let mut s = SqliteStore::open_in_memory().unwrap();
    let mut b = Batch::new();
    for t in 0..45_000i64 {
        b.positions.push(position((t % 7) as u32, t));
        b.raw.push(raw(t, 0));
    }
    s.write_batch(&b).unwrap();
    let n = s.prune(44_000).unwrap();
    assert_eq!((n.raw, n.positions), (44_000, 44_000));
    let c = s.counts().unwrap();
    assert_eq!((c.raw, c.positions), (1_000, 1_000));
}
