//! Configuration of the identity and position-integrity detectors.

use super::check::Errors;
use serde::{Deserialize, Serialize};

/// `position_jump`: kinematically impossible motion between consecutive fixes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PositionJumpConfig {
    /// Run this detector (the picture applies the thresholds either way).
    pub enabled: bool,
    /// Implied speed above this is impossible, knots. Default 50.
    pub max_speed_kn: f64,
    /// Or above this multiple of the vessel's own highest speed. Default 3.
    pub own_max_factor: f64,
    /// Floor for the own-speed limit, knots (GFW's segmenter uses 25). Default 25.
    pub min_own_limit_kn: f64,
    /// Jumps shorter than this are ignored (GNSS noise), nautical miles. Default 2.
    pub min_distance_nm: f64,
}

impl PositionJumpConfig {
    /// The defaults.
    pub const fn new() -> Self {
        Self {
            enabled: true,
            max_speed_kn: 50.0,
            own_max_factor: 3.0,
            min_own_limit_kn: 25.0,
            min_distance_nm: 2.0,
        }
    }

    pub(crate) fn check(&self, e: &mut Errors) {
        e.positive("position_jump.max_speed_kn", self.max_speed_kn);
        e.positive("position_jump.own_max_factor", self.own_max_factor);
        e.range(
            "position_jump.min_own_limit_kn",
            self.min_own_limit_kn,
            1.0,
            self.max_speed_kn.max(1.0),
        );
        e.positive("position_jump.min_distance_nm", self.min_distance_nm);
    }
}

/// `position_on_land`: a reported position inland beyond the coastline tolerance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PositionOnLandConfig {
    /// Run this detector.
    pub enabled: bool,
    /// Metres inland before a fix counts. Default 500.
    pub min_inland_m: f64,
}

impl PositionOnLandConfig {
    /// The defaults.
    pub const fn new() -> Self {
        Self {
            enabled: true,
            min_inland_m: 500.0,
        }
    }

    pub(crate) fn check(&self, e: &mut Errors) {
        e.positive("position_on_land.min_inland_m", self.min_inland_m);
    }
}

/// `identity_conflict`: one MMSI in two places (also taking turns), an IMO change, an IMO taken over by
/// another MMSI (flag hopping), a name or call sign changed at sea. (Unassigned MIDs: `data_quality`.)
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct IdentityConflictConfig {
    /// Run this detector.
    pub enabled: bool,
    /// A second position stream is forgotten after this long without the two interleaving, seconds.
    /// Default 3600.
    pub stream_window_s: u32,
    /// Alert when a vessel's IMO number changes. Default true.
    pub check_imo_change: bool,
    /// An IMO number heard from a new MMSI within this long of its old MMSI's last static report, from a
    /// place the ship could have reached (at 30 kn, plus 5 nm), is one ship that changed MMSI (and flag)
    /// at sea: flag hopping. Seconds; 0 switches it off. Default 21 600 (6 h).
    pub flag_hop_window_s: u32,
    /// Note (medium) a name or call sign that changes at sea while MMSI and IMO stay. Default true.
    pub check_renaming: bool,
}

impl IdentityConflictConfig {
    /// The defaults.
    pub const fn new() -> Self {
        Self {
            enabled: true,
            stream_window_s: 3600,
            check_imo_change: true,
            flag_hop_window_s: 21_600,
            check_renaming: true,
        }
    }

    pub(crate) fn check(&self, e: &mut Errors) {
        e.positive(
            "identity_conflict.stream_window_s",
            f64::from(self.stream_window_s),
        );
    }
}

macro_rules! default_from_new {
    ($($t:ty),*) => { $(impl Default for $t { fn default() -> Self { Self::new() } })* };
}
default_from_new!(
    PositionJumpConfig,
    PositionOnLandConfig,
    IdentityConflictConfig
);
