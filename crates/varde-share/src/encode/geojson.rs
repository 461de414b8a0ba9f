//! GeoJSON (RFC 7946) features for partner feeds, and their framing as
//! GeoJSON text sequences (RFC 8142) or server-sent events.
//!
//! Coordinates are `[lon, lat]` (WGS 84); an item without a position has a
//! `null` geometry (allowed by RFC 7946 §3.2). Every feature has an `id`
//! (the MMSI as a number for vessels, the id string otherwise) and a
//! `properties.label` object (see [`Label`](crate::Label)'s serialisation:
//! `banner`, `classification`, `releasable_to`, `caveats`).

use crate::encode::cot;
use crate::item::{AlertItem, FeatureItem, VesselItem};
use crate::time::rfc3339;
use serde_json::{json, Value};
use varde_ais::message::units::decoded_precision;

/// A GeoJSON Point geometry, or `null` when either coordinate is missing or
/// not finite.
pub fn point(lat: Option<f64>, lon: Option<f64>) -> Value {
    match (lat, lon) {
        (Some(lat), Some(lon)) if lat.is_finite() && lon.is_finite() => {
            json!({"type": "Point", "coordinates": [lon, lat]})
        }
        _ => Value::Null,
    }
}

/// The vessel as a Feature: `id` is the MMSI; properties `mmsi`, `name`,
/// `callsign`, `imo`, `ship_type`, `flag`, `sog_kn`, `cog_deg`,
/// `heading_deg`, `nav_status`, `time` (RFC 3339), `station`,
/// `precision_m`, `cot_type` and `label` (unknown values are `null`). Speed,
/// course and heading are written at the precision they were decoded with
/// (`261.2`, not the `f32` widened to `261.20001220703125`).
pub fn vessel_feature(v: &VesselItem) -> Value {
    json!({
        "type": "Feature",
        "id": v.mmsi,
        "geometry": point(v.lat, v.lon),
        "properties": {
            "mmsi": v.mmsi,
            "name": v.name,
            "callsign": v.callsign,
            "imo": v.imo,
            "ship_type": v.ship_type,
            "flag": v.flag,
            "sog_kn": v.sog_kn.map(decoded_precision),
            "cog_deg": v.cog_deg.map(decoded_precision),
            "heading_deg": v.heading_deg.map(decoded_precision),
            "nav_status": v.nav_status,
            "time": rfc3339(v.time_ms),
            "station": v.station,
            "precision_m": v.precision_m,
            "cot_type": cot::vessel_type(v),
            "label": v.label,
        }
    })
}

/// The alert as a Feature: `id` is the alert id; properties `kind`,
/// `severity`, `state`, `mmsi`, `vessel_name`, `start`, `end` (null while
/// open), `time`, `summary`, `station`, `precision_m` and `label`.
pub fn alert_feature(a: &AlertItem) -> Value {
    json!({
        "type": "Feature",
        "id": a.id,
        "geometry": point(Some(a.lat), Some(a.lon)),
        "properties": {
            "kind": a.kind,
            "severity": a.severity,
            "state": a.state.as_str(),
            "mmsi": a.mmsi,
            "vessel_name": a.vessel_name,
            "start": rfc3339(a.start_ms),
            "end": a.end_ms.map(rfc3339),
            "time": rfc3339(a.time_ms),
            "summary": a.summary,
            "station": a.station,
            "precision_m": a.precision_m,
            "label": a.label,
        }
    })
}

/// A zone or infrastructure feature: its own properties plus `label` (and
/// `time` when it has one; both replace same-named properties).
pub fn feature(f: &FeatureItem) -> Value {
    let mut properties = f.properties.clone();
    if let Some(t) = f.time_ms {
        properties.insert("time".into(), Value::String(rfc3339(t)));
    }
    properties.insert("label".into(), json!(f.label));
    json!({
        "type": "Feature",
        "id": f.id,
        "geometry": f.geometry,
        "properties": properties,
    })
}

/// One RFC 8142 GeoJSON text sequence record: ASCII RS (0x1E), the compact
/// JSON text, LF (`application/geo+json-seq`).
pub fn rs_record(v: &Value) -> Vec<u8> {
    let mut out = vec![0x1e];
    // Serialising a Value to memory cannot fail.
    serde_json::to_writer(&mut out, v).unwrap_or_default();
    out.push(b'\n');
    out
}

/// One server-sent event (`text/event-stream`) carrying `v` as compact JSON
/// on a single `data:` line, with an `event:` line when `event` is given,
/// ended by a blank line. Line breaks in `event` become spaces.
pub fn sse_record(event: Option<&str>, v: &Value) -> String {
    let mut out = String::new();
    if let Some(e) = event {
        out.push_str("event: ");
        out.extend(
            e.chars()
                .map(|c| if c == '\n' || c == '\r' { ' ' } else { c }),
        );
        out.push('\n');
    }
    out.push_str("data: ");
    out.push_str(&v.to_string());
    out.push_str("\n\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_are_framed() {
        let v =
            json!({"type": "Feature", "id": 1, "geometry": null, "properties": {"name": "a\nb"}});
        let r = rs_record(&v);
        assert_eq!(r[0], 0x1e);
        assert_eq!(*r.last().unwrap(), b'\n');
        assert_eq!(r.iter().filter(|b| **b == b'\n').count(), 1);
        let back: Value = serde_json::from_slice(&r[1..r.len() - 1]).unwrap();
        assert_eq!(back, v);
        let s = sse_record(Some("vessel\nx"), &v);
        assert!(s.starts_with("event: vessel x\ndata: {"), "{s}");
        assert!(s.ends_with("}\n\n") && s.matches('\n').count() == 3, "{s}");
    }

    #[test]
    fn speed_and_course_are_written_at_their_decoded_precision() {
        let v = VesselItem {
            mmsi: 257_000_001,
            sog_kn: Some(f64::from(26.1f32)),
            cog_deg: Some(f64::from(261.2f32)),
            heading_deg: Some(261.0),
            ..VesselItem::default()
        };
        let text = vessel_feature(&v).to_string();
        assert!(text.contains("\"sog_kn\":26.1,"), "{text}");
        assert!(text.contains("\"cog_deg\":261.2,"), "{text}");
        assert!(text.contains("\"heading_deg\":261.0,"), "{text}");
    }

    #[test]
    fn positions_are_lon_lat() {
        let v = VesselItem {
            mmsi: 257_000_001,
            lat: Some(67.95),
            lon: Some(13.5),
            ..VesselItem::default()
        };
        let f = vessel_feature(&v);
        assert_eq!(f["geometry"]["coordinates"], json!([13.5, 67.95]));
        assert_eq!(f["id"], json!(257_000_001));
        assert_eq!(f["properties"]["label"]["banner"], "UNCLASSIFIED");
        let none = vessel_feature(&VesselItem::default());
        assert_eq!(none["geometry"], Value::Null);
    }
}
