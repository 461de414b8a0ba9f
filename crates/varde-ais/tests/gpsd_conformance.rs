//! gpsd conformance: decode gpsd's AIS test corpus and compare every record
//! with gpsd's own JSON output, field by field (as parsed JSON, ignoring
//! `"device"`). All mismatches are reported at once.
//!
//! Inputs are in `shared/data/ais/gpsd/` (copied from gpsd's `test/`):
//! `sample.aivdm` against `sample.aivdm.ju.chk` (`gpsdecode -u -j`) and
//! `sample.aivdm.js.chk` (`gpsdecode -j`), and `daemon/*.log` against their
//! `.chk` (gpsd daemon output, unscaled; only the AIS lines count).
//!
//! Sentences are split and reassembled with the minimal helper of `support`
//! (`Keying::GpsdChannel`), which follows gpsd: the NMEA checksum must match,
//! fragments collect per radio channel and restart at fragment 1, and type 24
//! halves merge per channel.

mod support;

use std::path::{Path, PathBuf};

use serde_json::Value;
use varde_ais::gpsd::{write_json, Type24Merge};
use varde_ais::AisMessage;

use support::{chk_line, ChkLine, Keying, Reassembler};

fn data_dir() -> Option<PathBuf> {
    varde_testdata::shared("ais/gpsd", "varde-ais gpsd_conformance")
}

/// Decodes every line of `input` and returns gpsd-style JSON records.
fn decode_all(input: &str, scaled: bool) -> Vec<Value> {
    let mut coll = Reassembler::new(Keying::GpsdChannel);
    let mut merge = Type24Merge::new();
    let mut out = Vec::new();
    for line in input.lines() {
        let Some((chan, payload)) = coll.push(line) else {
            continue;
        };
        let Ok(msg) = AisMessage::decode(&payload) else {
            continue;
        };
        let Some(msg) = merge.offer_on(chan, msg) else {
            continue;
        };
        let mut buf = Vec::new();
        write_json(&msg, scaled, &mut buf);
        out.push(
            serde_json::from_slice(&buf)
                .unwrap_or_else(|e| panic!("invalid JSON {e}: {}", String::from_utf8_lossy(&buf))),
        );
    }
    out
}

/// gpsd's AIS records in a `.chk` file, without `"device"`.
///
/// Daemon logs echo each input line before gpsd's JSON; the daemon re-sends
/// the last AIS record, unchanged, after other NMEA sentences of the same
/// cycle. Such a line (an AIS record identical to the previous one, whose
/// last echoed input was not an AIS sentence) is skipped; anything else
/// counts.
fn expected(chk: &str) -> Vec<Value> {
    let mut last_input_ais = true;
    let mut prev = "";
    let mut out = Vec::new();
    for l in chk.lines() {
        let c = chk_line(l);
        let ChkLine::Ais(l) = c else {
            if let ChkLine::Input(_) = c {
                last_input_ais = c.is_ais_input();
            }
            continue;
        };
        if !last_input_ais && l == prev {
            continue;
        }
        prev = l;
        let mut v: Value = serde_json::from_str(l).expect("gpsd JSON");
        if let Some(o) = v.as_object_mut() {
            o.remove("device");
        }
        out.push(v);
    }
    out
}

/// Field-by-field differences of two records.
fn diff(got: &Value, want: &Value) -> Vec<String> {
    let (Some(g), Some(w)) = (got.as_object(), want.as_object()) else {
        return vec![format!("not objects: {got} vs {want}")];
    };
    let mut d = Vec::new();
    for (k, wv) in w {
        match g.get(k) {
            None => d.push(format!("missing {k}={wv}")),
            Some(gv) if !same(gv, wv) => d.push(format!("{k}: got {gv}, want {wv}")),
            _ => {}
        }
    }
    d.extend(
        g.keys()
            .filter(|k| !w.contains_key(*k))
            .map(|k| format!("extra {k}={}", g[k])),
    );
    d
}

/// Equality with numbers compared as values (gpsd prints 0.0 where we may
/// print 0.0000000, both parse to the same f64).
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same(p, q))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

