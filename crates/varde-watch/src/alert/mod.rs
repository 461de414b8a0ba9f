//! Alerts: the JSON contract of `DESIGN.md`, and the events that open, revise and close them.
//!
//! Field order in JSON is the order of the struct fields, fixed. Times are RFC 3339 UTC; `end` is null
//! while the alert is open. An alert keeps its `id` through every revision.

mod book;
pub mod incident;

pub use book::{AlertBook, AlertKey, Draft};

use crate::picture::Vessel;
use crate::report::RawLines;
use crate::time::rfc3339;
use serde::{Serialize, Serializer};
use std::sync::Arc;

/// The detector that raised an alert; the snake_case names are part of the alert contract.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A vessel of interest entered a watched zone.
    ZoneEntry,
    /// Slow or confined where passage must be continuous.
    Loitering,
    /// Silence where the vessel should have been heard.
    AisGap,
    /// Kinematically impossible motion.
    PositionJump,
    /// A position on land.
    PositionOnLand,
    /// One MMSI in two places, or a broken identity.
    IdentityConflict,
    /// Two vessels side by side at sea.
    Rendezvous,
    /// Slow, stopped or criss-crossing near infrastructure.
    InfrastructureLoiter,
    /// Unexplained speed drop over infrastructure (anchor-drag signature).
    InfrastructureSpeedAnomaly,
    /// A watch-listed vessel was seen.
    Watchlist,
    /// Several vessels' fixes pulled to one small area at once: GNSS spoofing or jamming.
    GnssInterference,
    /// Bad or placeholder data (invalid MMSI, wrong-length message, gear buoy): a low-severity note.
    DataQuality,
}

impl Kind {
    /// Every kind, in declaration order (the order of [`crate::alert::AlertBook::counts`]).
    pub const ALL: [Kind; 12] = [
        Kind::ZoneEntry,
        Kind::Loitering,
        Kind::AisGap,
        Kind::PositionJump,
        Kind::PositionOnLand,
        Kind::IdentityConflict,
        Kind::Rendezvous,
        Kind::InfrastructureLoiter,
        Kind::InfrastructureSpeedAnomaly,
        Kind::Watchlist,
        Kind::GnssInterference,
        Kind::DataQuality,
    ];

    /// The contract name, e.g. `"zone_entry"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::ZoneEntry => "zone_entry",
            Self::Loitering => "loitering",
            Self::AisGap => "ais_gap",
            Self::PositionJump => "position_jump",
            Self::PositionOnLand => "position_on_land",
            Self::IdentityConflict => "identity_conflict",
            Self::Rendezvous => "rendezvous",
            Self::InfrastructureLoiter => "infrastructure_loiter",
            Self::InfrastructureSpeedAnomaly => "infrastructure_speed_anomaly",
            Self::Watchlist => "watchlist",
            Self::GnssInterference => "gnss_interference",
            Self::DataQuality => "data_quality",
        }
    }
}

/// How urgently a watch officer should look.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Context only.
    Info,
    /// Worth a look.
    Low,
    /// Look now.
    Medium,
    /// Act.
    High,
}

/// Identity of the vessel as known when the alert was last revised.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct VesselInfo {
    /// Name from static data.
    pub name: Option<String>,
    /// IMO number.
    pub imo: Option<u32>,
    /// Call sign.
    pub callsign: Option<String>,
    /// Flag (ISO 3166-1 alpha-2) from the MMSI's MID.
    pub flag: Option<&'static str>,
    /// AIS ship type.
    pub ship_type: Option<u8>,
}

impl VesselInfo {
    /// Snapshot of a vessel's identity.
    pub fn of(v: &Vessel) -> Self {
        let s = v.statics.as_deref();
        Self {
            name: v.name().map(str::to_owned),
            imo: v.imo(),
            callsign: s.and_then(|s| s.callsign.as_deref()).map(str::to_owned),
            flag: v.flag(),
            ship_type: v.ship_type(),
        }
    }
}

/// The zone an alert is about.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct ZoneInfo {
    /// Zone id.
    pub id: Arc<str>,
    /// Zone name.
    pub name: Arc<str>,
    /// Zone kind (`territorial_sea`, ...).
    pub kind: Arc<str>,
}

/// The asset an alert is about.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct AssetInfo {
    /// Asset id.
    pub id: Arc<str>,
    /// Asset name.
    pub name: Arc<str>,
    /// Asset kind (`cable`, `pipeline`, `platform`).
    pub kind: Arc<str>,
    /// Closest distance seen, metres (rounded).
    pub distance_m: f64,
}

/// One alert, in the field order of the JSON contract.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Alert {
    /// Stable id: hash of kind, MMSI, start time and zone/asset/counterpart, 16 hex digits.
    pub id: String,
    /// The incident it belongs to: the id of the first alert about the same vessel (or pair) and place
    /// within `alerts.incident_window_s` (see [`incident`]).
    pub incident: Arc<str>,
    /// Detector name.
    pub kind: Kind,
    /// Severity.
    pub severity: Severity,
    /// The vessel's MMSI (the lower MMSI for a pair).
    pub mmsi: u32,
    /// Other vessels involved (the counterpart of a rendezvous).
    pub related_mmsi: Vec<u32>,
    /// The vessel's identity.
    pub vessel: VesselInfo,
    /// When the behaviour started.
    #[serde(serialize_with = "ser_time")]
    pub start: i64,
    /// When it ended; `None` (null) while open.
    #[serde(serialize_with = "ser_opt_time")]
    pub end: Option<i64>,
    /// Latitude of the latest position in the alert, degrees.
    pub lat: f64,
    /// Longitude of the latest position in the alert, degrees.
    pub lon: f64,
    /// Zone concerned.
    pub zone: Option<ZoneInfo>,
    /// Asset concerned.
    pub asset: Option<AssetInfo>,
    /// One sentence for a watch officer.
    pub summary: String,
    /// The raw sentences (with tag blocks) of the first and last reports, capped; JSON flattens them.
    #[serde(serialize_with = "ser_evidence")]
    pub evidence: Vec<RawLines>,
    /// Releasability labels.
    pub releasability: Arc<[String]>,
}

#[allow(clippy::trivially_copy_pass_by_ref)]
fn ser_time<S: Serializer>(ms: &i64, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&rfc3339(*ms))
}

fn ser_opt_time<S: Serializer>(ms: &Option<i64>, s: S) -> Result<S::Ok, S::Error> {
    match ms {
        Some(ms) => s.serialize_str(&rfc3339(*ms)),
        None => s.serialize_none(),
    }
}

fn ser_evidence<S: Serializer>(ev: &[RawLines], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(ev.iter().flat_map(RawLines::lines))
}

impl Alert {
    /// The alert as one line of JSON (no trailing newline).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Evidence sentences, flattened in order.
    pub fn evidence_lines(&self) -> impl Iterator<Item = std::borrow::Cow<'_, str>> {
        self.evidence.iter().flat_map(RawLines::lines)
    }
}

/// A change to an alert, for live consumers. The last event of an id carries its final state.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "event", content = "alert", rename_all = "snake_case")]
pub enum AlertEvent {
    /// A new alert.
    Opened(Alert),
    /// An open alert revised (same id).
    Updated(Alert),
    /// An alert ended (`end` set).
    Closed(Alert),
    /// An alert withdrawn because late data showed it did not happen.
    Retracted(Alert),
}

impl AlertEvent {
    /// The alert carried.
    pub fn alert(&self) -> &Alert {
        match self {
            Self::Opened(a) | Self::Updated(a) | Self::Closed(a) | Self::Retracted(a) => a,
        }
    }
}
