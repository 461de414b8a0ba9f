//! Scripted incidents: a [`Scenario`] read from TOML or built in, the
//! vessel scripts it expands to, and the outcome each one must produce.
//!
//! # Layout
//! - this module: the serde types, built-in names, expectations.
//! - `assets`: the cables and pipelines the incidents use, and their
//!   GeoJSON layer ([`Scenario::infrastructure_geojson`]).
//! - `incidents`: the facts of each kind and shared builder helpers.
//! - `infrastructure`: Eagle S, Newnew Polar Bear, Yi Peng 3, the Svalbard
//!   trawler and the Nord Stream gap.
//! - `territorial`: research vessel and circling state vessel in the
//!   territorial sea.
//! - `deception`: spoofed and on-land fixes, shared MMSI, ship-to-ship
//!   rendezvous, watch-listed vessel.
//! - `variants`: the facts of the harder variants (issue 8), built by
//!   `evasion` (long anchor drag, noisy and relabelled loitering, internal
//!   waters), `coverage` (station outage, satellite waters),
//!   `interference` (circle spoofing, placeholder MMSIs and gear buoys),
//!   `laundering` (dark STS partner, alternating transmitters, flag hop)
//!   and `jamming` (GNSS jamming off Finnmark).

mod assets;
mod coverage;
mod deception;
mod evasion;
mod incidents;
mod infrastructure;
mod interference;
mod jamming;
mod laundering;
mod territorial;
mod variants;

pub use assets::{Asset, AssetKind, ASSETS};

use crate::geo::LatLon;
use crate::script::Script;
use crate::SimError;
use serde::{Deserialize, Serialize};

/// The incident kinds the simulator can script (snake_case in TOML).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IncidentKind {
    /// Eagle S, 25 Dec 2024: tanker 8.5 → 6.3 kn over a cable, near-stop, gap, 7.5 kn on.
    EagleS,
    /// Newnew Polar Bear, 8 Oct 2023: 11 → 9.5 kn for 5 min over a pipeline.
    NewnewPolarBear,
    /// Yi Peng 3, Nov 2024: back-and-forth drift at 1–3 kn near a cable, with gaps.
    #[serde(rename = "yi_peng_3", alias = "yi_peng3")]
    YiPeng3,
    /// Svalbard cable, Jan 2022: a trawler crossing the cable again and again.
    SvalbardCableTrawler,
    /// Nord Stream, Sep 2022: silence under good coverage near a pipeline, reappears far away.
    NordStreamGap,
    /// Foreign research vessel enters the territorial sea at 9 kn and drifts < 2 kn for 45 min.
    ResearchVesselTerritorial,
    /// Nikolay Chiker, Jul 2024: state vessel circling 5.5 h inside the territorial sea.
    CirclingStateVessel,
    /// GNSS spoofing: one fix 0.5° of latitude off.
    SpoofedFix,
    /// GNSS spoofing: one fix in Jotunheimen.
    FixOnLand,
    /// One MMSI in two places 300 nm apart, 10 min apart.
    SharedMmsi,
    /// Two tankers < 150 m apart, < 1 kn, 3 h, far from any anchorage.
    StsRendezvous,
    /// A vessel to put on a watch list.
    Watchlisted,
    /// Eagle S / Yi Peng 3 as they were: the anchor goes down 2 h 45 min
    /// (33 km) before a power cable, 11 → 6.5 kn held all the way to it.
    LongAnchorDrag,
    /// A receiving station carrying seven vessels near a pipeline goes
    /// quiet for 75 min: an outage, not seven dark vessels.
    StationOutage,
    /// North of 75° N, heard only on satellite passes about every 90 min:
    /// a 7 h silence.
    SatelliteWatersGap,
    /// Five vessels' fixes pulled onto a 1 nm circle round Kirkenes
    /// airport within 9 min, for 25 min each.
    GnssSpoofingCircle,
    /// A research vessel drifting in the territorial sea whose reported
    /// speed now and then reads above 2 kn.
    NoisyLoiter,
    /// A foreign state vessel drifting in internal waters (Korsfjorden).
    InternalWatersStateVessel,
    /// A naval vessel that declares itself a fishing vessel at sea, then
    /// loiters in the territorial sea.
    RelabelledVessel,
    /// Ship-to-ship meeting with one tanker dark for 2.5 h of it.
    DarkStsPartner,
    /// One MMSI from two transmitters 86 nm apart, taking turns every 10 min.
    AlternatingTransmitters,
    /// MMSI, name, call sign and flag changed at sea, IMO number kept.
    FlagHop,
    /// Placeholder MMSIs (111111111, ...) and fishing-gear buoys.
    PlaceholderMmsi,
    /// GNSS jamming off Vardø: five vessels' reports turn to position
    /// unavailable within 5 min, for 40 min each.
    GnssJamming,
}

