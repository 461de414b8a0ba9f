//! Replay properties: late and out-of-order data, determinism, the JSON contract.

use super::common::*;
use super::more::{pair, research_cfg, research_vessel};
use varde_watch::{AlertEvent, Kind, Report};

#[test]
fn late_and_out_of_order_reports_revise_instead_of_duplicating() {
    let ship = nord_stream_like();
    let mut reports = ship.out.clone();
    let reappear = reports
        .iter()
        .position(|r| r.time_ms > T0 + 3_600_000 * 20)
        .unwrap();
    let late = reports.remove(reappear + 1); // 10 s after reappearing...
    let older = Report {
        time_ms: reports[reappear].time_ms - 600_000,
        ..late.clone()
    }; // ...and 10 min before it
    reports.push(older);
    reports.insert(0, reports[1].clone()); // an early report repeated late, out of order
    let mut e = varde_watch::Engine::new(research_cfg(), norway()).unwrap();
    let mut events = Vec::new();
    for r in &reports {
        events.extend(e.process(r));
    }
    events.extend(e.process(&late));
    let gaps: Vec<&AlertEvent> = events
        .iter()
        .filter(|ev| ev.alert().kind == Kind::AisGap)
        .collect();
    assert!(gaps.len() >= 2, "opened, closed, then revised: {gaps:#?}");
    assert!(
        gaps.iter().all(|ev| ev.alert().id == gaps[0].alert().id),
        "one id throughout"
    );
    let finals = of(&e, Kind::AisGap, 636_000_041);
    assert_eq!(finals.len(), 1, "revised, not duplicated");
    assert_eq!(finals[0].end, Some(reports.last().unwrap().time_ms));
    assert!(
        finals[0].summary.contains("revised"),
        "{}",
        finals[0].summary
    );
}

fn nord_stream_like() -> Ship {
    let mut s = Ship::new(636_000_041, 0, 57.5, 2.85, "DARK TWO", 70);
    s.sail(30 * 60, 5.0, 0.0)
        .dark(26 * 3600, 1.5, 300.0)
        .sail(10 * 60, 5.0, 0.0);
    s
}

fn everything() -> Vec<Report> {
    let research = research_vessel();
    let mut chiker = Ship::new(273_000_010, 0, 61.0, 4.8, "NIKOLAY CHIKER", 55);
    chiker.circle(2 * 3600, 6.0, NM);
    let (a, b) = pair(273_000_021, 273_000_022, 59.5, 3.45);
    let eagle = {
        let mut s = Ship::new(518_998_000, 0, 58.55, 6.0, "EAGLE S", 80);
        s.sail(160 * 60, 8.5, 0.0)
            .sail(35 * 60, 6.3, 0.0)
            .dark(90 * 60, 5.0, 0.0)
            .sail(600, 7.5, 0.0);
        s
    };
    merge(&[&research, &chiker, &a, &b, &eagle, &nord_stream_like()])
}

#[test]
fn determinism_same_input_gives_byte_identical_alerts() {
    let reports = everything();
    let run_once = || {
        let mut e = varde_watch::Engine::new(research_cfg(), norway()).unwrap();
        let events: Vec<String> = reports
            .iter()
            .flat_map(|r| e.process(r))
            .map(|ev| serde_json::to_string(&ev).unwrap())
            .collect();
        e.finish(reports.last().unwrap().time_ms);
        (e.alerts_jsonl(), events)
    };
    let (first, ev1) = run_once();
    let (second, ev2) = run_once();
    assert!(first.lines().count() >= 6, "{first}");
    assert_eq!(first, second);
    assert_eq!(ev1, ev2);
    let kinds: std::collections::BTreeSet<&str> = first
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["kind"]
                .as_str()
                .unwrap()
                .to_owned()
                .leak() as &str
        })
        .collect();
    assert!(
        kinds.is_superset(
            &["zone_entry", "loitering", "rendezvous", "ais_gap"]
                .into_iter()
                .collect()
        ),
        "{kinds:?}"
    );
}

