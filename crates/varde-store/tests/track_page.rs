//! Forward track pages (`Store::track_page`) and the vessels with a track in a window
//! (`Store::tracked_vessels`), over sealed chunks and the tail together, across gaps of weeks
//! (many chunk spans with no point), through the writer and a read-only connection.

mod common;

use varde_store::{Batch, PositionRecord, Retention, SqliteStore, Store};

const HOUR: i64 = 3_600_000;
const DAY: i64 = 24 * HOUR;
const T0: i64 = 1_764_000_000_000;

/// A point of `mmsi` at `t`, its latitude moving with time.
fn position(mmsi: u32, t: i64) -> PositionRecord {
    PositionRecord {
        lat: 60.0 + (t - T0) as f64 * 1e-9,
        ..common::position(mmsi, t)
    }
}

/// Every point of `mmsi` in `[from, to]`, read two at a time from just after the last one.
fn paged(s: &dyn Store, mmsi: u32, from: i64, to: i64, page: usize) -> Vec<PositionRecord> {
    let mut out = Vec::new();
    let mut next = from;
    loop {
        let got = s.track_page(mmsi, next, to, page).unwrap();
        assert!(got.len() <= page);
        let Some(last) = got.last() else { break };
        next = last.time_ms + 1;
        out.extend(got);
    }
    out
}

#[test]
fn pages_walk_chunks_and_tail_across_long_gaps() {
    let dir = tempfile::tempdir().unwrap();
    let mut w = SqliteStore::open(dir.path()).unwrap();
    let r = SqliteStore::open_reader(dir.path()).unwrap();
    // Vessel 1: bursts of 30 points a minute apart every 9 days; vessel 2 only on day 20; 3 never.
    let burst = |b: &mut Batch, mmsi: u32, start: i64| {
        for i in 0..30 {
            b.positions.push(position(mmsi, start + i * 60_000));
        }
    };
    let mut old = Batch::new();
    for k in 0..3 {
        burst(&mut old, 1, T0 + k * 9 * DAY);
    }
    w.write_batch(&old).unwrap();
    // A prune with nothing to remove seals the tail into chunks.
    let nothing = Retention {
        positions_before_ms: Some(0),
        ..Retention::default()
    };
    w.prune_with(&nothing).unwrap();
    let mut new = Batch::new();
    burst(&mut new, 1, T0 + 27 * DAY);
    burst(&mut new, 2, T0 + 20 * DAY);
    // Already stored (chunked): the stored points are kept.
    let mut dup = position(1, T0);
    dup.lat += 1.0;
    new.positions.push(dup);
    w.write_batch(&new).unwrap();

    for s in [&w as &dyn Store, &r as &dyn Store] {
        let whole = s.track(1, i64::MIN, i64::MAX, usize::MAX).unwrap();
        assert_eq!(whole.len(), 120);
        assert_eq!(whole[0], position(1, T0));
        for page in [1, 7, 30, 1_000] {
            assert_eq!(paged(s, 1, i64::MIN, i64::MAX, page), whole, "page {page}");
        }
        // A window inside the third burst and one running into the tail.
        let (from, to) = (T0 + 18 * DAY + 5 * 60_000, T0 + 27 * DAY + 10 * 60_000);
        let want: Vec<_> = whole
            .iter()
            .filter(|p| (from..=to).contains(&p.time_ms))
            .cloned()
            .collect();
        assert_eq!(want.len(), 25 + 11);
        assert_eq!(paged(s, 1, from, to, 4), want);
        assert_eq!(s.track_page(1, from, to, 3).unwrap(), want[..3].to_vec());
        assert!(s.track_page(1, to, from, 3).unwrap().is_empty());
        assert!(s.track_page(3, i64::MIN, i64::MAX, 3).unwrap().is_empty());

        assert_eq!(s.tracked_vessels(i64::MIN, i64::MAX).unwrap(), vec![1, 2]);
        assert_eq!(s.tracked_vessels(from, to).unwrap(), vec![1, 2]);
        // Between the bursts: vessel 1's chunk spans no point there.
        let gap = (T0 + 2 * DAY, T0 + 8 * DAY);
        assert!(s.tracked_vessels(gap.0, gap.1).unwrap().is_empty());
        // Inside a chunk's span but between two of its points.
        let between = (T0 + 9 * DAY + 1, T0 + 9 * DAY + 59_999);
        assert!(s.tracked_vessels(between.0, between.1).unwrap().is_empty());
        assert_eq!(
            s.tracked_vessels(T0 + 20 * DAY, T0 + 21 * DAY).unwrap(),
            vec![2]
        );
    }
}
