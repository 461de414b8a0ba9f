//! Configuration: one documented serde struct per detector, in a module named after it (mirroring
//! `detectors/`), plus the engine-wide sections here (alerts, track) and `[watch.interest]`.
//!
//! Parse first (serde, every field defaulted), then [`Config::validate`], which reports every error at
//! once. Defaults are the thresholds of `DETECTION.md`; field doc comments double as user documentation.

mod ais_gap;
mod check;
mod data_quality;
mod gnss_interference;
mod identity_conflict;
mod infrastructure_loiter;
mod infrastructure_speed_anomaly;
mod interest;
mod loitering;
mod position_jump;
mod position_on_land;
mod rendezvous;
mod watchlist;
mod zone_entry;
mod zones;

pub use ais_gap::AisGapConfig;
pub use check::{ConfigError, ConfigErrors};
pub use data_quality::DataQualityConfig;
pub use gnss_interference::GnssInterferenceConfig;
pub use identity_conflict::IdentityConflictConfig;
pub use infrastructure_loiter::InfrastructureLoiterConfig;
pub use infrastructure_speed_anomaly::InfrastructureSpeedAnomalyConfig;
pub use interest::InterestConfig;
pub use loitering::LoiteringConfig;
pub use position_jump::PositionJumpConfig;
pub use position_on_land::PositionOnLandConfig;
pub use rendezvous::RendezvousConfig;
pub use watchlist::{normalize_name, Watchlist, WatchlistConfig, WatchlistError};
pub use zone_entry::ZoneEntryConfig;
pub use zones::ZONE_KINDS;

use serde::{Deserialize, Serialize};

/// Norway's MIDs: 257, 258, 259.
pub const NORWAY_MIDS: &[u16] = &[257, 258, 259];

/// The whole engine configuration (`[watch]` section of the Varde TOML file).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// MIDs whose vessels count as domestic (not foreign). Default Norway: 257, 258, 259.
    pub home_mids: Vec<u16>,
    /// The watch list (MMSIs, IMO numbers, names).
    pub watchlist: Watchlist,
    /// Which vessels are "of interest" for zone entry.
    pub interest: InterestConfig,
    /// Alert output: evidence, releasability, update rate.
    pub alerts: AlertConfig,
    /// Track history and vessel memory.
    pub track: TrackConfig,
    /// `zone_entry` detector.
    pub zone_entry: ZoneEntryConfig,
    /// `loitering` detector.
    pub loitering: LoiteringConfig,
    /// `ais_gap` detector.
    pub ais_gap: AisGapConfig,
    /// `position_jump` detector (its thresholds also decide which fixes the picture accepts).
    pub position_jump: PositionJumpConfig,
    /// `position_on_land` detector.
    pub position_on_land: PositionOnLandConfig,
    /// `identity_conflict` detector.
    pub identity_conflict: IdentityConflictConfig,
    /// `rendezvous` detector.
    pub rendezvous: RendezvousConfig,
    /// `infrastructure_loiter` detector.
    pub infrastructure_loiter: InfrastructureLoiterConfig,
    /// `infrastructure_speed_anomaly` detector.
    pub infrastructure_speed_anomaly: InfrastructureSpeedAnomalyConfig,
    /// `watchlist` detector.
    pub watchlist_alerts: WatchlistConfig,
    /// `gnss_interference` detector.
    pub gnss_interference: GnssInterferenceConfig,
    /// `data_quality` notes, and which marked vessels raise nothing else.
    pub data_quality: DataQualityConfig,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            home_mids: NORWAY_MIDS.to_vec(),
            watchlist: Watchlist::default(),
            interest: InterestConfig::default(),
            alerts: AlertConfig::default(),
            track: TrackConfig::new(),
            zone_entry: ZoneEntryConfig::default(),
            loitering: LoiteringConfig::default(),
            ais_gap: AisGapConfig::new(),
            position_jump: PositionJumpConfig::new(),
            position_on_land: PositionOnLandConfig::new(),
            identity_conflict: IdentityConflictConfig::new(),
            rendezvous: RendezvousConfig::new(),
            infrastructure_loiter: InfrastructureLoiterConfig::default(),
            infrastructure_speed_anomaly: InfrastructureSpeedAnomalyConfig::default(),
            watchlist_alerts: WatchlistConfig::new(),
            gnss_interference: GnssInterferenceConfig::new(),
            data_quality: DataQualityConfig::new(),
        }
    }
}