/// Aligns two record lists on (type, mmsi) with a longest common
/// subsequence, so that one extra or missing record does not shift every
/// comparison after it. Returns index pairs; `None` marks an unmatched side.
fn align(got: &[Value], want: &[Value]) -> Vec<(Option<usize>, Option<usize>)> {
    let key = |v: &Value| (v["type"].clone(), v["mmsi"].clone());
    let (n, m) = (got.len(), want.len());
    let mut t = vec![vec![0u32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            t[i][j] = if key(&got[i]) == key(&want[j]) {
                t[i + 1][j + 1] + 1
            } else {
                t[i + 1][j].max(t[i][j + 1])
            };
        }
    }
    let (mut i, mut j, mut out) = (0, 0, Vec::new());
    while i < n || j < m {
        if i < n && j < m && key(&got[i]) == key(&want[j]) {
            out.push((Some(i), Some(j)));
            (i, j) = (i + 1, j + 1);
        } else if j == m || (i < n && t[i + 1][j] >= t[i][j + 1]) {
            out.push((Some(i), None));
            i += 1;
        } else {
            out.push((None, Some(j)));
            j += 1;
        }
    }
    out
}

/// Compares the decoded records with gpsd's; returns (identical, total,
/// report lines).
fn compare(name: &str, got: &[Value], want: &[Value]) -> (usize, usize, Vec<String>) {
    let mut report = Vec::new();
    if got.len() != want.len() {
        report.push(format!(
            "{name}: {} records decoded, gpsd has {}",
            got.len(),
            want.len()
        ));
    }
    let mut ok = 0;
    for pair in align(got, want) {
        match pair {
            (Some(g), Some(w)) => {
                let d = diff(&got[g], &want[w]);
                if d.is_empty() {
                    ok += 1;
                } else {
                    let (t, m) = (&want[w]["type"], &want[w]["mmsi"]);
                    report.push(format!("{name} #{w} type {t} mmsi {m}: {}", d.join("; ")));
                }
            }
            (Some(g), None) => report.push(format!("{name}: extra record {}", got[g])),
            (None, Some(w)) => report.push(format!("{name} #{w}: missing record {}", want[w])),
            (None, None) => {}
        }
    }
    (ok, want.len(), report)
}

fn run(input: &Path, chk: &Path, scaled: bool) -> (usize, usize, Vec<String>) {
    let input_text = std::fs::read_to_string(input).expect("input");
    let chk_text = std::fs::read_to_string(chk).expect("chk");
    let name = chk
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    compare(
        &name,
        &decode_all(&input_text, scaled),
        &expected(&chk_text),
    )
}

fn check(cases: &[(PathBuf, PathBuf, bool)]) {
    let mut all = Vec::new();
    for (input, chk, scaled) in cases {
        let (ok, total, report) = run(input, chk, *scaled);
        println!("{}: {ok}/{total} identical", chk.display());
        all.extend(report);
    }
    for line in &all {
        println!("  {line}");
    }
    assert!(all.is_empty(), "{} mismatches (listed above)", all.len());
}

#[test]
fn sample_unscaled_matches_gpsdecode_u_j() {
    let Some(dir) = data_dir() else {
        return;
    };
    check(&[(
        dir.join("sample.aivdm"),
        dir.join("sample.aivdm.ju.chk"),
        false,
    )]);
}

#[test]
fn sample_scaled_matches_gpsdecode_j() {
    let Some(dir) = data_dir() else {
        return;
    };
    check(&[(
        dir.join("sample.aivdm"),
        dir.join("sample.aivdm.js.chk"),
        true,
    )]);
}

#[test]
fn daemon_logs_match_gpsd() {
    let Some(dir) = data_dir() else {
        return;
    };
    let mut cases = Vec::new();
    for e in std::fs::read_dir(dir.join("daemon"))
        .expect("daemon dir")
        .flatten()
    {
        let p = e.path();
        if p.extension().is_some_and(|x| x == "log") {
            let chk = p.with_extension("log.chk");
            cases.push((p, chk, false));
        }
    }
    cases.sort();
    check(&cases);
}
