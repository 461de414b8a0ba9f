//! Cursor-on-Target 2.0 events, as TAK clients and servers read them.
//!
//! One event per call, as a complete XML document: the declaration, a line
//! feed, then `<event …>…</event>` with nothing after it (TAK protocol
//! version 0 streaming framing: receivers split after `</event>`).
//!
//! - A vessel is an atom, `uid="MMSI-<mmsi>"`, `how="m-g"` (an AIS
//!   self-report), type from [`vessel_type`], speed in m/s.
//! - An alert is a spot-map marker (`b-m-p-s-m`), `uid="VARDE-ALERT-<id>"`,
//!   `how="m-f"` (machine-derived), coloured by severity, its summary in
//!   `<remarks>`; a closed alert is sent with `stale` = `time` so clients
//!   drop it.
//!
//! Every event carries its label twice: the banner in the schema's `access`
//! attribute, and a `<__label>` detail element (there is no standard CoT
//! element for releasability; TAK passes unknown detail elements through):
//!
//! ```xml
//! <__label banner="NATO RESTRICTED + NOR BEGRENSET//REL NOR//CABLE OPS" rel="list">
//!   <classification policy="NATO">NATO RESTRICTED</classification>
//!   <classification policy="NOR">BEGRENSET</classification>
//!   <rel>NOR</rel><caveat>CABLE OPS</caveat>
//! </__label>
//! ```
//!
//! `rel="all"` means releasable to all (no `<rel>` children); `rel="list"`
//! with no `<rel>` child means releasable to nobody. The banner is also the
//! first thing in `<remarks>`, so an operator sees the marking in any client.
//! All text and attribute values are escaped; characters XML 1.0 cannot
//! carry become U+FFFD.

use super::xml::{attr, escape_into, text_element};
use crate::item::{AlertItem, AlertState, VesselItem};
use crate::time::rfc3339_millis;
use crate::{Label, Releasability};
use std::fmt::Write;

/// Metres per second in one knot.
const MS_PER_KNOT: f64 = 1852.0 / 3600.0;
/// CoT's "unknown" for `hae`, `ce` and `le`.
const UNKNOWN: &str = "9999999.0";

/// The CoT type of a vessel, from its MMSI, flag and AIS ship type.
///
/// Affiliation: `f` (friend) for search-and-rescue (ship type 51, or a SAR
/// aircraft MMSI `111MIDxxx`) and law-enforcement (55) vessels, `n`
/// (neutral) when the MMSI's MID gave a flag, `u` (unknown) otherwise.
/// Dimension `S` (sea surface), or `A` (air) for SAR aircraft and `G`
/// (ground) for coast stations (`00MIDxxxx`); aids to navigation
/// (`99MIDxxxx`) are `a-n-S-N`. Function (MIL-STD-2525 sea surface):
///
/// | ship type | function | e.g. |
/// | --- | --- | --- |
/// | 30 | `X-F` fishing | `a-n-S-X-F` |
/// | 31–32, 40–49, 52, 60–89 | `X-M` merchant (towing, high-speed craft, tugs, passenger, cargo, tankers) | `a-n-S-X-M` |
/// | 36–37 | `X-R` leisure craft (sailing, pleasure) | `a-n-S-X-R` |
/// | 51, 55 | `X-L` law enforcement / SAR | `a-f-S-X-L` |
/// | 35 | `C` combatant (military operations) | `a-n-S-C` |
/// | 20–29, 33–34, 50, 53–54, 56–59, 90–99 | `X` non-military, other | `a-n-S-X` |
/// | unknown, 0–19, 38–39 | none | `a-u-S` |
pub fn vessel_type(v: &VesselItem) -> String {
    let mmsi = v.mmsi;
    let aff = if v.flag.is_some() { 'n' } else { 'u' };
    if (990_000_000..=999_999_999).contains(&mmsi) {
        return "a-n-S-N".into();
    }
    if (111_000_000..=111_999_999).contains(&mmsi) {
        return "a-f-A".into();
    }
    if mmsi < 10_000_000 {
        return format!("a-{aff}-G");
    }
    let (aff, function) = match v.ship_type {
        Some(30) => (aff, "-X-F"),
        Some(31 | 32 | 40..=49 | 52 | 60..=89) => (aff, "-X-M"),
        Some(36 | 37) => (aff, "-X-R"),
        Some(51 | 55) => ('f', "-X-L"),
        Some(35) => (aff, "-C"),
        Some(20..=29 | 33 | 34 | 50 | 53 | 54 | 56..=59 | 90..=99) => (aff, "-X"),
        _ => (aff, ""),
    };
    format!("a-{aff}-S{function}")
}