impl Config {
    /// Checks every section; returns all errors found, not just the first.
    pub fn validate(&self) -> Result<(), ConfigErrors> {
        let mut e = check::Errors::default();
        for &mid in &self.home_mids {
            e.mid("home_mids", mid);
        }
        self.interest.check(&mut e);
        self.alerts.check(&mut e);
        self.track.check(&mut e);
        self.zone_entry.check(&mut e);
        self.loitering.check(&mut e);
        self.ais_gap.check(&mut e);
        self.position_jump.check(&mut e);
        self.position_on_land.check(&mut e);
        self.identity_conflict.check(&mut e);
        self.rendezvous.check(&mut e);
        self.infrastructure_loiter.check(&mut e);
        self.infrastructure_speed_anomaly.check(&mut e);
        self.watchlist_alerts.check(&mut e);
        self.gnss_interference.check(&mut e);
        self.data_quality.check(&mut e);
        e.finish()
    }

    /// Whether an MMSI is domestic by its MID.
    pub fn is_home(&self, mmsi: u32) -> bool {
        crate::picture::mid::mid_of(mmsi).is_some_and(|m| self.home_mids.contains(&m))
    }
}

/// Alert output settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AlertConfig {
    /// Reports kept as evidence from the start of an alert.
    pub evidence_first: usize,
    /// Reports kept as evidence from the end of an alert (a rolling window).
    pub evidence_last: usize,
    /// Releasability labels put on every alert (e.g. `NOR`, `NATO`).
    pub releasability: Vec<String>,
    /// Minimum event time between two `Updated` events of one alert, seconds (state changes always emit).
    pub update_interval_s: u32,
    /// An open alert whose vessel has been silent this long is closed at its last report, seconds.
    pub close_after_silence_s: u32,
    /// Alerts about the same vessel (or pair) no more than this far apart in time form one incident,
    /// seconds. Default 21 600 (6 h).
    pub incident_window_s: u32,
    /// ...and no more than this far apart in place, nautical miles. Default 30 (a drag of ~100 km is
    /// followed alert by alert, each within 30 nm of the last).
    pub incident_radius_nm: f64,
    /// A closed alert stays in memory this long after its end (event time, seconds) before a live
    /// service drains it to its store, so late data can still revise or retract it (a position jump
    /// that GNSS interference explains later, an AIS gap a late report fills). Default 21 600 (6 h).
    pub keep_closed_s: u32,
}

impl Default for AlertConfig {
    fn default() -> Self {
        Self {
            evidence_first: 3,
            evidence_last: 3,
            releasability: vec!["NOR".to_owned()],
            update_interval_s: 60,
            close_after_silence_s: 21_600,
            incident_window_s: 21_600,
            incident_radius_nm: 30.0,
            keep_closed_s: 21_600,
        }
    }
}

impl AlertConfig {
    fn check(&self, e: &mut check::Errors) {
        e.positive("alerts.evidence_first", self.evidence_first as f64);
        e.non_empty("alerts.releasability", self.releasability.len());
        e.positive(
            "alerts.close_after_silence_s",
            f64::from(self.close_after_silence_s),
        );
        e.positive(
            "alerts.incident_window_s",
            f64::from(self.incident_window_s),
        );
        e.positive("alerts.incident_radius_nm", self.incident_radius_nm);
    }
}

/// Track history and memory bounds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TrackConfig {
    /// Points kept per vessel (16 bytes each).
    pub max_points: usize,
    /// Dead-reckoning tolerance, metres: a fix further than this from the prediction keeps a point.
    pub tolerance_m: f64,
    /// Keep a point at least this often, seconds.
    pub heartbeat_s: u32,
    /// Silence longer than this, seconds, keeps both ends as a gap.
    pub gap_s: u32,
    /// Spacing of recent-speed samples, seconds (24 samples make the median window).
    pub speed_sample_s: u32,
    /// Forget a vessel silent for this long, seconds.
    pub forget_after_s: u32,
    /// Most vessels tracked at once (about 1 KiB each): reports of further new MMSIs are counted
    /// (`vessels_refused`) and dropped, so a spoofed flood of distinct MMSIs cannot exhaust memory.
    /// Vessels already tracked are never refused. The world's AIS fleet is a few hundred thousand.
    pub max_vessels: usize,
}

impl TrackConfig {
    /// The defaults.
    pub const fn new() -> Self {
        Self {
            max_points: 20,
            tolerance_m: 250.0,
            heartbeat_s: 1800,
            gap_s: 600,
            speed_sample_s: 300,
            forget_after_s: 3 * 86_400,
            max_vessels: 1_000_000,
        }
    }

    fn check(&self, e: &mut check::Errors) {
        e.range("track.max_points", self.max_points as f64, 2.0, 4096.0);
        e.positive("track.tolerance_m", self.tolerance_m);
        e.positive("track.heartbeat_s", f64::from(self.heartbeat_s));
        e.positive("track.gap_s", f64::from(self.gap_s));
        e.positive("track.speed_sample_s", f64::from(self.speed_sample_s));
        e.positive("track.forget_after_s", f64::from(self.forget_after_s));
        e.positive("track.max_vessels", self.max_vessels as f64);
    }
}

impl Default for TrackConfig {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests;
