//! Conformance of the type 6/8 application-specific JSON with gpsd.
//!
//! For every type 6 and type 8 record in gpsd's test corpus
//! (`sample.aivdm.ju.chk` unscaled, `sample.aivdm.js.chk` scaled, and the
//! unscaled `daemon/*.log.chk` gpsfake logs), the NMEA input is reassembled
//! by `support::Reassembler` (keyed by sequence id and channel), the type
//! 6/8 header is read, and
//! `gpsd::asm::write_fields_if_known` must reproduce the keys after `"fid"`:
//! the same keys in the same order with the same parsed values, and the same
//! text. All mismatches are listed before the test fails.
//!
//! The corpus is `ais/gpsd` of the shared data, found by `varde_testdata`:
//! absent, the tests are a recorded skip locally and fail under `CI=true`.

mod support;

use std::collections::VecDeque;
use std::path::{Path, PathBuf};

use varde_ais::bits::{BinaryData, Payload};
use varde_ais::gpsd::asm::write_fields_if_known;
use varde_ais::gpsd::JsonWriter;

use support::{chk_line, ChkLine, Keying, Reassembler};

fn data_dir() -> Option<PathBuf> {
    varde_testdata::shared("ais/gpsd/sample.aivdm", "varde-ais asm")?;
    varde_testdata::shared("ais/gpsd", "varde-ais asm")
}

// ------------------------------------------------------- type 6/8 header --

/// A type 6 or 8 payload as gpsd would decode it.
#[derive(Clone)]
struct Binary {
    msg_type: u8,
    mmsi: u32,
    dac: u16,
    fi: u8,
    data: BinaryData,
}

/// Reads the type 6/8 header; `None` for other types and for lengths gpsd
/// rejects (type 6: 88..=1008 bits, type 8: 56..=1008).
fn binary(p: &Payload) -> Option<Binary> {
    let mut r = p.reader();
    let msg_type = r.u(6) as u8;
    let _repeat = r.u(2);
    let mmsi = r.u(30);
    let header = match msg_type {
        6 => {
            let _seqno = r.u(2);
            let _dest = r.u(30);
            let _retransmit = r.u(1);
            let _spare = r.u(1);
            88
        }
        8 => {
            let _spare = r.u(2);
            56
        }
        _ => return None,
    };
    if p.len_bits() < header || p.len_bits() > 1008 {
        return None;
    }
    let dac = r.u(10) as u16;
    let fi = r.u(6) as u8;
    let data = r.binary(p.len_bits() - header);
    Some(Binary {
        msg_type,
        mmsi,
        dac,
        fi,
        data,
    })
}

// ------------------------------------------------------ ordered JSON --

/// Parsed JSON that keeps object key order.
#[derive(Debug, Clone, PartialEq)]
enum J {
    Null,
    Bool(bool),
    Num(f64),
    Str(String),
    Arr(Vec<J>),
    Obj(Vec<(String, J)>),
}

/// A small recursive-descent JSON parser (the test needs key order, which
/// `serde_json::Value` does not keep here).
struct Parser<'a> {
    s: &'a [u8],
    at: usize,
}

