//! The incidents of `DETECTION.md` (research §7), each with a negative control, replayed in event time
//! through the public API over a synthetic Norway-like geography.

mod common;

use common::*;
use varde_watch::{Config, Kind, Severity};

/// S1 Eagle S: 8.5 kn → 6.3 kn with no course change over a cable, near-stop, 90-min gap, 7.5 kn on.
fn eagle_s(mmsi: u32, lon: f64, incident: bool) -> Ship {
    let mut s = Ship::new(mmsi, 0, 58.55, lon, "EAGLE S", 80);
    s.every_s = 30;
    s.sail(160 * 60, 8.5, 0.0);
    if !incident {
        s.sail(150 * 60, 8.5, 0.0);
        return s;
    }
    s.sail(35 * 60, 6.3, 0.0)
        .sail(8 * 60, 0.5, 0.0)
        .dark(90 * 60, 5.0, 0.0)
        .sail(60 * 60, 7.5, 0.0);
    s
}

#[test]
fn s1_eagle_s_speed_anomaly_and_gap_over_cable_control_constant_speed() {
    let (ship, control) = (
        eagle_s(518_998_000, 6.0, true),
        eagle_s(518_998_001, 6.2, false),
    );
    let e = run(Config::default(), norway(), &merge(&[&ship, &control]));
    let anomaly = of(&e, Kind::InfrastructureSpeedAnomaly, 518_998_000);
    assert_eq!(anomaly.len(), 1, "{anomaly:#?}");
    assert_eq!(anomaly[0].asset.as_ref().map(|a| &*a.id), Some("cable-a"));
    assert_eq!(
        anomaly[0].severity,
        Severity::High,
        "near-stop over the cable raises it"
    );
    assert!(
        anomaly[0]
            .summary
            .contains("EAGLE S (CK, MMSI 518998000) slowed to"),
        "{}",
        anomaly[0].summary
    );
    let gap = of(&e, Kind::AisGap, 518_998_000);
    assert_eq!(gap.len(), 1);
    assert_eq!(
        (gap[0].severity, gap[0].asset.as_ref().map(|a| &*a.id)),
        (Severity::High, Some("cable-a"))
    );
    assert!(gap[0].summary.contains("1 h 30 min"), "{}", gap[0].summary);
    for k in [
        Kind::InfrastructureSpeedAnomaly,
        Kind::AisGap,
        Kind::InfrastructureLoiter,
    ] {
        assert!(of(&e, k, 518_998_001).is_empty(), "control fired {k:?}");
    }
}

/// S2 Newnew Polar Bear: 11 kn, 9.5 kn for 5 min exactly over a pipeline, back to 11 kn.
fn polar_bear(mmsi: u32, lat: f64, lon: f64, before_min: i64) -> Ship {
    let mut s = Ship::new(mmsi, 0, lat, lon, "NEWNEW POLAR BEAR", 71);
    s.sail(before_min * 60, 11.0, 90.0)
        .sail(5 * 60, 9.5, 90.0)
        .sail(60 * 60, 11.0, 90.0);
    s
}

#[test]
fn s2_newnew_polar_bear_dip_over_pipeline_control_20_km_away() {
    let ship = polar_bear(477_000_001, 57.5, 2.0, 172);
    let control = polar_bear(477_000_002, 57.0, 0.5, 60);
    let e = run(Config::default(), norway(), &merge(&[&ship, &control]));
    let a = of(&e, Kind::InfrastructureSpeedAnomaly, 477_000_001);
    assert_eq!(a.len(), 1, "{a:#?}");
    assert_eq!(a[0].asset.as_ref().map(|a| &*a.id), Some("pipe-b"));
    assert!(a[0].end.is_some(), "closed when speed recovered");
    assert!(of(&e, Kind::InfrastructureSpeedAnomaly, 477_000_002).is_empty());
}

