//! Round trips of every record type and filter through the SQLite store.

mod common;

use common::*;
use varde_store::{BBox, Batch, SqliteStore, Store, StoreError, VesselFilter, VesselRecord};

fn store() -> SqliteStore {
    SqliteStore::open_in_memory().unwrap()
}

fn write(s: &mut SqliteStore, f: impl FnOnce(&mut Batch)) {
    let mut b = Batch::new();
    f(&mut b);
    s.write_batch(&b).unwrap();
}

#[test]
fn vessel_round_trip_full_and_sparse() {
    let mut s = store();
    let full = full_vessel(257_000_001, 1_000);
    let sparse = VesselRecord {
        mmsi: 257_000_002,
        last_seen_ms: 2_000,
        ..VesselRecord::default()
    };
    write(&mut s, |b| b.vessels = vec![full.clone(), sparse.clone()]);
    assert_eq!(s.vessel(257_000_001).unwrap(), Some(full));
    assert_eq!(s.vessel(257_000_002).unwrap(), Some(sparse));
    assert_eq!(s.vessel(1).unwrap(), None);
}

#[test]
fn vessel_upsert_keeps_newest() {
    let mut s = store();
    let old = vessel_at(1, 60.0, 5.0, 1_000);
    let new = vessel_at(1, 61.0, 6.0, 2_000);
    write(&mut s, |b| b.vessels = vec![old.clone()]);
    write(&mut s, |b| b.vessels = vec![new.clone()]);
    assert_eq!(s.vessel(1).unwrap(), Some(new.clone()));
    // A replayed older state must not move the picture back.
    write(&mut s, |b| b.vessels = vec![old]);
    assert_eq!(s.vessel(1).unwrap(), Some(new));
    assert_eq!(s.counts().unwrap().vessels, 1);
}

#[test]
fn vessel_filters() {
    let mut s = store();
    write(&mut s, |b| {
        b.vessels = vec![
            vessel_at(1, 60.0, 5.0, 1_000),  // Bergen
            vessel_at(2, 69.6, 18.9, 3_000), // Tromsø
            vessel_at(3, 59.9, 10.7, 2_000), // Oslo
            vessel_at(4, 0.0, 179.5, 4_000), // near the antimeridian
            VesselRecord {
                mmsi: 5,
                last_seen_ms: 5_000,
                ..VesselRecord::default()
            },
        ]
    });
    let mmsis =
        |f: VesselFilter| -> Vec<u32> { s.vessels(&f).unwrap().iter().map(|v| v.mmsi).collect() };
    assert_eq!(mmsis(VesselFilter::default()), vec![5, 4, 2, 3, 1]);
    let south_norway = BBox::new(58.0, 4.0, 61.0, 12.0);
    let boxed = VesselFilter {
        bbox: Some(south_norway),
        ..VesselFilter::default()
    };
    assert_eq!(mmsis(boxed), vec![3, 1]);
    let recent = VesselFilter {
        since_ms: Some(2_000),
        ..boxed
    };
    assert_eq!(mmsis(recent), vec![3]);
    let limited = VesselFilter {
        limit: Some(2),
        ..VesselFilter::default()
    };
    assert_eq!(mmsis(limited), vec![5, 4]);
    let wrap = VesselFilter {
        bbox: Some(BBox::new(-1.0, 170.0, 1.0, -170.0)),
        ..VesselFilter::default()
    };
    assert_eq!(mmsis(wrap), vec![4]);
}

#[test]
fn track_window_order_limit_and_dedup() {
    let mut s = store();
    write(&mut s, |b| {
        // Written out of order, with another vessel interleaved.
        for t in [5, 1, 3, 2, 4] {
            b.positions.push(position(7, t * 1_000));
            b.positions.push(position(8, t * 1_000));
        }
    });
    let times = |from, to, limit| -> Vec<i64> {
        s.track(7, from, to, limit)
            .unwrap()
            .iter()
            .map(|p| p.time_ms)
            .collect()
    };
    assert_eq!(
        times(0, 10_000, 100),
        vec![1_000, 2_000, 3_000, 4_000, 5_000]
    );
    assert_eq!(times(2_000, 4_000, 100), vec![2_000, 3_000, 4_000]);
    // The limit keeps the recent end of the track.
    assert_eq!(times(0, 10_000, 2), vec![4_000, 5_000]);
    assert_eq!(
        s.track(7, 1_000, 1_000, 1).unwrap(),
        vec![position(7, 1_000)]
    );

    // Same vessel and millisecond again (second receiver, or replay): kept once.
    let mut dup = position(7, 1_000);
    dup.source = Some("other".into());
    write(&mut s, |b| b.positions = vec![dup]);
    assert_eq!(
        s.track(7, 1_000, 1_000, 10).unwrap(),
        vec![position(7, 1_000)]
    );
    assert_eq!(s.counts().unwrap().positions, 10);
}

#[test]
fn sparse_position_round_trip() {
    let mut s = store();
    let p = varde_store::PositionRecord {
        mmsi: 9,
        time_ms: -5,
        lat: -33.5,
        lon: -70.25,
        ..Default::default()
    };
    write(&mut s, |b| b.positions = vec![p.clone()]);
    assert_eq!(s.track(9, i64::MIN, i64::MAX, usize::MAX).unwrap(), vec![p]);
}

#[test]
fn raw_journal_order_and_limit() {
    let mut s = store();
    write(&mut s, |b| {
        b.raw = vec![raw(3_000, 0), raw(1_000, 1), raw(3_000, 2)]
    });
    write(&mut s, |b| b.raw = vec![raw(2_000, 3), raw(3_000, 4)]);
    // Ascending time; ties in write order.
    assert_eq!(
        s.raw_since(2_000, 100).unwrap(),
        vec![raw(2_000, 3), raw(3_000, 0), raw(3_000, 2), raw(3_000, 4)]
    );
    assert_eq!(s.raw_since(0, 1).unwrap(), vec![raw(1_000, 1)]);
    assert_eq!(s.raw_since(3_001, 10).unwrap(), vec![]);
}

#[test]
fn sources_round_trip_and_replace() {
    let mut s = store();
    write(&mut s, |b| {
        b.sources = vec![source("b", 10), source("a", 1)]
    });
    write(&mut s, |b| b.sources = vec![source("b", i64::MAX as u64)]);
    let got = s.sources().unwrap();
    assert_eq!(got, vec![source("a", 1), source("b", i64::MAX as u64)]);
}

#[test]
fn failing_batch_stores_nothing() {
    let mut s = store();
    let mut b = Batch::new();
    b.raw.push(raw(1, 0));
    b.positions.push(position(1, 1));
    b.vessels.push(full_vessel(1, 1));
    b.alerts.push(alert("a", 1, 1, None));
    b.sources.push(source("ok", 1));
    b.sources.push(source("too-big", u64::MAX)); // fails last
    let err = s.write_batch(&b).unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::OutOfRange {
                field: "reports",
                ..
            }
        ),
        "{err}"
    );
    assert_eq!(s.counts().unwrap(), varde_store::Counts::default());
}

#[test]
fn counts_every_table() {
    let mut s = store();
    write(&mut s, |b| {
        b.raw = vec![raw(1, 0), raw(2, 1)];
        b.positions = vec![position(1, 1), position(1, 2), position(2, 1)];
        b.vessels = vec![full_vessel(1, 1)];
        b.alerts = vec![alert("a", 1, 1, None), alert("a", 2, 1, Some(5))];
        b.sources = vec![source("x", 1)];
    });
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
        (2, 3, 1, 1, 2, 1)
    );
}
