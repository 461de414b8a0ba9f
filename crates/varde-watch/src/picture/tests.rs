use super::*;
use crate::geo::destination;
use crate::report::{RawLines, StationClass};

fn report(t_s: i64, lat: f64, lon: f64) -> Report {
    let fix = PositionFix {
        lat,
        lon,
        sog_kn: Some(10.0),
        cog_deg: Some(0.0),
        heading_deg: None,
        nav_status: Some(0),
        class: StationClass::ClassA,
    };
    Report {
        time_ms: t_s * 1000,
        mmsi: 257_000_001,
        source: None,
        kind: ReportKind::Position(fix),
        raw: RawLines::default(),
    }
}

/// North at 10 kn for 300 s, then east: where the vessel is at `t_s`.
fn at(t_s: i64) -> (f64, f64) {
    let m = |s: i64| 10.0 * NM_M * s as f64 / 3600.0;
    let (lat, lon) = destination(60.0, 4.0, 0.0, m(t_s.min(300)));
    destination(lat, lon, 90.0, m((t_s - 300).max(0)))
}

fn times(p: &Picture) -> Vec<u32> {
    let v = p.get(257_000_001).unwrap();
    v.track.points().map(|p| p.time_s).collect()
}

#[test]
fn late_fixes_go_in_time_order_and_stale_ones_out_of_place_are_dropped() {
    let cfg = Config::default();
    let mut p = Picture::default();
    for t in (0..=600).step_by(10) {
        let (lat, lon) = at(t);
        p.observe(&cfg, &report(t, lat, lon));
    }
    // Late, in reverse order: two true fixes, a stale one stamped 590 s with the place of 100 s
    // (500 kn back to the latest), and one 1.5 nm off the track.
    let (lat100, lon100) = at(100);
    let (lat455, lon455) = at(455);
    let late = [
        (595, at(595)),
        (590, (lat100, lon100)),
        (455, destination(lat455, lon455, 0.0, 1.5 * NM_M)),
        (155, at(155)),
    ];
    for (t, (lat, lon)) in late {
        let (_, u) = p.observe(&cfg, &report(t, lat, lon));
        assert_eq!(u, Update::Late);
    }
    let ts = times(&p);
    assert!(ts.windows(2).all(|w| w[0] < w[1]), "in time order: {ts:?}");
    assert!(
        ts.contains(&155) && ts.contains(&595),
        "true late fixes kept: {ts:?}"
    );
    assert!(
        !ts.contains(&590) && !ts.contains(&455),
        "zig-zags dropped: {ts:?}"
    );
}

#[test]
fn control_late_fixes_filling_a_reporting_gap_are_kept() {
    let cfg = Config::default();
    let mut p = Picture::default();
    for t in (0..=100).step_by(10).chain((1000..=1100).step_by(10)) {
        let (lat, lon) = at(t);
        p.observe(&cfg, &report(t, lat, lon));
    }
    for t in (2..=9).rev().map(|k| k * 100) {
        let (lat, lon) = at(t);
        p.observe(&cfg, &report(t, lat, lon));
    }
    let ts = times(&p);
    assert!(ts.windows(2).all(|w| w[0] < w[1]), "{ts:?}");
    for t in (200..=900).step_by(100) {
        assert!(ts.contains(&t), "{t} missing from {ts:?}");
    }
}

#[test]
fn a_stream_returning_to_the_place_it_left_is_a_conflict() {
    let cfg = Config::default();
    let mut p = Picture::default();
    let mut seen = Vec::new();
    for leg in 0..3 {
        let lat = if leg % 2 == 0 { 60.0 } else { 62.0 };
        for j in 0..30 {
            let t = leg * 300 + j * 10;
            let (_, u) = p.observe(&cfg, &report(t, lat, 4.0));
            seen.push(u);
        }
    }
    let jumps = seen
        .iter()
        .filter(|u| matches!(u, Update::Jump { .. }))
        .count();
    let conflicts = seen
        .iter()
        .filter(|u| matches!(u, Update::Conflict { .. }))
        .count();
    assert_eq!((jumps, conflicts), (1, 1), "{seen:?}");
}

fn no_fix_report(t_s: i64) -> Report {
    Report {
        kind: ReportKind::NoFix(crate::report::NoFix {
            sog_kn: None,
            heading_deg: Some(10),
            nav_status: Some(0),
            class: StationClass::ClassA,
        }),
        ..report(t_s, 0.0, 0.0)
    }
}

#[test]
fn a_report_without_a_position_is_heard_but_moves_nothing() {
    let cfg = Config::default();
    let mut p = Picture::default();
    let (_, u) = p.observe(&cfg, &no_fix_report(0));
    assert_eq!(
        u,
        Update::NoFix {
            last: None,
            first: false
        },
        "never fixed"
    );
    let (lat, lon) = at(10);
    p.observe(&cfg, &report(10, lat, lon));
    let latest = p.get(257_000_001).unwrap().latest;
    let (_, u) = p.observe(&cfg, &no_fix_report(20));
    assert_eq!(
        u,
        Update::NoFix {
            last: latest,
            first: true
        }
    );
    let (_, u) = p.observe(&cfg, &no_fix_report(80));
    assert_eq!(
        u,
        Update::NoFix {
            last: latest,
            first: false
        }
    );
    let (_, u) = p.observe(&cfg, &no_fix_report(5));
    assert_eq!(
        u,
        Update::NoFix {
            last: latest,
            first: false
        },
        "out of order: starts nothing"
    );
    let v = p.get(257_000_001).unwrap();
    assert_eq!(
        (v.latest, v.last_seen_ms, v.rare().nofix_ms),
        (latest, 80_000, 80_000)
    );
    assert_eq!(
        v.rare().nofix_silence_s,
        60,
        "the longest silence of the spell since the fix"
    );
    assert_eq!(times(&p), vec![10], "the track holds fixes only");
    // A fix ends the spell; the next report without a position starts a new one.
    let (lat, lon) = at(100);
    p.observe(&cfg, &report(100, lat, lon));
    let (_, u) = p.observe(&cfg, &no_fix_report(110));
    assert!(matches!(u, Update::NoFix { first: true, .. }));
    assert_eq!(p.get(257_000_001).unwrap().rare().nofix_silence_s, 10);
}

#[test]
fn observed_time_caps_gaps_ignores_late_reports_and_survives_forgetting() {
    let cfg = Config::default();
    let mut p = Picture::default();
    let mut other = report(5, 60.0, 5.0);
    other.mmsi = 2;
    p.observe(&cfg, &report(0, 60.0, 5.0));
    p.observe(&cfg, &report(1_800, 60.0, 5.001));
    p.observe(&cfg, &report(900, 60.0, 5.0005)); // late: adds nothing
    p.observe(&cfg, &report(1_800 + 10 * 3_600, 60.0, 5.2)); // ten hours unheard: one counted
    p.observe(&cfg, &other);
    // A vessel heard only without a position adds nothing.
    let mut silent = no_fix_report(3);
    silent.mmsi = 3;
    p.observe(&cfg, &silent);
    let o = p.observation();
    assert!((o.hours() - 1.5).abs() < 1e-9, "{}", o.hours());
    assert!((o.span_hours() - 10.5).abs() < 1e-9, "{}", o.span_hours());
    // Forgetting a vessel keeps what it was observed.
    assert_eq!(p.forget_silent(30_000 * 1000), 2);
    assert_eq!(p.observation(), o);
}
