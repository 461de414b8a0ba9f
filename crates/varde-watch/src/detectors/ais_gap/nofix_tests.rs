//! A vessel heard without a position (GNSS lost: lat 91/lon 181) is transmitting, not dark.

use crate::alert::{Alert, Kind};
use crate::detectors::testkit::*;

const SHIP: u32 = 257_200_001;
const OTHER: u32 = 257_200_002;

/// Near the cable (58.0 N) at 10 kn east, every 10 s for 2 h, with another vessel reporting all along.
/// Between 600 s and 3 000 s `SHIP` sends a report without a position when `spell` says so at that
/// second, and nothing otherwise.
fn run(live: bool, spell: impl Fn(i64) -> bool) -> Vec<Alert> {
    let mut c = cfg();
    c.ais_gap.live_near_assets = live;
    let mut k = Kit::new(c, cables());
    for t in (0..2 * 3600).step_by(10) {
        let lon = 9.5 + t as f64 * 0.00005;
        k.pos(OTHER, t, 58.02, lon, 10.0, 90.0);
        if !(600..3000).contains(&t) {
            k.pos(SHIP, t, 58.005, lon, 10.0, 90.0);
        } else if spell(t) {
            k.no_fix(SHIP, t);
        }
    }
    k.engine.finish(T0 + 2 * 3_600_000);
    k.alerts_of(Kind::AisGap)
}

#[test]
fn heard_without_a_position_through_the_silence_is_not_a_gap_in_replay_or_live() {
    for live in [false, true] {
        let a = run(live, |_| true);
        assert!(a.is_empty(), "live={live}: {a:#?}");
    }
}

#[test]
fn control_no_fix_reports_then_real_silence_is_a_gap_from_the_last_of_them() {
    for live in [false, true] {
        let a = run(live, |t| t < 900);
        assert_eq!(a.len(), 1, "live={live}: {a:#?}");
        assert_eq!(a[0].mmsi, SHIP);
        assert!(a[0].end.is_some(), "closed on reappearance");
        assert!(
            a[0].summary.contains("heard without one until"),
            "live={live}: {}",
            a[0].summary
        );
    }
}

#[test]
fn control_a_long_silence_inside_the_no_fix_spell_is_still_a_gap() {
    // No fix from 600 s; reports without one until 900 s, then 30 min of nothing, then again.
    let a = run(false, |t| !(900..2700).contains(&t));
    assert_eq!(a.len(), 1, "{a:#?}");
}

#[test]
fn a_lone_no_fix_report_right_after_the_fix_does_not_hide_a_gap() {
    let a = run(false, |t| t == 600);
    assert_eq!(a.len(), 1, "{a:#?}");
}
