//! `varde decode` through its real interface: the binary, files and stdin.

use serde_json::Value;
use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

fn shared(rel: &str) -> Option<PathBuf> {
    varde_testdata::shared(&format!("ais/{rel}"), "varde decode_cli")
}

fn varde(args: &[&str], stdin: &[u8]) -> (String, String, bool) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_varde"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("varde runs");
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    let out = child.wait_with_output().unwrap();
    (
        String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.success(),
    )
}

fn records(text: &str) -> Vec<Value> {
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad JSON {e}: {l}")))
        .collect()
}

/// Compares records field by field, ignoring `device` (gpsdecode's input
/// name) and our own `rx_*` receiver keys. Returns every mismatch.
fn diff(ours: &[Value], theirs: &[Value]) -> Vec<String> {
    let mut out = Vec::new();
    if ours.len() != theirs.len() {
        out.push(format!(
            "record count: ours {} gpsd {}",
            ours.len(),
            theirs.len()
        ));
    }
    for (i, (a, b)) in ours.iter().zip(theirs).enumerate() {
        let (Some(a), Some(b)) = (a.as_object(), b.as_object()) else {
            continue;
        };
        let keys = a
            .keys()
            .chain(b.keys())
            .filter(|k| *k != "device" && !k.starts_with("rx_"));
        for k in keys.collect::<std::collections::BTreeSet<_>>() {
            if a.get(k) != b.get(k) {
                out.push(format!(
                    "record {i} (type {}) key {k}: ours {:?} gpsd {:?}",
                    b["type"],
                    a.get(k),
                    b.get(k)
                ));
            }
        }
    }
    out
}

fn gpsd_lines(chk: &str) -> Vec<Value> {
    chk.lines()
        .filter(|l| l.starts_with("{\"class\":\"AIS\""))
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// gpsd's records from a gpsfake `.chk`, which echoes each input line before
/// gpsd's output. gpsd re-reports its last AIS record at the end of each GNSS
/// cycle; a record with no AIS input line since the previous one is such a
/// repeat and is skipped.
fn gpsd_daemon_records(chk: &str) -> Vec<Value> {
    let mut fresh_input = false;
    let mut out = Vec::new();
    for l in chk.lines() {
        if l.contains("VDM,") || l.contains("VDO,") {
            fresh_input = true;
        } else if l.starts_with("{\"class\":\"AIS\"") && fresh_input {
            out.push(serde_json::from_str(l).unwrap());
            fresh_input = false;
        }
    }
    out
}

#[test]
fn unscaled_output_reproduces_all_97_gpsd_sample_records() {
    let (Some(input), Some(chk)) = (
        shared("gpsd/sample.aivdm"),
        shared("gpsd/sample.aivdm.ju.chk"),
    ) else {
        return;
    };
    let (out, err, ok) = varde(&["decode", "--unscaled", input.to_str().unwrap()], b"");
    assert!(ok, "{err}");
    let theirs = gpsd_lines(&std::fs::read_to_string(chk).unwrap());
    assert_eq!(theirs.len(), 97);
    let d = diff(&records(&out), &theirs);
    assert!(d.is_empty(), "{} mismatches:\n{}", d.len(), d.join("\n"));
}

#[test]
fn daemon_logs_reproduce_gpsd_records() {
    let Some(dir) = shared("gpsd/daemon") else {
        return;
    };
    let mut failures = Vec::new();
    for log in [
        "ais-18-27.log",
        "ais-nmea-type6-fid55.log",
        "ais-nmea.log",
        "ais-raw-messages.log",
        "ais_unpack_sixbit.log",
        "ait250.log",
        "saab-r4.log",
    ] {
        let input = dir.join(log);
        let chk = std::fs::read_to_string(dir.join(format!("{log}.chk"))).unwrap();
        let (out, err, ok) = varde(&["decode", "--unscaled", input.to_str().unwrap()], b"");
        assert!(ok, "{log}: {err}");
        for m in diff(&records(&out), &gpsd_daemon_records(&chk)) {
            failures.push(format!("{log}: {m}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn bad_input_is_counted_and_every_good_sentence_still_decodes() {
    let good = "!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A\n";
    let mut input = Vec::new();
    input.extend_from_slice(good.as_bytes());
    input.extend_from_slice(b"!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4B\n"); // bad checksum
    input.extend_from_slice(good.as_bytes());
    input.extend_from_slice(b"!AIVDM,1,1,,A,15RTgt0PAso;90TKc~M8h6g208CQ,0*4A\n"); // broken armouring
    input.extend_from_slice(&[0xff, 0x00, 0x13, 0x80, b'\n']); // binary junk
    input.extend_from_slice(good.as_bytes());
    input.extend(std::iter::repeat_n(b'A', 200_000)); // a 200 kB line
    input.push(b'\n');
    input.extend_from_slice(b"!AIVDM,9,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4B\n");
    input.extend_from_slice(good.as_bytes());
    let (out, err, ok) = varde(&["decode", "--stats", "-"], &input);
    assert!(ok, "{err}");
    let recs = records(&out);
    assert_eq!(recs.len(), 4, "every good sentence decoded");
    assert!(recs.iter().all(|r| r["mmsi"] == 371_798_000));
    assert!(err.contains("bad_checksum"), "{err}");
    assert!(err.contains("line_too_long"), "{err}");
    assert!(err.contains("not_ais"), "{err}");
    assert!(err.contains("messages     4"), "{err}");
}

#[test]
fn gzip_input_is_read_transparently() {
    use flate2::write::GzEncoder;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("feed.nmea.gz");
    let mut gz = GzEncoder::new(
        std::fs::File::create(&path).unwrap(),
        flate2::Compression::fast(),
    );
    gz.write_all(b"\\s:2573345,c:1700000000*xx\\!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A\n")
        .unwrap();
    gz.finish().unwrap();
    let (out, err, ok) = varde(&["decode", path.to_str().unwrap()], b"");
    assert!(ok, "{err}");
    let r = &records(&out)[0];
    assert_eq!(r["mmsi"], 371_798_000);
    assert_eq!(r["rx_time"], "2023-11-14T22:13:20Z");
    assert_eq!(r["rx_station"], "2573345");
    assert_eq!(r["speed"], 12.3, "scaled by default");
}

#[test]
fn missing_file_is_a_clear_error() {
    let (_, err, ok) = varde(&["decode", "/nonexistent/feed.nmea"], b"");
    assert!(!ok);
    assert!(err.contains("cannot open /nonexistent/feed.nmea"), "{err}");
}
