//! Each built-in incident produces its kinematics, and each control differs
//! as specified.

mod common;

use common::{max_gap, run, Pos, Run};
use varde_sim::geo::{angle_diff, distance_to_line_m, LatLon, NM_M};
use varde_sim::scenario::ASSETS;
use varde_sim::{Expectation, Scenario, SimConfig};

fn incident(name: &str) -> (Run, Vec<Expectation>) {
    let sc = Scenario::builtin(name).unwrap();
    let exp = sc.expectations(SimConfig::default().start_unix_s).unwrap();
    (run(0, 14.0, 1, Some(sc)), exp)
}

fn track<'a>(r: &'a Run, e: &Expectation, i: usize) -> &'a [Pos] {
    r.positions
        .get(&e.mmsi[i])
        .unwrap_or_else(|| panic!("no reports from {}", e.mmsi[i]))
}

fn asset(name: &str) -> &'static [LatLon] {
    ASSETS.iter().find(|a| a.name == name).unwrap().line
}

fn nearest_asset_m(p: LatLon) -> f64 {
    ASSETS
        .iter()
        .map(|a| distance_to_line_m(p, a.line))
        .fold(f64::INFINITY, f64::min)
}

#[test]
fn eagle_s_slows_stops_on_the_cable_goes_dark_and_control_does_not() {
    let (r, e) = incident("eagle_s");
    let (t, line) = (track(&r, &e[0], 0), asset(e[0].asset.unwrap()));
    assert!(t.iter().any(|p| (p.sog - 8.5).abs() < 0.05));
    assert!(t.iter().any(|p| (p.sog - 6.3).abs() < 0.05));
    let stops: Vec<_> = t.iter().filter(|p| p.sog < 1.0).collect();
    assert!(stops.len() >= 40, "{}", stops.len());
    let off: Vec<_> = stops
        .iter()
        .filter(|p| distance_to_line_m(p.at, line) >= NM_M)
        .collect();
    assert!(off.is_empty(), "near-stop on the cable: {off:?}");
    assert!(
        t.iter()
            .filter(|p| p.sog > 1.0)
            .all(|p| angle_diff(p.cog, 270.0).abs() < 0.5),
        "no course change"
    );
    assert!((85 * 60..=95 * 60).contains(&max_gap(t)));
    assert!(t.last().unwrap().sog == 7.5);
    let c = track(&r, &e[1], 0);
    assert!(c.iter().all(|p| (p.sog - 8.5).abs() < 0.05) && max_gap(c) <= 11);
    assert!(
        c.iter().any(|p| distance_to_line_m(p.at, line) < 200.0),
        "control crosses the same cable"
    );
    assert_eq!(e[1].silent_kinds, e[0].expected_kinds);
}

#[test]
fn newnew_polar_bear_dips_over_the_pipeline_control_dips_away_from_assets() {
    let (r, e) = incident("newnew_polar_bear");
    let dip = |t: &[Pos]| {
        t.iter()
            .filter(|p| p.sog < 9.6)
            .map(|p| p.at)
            .collect::<Vec<_>>()
    };
    let d = dip(track(&r, &e[0], 0));
    assert!(d.len() >= 28, "about 5 min at 9.5 kn");
    assert!(d
        .iter()
        .all(|p| distance_to_line_m(*p, asset(e[0].asset.unwrap())) < 1000.0));
    let dc = dip(track(&r, &e[1], 0));
    assert!(dc.len() >= 28 && dc.iter().all(|p| nearest_asset_m(*p) > 20_000.0));
}

#[test]
fn yi_peng_3_drifts_back_and_forth_near_the_cable_with_gaps() {
    let (r, e) = incident("yi_peng_3");
    let t = track(&r, &e[0], 0);
    let drift: Vec<_> = t.iter().filter(|p| p.sog >= 1.0 && p.sog <= 3.0).collect();
    assert!(drift.len() >= 300, "60 min of drift");
    assert!(drift
        .iter()
        .all(|p| distance_to_line_m(p.at, asset(e[0].asset.unwrap())) < 2.0 * NM_M));
    let reversals = drift
        .windows(2)
        .filter(|w| angle_diff(w[0].cog, w[1].cog).abs() > 90.0)
        .count();
    assert!(reversals >= 3, "{reversals}");
    let gaps = t
        .windows(2)
        .filter(|w| w[1].t_s - w[0].t_s >= 19 * 60)
        .count();
    assert_eq!(gaps, 2);
    let c = track(&r, &e[1], 0);
    assert!(c
        .iter()
        .filter(|p| p.sog <= 3.0)
        .all(|p| nearest_asset_m(p.at) > 20_000.0));
}

