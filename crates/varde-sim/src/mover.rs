//! Kinematics of background traffic: follows a [`Plan`] with a limited
//! rate of turn, gentle acceleration, slowing into port, zig-zag fishing
//! with hauling stops, and small sensor noise on what is reported.

use crate::encode::Fix;
use crate::geo::{angle_diff, LatLon, KN_MS};
use crate::plan::{Leg, Pattern, Plan};
use rand::Rng;

/// Maximum rate of turn, degrees per second (60°/min, a coastal ship).
const MAX_TURN_DEG_S: f64 = 1.0;
/// Speed change, knots per second.
const ACCEL_KN_S: f64 = 0.03;

/// The moving state of one background vessel.
#[derive(Debug, Clone)]
pub struct Mover {
    /// Current position.
    pub pos: LatLon,
    course: f64,
    speed: f64,
    rot: f64,
    status: u8,
    leg: usize,
    wp: usize,
    leg_left_s: f64,
    target: LatLon,
    target_kn: f64,
    stop_left_s: f64,
    leeway: f64,
    /// Path length from the current target waypoint to the end of the leg, metres.
    tail_m: f64,
    /// Braking into a berth or slot (engines astern: 3× the usual deceleration).
    braking: bool,
}

/// Length of `path` from waypoint `wp` to its end, metres.
fn tail_m(path: &[LatLon], wp: usize) -> f64 {
    path[wp.min(path.len())..]
        .windows(2)
        .map(|w| w[0].distance_m(w[1]))
        .sum()
}

impl Mover {
    /// Places a vessel at a random point of its plan, so the sea is busy at
    /// the start of the simulation.
    pub fn start(plan: &Plan, rng: &mut impl Rng) -> Self {
        let leg = rng.gen_range(0..plan.len());
        let mut m = Mover {
            pos: LatLon::new(0.0, 0.0),
            course: rng.gen_range(0.0..360.0),
            speed: 0.0,
            rot: 0.0,
            status: 0,
            leg,
            wp: 1,
            leg_left_s: 0.0,
            target: LatLon::new(0.0, 0.0),
            target_kn: 0.0,
            stop_left_s: 0.0,
            leeway: rng.gen_range(-2.0..2.0),
            tail_m: 0.0,
            braking: false,
        };
        match &plan[leg] {
            Leg::Sail { path, speed_kn, .. } => {
                m.wp = rng.gen_range(1..path.len());
                let f = rng.gen_range(0.0..1.0);
                let (a, b) = (path[m.wp - 1], path[m.wp]);
                m.pos = LatLon::new(a.lat + (b.lat - a.lat) * f, a.lon + (b.lon - a.lon) * f);
                m.course = m.pos.bearing_deg(b);
                m.speed = *speed_kn;
            }
            Leg::Dwell { secs, .. } => {
                m.pos = dwell_position(plan, leg);
                m.leg_left_s = rng.gen_range(0.0..*secs);
            }
            Leg::Work { area, secs, .. } => {
                m.pos = random_in(area, rng);
                m.target = random_in(area, rng);
                m.leg_left_s = *secs;
            }
        }
        m.enter(plan, leg, false, rng);
        m
    }

    fn enter(&mut self, plan: &Plan, leg: usize, fresh: bool, rng: &mut impl Rng) {
        self.leg = leg;
        self.braking = false;
        match &plan[leg] {
            Leg::Sail { path, speed_kn, .. } => {
                if fresh {
                    self.wp = 1;
                    self.pos = path[0];
                }
                self.target = path[self.wp];
                self.tail_m = tail_m(path, self.wp);
                self.target_kn = *speed_kn;
                self.status = 0;
            }
            Leg::Dwell { secs, status } => {
                if fresh {
                    self.leg_left_s = *secs;
                }
                self.target_kn = 0.0;
                self.speed = 0.0;
                self.status = *status;
            }
            Leg::Work {
                area,
                secs,
                pattern,
            } => {
                if fresh {
                    self.leg_left_s = *secs;
                    self.target = random_in(area, rng);
                }
                let (kn, st) = match pattern {
                    Pattern::Patrol(kn) => (*kn, 0),
                    Pattern::Fishing => (rng.gen_range(2.0..5.0), 7),
                };
                self.target_kn = kn;
                self.status = st;
            }
        }
    }

