//! `evidence_decoded` of `/api/alerts/{id}`: the alert's raw evidence sentences decoded with the
//! codec (`varde-ais`) and read the way the engine read them (`adapt::report`), so the map shows
//! time, position, speed, course and status beside each message and never parses NMEA itself.
//!
//! One entry per message: a multi-sentence message (type 5 in two fragments) is one entry whose
//! `raw` holds its lines joined by `\n`. A line the codec refuses is an entry with `error` set (its
//! cause) and every other field null, as is a fragment whose group never completed.

use crate::adapt::report::{reports, Stations};
use serde_json::{json, Value};
use varde_ais::{AisMessage, Decoder, Output};
use varde_watch::ReportKind;

/// Decodes the evidence `lines` (as `alert.evidence` holds them, tag blocks included).
pub fn decode<'a>(lines: impl IntoIterator<Item = &'a str>) -> Vec<Value> {
    let mut decoder = Decoder::new();
    let mut stations = Stations::default();
    let mut pending: Vec<&str> = Vec::new();
    let mut out = Vec::new();
    for line in lines {
        let line = line.trim_end_matches(['\r', '\n']);
        if line.is_empty() {
            continue;
        }
        match decoder.feed(0, line.as_bytes()) {
            Ok(Output::Frame(frame)) => {
                pending.push(line);
                let raw = pending.join("\n");
                pending.clear();
                let msg_type = frame.payload.message_type();
                let time = frame.time_ms.map(varde_ais::time::rfc3339_ms);
                let mut e = entry(raw, Some(msg_type), time);
                match AisMessage::decode(frame.payload) {
                    Ok(msg) => {
                        e["mmsi"] = msg.mmsi().into();
                        let mut out_reports = Vec::new();
                        // No fallback time: an evidence line without one shows none.
                        reports(&msg, &frame, 0, &mut stations, &mut out_reports);
                        for r in &out_reports {
                            fill(&mut e, &r.kind);
                        }
                    }
                    Err(err) => e["error"] = err.to_string().into(),
                }
                out.push(e);
            }
            Ok(Output::Partial) => pending.push(line),
            Ok(Output::Metadata) => {}
            Err(err) => {
                let mut e = entry(line.to_owned(), None, None);
                e["error"] = err.cause().into();
                out.push(e);
            }
        }
    }
    if !pending.is_empty() {
        let mut e = entry(pending.join("\n"), None, None);
        e["error"] = "incomplete_message".into();
        out.push(e);
    }
    out
}

/// An entry with every decoded field null.
fn entry(raw: String, msg_type: Option<u8>, time: Option<String>) -> Value {
    json!({
        "raw": raw, "msg_type": msg_type, "mmsi": null, "time": time,
        "lat": null, "lon": null, "sog": null, "cog": null, "heading": null, "status": null,
        "name": null, "error": null,
    })
}

/// Sets what a report says on `e`.
fn fill(e: &mut Value, kind: &ReportKind) {
    match kind {
        ReportKind::Position(p) => {
            e["lat"] = round(p.lat, 1e6).into();
            e["lon"] = round(p.lon, 1e6).into();
            e["sog"] = p.sog_kn.map(|v| round(f64::from(v), 10.0)).into();
            e["cog"] = p.cog_deg.map(|v| round(f64::from(v), 10.0)).into();
            e["heading"] = p.heading_deg.into();
            e["status"] = p.nav_status.into();
        }
        ReportKind::NoFix(p) => {
            e["sog"] = p.sog_kn.map(|v| round(f64::from(v), 10.0)).into();
            e["heading"] = p.heading_deg.into();
            e["status"] = p.nav_status.into();
        }
        ReportKind::Static(s) => {
            if let Some(name) = &s.name {
                e["name"] = name.as_ref().into();
            }
        }
    }
}

/// `v` rounded to `1/scale` (AIS sends tenths of a knot and of a degree; f32 widening would print
/// `12.300000190734863`).
fn round(v: f64, scale: f64) -> f64 {
    (v * scale).round() / scale
}

#[cfg(test)]
mod tests {
    use super::decode;

    #[test]
    fn garbage_and_orphans_are_entries_with_an_error_not_a_panic() {
        let out = decode(["not a sentence", "!AIVDM,2,2,7,B,00000000000,2*2B", ""]);
        assert_eq!(out.len(), 2, "{out:?}");
        for e in &out {
            assert!(e["error"].is_string(), "{e}");
            assert!(e["lat"].is_null(), "{e}");
        }
    }
}