#[test]
fn alert_json_has_the_contract_fields_in_order() {
    let e = run(research_cfg(), norway(), &merge(&[&research_vessel()]));
    let line = e.alerts_jsonl();
    let first = line.lines().next().unwrap();
    let keys = [
        "\"id\"",
        "\"kind\"",
        "\"severity\"",
        "\"mmsi\"",
        "\"related_mmsi\"",
        "\"vessel\"",
        "\"start\"",
        "\"end\"",
        "\"lat\"",
        "\"lon\"",
        "\"zone\"",
        "\"asset\"",
        "\"summary\"",
        "\"evidence\"",
        "\"releasability\"",
    ];
    let pos: Vec<usize> = keys
        .iter()
        .map(|k| {
            first
                .find(k)
                .unwrap_or_else(|| panic!("{k} missing in {first}"))
        })
        .collect();
    assert!(pos.windows(2).all(|w| w[0] < w[1]), "{first}");
    assert!(
        first.contains("\"start\":\"2024-12-25T10:59:10Z\",\"end\":"),
        "{first}"
    );
    assert!(first.contains("\"releasability\":[\"NOR\"]"), "{first}");
    assert!(first.contains("\"flag\":\"RU\""), "{first}");
}

#[test]
fn the_last_event_of_each_alert_carries_its_final_state() {
    let reports = everything();
    let mut e = varde_watch::Engine::new(research_cfg(), norway()).unwrap();
    let mut last = std::collections::BTreeMap::new();
    for r in &reports {
        for ev in e.process(r) {
            last.insert(ev.alert().id.clone(), ev);
        }
    }
    for ev in e.finish(reports.last().unwrap().time_ms) {
        last.insert(ev.alert().id.clone(), ev);
    }
    let finals = e.alerts();
    assert_eq!(finals.len(), last.len());
    for a in finals {
        let ev = &last[&a.id];
        assert!(!matches!(ev, AlertEvent::Retracted(_)));
        assert_eq!(ev.alert().end, a.end, "{}", a.id);
        assert_eq!(ev.alert().severity, a.severity, "{}", a.id);
    }
}

#[test]
fn draining_closed_alerts_keeps_open_ones_revisable() {
    let reports = everything();
    // Closed alerts stay revisable for `alerts.keep_closed_s` on the engine's clock; older ones go.
    let mut cfg = research_cfg();
    cfg.alerts.keep_closed_s = 600;
    let mut e = varde_watch::Engine::new(cfg.clone(), norway()).unwrap();
    let mut drained = Vec::new();
    for chunk in reports.chunks(500) {
        chunk.iter().for_each(|r| drop(e.process(r)));
        // As a live service does every so many reports.
        let before = e.alerts().len();
        let out = e.drain_closed();
        let hold = e.latest_ms().unwrap() - 600_000;
        assert!(out.iter().all(|a| a.end.is_some_and(|end| end < hold)));
        assert!(e
            .alerts()
            .iter()
            .all(|a| a.end.is_none_or(|end| end >= hold)));
        assert_eq!(out.len() + e.alerts().len(), before);
        drained.extend(out);
    }
    assert!(
        !drained.is_empty(),
        "some alerts closed long before the end"
    );
    let mut whole = varde_watch::Engine::new(cfg, norway()).unwrap();
    reports.iter().for_each(|r| drop(whole.process(r)));
    let mut ids: Vec<String> = drained
        .iter()
        .chain(e.alerts())
        .map(|a| a.id.clone())
        .collect();
    let mut all: Vec<String> = whole.alerts().iter().map(|a| a.id.clone()).collect();
    ids.sort();
    all.sort();
    assert_eq!(ids, all, "draining loses nothing and duplicates nothing");
}

