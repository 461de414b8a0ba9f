//! GNSS jamming: the victims keep transmitting with position unavailable
//! (lat 91°/lon 181°) for 40 min, within minutes of one another; the control
//! is one vessel alone.

mod common;

use common::{max_gap, run};
use varde_ais::message::{AisMessage, PositionReport};
use varde_sim::encode::{position_report, Fix};
use varde_sim::geo::NM_M;
use varde_sim::{Scenario, SimConfig};

#[test]
fn unavailable_fix_encodes_as_lat_91_lon_181_with_speed_and_course_unavailable() {
    let msg = position_report(257_000_001, &Fix::unavailable(87.0, 0), 12);
    let AisMessage::Position(p) = AisMessage::decode(&msg.encode()).unwrap() else {
        panic!("type 1");
    };
    let PositionReport {
        lat,
        lon,
        speed,
        course,
        heading,
        ..
    } = p;
    assert_eq!((lat, lon), (0x341_2140, 0x679_1AC0));
    assert_eq!((speed, course, heading), (1023, 3600, 87));
    assert!(!Fix::unavailable(0.0, 0).has_position());
}

#[test]
fn jammed_vessels_transmit_without_a_position_for_40_min_within_5_min_of_each_other() {
    let sc = Scenario::builtin("gnss_jamming").unwrap();
    let e = sc.expectations(SimConfig::default().start_unix_s).unwrap();
    let r = run(0, 4.0, 1, Some(sc));
    assert_eq!(e[0].mmsi.len(), 5);
    let mut onsets = Vec::new();
    let mut last_fixes = Vec::new();
    for m in &e[0].mmsi {
        let off = &r.no_fix[m];
        let span = off.last().unwrap() - off[0];
        assert!((span - 40 * 60).abs() <= 20, "{m}: {span} s without a fix");
        assert!(
            off.windows(2).all(|w| w[1] - w[0] <= 12),
            "{m}: still transmitting every ~10 s"
        );
        let fixes = &r.positions[m];
        let before = fixes.iter().rev().find(|p| p.t_s < off[0]).unwrap();
        let after = fixes.iter().find(|p| p.t_s > off[0]).unwrap();
        assert!(before.t_s >= off[0] - 12 && after.t_s <= off.last().unwrap() + 12);
        assert!(
            (max_gap(fixes) - 40 * 60).abs() <= 30,
            "{m}: the fixes pause 40 min"
        );
        assert!(e[0].at.distance_m(before.at) < 8.0 * NM_M, "{m}");
        onsets.push(off[0]);
        last_fixes.push(before.at);
    }
    assert!(onsets.iter().max().unwrap() - onsets.iter().min().unwrap() <= 5 * 60 + 10);
    for a in &last_fixes {
        assert!(last_fixes.iter().all(|b| a.distance_m(*b) < 15.0 * NM_M));
    }
    let c = e[1].mmsi[0];
    let off = &r.no_fix[&c];
    assert!((off.last().unwrap() - off[0] - 40 * 60).abs() <= 20);
    assert!(e[1].at.distance_m(e[0].at) > 60.0 * NM_M, "control far off");
    assert_eq!(r.no_fix.len(), 6, "nobody else loses a fix");
}
