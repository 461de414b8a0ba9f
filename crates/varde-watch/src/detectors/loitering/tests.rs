use crate::alert::Kind;
use crate::detectors::testkit::*;

#[test]
fn drifting_foreign_vessel_fires_at_30_min_and_transit_does_not() {
    let mut k = Kit::new(cfg(), coast());
    k.stat(273_000_001, 0, "DRIFTER", 90);
    k.stat(273_000_002, 0, "TRANSIT", 70);
    for i in 0..40 {
        let t = i64::from(i) * 60;
        k.pos(273_000_001, t, 60.5, 4.6 + f64::from(i) * 0.0002, 1.0, 90.0);
        k.pos(273_000_002, t, 60.4, 4.4 + f64::from(i) * 0.006, 10.0, 90.0);
    }
    let a = k.alerts_of(Kind::Loitering);
    assert_eq!(a.len(), 1, "{a:#?}");
    assert_eq!((a[0].mmsi, a[0].start), (273_000_001, T0));
}

#[test]
fn noise_above_the_threshold_does_not_reset_a_slow_run() {
    let mut k = Kit::new(cfg(), coast());
    k.stat(273_000_001, 0, "DRIFTER", 90);
    k.stat(273_000_002, 0, "SLOWISH", 90);
    for i in 0..60 {
        let t = i64::from(i) * 60;
        // Mostly 0.5–1.8 kn, every 6th minute 2.6 kn: the per-fix rule restarts every 6 minutes.
        let v = if i % 6 == 5 {
            2.6
        } else {
            0.5 + (i % 5) as f32 * 0.3
        };
        k.pos(273_000_001, t, 60.5, 4.6 + f64::from(i) * 0.0003, v, 90.0);
        // Control: steady 2.6 kn with an occasional slow fix is moving on.
        let w = if i % 6 == 5 { 1.0 } else { 2.6 };
        k.pos(273_000_002, t, 60.4, 4.4 + f64::from(i) * 0.0013, w, 90.0);
    }
    let a = k.alerts_of(Kind::Loitering);
    assert_eq!(a.len(), 1, "{a:#?}");
    assert_eq!((a[0].mmsi, a[0].start), (273_000_001, T0));
}

/// Internal waters (lon 4.8–5.0 inside the territorial sea's band) with a foreign state vessel,
/// a foreign merchant ship and a Norwegian state vessel each drifting there for 45 minutes.
#[test]
fn state_vessel_loitering_in_internal_waters_counts_and_merchant_waiting_does_not() {
    let land = [(60.0, 5.0), (60.0, 6.0), (61.0, 6.0), (61.0, 5.0)];
    let ts = [(60.0, 4.3), (60.0, 4.8), (61.0, 4.8), (61.0, 4.3)];
    let iw = [(60.0, 4.8), (60.0, 5.0), (61.0, 5.0), (61.0, 4.8)];
    let geo = crate::geo::testing::TestGeo::new()
        .with_land(&land)
        .with_zone(
            "no-ts",
            "Norway's territorial sea",
            "territorial_sea",
            "mainland",
            &ts,
        )
        .with_zone(
            "no-iw",
            "Norway's internal waters",
            "internal_waters",
            "mainland",
            &iw,
        );
    let mut k = Kit::new(cfg(), geo);
    k.stat(273_000_001, 0, "AKADEMIK TEST", 0);
    k.stat(273_000_002, 0, "CARGO WAITING", 70);
    k.stat(257_000_003, 0, "KV NORWAY", 55);
    for i in 0..45 {
        let t = i64::from(i) * 60;
        for (n, m) in [273_000_001u32, 273_000_002, 257_000_003]
            .into_iter()
            .enumerate()
        {
            k.pos(
                m,
                t,
                60.3 + n as f64 * 0.1,
                4.9 + f64::from(i) * 0.0001,
                0.8,
                90.0,
            );
        }
    }
    let a = k.alerts_of(Kind::Loitering);
    assert_eq!(a.len(), 1, "{a:#?}");
    assert_eq!(a[0].mmsi, 273_000_001);
    assert!(
        a[0].summary
            .contains("no right of passage in internal waters"),
        "{}",
        a[0].summary
    );
    assert_eq!(a[0].severity, crate::alert::Severity::High);
}

