use crate::alert::{Kind, Severity};
use crate::detectors::testkit::*;

const VICTIMS: [u32; 4] = [257_000_101, 257_000_102, 257_000_103, 257_000_104];

/// The true track of vessel `i`: north at 10 kn from 60.2 + 0.1 i N, 4.0 E.
fn true_pos(i: usize, t_s: i64) -> (f64, f64) {
    (
        60.2 + 0.1 * i as f64 + t_s as f64 * 10.0 / 3600.0 / 60.0,
        4.0,
    )
}

/// A point of the 1-nm spoofing circle around 60.5 N 5.0 E (on the coastline of `coast()`: half of it
/// inland, half at sea).
fn circle(t_s: i64) -> (f64, f64) {
    let a = (t_s as f64 * 0.6).to_radians(); // once round in 10 min
    (60.5 + a.cos() / 60.0, 5.0 + a.sin() / 30.0)
}

/// Every vessel in `spoofed` is pulled onto the circle for 10 min, one every 30 s from t = 600 s;
/// everything else (and the others throughout) sails its true track. Reports every 10 s to 4 000 s.
fn run(spoofed: &[usize], elsewhere: &[(usize, f64, f64)]) -> Kit {
    run_with(&VICTIMS, spoofed, elsewhere)
}

fn run_with(mmsis: &[u32], spoofed: &[usize], elsewhere: &[(usize, f64, f64)]) -> Kit {
    let mut k = Kit::new(cfg(), coast());
    for &m in mmsis {
        k.stat(m, 0, "STATE SHIP", 35); // of interest in the territorial sea if foreign
    }
    for t in (0..4000).step_by(10) {
        for (i, &m) in mmsis.iter().enumerate() {
            let from = 600 + 30 * i as i64;
            let on = (from..from + 600).contains(&t);
            let (lat, lon) = if on && spoofed.contains(&i) {
                circle(t)
            } else if let (true, Some(&(_, la, lo))) = (on, elsewhere.iter().find(|e| e.0 == i)) {
                (la, lo)
            } else {
                true_pos(i, t)
            };
            k.pos(m, t, lat, lon, 10.0, 0.0);
        }
    }
    k
}

fn of(k: &Kit, kind: Kind, mmsi: u32) -> usize {
    k.alerts_of(kind).iter().filter(|a| a.mmsi == mmsi).count()
}

#[test]
fn four_vessels_pulled_onto_one_circle_are_one_area_alert_not_a_storm() {
    let k = run(&[0, 1, 2, 3], &[]);
    let a = k.alerts_of(Kind::GnssInterference);
    assert_eq!(a.len(), 1, "{a:#?}");
    let a = &a[0];
    assert_eq!(a.severity, Severity::High);
    let mut all: Vec<u32> = a.related_mmsi.clone();
    all.push(a.mmsi);
    all.sort_unstable();
    assert_eq!(all, VICTIMS, "every victim named");
    assert!(
        (a.lat - 60.5).abs() < 0.03 && (a.lon - 5.0).abs() < 0.05,
        "{a:#?}"
    );
    assert!(a.summary.contains("4 vessels"), "{}", a.summary);
    assert!(
        a.evidence.len() >= 4,
        "victims' sentences: {:#?}",
        a.evidence
    );
    assert_eq!(a.start, T0 + 600_000, "from the first victim's jump");
    let end = a
        .end
        .expect("closed once no victim reported into the area for 30 min");
    assert!((T0 + 1_250_000..=T0 + 1_300_000).contains(&end), "{end}");
    for m in VICTIMS {
        assert_eq!(
            of(&k, Kind::IdentityConflict, m),
            0,
            "victim {m} blamed as two transmitters"
        );
        assert_eq!(
            of(&k, Kind::PositionJump, m),
            0,
            "victim {m}: the area alert carries its jump"
        );
        assert!(
            of(&k, Kind::PositionOnLand, m) <= 1,
            "victim {m}: one on-land per episode"
        );
    }
    assert!(
        k.alerts_of(Kind::PositionOnLand).len() >= 2,
        "the circle crosses the coast"
    );
}

#[test]
fn control_two_victims_and_a_third_jumping_elsewhere_are_not_an_area() {
    let k = run(&[0, 1], &[(2, 58.0, 2.0)]);
    assert!(k.alerts_of(Kind::GnssInterference).is_empty());
    for m in &VICTIMS[..3] {
        // Out to one place and back: one vessel alone cannot be told from two transmitters.
        let own = of(&k, Kind::PositionJump, *m) + of(&k, Kind::IdentityConflict, *m);
        assert_eq!(own, 1, "{m}: its own alert, not withheld");
    }
    assert!(k.engine.alerts().iter().all(|a| a.mmsi != VICTIMS[3]));
}

