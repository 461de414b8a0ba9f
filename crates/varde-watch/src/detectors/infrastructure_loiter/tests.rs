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