impl Parser<'_> {
    fn ws(&mut self) {
        while self.s.get(self.at).is_some_and(|c| c.is_ascii_whitespace()) {
            self.at += 1;
        }
    }

    fn eat(&mut self, c: u8) -> Result<(), String> {
        self.ws();
        if self.s.get(self.at) == Some(&c) {
            self.at += 1;
            Ok(())
        } else {
            Err(format!("expected '{}' at byte {}", c as char, self.at))
        }
    }

    fn string(&mut self) -> Result<String, String> {
        self.eat(b'"')?;
        let mut out = Vec::new();
        loop {
            let c = *self.s.get(self.at).ok_or("unterminated string")?;
            self.at += 1;
            match c {
                b'"' => break,
                b'\\' => {
                    let e = *self.s.get(self.at).ok_or("bad escape")?;
                    self.at += 1;
                    match e {
                        b'n' => out.push(b'\n'),
                        b'r' => out.push(b'\r'),
                        b't' => out.push(b'\t'),
                        b'b' => out.push(8),
                        b'f' => out.push(12),
                        b'u' => {
                            let hex = self.s.get(self.at..self.at + 4).ok_or("bad \\u")?;
                            let v = u32::from_str_radix(
                                std::str::from_utf8(hex).map_err(|e| e.to_string())?,
                                16,
                            )
                            .map_err(|e| e.to_string())?;
                            self.at += 4;
                            let ch = char::from_u32(v).ok_or("bad \\u")?;
                            out.extend_from_slice(ch.to_string().as_bytes());
                        }
                        other => out.push(other),
                    }
                }
                _ => out.push(c),
            }
        }
        String::from_utf8(out).map_err(|e| e.to_string())
    }

    fn value(&mut self) -> Result<J, String> {
        self.ws();
        match self.s.get(self.at).copied().ok_or("unexpected end")? {
            b'{' => {
                self.at += 1;
                let mut v = Vec::new();
                self.ws();
                if self.s.get(self.at) == Some(&b'}') {
                    self.at += 1;
                    return Ok(J::Obj(v));
                }
                loop {
                    let k = self.string()?;
                    self.eat(b':')?;
                    v.push((k, self.value()?));
                    self.ws();
                    match self.s.get(self.at) {
                        Some(b',') => self.at += 1,
                        Some(b'}') => {
                            self.at += 1;
                            return Ok(J::Obj(v));
                        }
                        _ => return Err(format!("bad object at byte {}", self.at)),
                    }
                }
            }
            b'[' => {
                self.at += 1;
                let mut v = Vec::new();
                self.ws();
                if self.s.get(self.at) == Some(&b']') {
                    self.at += 1;
                    return Ok(J::Arr(v));
                }
                loop {
                    v.push(self.value()?);
                    self.ws();
                    match self.s.get(self.at) {
                        Some(b',') => self.at += 1,
                        Some(b']') => {
                            self.at += 1;
                            return Ok(J::Arr(v));
                        }
                        _ => return Err(format!("bad array at byte {}", self.at)),
                    }
                }
            }
            b'"' => self.string().map(J::Str),
            b't' | b'f' | b'n' => {
                for (word, v) in [
                    ("true", J::Bool(true)),
                    ("false", J::Bool(false)),
                    ("null", J::Null),
                ] {
                    if self.s[self.at..].starts_with(word.as_bytes()) {
                        self.at += word.len();
                        return Ok(v);
                    }
                }
                Err(format!("bad literal at byte {}", self.at))
            }
            _ => {
                let start = self.at;
                while self
                    .s
                    .get(self.at)
                    .is_some_and(|c| c.is_ascii_digit() || b"+-.eE".contains(c))
                {
                    self.at += 1;
                }
                let t = std::str::from_utf8(&self.s[start..self.at]).map_err(|e| e.to_string())?;
                t.parse()
                    .map(J::Num)
                    .map_err(|_| format!("bad number {t:?} at byte {start}"))
            }
        }
    }
}

fn parse(text: &str) -> Result<J, String> {
    let mut p = Parser {
        s: text.as_bytes(),
        at: 0,
    };
    let v = p.value().map_err(|e| format!("{e}: {text}"))?;
    p.ws();
    if p.at != text.len() {
        return Err(format!("trailing characters at byte {}: {text}", p.at));
    }
    Ok(v)
}

