//! Configuration of the pairwise, infrastructure and watch-list detectors.

use super::check::Errors;
use serde::{Deserialize, Serialize};

/// `rendezvous`: two vessels side by side at sea (ship-to-ship transfer).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RendezvousConfig {
    /// Run this detector.
    pub enabled: bool,
    /// Largest separation, metres. Default 250.
    pub max_distance_m: f64,
    /// Both slower than this, knots. Default 2.
    pub max_speed_kn: f64,
    /// Together at least this long, seconds. Default 1800.
    pub min_duration_s: u32,
    /// Ignore meetings closer than this to a port or anchorage, metres. Default 10 000.
    pub min_port_distance_m: f64,
    /// A pair not seen together for this long has parted, seconds. Default 600.
    pub max_silence_s: u32,
    /// A pair that parted because one (or both) fell silent resumes, counting the silence as time
    /// together, if the silent one reappears beside the other within this long, seconds. Default 43 200
    /// (12 h): shadow-fleet transfers with one party dark (OFAC DSP).
    pub dark_resume_s: u32,
    /// ...and both lie within this distance of where they were last seen together, metres (they drift
    /// together with the current). Default 3000.
    pub dark_drift_m: f64,
}

impl RendezvousConfig {
    /// The defaults.
    pub const fn new() -> Self {
        Self {
            enabled: true,
            max_distance_m: 250.0,
            max_speed_kn: 2.0,
            min_duration_s: 1800,
            min_port_distance_m: 10_000.0,
            max_silence_s: 600,
            dark_resume_s: 43_200,
            dark_drift_m: 3000.0,
        }
    }

    pub(crate) fn check(&self, e: &mut Errors) {
        e.range(
            "rendezvous.max_distance_m",
            self.max_distance_m,
            1.0,
            1000.0,
        );
        e.positive("rendezvous.max_speed_kn", self.max_speed_kn);
        e.positive("rendezvous.min_duration_s", f64::from(self.min_duration_s));
        e.range(
            "rendezvous.min_port_distance_m",
            self.min_port_distance_m,
            0.0,
            100_000.0,
        );
        e.positive("rendezvous.max_silence_s", f64::from(self.max_silence_s));
        e.positive("rendezvous.dark_resume_s", f64::from(self.dark_resume_s));
        e.range("rendezvous.dark_drift_m", self.dark_drift_m, 0.0, 20_000.0);
    }
}

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

/// `watchlist`: a listed vessel is seen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WatchlistConfig {
    /// Run this detector.
    pub enabled: bool,
    /// A sighting this long after the previous one starts a new alert, seconds. Default 21 600 (6 h).
    pub episode_gap_s: u32,
}

impl WatchlistConfig {
    /// The defaults.
    pub const fn new() -> Self {
        Self {
            enabled: true,
            episode_gap_s: 21_600,
        }
    }

    pub(crate) fn check(&self, e: &mut Errors) {
        e.positive(
            "watchlist_alerts.episode_gap_s",
            f64::from(self.episode_gap_s),
        );
    }
}

macro_rules! default_from_new {
    ($($t:ty),*) => { $(impl Default for $t { fn default() -> Self { Self::new() } })* };
}
default_from_new!(RendezvousConfig, WatchlistConfig);
