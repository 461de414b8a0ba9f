//! Configuration of the `ais_gap` detector.

use super::check::Errors;
use super::zones::strings;
use serde::{Deserialize, Serialize};

/// `ais_gap`: silence where the vessel should be heard, reported when it reappears.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AisGapConfig {
    /// Run this detector.
    pub enabled: bool,
    /// Shortest gap, seconds. Default 900 (15 min).
    pub min_gap_s: u32,
    /// Gap threshold in multiples of the expected reporting interval. Default 5.
    pub interval_factor: f64,
    /// Satellite revisit interval where only satellites hear, seconds. Default 5400 (90 min).
    pub satellite_interval_s: u32,
    /// Missed satellite passes before a gap counts. Default 3 (4.5 h).
    pub satellite_missed_passes: u32,
    /// Also watch Class B (often switched off legitimately). Default false.
    pub include_class_b: bool,
    /// A gap starting within this distance of an asset names it and is raised to high severity, nm.
    /// Default 10.
    pub asset_radius_nm: f64,
    /// Near infrastructure (within `asset_radius_nm`), open the alert as soon as the silence passes the
    /// threshold, while the vessel is still dark; it closes when the vessel reappears (or is retracted if
    /// its reports were only delayed). A vessel heard through a tag-block station (`s:`) that has
    /// delivered nothing since is not counted (a receiver outage, not a vessel going dark). Default
    /// false: lines without a station cannot be told apart from an outage of their feed while other feeds
    /// go on. Turn it on for station-tagged feeds (Kystverket's are) or redundant ones.
    pub live_near_assets: bool,
    /// Receiving-station ids (tag block `s:`) of satellite receivers, case-insensitive, `*` for any run
    /// of characters. A vessel whose latest fix came through one of them is judged by the satellite
    /// threshold even where the geography assumes terrestrial coverage: it is evidently out of reach of
    /// the coast. Default `rORBCOMM*` (ORBCOMM), `rEV*` (exactEarth), `r*SAT*` (NorSat and others).
    pub satellite_sources: Vec<String>,
    /// A receiving station (tag block `s:`; untagged lines count as one feed) that delivers nothing for
    /// longer than this is down, seconds: the part of a vessel's silence during which its last station
    /// was down does not count towards a gap (an outage, not N dark vessels). Default 300.
    pub station_quiet_s: u32,
}

impl AisGapConfig {
    /// The defaults.
    pub fn new() -> Self {
        Self {
            enabled: true,
            min_gap_s: 900,
            interval_factor: 5.0,
            satellite_interval_s: 5400,
            satellite_missed_passes: 3,
            include_class_b: false,
            asset_radius_nm: 10.0,
            live_near_assets: false,
            satellite_sources: strings(&["rORBCOMM*", "rEV*", "r*SAT*"]),
            station_quiet_s: 300,
        }
    }

    /// Whether a receiving-station id is a satellite receiver (see `satellite_sources`).
    pub fn is_satellite_source(&self, station: &str) -> bool {
        self.satellite_sources
            .iter()
            .any(|p| crate::detectors::glob(p, station))
    }

    pub(crate) fn check(&self, e: &mut Errors) {
        e.positive("ais_gap.min_gap_s", f64::from(self.min_gap_s));
        e.positive("ais_gap.interval_factor", self.interval_factor);
        e.positive(
            "ais_gap.satellite_interval_s",
            f64::from(self.satellite_interval_s),
        );
        e.positive(
            "ais_gap.satellite_missed_passes",
            f64::from(self.satellite_missed_passes),
        );
        e.range("ais_gap.asset_radius_nm", self.asset_radius_nm, 0.0, 50.0);
        e.positive("ais_gap.station_quiet_s", f64::from(self.station_quiet_s));
    }
}

impl Default for AisGapConfig {
    fn default() -> Self {
        Self::new()
    }
}