/// Appends ` name="value"` for a value that needs no escaping (a number).
fn num_attr(out: &mut String, name: &str, value: std::fmt::Arguments<'_>) {
    let _ = write!(out, " {name}=\"{value}\"");
}

/// The `<__label>` detail element for `label` (see the module docs).
pub fn label_detail(label: &Label) -> String {
    let mut out = String::new();
    write_label(&mut out, label, &label.to_string());
    out
}

fn write_label(out: &mut String, label: &Label, banner: &str) {
    out.push_str("<__label");
    attr(out, "banner", banner);
    let rel = match label.releasability() {
        Releasability::All => "all",
        Releasability::To(_) => "list",
    };
    attr(out, "rel", rel);
    out.push('>');
    for (policy, _, name) in label.classifications() {
        out.push_str("<classification");
        attr(out, "policy", policy.as_str());
        out.push('>');
        escape_into(out, name.as_str(), false);
        out.push_str("</classification>");
    }
    if let Releasability::To(set) = label.releasability() {
        for t in set {
            text_element(out, "rel", t.as_str());
        }
    }
    for c in label.caveats() {
        text_element(out, "caveat", c.as_str());
    }
    out.push_str("</__label>");
}

/// Opens the document and the `<event>` element, writes `<point>` and opens
/// `<detail>`.
#[allow(clippy::too_many_arguments)]
fn open_event(
    out: &mut String,
    uid: &str,
    cot_type: &str,
    how: &str,
    (time_ms, start_ms, stale_ms): (i64, i64, i64),
    banner: &str,
    (lat, lon): (f64, f64),
    ce_m: Option<f64>,
) {
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<event");
    attr(out, "version", "2.0");
    attr(out, "uid", uid);
    attr(out, "type", cot_type);
    attr(out, "how", how);
    attr(out, "time", &rfc3339_millis(time_ms));
    attr(out, "start", &rfc3339_millis(start_ms));
    attr(out, "stale", &rfc3339_millis(stale_ms));
    attr(out, "access", banner);
    out.push_str("><point");
    attr(out, "lat", &coord(lat));
    attr(out, "lon", &coord(lon));
    attr(out, "hae", UNKNOWN);
    match ce_m {
        Some(ce) if ce.is_finite() && ce >= 0.0 => num_attr(out, "ce", format_args!("{ce:.1}")),
        _ => attr(out, "ce", UNKNOWN),
    }
    attr(out, "le", UNKNOWN);
    out.push_str("/><detail>");
}

fn close_event(out: &mut String) {
    out.push_str("</detail></event>");
}

/// A coordinate with at most 7 decimals (about 1 cm), trailing zeros trimmed.
fn coord(v: f64) -> String {
    let v = if v.is_finite() { v } else { 0.0 };
    let s = format!("{v:.7}");
    let s = s.trim_end_matches('0');
    let s = s.strip_suffix('.').unwrap_or(s);
    if s == "-0" {
        "0".into()
    } else {
        s.into()
    }
}

fn remarks(out: &mut String, banner: &str, body: &str) {
    let text = format!("[{banner}] {body}");
    text_element(out, "remarks", text.trim_end());
}

