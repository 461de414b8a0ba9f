//! `varde replay --incidents`: one drifting ship is one incident, not several unrelated alerts.

use serde_json::Value;
use std::process::Command;

fn varde(args: &[&str]) -> std::process::Output {
    let out = Command::new(env!("CARGO_BIN_EXE_varde"))
        .args(args)
        .output()
        .expect("varde runs");
    assert!(
        out.status.success(),
        "varde {args:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn jsonl(path: &std::path::Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn an_anchor_dragging_ship_is_one_incident_with_all_its_alerts() {
    let dir = tempfile::tempdir().unwrap();
    let p = |n: &str| dir.path().join(n).to_str().unwrap().to_owned();
    let sim = varde(&[
        "sim",
        "--vessels",
        "5",
        "--hours",
        "6",
        "--scenario",
        "builtin:eagle_s",
        "--layer-out",
        &p("assets.geojson"),
    ]);
    std::fs::write(p("eagle.nmea"), &sim.stdout).unwrap();
    let out = varde(&[
        "replay",
        &p("eagle.nmea"),
        "--layer",
        &p("assets.geojson"),
        "--alerts",
        &p("alerts.jsonl"),
        "--incidents",
        &p("incidents.jsonl"),
    ]);
    let summary = String::from_utf8_lossy(&out.stderr);
    assert!(summary.contains("incidents: "), "{summary}");
    let alerts = jsonl(dir.path().join("alerts.jsonl").as_path());
    let eagle: Vec<&Value> = alerts.iter().filter(|a| a["mmsi"] == 518_998_100).collect();
    let kinds: Vec<&str> = eagle.iter().map(|a| a["kind"].as_str().unwrap()).collect();
    assert!(
        kinds.contains(&"infrastructure_speed_anomaly") && kinds.contains(&"ais_gap"),
        "{kinds:?}"
    );
    let ids: std::collections::BTreeSet<&str> = eagle
        .iter()
        .map(|a| a["incident"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 1, "one story: {eagle:#?}");
    let incidents = jsonl(dir.path().join("incidents.jsonl").as_path());
    let mine: Vec<&Value> = incidents
        .iter()
        .filter(|i| i["mmsi"].as_array().unwrap().contains(&518_998_100.into()))
        .collect();
    assert_eq!(mine.len(), 1, "{incidents:#?}");
    assert_eq!(mine[0]["alerts"].as_array().unwrap().len(), eagle.len());
    assert!(mine[0]["summary"].as_str().unwrap().contains("more alerts"));
    // The control (constant speed) raises nothing, so no incident of its own.
    assert_eq!(
        incidents.len(),
        alerts
            .iter()
            .map(|a| a["incident"].as_str().unwrap())
            .collect::<std::collections::BTreeSet<_>>()
            .len()
    );
}
