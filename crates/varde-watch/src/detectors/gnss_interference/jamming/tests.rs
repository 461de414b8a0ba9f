use crate::alert::{Kind, Severity};
use crate::detectors::testkit::*;

const SHIPS: [u32; 5] = [
    257_000_201,
    257_000_202,
    273_000_203,
    230_000_204,
    257_000_205,
];

/// Vessel `i` sails east at 10 kn from 70.30 + 0.04 i N, 31.3 + 0.05 i E (off Vardø, the five within
/// ~12 nm of one another).
fn true_pos(i: usize, t_s: i64) -> (f64, f64) {
    let lat = 70.30 + 0.04 * i as f64;
    let lon = 31.3 + 0.05 * i as f64 + t_s as f64 * 10.0 / 3600.0 / 60.0 / lat.to_radians().cos();
    (lat, lon)
}

/// Every vessel reports every 10 s to 6 000 s; vessel `i` in `jammed` (with its onset, s) sends
/// position unavailable for 40 min from then; vessels not listed report their positions throughout.
fn run(jammed: &[(usize, i64)], place: impl Fn(usize, i64) -> (f64, f64)) -> Kit {
    let mut k = Kit::new(cfg(), open_sea());
    for t in (0..6000).step_by(10) {
        for (i, &m) in SHIPS.iter().enumerate() {
            let off = jammed
                .iter()
                .any(|&(j, on)| j == i && (on..on + 2400).contains(&t));
            if off {
                k.no_fix(m, t);
            } else {
                let (lat, lon) = place(i, t);
                k.pos(m, t, lat, lon, 10.0, 90.0);
            }
        }
    }
    k
}

fn involved(k: &Kit, kind: Kind, mmsi: u32) -> usize {
    k.alerts_of(kind)
        .iter()
        .filter(|a| a.mmsi == mmsi || a.related_mmsi.contains(&mmsi))
        .count()
}

#[test]
fn four_vessels_losing_their_positions_off_vardo_are_one_jamming_alert_not_four_dark_vessels() {
    let onsets = [(0, 600), (1, 660), (2, 750), (3, 870)];
    let k = run(&onsets, true_pos);
    let a = k.alerts_of(Kind::GnssInterference);
    assert_eq!(a.len(), 1, "{a:#?}");
    let a = &a[0];
    assert_eq!(a.severity, Severity::High);
    let mut all = a.related_mmsi.clone();
    all.push(a.mmsi);
    all.sort_unstable();
    let mut want = SHIPS[..4].to_vec();
    want.sort_unstable();
    assert_eq!(all, want, "every victim named, the bystander not");
    assert!(a.summary.contains("jamming"), "{}", a.summary);
    assert!(a.summary.contains("4 vessels"), "{}", a.summary);
    assert!(a.summary.contains("not pulled"), "{}", a.summary);
    assert_eq!(a.start, T0 + 600_000, "from the first vessel's lost fix");
    assert!(
        (a.lat - 70.36).abs() < 0.06 && (a.lon - 31.4).abs() < 0.2,
        "at the last known fixes: {} {}",
        a.lat,
        a.lon
    );
    assert!(a.evidence.len() >= 4, "{:#?}", a.evidence);
    let end = a
        .end
        .expect("closed once no victim sent a no-fix report for 30 min");
    assert_eq!(end, T0 + (870 + 2390) * 1000, "the last no-fix report");
    for m in SHIPS {
        assert_eq!(
            involved(&k, Kind::AisGap, m),
            0,
            "{m}: transmitting, not dark"
        );
        assert_eq!(
            involved(&k, Kind::PositionJump, m),
            0,
            "{m}: moved on at 10 kn"
        );
    }
    let c = k.engine.counters();
    assert_eq!(c.no_fix, 4 * 240);
}

#[test]
fn a_fifth_vessel_losing_its_position_in_the_area_joins_the_alert() {
    let onsets = [(0, 600), (1, 660), (2, 750), (4, 1500)];
    let k = run(&onsets, true_pos);
    let a = k.alerts_of(Kind::GnssInterference);
    assert_eq!(a.len(), 1, "{a:#?}");
    assert!(
        a[0].related_mmsi.contains(&SHIPS[4]) || a[0].mmsi == SHIPS[4],
        "{:?}",
        a[0].related_mmsi
    );
    assert!(a[0].summary.contains("4 vessels"), "{}", a[0].summary);
}

#[test]
fn control_one_vessel_without_a_fix_is_a_receiver_fault_not_jamming_nor_a_gap() {
    let k = run(&[(2, 600)], true_pos);
    assert!(k.alerts_of(Kind::GnssInterference).is_empty());
    assert!(
        k.alerts_of(Kind::AisGap).is_empty(),
        "{:#?}",
        k.alerts_of(Kind::AisGap)
    );
}

#[test]
fn control_vessels_losing_fixes_far_apart_are_not_one_area() {
    // Same minutes, but each vessel 1.5° of latitude (90 nm) from the next.
    let apart = |i: usize, t: i64| {
        let (lat, lon) = true_pos(0, t);
        (lat - 1.5 * i as f64, lon)
    };
    let k = run(&[(0, 600), (1, 660), (2, 750), (3, 870)], apart);
    assert!(k.alerts_of(Kind::GnssInterference).is_empty());
    assert!(k.alerts_of(Kind::AisGap).is_empty());
}

#[test]
fn control_vessels_losing_fixes_an_hour_apart_are_not_one_event() {
    let k = run(&[(0, 600), (1, 2700), (2, 3300)], true_pos);
    assert!(k.alerts_of(Kind::GnssInterference).is_empty());
}

#[test]
fn control_vessels_that_go_dark_together_are_gaps_not_jamming() {
    // Four vessels stop transmitting altogether (no reports at all) while the fifth goes on.
    let mut k = Kit::new(cfg(), open_sea());
    for t in (0..6000).step_by(10) {
        for (i, &m) in SHIPS.iter().enumerate() {
            if i < 4 && (600..3000).contains(&t) {
                continue;
            }
            let (lat, lon) = true_pos(i, t);
            k.pos(m, t, lat, lon, 10.0, 90.0);
        }
    }
    assert!(k.alerts_of(Kind::GnssInterference).is_empty());
    assert_eq!(k.alerts_of(Kind::AisGap).len(), 4);
}
