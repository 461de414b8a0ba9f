//! The vessel as the API shows it, in JSON.

use serde::Serialize;
use varde_ais::time::rfc3339_ms;
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
    /// full record).
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
