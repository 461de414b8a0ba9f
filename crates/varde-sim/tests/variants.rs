//! The harder variants (issue 8) produce the kinematics and identities
//! their notes describe, and each control differs as specified.

mod common;

use common::{max_gap, run, Pos, Run};
use std::collections::BTreeMap;
use varde_ais::message::AisMessage;
use varde_ais::{Decoder, Output};
use varde_sim::geo::{angle_diff, distance_to_line_m, LatLon, NM_M};
use varde_sim::scenario::ASSETS;
use varde_sim::{Expectation, Scenario, SimConfig};

fn incident(name: &str) -> (Run, Vec<Expectation>) {
    let sc = Scenario::builtin(name).unwrap();
    let exp = sc.expectations(SimConfig::default().start_unix_s).unwrap();
    (run(0, 8.0, 1, Some(sc)), exp)
}

fn track(r: &Run, mmsi: u32) -> &[Pos] {
    r.positions
        .get(&mmsi)
        .unwrap_or_else(|| panic!("no reports from {mmsi}"))
}

fn asset(name: &str) -> &'static [LatLon] {
    ASSETS.iter().find(|a| a.name == name).unwrap().line
}

/// One type 5 as received: time, MMSI, IMO, name, call sign, ship type.
#[derive(Debug, Clone)]
struct Static5 {
    t_s: i64,
    mmsi: u32,
    imo: u32,
    name: String,
    callsign: String,
    ship_type: u8,
}

fn type5(r: &Run) -> Vec<Static5> {
    let mut dec = Decoder::new();
    let mut out = Vec::new();
    for l in &r.lines {
        if let Ok(Output::Frame(f)) = dec.feed(0, l.as_bytes()) {
            let t_s = f.time_ms.unwrap() / 1000;
            if let Ok(AisMessage::StaticVoyage(s)) = AisMessage::decode(f.payload) {
                out.push(Static5 {
                    t_s,
                    mmsi: s.mmsi,
                    imo: s.imo,
                    name: s.shipname.as_str().trim().to_string(),
                    callsign: s.callsign.as_str().trim().to_string(),
                    ship_type: s.shiptype,
                });
            }
        }
    }
    out
}

fn implied_kn(a: &Pos, b: &Pos) -> f64 {
    a.at.distance_m(b.at) / NM_M / ((b.t_s - a.t_s).max(1) as f64 / 3600.0)
}

#[test]
fn long_drag_holds_the_drag_speed_for_hours_before_the_cable() {
    let (r, e) = incident("long_anchor_drag");
    let line = asset(e[0].asset.unwrap());
    let t = track(&r, e[0].mmsi[0]);
    let first_slow = t.iter().position(|p| p.sog <= 6.55).unwrap();
    let crossing = t
        .iter()
        .min_by(|a, b| distance_to_line_m(a.at, line).total_cmp(&distance_to_line_m(b.at, line)))
        .unwrap();
    assert!(distance_to_line_m(crossing.at, line) < 300.0);
    assert!(
        crossing.t_s - t[first_slow].t_s >= 160 * 60,
        "drag hours before"
    );
    assert!(
        t[first_slow].at.distance_m(crossing.at) >= 30_000.0,
        "30+ km before"
    );
    let drag: Vec<_> = t
        .iter()
        .filter(|p| p.t_s >= t[first_slow].t_s && p.t_s <= crossing.t_s)
        .collect();
    assert!(drag
        .iter()
        .all(|p| (p.sog - 6.5).abs() < 0.05 && p.status == 0));
    assert!(t.iter().all(|p| angle_diff(p.cog, 257.0).abs() < 0.5));
    assert!(t[..first_slow].iter().filter(|p| p.sog == 11.0).count() >= 300);
    let c = track(&r, e[1].mmsi[0]);
    assert!(c.iter().all(|p| p.sog == 6.5));
    assert!(c.iter().any(|p| distance_to_line_m(p.at, line) < 300.0));
    assert_eq!(e[1].silent_kinds, e[0].expected_kinds);
}

