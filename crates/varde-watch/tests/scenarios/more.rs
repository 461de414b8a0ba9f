//! Scenarios S7–S13, watch list, late data and determinism.

use super::common::*;
use varde_watch::{Alert, Config, Kind, RawLines, Report, ReportKind, StaticInfo};

pub(crate) fn research_cfg() -> Config {
    let mut cfg = Config::default();
    cfg.interest.name_patterns.push("AKADEMIK*".into());
    cfg
}

/// S7: a research vessel enters the territorial sea at 9 kn, then drifts under 2 kn for 45 min.
pub(crate) fn research_vessel() -> Ship {
    let mut s = Ship::new(273_000_007, 0, 60.5, 4.3, "AKADEMIK B. PETROV", 90);
    s.sail(75 * 60, 9.0, 90.0)
        .sail(45 * 60, 1.0, 0.0)
        .sail(20 * 60, 9.0, 270.0);
    s
}

#[test]
fn s7_research_vessel_enters_and_loiters_control_continuous_transit() {
    let mut transit = Ship::new(273_000_008, 0, 60.1, 4.8, "AKADEMIK TRANSIT", 90);
    transit.sail(2 * 3600, 10.0, 0.0);
    let e = run(
        research_cfg(),
        norway(),
        &merge(&[&research_vessel(), &transit]),
    );
    let entry = of(&e, Kind::ZoneEntry, 273_000_007);
    assert_eq!(entry.len(), 1);
    assert!(
        entry[0]
            .summary
            .contains("entered Norway's territorial sea off the mainland at 10:"),
        "{}",
        entry[0].summary
    );
    let loiter = of(&e, Kind::Loitering, 273_000_007);
    assert_eq!(loiter.len(), 1, "{loiter:#?}");
    assert_eq!(loiter[0].start, T0 + 75 * 60_000, "from the first slow fix");
    assert!(loiter[0].end.is_some(), "closed when it moved on");
    assert_eq!(
        of(&e, Kind::ZoneEntry, 273_000_008).len(),
        1,
        "the transit is still an entry"
    );
    assert!(
        of(&e, Kind::Loitering, 273_000_008).is_empty(),
        "but not loitering"
    );
}

#[test]
fn s10_state_vessel_circling_five_and_a_half_hours_control_one_turn() {
    let mut chiker = Ship::new(273_000_010, 0, 61.0, 4.8, "NIKOLAY CHIKER", 55);
    chiker.every_s = 30;
    chiker.circle(5 * 3600 + 30 * 60, 6.0, NM);
    let mut cargo = Ship::new(273_000_011, 0, 60.5, 4.8, "ONE TURN", 70);
    cargo.circle(10 * 60, 8.0, 500.0).sail(60 * 60, 12.0, 0.0);
    let e = run(Config::default(), norway(), &merge(&[&chiker, &cargo]));
    let a = of(&e, Kind::Loitering, 273_000_010);
    assert_eq!(a.len(), 1, "{a:#?}");
    assert!(
        a[0].summary.contains("circling or holding within 2 nm"),
        "{}",
        a[0].summary
    );
    assert!(a[0].summary.contains("for 5 h"), "{}", a[0].summary);
    assert!(of(&e, Kind::Loitering, 273_000_011).is_empty());
}

#[test]
fn s11_spoofed_fix_and_fix_on_land_control_clean_track() {
    let mut s = Ship::new(636_000_011, 0, 58.0, 1.5, "SPOOFED", 80);
    s.sail(10 * 60, 10.0, 0.0);
    let (lat, lon) = (s.lat, s.lon);
    s.lat += 0.5;
    s.report(10.0, 0.0);
    (s.lat, s.lon) = (lat, lon);
    s.sail(10 * 60, 10.0, 0.0);
    let mut coastal = Ship::new(257_000_012, 0, 60.5, 4.9, "COASTAL", 70);
    coastal.sail(5 * 60, 5.0, 0.0);
    coastal.lon = 5.1; // ~5.5 km inland
    coastal.report(5.0, 0.0);
    coastal.lon = 4.9;
    coastal.sail(5 * 60, 5.0, 0.0);
    let mut clean = Ship::new(257_000_013, 0, 58.2, 1.5, "CLEAN", 70);
    clean.sail(30 * 60, 10.0, 0.0);
    let e = run(Config::default(), norway(), &merge(&[&s, &coastal, &clean]));
    assert_eq!(of(&e, Kind::PositionJump, 636_000_011).len(), 1);
    assert_eq!(of(&e, Kind::PositionOnLand, 257_000_012).len(), 1);
    for k in [
        Kind::PositionJump,
        Kind::PositionOnLand,
        Kind::IdentityConflict,
    ] {
        assert!(of(&e, k, 257_000_013).is_empty());
    }
}

