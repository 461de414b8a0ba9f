//! Detectors: one unit struct per rule, all listed in [`DETECTORS`] (from which the docs are generated).
//!
//! A detector sees one report at a time through a [`Ctx`]: the report, how the picture classified it
//! ([`Update`]), the vessel (with the detector's own per-vessel state in [`VesselWatch`]), cached
//! geography, and the alert book. Detectors hold no state of their own, so the engine stays one value
//! that can be partitioned by MMSI.

mod ais_gap;
mod ctx;
pub mod data_quality;
pub mod gnss_interference;
mod identity_conflict;
mod infrastructure_loiter;
mod infrastructure_speed_anomaly;
mod loitering;
mod position_jump;
mod position_on_land;
mod receivers;
mod rendezvous;
mod speed_window;
mod text;
mod watchlist;
mod zone_entry;

pub use ais_gap::{sweep_dark, AisGap};
pub use ctx::{Ctx, Shared};
pub use data_quality::{DataMark, DataQuality, Quality};
pub use gnss_interference::{GnssInterference, Interference};
pub use identity_conflict::{Identities, IdentityConflict};
pub use infrastructure_loiter::{InfraWatch, InfrastructureLoiter};
pub use infrastructure_speed_anomaly::{InfrastructureSpeedAnomaly, SpeedRef};
pub use loitering::{LoiterRun, Loitering};
pub use position_jump::PositionJump;
pub use position_on_land::PositionOnLand;
pub use receivers::Receivers;
pub use rendezvous::{Pairs, Rendezvous};
pub use speed_window::SPEED_WINDOW_MAX;
pub use watchlist::Watchlisted;
pub use zone_entry::{glob, Interest, Relabel, ZoneEntry, ZoneStay};

use crate::alert::Kind;
use crate::config::Config;

/// A detection rule.
pub trait Detector: Sync {
    /// The alert kind it raises.
    fn kind(&self) -> Kind;
    /// What it detects and why, for the generated reference docs (one paragraph).
    fn doc(&self) -> &'static str;
    /// Whether the configuration switches it on.
    fn enabled(&self, cfg: &Config) -> bool;
    /// Looks at one report.
    fn on_report(&self, cx: &mut Ctx<'_>);
}

/// Every detector, in the order they run and are documented.
pub static DETECTORS: &[&dyn Detector] = &[
    &DataQuality,
    &Watchlisted,
    &GnssInterference,
    &IdentityConflict,
    &PositionJump,
    &PositionOnLand,
    &AisGap,
    &ZoneEntry,
    &Loitering,
    &Rendezvous,
    &InfrastructureLoiter,
    &InfrastructureSpeedAnomaly,
];

/// Reference documentation of every detector, as Markdown generated from [`DETECTORS`] and the
/// default configuration: the detector table, then the coverage model behind `ais_gap`.
pub fn reference_markdown() -> String {
    let mut out = String::from("# Detectors\n\n| kind | what it detects |\n|---|---|\n");
    for d in DETECTORS {
        out.push_str(&format!("| `{}` | {} |\n", d.kind().as_str(), d.doc()));
    }
    out.push_str(&coverage_markdown(&Config::default()));
    out
}

/// The coverage model (what silence means where), with the thresholds of `cfg`.
fn coverage_markdown(cfg: &Config) -> String {
    use crate::picture::motion::expected_interval_ms;
    use crate::report::StationClass;
    let c = &cfg.ais_gap;
    let min = |ms: i64| ms as f64 / 60_000.0;
    let floor = i64::from(c.min_gap_s) * 1000;
    let terrestrial = |class, status, sog| {
        let every = expected_interval_ms(class, status, sog);
        min(floor.max((every as f64 * c.interval_factor) as i64))
    };
    let satellite = i64::from(c.satellite_interval_s) * i64::from(c.satellite_missed_passes) * 1000;
    format!(
        "\n## Coverage model (what silence means where)\n\n\
         A silence counts as an `ais_gap` only past a threshold that follows how often the vessel should \
         be heard where it was last heard:\n\n\
         | where the vessel was last heard | expected report interval | silence that counts (defaults) |\n\
         |---|---|---|\n\
         | terrestrial coverage, Class A under way 0–14 kn | 10 s | {:.0} min (floor `min_gap_s`) |\n\
         | terrestrial coverage, Class A at anchor or moored | 3 min | {:.0} min (`interval_factor` {} × 3 min) |\n\
         | satellite-only waters, or last heard through a satellite receiver (`satellite_sources`) | \
         {:.0} min pass (`satellite_interval_s`) | {:.0} min (`satellite_missed_passes` {} passes) |\n\n\
         - **Where coverage is terrestrial** is the geography's answer (`varde-geo`: within a documented \
           range of the coast's base stations, satellite elsewhere, e.g. north of ~75° N and far offshore; \
           replaceable by a coverage layer in the configuration).\n\
         - **Receiver outages are not dark vessels.** Every receiving station (tag block `s:`; untagged \
           lines count as one feed) keeps a clock; a station that carried more than one vessel and then \
           delivered nothing for more than `station_quiet_s` ({} s) was down. The part of a vessel's \
           silence during which its last station was down does not count, on opening a live alert \
           (`live_near_assets`), on reporting a gap at reappearance, and on closing: an alert opened \
           during an outage is retracted when the vessel reappears.\n\
         - Class B is not watched by default (`include_class_b`); vessels in a port or anchorage are \
           not watched.\n",
        terrestrial(StationClass::ClassA, Some(0), Some(10.0)),
        terrestrial(StationClass::ClassA, Some(1), Some(0.0)),
        c.interval_factor,
        min(i64::from(c.satellite_interval_s) * 1000),
        min(floor.max(satellite)),
        c.satellite_missed_passes,
        c.station_quiet_s,
    )
}

/// Per-vessel detector state, kept small: parts needed for a while are boxed and dropped when idle;
/// the rarely set ones are in [`RareWatch`], in the vessel's box of rarely set state.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct VesselWatch {
    /// Whether the vessel is of interest for zone entry (cached; recomputed on static data).
    pub interest: Interest,
    /// The ship type of the latest static data, 0 if none (`zone_entry` notices a relabelling).
    pub known_type: u8,
    /// Whether the vessel's name or call sign change at sea has been noted (once per vessel).
    pub identity_checked: bool,
    /// What the data say the vessel is (placeholder, gear buoy, ...), decided once; whether noted.
    pub data: DataMark,
    /// Whether the latest accepted fix came through a satellite receiver (`ais_gap`).
    pub via_satellite: bool,
    /// The receiving station of the latest accepted fix (`ais_gap`: its outages are not the vessel going dark).
    pub last_station: Option<std::sync::Arc<str>>,
    /// Course before any speed dip, tenths of a degree.
    pub cog_ref_ddeg: Option<u16>,
    /// The speed from before a sustained drop, held while the drop lasts (`infrastructure_speed_anomaly`).
    pub speed_ref: Option<SpeedRef>,
    /// Watched zones the vessel is inside (or left within the re-entry grace).
    pub zones: Vec<ZoneStay>,
    /// Loitering run, while one is being timed.
    pub loiter: Option<Box<LoiterRun>>,
    /// Infrastructure state, while near an asset.
    pub infra: Option<Box<InfraWatch>>,
    /// Rendezvous grid cell and partners, while slow.
    pub pairing: Option<Box<rendezvous::Pairing>>,
}

