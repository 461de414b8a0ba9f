//! One configuration struct per detector. Defaults are `DETECTION.md`'s v1 thresholds.

use super::check::Errors;
use serde::{Deserialize, Serialize};

/// Zone kinds the geography may return (see [`crate::geo::ZoneRef::kind`]).
pub const ZONE_KINDS: &[&str] = &[
    "territorial_sea",
    "internal_waters",
    "contiguous_zone",
    "eez",
    "svalbard_fpz",
    "jan_mayen_zone",
    "platform_safety_zone",
    "user",
];

fn zone_kinds(e: &mut Errors, field: &'static str, kinds: &[String]) {
    e.non_empty(field, kinds.len());
    for k in kinds.iter().filter(|k| !ZONE_KINDS.contains(&k.as_str())) {
        e.unknown(field, k);
    }
}

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| (*s).to_owned()).collect()
}

/// Which vessels are "of interest" for `zone_entry`: any rule matching makes a vessel of interest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct InterestConfig {
    /// Flags of interest by MID (e.g. `[273]` for every Russian-flagged vessel). Default none.
    pub mids: Vec<u16>,
    /// AIS ship types of interest. Default 35 (military) and 55 (law enforcement): state vessels.
    pub ship_types: Vec<u8>,
    /// Name patterns, case-insensitive, `*` matches any run of characters. Default `AKADEMIK *` and
    /// `PROFESSOR *`: the naming of Russian state research vessels (Akademik B. Petrov 2022), which
    /// AIS has no ship type for.
    pub name_patterns: Vec<String>,
    /// Apply `ship_types` and `name_patterns` to foreign (non-home MID) vessels only. Default true.
    pub foreign_only: bool,
    /// Watch-listed vessels are of interest. Default true.
    pub watchlisted: bool,
    /// Ship types whose `zone_entry` and `loitering` alerts are high severity (state vessels). Default
    /// 35 (military) and 55 (law enforcement).
    pub high_severity_ship_types: Vec<u8>,
}

impl Default for InterestConfig {
    fn default() -> Self {
        Self {
            mids: Vec::new(),
            ship_types: vec![35, 55],
            name_patterns: strings(&["AKADEMIK *", "PROFESSOR *"]),
            foreign_only: true,
            watchlisted: true,
            high_severity_ship_types: vec![35, 55],
        }
    }
}

impl InterestConfig {
    pub(crate) fn check(&self, e: &mut Errors) {
        self.mids.iter().for_each(|&m| e.mid("interest.mids", m));
        e.ship_types("interest.ship_types", &self.ship_types);
        e.ship_types(
            "interest.high_severity_ship_types",
            &self.high_severity_ship_types,
        );
    }
}

/// `zone_entry`: a vessel of interest enters a watched zone. Fires on the first position inside (or, when
/// the vessel becomes "of interest" later, back-filled to the time it entered).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ZoneEntryConfig {
    /// Run this detector.
    pub enabled: bool,
    /// Zone kinds watched. Default territorial sea, internal waters, platform safety zones, user zones.
    pub zone_kinds: Vec<String>,
    /// A vessel back inside a zone within this long of leaving it continues the same alert, seconds.
    /// Default 1800.
    pub reentry_grace_s: u32,
}

impl Default for ZoneEntryConfig {
    fn default() -> Self {
        let kinds = strings(&[
            "territorial_sea",
            "internal_waters",
            "platform_safety_zone",
            "user",
        ]);
        Self {
            enabled: true,
            zone_kinds: kinds,
            reentry_grace_s: 1800,
        }
    }
}

impl ZoneEntryConfig {
    pub(crate) fn check(&self, e: &mut Errors) {
        zone_kinds(e, "zone_entry.zone_kinds", &self.zone_kinds);
    }
}

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
    /// Ship types exempt: fishing 30, pilot 50, SAR 51, tug 52, port tender 53.
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
            exempt_ship_types: vec![30, 50, 51, 52, 53],
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

macro_rules! default_from_new {
    ($($t:ty),*) => { $(impl Default for $t { fn default() -> Self { Self::new() } })* };
}
default_from_new!(AisGapConfig);
