//! The engine's input: one decoded AIS report, normalised and stamped with event time.
//!
//! The integrator builds [`Report`]s from `varde-ais` messages; this crate never sees NMEA bytes except as
//! evidence text in [`Report::raw`].

use std::sync::Arc;

/// One decoded report as the engine sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// Event time in Unix milliseconds (tag block `c:`, a file timestamp column, or receive time when live).
    pub time_ms: i64,
    /// The reporting station's MMSI (9 digits; leading zeros are part of the number space, not the text).
    pub mmsi: u32,
    /// Receiving station (tag block `s:`), when known.
    pub source: Option<Arc<str>>,
    /// What the report says.
    pub kind: ReportKind,
    /// The original NMEA sentence(s), with tag blocks, kept verbatim as evidence.
    pub raw: RawLines,
}

/// The original NMEA sentence(s) of one report, with tag blocks, kept verbatim as evidence: one shared
/// string with the sentences separated by `\n` (one allocation per report; clones share it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawLines(Arc<str>);

impl RawLines {
    /// Sentences already separated by `\n` (as `varde_ais::Frame::raw` holds them).
    pub fn new(joined: &str) -> Self {
        Self(joined.into())
    }

    /// Sentences joined with `\n`.
    pub fn from_lines<S: AsRef<str>>(lines: impl IntoIterator<Item = S>) -> Self {
        let mut s = String::new();
        for (i, l) in lines.into_iter().enumerate() {
            if i > 0 {
                s.push('\n');
            }
            s.push_str(l.as_ref());
        }
        Self(s.into())
    }

    /// Each sentence (the text split at `\n`; an empty text is one empty sentence).
    pub fn lines(&self) -> std::str::Split<'_, char> {
        self.0.split('\n')
    }

    /// The sentences, separated by `\n`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether `a` and `b` share one text (not merely equal ones).
    pub fn ptr_eq(a: &Self, b: &Self) -> bool {
        Arc::ptr_eq(&a.0, &b.0)
    }
}

impl From<&str> for RawLines {
    fn from(joined: &str) -> Self {
        Self::new(joined)
    }
}

impl From<String> for RawLines {
    fn from(joined: String) -> Self {
        Self(joined.into())
    }
}

/// The payload of a [`Report`].
#[derive(Debug, Clone, PartialEq)]
pub enum ReportKind {
    /// A position report (AIS types 1–3, 18, 19, 9, 21, 27, 4).
    Position(PositionFix),
    /// Static and voyage data (AIS types 5, 24, 19).
    Static(StaticInfo),
}

/// The kind of AIS station that sent a position report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum StationClass {
    /// SOLAS Class A transponder (types 1–3, 5, 27).
    ClassA,
    /// Class B transponder (types 18, 19, 24).
    ClassB,
    /// Search-and-rescue aircraft (type 9).
    SarAircraft,
    /// Aid to navigation (type 21).
    AtoN,
    /// Shore base station (type 4).
    BaseStation,
    /// Anything else.
    Other,
}

/// A position fix with its motion.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PositionFix {
    /// Latitude in degrees WGS 84, north positive.
    pub lat: f64,
    /// Longitude in degrees WGS 84, east positive.
    pub lon: f64,
    /// Speed over ground in knots; `None` when not available (AIS 102.3).
    pub sog_kn: Option<f32>,
    /// Course over ground in degrees true, 0–360; `None` when not available (AIS 360).
    pub cog_deg: Option<f32>,
    /// True heading in degrees, 0–359; `None` when not available (AIS 511).
    pub heading_deg: Option<u16>,
    /// AIS navigational status 0–15 (0 under way using engine, 1 at anchor, 2 not under command,
    /// 5 moored, 6 aground, 7 engaged in fishing, 8 under way sailing, 15 undefined); `None` for classes
    /// that do not send it.
    pub nav_status: Option<u8>,
    /// The sending station's class.
    pub class: StationClass,
}

/// Static and voyage data; every field is optional because type 24 arrives in parts.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StaticInfo {
    /// IMO number (7 digits).
    pub imo: Option<u32>,
    /// Radio call sign.
    pub callsign: Option<String>,
    /// Vessel name.
    pub name: Option<String>,
    /// AIS ship and cargo type 0–99 (30 fishing, 35 military, 55 law enforcement, 8x tanker).
    pub ship_type: Option<u8>,
    /// Overall length in metres.
    pub length_m: Option<u16>,
    /// Beam in metres.
    pub beam_m: Option<u16>,
    /// Maximum present static draught in metres.
    pub draught_m: Option<f32>,
    /// Declared destination.
    pub destination: Option<String>,
}

impl Report {
    /// The position fix, if this is a position report.
    pub fn fix(&self) -> Option<&PositionFix> {
        match &self.kind {
            ReportKind::Position(fix) => Some(fix),
            ReportKind::Static(_) => None,
        }
    }
}