    /// Advances the state by `dt` seconds (call with dt ≤ 10 s).
    pub fn step(&mut self, plan: &Plan, dt: f64, rng: &mut impl Rng) {
        match &plan[self.leg] {
            Leg::Dwell { .. } => {
                self.leg_left_s -= dt;
                if self.leg_left_s <= 0.0 {
                    self.enter(plan, (self.leg + 1) % plan.len(), true, rng);
                }
                return;
            }
            Leg::Sail { path, speed_kn, .. } => {
                let last = self.wp + 1 == path.len();
                let d = self.pos.distance_m(self.target);
                let slow = matches!(plan[(self.leg + 1) % plan.len()], Leg::Dwell { .. });
                // Into a berth or holding slot: slowing in proportion to the
                // distance left along the path (6 kn at 600 m, 2 kn at
                // 200 m: a short stretch, so a supply vessel is slow only
                // once inside the platform's 500 m zone, not beside the
                // pipelines round it), and made fast on the very spot, so vessels do not
                // stop short of their own slot and onto a neighbour's (or,
                // with the berth near the edge of the port area, outside it).
                let left = d + self.tail_m;
                self.braking = slow && left < 100.0 * self.speed.max(*speed_kn);
                self.target_kn = if self.braking {
                    speed_kn.min((left / 100.0).max(0.3))
                } else {
                    *speed_kn
                };
                let arrived = if slow && last {
                    d < 20.0 || (d < 60.0 && self.speed < 0.35)
                } else {
                    d < self.reach_m(dt)
                };
                if arrived {
                    if last {
                        if slow {
                            self.pos = self.target;
                        }
                        self.enter(plan, (self.leg + 1) % plan.len(), true, rng);
                        return;
                    }
                    self.wp += 1;
                    self.target = path[self.wp];
                    self.tail_m = tail_m(path, self.wp);
                }
            }
            Leg::Work { area, pattern, .. } => {
                self.leg_left_s -= dt;
                if self.leg_left_s <= 0.0 {
                    self.enter(plan, (self.leg + 1) % plan.len(), true, rng);
                    return;
                }
                if self.stop_left_s > 0.0 {
                    self.stop_left_s -= dt;
                    self.speed = (self.speed - ACCEL_KN_S * 3.0 * dt).max(rng.gen_range(0.0..0.3));
                    return;
                }
                if self.pos.distance_m(self.target) < self.reach_m(dt) {
                    self.target = match pattern {
                        Pattern::Patrol(_) => random_in(area, rng),
                        Pattern::Fishing => {
                            if rng.gen_bool(0.3) {
                                self.stop_left_s = rng.gen_range(600.0..2400.0);
                            }
                            self.target_kn = rng.gen_range(2.0..5.0);
                            let next = self.pos.destination(
                                self.course + 180.0 + rng.gen_range(-25.0..25.0),
                                rng.gen_range(2000.0..6000.0),
                            );
                            if inside(area, next) {
                                next
                            } else {
                                random_in(area, rng)
                            }
                        }
                    };
                }
            }
        }
        self.steer(dt);
    }

    fn reach_m(&self, dt: f64) -> f64 {
        let v = self.speed * KN_MS;
        (v / MAX_TURN_DEG_S.to_radians())
            .min(600.0)
            .max(v * dt * 1.5)
            .max(50.0)
    }

    fn steer(&mut self, dt: f64) {
        let want = self.pos.bearing_deg(self.target);
        let turn = angle_diff(self.course, want).clamp(-MAX_TURN_DEG_S * dt, MAX_TURN_DEG_S * dt);
        self.course = (self.course + turn).rem_euclid(360.0);
        self.rot = turn / dt * 60.0;
        let brake = if self.braking { 3.0 } else { 1.0 };
        let dv = (self.target_kn - self.speed).clamp(-ACCEL_KN_S * brake * dt, ACCEL_KN_S * dt);
        self.speed += dv;
        self.pos = self.pos.step(self.course, self.speed * KN_MS * dt);
    }

    /// Speed over ground now, knots.
    pub fn speed_kn(&self) -> f64 {
        self.speed
    }

    /// Navigational status now.
    pub fn status(&self) -> u8 {
        self.status
    }

    /// AIS destination of the current or next sailing leg.
    pub fn destination<'p>(&self, plan: &'p Plan) -> &'p str {
        (0..plan.len())
            .find_map(|i| match &plan[(self.leg + i) % plan.len()] {
                Leg::Sail { to, .. } => Some(*to),
                _ => None,
            })
            .unwrap_or("FISHING GROUNDS")
    }

    /// The state without noise (used for static data, which carries no
    /// kinematics but must not disturb the noise sequence).
    pub fn fix_exact(&self) -> Fix {
        Fix {
            lat: self.pos.lat,
            lon: self.pos.lon,
            sog_kn: self.speed,
            cog_deg: self.course,
            heading_deg: self.course,
            status: self.status,
            rot_deg_min: self.rot,
        }
    }

    /// What the transponder reports now, with small sensor noise.
    pub fn fix(&self, rng: &mut impl Rng) -> Fix {
        let moving = self.speed > 0.5;
        let sog = (self.speed
            + if moving {
                rng.gen_range(-0.15..0.15)
            } else {
                0.0
            })
        .max(0.0);
        let cog = if moving {
            self.course + rng.gen_range(-1.0..1.0)
        } else {
            self.course
        };
        Fix {
            lat: self.pos.lat,
            lon: self.pos.lon,
            sog_kn: sog,
            cog_deg: cog.rem_euclid(360.0),
            heading_deg: (self.course + self.leeway).rem_euclid(360.0),
            status: self.status,
            rot_deg_min: self.rot,
        }
    }
}

/// Where a vessel dwells: the end of the previous sailing leg.
fn dwell_position(plan: &Plan, leg: usize) -> LatLon {
    (1..=plan.len())
        .find_map(|i| match &plan[(leg + plan.len() - i) % plan.len()] {
            Leg::Sail { path, .. } => path.last().copied(),
            _ => None,
        })
        .unwrap_or(LatLon::new(60.0, 4.0))
}

/// A uniformly random point inside `area`.
pub fn random_in(area: &crate::places::Area, rng: &mut impl Rng) -> LatLon {
    LatLon::new(
        rng.gen_range(area.min.lat..area.max.lat),
        rng.gen_range(area.min.lon..area.max.lon),
    )
}

fn inside(area: &crate::places::Area, p: LatLon) -> bool {
    (area.min.lat..area.max.lat).contains(&p.lat) && (area.min.lon..area.max.lon).contains(&p.lon)
}
