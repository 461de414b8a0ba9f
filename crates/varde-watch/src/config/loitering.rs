//! Configuration of the `loitering` detector.

use super::check::Errors;
use super::zones::{strings, zone_kinds, ZONE_KINDS};
use serde::{Deserialize, Serialize};

/// `loitering`: slow or confined where passage must be continuous and expeditious (UNCLOS 18(2)).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LoiteringConfig {
    /// Run this detector.
    pub enabled: bool,
    /// Zone kinds where the rule applies. Default territorial sea (passage must be continuous) and
    /// internal waters (no right of passage at all).
    pub zone_kinds: Vec<String>,
    /// Zone kinds where only vessels of interest (`[watch.interest]`: foreign state and research
    /// vessels, watch-listed) count: merchant ships wait for berths in internal waters by the hundred.
    /// Default internal waters.
    pub interest_only_zone_kinds: Vec<String>,
    /// "Slow" below this speed over ground, knots, judged over a window (`speed_window`), so that a fix
    /// or two above it does not end a slow run. Default 2.
    pub max_speed_kn: f64,
    /// Speed samples (one a minute at most) whose median decides whether a slow run has ended: a run
    /// ends only when the median of up to this many samples since it began reaches `max_speed_kn`.
    /// Default 8 (about 8 minutes).
    pub speed_window: usize,
    /// Slow for at least this long, seconds. Default 1800 (30 min).
    pub min_duration_s: u32,
    /// Confinement radius, nautical miles: staying within it counts as loitering even when moving
    /// (circling). Default 2.
    pub confine_radius_nm: f64,
    /// Confined for at least this long, seconds. Default 3600 (net speed below 2 kn).
    pub confine_min_duration_s: u32,
    /// Only foreign (non-home MID) vessels. Default true.
    pub foreign_only: bool,
    /// Ship types exempt: fishing 30, sailing 36, pleasure craft 37 (foreign yachts cruise and anchor
    /// along the coast all summer), pilot 50, SAR 51, tug 52, port tender 53. A vessel of interest is
    /// not excused by its type.
    pub exempt_ship_types: Vec<u8>,
    /// Navigational statuses exempt: not under command 2, aground 6, engaged in fishing 7, AIS-SART 14.
    pub exempt_nav_status: Vec<u8>,
    /// Statuses that excuse a vessel of interest, whose own labels do not: aground 6, AIS-SART 14
    /// (a state or research vessel reporting "fishing" or "not under command" beside a cable still
    /// loiters). Neither do `exempt_ship_types` excuse it.
    pub interest_exempt_nav_status: Vec<u8>,
}

impl Default for LoiteringConfig {
    fn default() -> Self {
        Self {
            enabled: true,
            zone_kinds: strings(&["territorial_sea", "internal_waters"]),
            interest_only_zone_kinds: strings(&["internal_waters"]),
            max_speed_kn: 2.0,
            speed_window: 8,
            min_duration_s: 1800,
            confine_radius_nm: 2.0,
            confine_min_duration_s: 3600,
            foreign_only: true,
            exempt_ship_types: vec![30, 36, 37, 50, 51, 52, 53],
            exempt_nav_status: vec![2, 6, 7, 14],
            interest_exempt_nav_status: vec![6, 14],
        }
    }
}

impl LoiteringConfig {
    pub(crate) fn check(&self, e: &mut Errors) {
        zone_kinds(e, "loitering.zone_kinds", &self.zone_kinds);
        for k in self
            .interest_only_zone_kinds
            .iter()
            .filter(|k| !ZONE_KINDS.contains(&k.as_str()))
        {
            e.unknown("loitering.interest_only_zone_kinds", k);
        }
        e.positive("loitering.max_speed_kn", self.max_speed_kn);
        e.range(
            "loitering.speed_window",
            self.speed_window as f64,
            1.0,
            crate::detectors::SPEED_WINDOW_MAX as f64,
        );
        e.positive("loitering.min_duration_s", f64::from(self.min_duration_s));
        e.positive("loitering.confine_radius_nm", self.confine_radius_nm);
        e.positive(
            "loitering.confine_min_duration_s",
            f64::from(self.confine_min_duration_s),
        );
        e.ship_types("loitering.exempt_ship_types", &self.exempt_ship_types);
        e.nav_statuses("loitering.exempt_nav_status", &self.exempt_nav_status);
        e.nav_statuses(
            "loitering.interest_exempt_nav_status",
            &self.interest_exempt_nav_status,
        );
    }
}
