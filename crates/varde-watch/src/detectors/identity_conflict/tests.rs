use crate::alert::{AlertEvent, Kind, Severity};
use crate::detectors::testkit::*;

#[test]
fn two_interleaving_streams_conflict_but_one_stream_does_not() {
    let mut k = Kit::new(cfg(), open_sea());
    for i in 0..6 {
        k.pos(257_000_001, i * 300, 60.0, 3.0, 10.0, 0.0);
        k.pos(257_000_001, i * 300 + 150, 65.0, 3.0, 10.0, 0.0);
        k.pos(257_000_002, i * 300, 61.0, 3.0, 10.0, 0.0);
    }
    let a = k.alerts_of(Kind::IdentityConflict);
    assert_eq!(a.len(), 1, "one revised alert, not one per fix");
    assert_eq!(a[0].mmsi, 257_000_001);
    assert!(a[0].summary.contains("two places"), "{}", a[0].summary);
}

/// Two transmitters every 10 s, 5 s apart; neighbouring reports arrive swapped throughout:
/// (seconds, latitude).
fn swapped_streams() -> Vec<(i64, f64)> {
    let mut feed = Vec::new();
    for i in 0..60 {
        feed.push((i * 10, 60.0 + i as f64 * 0.0005));
        feed.push((i * 10 + 5, 65.0 + i as f64 * 0.0005));
    }
    for pair in feed.chunks_mut(4) {
        pair.swap(1, 2); // A0 B0 A1 B1 -> A0 A1 B0 B1: B0 arrives after A1 (late), A1 twice in a row
    }
    feed
}

#[test]
fn out_of_order_streams_revise_one_conflict_and_retract_the_jump() {
    let mut k = Kit::new(cfg(), open_sea());
    for (t, lat) in swapped_streams() {
        k.pos(257_000_001, t, lat, 3.0, 10.0, 0.0);
    }
    assert_eq!(k.alerts_of(Kind::IdentityConflict).len(), 1);
    assert!(
        k.alerts_of(Kind::PositionJump).is_empty(),
        "the first jump was the other transmitter"
    );
}

#[test]
fn a_jump_drained_as_closed_is_still_retracted_when_the_conflict_explains_it() {
    let mut k = Kit::new(cfg(), open_sea());
    let mut drained = Vec::new();
    for (t, lat) in swapped_streams() {
        k.pos(257_000_001, t, lat, 3.0, 10.0, 0.0);
        // As a live service does, but after every report: closed alerts go to its store.
        drained.extend(k.engine.drain_closed());
    }
    let events_of = |id: &str| -> Vec<&'static str> {
        k.events
            .iter()
            .filter(|e| e.alert().id == id)
            .map(|e| match e {
                AlertEvent::Opened(_) => "opened",
                AlertEvent::Updated(_) => "updated",
                AlertEvent::Closed(_) => "closed",
                AlertEvent::Retracted(_) => "retracted",
            })
            .collect()
    };
    let jumps: Vec<&AlertEvent> = k
        .events
        .iter()
        .filter(|e| matches!(e, AlertEvent::Opened(a) if a.kind == Kind::PositionJump))
        .collect();
    assert!(
        !jumps.is_empty(),
        "the feed raises a jump before the conflict is seen"
    );
    for j in jumps {
        let id = &j.alert().id;
        assert_eq!(
            events_of(id).last(),
            Some(&"retracted"),
            "{id}: {:?}",
            events_of(id)
        );
        assert!(drained.iter().all(|a| &a.id != id), "{id} was drained");
    }
}

/// A for 10 min, then B 120 nm away for 10 min, and so on; every 10 s.
fn turns(k: &mut Kit, mmsi: u32, legs: i64) {
    for leg in 0..legs {
        let lat = if leg % 2 == 0 { 60.0 } else { 62.0 };
        for j in 0..60 {
            let t = leg * 600 + j * 10;
            k.pos(mmsi, t, lat + t as f64 * 0.000_03, 3.0, 10.0, 0.0);
        }
    }
}

#[test]
fn two_transmitters_taking_turns_are_one_conflict_not_a_series_of_jumps() {
    let mut k = Kit::new(cfg(), open_sea());
    turns(&mut k, 257_000_001, 6);
    // Then only A, for over the stream window: the episode ended with B's last fix.
    for j in 0..450 {
        let t = 3600 + j * 10;
        k.pos(257_000_001, t, 60.0 + t as f64 * 0.000_03, 3.0, 10.0, 0.0);
    }
    let a = k.alerts_of(Kind::IdentityConflict);
    assert_eq!(a.len(), 1, "{a:#?}");
    assert_eq!(a[0].end, Some(T0 + 3_590_000), "closed at B's last fix");
    assert_eq!(a[0].severity, Severity::High);
    assert!(a[0].summary.contains("two places"), "{}", a[0].summary);
    assert!(
        k.alerts_of(Kind::PositionJump).is_empty(),
        "{:#?}",
        k.alerts_of(Kind::PositionJump)
    );
}

#[test]
fn control_one_outlier_stays_a_position_jump_and_a_move_after_the_window_is_not_a_return() {
    let mut k = Kit::new(cfg(), open_sea());
    for j in 0..120 {
        let lat = if j == 60 {
            62.0
        } else {
            60.0 + j as f64 * 0.000_3
        };
        k.pos(257_000_001, j * 10, lat, 3.0, 10.0, 0.0);
    }
    assert_eq!(k.alerts_of(Kind::PositionJump).len(), 1);
    assert!(k.alerts_of(Kind::IdentityConflict).is_empty());
}