/// The vessel as a CoT event generated at `now_ms`, valid from its report
/// time and stale `stale_s` seconds after the later of the two; `None` when
/// the vessel has no position (CoT needs a point).
pub fn vessel_event(v: &VesselItem, now_ms: i64, stale_s: u32) -> Option<String> {
    let (lat, lon) = (v.lat?, v.lon?);
    if !lat.is_finite() || !lon.is_finite() {
        return None;
    }
    let stale_ms = now_ms
        .max(v.time_ms)
        .saturating_add(i64::from(stale_s) * 1000);
    let mut out = String::with_capacity(1024);
    let cot_type = vessel_type(v);
    let banner = v.label.to_string();
    open_event(
        &mut out,
        &format!("MMSI-{}", v.mmsi),
        &cot_type,
        "m-g",
        (now_ms, v.time_ms, stale_ms),
        &banner,
        (lat, lon),
        v.precision_m,
    );
    let name = v.name.as_deref().map(str::trim).filter(|s| !s.is_empty());
    let callsign = v
        .callsign
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let shown = match (name, callsign) {
        (Some(n), _) => n.to_string(),
        (None, Some(c)) => c.to_string(),
        (None, None) => format!("MMSI {}", v.mmsi),
    };
    out.push_str("<contact");
    attr(&mut out, "callsign", &shown);
    out.push_str("/>");
    if let (Some(sog), Some(cog)) = (v.sog_kn, v.cog_deg) {
        if sog.is_finite() && cog.is_finite() {
            out.push_str("<track");
            num_attr(&mut out, "course", format_args!("{cog:.1}"));
            num_attr(&mut out, "speed", format_args!("{:.2}", sog * MS_PER_KNOT));
            out.push_str("/>");
        }
    }
    let mut body = format!("MMSI {}", v.mmsi);
    let mut ais = String::from("<__ais");
    num_attr(&mut ais, "mmsi", format_args!("{}", v.mmsi));
    if let Some(n) = name {
        attr(&mut ais, "name", n);
    }
    if let Some(c) = callsign {
        let _ = write!(body, "; callsign {c}");
        attr(&mut ais, "callsign", c);
    }
    if let Some(imo) = v.imo {
        let _ = write!(body, "; IMO {imo}");
        num_attr(&mut ais, "imo", format_args!("{imo}"));
    }
    if let Some(t) = v.ship_type {
        let _ = write!(body, "; ship type {t}");
        num_attr(&mut ais, "ship_type", format_args!("{t}"));
    }
    if let Some(f) = &v.flag {
        let _ = write!(body, "; flag {f}");
        attr(&mut ais, "flag", f);
    }
    if let Some(s) = v.nav_status {
        let _ = write!(body, "; nav status {s}");
        num_attr(&mut ais, "nav_status", format_args!("{s}"));
    }
    if let Some(h) = v.heading_deg.filter(|h| h.is_finite()) {
        num_attr(&mut ais, "heading", format_args!("{h:.0}"));
    }
    if let Some(sog) = v.sog_kn.filter(|s| s.is_finite()) {
        num_attr(&mut ais, "sog_kn", format_args!("{sog:.1}"));
    }
    if let Some(s) = &v.station {
        let _ = write!(body, "; station {s}");
        attr(&mut ais, "station", s);
    }
    ais.push_str("/>");
    remarks(&mut out, &banner, &body);
    out.push_str(&ais);
    write_label(&mut out, &v.label, &banner);
    close_event(&mut out);
    Some(out)
}

/// ARGB colour (as the signed 32-bit integer TAK's `<color argb>` takes) for
/// a severity name: high red, medium orange, low yellow, anything else white.
fn severity_argb(severity: &str) -> i32 {
    let argb: u32 = match severity {
        "high" => 0xFFFF_0000,
        "medium" => 0xFFFF_8000,
        "low" => 0xFFFF_FF00,
        _ => 0xFFFF_FFFF,
    };
    argb as i32
}

