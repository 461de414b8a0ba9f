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

/// Tanker B lies at 70.0 N 20.0 E at 0.4 kn, reporting every 3 min for 4 h. Tanker A comes alongside
/// (110 m) at 10 min, reports for 5 min, falls silent for 2 h 30 min, and reappears at `back` (lat,
/// lon), then reports for 5 min and leaves at 10 kn.
fn dark_partner(back: (f64, f64)) -> Vec<crate::alert::Alert> {
    let mut k = Kit::new(cfg(), open_sea());
    // (time s, mmsi, lat, lon, sog), sent in time order.
    let mut feed = Vec::new();
    for i in 0..80 {
        feed.push((i * 180, 273_000_010, 70.0, 20.0 + i as f64 * 0.00001, 0.4));
    }
    for i in 0..5 {
        feed.push((600 + i * 60, 273_000_011, 70.001, 20.0, 0.3));
    }
    let back_s = 600 + 300 + 150 * 60;
    for i in 0..5 {
        feed.push((back_s + i * 60, 273_000_011, back.0, back.1, 0.3));
    }
    for i in 0..20 {
        let lon = back.1 + 0.01 + i as f64 * 0.01;
        feed.push((back_s + 300 + i * 60, 273_000_011, back.0, lon, 10.0));
    }
    feed.sort_by_key(|f| (f.0, f.1));
    for (t, m, lat, lon, v) in feed {
        k.pos(m, t, lat, lon, v, 90.0);
    }
    k.engine.finish(T0 + 5 * 3_600_000);
    k.alerts_of(Kind::Rendezvous)
}

#[test]
fn a_partner_dark_for_most_of_the_meeting_was_there_all_along() {
    let a = dark_partner((70.001, 20.0015));
    assert_eq!(a.len(), 1, "{a:#?}");
    assert_eq!(
        a[0].start,
        T0 + 540_000,
        "from the first time together (B's fix then)"
    );
    assert!(
        a[0].summary
            .contains("MMSI 273000011 was silent beside it from 00:14Z for 2 h 3"),
        "{}",
        a[0].summary
    );
    let pair = [a[0].mmsi, a[0].related_mmsi[0]];
    assert!(pair.contains(&273_000_010) && pair.contains(&273_000_011));
}

#[test]
fn a_partner_that_reappears_far_away_had_left() {
    // Control: A falls silent beside B but reappears 40 km away.
    assert!(dark_partner((70.36, 20.0)).is_empty());
}

/// `n` slow tankers in rows of four, 150 m apart, at 70 N 20 E for an hour, a report every 3 minutes;
/// with the crowd rule at `min_vessels`.
fn cluster_of(n: u32, min_vessels: u32) -> Vec<crate::alert::Alert> {
    let mut c = cfg();
    c.rendezvous.anchorage_min_vessels = min_vessels;
    let mut k = Kit::new(c, open_sea());
    for i in 0..20 {
        let t = i64::from(i) * 180;
        for v in 0..n {
            // 150 m is 0.001349 degrees of latitude and 0.003944 of longitude at 70 N.
            let (row, col) = (f64::from(v / 4), f64::from(v % 4));
            let (lat, lon) = (70.0 + row * 0.001349, 20.0 + col * 0.003944);
            k.pos(273_000_100 + v, t + i64::from(v), lat, lon, 0.2, 0.0);
        }
    }
    k.alerts_of(Kind::Rendezvous)
}

#[test]
fn a_crowd_of_slow_vessels_is_an_anchorage_not_a_rendezvous() {
    // Eight in two rows (at most 474 m apart, so each sees all in its 3 x 3 cells): no alert.
    assert_eq!(cluster_of(8, 6).len(), 0);
    // The rule off: every pair within 250 m (6 along the rows, 4 across, 6 diagonal at 212 m).
    assert_eq!(cluster_of(8, 0).len(), 16);
}

#[test]
fn three_at_a_transfer_are_a_meeting_not_a_crowd() {
    // Two tankers and a bunker barge in a row: both neighbour pairs raise.
    assert_eq!(cluster_of(3, 6).len(), 2);
}
