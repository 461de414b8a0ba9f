//! Configuration of the `gnss_interference` area detector.

use super::check::Errors;
use serde::{Deserialize, Serialize};

/// `gnss_interference`: several vessels' fixes pulled into one small area at once.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct GnssInterferenceConfig {
    /// Run this detector (and spare its victims the per-vessel identity, jump and on-land storms).
    pub enabled: bool,
    /// Distinct vessels (MMSIs) whose fixes must jump into the area. Default 3.
    pub min_vessels: u32,
    /// The jumped-to fixes lie within this distance of one another (of the area centre once the
    /// episode is open), nautical miles. Default 5.
    pub radius_nm: f64,
    /// ...within this long of one another, seconds. Default 600.
    pub window_s: u32,
    /// The episode ends when no victim has reported into the area for this long, seconds. Default 1800.
    pub quiet_s: u32,
    /// Jamming: the last known fixes of the vessels that lost their positions lie within this distance
    /// of one another (of the area centre once the episode is open), nautical miles. Jamming covers a
    /// wide area (Finnmark: tens of nm). Default 20.
    pub jamming_radius_nm: f64,
}

impl GnssInterferenceConfig {
    /// The defaults.
    pub const fn new() -> Self {
        Self {
            enabled: true,
            min_vessels: 3,
            radius_nm: 5.0,
            window_s: 600,
            quiet_s: 1800,
            jamming_radius_nm: 20.0,
        }
    }

    pub(crate) fn check(&self, e: &mut Errors) {
        e.range(
            "gnss_interference.min_vessels",
            f64::from(self.min_vessels),
            2.0,
            1000.0,
        );
        e.range("gnss_interference.radius_nm", self.radius_nm, 0.1, 100.0);
        e.range(
            "gnss_interference.jamming_radius_nm",
            self.jamming_radius_nm,
            0.1,
            300.0,
        );
        e.positive("gnss_interference.window_s", f64::from(self.window_s));
        e.positive("gnss_interference.quiet_s", f64::from(self.quiet_s));
    }
}

impl Default for GnssInterferenceConfig {
    fn default() -> Self {
        Self::new()
    }
}
