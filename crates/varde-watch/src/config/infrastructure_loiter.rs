//! Configuration of the `infrastructure_loiter` detector.

use super::check::Errors;
use serde::{Deserialize, Serialize};

/// `infrastructure_loiter`: slow within the buffer of an asset, or repeated crossings by a trawler.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct InfrastructureLoiterConfig {
    /// Run this detector.
    pub enabled: bool,
    /// Buffer around each asset, nautical miles. Default 1.
    pub radius_nm: f64,
    /// Slow below this speed, knots. Default 3.
    pub max_speed_kn: f64,
    /// Ship types the slow rule does not judge: fishing 30 (trawlers work slowly over pipelines every
    /// day; the crossing rule is the one for bottom gear). Vessels of interest are judged whatever
    /// their type.
    pub slow_exempt_ship_types: Vec<u8>,
    /// Statuses the slow rule does not judge: engaged in fishing 7.
    pub slow_exempt_nav_status: Vec<u8>,
    /// One-minute speed samples whose median decides when a slow run has ended. Default 8.
    pub speed_window: usize,
    /// Slow within the buffer at least this long, seconds. Default 1800.
    pub min_duration_s: u32,
    /// Crossings (entries into a cable or pipeline buffer) that fire. Default 3.
    pub crossings: usize,
    /// Window for counting crossings, seconds. Default 21 600 (6 h).
    pub crossing_window_s: u32,
    /// Ship types counted as trawling for crossings. Default 30 (fishing).
    pub crossing_ship_types: Vec<u8>,
    /// Navigational statuses counted as trawling. Default 7 (engaged in fishing).
    pub crossing_nav_status: Vec<u8>,
    /// Holding within this distance of a platform is servicing it (supply, standby, crew change), not
    /// loitering or anchor drag, metres. Default 500: the statutory safety zone, which only vessels
    /// serving the installation may enter (intruders of interest raise `zone_entry`). 0 disables.
    pub platform_service_m: f64,
}

impl Default for InfrastructureLoiterConfig {
    fn default() -> Self {
        Self {
            enabled: true,
            radius_nm: 1.0,
            max_speed_kn: 3.0,
            slow_exempt_ship_types: vec![30],
            slow_exempt_nav_status: vec![7],
            speed_window: 8,
            min_duration_s: 1800,
            crossings: 3,
            crossing_window_s: 21_600,
            crossing_ship_types: vec![30],
            crossing_nav_status: vec![7],
            platform_service_m: 500.0,
        }
    }
}

impl InfrastructureLoiterConfig {
    pub(crate) fn check(&self, e: &mut Errors) {
        e.range(
            "infrastructure_loiter.radius_nm",
            self.radius_nm,
            0.01,
            20.0,
        );
        e.positive("infrastructure_loiter.max_speed_kn", self.max_speed_kn);
        e.ship_types(
            "infrastructure_loiter.slow_exempt_ship_types",
            &self.slow_exempt_ship_types,
        );
        e.nav_statuses(
            "infrastructure_loiter.slow_exempt_nav_status",
            &self.slow_exempt_nav_status,
        );
        e.range(
            "infrastructure_loiter.speed_window",
            self.speed_window as f64,
            1.0,
            crate::detectors::SPEED_WINDOW_MAX as f64,
        );
        e.positive(
            "infrastructure_loiter.min_duration_s",
            f64::from(self.min_duration_s),
        );
        e.range(
            "infrastructure_loiter.crossings",
            self.crossings as f64,
            1.0,
            16.0,
        );
        e.positive(
            "infrastructure_loiter.crossing_window_s",
            f64::from(self.crossing_window_s),
        );
        e.ship_types(
            "infrastructure_loiter.crossing_ship_types",
            &self.crossing_ship_types,
        );
        e.nav_statuses(
            "infrastructure_loiter.crossing_nav_status",
            &self.crossing_nav_status,
        );
        e.range(
            "infrastructure_loiter.platform_service_m",
            self.platform_service_m,
            0.0,
            1852.0,
        );
    }
}