/// The alert as a CoT marker generated at `now_ms`: stale `stale_s` seconds
/// later while open, at once when closed (clients then remove it).
pub fn alert_event(a: &AlertItem, now_ms: i64, stale_s: u32) -> String {
    let stale_ms = match a.state {
        AlertState::Open => now_ms
            .max(a.time_ms)
            .saturating_add(i64::from(stale_s) * 1000),
        AlertState::Closed => now_ms,
    };
    let mut out = String::with_capacity(1024);
    let banner = a.label.to_string();
    open_event(
        &mut out,
        &format!("VARDE-ALERT-{}", a.id),
        "b-m-p-s-m",
        "m-f",
        (now_ms, a.time_ms.min(stale_ms), stale_ms),
        &banner,
        (a.lat, a.lon),
        a.precision_m,
    );
    let who = a
        .vessel_name
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map_or_else(|| format!("MMSI {}", a.mmsi), str::to_string);
    out.push_str("<contact");
    attr(&mut out, "callsign", &format!("{}: {who}", a.kind));
    out.push_str("/><color");
    num_attr(
        &mut out,
        "argb",
        format_args!("{}", severity_argb(&a.severity)),
    );
    out.push_str("/>");
    let mut body = format!(
        "{} alert ({}, {}): {}",
        a.kind,
        a.severity,
        a.state.as_str(),
        a.summary
    );
    if let Some(s) = &a.station {
        let _ = write!(body, " Station {s}.");
    }
    remarks(&mut out, &banner, &body);
    out.push_str("<__alert");
    attr(&mut out, "id", &a.id);
    attr(&mut out, "kind", &a.kind);
    attr(&mut out, "severity", &a.severity);
    attr(&mut out, "state", a.state.as_str());
    num_attr(&mut out, "mmsi", format_args!("{}", a.mmsi));
    attr(&mut out, "start", &rfc3339_millis(a.start_ms));
    if let Some(end) = a.end_ms {
        attr(&mut out, "end", &rfc3339_millis(end));
    }
    if let Some(s) = &a.station {
        attr(&mut out, "station", s);
    }
    out.push_str("/>");
    write_label(&mut out, &a.label, &banner);
    close_event(&mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vessel(mmsi: u32, ship_type: Option<u8>, flag: bool) -> VesselItem {
        VesselItem {
            mmsi,
            ship_type,
            flag: flag.then(|| "NO".to_string()),
            ..VesselItem::default()
        }
    }

    #[test]
    fn types_follow_mmsi_flag_and_ship_type() {
        let cases = [
            (257_000_001, Some(70), true, "a-n-S-X-M"),
            (257_000_001, Some(84), true, "a-n-S-X-M"),
            (257_000_001, Some(30), true, "a-n-S-X-F"),
            (257_000_001, Some(37), true, "a-n-S-X-R"),
            (257_000_001, Some(55), false, "a-f-S-X-L"),
            (257_000_001, Some(51), true, "a-f-S-X-L"),
            (257_000_001, Some(35), true, "a-n-S-C"),
            (257_000_001, Some(50), true, "a-n-S-X"),
            (257_000_001, None, true, "a-n-S"),
            (257_000_001, Some(0), true, "a-n-S"),
            (799_000_001, Some(70), false, "a-u-S-X-M"),
            (799_000_001, None, false, "a-u-S"),
            (992_576_001, None, true, "a-n-S-N"),
            (111_257_001, None, true, "a-f-A"),
            (2_570_001, None, true, "a-n-G"),
        ];
        for (mmsi, t, flag, want) in cases {
            assert_eq!(vessel_type(&vessel(mmsi, t, flag)), want, "{mmsi} {t:?}");
        }
    }

    #[test]
    fn no_position_no_event() {
        let mut v = vessel(257_000_001, Some(70), true);
        assert_eq!(vessel_event(&v, 0, 300), None);
        v.lat = Some(f64::NAN);
        v.lon = Some(5.0);
        assert_eq!(vessel_event(&v, 0, 300), None);
    }

    #[test]
    fn coordinates_are_short_and_exact_enough() {
        assert_eq!(coord(67.95), "67.95");
        assert_eq!(coord(13.0), "13");
        assert_eq!(coord(-0.00000001), "0");
        assert_eq!(coord(10.123456789), "10.1234568");
    }

    #[test]
    fn closed_alerts_go_stale_at_once() {
        let a = AlertItem {
            id: "ab".into(),
            state: AlertState::Closed,
            time_ms: 1_000,
            ..AlertItem::default()
        };
        let x = alert_event(&a, 5_000, 300);
        assert!(x.contains("stale=\"1970-01-01T00:00:05.000Z\""), "{x}");
        assert!(x.contains("start=\"1970-01-01T00:00:01.000Z\""), "{x}");
    }
}
