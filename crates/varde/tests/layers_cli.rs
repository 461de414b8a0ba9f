//! Infrastructure layers through `varde replay`: a cable layer whose features carry their kind in
//! `type: "Power cable"` (or are given one with `--layer FILE:cable`) is a cable to every detector, and
//! the start-up listing names the kinds loaded; a layer of an unknown kind is listed as unclassified
//! and is not watched as a cable.
//!
//! The traffic is written here as NMEA (tag-block time), in the Gulf of Finland where Estlink 2 runs:
//! a trawler (navigational status 7, 4 kn) crossing the cable three times, and a vessel drifting at
//! 1 kn over it for 45 minutes.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;
use varde_ais::message::PositionReport;
use varde_ais::nmea::{encode_sentences, EncodeOptions};
use varde_ais::AisMessage;

const T0: i64 = 1_721_088_000;
const TRAWLER: u32 = 230_123_456;
const DRIFTER: u32 = 230_654_321;
/// The test cable: a north–south line at 26° E.
const CABLE_LON: f64 = 26.0;
const NM_DEG_LON_AT_60: f64 = 1.0 / 60.0 / 0.5; // one nautical mile in degrees of longitude at 60° N

fn line(t: i64, mmsi: u32, status: u8, lat: f64, lon: f64, sog_kn: f64, cog: f64) -> String {
    let m = AisMessage::Position(PositionReport {
        msg_type: 1,
        mmsi,
        status,
        speed: (sog_kn * 10.0).round() as u16,
        lat: (lat * 600_000.0).round() as i32,
        lon: (lon * 600_000.0).round() as i32,
        course: (cog * 10.0).round() as u16,
        heading: cog.round() as u16,
        second: (t % 60) as u8,
        turn: -128,
        ..PositionReport::default()
    });
    let opts = EncodeOptions {
        tag_time_s: Some(t),
        ..EncodeOptions::default()
    };
    encode_sentences(&m.encode(), &opts).join("\n")
}

/// The two vessels' reports, every 30 s, in time order.
fn traffic() -> String {
    let mut out: Vec<(i64, String)> = Vec::new();
    // Trawler: legs of 3 nm at 4 kn (45 min) between 1.5 nm west and 1.5 nm east of the cable:
    // east, west, east; it enters the cable's 1 nm radius three times.
    let leg_s = 45 * 60;
    for i in 0..=(3 * leg_s / 30) {
        let s = i * 30;
        let (leg, into) = (s / leg_s, (s % leg_s) as f64 / leg_s as f64);
        let (from, to, cog) = if leg % 2 == 0 {
            (-1.5, 1.5, 90.0)
        } else {
            (1.5, -1.5, 270.0)
        };
        let (from, to) = if leg >= 3 { (1.5, 1.5) } else { (from, to) };
        let x_nm = from + (to - from) * into;
        let lon = CABLE_LON + x_nm * NM_DEG_LON_AT_60;
        out.push((T0 + s, line(T0 + s, TRAWLER, 7, 59.90, lon, 4.0, cog)));
    }
    // Drifter: 1 kn eastward across the cable at 59.95° N for 45 minutes, from 0.4 nm west.
    for i in 0..=90 {
        let s = i * 30;
        let x_nm = -0.4 + s as f64 / 3600.0;
        let lon = CABLE_LON + x_nm * NM_DEG_LON_AT_60;
        out.push((T0 + s, line(T0 + s, DRIFTER, 0, 59.95, lon, 1.0, 90.0)));
    }
    out.sort_by_key(|(t, _)| *t);
    out.into_iter().map(|(_, l)| l + "\n").collect()
}

/// A one-feature cable layer at 26° E with the given properties.
fn layer(dir: &Path, name: &str, props: &str) -> PathBuf {
    let p = dir.join(name);
    let text = format!(
        r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","properties":{props},
        "geometry":{{"type":"LineString","coordinates":[[{CABLE_LON},59.6],[{CABLE_LON},60.2]]}}}}]}}"#
    );
    std::fs::write(&p, text).unwrap();
    p
}

struct Run {
    stderr: String,
    alerts: Vec<Value>,
}