#[test]
fn station_outage_silences_a_whole_station_and_the_control_one_vessel() {
    let (r, e) = incident("station_outage");
    let line = asset(e[0].asset.unwrap());
    let mut silences = Vec::new();
    for &m in &e[0].mmsi {
        let t = track(&r, m);
        assert!(r.stations[&m].iter().all(|s| s == "2573960"), "{m}");
        let w = t.windows(2).max_by_key(|w| w[1].t_s - w[0].t_s).unwrap();
        assert!(
            distance_to_line_m(w[0].at, line) < 6.0 * NM_M,
            "{m} near the pipeline"
        );
        // Reappears where dead reckoning puts it.
        assert!((implied_kn(&w[0], &w[1]) - w[0].sog).abs() < 0.2, "{m}");
        silences.push((w[0].t_s, w[1].t_s));
    }
    assert_eq!(silences.len(), 7);
    let (from, to) = (silences[0].0, silences[0].1);
    assert!((to - from - 75 * 60).abs() <= 20);
    assert!(silences
        .iter()
        .all(|s| (s.0 - from).abs() <= 10 && (s.1 - to).abs() <= 10));
    // Control: the station keeps delivering the others during the silence.
    let dark = track(&r, e[1].mmsi[0]);
    let w = dark.windows(2).max_by_key(|w| w[1].t_s - w[0].t_s).unwrap();
    assert!((w[1].t_s - w[0].t_s - 3600).abs() <= 20);
    let others = r
        .positions
        .iter()
        .filter(|(m, _)| r.stations[m].iter().all(|s| s == "2573961") && **m != e[1].mmsi[0])
        .filter(|(_, t)| t.iter().any(|p| p.t_s > w[0].t_s && p.t_s < w[1].t_s))
        .count();
    assert_eq!(others, 5);
}

#[test]
fn satellite_waters_are_heard_on_passes_without_a_station_tag() {
    let (r, e) = incident("satellite_waters_gap");
    for x in &e {
        let t = track(&r, x.mmsi[0]);
        assert!(r.stations[&x.mmsi[0]].iter().all(String::is_empty));
        assert!(t.iter().all(|p| p.at.lat > 75.0));
        assert!(t
            .windows(2)
            .all(|w| w[1].t_s - w[0].t_s <= 125 || w[1].t_s - w[0].t_s >= 80 * 60));
    }
    let lines = r.lines.iter().filter(|l| !l.contains("s:")).count();
    assert!(lines >= 20, "{lines}");
    assert!(max_gap(track(&r, e[0].mmsi[0])) >= 7 * 3600);
    let c = track(&r, e[1].mmsi[0]);
    assert!((max_gap(c) - 150 * 60).abs() <= 10);
    assert!(c.len() >= 12);
}

#[test]
fn spoofed_victims_run_round_one_circle_at_once_control_has_one_fix() {
    let (r, e) = incident("gnss_spoofing_circle");
    let centre = e[0].at;
    let mut onsets = Vec::new();
    let mut true_at = Vec::new();
    for &m in &e[0].mmsi {
        let t = track(&r, m);
        let on: Vec<_> = t
            .iter()
            .filter(|p| p.at.distance_m(centre) < 1900.0)
            .collect();
        assert!(on
            .iter()
            .all(|p| (p.at.distance_m(centre) - 1852.0).abs() < 30.0));
        let span = on.last().unwrap().t_s - on[0].t_s;
        assert!((span - 25 * 60).abs() <= 20, "{m}: {span}");
        onsets.push(on[0].t_s);
        let before = t.iter().rev().find(|p| p.t_s < on[0].t_s).unwrap();
        true_at.push(before.at);
    }
    assert_eq!(onsets.len(), 5);
    assert!(onsets.iter().max().unwrap() - onsets.iter().min().unwrap() <= 600);
    for a in &true_at {
        assert!(true_at.iter().all(|b| a.distance_m(*b) < 20.0 * NM_M));
        assert!(a.distance_m(centre) > 60.0 * NM_M);
    }
    let c = track(&r, e[1].mmsi[0]);
    assert_eq!(
        c.iter()
            .filter(|p| p.at.distance_m(e[1].at) < 100.0)
            .count(),
        1
    );
}

#[test]
fn noisy_loiter_reads_above_two_knots_every_few_minutes() {
    let (r, e) = incident("noisy_loiter");
    let t = track(&r, e[0].mmsi[0]);
    // The slow-down ends at exactly 1.2 kn; the noisy hour follows, then
    // the speed ramps up again (ramps read 2-3 kn too, so cut them off).
    let from = t.iter().find(|p| p.sog <= 1.25).unwrap().t_s;
    let drift: Vec<_> = t
        .iter()
        .filter(|p| p.t_s >= from && p.t_s < from + 59 * 60)
        .collect();
    assert!(drift.iter().all(|p| p.sog < 3.0));
    let spikes: Vec<i64> = drift
        .iter()
        .filter(|p| p.sog > 2.0)
        .map(|p| p.t_s)
        .collect();
    assert!((7..=12).contains(&spikes.len()), "{spikes:?}");
    assert!(
        spikes
            .windows(2)
            .all(|w| (290..=490).contains(&(w[1] - w[0]))),
        "{spikes:?}"
    );
    assert!(drift
        .iter()
        .filter(|p| p.sog <= 2.0)
        .all(|p| (0.45..=1.85).contains(&p.sog)));
    let mean = drift.iter().map(|p| p.sog).sum::<f64>() / drift.len() as f64;
    assert!(mean < 1.6, "{mean}");
    assert!(drift.iter().all(|p| p.at.distance_m(e[0].at) < 2.0 * NM_M));
    assert!(track(&r, e[1].mmsi[0]).iter().all(|p| p.sog == 10.0));
}