/// Field-by-field differences between two JSON values at `path`.
fn diff(path: &str, want: &J, got: &J, out: &mut Vec<String>) {
    match (want, got) {
        (J::Obj(a), J::Obj(b)) => {
            let ka: Vec<&str> = a.iter().map(|(k, _)| k.as_str()).collect();
            let kb: Vec<&str> = b.iter().map(|(k, _)| k.as_str()).collect();
            if ka != kb {
                out.push(format!("{path}: keys {ka:?}, got {kb:?}"));
            }
            for (k, va) in a {
                match b.iter().find(|(kb, _)| kb == k) {
                    Some((_, vb)) => diff(&format!("{path}.{k}"), va, vb, out),
                    None => out.push(format!("{path}.{k}: missing (want {va:?})")),
                }
            }
        }
        (J::Arr(a), J::Arr(b)) => {
            if a.len() != b.len() {
                out.push(format!("{path}: {} elements, got {}", a.len(), b.len()));
            }
            for (i, (va, vb)) in a.iter().zip(b).enumerate() {
                diff(&format!("{path}[{i}]"), va, vb, out);
            }
        }
        (J::Num(a), J::Num(b)) if (a - b).abs() <= 1e-9 * a.abs().max(1.0) => {}
        _ if want == got => {}
        _ => out.push(format!("{path}: want {want:?}, got {got:?}")),
    }
}

// ------------------------------------------------------------ checking --

#[derive(Default)]
struct Report {
    checked: usize,
    structured: usize,
    raw: usize,
    failures: Vec<String>,
}

impl Report {
    fn finish(self, what: &str) {
        eprintln!(
            "{what}: {} type 6/8 records checked ({} decoded, {} raw data), {} mismatches",
            self.checked,
            self.structured,
            self.raw,
            self.failures.len()
        );
        assert!(
            self.failures.is_empty(),
            "{what}:\n{}",
            self.failures.join("\n")
        );
    }
}

/// Compares one expected gpsd record with what the writer makes of `b`.
fn check(where_: &str, expected: &str, b: &Binary, scaled: bool, report: &mut Report) {
    report.checked += 1;
    let mut fail = |m: String| report.failures.push(format!("{where_}: {m}"));
    let fid_key = format!(",\"fid\":{},", b.fi);
    let Some(at) = expected.find(&fid_key) else {
        fail(format!("no {fid_key} in {expected}"));
        return;
    };
    // Members after "fid", as an object of their own.
    let tail = &expected[at + fid_key.len() - 1..];
    let want_text = format!("{{{}", &tail[1..]);
    let want = match parse(&want_text) {
        Ok(j) => j,
        Err(e) => return fail(format!("expected JSON does not parse: {e}")),
    };

    let mut out = Vec::new();
    let mut w = JsonWriter::begin(&mut out);
    let known = write_fields_if_known(b.msg_type, b.dac, b.fi, &b.data, scaled, &mut w);
    w.end();
    let got_text = String::from_utf8_lossy(&out).into_owned();

    let want_raw = matches!(&want, J::Obj(m) if m.len() == 1 && m[0].0 == "data");
    if want_raw {
        report.raw += 1;
        if known {
            fail(format!(
                "{}/{}/{} ({} bits): gpsd prints raw data, we wrote {got_text}",
                b.msg_type,
                b.dac,
                b.fi,
                b.data.len_bits()
            ));
        }
        return;
    }
    report.structured += 1;
    if !known {
        return fail(format!(
            "{}/{}/{} ({} bits): gpsd decodes it, we returned false; want {want_text}",
            b.msg_type,
            b.dac,
            b.fi,
            b.data.len_bits()
        ));
    }
    let got = match parse(&got_text) {
        Ok(j) => j,
        Err(e) => return fail(format!("our JSON does not parse: {e}")),
    };
    let mut diffs = Vec::new();
    diff(
        &format!("{}/{}/{}", b.msg_type, b.dac, b.fi),
        &want,
        &got,
        &mut diffs,
    );
    for d in diffs {
        fail(d);
    }
    if want_text != got_text {
        fail(format!(
            "text differs:\n  want {want_text}\n  got  {got_text}"
        ));
    }
}

