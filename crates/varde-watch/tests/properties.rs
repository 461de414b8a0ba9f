//! Properties over random traffic: duplicates heard by a second station change nothing, and the output
//! does not depend on anything but the input.

mod common;

use common::*;
use proptest::prelude::*;
use varde_watch::{Config, RawLines, Report, ReportKind};

/// A few vessels on random legs (speeds 0–20 kn, some slow, some silent) near the fixture's assets.
fn traffic(legs: &[(u8, u8, u16, u8)]) -> Vec<Report> {
    let mut ships: Vec<Ship> = (0..4u32)
        .map(|i| {
            let mut s = Ship::new(
                273_200_000 + i,
                0,
                58.9 + f64::from(i) * 0.02,
                2.9 + f64::from(i) * 0.05,
                "RANDOM",
                70,
            );
            s.every_s = 60;
            s
        })
        .collect();
    for (k, &(who, speed, cog, minutes)) in legs.iter().enumerate() {
        let s = &mut ships[usize::from(who % 4)];
        let secs = i64::from(minutes % 90 + 1) * 60;
        if k % 7 == 6 {
            s.dark(secs, f32::from(speed % 12), f32::from(cog % 360));
        } else {
            s.sail(secs, f32::from(speed % 21), f32::from(cog % 360));
        }
    }
    let refs: Vec<&Ship> = ships.iter().collect();
    merge(&refs)
}

/// With the split check of [`run`]: two engines of half the vessels each, following a recording
/// engine, raise this random traffic's alerts too.
fn jsonl(reports: &[Report]) -> String {
    run(Config::default(), norway(), reports).alerts_jsonl()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn a_second_station_hearing_the_same_fixes_changes_no_alert(
        legs in prop::collection::vec((any::<u8>(), any::<u8>(), any::<u16>(), any::<u8>()), 4..24),
        every in 1usize..5,
    ) {
        let reports = traffic(&legs);
        let mut doubled = Vec::new();
        for (i, r) in reports.iter().enumerate() {
            doubled.push(r.clone());
            if i % every == 0 && matches!(r.kind, ReportKind::Position(_)) {
                let raw = RawLines::from(format!("\\s:other*00\\{}", String::from_utf8_lossy(r.raw.as_bytes())));
                doubled.push(Report { source: Some("other".into()), raw, ..r.clone() });
            }
        }
        prop_assert_eq!(jsonl(&reports), jsonl(&doubled));
    }

    #[test]
    fn same_input_same_output(legs in prop::collection::vec((any::<u8>(), any::<u8>(), any::<u16>(), any::<u8>()), 4..24)) {
        let reports = traffic(&legs);
        prop_assert_eq!(jsonl(&reports), jsonl(&reports));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// A restart from a snapshot taken anywhere continues exactly as the engine that never stopped:
    /// same alerts, ids, revisions, open or closed, and counters.
    #[test]
    fn an_engine_restored_from_a_snapshot_continues_as_the_one_that_never_stopped(
        legs in prop::collection::vec((any::<u8>(), any::<u8>(), any::<u16>(), any::<u8>()), 4..24),
        cut in 0.0f64..1.0,
    ) {
        let reports = traffic(&legs);
        let at = ((reports.len() as f64) * cut) as usize;
        let mut whole = varde_watch::Engine::new(Config::default(), norway()).unwrap();
        let mut events_whole = Vec::new();
        for r in &reports {
            events_whole.extend(whole.process(r));
        }
        let mut first = varde_watch::Engine::new(Config::default(), norway()).unwrap();
        let mut events_split = Vec::new();
        for r in &reports[..at] {
            events_split.extend(first.process(r));
        }
        let blob = first.snapshot().unwrap();
        drop(first);
        let mut second = varde_watch::Engine::new(Config::default(), norway()).unwrap();
        second.load_snapshot(&blob).unwrap();
        for r in &reports[at..] {
            events_split.extend(second.process(r));
        }
        prop_assert_eq!(events_whole, events_split);
        prop_assert_eq!(whole.alerts_jsonl(), second.alerts_jsonl());
        prop_assert_eq!(whole.counters(), second.counters());
        // Taken again, the snapshot is the same bytes: nothing was lost or invented on the way.
        prop_assert_eq!(whole.snapshot().unwrap(), second.snapshot().unwrap());
    }
}

#[test]
fn a_flood_of_distinct_mmsis_is_capped_and_tracked_vessels_are_kept() {
    let mut cfg = Config::default();
    cfg.track.max_vessels = 50;
    let mut e = varde_watch::Engine::new(cfg, norway()).unwrap();
    let mut ship = Ship::new(257_100_000, 0, 59.5, 3.0, "KEPT", 70);
    ship.sail(600, 10.0, 0.0);
    let early: Vec<Report> = ship.out.drain(..).collect();
    e.process(&early[0]);
    // 10,000 spoofed MMSIs, one report each.
    for k in 0..10_000u32 {
        let mut r = early[0].clone();
        r.mmsi = 211_000_000 + k;
        e.process(&r);
    }
    assert_eq!(e.picture().len(), 50);
    assert_eq!(e.counters().vessels_refused, 10_000 - 49);
    // The vessel tracked before the flood still is.
    for r in &early[1..] {
        e.process(r);
    }
    let last = early.last().unwrap().time_ms;
    assert_eq!(e.picture().get(257_100_000).unwrap().last_seen_ms, last);
}
