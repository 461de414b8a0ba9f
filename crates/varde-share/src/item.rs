//! The items a partner feed carries, as plain data the binary fills from its
//! own records (this crate knows neither the engine nor the store).
//!
//! Each item carries the [`Label`] that decides who may receive it; the
//! encoders in [`crate::encode`] and [`crate::ogc`] write it out with the item.

use crate::Label;
use serde_json::{Map, Value};

/// One vessel's latest state.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct VesselItem {
    /// MMSI.
    pub mmsi: u32,
    /// Name from static data.
    pub name: Option<String>,
    /// Call sign.
    pub callsign: Option<String>,
    /// IMO number.
    pub imo: Option<u32>,
    /// AIS ship type (0–99).
    pub ship_type: Option<u8>,
    /// Flag (ISO 3166-1 alpha-2) from the MMSI's MID; `None` when the MID
    /// is not allocated (the CoT affiliation is then unknown).
    pub flag: Option<String>,
    /// Latitude, degrees (WGS 84).
    pub lat: Option<f64>,
    /// Longitude, degrees (WGS 84).
    pub lon: Option<f64>,
    /// Speed over ground, knots.
    pub sog_kn: Option<f64>,
    /// Course over ground, degrees true.
    pub cog_deg: Option<f64>,
    /// True heading, degrees.
    pub heading_deg: Option<f64>,
    /// AIS navigational status (0–15).
    pub nav_status: Option<u8>,
    /// Time of the latest report, unix milliseconds.
    pub time_ms: i64,
    /// Receiving station or source name; dropped by
    /// [`Redaction::drop_station`](crate::config::Redaction::drop_station).
    pub station: Option<String>,
    /// Position uncertainty in metres, when known (set by coarsening).
    pub precision_m: Option<f64>,
    /// The item's label.
    pub label: Label,
}

/// Whether an alert is still going on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AlertState {
    /// The behaviour goes on.
    #[default]
    Open,
    /// The behaviour ended.
    Closed,
}

impl AlertState {
    /// `"open"` or `"closed"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            AlertState::Open => "open",
            AlertState::Closed => "closed",
        }
    }
}

/// One alert, as a partner sees it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AlertItem {
    /// Stable alert id (kept through revisions).
    pub id: String,
    /// Detector name, e.g. `zone_entry`.
    pub kind: String,
    /// Severity name: `info`, `low`, `medium` or `high`.
    pub severity: String,
    /// The vessel's MMSI.
    pub mmsi: u32,
    /// The vessel's name, if known.
    pub vessel_name: Option<String>,
    /// Latitude of the latest position in the alert, degrees.
    pub lat: f64,
    /// Longitude of the latest position in the alert, degrees.
    pub lon: f64,
    /// When the behaviour started, unix milliseconds.
    pub start_ms: i64,
    /// When it ended, unix milliseconds; `None` while open.
    pub end_ms: Option<i64>,
    /// Time of the latest revision, unix milliseconds.
    pub time_ms: i64,
    /// One sentence for a watch officer.
    pub summary: String,
    /// Open or closed.
    pub state: AlertState,
    /// Receiving station or source name, if the alert names one.
    pub station: Option<String>,
    /// Position uncertainty in metres, when known (set by coarsening).
    pub precision_m: Option<f64>,
    /// The item's label.
    pub label: Label,
}

/// A static feature (a zone, a piece of infrastructure): GeoJSON geometry
/// and free properties.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FeatureItem {
    /// Feature id (unique within its collection).
    pub id: String,
    /// Properties (the encoder adds `label`).
    pub properties: Map<String, Value>,
    /// A GeoJSON geometry object (RFC 7946 §3.1, lon/lat), or `Value::Null`.
    pub geometry: Value,
    /// Time the feature is about, if any (static features: `None`).
    pub time_ms: Option<i64>,
    /// The item's label.
    pub label: Label,
}
