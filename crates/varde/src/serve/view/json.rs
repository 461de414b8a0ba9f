//! The vessel as the API shows it, in JSON: [`VesselJson`] through `serde_json`, and
//! [`write_entry`], the same list entry written by hand into a page (a bbox page holds thousands).

use super::compact::Compact;
use serde::Serialize;
use varde_ais::time::{rfc3339_ms, write_rfc3339_ms};
use varde_store::VesselRecord;

/// A vessel as the API shows it. The fields are in alphabetical order, as the JSON objects this
/// replaces had them; the detail fields are left out of list entries.
#[derive(Debug, Serialize)]
pub struct VesselJson<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    beam_m: Option<Option<f64>>,
    callsign: Option<&'a str>,
    cog: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    destination: Option<Option<&'a str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    draught_m: Option<Option<f64>>,
    flag: Option<&'a str>,
    heading: Option<f64>,
    imo: Option<u32>,
    last_seen: String,
    lat: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    length_m: Option<Option<f64>>,
    lon: Option<f64>,
    mmsi: u32,
    name: Option<&'a str>,
    nav_status: Option<u8>,
    ship_type: Option<u8>,
    ship_type_text: Option<&'static str>,
    sog: Option<f64>,
}

impl<'a> VesselJson<'a> {
    /// A list entry (no static details).
    pub fn list(v: &'a VesselRecord) -> Self {
        Self {
            beam_m: None,
            callsign: v.callsign.as_deref(),
            cog: short(v.cog_deg),
            destination: None,
            draught_m: None,
            flag: v.flag.as_deref(),
            heading: short(v.heading_deg),
            imo: v.imo,
            last_seen: rfc3339_ms(v.last_seen_ms),
            lat: v.lat,
            length_m: None,
            lon: v.lon,
            mmsi: v.mmsi,
            name: v.name.as_deref(),
            nav_status: v.nav_status,
            ship_type: v.ship_type,
            ship_type_text: v.ship_type.map(varde_ais::gpsd::tables::ship_type),
            sog: short(v.sog_kn),
        }
    }
}

impl<'a> VesselJson<'a> {
    /// A list entry from the view's compact record (the same JSON as [`VesselJson::list`] of its
    /// full record): the reference [`write_entry`] is checked against.
    #[cfg(test)]
    pub(super) fn entry(v: &'a super::compact::Compact) -> Self {
        Self {
            beam_m: None,
            callsign: v.callsign(),
            cog: short(v.cog_deg()),
            destination: None,
            draught_m: None,
            flag: v.flag(),
            heading: short(v.heading_deg()),
            imo: v.imo(),
            last_seen: rfc3339_ms(v.last_seen_ms),
            lat: v.lat(),
            length_m: None,
            lon: v.lon(),
            mmsi: v.mmsi,
            name: v.name(),
            nav_status: v.nav_status(),
            ship_type: v.ship_type(),
            ship_type_text: v.ship_type().map(varde_ais::gpsd::tables::ship_type),
            sog: short(v.sog_kn()),
        }
    }

    /// The full record of one vessel.
    pub fn detail(v: &'a VesselRecord) -> Self {
        Self {
            beam_m: Some(short(v.beam_m)),
            destination: Some(v.destination.as_deref()),
            draught_m: Some(short(v.draught_m)),
            length_m: Some(short(v.length_m)),
            ..Self::list(v)
        }
    }
}

/// A decoded `f32` value at its own precision (`261.2`, not `261.20001220703125`).
fn short(x: Option<f64>) -> Option<f64> {
    x.map(varde_ais::message::units::decoded_precision)
}

/// Appends the list entry of `v` to `out`: the same bytes as serialising [`VesselJson::entry`]
/// with `serde_json`, written straight into the page (numbers with `itoa`/`zmij`, as `serde_json`
/// writes them, no allocation). `label`, when given, is the JSON of a `label` member added last
/// (the vessel's share label).
pub fn write_entry(out: &mut Vec<u8>, v: &Compact, label: Option<&str>) {
    write_head(out, v);
    close_entry(out, label);
}

/// Appends what [`close_entry`] completes to the list entry of `v`: the entry without its closing
/// `}`.
fn write_head(out: &mut Vec<u8>, v: &Compact) {
    out.extend_from_slice(b"{\"callsign\":");
    opt_str(out, v.callsign());
    out.extend_from_slice(b",\"cog\":");
    opt_f64(out, short(v.cog_deg()));
    out.extend_from_slice(b",\"flag\":");
    opt_str(out, v.flag());
    out.extend_from_slice(b",\"heading\":");
    opt_f64(out, short(v.heading_deg()));
    out.extend_from_slice(b",\"imo\":");
    opt_int(out, v.imo());
    out.extend_from_slice(b",\"last_seen\":\"");
    write_rfc3339_ms(out, v.last_seen_ms);
    out.extend_from_slice(b"\",\"lat\":");
    opt_f64(out, v.lat());
    out.extend_from_slice(b",\"lon\":");
    opt_f64(out, v.lon());
    out.extend_from_slice(b",\"mmsi\":");
    int(out, v.mmsi);
    out.extend_from_slice(b",\"name\":");
    opt_str(out, v.name());
    out.extend_from_slice(b",\"nav_status\":");
    opt_int(out, v.nav_status());
    out.extend_from_slice(b",\"ship_type\":");
    opt_int(out, v.ship_type());
    out.extend_from_slice(b",\"ship_type_text\":");
    opt_str(out, v.ship_type().map(varde_ais::gpsd::tables::ship_type));
    out.extend_from_slice(b",\"sog\":");
    opt_f64(out, short(v.sog_kn()));
}