#[test]
fn control_jumps_far_apart_in_time_are_not_an_area() {
    let mut k = Kit::new(cfg(), coast());
    // Three vessels each jump once into the same spot, 20 min apart: no common episode.
    for t in (0..4000).step_by(10) {
        for (i, &m) in VICTIMS[..3].iter().enumerate() {
            let (lat, lon) = if t == 600 + 1200 * i as i64 {
                (60.45, 4.8)
            } else {
                true_pos(i, t)
            };
            k.pos(m, t, lat, lon, 10.0, 0.0);
        }
    }
    assert!(k.alerts_of(Kind::GnssInterference).is_empty());
    assert_eq!(k.alerts_of(Kind::PositionJump).len(), 3);
}

#[test]
fn spoofed_positions_inside_the_territorial_sea_are_not_zone_entries() {
    // Foreign state vessels in the EEZ, pulled onto a circle half inside the territorial sea.
    let ru = [273_000_101, 273_000_102, 273_000_103, 273_000_104];
    let k = run_with(&ru, &[0, 1, 2, 3], &[]);
    assert_eq!(k.alerts_of(Kind::GnssInterference).len(), 1);
    assert!(
        k.alerts_of(Kind::ZoneEntry).is_empty(),
        "{:#?}",
        k.alerts_of(Kind::ZoneEntry)
    );
}

#[test]
fn control_a_foreign_state_vessel_really_entering_the_territorial_sea_is_a_zone_entry() {
    let ru = [273_000_101, 273_000_102, 273_000_103, 273_000_104];
    // Vessel 0 sails its true track east into the territorial sea instead of being spoofed.
    let mut k = Kit::new(cfg(), coast());
    k.stat(ru[0], 0, "STATE SHIP", 35);
    for t in (0..4000).step_by(10) {
        k.pos(ru[0], t, 60.5, 4.0 + t as f64 * 0.000_2, 10.0, 90.0);
    }
    assert!(k.alerts_of(Kind::GnssInterference).is_empty());
    assert_eq!(k.alerts_of(Kind::ZoneEntry).len(), 1);
}

/// The reports of `k` through one engine recording its episodes and two engines that each see
/// only the vessels of one half (MMSI even or odd) and follow the recorder's episodes (`follow`)
/// or detect their own (`!follow`, the control): the halves' alerts other than the pairwise kinds,
/// as JSON by id, beside the single engine's.
fn split_in_halves(k: &Kit, follow: bool) -> (Vec<String>, Vec<String>) {
    use crate::area::{AreaEffect, AreaMode};
    let mut recorder = crate::engine::Engine::new(cfg(), coast()).unwrap();
    recorder.set_area_mode(AreaMode::Record);
    let mut halves: Vec<_> = (0..2)
        .map(|_| crate::engine::Engine::new(cfg(), coast()).unwrap())
        .collect();
    for h in &mut halves {
        if follow {
            h.set_area_mode(AreaMode::Follow);
        }
    }
    // Effects of reports a half did not see, applied before its next report.
    let mut pending: [Vec<AreaEffect>; 2] = Default::default();
    let mut sink = Vec::new();
    for r in &k.sent {
        recorder.process_into(r, &mut sink);
        let effects = recorder.take_area_effects();
        let own = (r.mmsi % 2) as usize;
        let h = &mut halves[own];
        h.apply_area_effects_into(pending[own].drain(..), &mut sink);
        h.process_with_area_effects_into(r, effects.clone(), &mut sink);
        pending[1 - own].extend(effects);
    }
    let pairwise = |a: &&crate::alert::Alert| !crate::area::AREA_KINDS.contains(&a.kind);
    let json = |alerts: Vec<&crate::alert::Alert>| {
        let mut v: Vec<String> = alerts
            .into_iter()
            .filter(pairwise)
            .map(|a| a.to_json())
            .collect();
        v.sort();
        v
    };
    let single = json(k.engine.alerts());
    let split = json(halves.iter().flat_map(|h| h.alerts()).collect());
    assert_eq!(json(recorder.alerts()), single, "recording changes nothing");
    (single, split)
}

#[test]
fn engines_that_follow_recorded_episodes_settle_victims_as_one_engine_does() {
    let ru = [273_000_101, 273_000_102, 273_000_103, 273_000_104];
    for k in [run(&[0, 1, 2, 3], &[]), run_with(&ru, &[0, 1, 2, 3], &[])] {
        assert_eq!(k.alerts_of(Kind::GnssInterference).len(), 1);
        let (single, split) = split_in_halves(&k, true);
        assert_eq!(split, single);
        // Control: halves detecting on their own see two victims each, never an area, and blame
        // the victims one by one.
        let (single, split) = split_in_halves(&k, false);
        assert_ne!(split, single, "the control differs");
    }
}
