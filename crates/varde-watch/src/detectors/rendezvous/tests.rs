use super::{cell_of, col};
use crate::alert::Kind;
use crate::detectors::testkit::*;

#[test]
fn cells_are_wider_than_the_distance_threshold_even_in_the_arctic() {
    for lat in [58.0, 70.0, 80.0] {
        let (y, x) = cell_of(lat, 10.0);
        assert_eq!(col(y, 10.0), x);
        let (_, x2) = cell_of(lat, 10.0 + 0.01 / lat.to_radians().cos());
        assert!(
            x2 - x <= 2,
            "~1.1 km east is at most two cells away at {lat}"
        );
    }
}

#[test]
fn two_slow_tankers_side_by_side_at_sea_fire_after_30_min_only() {
    let mut k = Kit::new(cfg(), open_sea());
    for i in 0..25 {
        let t = i64::from(i) * 120;
        k.pos(273_000_001, t, 70.0, 20.0, 0.5, 0.0);
        k.pos(273_000_002, t + 5, 70.001, 20.0, 0.5, 0.0); // 111 m apart
        k.pos(273_000_003, t, 70.0, 20.01, 0.5, 0.0); // 380 m away: too far
    }
    let a = k.alerts_of(Kind::Rendezvous);
    assert_eq!(a.len(), 1, "{a:#?}");
    assert_eq!(
        a[0].start, T0,
        "together since the older of the first two close fixes"
    );
    assert!(a[0].summary.contains("ship-to-ship"));
    let pair = [a[0].mmsi, a[0].related_mmsi[0]];
    assert!(pair.contains(&273_000_001) && pair.contains(&273_000_002));
}

#[test]
fn pair_parts_and_alert_closes() {
    let mut k = Kit::new(cfg(), open_sea());
    for i in 0..20 {
        let t = i64::from(i) * 120;
        k.pos(273_000_001, t, 70.0, 20.0, 0.5, 0.0);
        k.pos(273_000_002, t, 70.001, 20.0, 0.5, 0.0);
    }
    for i in 20..40 {
        let t = i64::from(i) * 120;
        k.pos(273_000_001, t, 70.0, 20.0, 0.5, 0.0);
        k.pos(
            273_000_002,
            t,
            70.0 + f64::from(i - 19) * 0.01,
            20.0,
            10.0,
            0.0,
        );
    }
    let a = k.alerts_of(Kind::Rendezvous);
    assert_eq!(a.len(), 1);
    assert_eq!(a[0].end, Some(T0 + 19 * 120_000));
}
