//! Replays a [`Script`] in time: the true track step by step, and what the
//! transponder reports (false fixes, spoofing, speed noise, silence,
//! position unavailable, identity changes).

use super::{Script, SpeedNoise, Spoof, Step};
use crate::encode::Fix;
use crate::geo::{angle_diff, LatLon, KN_MS};
use crate::identity::Identity;
use rand::Rng;

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
    muted: bool,
    gnss_lost: bool,
    spoof: Option<(Spoof, f64)>,
    noise: Option<SpeedNoise>,
    next_spike_s: f64,
    elapsed_s: f64,
    identity: Option<Box<Identity>>,
    static_due: bool,
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
            muted: false,
            gnss_lost: false,
            spoof: None,
            noise: None,
            next_spike_s: 0.0,
            elapsed_s: 0.0,
            identity: None,
            static_due: false,
        };
        r.instant(s);
        r
    }

    /// True once every step has run.
    pub fn finished(&self, s: &Script) -> bool {
        self.step >= s.steps.len()
    }

    /// True while the vessel transmits nothing ([`Step::Dark`] runs, or
    /// muted by [`Step::Mute`]).
    pub fn dark(&self) -> bool {
        self.dark || self.muted
    }

    /// The identity it transmits now, if a [`Step::Identity`] changed it.
    pub fn identity(&self) -> Option<&Identity> {
        self.identity.as_deref()
    }

    /// True once after a [`Step::Identity`]: static data is due with the
    /// next report.
    pub fn take_static_due(&mut self) -> bool {
        std::mem::take(&mut self.static_due)
    }

    fn instant(&mut self, s: &Script) {
        while let Some(st) = s.steps.get(self.step) {
            match st {
                Step::Jump { to } => self.pos = *to,
                Step::FalseFix { at } => self.false_fix = Some(*at),
                Step::Spoof(sp) => self.spoof = sp.map(|sp| (sp, sp.start_deg)),
                Step::Noise(n) => {
                    self.noise = *n;
                    self.next_spike_s = self.elapsed_s + n.map_or(0.0, |n| n.spike_every_s.0);
                }
                Step::Mute(on) => self.muted = *on,
                Step::GnssLost(on) => self.gnss_lost = *on,
                Step::Identity(id) => {
                    self.identity = Some(id.clone());
                    self.static_due = true;
                }
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
            self.elapsed_s += h;
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
            _ => {}
        }
        self.pos = self.pos.step(self.course, self.speed * KN_MS * h);
        if let Some((sp, deg)) = &mut self.spoof {
            let w = (self.speed * KN_MS / sp.radius_m).to_degrees();
            *deg = (*deg + w * h).rem_euclid(360.0);
        }
    }

    /// Speed over ground now, knots.
    pub fn speed_kn(&self) -> f64 {
        self.speed
    }

    /// The report for now; consumes a pending false fix. `rng` draws the
    /// speed noise of a [`Step::Noise`] (and nothing otherwise). While the
    /// GNSS fix is lost ([`Step::GnssLost`]) the report has no position
    /// ([`Fix::unavailable`]) and nothing is consumed or drawn.
    pub fn fix(&mut self, status: u8, rng: &mut impl Rng) -> Fix {
        if self.gnss_lost {
            return Fix::unavailable(self.course, status);
        }
        let (mut at, mut cog) = (self.pos, self.course);
        if let Some((sp, deg)) = self.spoof {
            // Position, course and speed come from the (spoofed) GNSS
            // receiver; the heading from the gyro stays true.
            at = sp.centre.destination(deg, sp.radius_m);
            cog = (deg + 90.0).rem_euclid(360.0);
        }
        let at = self.false_fix.take().unwrap_or(at);
        let mut sog = self.speed;
        if let Some(n) = self.noise {
            if self.elapsed_s >= self.next_spike_s {
                sog = rng.gen_range(n.spike_kn.0..=n.spike_kn.1);
                self.next_spike_s =
                    self.elapsed_s + rng.gen_range(n.spike_every_s.0..=n.spike_every_s.1);
            } else {
                sog = rng.gen_range(n.lo_kn..=n.hi_kn);
            }
            cog = (cog + rng.gen_range(-n.cog_jitter_deg..=n.cog_jitter_deg)).rem_euclid(360.0);
        }
        Fix {
            lat: at.lat,
            lon: at.lon,
            sog_kn: sog,
            cog_deg: cog,
            heading_deg: self.course,
            status,
            rot_deg_min: self.rot,
        }
    }
}
