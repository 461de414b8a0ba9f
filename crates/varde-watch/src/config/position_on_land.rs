//! Configuration of the `position_on_land` detector.

use super::check::Errors;
use serde::{Deserialize, Serialize};

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

impl Default for PositionOnLandConfig {
    fn default() -> Self {
        Self::new()
    }
}