#[test]
fn s12_shared_mmsi_300_nm_apart_control_single_ship() {
    let mut a = Ship::new(636_017_000, 0, 58.0, 1.0, "TWIN", 70);
    a.every_s = 600;
    a.sail(3 * 3600, 10.0, 0.0);
    let mut b = Ship::new(636_017_000, 300, 63.0, 1.0, "TWIN", 70);
    b.every_s = 600;
    b.sail(3 * 3600, 10.0, 180.0);
    let mut single = Ship::new(636_017_001, 0, 58.5, 1.0, "SINGLE", 70);
    single.every_s = 600;
    single.sail(3 * 3600, 10.0, 0.0);
    let e = run(Config::default(), norway(), &merge(&[&a, &b, &single]));
    let c = of(&e, Kind::IdentityConflict, 636_017_000);
    assert_eq!(c.len(), 1, "one revised alert: {c:#?}");
    assert!(c[0].summary.contains("two places"), "{}", c[0].summary);
    assert!(of(&e, Kind::IdentityConflict, 636_017_001).is_empty());
}

pub(crate) fn pair(m1: u32, m2: u32, lat: f64, lon: f64) -> (Ship, Ship) {
    let mut a = Ship::new(m1, 0, lat, lon, "TANKER A", 80);
    let mut b = Ship::new(m2, 5, lat + 0.00135, lon, "TANKER B", 80); // 150 m north
    for s in [&mut a, &mut b] {
        s.every_s = 60;
        s.sail(3 * 3600, 0.3, 45.0);
    }
    (a, b)
}

#[test]
fn s13_shadow_fleet_sts_control_bunkering_in_anchorage() {
    let (a, b) = pair(273_000_021, 273_000_022, 59.5, 3.45);
    let (c, d) = pair(273_000_023, 273_000_024, 59.5, 4.0);
    let e = run(Config::default(), norway(), &merge(&[&a, &b, &c, &d]));
    let r = of(&e, Kind::Rendezvous, 273_000_021);
    assert_eq!(r.len(), 1, "{r:#?}");
    assert!(r[0].related_mmsi == [273_000_022] || r[0].mmsi == 273_000_022);
    assert!(r[0].end.is_none(), "still together at the end of the data");
    assert!(
        of(&e, Kind::Rendezvous, 273_000_023).is_empty(),
        "inside the anchorage"
    );
}

fn with_imo(mmsi: u32, imo: u32) -> Report {
    let info = StaticInfo {
        imo: Some(imo),
        name: Some("LISTED".into()),
        ship_type: Some(80),
        ..Default::default()
    };
    let raw = RawLines::from_lines(["!AIVDM,2,1,1,A,5...,0*00", "!AIVDM,2,2,1,A,...,2*00"]);
    Report {
        time_ms: T0 + 1000,
        mmsi,
        source: Some("station-1".into()),
        kind: ReportKind::Static(info),
        raw,
    }
}

#[test]
fn watchlist_by_imo_control_unlisted() {
    let mut cfg = Config::default();
    cfg.watchlist.imo.insert(9_329_760);
    let mut listed = Ship::new(636_000_031, 0, 58.0, 1.0, "LISTED", 80);
    listed.sail(600, 10.0, 0.0);
    let mut other = Ship::new(636_000_032, 0, 58.1, 1.0, "OTHER", 80);
    other.sail(600, 10.0, 0.0);
    let mut reports = merge(&[&listed, &other]);
    reports.push(with_imo(636_000_031, 9_329_760));
    reports.push(with_imo(636_000_032, 9_000_001));
    reports.sort_by_key(|r| (r.time_ms, r.mmsi));
    let e = run(cfg, norway(), &reports);
    let w = of(&e, Kind::Watchlist, 636_000_031);
    assert_eq!(w.len(), 1);
    assert!(w[0].summary.contains("listed by IMO"), "{}", w[0].summary);
    assert!(
        w[0].evidence_lines().any(|l| l.contains("5...")),
        "multi-sentence evidence kept"
    );
    assert!(of(&e, Kind::Watchlist, 636_000_032).is_empty());
}

/// A rendezvous names both vessels, so the next alert of either joins its incident — also on a
/// cluster node that holds only one of the two (the split check in [`run`] follows the recording
/// engine's incident changes).
#[test]
fn an_alert_after_a_rendezvous_joins_its_incident_in_one_engine_and_split() {
    let mut a = Ship::new(273_000_021, 0, 60.5, 4.3, "TANKER A", 80);
    // A foreign state vessel: of interest in the territorial sea.
    let mut b = Ship::new(273_000_022, 5, 60.501_35, 4.3, "STATE SHIP", 35);
    for s in [&mut a, &mut b] {
        s.every_s = 60;
        s.sail(3 * 3600, 0.3, 45.0);
    }
    // Then B heads east into the territorial sea (lon 4.6).
    b.sail(3600, 12.0, 90.0);
    let e = run(Config::default(), norway(), &merge(&[&a, &b]));
    let r = of(&e, Kind::Rendezvous, 273_000_022);
    assert_eq!(r.len(), 1, "{r:#?}");
    let later: Vec<Alert> = e
        .alerts()
        .into_iter()
        .filter(|x| x.mmsi == 273_000_022 && x.kind != Kind::Rendezvous)
        .cloned()
        .collect();
    assert!(!later.is_empty(), "B raises something after the meeting");
    for x in &later {
        assert_eq!(x.incident, r[0].incident, "{x:#?}");
    }
}