impl IncidentKind {
    /// Every kind: the incidents of DETECTION.md in its order, then the
    /// harder variants of issue 8.
    pub const ALL: [IncidentKind; 24] = [
        Self::EagleS,
        Self::NewnewPolarBear,
        Self::YiPeng3,
        Self::SvalbardCableTrawler,
        Self::NordStreamGap,
        Self::ResearchVesselTerritorial,
        Self::CirclingStateVessel,
        Self::SpoofedFix,
        Self::FixOnLand,
        Self::SharedMmsi,
        Self::StsRendezvous,
        Self::Watchlisted,
        Self::LongAnchorDrag,
        Self::StationOutage,
        Self::SatelliteWatersGap,
        Self::GnssSpoofingCircle,
        Self::NoisyLoiter,
        Self::InternalWatersStateVessel,
        Self::RelabelledVessel,
        Self::DarkStsPartner,
        Self::AlternatingTransmitters,
        Self::FlagHop,
        Self::PlaceholderMmsi,
        Self::GnssJamming,
    ];

    /// The snake_case name (as in TOML and [`Scenario::builtin`]).
    pub fn name(self) -> &'static str {
        incidents::spec(self).name
    }

    /// What happens, in one line (the first line of the variant's documentation), for
    /// `varde sim --help`.
    pub fn summary(self) -> &'static str {
        match self {
            Self::EagleS => "Eagle S, 25 Dec 2024: tanker 8.5 → 6.3 kn over a cable, near-stop, gap, 7.5 kn on.",
            Self::NewnewPolarBear => "Newnew Polar Bear, 8 Oct 2023: 11 → 9.5 kn for 5 min over a pipeline.",
            Self::YiPeng3 => "Yi Peng 3, Nov 2024: back-and-forth drift at 1–3 kn near a cable, with gaps.",
            Self::SvalbardCableTrawler => "Svalbard cable, Jan 2022: a trawler crossing the cable again and again.",
            Self::NordStreamGap => "Nord Stream, Sep 2022: silence under good coverage near a pipeline, reappears far away.",
            Self::ResearchVesselTerritorial => "Foreign research vessel enters the territorial sea at 9 kn and drifts < 2 kn for 45 min.",
            Self::CirclingStateVessel => "Nikolay Chiker, Jul 2024: state vessel circling 5.5 h inside the territorial sea.",
            Self::SpoofedFix => "GNSS spoofing: one fix 0.5° of latitude off.",
            Self::FixOnLand => "GNSS spoofing: one fix in Jotunheimen.",
            Self::SharedMmsi => "One MMSI in two places 300 nm apart, 10 min apart.",
            Self::StsRendezvous => "Two tankers < 150 m apart, < 1 kn, 3 h, far from any anchorage.",
            Self::Watchlisted => "A vessel to put on a watch list.",
            Self::LongAnchorDrag => "Eagle S / Yi Peng 3 as they were: the anchor goes down 2 h 45 min (33 km) before a power cable, 11 → 6.5 kn held all the way to it.",
            Self::StationOutage => "A receiving station carrying seven vessels near a pipeline goes quiet for 75 min: an outage, not seven dark vessels.",
            Self::SatelliteWatersGap => "North of 75° N, heard only on satellite passes about every 90 min: a 7 h silence.",
            Self::GnssSpoofingCircle => "Five vessels' fixes pulled onto a 1 nm circle round Kirkenes airport within 9 min, for 25 min each.",
            Self::NoisyLoiter => "A research vessel drifting in the territorial sea whose reported speed now and then reads above 2 kn.",
            Self::InternalWatersStateVessel => "A foreign state vessel drifting in internal waters (Korsfjorden).",
            Self::RelabelledVessel => "A naval vessel that declares itself a fishing vessel at sea, then loiters in the territorial sea.",
            Self::DarkStsPartner => "Ship-to-ship meeting with one tanker dark for 2.5 h of it.",
            Self::AlternatingTransmitters => "One MMSI from two transmitters 86 nm apart, taking turns every 10 min.",
            Self::FlagHop => "MMSI, name, call sign and flag changed at sea, IMO number kept.",
            Self::PlaceholderMmsi => "Placeholder MMSIs (111111111, ...) and fishing-gear buoys.",
            Self::GnssJamming => "GNSS jamming off Vardø: five vessels' reports turn to position unavailable within 5 min, for 40 min each.",
        }
    }
}

/// One incident in a scenario. Everything but `kind` has a default.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Incident {
    /// What happens.
    pub kind: IncidentKind,
    /// Produce the look-alike that must stay silent instead of the incident.
    #[serde(default)]
    pub control: bool,
    /// Minutes after the simulation start when the first vessel appears.
    #[serde(default = "default_start_min")]
    pub start_min: f64,
    /// Reference point (the asset crossing, drift or meeting point);
    /// default: the built-in point of the kind, documented in its builder.
    #[serde(default)]
    pub at: Option<LatLon>,
    /// MMSI of the (first) vessel; default: the built-in one.
    #[serde(default)]
    pub mmsi: Option<u32>,
    /// Ship name; default: the built-in one.
    #[serde(default)]
    pub name: Option<String>,
    /// IMO number; default: the built-in one.
    #[serde(default)]
    pub imo: Option<u32>,
}