fn crossings(t: &[Pos], line: &[LatLon]) -> usize {
    // Side of the (locally straight) cable: sign of the cross product.
    let (a, b) = (line[1], line[2]);
    let side = |p: LatLon| {
        ((b.lon - a.lon) * (p.lat - a.lat) - (b.lat - a.lat) * (p.lon - a.lon)).signum()
    };
    t.windows(2)
        .filter(|w| side(w[0].at) != side(w[1].at))
        .count()
}

#[test]
fn svalbard_trawler_crosses_the_cable_many_times_control_never() {
    let (r, e) = incident("svalbard_cable_trawler");
    let line = asset(e[0].asset.unwrap());
    let t = track(&r, &e[0], 0);
    assert!(crossings(t, line) >= 12, "{}", crossings(t, line));
    assert!(t.iter().all(|p| p.status == 7 && p.sog <= 4.05));
    let c = track(&r, &e[1], 0);
    assert_eq!(crossings(c, line), 0);
    assert!(c.iter().all(|p| distance_to_line_m(p.at, line) > 5000.0));
}

#[test]
fn nord_stream_gap_under_coverage_and_satellite_control() {
    let (r, e) = incident("nord_stream_gap");
    let t = track(&r, &e[0], 0);
    let (i, w) = t
        .windows(2)
        .enumerate()
        .max_by_key(|(_, w)| w[1].t_s - w[0].t_s)
        .unwrap();
    assert!(
        w[1].t_s - w[0].t_s >= 5 * 3600 - 20,
        "five hours of silence"
    );
    assert!(distance_to_line_m(t[i].at, asset(e[0].asset.unwrap())) < 6.0 * NM_M);
    assert!(t[i].at.distance_m(t[i + 1].at) > 35.0 * NM_M);
    assert!(r.stations[&e[0].mmsi[0]]
        .iter()
        .all(|s| s.starts_with("2573")));
    let c = track(&r, &e[1], 0);
    assert!(r.stations[&e[1].mmsi[0]].iter().all(|s| s == "rNORSAT3"));
    assert!(c.iter().all(|p| p.at.lat > 75.0) && max_gap(c) <= 3 * 3600 + 5 && c.len() >= 5);
}

#[test]
fn research_vessel_stops_inside_the_territorial_sea_control_keeps_going() {
    let (r, e) = incident("research_vessel_territorial");
    let t = track(&r, &e[0], 0);
    assert!(t.iter().any(|p| (p.sog - 9.0).abs() < 0.05));
    let slow: Vec<_> = t.iter().filter(|p| p.sog < 2.0).collect();
    assert!(slow.last().unwrap().t_s - slow[0].t_s >= 44 * 60);
    let c = track(&r, &e[1], 0);
    assert!(c.iter().all(|p| p.sog >= 9.95));
    assert_eq!(e[1].expected_kinds, ["zone_entry"]);
}

fn turned_deg(t: &[&Pos]) -> f64 {
    t.windows(2)
        .map(|w| angle_diff(w[0].cog, w[1].cog).abs())
        .sum()
}

#[test]
fn state_vessel_circles_for_five_and_a_half_hours_control_sets_once() {
    let (r, e) = incident("circling_state_vessel");
    let circ: Vec<_> = track(&r, &e[0], 0).iter().filter(|p| p.sog < 2.0).collect();
    assert!(circ.last().unwrap().t_s - circ[0].t_s >= 330 * 60 - 60);
    assert!(turned_deg(&circ) >= 720.0 * 3.0);
    assert!(circ.iter().all(|p| p.at.distance_m(e[0].at) < 2000.0));
    let c: Vec<_> = track(&r, &e[1], 0).iter().filter(|p| p.sog < 4.0).collect();
    assert!(
        turned_deg(&c) < 720.0 && c.last().unwrap().t_s - c[0].t_s < 50 * 60,
        "{} {}",
        turned_deg(&c),
        c.last().unwrap().t_s - c[0].t_s
    );
}

fn max_implied_kn(t: &[Pos]) -> f64 {
    t.windows(2)
        .map(|w| {
            w[0].at.distance_m(w[1].at) / NM_M / ((w[1].t_s - w[0].t_s).max(1) as f64 / 3600.0)
        })
        .fold(0.0, f64::max)
}

