//! Configuration of the `position_jump` detector.

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

impl Default for PositionJumpConfig {
    fn default() -> Self {
        Self::new()
    }
}