#[test]
fn a_state_vessel_relabelled_as_fishing_at_sea_still_loiters_and_a_real_fisher_does_not() {
    let mut k = Kit::new(cfg(), coast());
    k.stat(273_000_001, 0, "ADMIRAL X", 35);
    k.stat(273_000_002, 0, "REAL FISHER", 30);
    for i in 0..50 {
        let t = i64::from(i) * 60;
        if i == 5 {
            k.stat(273_000_001, t, "ADMIRAL X", 30);
        }
        let v = if i < 10 { 9.0 } else { 1.0 };
        let lon = 4.0 + f64::from(i.min(10)) * 0.04 + f64::from(i) * 0.0001;
        k.pos(273_000_001, t, 60.5, lon, v, 90.0);
        k.pos(273_000_002, t, 60.6, lon, v, 90.0);
    }
    let a = k.alerts_of(Kind::Loitering);
    assert_eq!(a.len(), 1, "{a:#?}");
    assert_eq!(a[0].mmsi, 273_000_001);
    assert!(
        a[0].summary.contains(
            "declared ship type changed at sea from military vessel (35) to fishing vessel (30)"
        ),
        "{}",
        a[0].summary
    );
    let relabel_time = format!("c:{}", T0 / 1000 + 300);
    assert!(
        a[0].evidence[0].lines().any(|l| l.contains(&relabel_time)),
        "the relabelling static report is evidence: {:?}",
        a[0].evidence
    );
    let z = k.alerts_of(Kind::ZoneEntry);
    assert_eq!(z.len(), 1, "still of interest: {z:#?}");
    assert_eq!(z[0].mmsi, 273_000_001);
}

#[test]
fn a_state_vessel_claiming_not_under_command_still_loiters_a_merchant_does_not() {
    let mut k = Kit::new(cfg(), coast());
    k.stat(273_000_001, 0, "STATE SHIP", 55);
    k.stat(273_000_002, 0, "CARGO NUC", 70);
    for i in 0..40 {
        let t = i64::from(i) * 60;
        k.pos_status(273_000_001, t, 60.5, 4.6, 0.5, 2);
        k.pos_status(273_000_002, t, 60.6, 4.6, 0.5, 2);
    }
    let a = k.alerts_of(Kind::Loitering);
    assert_eq!(a.len(), 1, "{a:#?}");
    assert_eq!(a[0].mmsi, 273_000_001);
}

#[test]
fn a_foreign_yacht_holding_in_a_bay_is_not_loitering() {
    let mut k = Kit::new(cfg(), coast());
    k.stat(230_000_037, 0, "SUMMER YACHT", 37);
    k.stat(230_000_070, 0, "CARGO", 70);
    for i in 0..80 {
        let t = i64::from(i) * 60;
        k.pos(230_000_037, t, 60.5, 4.6, 0.5, 90.0);
        k.pos(230_000_070, t, 60.6, 4.6, 0.5, 90.0);
    }
    let a = k.alerts_of(Kind::Loitering);
    assert_eq!(a.len(), 1, "{a:#?}");
    assert_eq!(a[0].mmsi, 230_000_070);
}

#[test]
fn exemptions_fishing_port_and_not_under_command() {
    let geo = coast().with_port("Florø", 60.6, 4.6, 3_000.0);
    let mut k = Kit::new(cfg(), geo);
    k.stat(273_000_001, 0, "FISHER", 30);
    for i in 0..40 {
        let t = i64::from(i) * 60;
        k.pos(273_000_001, t, 60.5, 4.6, 1.0, 90.0);
        k.pos(273_000_002, t, 60.6, 4.6, 0.1, 0.0); // in port
        k.pos_status(273_000_003, t, 60.45, 4.6, 0.5, 2); // not under command
    }
    assert!(k.alerts_of(Kind::Loitering).is_empty());
}