const fn default_start_min() -> f64 {
    30.0
}

impl Incident {
    /// The incident of `kind` with every default.
    pub fn new(kind: IncidentKind, control: bool) -> Self {
        Self {
            kind,
            control,
            start_min: default_start_min(),
            at: None,
            mmsi: None,
            name: None,
            imo: None,
        }
    }
}

/// A set of scripted incidents added to the background traffic.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Free name.
    #[serde(default)]
    pub name: String,
    /// The incidents (`[[incident]]` tables in TOML).
    #[serde(default, rename = "incident")]
    pub incidents: Vec<Incident>,
}

/// What the engine must (and must not) report for one scripted vessel, so
/// end-to-end tests can assert against it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Expectation {
    /// Incident name.
    pub incident: &'static str,
    /// True for the negative control.
    pub control: bool,
    /// The vessel(s) concerned.
    pub mmsi: Vec<u32>,
    /// Alert kinds that must fire for these MMSIs within the window.
    pub expected_kinds: &'static [&'static str],
    /// Alert kinds that must not fire for these MMSIs.
    pub silent_kinds: &'static [&'static str],
    /// Window in which the expected alerts start, unix seconds (inclusive).
    pub window: (i64, i64),
    /// Asset involved (name in [`Scenario::infrastructure_geojson`]).
    pub asset: Option<&'static str>,
    /// Zone involved (`territorial_sea`, `eez`, `svalbard_fpz`).
    pub zone: Option<&'static str>,
    /// Reference point.
    pub at: LatLon,
    /// A vessel that must be put on the watch list for the test.
    pub watchlist: bool,
    /// Caveats for the asserting test.
    pub note: &'static str,
}

/// Names accepted by [`Scenario::builtin`].
pub fn builtin_names() -> Vec<&'static str> {
    IncidentKind::ALL.iter().map(|k| k.name()).collect()
}

impl Scenario {
    /// Parses a scenario from TOML (`name = "..."` and `[[incident]]`
    /// tables with the fields of [`Incident`]).
    pub fn from_toml(text: &str) -> Result<Self, SimError> {
        Ok(toml::from_str(text)?)
    }

    /// The built-in incident `name` together with its negative control.
    pub fn builtin(name: &str) -> Result<Self, SimError> {
        let kind = IncidentKind::ALL
            .into_iter()
            .find(|k| k.name() == name)
            .ok_or_else(|| SimError::UnknownIncident(name.to_string()))?;
        Ok(Self {
            name: name.to_string(),
            incidents: vec![
                Incident::new(kind, false),
                Incident {
                    start_min: 60.0,
                    ..Incident::new(kind, true)
                },
            ],
        })
    }

    /// Every built-in incident and its control in one scenario (they use
    /// distinct MMSIs and places, so they can share one stream).
    pub fn all_builtin() -> Self {
        let incidents = IncidentKind::ALL
            .into_iter()
            .flat_map(|k| {
                [
                    Incident::new(k, false),
                    Incident {
                        start_min: 60.0,
                        ..Incident::new(k, true)
                    },
                ]
            })
            .collect();
        Self {
            name: "all_builtin".into(),
            incidents,
        }
    }

    /// The vessel scripts, timed from the simulation start. Errors on an
    /// invalid MMSI or IMO override.
    pub fn scripts(&self, _start_unix_s: i64) -> Result<Vec<Script>, SimError> {
        let mut out = Vec::new();
        for inc in &self.incidents {
            out.extend(incidents::build(inc)?.0);
        }
        Ok(out)
    }

    /// When each incident's last vessel stops transmitting, hours from the simulation start:
    /// `(name, hours)`, the name with ` (control)` for a negative control. Errors as
    /// [`Scenario::scripts`].
    pub fn incident_ends(&self) -> Result<Vec<(String, f64)>, SimError> {
        let mut out = Vec::new();
        for inc in &self.incidents {
            let end_s = incidents::build(inc)?
                .0
                .iter()
                .map(|s| s.start_s + s.duration_s())
                .fold(0.0, f64::max);
            let name = inc.kind.name();
            let name = if inc.control {
                format!("{name} (control)")
            } else {
                name.to_owned()
            };
            out.push((name, end_s / 3600.0));
        }
        Ok(out)
    }

    /// The expected outcome of every incident, in unix seconds from
    /// `start_unix_s` (the [`crate::SimConfig::start_unix_s`] used).
    pub fn expectations(&self, start_unix_s: i64) -> Result<Vec<Expectation>, SimError> {
        let mut out = Vec::new();
        for inc in &self.incidents {
            let mut e = incidents::build(inc)?.1;
            e.window = (start_unix_s + e.window.0, start_unix_s + e.window.1);
            out.push(e);
        }
        Ok(out)
    }

    /// The infrastructure layer the incidents use, as GeoJSON; a replay
    /// loads it with `--layer`.
    pub fn infrastructure_geojson() -> String {
        assets::geojson()
    }
}