/// Live going dark (`ais_gap.live_near_assets`): a vessel silent near a cable while others are heard is
/// alerted before it reappears; when its reports turn out only delayed, the alert is retracted.
#[test]
fn live_dark_alert_opens_while_silent_and_is_retracted_when_reports_were_only_delayed() {
    let mut cfg = research_cfg();
    cfg.ais_gap.live_near_assets = true;
    let mut near = Ship::new(259_000_051, 0, 58.95, 6.0, "NEAR CABLE", 70);
    near.sail(30 * 60, 8.0, 90.0).sail(30 * 60, 8.0, 90.0);
    let mut far = Ship::new(259_000_052, 0, 57.0, 0.5, "FAR AWAY", 70);
    far.sail(60 * 60, 10.0, 180.0);
    let cut = T0 + 30 * 60_000;
    let (on_time, delayed): (Vec<Report>, Vec<Report>) =
        near.out.iter().cloned().partition(|r| r.time_ms <= cut);
    let mut clocked = on_time.clone();
    clocked.extend(far.out.iter().cloned());
    clocked.sort_by_key(|r| r.time_ms);

    let mut e = varde_watch::Engine::new(cfg, norway()).unwrap();
    let mut events = Vec::new();
    for r in &clocked {
        events.extend(e.process(r));
    }
    let dark: Vec<&AlertEvent> = events
        .iter()
        .filter(|ev| ev.alert().kind == Kind::AisGap)
        .collect();
    assert_eq!(dark.len(), 1, "opened while silent: {dark:#?}");
    assert!(matches!(dark[0], AlertEvent::Opened(_)));
    let opened = dark[0].alert().clone();
    assert_eq!(opened.mmsi, 259_000_051);
    assert_eq!(opened.end, None);
    assert_eq!(opened.start, cut);
    assert!(opened.summary.contains("Cable A"), "{}", opened.summary);

    let mut later = Vec::new();
    for r in &delayed {
        later.extend(e.process(r));
    }
    assert!(
        later
            .iter()
            .any(|ev| matches!(ev, AlertEvent::Retracted(a) if a.id == opened.id)),
        "retracted once the delayed reports arrive: {later:#?}"
    );
    assert!(of(&e, Kind::AisGap, 259_000_051).is_empty());
}

/// A receiver outage is not a vessel going dark: when the station that heard the vessel near the cable
/// delivers nothing more (while another station keeps the clock going), no live alert is raised; when the
/// same station keeps hearing others, it is.
#[test]
fn live_dark_alert_needs_the_vessels_receiver_to_be_heard_since() {
    let mut cfg = research_cfg();
    cfg.ais_gap.live_near_assets = true;
    let cut = T0 + 30 * 60_000;
    let via = |ship: &Ship, station: &str, until: i64| -> Vec<Report> {
        let s: std::sync::Arc<str> = station.into();
        ship.out
            .iter()
            .filter(|r| r.time_ms <= until)
            .map(|r| Report {
                source: Some(s.clone()),
                ..r.clone()
            })
            .collect()
    };
    let mut near = Ship::new(259_000_061, 0, 58.95, 6.0, "NEAR CABLE", 70);
    near.sail(60 * 60, 8.0, 90.0);
    let mut neighbour = Ship::new(259_000_062, 0, 58.7, 5.5, "NEIGHBOUR", 70);
    neighbour.sail(60 * 60, 8.0, 270.0);
    let mut elsewhere = Ship::new(259_000_063, 0, 57.0, 0.5, "ELSEWHERE", 70);
    elsewhere.sail(60 * 60, 10.0, 180.0);
    let end = T0 + 60 * 60_000;
    let gaps = |neighbour_until: i64| -> Vec<varde_watch::Alert> {
        let mut reports = via(&near, "2573345", cut);
        reports.extend(via(&neighbour, "2573345", neighbour_until));
        reports.extend(via(&elsewhere, "2573500", end));
        reports.sort_by_key(|r| r.time_ms);
        let e = run(cfg.clone(), norway(), &reports);
        of(&e, Kind::AisGap, 259_000_061)
    };
    assert!(
        gaps(cut).is_empty(),
        "station 2573345 fell silent with the vessel: an outage, not a dark vessel"
    );
    let heard = gaps(end);
    assert_eq!(
        heard.len(),
        1,
        "the station still hears its neighbour: {heard:#?}"
    );
    assert_eq!(heard[0].end, None);
}
