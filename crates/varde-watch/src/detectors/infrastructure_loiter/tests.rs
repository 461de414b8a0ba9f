use crate::alert::Kind;
use crate::detectors::testkit::*;

#[test]
fn slow_drift_over_cable_fires_and_slow_drift_far_away_does_not() {
    let mut k = Kit::new(cfg(), cables());
    for i in 0..40 {
        let t = i64::from(i) * 60;
        let wobble = if i % 2 == 0 { 0.001 } else { -0.001 };
        k.pos(414_000_001, t, 58.005 + wobble, 10.0, 2.0, 90.0); // 0.3 nm from the cable at lat 58.0
        k.pos(414_000_002, t, 58.2 + wobble, 10.0, 2.0, 90.0); // 12 nm away
    }
    let a = k.alerts_of(Kind::InfrastructureLoiter);
    assert_eq!(a.len(), 1, "{a:#?}");
    assert_eq!(a[0].mmsi, 414_000_001);
    assert_eq!(a[0].asset.as_ref().map(|x| &*x.kind), Some("cable"));
}

#[test]
fn trawler_crossing_three_times_fires_and_a_cargo_ship_does_not() {
    let mut k = Kit::new(cfg(), cables());
    k.stat(273_000_001, 0, "MELKART", 30);
    k.stat(273_000_002, 0, "CARGO", 70);
    for leg in 0..4 {
        for i in 0..20 {
            let t = (leg * 20 + i) * 120;
            let f = i as f64 / 19.0;
            let lat = if leg % 2 == 0 {
                57.95 + 0.1 * f
            } else {
                58.05 - 0.1 * f
            };
            k.pos(273_000_001, t, lat, 10.0, 4.0, 0.0);
            k.pos(273_000_002, t, lat, 10.2, 4.0, 0.0);
        }
    }
    let a = k.alerts_of(Kind::InfrastructureLoiter);
    assert_eq!(a.len(), 1, "{a:#?}");
    assert_eq!(a[0].mmsi, 273_000_001);
    assert!(a[0].summary.contains("4 times"), "{}", a[0].summary);
}

/// A pipeline from a landfall terminal (a port) at lon 9.0 to a platform at lon 10.0, along lat 58.0.
fn field() -> crate::geo::testing::TestGeo {
    crate::geo::testing::TestGeo::new()
        .with_line_asset("pipe", "Pipe", "pipeline", &[(58.0, 9.0), (58.0, 10.0)])
        .with_point_asset("plat", "Platform P", "platform", 58.0, 10.0)
        .with_port("Terminal", 58.0, 9.0, 2500.0)
}

#[test]
fn holding_alongside_a_platform_or_at_a_terminal_berth_is_not_loitering() {
    let mut k = Kit::new(cfg(), field());
    for i in 0..50 {
        let t = i64::from(i) * 60;
        // 200 m north of the platform (inside its safety zone): a supply vessel servicing it.
        k.pos(257_000_001, t, 58.0018, 10.0, 0.2, 0.0);
        // Moored at the terminal berth at the pipeline landfall, 300 m from the pipeline.
        k.pos_status(257_000_002, t, 58.0027, 9.01, 0.0, 5);
        // Control: holding 0.6 nm from the platform, 0.6 nm off the pipeline: loitering.
        k.pos(257_000_003, t, 58.01, 9.99, 0.2, 0.0);
    }
    let a = k.alerts_of(Kind::InfrastructureLoiter);
    assert_eq!(a.len(), 1, "{a:#?}");
    assert_eq!(a[0].mmsi, 257_000_003);
}

#[test]
fn stopping_alongside_a_platform_is_not_an_anchor_drag() {
    let mut k = Kit::new(cfg(), field());
    // Steaming east at 12 kn along lat 58.0018 (200 m north of the pipeline), then stopping 200 m from
    // the platform; the control stops 1.2 km short of it, over the pipeline.
    let nm_per_min = 12.0 / 60.0 / 60.0 * 2.0; // ~0.2 nm/min in degrees of longitude at 58 N
    for (mmsi, stop_lon) in [(257_000_011, 10.0), (257_000_012, 9.98)] {
        for i in 0..180 {
            let t = i64::from(i) * 60;
            let lon = (stop_lon - (120 - i) as f64 * nm_per_min).min(stop_lon);
            let sog = if i < 120 { 12.0 } else { 0.0 };
            k.pos(mmsi, t, 58.0018, lon, sog, 90.0);
        }
    }
    let a = k.alerts_of(Kind::InfrastructureSpeedAnomaly);
    assert!(a.iter().all(|a| a.mmsi != 257_000_011), "{a:#?}");
    assert!(
        a.iter().any(|a| a.mmsi == 257_000_012),
        "control fires: {a:#?}"
    );
}

#[test]
fn drifting_near_a_cable_with_fast_fixes_now_and_then_still_loiters() {
    let mut k = Kit::new(cfg(), cables());
    for i in 0..45 {
        let t = i64::from(i) * 60;
        // 1–2.5 kn back and forth, every 5th minute a 3.4 kn fix: a per-fix rule restarts each time.
        let v = if i % 5 == 4 {
            3.4
        } else {
            1.0 + (i % 4) as f32 * 0.5
        };
        let lon = 10.0 + f64::from(i % 10) * 0.0005;
        k.pos(
            413_000_001,
            t,
            58.005,
            lon,
            v,
            if i % 10 < 5 { 90.0 } else { 270.0 },
        );
        // Control: the same drift 10 nm from the cable.
        k.pos(413_000_002, t, 58.2, lon, v, 90.0);
    }
    let a = k.alerts_of(Kind::InfrastructureLoiter);
    assert_eq!(a.len(), 1, "{a:#?}");
    assert_eq!((a[0].mmsi, a[0].start), (413_000_001, T0));
}

#[test]
fn a_trawler_working_slowly_near_a_cable_is_left_to_the_crossing_rule_unless_of_interest() {
    let mut k = Kit::new(cfg(), cables());
    k.stat(257_000_030, 0, "HOME TRAWLER", 30);
    k.stat(273_000_035, 0, "STATE TRAWLER", 35);
    for i in 0..45 {
        let t = i64::from(i) * 60;
        let lon = 10.0 + f64::from(i) * 0.0002;
        k.pos(257_000_030, t, 58.005, lon, 2.5, 90.0);
        k.pos(273_000_035, t, 58.006, lon, 2.5, 90.0);
    }
    let a = k.alerts_of(Kind::InfrastructureLoiter);
    assert_eq!(a.len(), 1, "{a:#?}");
    assert_eq!(
        a[0].mmsi, 273_000_035,
        "a vessel of interest counts whatever its type"
    );
}