/// Per-vessel detector state few vessels hold, kept in the vessel's box of rarely set state
/// ([`crate::picture::Rare`]); every field's default means "none".
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct RareWatch {
    /// A vessel of interest that relabelled itself at sea.
    pub relabel: Option<Box<Relabel>>,
    /// How the vessel matched the watch list, if it does (cached).
    /// Not in snapshots: judged again against the watch list in force when one is loaded.
    #[serde(skip)]
    pub listed: Option<&'static str>,
    /// Last sighting of a watch-listed vessel, Unix ms.
    pub listed_last_ms: i64,
    /// The open `gnss_interference` episode the vessel is a victim of; 0 when none.
    pub gnss_episode: u32,
}

impl RareWatch {
    /// Nothing held.
    pub const NONE: RareWatch = RareWatch {
        relabel: None,
        listed: None,
        listed_last_ms: 0,
        gnss_episode: 0,
    };

    /// Whether every field is at its default.
    pub fn is_none(&self) -> bool {
        self.relabel.is_none()
            && self.listed.is_none()
            && self.listed_last_ms == 0
            && self.gnss_episode == 0
    }

    /// Heap bytes owned.
    pub fn heap_bytes(&self) -> usize {
        self.relabel
            .as_ref()
            .map_or(0, |r| std::mem::size_of::<Relabel>() + r.raw.heap_bytes())
    }
}

impl VesselWatch {
    /// Heap bytes owned.
    pub fn heap_bytes(&self) -> usize {
        let zones = self.zones.capacity() * std::mem::size_of::<ZoneStay>();
        let loiter = self
            .loiter
            .as_ref()
            .map_or(0, |_| std::mem::size_of::<LoiterRun>());
        let infra = self.infra.as_ref().map_or(0, |i| i.heap_bytes());
        let pairing = self.pairing.as_ref().map_or(0, |p| p.heap_bytes());
        zones + loiter + infra + pairing
    }
}

#[cfg(test)]
pub(crate) mod testkit;