fn replay(nmea: &Path, layer_arg: &str) -> Run {
    let out = nmea.with_extension(format!("{}.jsonl", layer_arg.len()));
    let o = Command::new(env!("CARGO_BIN_EXE_varde"))
        .arg("replay")
        .arg(nmea)
        .args(["--layer", layer_arg, "--alerts"])
        .arg(&out)
        .output()
        .expect("varde runs");
    let stderr = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(o.status.success(), "varde replay failed:\n{stderr}");
    let alerts = std::fs::read_to_string(&out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    Run { stderr, alerts }
}

fn setup() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let nmea = dir.path().join("gulf.nmea");
    std::fs::write(&nmea, traffic()).unwrap();
    (dir, nmea)
}

fn loiter_of(run: &Run, mmsi: u32) -> Vec<&Value> {
    run.alerts
        .iter()
        .filter(|a| a["kind"] == "infrastructure_loiter" && a["mmsi"] == mmsi)
        .collect()
}

fn crossing(run: &Run) -> Option<&Value> {
    loiter_of(run, TRAWLER)
        .into_iter()
        .find(|a| a["summary"].as_str().unwrap().contains("crossed"))
}

#[test]
fn power_cable_by_its_type_property_is_watched_as_a_cable() {
    let (dir, nmea) = setup();
    let power = layer(
        dir.path(),
        "baltic.geojson",
        r#"{"name":"Estlink 2 (test)","type":"Power cable"}"#,
    );
    let run = replay(&nmea, power.to_str().unwrap());
    let listing = run
        .stderr
        .lines()
        .find(|l| l.starts_with("infrastructure: "))
        .unwrap_or_else(|| panic!("no start-up listing:\n{}", run.stderr));
    // The built-in schematic layer has 2 cables, 5 pipelines and 7 platforms; ours adds a power cable.
    assert_eq!(
        listing,
        "infrastructure: 3 cable (1 power_cable), 5 pipeline, 7 platform"
    );
    assert!(!run.stderr.contains("unclassified"), "{}", run.stderr);
    let a = crossing(&run).unwrap_or_else(|| panic!("no crossing alert: {:#?}", run.alerts));
    assert_eq!(a["severity"], "high");
    assert_eq!(a["asset"]["name"], "Estlink 2 (test)");
    assert_eq!(a["asset"]["kind"], "cable");
    // The vessel drifting over it is slow near it for 45 minutes.
    assert!(
        loiter_of(&run, DRIFTER)
            .iter()
            .any(|a| a["asset"]["name"] == "Estlink 2 (test)"),
        "{:#?}",
        run.alerts
    );
}

#[test]
fn layer_kind_override_on_the_command_line() {
    let (dir, nmea) = setup();
    let odd = layer(
        dir.path(),
        "misc.geojson",
        r#"{"name":"X-link","kind":"foo"}"#,
    );
    let run = replay(&nmea, &format!("{}:cable", odd.display()));
    assert!(
        run.stderr
            .contains("infrastructure: 3 cable, 5 pipeline, 7 platform\n"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("unclassified"), "{}", run.stderr);
    let a = crossing(&run).unwrap_or_else(|| panic!("no crossing alert: {:#?}", run.alerts));
    assert_eq!(a["asset"]["name"], "X-link");
}

#[test]
fn control_an_unclassified_kind_is_listed_and_not_watched_as_a_cable() {
    let (dir, nmea) = setup();
    let odd = layer(
        dir.path(),
        "misc.geojson",
        r#"{"name":"X-link","kind":"foo"}"#,
    );
    let run = replay(&nmea, odd.to_str().unwrap());
    assert!(
        run.stderr.contains(
            "warning: infrastructure: 2 cable, 5 pipeline, 7 platform, 1 other; 1 unclassified \
             (1 × kind \"foo\" in layer misc: kept as `other`, not watched as a cable, pipeline or \
             platform)"
        ),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("--layer FILE:KIND"), "{}", run.stderr);
    assert!(crossing(&run).is_none(), "{:#?}", run.alerts);
    // Proximity detectors still see it, as the warning says.
    assert!(
        loiter_of(&run, DRIFTER)
            .iter()
            .any(|a| a["asset"]["kind"] == "other"),
        "{:#?}",
        run.alerts
    );
}
