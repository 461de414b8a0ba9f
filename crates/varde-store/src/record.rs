//! The rows the store keeps, and the [`Batch`] that carries them in.
//!
//! These types are the store's own: they do not depend on the codec or the
//! engine, so the store can be built, tested and replaced on its own. The
//! integrator converts engine values into them.
//!
//! # Units
//! Times are milliseconds since the Unix epoch, UTC (`*_ms: i64`). Positions
//! are WGS 84 decimal degrees (`lat` north positive, `lon` east positive).
//! Speeds are knots, courses and headings degrees true in `[0, 360)`.
//! Navigational status is the raw AIS code (0–15). Nothing is scaled: AIS
//! "not available" values (511, 102.3 kn, ...) are `None`, not numbers.

/// The latest known state of one vessel: the merged static data plus its last
/// position. One row per MMSI; a newer `last_seen_ms` replaces an older one.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct VesselRecord {
    /// Maritime Mobile Service Identity (9 digits).
    pub mmsi: u32,
    /// Vessel name as broadcast (static data), trimmed.
    pub name: Option<String>,
    /// Radio call sign.
    pub callsign: Option<String>,
    /// IMO ship identification number (7 digits).
    pub imo: Option<u32>,
    /// AIS ship and cargo type code (0–99).
    pub ship_type: Option<u8>,
    /// Flag state, ISO 3166-1 alpha-2 (`"NO"`), usually derived from the MID.
    pub flag: Option<String>,
    /// Overall length in metres.
    pub length_m: Option<f64>,
    /// Beam in metres.
    pub beam_m: Option<f64>,
    /// Present static draught in metres.
    pub draught_m: Option<f64>,
    /// Destination as broadcast.
    pub destination: Option<String>,
    /// Estimated time of arrival as broadcast (message 5), resolved to a full date-time, ms since
    /// the epoch.
    pub eta_ms: Option<i64>,
    /// Last latitude, degrees; `None` until a position is known.
    pub lat: Option<f64>,
    /// Last longitude, degrees; `None` until a position is known.
    pub lon: Option<f64>,
    /// Last speed over ground, knots.
    pub sog_kn: Option<f64>,
    /// Last course over ground, degrees true.
    pub cog_deg: Option<f64>,
    /// Last true heading, degrees.
    pub heading_deg: Option<f64>,
    /// Last navigational status code (0–15).
    pub nav_status: Option<u8>,
    /// Event time of the latest report about this vessel, ms since the epoch.
    pub last_seen_ms: i64,
}

/// One point of a vessel's track. Keyed by `(mmsi, time_ms)`: a second point
/// for the same vessel at the same millisecond (the same report heard by two
/// receivers, or a replay) is ignored, the first one written is kept.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PositionRecord {
    /// Maritime Mobile Service Identity.
    pub mmsi: u32,
    /// Event time of the report, ms since the epoch.
    pub time_ms: i64,
    /// Latitude, degrees.
    pub lat: f64,
    /// Longitude, degrees.
    pub lon: f64,
    /// Speed over ground, knots.
    pub sog_kn: Option<f64>,
    /// Course over ground, degrees true.
    pub cog_deg: Option<f64>,
    /// True heading, degrees.
    pub heading_deg: Option<f64>,
    /// Navigational status code (0–15).
    pub nav_status: Option<u8>,
    /// Name of the source (receiver, feed) the report came from.
    pub source: Option<String>,
}

/// One revision of an alert. Every revision is kept (`alert_revisions`); the
/// highest revision of each id is the current alert (`alerts`), updated in
/// place.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AlertRecord {
    /// Stable alert id (the same across re-runs and revisions).
    pub id: String,
    /// Detector kind, snake_case (`"zone_entry"`, `"ais_gap"`, ...).
    pub kind: String,
    /// The vessel the alert is about.
    pub mmsi: u32,
    /// Event time the alert started, ms since the epoch.
    pub start_ms: i64,
    /// Event time the alert ended, ms since the epoch; `None` while open.
    pub end_ms: Option<i64>,
    /// Whether the alert is still open.
    pub open: bool,
    /// Zone name, where the alert is about a zone.
    pub zone: Option<String>,
    /// Infrastructure asset name, where the alert is about one.
    pub asset: Option<String>,
    /// Latitude of the alert, degrees.
    pub lat: f64,
    /// Longitude of the alert, degrees.
    pub lon: f64,
    /// The full alert JSON exactly as emitted, evidence included. Opaque to
    /// the store.
    pub json: String,
    /// Revision number, starting at 0 or 1 and increasing with each revision.
    pub revision: u32,
}

