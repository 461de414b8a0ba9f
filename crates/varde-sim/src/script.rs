//! Scripted tracks: the exact kinematics of an incident vessel, step by
//! step, including silences, jumps and injected false fixes.

use crate::geo::LatLon;
use crate::identity::Identity;

mod runner;

pub use runner::ScriptRunner;

/// One step of a scripted track. Durations are seconds; speeds knots;
/// angles degrees true.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    /// Steer `course`, speed changing linearly from `from_kn` to `to_kn`.
    /// The course is reached with a rate of turn of 1°/s.
    Steer {
        /// Duration.
        secs: f64,
        /// Course to steer.
        course: f64,
        /// Speed at the start of the step.
        from_kn: f64,
        /// Speed at the end of the step.
        to_kn: f64,
    },
    /// Drift back and forth along `axis`: `kn` one way for `leg_s`, then the
    /// other way (`leg_s` 0 = one way only).
    Drift {
        /// Duration.
        secs: f64,
        /// Axis of the drift.
        axis: f64,
        /// Drift speed.
        kn: f64,
        /// Seconds per leg before reversing.
        leg_s: f64,
    },
    /// Circle with radius `radius_m` at `kn` (clockwise).
    Circle {
        /// Duration.
        secs: f64,
        /// Radius, metres.
        radius_m: f64,
        /// Speed.
        kn: f64,
    },
    /// Trawl legs of `leg_m` metres alternately on `axis` and its
    /// reciprocal (each leg offset by `skew` degrees so the vessel walks
    /// slowly along the line it keeps crossing).
    Zigzag {
        /// Duration.
        secs: f64,
        /// Leg direction.
        axis: f64,
        /// Leg length, metres.
        leg_m: f64,
        /// Speed.
        kn: f64,
        /// Offset of each leg from the axis, degrees.
        skew: f64,
    },
    /// Keep the current course and speed but transmit nothing.
    Dark {
        /// Duration.
        secs: f64,
    },
    /// Reappear at `to` (zero duration; used after [`Step::Dark`]).
    Jump {
        /// New position.
        to: LatLon,
    },
    /// The next report carries position `at` instead of the true one
    /// (spoofed or erroneous fix); the true track continues.
    FalseFix {
        /// The reported position.
        at: LatLon,
    },
    /// From now on every report carries a position on a circle round a
    /// fixed point instead of the true one (circle spoofing of the GNSS
    /// receiver); `None` ends it. Instantaneous; the true track continues.
    Spoof(Option<Spoof>),
    /// From now on the reported speed (and course) is noisy as set;
    /// `None` ends it. Instantaneous; the true track is unchanged.
    Noise(Option<SpeedNoise>),
    /// Stop (`true`) or resume (`false`) transmitting while the following
    /// steps move the vessel on. Instantaneous.
    Mute(bool),
    /// From now on (`true`) every position report says position
    /// unavailable (latitude 91°, longitude 181°, speed and course
    /// unavailable; the gyro heading is still true), as a transponder whose
    /// GNSS receiver lost its fix (jamming, or a receiver fault) keeps
    /// transmitting; `false` ends it. Instantaneous; the true track
    /// continues.
    GnssLost(bool),
    /// From now on transmit this identity (ship type, name, call sign,
    /// even MMSI and flag); static data goes out with the next report, as
    /// a reprogrammed transponder sends it. Instantaneous.
    Identity(Box<Identity>),
}

/// Circle spoofing: reported positions run round `centre` at distance
/// `radius_m`, clockwise, at the vessel's own speed over ground.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Spoof {
    /// Centre of the circle (e.g. an airport).
    pub centre: LatLon,
    /// Radius, metres.
    pub radius_m: f64,
    /// Bearing from the centre of the first spoofed fix, degrees.
    pub start_deg: f64,
}

/// Noise on the reported speed of a slow vessel: most fixes uniform in
/// `lo_kn..hi_kn`, and every `spike_every_s` (a range) one fix uniform in
/// `spike_kn`; the reported course wanders by up to `cog_jitter_deg`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SpeedNoise {
    /// Lowest ordinary reported speed, knots.
    pub lo_kn: f64,
    /// Highest ordinary reported speed, knots.
    pub hi_kn: f64,
    /// Range of the occasional high reading, knots.
    pub spike_kn: (f64, f64),
    /// Range of the interval between high readings, seconds.
    pub spike_every_s: (f64, f64),
    /// Largest course error either way, degrees.
    pub cog_jitter_deg: f64,
}

impl Step {
    /// Duration in seconds (0 for instantaneous steps).
    pub fn secs(&self) -> f64 {
        match self {
            Step::Steer { secs, .. }
            | Step::Drift { secs, .. }
            | Step::Circle { secs, .. }
            | Step::Zigzag { secs, .. }
            | Step::Dark { secs } => *secs,
            Step::Jump { .. }
            | Step::FalseFix { .. }
            | Step::Spoof(_)
            | Step::Noise(_)
            | Step::Mute(_)
            | Step::GnssLost(_)
            | Step::Identity(_) => 0.0,
        }
    }
}

/// A scripted vessel: identity, where and when it starts, and its steps.
#[derive(Debug, Clone, PartialEq)]
pub struct Script {
    /// The identity it transmits.
    pub identity: Identity,
    /// AIS destination.
    pub destination: String,
    /// Offset of the first report from the simulation start, seconds.
    pub start_s: f64,
    /// Starting position.
    pub start: LatLon,
    /// Initial course.
    pub course: f64,
    /// Navigational status it reports throughout.
    pub status: u8,
    /// The steps, in order; the vessel falls silent after the last one.
    pub steps: Vec<Step>,
    /// Fixed reporting interval (e.g. 5400 s for satellite-only reception)
    /// instead of the ITU-R M.1371 rates.
    pub report_every_s: Option<f64>,
    /// Station id for `s:` instead of the nearest coastal base station;
    /// an empty id writes no `s:` at all (a feed without station tags).
    pub station: Option<String>,
}

impl Script {
    /// Total duration of the steps, seconds.
    pub fn duration_s(&self) -> f64 {
        self.steps.iter().map(Step::secs).sum()
    }

    /// Every MMSI the script transmits (its own and any it changes to).
    pub fn mmsis(&self) -> impl Iterator<Item = u32> + '_ {
        std::iter::once(self.identity.mmsi).chain(self.steps.iter().filter_map(|s| match s {
            Step::Identity(id) => Some(id.mmsi),
            _ => None,
        }))
    }
}