/// Is `line` a gpsd AIS record of type 6 or 8? Returns (type, mmsi).
fn record_6_8(line: &str) -> Option<(u8, u32)> {
    let ChkLine::Ais(line) = chk_line(line) else {
        return None;
    };
    let num = |key: &str| -> Option<u32> {
        let i = line.find(key)? + key.len();
        let end = line[i..].find(|c: char| !c.is_ascii_digit())? + i;
        line[i..end].parse().ok()
    };
    let t = num("\"type\":")? as u8;
    matches!(t, 6 | 8).then_some(t).zip(num("\"mmsi\":"))
}

/// Takes the oldest queued payload with this type and MMSI, dropping older
/// ones gpsd did not print.
fn take(queue: &mut VecDeque<Binary>, msg_type: u8, mmsi: u32) -> Option<Binary> {
    while let Some(b) = queue.pop_front() {
        if b.msg_type == msg_type && b.mmsi == mmsi {
            return Some(b);
        }
    }
    None
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The sample corpus against one of its `.chk` files.
fn sample(check_file: &str, scaled: bool) {
    let Some(dir) = data_dir() else {
        return;
    };
    let mut asm = Reassembler::new(Keying::SequenceAndChannel);
    let mut queue = VecDeque::new();
    for line in read(&dir.join("sample.aivdm")).lines() {
        if line.starts_with('#') {
            continue;
        }
        if let Some((_, p)) = asm.push(line) {
            queue.extend(binary(&p));
        }
    }
    let mut report = Report::default();
    for (n, line) in read(&dir.join(check_file)).lines().enumerate() {
        let Some((t, mmsi)) = record_6_8(line) else {
            continue;
        };
        let where_ = format!("{check_file}:{}", n + 1);
        match take(&mut queue, t, mmsi) {
            Some(b) => check(&where_, line, &b, scaled, &mut report),
            None => report
                .failures
                .push(format!("{where_}: no input payload for {line}")),
        }
    }
    report.finish(check_file);
}

#[test]
fn sample_unscaled_matches_gpsd() {
    sample("sample.aivdm.ju.chk", false);
}

#[test]
fn sample_scaled_matches_gpsd() {
    sample("sample.aivdm.js.chk", true);
}

#[test]
fn daemon_logs_match_gpsd() {
    let Some(dir) = data_dir() else {
        return;
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir.join("daemon"))
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.retain(|p| p.to_string_lossy().ends_with(".log.chk"));
    files.sort();
    assert!(!files.is_empty(), "no daemon/*.log.chk files");
    let mut report = Report::default();
    for file in &files {
        let name = file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut asm = Reassembler::new(Keying::SequenceAndChannel);
        let mut queue = VecDeque::new();
        // gpsd sometimes reports the last AIS message again with the next
        // GNSS cycle, without new input: such repeats use the same payload.
        let mut last: Option<(String, Binary)> = None;
        for (n, line) in read(file).lines().enumerate() {
            if let Some((t, mmsi)) = record_6_8(line) {
                let where_ = format!("{name}:{}", n + 1);
                let b = match take(&mut queue, t, mmsi) {
                    Some(b) => Some(b),
                    None => last
                        .as_ref()
                        .filter(|(l, _)| l == line)
                        .map(|(_, b)| b.clone()),
                };
                match b {
                    Some(b) => {
                        check(&where_, line, &b, false, &mut report);
                        last = Some((line.to_owned(), b));
                    }
                    None => report.failures.push(format!("{where_}: no input payload")),
                }
            } else if let ChkLine::Input(line) = chk_line(line) {
                if let Some((_, p)) = asm.push(line) {
                    queue.extend(binary(&p));
                }
            }
        }
    }
    report.finish("daemon/*.log.chk");
}

/// The comparison itself must be able to fail.
#[test]
fn comparison_detects_a_wrong_value() {
    let want = parse(r#"{"crew":4,"passengers":0,"personnel":0}"#).unwrap();
    let got = parse(r#"{"crew":4,"personnel":0,"passengers":1}"#).unwrap();
    let mut d = Vec::new();
    diff("x", &want, &got, &mut d);
    assert_eq!(d.len(), 2, "{d:?}");
}