/// Counters and state of one input source, replaced on every write.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SourceStats {
    /// Source name, unique (the config section's name).
    pub name: String,
    /// Source kind (`"tcp"`, `"udp"`, `"file"`, ...).
    pub kind: String,
    /// Current state (`"connected"`, `"reconnecting"`, ...).
    pub state: String,
    /// Reports accepted from this source since it was configured.
    /// Must be at most `i64::MAX`.
    pub reports: u64,
    /// Lines rejected (bad checksum, undecodable, ...). At most `i64::MAX`.
    pub rejects: u64,
    /// Event time of the last accepted report, ms since the epoch.
    pub last_report_ms: Option<i64>,
}

/// One accepted input line, journalled before it is summarised so that
/// nothing accepted is lost: on restart the service replays the journal.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RawRecord {
    /// Event time of the line (tag block `c:`, file column or receive time),
    /// ms since the epoch.
    pub time_ms: i64,
    /// Name of the source the line came from.
    pub source: String,
    /// The sentence as received, tag block included, without line ending.
    pub line: String,
}

/// One item released to a partner, for the audit log (`sqlite::audit`): who received what, under
/// which label, over which feed, when. Appended in write order to a hash chain; never pruned.
///
/// The store does not interpret any field: `label` is the label's canonical text as the labelling
/// code renders it (`NATO UNCLASSIFIED REL NOR,SWE`, or a JSON string), kept byte for byte.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ReleaseRecord {
    /// When the item was released, ms since the epoch (the caller's clock; not required to
    /// increase along the log).
    pub time_ms: i64,
    /// The partner it was released to (`"NOR"`, `"SWE"`, `"EU"`, ...).
    pub partner: String,
    /// The feed it left by (`"cot"`, `"ogc"`, `"geojson-sse"`, `"nmea"`, ...).
    pub feed: String,
    /// The released item's id (an MMSI, an alert id, ...).
    pub item_id: String,
    /// The item's label, canonical text, opaque to the store.
    pub label: String,
}

/// Everything one [`Store::write_batch`](crate::Store::write_batch) call
/// writes, in one transaction: after a crash either all of a batch is stored
/// or none of it.
///
/// Within a batch, rows are applied in this order: raw lines, positions,
/// vessels, alert revisions, sources, releases. Reuse a batch with [`Batch::clear`] to
/// keep its allocations.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Batch {
    /// Accepted input lines for the journal.
    pub raw: Vec<RawRecord>,
    /// Track points.
    pub positions: Vec<PositionRecord>,
    /// Vessel states to upsert (a row with an older `last_seen_ms` than the
    /// stored one is ignored).
    pub vessels: Vec<VesselRecord>,
    /// Alert revisions (a revision lower than the current one is kept in
    /// `alert_revisions` but does not replace the current alert).
    pub alerts: Vec<AlertRecord>,
    /// Source counters to replace.
    pub sources: Vec<SourceStats>,
    /// Releases to partners, appended to the audit log in this order (not idempotent: a release
    /// written twice is logged twice).
    pub releases: Vec<ReleaseRecord>,
}

impl Batch {
    /// An empty batch.
    pub fn new() -> Self {
        Self::default()
    }

    /// Number of rows of all kinds in the batch.
    pub fn len(&self) -> usize {
        self.raw.len()
            + self.positions.len()
            + self.vessels.len()
            + self.alerts.len()
            + self.sources.len()
            + self.releases.len()
    }

    /// True when the batch holds no rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Removes all rows, keeping the allocated capacity.
    pub fn clear(&mut self) {
        self.raw.clear();
        self.positions.clear();
        self.vessels.clear();
        self.alerts.clear();
        self.sources.clear();
        self.releases.clear();
    }
}

/// Rows per table, from [`Store::counts`](crate::Store::counts).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counts {
    /// Journalled raw lines.
    pub raw: u64,
    /// Track points.
    pub positions: u64,
    /// Vessels.
    pub vessels: u64,
    /// Current alerts (one per id).
    pub alerts: u64,
    /// Alert revisions (all of them).
    pub alert_revisions: u64,
    /// Sources.
    pub sources: u64,
}

/// Rows removed by a prune, per table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PruneCounts {
    /// Raw lines removed.
    pub raw: u64,
    /// Track points removed.
    pub positions: u64,
    /// Vessels removed (not seen since the cut-off).
    pub vessels: u64,
    /// Closed alerts removed (ended before the cut-off).
    pub alerts: u64,
    /// Alert revisions removed (those of the removed alerts).
    pub alert_revisions: u64,
}