fn identity(k: &mut Kit, mmsi: u32, t: i64, name: &str, imo: u32) {
    k.stat(mmsi, t, name, 80);
    k.stat_imo(mmsi, t, imo);
}

#[test]
fn imo_taken_over_by_a_new_mmsi_at_sea_is_flag_hopping() {
    let mut k = Kit::new(cfg(), open_sea());
    for j in 0..30 {
        k.pos(273_000_001, j * 60, 60.0 + j as f64 * 0.003, 3.0, 10.0, 0.0);
        if j % 6 == 0 {
            identity(&mut k, 273_000_001, j * 60, "OLD NAME", 9_329_760);
        }
    }
    // Silent 20 min, then the same ship under a Liberian MMSI a few nm on.
    for j in 50..80 {
        k.pos(636_000_001, j * 60, 60.0 + j as f64 * 0.003, 3.0, 10.0, 0.0);
        if j % 6 == 2 {
            identity(&mut k, 636_000_001, j * 60, "NEW NAME", 9_329_760);
        }
    }
    let a = k.alerts_of(Kind::IdentityConflict);
    assert_eq!(a.len(), 1, "{a:#?}");
    assert_eq!(a[0].mmsi, 636_000_001);
    assert_eq!(a[0].related_mmsi, [273_000_001]);
    assert_eq!(a[0].severity, Severity::High);
    assert!(
        a[0].summary.contains(
            "took over IMO 9329760 from MMSI 273000001 (flag RU → LR, name OLD NAME → NEW NAME)"
        ),
        "{}",
        a[0].summary
    );
    assert!(a[0].summary.contains("flag hopping"));
}

#[test]
fn two_live_vessels_giving_one_imo_in_turn_is_not_flag_hopping() {
    // Two ships 4 nm apart both send static data with the same IMO every 6 minutes. Each time one
    // gives it after the other it looks like a hop; when the other gives it again, it is not.
    let mut k = Kit::new(cfg(), open_sea());
    for j in 0..61 {
        k.pos(538_000_001, j * 60, 60.0 + j as f64 * 0.003, 3.0, 10.0, 0.0);
        k.pos(
            257_000_001,
            j * 60,
            60.0 + j as f64 * 0.003,
            3.13,
            10.0,
            0.0,
        );
        if j % 6 == 0 {
            identity(&mut k, 538_000_001, j * 60, "NAVIG8 ONE", 9_003_172);
        }
        if j % 6 == 3 {
            identity(&mut k, 257_000_001, j * 60, "FAR ONE", 9_003_172);
        }
    }
    let a = k.alerts_of(Kind::IdentityConflict);
    assert!(a.is_empty(), "{a:#?}");
}

#[test]
fn control_same_imo_far_away_or_days_later_or_a_placeholder_imo_is_not_flag_hopping() {
    let mut k = Kit::new(cfg(), open_sea());
    k.pos(273_000_001, 0, 60.0, 3.0, 10.0, 0.0);
    identity(&mut k, 273_000_001, 0, "A", 9_329_760);
    k.pos(636_000_001, 600, 68.0, 3.0, 10.0, 0.0); // 480 nm away 10 min later
    identity(&mut k, 636_000_001, 600, "B", 9_329_760);
    k.pos(636_000_002, 3 * 86_400, 68.0, 3.0, 10.0, 0.0); // two days later
    identity(&mut k, 636_000_002, 3 * 86_400, "C", 9_329_760);
    for (i, m) in [636_000_003u32, 636_000_004].into_iter().enumerate() {
        k.pos(m, 100 + i as i64, 61.0, 3.0, 10.0, 0.0);
        identity(&mut k, m, 100 + i as i64, "D", 1_234_567);
    }
    assert!(k.alerts_of(Kind::IdentityConflict).is_empty());
}

#[test]
fn renamed_at_sea_is_a_medium_note_once_and_in_port_is_not() {
    let geo = open_sea().with_port("Port", 59.0, 3.0, 3_000.0);
    let mut k = Kit::new(cfg(), geo);
    for (m, lat, imo) in [
        (257_000_001u32, 60.0, 9_329_760),
        (257_000_002, 59.0, 9_074_729),
    ] {
        k.pos(m, 0, lat, 3.0, 10.0, 0.0);
        identity(&mut k, m, 0, "FIRST", imo);
        identity(&mut k, m, 360, "SECOND", imo);
        identity(&mut k, m, 720, "THIRD", imo);
    }
    let a = k.alerts_of(Kind::IdentityConflict);
    let renamed: Vec<_> = a
        .iter()
        .filter(|a| a.summary.contains("changed its identity"))
        .collect();
    assert_eq!(renamed.len(), 1, "{a:#?}");
    assert_eq!(renamed[0].mmsi, 257_000_001);
    assert_eq!(renamed[0].severity, Severity::Medium);
    assert!(
        renamed[0].summary.contains("name FIRST → SECOND"),
        "{}",
        renamed[0].summary
    );
}

#[test]
fn imo_change() {
    let mut k = Kit::new(cfg(), open_sea());
    k.stat_imo(257_000_003, 0, 9_329_760);
    k.stat_imo(257_000_003, 60, 9_329_761);
    k.stat_imo(257_000_003, 120, 9_329_761);
    let a = k.alerts_of(Kind::IdentityConflict);
    assert_eq!(a.len(), 1, "{a:#?}");
    assert!(a[0].summary.contains("IMO number from 9329760 to 9329761"));
}

#[test]
fn real_imo_numbers() {
    assert!(super::real_imo(9_329_760));
    assert!(super::real_imo(9_074_729));
    for i in [1_234_567, 9_999_999, 9_329_761, 123, 0] {
        assert!(!super::real_imo(i), "{i}");
    }
}
