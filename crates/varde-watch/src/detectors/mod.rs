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
pub use loitering::{LoiterRun, Loitering, SPEED_WINDOW_MAX};
pub use position_jump::PositionJump;
pub use position_on_land::PositionOnLand;
pub use receivers::Receivers;
pub use rendezvous::{Pairs, Rendezvous};
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

/// Reference documentation of every detector, as Markdown generated from [`DETECTORS`].
pub fn reference_markdown() -> String {
    let mut out = String::from("# Detectors\n\n| kind | what it detects |\n|---|---|\n");
    for d in DETECTORS {
        out.push_str(&format!("| `{}` | {} |\n", d.kind().as_str(), d.doc()));
    }
    out
}

/// Per-vessel detector state, kept small: rarely-needed parts are boxed and dropped when idle.
#[derive(Debug, Clone, Default)]
pub struct VesselWatch {
    /// Whether the vessel is of interest for zone entry (cached; recomputed on static data).
    pub interest: Interest,
    /// The ship type of the latest static data, 0 if none (`zone_entry` notices a relabelling).
    pub known_type: u8,
    /// A vessel of interest that relabelled itself at sea (boxed: rare).
    pub relabel: Option<Box<Relabel>>,
    /// How the vessel matched the watch list, if it does (cached).
    pub listed: Option<&'static str>,
    /// Whether the vessel's name or call sign change at sea has been noted (once per vessel).
    pub identity_checked: bool,
    /// What the data say the vessel is (placeholder, gear buoy, ...), decided once; whether noted.
    pub data: DataMark,
    /// The open `gnss_interference` episode the vessel is a victim of; 0 when none.
    pub gnss_episode: u32,
    /// Whether the latest accepted fix came through a satellite receiver (`ais_gap`).
    pub via_satellite: bool,
    /// The receiving station of the latest accepted fix (`ais_gap`: its outages are not the vessel going dark).
    pub last_station: Option<std::sync::Arc<str>>,
    /// Last sighting of a watch-listed vessel, Unix ms.
    pub listed_last_ms: i64,
    /// Course before any speed dip, tenths of a degree.
    pub cog_ref_ddeg: Option<u16>,
    /// The speed from before a sustained drop, held while the drop lasts (`infrastructure_speed_anomaly`).
    pub speed_ref: Option<SpeedRef>,
    /// Watched zones the vessel is inside.
    pub zones: Vec<ZoneStay>,
    /// Loitering run, while one is being timed.
    pub loiter: Option<Box<LoiterRun>>,
    /// Infrastructure state, while near an asset.
    pub infra: Option<Box<InfraWatch>>,
    /// Rendezvous grid cell and partners, while slow.
    pub pairing: Option<Box<rendezvous::Pairing>>,
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
        let relabel = self
            .relabel
            .as_ref()
            .map_or(0, |r| std::mem::size_of::<Relabel>() + r.raw.heap_bytes());
        zones + loiter + infra + pairing + relabel
    }
}

#[cfg(test)]
pub(crate) mod testkit;
