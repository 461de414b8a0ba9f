//! Configuration of the `infrastructure_speed_anomaly` detector.

use super::check::Errors;
use serde::{Deserialize, Serialize};

/// `infrastructure_speed_anomaly`: the anchor-drag signature — an unexplained speed drop over an asset,
/// course steady, status still "under way".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct InfrastructureSpeedAnomalyConfig {
    /// Run this detector.
    pub enabled: bool,
    /// Buffer around each asset, nautical miles. Default 1.
    pub radius_nm: f64,
    /// Drop below the vessel's recent median that counts, as a fraction. Default 0.15.
    pub min_drop_fraction: f64,
    /// Or a drop of at least this many knots (Newnew Polar Bear: 11 → 9.5 kn is 13.6 %). Default 1.5.
    pub min_drop_kn: f64,
    /// Dip sustained at least this long within the buffer, seconds. Default 180.
    pub min_duration_s: u32,
    /// Course change from before the dip above this explains the dip (a turn), degrees. Default 10.
    pub max_course_change_deg: f64,
    /// Ignore vessels whose median is below this, knots. Default 4.
    pub min_median_kn: f64,
    /// Median needs at least this many samples (5 min apart). Default 6.
    pub min_median_samples: usize,
    /// Navigational statuses meaning "under way": 0, 8 (sailing), 15 (undefined).
    pub under_way_status: Vec<u8>,
    /// A drop that lasts keeps the speed from before it as the reference for this long, seconds, so a
    /// drag that started long before the asset (Eagle S ~100 km, Yi Peng 3 160–180 km) is still measured
    /// against the speed before the anchor went down, not against a median that adopted the drag.
    /// Default 86 400 (24 h).
    pub hold_reference_s: u32,
    /// Only a drop of at least this fraction is held as a reference (Eagle S: 8.5 → 6.3 kn is 26 %); a
    /// smaller sustained change of pace (weather, economy) becomes the vessel's usual speed. Default 0.2.
    pub hold_min_drop_fraction: f64,
    /// Slowing within this distance of a platform is arriving at it, metres: supply and standby vessels
    /// wait just outside its 500 m safety zone for leave to enter. Default 1000.
    pub platform_approach_m: f64,
    /// A drop sustained this long (or a near-stop under 1 kn) over an asset is high severity, seconds.
    /// Default 1800.
    pub sustained_s: u32,
    /// Ship types whose speed regime changes by trade (fishing 30, towing 31–32, dredging 33, pilot 50,
    /// SAR 51, tug 52, port tender 53): judged against the recent median only, no held reference.
    pub hold_exempt_ship_types: Vec<u8>,
    /// Within this distance of a port or anchorage a slow-down is the approach to it, metres. Default
    /// 5556 (3 nm).
    pub port_approach_m: f64,
    /// Below this speed over an asset the vessel has nearly stopped: high severity, knots. Default 1.
    pub near_stop_kn: f64,
    /// A course change explains a dip only while the vessel still makes this much way (a drifting
    /// vessel's course over ground is noise), knots. Default 2.
    pub turn_min_speed_kn: f64,
}

impl Default for InfrastructureSpeedAnomalyConfig {
    fn default() -> Self {
        Self {
            enabled: true,
            radius_nm: 1.0,
            min_drop_fraction: 0.15,
            min_drop_kn: 1.5,
            min_duration_s: 180,
            max_course_change_deg: 10.0,
            min_median_kn: 4.0,
            min_median_samples: 6,
            under_way_status: vec![0, 8, 15],
            hold_reference_s: 86_400,
            hold_min_drop_fraction: 0.2,
            platform_approach_m: 1000.0,
            sustained_s: 1800,
            hold_exempt_ship_types: vec![30, 31, 32, 33, 50, 51, 52, 53],
            port_approach_m: 5556.0,
            near_stop_kn: 1.0,
            turn_min_speed_kn: 2.0,
        }
    }
}

impl InfrastructureSpeedAnomalyConfig {
    pub(crate) fn check(&self, e: &mut Errors) {
        e.range(
            "infrastructure_speed_anomaly.radius_nm",
            self.radius_nm,
            0.01,
            20.0,
        );
        e.range(
            "infrastructure_speed_anomaly.min_drop_fraction",
            self.min_drop_fraction,
            0.01,
            0.99,
        );
        e.positive("infrastructure_speed_anomaly.min_drop_kn", self.min_drop_kn);
        e.positive(
            "infrastructure_speed_anomaly.min_duration_s",
            f64::from(self.min_duration_s),
        );
        e.range(
            "infrastructure_speed_anomaly.max_course_change_deg",
            self.max_course_change_deg,
            0.0,
            180.0,
        );
        e.positive(
            "infrastructure_speed_anomaly.min_median_kn",
            self.min_median_kn,
        );
        e.range(
            "infrastructure_speed_anomaly.min_median_samples",
            self.min_median_samples as f64,
            1.0,
            24.0,
        );
        e.nav_statuses(
            "infrastructure_speed_anomaly.under_way_status",
            &self.under_way_status,
        );
        e.range(
            "infrastructure_speed_anomaly.hold_min_drop_fraction",
            self.hold_min_drop_fraction,
            0.01,
            0.99,
        );
        e.range(
            "infrastructure_speed_anomaly.platform_approach_m",
            self.platform_approach_m,
            0.0,
            50_000.0,
        );
        e.positive(
            "infrastructure_speed_anomaly.hold_reference_s",
            f64::from(self.hold_reference_s),
        );
        e.positive(
            "infrastructure_speed_anomaly.sustained_s",
            f64::from(self.sustained_s),
        );
        e.ship_types(
            "infrastructure_speed_anomaly.hold_exempt_ship_types",
            &self.hold_exempt_ship_types,
        );
        e.positive(
            "infrastructure_speed_anomaly.near_stop_kn",
            self.near_stop_kn,
        );
        e.positive(
            "infrastructure_speed_anomaly.turn_min_speed_kn",
            self.turn_min_speed_kn,
        );
        e.range(
            "infrastructure_speed_anomaly.port_approach_m",
            self.port_approach_m,
            0.0,
            50_000.0,
        );
    }
}
