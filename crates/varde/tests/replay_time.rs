//! `varde replay` on input that is hard to place or to trust: lines without
//! any timestamp (skipped loudly, exit status 3, or placed with
//! `--assume-rate`), mixed files, and messages off the standard length for
//! their type (counted by type and cause; refused ones never reach the
//! engine).

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, UNIX_EPOCH};
use varde_ais::message::PositionReport;
use varde_ais::AisMessage;

struct Run {
    status: Option<i32>,
    stderr: String,
    alerts: Vec<Value>,
}

fn replay(input: &Path, extra: &[&str]) -> Run {
    let out = input.with_extension("alerts.jsonl");
    let _ = std::fs::remove_file(&out);
    let o: Output = Command::new(env!("CARGO_BIN_EXE_varde"))
        .arg("replay")
        .arg(input)
        .arg("--alerts")
        .arg(&out)
        .args(extra)
        .output()
        .expect("varde runs");
    let text = std::fs::read_to_string(&out).unwrap_or_default();
    Run {
        status: o.status.code(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        alerts: text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect(),
    }
}

/// A small simulated hour with the watch-listed tanker, its tag blocks
/// (the only timestamps) cut off; the watch list; the listed MMSI; the
/// number of lines.
struct Untimed {
    dir: tempfile::TempDir,
    nmea: PathBuf,
    watchlist: PathBuf,
    mmsi: Value,
    lines: usize,
}

fn untimed() -> Untimed {
    let dir = tempfile::tempdir().unwrap();
    let expect = dir.path().join("expect.json");
    let sim = Command::new(env!("CARGO_BIN_EXE_varde"))
        .args(["sim", "--vessels", "3", "--hours", "1"])
        .args(["--scenario", "builtin:watchlisted", "--expect-out"])
        .arg(&expect)
        .output()
        .unwrap();
    assert!(sim.status.success());
    let text = String::from_utf8(sim.stdout).unwrap();
    assert!(
        text.lines().all(|l| l.starts_with('\\')),
        "sim lines carry a tag block"
    );
    let bare: String = text
        .lines()
        .map(|l| l.rsplit_once('\\').unwrap().1)
        .flat_map(|l| [l, "\n"])
        .collect();
    let e: Vec<Value> = serde_json::from_slice(&std::fs::read(expect).unwrap()).unwrap();
    let listed = e.iter().find(|e| e["watchlist"] == true).unwrap();
    let mmsi = listed["mmsi"][0].clone();
    let nmea = dir.path().join("bare.nmea");
    std::fs::write(&nmea, &bare).unwrap();
    let watchlist = dir.path().join("watch.txt");
    std::fs::write(&watchlist, format!("{mmsi}\n")).unwrap();
    Untimed {
        lines: text.lines().count(),
        dir,
        nmea,
        watchlist,
        mmsi,
    }
}

fn unix_s(a: &Value) -> i64 {
    let s = a["start"].as_str().unwrap().trim_end_matches('Z');
    let (date, time) = s.split_once('T').unwrap();
    let d: Vec<i64> = date.split('-').map(|x| x.parse().unwrap()).collect();
    let t: Vec<f64> = time.split(':').map(|x| x.parse().unwrap()).collect();
    varde_ais::time::days_from_civil(d[0], d[1] as u32, d[2] as u32) * 86_400
        + (t[0] * 3600.0 + t[1] * 60.0 + t[2]) as i64
}

#[test]
fn a_file_without_timestamps_is_refused_loudly() {
    let u = untimed();
    let r = replay(&u.nmea, &["--watchlist", u.watchlist.to_str().unwrap()]);
    assert_eq!(r.status, Some(3), "exit status 3: {}", r.stderr);
    assert!(
        r.stderr.contains("had no timestamp")
            && r.stderr.contains("--assume-rate LINES_PER_S")
            && r.stderr.contains("--time-from-file"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("nothing replayed"), "{}", r.stderr);
    assert!(r.alerts.is_empty());
}

#[test]
fn assume_rate_places_untimed_lines_and_alerts_fire() {
    let u = untimed();
    let rate = format!("{}", u.lines as f64 / 3600.0);
    let wl = u.watchlist.to_str().unwrap();
    // Default start: the documented fixed epoch, 2000-01-01.
    let r = replay(&u.nmea, &["--watchlist", wl, "--assume-rate", &rate]);
    assert_eq!(r.status, Some(0), "{}", r.stderr);
    assert!(!r.stderr.contains("had no timestamp"), "{}", r.stderr);
    assert!(r.stderr.contains("on the assumed clock"), "{}", r.stderr);
    let hit: Vec<&Value> = r
        .alerts
        .iter()
        .filter(|a| a["kind"] == "watchlist" && a["mmsi"] == u.mmsi)
        .collect();
    assert!(!hit.is_empty(), "watchlist alert: {}", r.stderr);
    let t0 = 946_684_800;
    assert!((t0..t0 + 3600).contains(&unix_s(hit[0])), "{}", hit[0]);

    // --start: line i is at start + i / rate, so the tanker's first line
    // (where its watch-list alert starts) falls where its line number says.
    let r = replay(
        &u.nmea,
        &[
            "--watchlist",
            wl,
            "--assume-rate",
            &rate,
            "--start",
            "2024-07-16T00:00:00Z",
        ],
    );
    assert_eq!(r.status, Some(0), "{}", r.stderr);
    let a = r
        .alerts
        .iter()
        .find(|a| a["kind"] == "watchlist" && a["mmsi"] == u.mmsi)
        .expect("watchlist alert");
    let first = first_line_of(&u, &mmsi_needle(&u.mmsi));
    let want = 1_721_088_000 + (first as f64 * 3600.0 / u.lines as f64) as i64;
    assert!((unix_s(a) - want).abs() <= 1, "{a} vs line {first}: {want}");
}

/// Armoured characters 1–5 of a message from `mmsi` (repeat 0): its type
/// 1 and 5 sentences carry them.
fn mmsi_needle(mmsi: &Value) -> String {
    let m = AisMessage::Position(PositionReport {
        msg_type: 1,
        mmsi: mmsi.as_u64().unwrap() as u32,
        ..PositionReport::default()
    });
    m.encode().to_armoured().0[1..6].to_owned()
}

/// Index (from 0) of the first line of the untimed file holding `needle`.
fn first_line_of(u: &Untimed, needle: &str) -> usize {
    std::fs::read_to_string(&u.nmea)
        .unwrap()
        .lines()
        .position(|l| l.contains(needle))
        .expect("the line is there")
}

#[test]
fn time_from_file_ends_the_file_at_its_modification_time() {
    let u = untimed();
    let end = 1_700_000_000u64;
    std::fs::File::options()
        .write(true)
        .open(&u.nmea)
        .unwrap()
        .set_modified(UNIX_EPOCH + Duration::from_secs(end))
        .unwrap();
    let rate = format!("{}", u.lines as f64 / 3600.0);
    let r = replay(
        &u.nmea,
        &[
            "--watchlist",
            u.watchlist.to_str().unwrap(),
            "--assume-rate",
            &rate,
            "--time-from-file",
        ],
    );
    assert_eq!(r.status, Some(0), "{}", r.stderr);
    let a = r
        .alerts
        .iter()
        .find(|a| a["kind"] == "watchlist")
        .expect("watchlist alert");
    let first = first_line_of(&u, &mmsi_needle(&u.mmsi));
    let want = end as i64 - ((u.lines - 1 - first) as f64 * 3600.0 / u.lines as f64) as i64;
    assert!((unix_s(a) - want).abs() <= 1, "{a} vs line {first}: {want}");
    // Without a rate, the file time alone cannot spread the lines: refused.
    let o = Command::new(env!("CARGO_BIN_EXE_varde"))
        .args(["replay", u.nmea.to_str().unwrap(), "--alerts"])
        .arg(u.dir.path().join("x.jsonl"))
        .arg("--time-from-file")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "usage error");
}

#[test]
fn mixed_file_untimed_lines_take_the_last_time_and_leading_ones_are_counted() {
    let u = untimed();
    let sim = Command::new(env!("CARGO_BIN_EXE_varde"))
        .args(["sim", "--vessels", "3", "--hours", "1"])
        .args(["--scenario", "builtin:watchlisted"])
        .output()
        .unwrap();
    let timed = String::from_utf8(sim.stdout).unwrap();
    let bare = std::fs::read_to_string(&u.nmea).unwrap();
    // 100 untimed lines, then the timed hour, then the untimed hour again.
    let lead: Vec<&str> = bare.lines().take(100).collect();
    let mixed = format!("{}\n{timed}{bare}", lead.join("\n"));
    let path = u.dir.path().join("mixed.nmea");
    std::fs::write(&path, mixed).unwrap();
    let r = replay(&path, &["--watchlist", u.watchlist.to_str().unwrap()]);
    assert_eq!(r.status, Some(0), "replayed, with a warning: {}", r.stderr);
    assert!(r.stderr.contains("had no timestamp"), "{}", r.stderr);
    assert!(r.stderr.contains("took the last time"), "{}", r.stderr);
    assert!(
        r.alerts
            .iter()
            .any(|a| a["kind"] == "watchlist" && a["mmsi"] == u.mmsi),
        "{}",
        r.stderr
    );
}

/// Real captures without timestamps (`../shared/data/ais`): refused loudly,
/// replayed with `--assume-rate`.
#[test]
fn real_untimed_captures() {
    let Some(root) = varde_testdata::shared("ais", "varde replay_time") else {
        return;
    };
    for f in ["dma-aislib/ais250.txt", "pyais/nmea_data_sample.txt"] {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("capture.txt");
        std::fs::copy(root.join(f), &path).unwrap();
        let r = replay(&path, &[]);
        assert_eq!(r.status, Some(3), "{f}: {}", r.stderr);
        assert!(r.stderr.contains("had no timestamp"), "{f}: {}", r.stderr);
        let r = replay(&path, &["--assume-rate", "20"]);
        assert_eq!(r.status, Some(0), "{f}: {}", r.stderr);
        let vessels: u64 = r
            .stderr
            .split(" vessels")
            .next()
            .and_then(|s| s.rsplit(' ').next())
            .and_then(|n| n.parse().ok())
            .unwrap_or(0);
        assert!(vessels > 0, "{f}: positions placed: {}", r.stderr);
        eprintln!("{f}: {}", r.stderr.lines().next().unwrap_or(""));
    }
    // The Kystverket capture is timed (tag block c:): nothing skipped.
    let r = replay(&root.join("kystverket-aisnet/Ais1000Lines.nm4"), &[]);
    assert_eq!(r.status, Some(0));
    assert!(r.stderr.contains(", 0 without time"), "{}", r.stderr);
}

fn nmea_checksum(s: &str) -> u8 {
    s.bytes().fold(0, |a, b| a ^ b)
}

/// A tag-blocked type 1 sentence at `t` seconds, its payload padded or cut
/// to `bits` bits.
fn type1(t: i64, mmsi: u32, lat: f64, lon: f64, bits: usize) -> String {
    let m = AisMessage::Position(PositionReport {
        msg_type: 1,
        mmsi,
        speed: 100,
        lat: (lat * 600_000.0) as i32,
        lon: (lon * 600_000.0) as i32,
        course: 0,
        heading: 0,
        second: (t % 60) as u8,
        turn: -128,
        ..PositionReport::default()
    });
    let (mut armoured, fill) = m.encode().to_armoured();
    assert_eq!((armoured.len(), fill), (28, 0));
    let chars = bits.div_ceil(6);
    while armoured.len() < chars {
        armoured.push('0');
    }
    armoured.truncate(chars);
    let fill = chars * 6 - bits;
    let tag = format!("c:{t}");
    let body = format!("AIVDM,1,1,,A,{armoured},{fill}");
    format!(
        "\\{tag}*{:02X}\\!{body}*{:02X}",
        nmea_checksum(&tag),
        nmea_checksum(&body)
    )
}

/// A vessel steaming north at 10 kn in the open Norwegian Sea, one report
/// every 10 s for 20 minutes; at 10 minutes one message of `odd_bits` bits
/// puts it a degree away.
fn track_with_odd_message(odd_bits: usize) -> String {
    let (t0, mmsi) = (1_721_088_000, 257_123_450);
    let mut out = String::new();
    for i in 0..120 {
        let t = t0 + i * 10;
        let lat = 67.0 + (10.0 / 3600.0 * (i * 10) as f64) / 60.0;
        let (lat, bits) = if i == 60 {
            (lat + 1.0, odd_bits)
        } else if i % 20 == 5 {
            (lat, 200) // over-long, fields whole: used
        } else {
            (lat, 168)
        };
        out.push_str(&type1(t, mmsi, lat, 5.0, bits));
        out.push('\n');
    }
    out
}

#[test]
fn messages_off_their_standard_length_are_counted_and_refused_ones_never_alert() {
    let dir = tempfile::tempdir().unwrap();
    // A 210-bit type 1 is longer than any transmitter sends: refused, and
    // its far-away position never reaches the engine.
    let path = dir.path().join("long.nmea");
    std::fs::write(&path, track_with_odd_message(210)).unwrap();
    let r = replay(&path, &[]);
    assert_eq!(r.status, Some(0), "{}", r.stderr);
    assert!(r.alerts.is_empty(), "{:#?}", r.alerts);
    assert!(r.stderr.contains("119 reports"), "{}", r.stderr);
    // One vessel heard for 1,190 s.
    assert!(r.stderr.contains("vessel-hours: 0.33 "), "{}", r.stderr);
    assert!(r.stderr.contains("too_long_for_type"), "{}", r.stderr);
    let lengths = r
        .stderr
        .split("off the standard length for their type:")
        .nth(1)
        .unwrap_or_else(|| panic!("lengths listed: {}", r.stderr));
    assert!(
        lengths.contains("type 1  long") && lengths.contains("(decoded)"),
        "{lengths}"
    );
    assert!(
        lengths.contains("type 1  too_long") && lengths.contains("(refused)"),
        "{lengths}"
    );

    // A 150-bit type 1 cannot hold the course and radio fields: refused too.
    std::fs::write(&path, track_with_odd_message(150)).unwrap();
    let r = replay(&path, &[]);
    assert!(r.alerts.is_empty(), "{:#?}", r.alerts);
    assert!(r.stderr.contains("too_short_for_type"), "{}", r.stderr);

    // Control: the same far fix at the standard length is a report like any
    // other, and the engine does react to it.
    std::fs::write(&path, track_with_odd_message(168)).unwrap();
    let r = replay(&path, &[]);
    assert!(r.stderr.contains("120 reports"), "{}", r.stderr);
    assert!(
        !r.alerts.is_empty(),
        "a one-degree jump in 10 s is noticed: {}",
        r.stderr
    );
}