#[test]
fn false_fixes_jump_or_land_once_and_controls_do_not() {
    for name in ["spoofed_fix", "fix_on_land"] {
        let (r, e) = incident(name);
        let t = track(&r, &e[0], 0);
        let far: Vec<_> = t
            .windows(2)
            .filter(|w| w[0].at.distance_m(w[1].at) > 20.0 * NM_M)
            .collect();
        assert_eq!(far.len(), 2, "{name}: one false fix, out and back");
        assert_eq!(
            t.iter()
                .filter(|p| p.at.distance_m(e[0].at) < 100.0)
                .count(),
            1,
            "{name}"
        );
        assert!(max_implied_kn(track(&r, &e[1], 0)) < 20.0, "{name} control");
    }
}

#[test]
fn shared_mmsi_reports_from_two_places_control_uses_two_mmsis() {
    let (r, e) = incident("shared_mmsi");
    let t = track(&r, &e[0], 0);
    let first_b = t
        .iter()
        .position(|p| p.at.distance_m(t[0].at) > 250.0 * NM_M)
        .unwrap();
    assert!((t[first_b].t_s - t[0].t_s - 600).abs() <= 15);
    assert!((t[first_b].at.distance_m(t[0].at) / NM_M - 300.0).abs() < 10.0);
    assert_eq!(e[1].mmsi.len(), 2);
    for i in 0..2 {
        assert!(max_implied_kn(track(&r, &e[1], i)) < 20.0);
    }
}

#[test]
fn sts_tankers_drift_together_far_from_port_control_in_port() {
    let (r, e) = incident("sts_rendezvous");
    let honningsvag = LatLon::new(70.98, 25.97);
    for (exp, far) in [(&e[0], true), (&e[1], false)] {
        let (a, b) = (track(&r, exp, 0), track(&r, exp, 1));
        let together: Vec<_> = a
            .iter()
            .filter(|p| p.sog < 1.0)
            .filter_map(|p| {
                b.iter()
                    .find(|q| (q.t_s - p.t_s).abs() <= 10 && q.sog < 1.0)
                    .map(|q| (p, q))
            })
            .collect();
        assert!(together.iter().all(|(p, q)| p.at.distance_m(q.at) < 150.0));
        assert!(together.last().unwrap().0.t_s - together[0].0.t_s >= 3 * 3600 - 600);
        let d = together[0].0.at.distance_m(honningsvag);
        assert!(if far { d > 30_000.0 } else { d < 2_000.0 }, "{d}");
    }
}

#[test]
fn watchlisted_vessel_is_flagged_for_the_list_and_control_is_not() {
    let (r, e) = incident("watchlisted");
    assert!(e[0].watchlist && !e[1].watchlist);
    assert!(!track(&r, &e[0], 0).is_empty() && !track(&r, &e[1], 0).is_empty());
    assert_ne!(e[0].mmsi, e[1].mmsi);
}

#[test]
fn every_expectation_names_vessels_that_report_inside_the_run() {
    let sc = Scenario::all_builtin();
    let start = SimConfig::default().start_unix_s;
    let r = run(0, 14.0, 2, Some(sc.clone()));
    for e in sc.expectations(start).unwrap() {
        assert!(
            !e.expected_kinds.is_empty() || !e.silent_kinds.is_empty(),
            "{}",
            e.incident
        );
        assert!(e.window.0 >= start && e.window.1 <= start + 14 * 3600);
        for m in &e.mmsi {
            assert!(r.positions.contains_key(m), "{} {m}", e.incident);
        }
    }
}

#[test]
fn scenario_toml_and_errors() {
    let sc = Scenario::from_toml(
        "name = \"demo\"\n[[incident]]\nkind = \"eagle_s\"\nstart_min = 10\nmmsi = 518123000\n\n[[incident]]\nkind = \"sts_rendezvous\"\ncontrol = true\nat = { lat = 70.975, lon = 25.945 }\n",
    )
    .unwrap();
    assert_eq!(sc.incidents.len(), 2);
    assert_eq!(sc.expectations(0).unwrap()[0].mmsi, [518_123_000]);
    assert!(Scenario::from_toml("[[incident]]\nkind = \"nope\"").is_err());
    assert!(Scenario::builtin("nope").is_err());
    let bad = Scenario::from_toml("[[incident]]\nkind = \"eagle_s\"\nimo = 1234568").unwrap();
    assert!(bad.scripts(0).is_err());
    let gj: serde_json::Value = serde_json::from_str(&Scenario::infrastructure_geojson()).unwrap();
    assert_eq!(gj["features"].as_array().unwrap().len(), ASSETS.len());
}
