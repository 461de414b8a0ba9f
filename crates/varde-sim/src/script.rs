//! Scripted tracks: the exact kinematics of an incident vessel, step by
//! step, including silences, jumps and injected false fixes.

use crate::encode::Fix;
use crate::geo::{angle_diff, LatLon, KN_MS};
use crate::identity::Identity;

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
            Step::Jump { .. } | Step::FalseFix { .. } => 0.0,
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
    /// Station id for `s:` instead of the nearest coastal base station.
    pub station: Option<String>,
}

impl Script {
    /// Total duration of the steps, seconds.
    pub fn duration_s(&self) -> f64 {
        self.steps.iter().map(Step::secs).sum()
    }
}

/// Replays a [`Script`] in time.
#[derive(Debug, Clone)]
pub struct ScriptRunner {
    /// True position now.
    pub pos: LatLon,
    course: f64,
    speed: f64,
    rot: f64,
    step: usize,
    in_step_s: f64,
    false_fix: Option<LatLon>,
    dark: bool,
}

impl ScriptRunner {
    /// A runner at the script's start.
    pub fn new(s: &Script) -> Self {
        let mut r = Self {
            pos: s.start,
            course: s.course,
            speed: 0.0,
            rot: 0.0,
            step: 0,
            in_step_s: 0.0,
            false_fix: None,
            dark: false,
        };
        r.instant(s);
        r
    }

    /// True once every step has run.
    pub fn finished(&self, s: &Script) -> bool {
        self.step >= s.steps.len()
    }

    /// True while a [`Step::Dark`] runs.
    pub fn dark(&self) -> bool {
        self.dark
    }

    fn instant(&mut self, s: &Script) {
        while let Some(st) = s.steps.get(self.step) {
            match st {
                Step::Jump { to } => self.pos = *to,
                Step::FalseFix { at } => self.false_fix = Some(*at),
                _ => break,
            }
            self.step += 1;
        }
        self.dark = matches!(s.steps.get(self.step), Some(Step::Dark { .. }));
        // A step's speed holds from its first instant (a report may fall
        // exactly on the boundary, e.g. the first fix after a jump).
        match s.steps.get(self.step) {
            Some(Step::Steer { from_kn, .. }) => self.speed = *from_kn,
            Some(Step::Drift { kn, .. } | Step::Circle { kn, .. } | Step::Zigzag { kn, .. }) => {
                self.speed = *kn
            }
            _ => {}
        }
    }

    /// Advances by `dt` seconds (≤ 10 s per call for smooth motion).
    pub fn advance(&mut self, s: &Script, mut dt: f64) {
        while dt > 1e-9 && self.step < s.steps.len() {
            let st = &s.steps[self.step];
            let h = dt.min(st.secs() - self.in_step_s);
            self.apply(st, h);
            self.in_step_s += h;
            dt -= h;
            if self.in_step_s >= st.secs() - 1e-9 {
                self.step += 1;
                self.in_step_s = 0.0;
                self.instant(s);
            }
        }
    }

    fn apply(&mut self, st: &Step, h: f64) {
        // Mid-substep time, so a leg boundary at the end of a step does not
        // flip the course on its last substep.
        let t = self.in_step_s + h / 2.0;
        match *st {
            Step::Steer {
                secs,
                course,
                from_kn,
                to_kn,
            } => {
                let turn = angle_diff(self.course, course).clamp(-h, h);
                self.course = (self.course + turn).rem_euclid(360.0);
                self.rot = if h > 0.0 { turn / h * 60.0 } else { 0.0 };
                self.speed = from_kn + (to_kn - from_kn) * ((self.in_step_s + h) / secs).min(1.0);
            }
            Step::Drift {
                axis, kn, leg_s, ..
            } => {
                let back = leg_s > 0.0 && ((t / leg_s) as u64) % 2 == 1;
                self.course = if back {
                    (axis + 180.0).rem_euclid(360.0)
                } else {
                    axis
                };
                self.speed = kn;
                self.rot = 0.0;
            }
            Step::Circle { radius_m, kn, .. } => {
                let w = (kn * KN_MS / radius_m).to_degrees();
                self.course = (self.course + w * h).rem_euclid(360.0);
                self.speed = kn;
                self.rot = w * 60.0;
            }
            Step::Zigzag {
                axis,
                leg_m,
                kn,
                skew,
                ..
            } => {
                let leg_s = leg_m / (kn * KN_MS);
                let back = ((t / leg_s) as u64) % 2 == 1;
                self.course = if back {
                    axis + 180.0 - skew
                } else {
                    axis + skew
                }
                .rem_euclid(360.0);
                self.speed = kn;
                self.rot = 0.0;
            }
            Step::Dark { .. } | Step::Jump { .. } | Step::FalseFix { .. } => {}
        }
        self.pos = self.pos.step(self.course, self.speed * KN_MS * h);
    }

    /// Speed over ground now, knots.
    pub fn speed_kn(&self) -> f64 {
        self.speed
    }

    /// The report for now; consumes a pending false fix.
    pub fn fix(&mut self, status: u8) -> Fix {
        let at = self.false_fix.take().unwrap_or(self.pos);
        Fix {
            lat: at.lat,
            lon: at.lon,
            sog_kn: self.speed,
            cog_deg: self.course,
            heading_deg: self.course,
            status,
            rot_deg_min: self.rot,
        }
    }
}