/// Completes an entry [`write_head`] began: the `label` member (its JSON), when given, then `}`.
fn close_entry(out: &mut Vec<u8>, label: Option<&str>) {
    if let Some(label) = label {
        out.extend_from_slice(b",\"label\":");
        out.extend_from_slice(label.as_bytes());
    }
    out.push(b'}');
}

fn int(out: &mut Vec<u8>, n: impl itoa::Integer) {
    out.extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
}

fn opt_int(out: &mut Vec<u8>, n: Option<impl itoa::Integer>) {
    match n {
        Some(n) => int(out, n),
        None => out.extend_from_slice(b"null"),
    }
}

/// As `serde_json` writes an `f64`: `zmij`'s shortest form (what `serde_json` uses), `null` when not finite.
fn opt_f64(out: &mut Vec<u8>, x: Option<f64>) {
    match x {
        Some(x) if x.is_finite() => {
            out.extend_from_slice(zmij::Buffer::new().format_finite(x).as_bytes())
        }
        _ => out.extend_from_slice(b"null"),
    }
}

/// As `serde_json` writes a string: as it is when nothing needs escaping (AIS texts), else
/// through `serde_json` itself.
fn opt_str(out: &mut Vec<u8>, s: Option<&str>) {
    match s {
        Some(s) if s.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\') => {
            out.push(b'"');
            out.extend_from_slice(s.as_bytes());
            out.push(b'"');
        }
        // Writing to a Vec cannot fail, nor can serialising a string.
        Some(s) => {
            let _ = serde_json::to_writer(&mut *out, s);
        }
        None => out.extend_from_slice(b"null"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// `write_entry`'s bytes against `serde_json`'s for the same record, with and without a label
    /// (spliced in as the sharing layer did before).
    fn check(r: &VesselRecord) {
        let c = Compact::new(r);
        let reference = serde_json::to_string(&VesselJson::entry(&c)).unwrap();
        assert_eq!(
            reference,
            serde_json::to_string(&VesselJson::list(r)).unwrap()
        );
        let mut out = Vec::new();
        write_entry(&mut out, &c, None);
        assert_eq!(String::from_utf8(out).unwrap(), reference);
        let label = r#"{"classification":{},"releasable_to":["NOR"]}"#;
        let mut out = b"[".to_vec();
        write_entry(&mut out, &c, Some(label));
        let want = format!("[{},\"label\":{label}}}", &reference[..reference.len() - 1]);
        assert_eq!(String::from_utf8(out).unwrap(), want);
        // And it is JSON.
        serde_json::from_str::<serde_json::Value>(&want[1..]).unwrap();
    }

    #[test]
    fn the_written_entry_is_serde_jsons_byte_for_byte() {
        let full = VesselRecord {
            mmsi: 257_000_001,
            name: Some("NORNE \"X\" \\ Ø\u{1}\t\n\u{7f}".into()),
            callsign: Some(String::new()),
            imo: Some(9_123_456),
            ship_type: Some(70),
            flag: Some("NO".into()),
            lat: Some(60.123_456_7),
            lon: Some(-5.25),
            sog_kn: Some(f64::from(12.3f32)),
            cog_deg: Some(f64::NAN),
            heading_deg: Some(f64::INFINITY),
            nav_status: Some(255),
            last_seen_ms: 1_764_000_000_123,
            ..VesselRecord::default()
        };
        check(&full);
        check(&VesselRecord::default());
        check(&VesselRecord {
            mmsi: u32::MAX,
            lat: Some(-0.0),
            lon: Some(1e-300),
            sog_kn: Some(102.3),
            last_seen_ms: -62_135_596_800_001,
            ..VesselRecord::default()
        });
    }

    proptest! {
        #[test]
        fn any_record_is_written_as_serde_json_writes_it(
            mmsi: u32,
            name in proptest::option::of(".{0,24}"),
            callsign in proptest::option::of("[ -~]{0,8}"),
            flag in proptest::option::of("[A-Z\"\\\\]{0,3}"),
            imo: Option<u32>,
            ship_type: Option<u8>,
            nav_status: Option<u8>,
            lat in proptest::option::of(-90.0f64..90.0),
            lon in proptest::option::of(proptest::num::f64::ANY),
            sog in proptest::option::of(proptest::num::f32::ANY),
            cog in proptest::option::of(0.0f32..360.0),
            heading: Option<u16>,
            last_seen_ms in -100_000_000_000_000i64..100_000_000_000_000,
        ) {
            check(&VesselRecord {
                mmsi,
                name,
                callsign,
                flag,
                imo,
                ship_type,
                nav_status,
                lat,
                lon,
                sog_kn: sog.map(f64::from),
                cog_deg: cog.map(f64::from),
                heading_deg: heading.map(f64::from),
                last_seen_ms,
                ..VesselRecord::default()
            });
        }
    }
}
