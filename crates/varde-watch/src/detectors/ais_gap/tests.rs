use crate::alert::Kind;
use crate::detectors::testkit::*;

#[test]
fn silence_under_coverage_is_a_gap_and_steady_reporting_is_not() {
    let mut k = Kit::new(cfg(), open_sea());
    for i in 0..10 {
        k.pos(
            257_000_001,
            i * 10,
            60.0,
            3.0 + i as f64 * 0.0001,
            10.0,
            90.0,
        );
        k.pos(257_000_002, i * 10, 61.0, 3.0, 10.0, 90.0);
    }
    // The other vessel goes on reporting through the silence: the feed is up.
    for i in 0..120 {
        k.pos(257_000_002, 100 + i * 10, 61.0, 3.0, 10.0, 90.0);
    }
    k.pos(257_000_001, 90 + 20 * 60, 60.0, 3.07, 10.0, 90.0);
    let a = k.alerts_of(Kind::AisGap);
    assert_eq!(a.len(), 1);
    assert_eq!(a[0].mmsi, 257_000_001);
    assert!(a[0].summary.contains("20 min"), "{}", a[0].summary);
    assert_eq!(
        a[0].evidence.len(),
        2,
        "the last report before and the first after"
    );
}

#[test]
fn satellite_only_area_needs_three_missed_passes() {
    let geo =
        open_sea().with_satellite_only(&[(74.0, 0.0), (74.0, 40.0), (82.0, 40.0), (82.0, 0.0)]);
    let mut k = Kit::new(cfg(), geo);
    k.pos(257_000_001, 0, 76.0, 20.0, 10.0, 0.0);
    k.pos(257_000_001, 4 * 3600, 76.5, 20.0, 10.0, 0.0);
    assert!(k.alerts_of(Kind::AisGap).is_empty(), "4 h < 3 passes");
    k.pos(257_000_001, 9 * 3600, 77.0, 20.0, 10.0, 0.0);
    assert_eq!(k.alerts_of(Kind::AisGap).len(), 1, "5 h > 4.5 h");
}

#[test]
fn late_report_inside_gap_revises_it_with_the_same_id() {
    let mut k = Kit::new(cfg(), open_sea());
    k.pos(257_000_001, 0, 60.0, 3.0, 10.0, 0.0);
    k.pos(257_000_001, 3600, 60.1, 3.0, 10.0, 0.0);
    let id = k.alerts_of(Kind::AisGap)[0].id.clone();
    k.pos(257_000_001, 1800, 60.05, 3.0, 10.0, 0.0);
    let a = k.alerts_of(Kind::AisGap);
    assert_eq!(
        a.len(),
        2,
        "the gap is split in two, the first keeps its id"
    );
    assert_eq!(
        (a[0].id.as_str(), a[0].end),
        (id.as_str(), Some(T0 + 1_800_000))
    );
    assert_eq!(
        (a[1].start, a[1].end),
        (T0 + 1_800_000, Some(T0 + 3_600_000))
    );
    k.pos(257_000_001, 300, 60.01, 3.0, 10.0, 0.0);
    let a = k.alerts_of(Kind::AisGap);
    assert!(
        a.iter().all(|a| a.id != id),
        "5 min of silence is no gap: retracted"
    );
    assert_eq!(
        a.iter().map(|a| a.start).collect::<Vec<_>>(),
        vec![T0 + 300_000, T0 + 1_800_000]
    );
}

/// A satellite-only track (one report per pass, 90 min apart, one missed pass) where the geography
/// assumes terrestrial coverage: the receiving station says "satellite", so 3 h of silence is normal.
/// The same cadence heard through a coastal station is a string of gaps.
#[test]
fn satellite_receiver_means_satellite_thresholds() {
    let mut k = Kit::new(cfg(), open_sea());
    let passes = [0, 90, 180, 360, 450]; // minutes: the 180 -> 360 silence is one missed pass (3 h)
    for (mmsi, station) in [(273_000_001, "rNORSAT3"), (273_000_002, "2573345")] {
        k.source = Some(station.into());
        for (i, m) in passes.iter().enumerate() {
            k.pos(mmsi, m * 60, 77.0 + i as f64 * 0.2, 31.0, 10.0, 0.0);
        }
    }
    let a = k.alerts_of(Kind::AisGap);
    assert!(a.iter().all(|a| a.mmsi == 273_000_002), "{a:#?}");
    assert_eq!(a.len(), 4, "terrestrial control: every silence is a gap");

    // Past the satellite threshold (3 missed passes, 4.5 h) a satellite-heard vessel does raise a gap.
    let mut k = Kit::new(cfg(), open_sea());
    k.source = Some("rORBCOMM008".into());
    k.pos(273_000_003, 0, 77.0, 31.0, 10.0, 0.0);
    k.pos(273_000_003, 5 * 3600, 77.8, 31.0, 10.0, 0.0);
    assert_eq!(k.alerts_of(Kind::AisGap).len(), 1);
}

#[test]
fn satellite_station_ids() {
    let c = crate::config::AisGapConfig::default();
    for s in ["rORBCOMM008", "rEV02", "rNORSAT3", "rnorsat1"] {
        assert!(c.is_satellite_source(s), "{s}");
    }
    for s in ["2573345", "43255", "b003669710", "r003669945"] {
        assert!(!c.is_satellite_source(s), "{s}");
    }
}

/// Six vessels heard through one station every 10 s; the station delivers nothing from 10 min to
/// 80 min. `dark`: instead of the station failing, vessel 1 alone falls silent while the rest go on.
fn outage_or_dark(dark: bool, live: bool) -> Vec<crate::alert::Alert> {
    let mut c = cfg();
    c.ais_gap.live_near_assets = live;
    let mut k = Kit::new(c, cables());
    k.source = Some("2573485".into());
    for t in (0..2 * 3600).step_by(10) {
        for n in 0..6u32 {
            let quiet = (600..4800).contains(&t) && (!dark || n == 0);
            if !quiet {
                let lon = 9.5 + f64::from(n) * 0.05 + t as f64 * 0.00005;
                k.pos(257_100_000 + n, t, 58.005, lon, 10.0, 90.0);
            }
        }
    }
    k.engine.finish(T0 + 2 * 3_600_000);
    k.alerts_of(Kind::AisGap)
}

#[test]
fn a_station_outage_is_not_six_dark_vessels_in_replay_or_live() {
    for live in [false, true] {
        let a = outage_or_dark(false, live);
        assert!(a.is_empty(), "live={live}: {a:#?}");
    }
}

#[test]
fn one_vessel_silent_while_its_station_hears_the_others_is_a_gap_in_replay_and_live() {
    for live in [false, true] {
        let a = outage_or_dark(true, live);
        assert_eq!(a.len(), 1, "live={live}: {a:#?}");
        assert_eq!(a[0].mmsi, 257_100_000);
        assert!(a[0].end.is_some(), "closed on reappearance");
    }
}