#[test]
fn s3_yi_peng_3_drift_near_cable_control_pilot_boarding_away_from_assets() {
    let mut s = Ship::new(414_270_000, 0, 58.7, 5.0, "YI PENG 3", 70);
    s.every_s = 30;
    s.sail(105 * 60, 10.0, 0.0); // to ~58.992, 0.5 nm south of the cable
    s.sail(15 * 60, 2.0, 0.0)
        .sail(8 * 60, 2.5, 180.0)
        .dark(25 * 60, 1.0, 0.0);
    s.sail(15 * 60, 1.5, 0.0)
        .sail(15 * 60, 2.5, 180.0)
        .sail(30 * 60, 10.0, 270.0);
    let mut pilot = Ship::new(414_000_009, 0, 58.0, 7.0, "PILOT BOARDING", 70);
    pilot
        .sail(30 * 60, 10.0, 0.0)
        .sail(20 * 60, 2.0, 0.0)
        .sail(30 * 60, 10.0, 0.0);
    let e = run(Config::default(), norway(), &merge(&[&s, &pilot]));
    let a = of(&e, Kind::InfrastructureLoiter, 414_270_000);
    assert_eq!(a.len(), 1, "{a:#?}");
    assert_eq!(a[0].asset.as_ref().map(|a| &*a.id), Some("cable-a"));
    assert!(of(&e, Kind::InfrastructureLoiter, 414_000_009).is_empty());
    assert!(of(&e, Kind::InfrastructureSpeedAnomaly, 414_000_009).is_empty());
}

/// S4 Svalbard cable: a trawler's legs north and south across (or beside) the cable at lat 77.0.
fn trawler(mmsi: u32, lat: f64) -> Ship {
    let mut s = Ship::new(mmsi, 0, lat - 0.025, 10.0, "MELKART 5", 30);
    s.every_s = 60;
    s.status = 7;
    for leg in 0..6 {
        s.sail(45 * 60, 4.0, if leg % 2 == 0 { 0.0 } else { 180.0 });
    }
    s
}

#[test]
fn s4_svalbard_trawler_crossing_cable_control_fishing_10_km_away() {
    let e = run(
        Config::default(),
        norway(),
        &merge(&[&trawler(273_000_005, 77.0), &trawler(273_000_006, 77.15)]),
    );
    let a = of(&e, Kind::InfrastructureLoiter, 273_000_005);
    assert_eq!(a.len(), 1, "{a:#?}");
    assert!(
        a[0].summary.contains("crossed Svalbard cable 1"),
        "{}",
        a[0].summary
    );
    assert!(of(&e, Kind::InfrastructureLoiter, 273_000_006).is_empty());
}

/// S6 Nord Stream: silent 26 h near a pipeline under terrestrial coverage, reappears 40 nm away.
fn nord_stream() -> Ship {
    let mut s = Ship::new(636_000_001, 0, 57.5, 2.85, "DARK ONE", 70);
    s.sail(30 * 60, 5.0, 0.0)
        .dark(26 * 3600, 40.0 / 26.0, 300.0)
        .sail(10 * 60, 5.0, 0.0);
    s
}

#[test]
fn s6_nord_stream_gap_near_pipeline_control_satellite_only_arctic() {
    let mut arctic = Ship::new(257_000_077, 0, 78.0, 25.0, "ARCTIC", 70);
    arctic
        .sail(30 * 60, 5.0, 0.0)
        .dark(4 * 3600, 5.0, 0.0)
        .sail(10 * 60, 5.0, 0.0);
    let e = run(
        Config::default(),
        norway(),
        &merge(&[&nord_stream(), &arctic]),
    );
    let a = of(&e, Kind::AisGap, 636_000_001);
    assert_eq!(a.len(), 1);
    assert_eq!(
        (a[0].severity, a[0].asset.as_ref().map(|a| &*a.id)),
        (Severity::High, Some("pipe-b"))
    );
    assert!(
        a[0].summary.contains("26 h 00 min") && a[0].summary.contains("40.0 nm"),
        "{}",
        a[0].summary
    );
    assert!(a[0].summary.contains("implied 1.5 kn"), "{}", a[0].summary);
    assert!(
        of(&e, Kind::AisGap, 257_000_077).is_empty(),
        "4 h < 3 missed satellite passes"
    );
}

#[path = "scenarios/more.rs"]
mod more;
#[path = "scenarios/replay.rs"]
mod replay;