#[test]
fn internal_waters_vessels_drift_inside_the_fjord() {
    let (r, e) = incident("internal_waters_state_vessel");
    for x in &e {
        let slow: Vec<_> = track(&r, x.mmsi[0])
            .iter()
            .filter(|p| p.sog < 2.0)
            .collect();
        assert!(slow.last().unwrap().t_s - slow[0].t_s >= 45 * 60);
        assert!(slow.iter().all(|p| p.at.distance_m(x.at) < 0.8 * NM_M));
    }
    assert_eq!(e[0].mmsi[0] / 1_000_000, 273);
    assert_eq!(e[1].mmsi[0] / 1_000_000, 257);
    assert!(e[0].at.distance_m(e[1].at) > NM_M);
}

#[test]
fn relabelled_vessel_declares_fishing_at_sea_before_entering() {
    let (r, e) = incident("relabelled_vessel");
    let st = type5(&r);
    let mine: Vec<_> = st.iter().filter(|s| s.mmsi == e[0].mmsi[0]).collect();
    let change = mine.iter().position(|s| s.ship_type == 30).unwrap();
    assert!(change >= 10, "type 35 sent for an hour first");
    assert!(mine[..change].iter().all(|s| s.ship_type == 35));
    assert!(mine[change..].iter().all(|s| s.ship_type == 30));
    // The change is sent at once, well before the territorial sea (11.39 E).
    let t = track(&r, e[0].mmsi[0]);
    let at = t.iter().find(|p| p.t_s >= mine[change].t_s).unwrap();
    assert!(mine[change].t_s - mine[change - 1].t_s < 360);
    assert!(at.at.lon < 11.2, "{:?}", at.at);
    let slow = t.iter().filter(|p| p.sog < 2.0).count();
    assert!(slow >= 45 * 6);
    let control: Vec<_> = st.iter().filter(|s| s.mmsi == e[1].mmsi[0]).collect();
    assert!(!control.is_empty() && control.iter().all(|s| s.ship_type == 30));
}

#[test]
fn dark_partner_lies_beside_the_other_tanker_and_the_control_leaves() {
    let (r, e) = incident("dark_sts_partner");
    for (x, stays) in [(&e[0], true), (&e[1], false)] {
        let (a, b) = (track(&r, x.mmsi[0]), track(&r, x.mmsi[1]));
        let w = a.windows(2).max_by_key(|w| w[1].t_s - w[0].t_s).unwrap();
        assert!(
            (w[1].t_s - w[0].t_s - 150 * 60).abs() <= 120,
            "{}",
            w[1].t_s - w[0].t_s
        );
        let near = |p: &Pos| {
            b.iter()
                .min_by_key(|q| (q.t_s - p.t_s).abs())
                .map(|q| q.at.distance_m(p.at))
                .unwrap()
        };
        assert!(near(&w[0]) < 150.0);
        assert!(b.iter().all(|q| q.sog < 1.0 || q.t_s > w[1].t_s + 1800));
        assert!(max_gap(b) <= 11);
        if stays {
            assert!(near(&w[1]) < 150.0, "{}", near(&w[1]));
        } else {
            assert!(near(&w[1]) > 35_000.0, "{}", near(&w[1]));
        }
    }
}

#[test]
fn alternating_transmitters_take_turns_from_two_consistent_tracks() {
    let (r, e) = incident("alternating_transmitters");
    let t = track(&r, e[0].mmsi[0]);
    let far = t
        .windows(2)
        .filter(|w| w[0].at.distance_m(w[1].at) > 60.0 * NM_M)
        .count();
    assert_eq!(far, 11, "switches every 10 min for 2 h");
    let (a, b): (Vec<&Pos>, Vec<&Pos>) = t.iter().partition(|p| p.at.lat < t[0].at.lat + 0.6);
    let d = a[0].at.distance_m(b[0].at) / NM_M;
    assert!((60.0..=100.0).contains(&d), "{d}");
    for s in [&a, &b] {
        assert!(s
            .windows(2)
            .all(|w| (implied_kn(w[0], w[1]) - 11.0).abs() < 0.5));
    }
    let c = track(&r, e[1].mmsi[0]);
    assert!(max_gap(c) <= 11);
}

