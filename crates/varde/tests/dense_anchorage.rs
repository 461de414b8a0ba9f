//! Dense waters (issue 10) through `varde replay`: 2,000 tankers anchored 150 m apart raise no
//! rendezvous, whether the anchorage is known only as a crowd of slow vessels (open sea, no port near)
//! or as the water off a foreign port of the World Port Index (`[geo] ports`, the shared WPI file),
//! while a true ship-to-ship meeting at sea 30 km away is still a rendezvous. The control switches the
//! crowd rule off and gets the storm back.

use serde_json::Value;
use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;
use varde_ais::message::PositionReport;
use varde_ais::AisMessage;

const T0: i64 = 1_735_084_800;
const MINUTES: i64 = 45;
const VESSELS: u32 = 2_000;
const SPACING_M: f64 = 150.0;
/// The two tankers of the true meeting at sea.
const STS: [u32; 2] = [470_200_001, 470_200_002];

fn checksum(s: &str) -> u8 {
    s.bytes().fold(0, |a, b| a ^ b)
}

/// A tag-blocked type 1 sentence: `status` 1 at anchor, 0 under way; speed in tenths of a knot.
fn type1(out: &mut String, t: i64, mmsi: u32, (lat, lon): (f64, f64), status: u8, speed: u16) {
    let m = AisMessage::Position(PositionReport {
        msg_type: 1,
        mmsi,
        status,
        speed,
        lat: (lat * 600_000.0).round() as i32,
        lon: (lon * 600_000.0).round() as i32,
        course: 900,
        heading: 90,
        second: (t % 60) as u8,
        turn: -128,
        ..PositionReport::default()
    });
    let (armoured, fill) = m.encode().to_armoured();
    let tag = format!("c:{t}");
    let body = format!("AIVDM,1,1,,A,{armoured},{fill}");
    let _ = writeln!(
        out,
        "\\{tag}*{:02X}\\!{body}*{:02X}",
        checksum(&tag),
        checksum(&body)
    );
}

/// One report: time (s), MMSI, position, navigational status, speed (tenths of a knot).
type Line = (i64, u32, (f64, f64), u8, u16);

/// `metres` north and east of `at`.
fn offset(at: (f64, f64), north_m: f64, east_m: f64) -> (f64, f64) {
    let m_per_deg = 111_195.0;
    (
        at.0 + north_m / m_per_deg,
        at.1 + east_m / (m_per_deg * at.0.to_radians().cos()),
    )
}

/// 2,000 anchored tankers on a 150 m grid (45 columns) with its south-west corner at `corner`, each
/// reporting every 3 minutes, and the two tankers of a meeting at `sts` (120 m apart, 0.3 kn, a report
/// a minute), for 45 minutes (a meeting raises at 30), in time order.
fn traffic(corner: (f64, f64), sts: (f64, f64)) -> String {
    let mut lines: Vec<Line> = Vec::new();
    for i in 0..VESSELS {
        let at = offset(
            corner,
            f64::from(i / 45) * SPACING_M,
            f64::from(i % 45) * SPACING_M,
        );
        let mmsi = 470_100_001 + i;
        let mut t = T0 + i64::from(i % 180);
        while t < T0 + MINUTES * 60 {
            lines.push((t, mmsi, at, 1, 1));
            t += 180;
        }
    }
    for (k, mmsi) in STS.into_iter().enumerate() {
        let at = offset(sts, 0.0, 120.0 * k as f64);
        let mut t = T0 + 7 * k as i64;
        while t < T0 + MINUTES * 60 {
            lines.push((t, mmsi, at, 0, 3));
            t += 60;
        }
    }
    lines.sort_by_key(|l| (l.0, l.1));
    let mut out = String::new();
    for (t, mmsi, at, status, speed) in lines {
        type1(&mut out, t, mmsi, at, status, speed);
    }
    out
}

/// `varde replay` of `nmea` with the configuration `toml`; the alerts.
fn replay(dir: &Path, name: &str, nmea: &str, toml: &str) -> Vec<Value> {
    let input = dir.join(format!("{name}.nmea"));
    let config = dir.join(format!("{name}.toml"));
    let alerts = dir.join(format!("{name}.alerts.jsonl"));
    std::fs::write(&input, nmea).unwrap();
    std::fs::write(&config, toml).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_varde"))
        .arg("replay")
        .arg(&input)
        .arg("--config")
        .arg(&config)
        .arg("--alerts")
        .arg(&alerts)
        .arg("--quiet")
        .output()
        .expect("varde runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::read_to_string(&alerts)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// The rendezvous alerts as (lower MMSI, higher MMSI).
fn rendezvous(alerts: &[Value]) -> Vec<(u64, u64)> {
    alerts
        .iter()
        .filter(|a| a["kind"] == "rendezvous")
        .map(|a| {
            let m = a["mmsi"].as_u64().unwrap();
            let r = a["related_mmsi"][0].as_u64().unwrap();
            (m.min(r), m.max(r))
        })
        .collect()
}

fn sts_pair() -> (u64, u64) {
    (u64::from(STS[0]), u64::from(STS[1]))
}

/// Open sea in the Gulf of Oman, more than 50 km from any port: the crowd alone is the anchorage.
const OPEN_SEA: (f64, f64) = (25.00, 56.90);
/// 30 km east of it.
const AT_SEA: (f64, f64) = (25.02, 57.25);

#[test]
fn a_crowded_anchorage_at_open_sea_raises_no_rendezvous_but_a_meeting_beside_it_does() {
    let dir = tempfile::tempdir().unwrap();
    let nmea = traffic(OPEN_SEA, AT_SEA);
    let alerts = replay(dir.path(), "crowd", &nmea, "");
    assert_eq!(rendezvous(&alerts), vec![sts_pair()], "{alerts:#?}");

    // Control: without the crowd rule the same anchorage is a storm of pairs.
    let off = "[watch.rendezvous]\nanchorage_min_vessels = 0\n";
    let storm = rendezvous(&replay(dir.path(), "control", &nmea, off));
    assert!(storm.contains(&sts_pair()));
    assert!(storm.len() > 1_000, "{} rendezvous", storm.len());
}

#[test]
fn an_anchorage_off_a_foreign_wpi_port_raises_no_rendezvous_but_a_meeting_at_sea_does() {
    let Some(wpi) =
        varde_testdata::shared("geo/ports/wpi_ports_world.geojson", "varde dense_anchorage")
    else {
        return;
    };
    let text = std::fs::read_to_string(&wpi).unwrap();
    let ports: Value = serde_json::from_str(&text).unwrap();
    let fujairah = ports["features"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["properties"]["name"] == "Al Fujayrah")
        .expect("Al Fujayrah in the WPI");
    let c = &fujairah["geometry"]["coordinates"];
    let port = (c[1].as_f64().unwrap(), c[0].as_f64().unwrap());
    // The anchorage east of the port, its nearest row 2 km out, its farthest corner ~9 km.
    let corner = offset(port, -3_300.0, 2_000.0);
    let nmea = traffic(corner, AT_SEA);
    // The crowd rule off, so only the port list can say "anchorage".
    let toml = format!(
        "[geo]\nports = {:?}\n[watch.rendezvous]\nanchorage_min_vessels = 0\n",
        wpi.display().to_string()
    );
    let dir = tempfile::tempdir().unwrap();
    let alerts = replay(dir.path(), "wpi", &nmea, &toml);
    assert_eq!(rendezvous(&alerts), vec![sts_pair()], "{alerts:#?}");
}