#[test]
fn flag_hop_keeps_the_imo_and_the_track_control_does_not() {
    let (r, e) = incident("flag_hop");
    let st = type5(&r);
    let new = e[0].mmsi[0];
    let first_new = st.iter().find(|s| s.mmsi == new).unwrap();
    let old = st.iter().rev().find(|s| s.mmsi == 518_997_950).unwrap();
    assert_eq!(first_new.imo, old.imo);
    assert_ne!(first_new.name, old.name);
    assert_ne!(first_new.callsign, old.callsign);
    assert_ne!(new / 1_000_000, old.mmsi / 1_000_000);
    let (to, tn) = (track(&r, old.mmsi), track(&r, new));
    let (last, next) = (to.last().unwrap(), &tn[0]);
    assert!(
        (first_new.t_s - next.t_s).abs() <= 1,
        "type 5 with the first report"
    );
    assert!((implied_kn(last, next) - 12.0).abs() < 0.5);
    let c: Vec<_> = e[1]
        .mmsi
        .iter()
        .map(|m| st.iter().find(|s| s.mmsi == *m).unwrap().imo)
        .collect();
    assert_ne!(c[0], c[1]);
    let (c0, c1) = (track(&r, e[1].mmsi[0]), track(&r, e[1].mmsi[1]));
    assert!(c0.last().unwrap().at.distance_m(c1[0].at) > 55.0 * NM_M);
}

#[test]
fn placeholder_mmsis_and_buoys_transmit_from_several_places() {
    let (r, e) = incident("placeholder_mmsi");
    for m in [
        111_111_111,
        222_222_222,
        123_456_789,
        1,
        45_678_912,
        45_678_913,
        257_997_945,
    ] {
        assert!(e[0].mmsi.contains(&m), "{m}");
        assert!(!track(&r, m).is_empty(), "{m}");
    }
    let ones = track(&r, 111_111_111);
    let mut by_minute: BTreeMap<i64, Vec<LatLon>> = BTreeMap::new();
    for p in ones {
        by_minute.entry(p.t_s / 300).or_default().push(p.at);
    }
    assert!(by_minute.values().any(|v| v
        .iter()
        .any(|a| v.iter().any(|b| a.distance_m(*b) > 100.0 * NM_M))));
    assert!(e[0].silent_kinds.len() == 11 && !e[0].silent_kinds.contains(&"data_quality"));
    assert!(e[1].silent_kinds.contains(&"data_quality"));
}

#[test]
fn incident_vessels_share_no_imo_or_call_sign_by_accident() {
    let scripts = Scenario::all_builtin().scripts(0).unwrap();
    let mut imo: BTreeMap<u32, u32> = BTreeMap::new();
    let mut calls: BTreeMap<String, u32> = BTreeMap::new();
    for s in &scripts {
        let id = &s.identity;
        if id.imo != 0 {
            let first = *imo.entry(id.imo).or_insert(id.mmsi);
            assert_eq!(first, id.mmsi, "IMO {} on {} and {first}", id.imo, id.mmsi);
        }
        // The variants' vessels (MMSI xxx997xxx); the original incidents
        // reuse a call sign for their control, with another MMSI and IMO.
        if id.mmsi % 1_000_000 / 1000 == 997 && !id.callsign.is_empty() {
            let first = *calls.entry(id.callsign.clone()).or_insert(id.mmsi);
            assert_eq!(first, id.mmsi, "call sign {} on two vessels", id.callsign);
        }
    }
}

#[test]
fn every_kind_is_named_in_toml_as_it_is_built_in() {
    for k in varde_sim::IncidentKind::ALL {
        let toml = format!("[[incident]]\nkind = \"{}\"\n", k.name());
        let sc = Scenario::from_toml(&toml).unwrap_or_else(|e| panic!("{}: {e}", k.name()));
        assert_eq!(sc.incidents[0].kind, k);
        assert!(Scenario::builtin(k.name()).is_ok());
    }
    // The name the TOML accepted before stays accepted.
    assert!(Scenario::from_toml("[[incident]]\nkind = \"yi_peng3\"\n").is_ok());
}
