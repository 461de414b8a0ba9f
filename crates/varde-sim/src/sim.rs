//! The simulator: background fleet plus scripted incidents, merged in event
//! time with a heap, encoded as NMEA lines with tag blocks.

use crate::encode::{
    class_b_report, frame_into, position_report, static_data_parts, static_voyage, Fix, Framing,
};
use crate::fleet::{fleet, Member};
use crate::geo::LatLon;
use crate::mover::Mover;
use crate::places::nearest_station;
use crate::scenario::Scenario;
use crate::script::{Script, ScriptRunner};
use crate::SimError;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashSet};

/// Static data (type 5, or type 24 A+B) interval, seconds (ITU-R M.1371: 6 min).
pub const STATIC_INTERVAL_S: i64 = 360;

/// What to simulate.
#[derive(Debug, Clone)]
pub struct SimConfig {
    /// Number of background vessels.
    pub vessels: usize,
    /// Duration in hours (event time): nothing is sent after it, by the incident vessels
    /// either (an incident that needs longer is cut short).
    pub hours: f64,
    /// Start of the simulation, unix seconds (UTC).
    pub start_unix_s: i64,
    /// Seed of the random generator: same seed, same output, byte for byte.
    pub seed: u64,
    /// Scripted incidents to add to the background traffic.
    pub scenario: Option<Scenario>,
}

impl Default for SimConfig {
    fn default() -> Self {
        // 2024-07-16T00:00:00Z, the day of the Nikolay Chiker circling.
        Self {
            vessels: 300,
            hours: 1.0,
            start_unix_s: 1_721_088_000,
            seed: 1,
            scenario: None,
        }
    }
}

enum Motion {
    Plan(Box<Member>, Mover),
    Script(Box<Script>, ScriptRunner),
}

struct Agent {
    motion: Motion,
    rng: ChaCha8Rng,
    /// Time of the current state, ms since start.
    t_ms: i64,
    first_static_ms: i64,
    end_ms: i64,
    station: &'static str,
    station_at_ms: i64,
}

/// Generates the traffic; see [`Simulator::run`].
pub struct Simulator {
    agents: Vec<Agent>,
    heap: BinaryHeap<Reverse<(i64, u32)>>,
    start_unix_s: i64,
    buf: String,
    seq: u8,
    group: u32,
    channel: bool,
}

impl Simulator {
    /// Builds the fleet and the incident vessels. Errors if a scenario is
    /// inconsistent (see [`Scenario::scripts`]).
    pub fn new(cfg: SimConfig) -> Result<Self, SimError> {
        let end_ms = (cfg.hours * 3_600_000.0) as i64;
        let scripts = match &cfg.scenario {
            Some(s) => s.scripts(cfg.start_unix_s)?,
            None => Vec::new(),
        };
        let reserved: HashSet<u32> = scripts.iter().flat_map(Script::mmsis).collect();
        let mut rng = ChaCha8Rng::seed_from_u64(cfg.seed);
        let mut agents = Vec::new();
        for (i, m) in fleet(cfg.vessels, &reserved, &mut rng)
            .into_iter()
            .enumerate()
        {
            let mut arng = ChaCha8Rng::seed_from_u64(
                cfg.seed ^ (i as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15),
            );
            let mover = Mover::start(&m.plan, &mut arng);
            let t0 = rand::Rng::gen_range(&mut arng, 0..10_000);
            let st = rand::Rng::gen_range(&mut arng, 0..STATIC_INTERVAL_S * 1000);
            let st = t0 + st / 1000 * 1000;
            agents.push(Agent::new(
                Motion::Plan(Box::new(m), mover),
                arng,
                t0,
                st,
                end_ms,
            ));
        }
        for (i, s) in scripts.into_iter().enumerate() {
            let t0 = (s.start_s * 1000.0) as i64;
            // The run ends at `hours` for the incident vessels too: a script that needs longer is
            // cut there (see `Scenario::incident_ends`).
            let end = (t0 + (s.duration_s() * 1000.0) as i64).min(end_ms);
            let arng = ChaCha8Rng::seed_from_u64(cfg.seed ^ 0xD1CE ^ i as u64);
            let runner = ScriptRunner::new(&s);
            agents.push(Agent::new(
                Motion::Script(Box::new(s), runner),
                arng,
                t0,
                t0,
                end,
            ));
        }
        let mut heap = BinaryHeap::with_capacity(agents.len() * 2);
        for (i, a) in agents.iter().enumerate() {
            if a.t_ms <= a.end_ms {
                heap.push(Reverse((a.t_ms, 2 * i as u32)));
                heap.push(Reverse((a.first_static_ms.max(a.t_ms), 2 * i as u32 + 1)));
            }
        }
        Ok(Self {
            agents,
            heap,
            start_unix_s: cfg.start_unix_s,
            buf: String::with_capacity(512),
            seq: 0,
            group: 0,
            channel: false,
        })
    }

    /// Runs to the end, calling `sink` with each NMEA line (no line ending),
    /// in event-time order. Nothing is buffered beyond one message.
    pub fn run(&mut self, mut sink: impl FnMut(&str)) {
        while self.next_event() {
            for line in self.buf.split_terminator('\n') {
                sink(line);
            }
        }
    }

    /// Processes the next event; its lines (each ended by `\n`) are in
    /// [`Simulator::pending`]. Returns false when the simulation is over.
    pub fn next_event(&mut self) -> bool {
        self.buf.clear();
        while self.buf.is_empty() {
            let Some(Reverse((t, i))) = self.heap.pop() else {
                return false;
            };
            if let Some(next) = self.fire(i as usize, t) {
                self.heap.push(Reverse((next, i)));
            }
        }
        true
    }

    /// The lines produced by the last [`Simulator::next_event`].
    pub fn pending(&self) -> &str {
        &self.buf
    }

    /// Handles event `code` (agent index × 2, +1 for static data) at `t`:
    /// writes the message(s) and returns when the event recurs.
    fn fire(&mut self, code: usize, t: i64) -> Option<i64> {
        let Simulator {
            agents,
            buf,
            seq,
            group,
            channel,
            start_unix_s,
            ..
        } = self;
        let (a, is_static) = (&mut agents[code / 2], code % 2 == 1);
        a.advance_to(t);
        let (fix, silent, interval_ms) = a.report(is_static);
        let next = t + if is_static {
            STATIC_INTERVAL_S * 1000
        } else {
            interval_ms
        };
        if silent {
            return (next <= a.end_ms).then_some(next);
        }
        // A report without a position (GNSS lost) keeps the station it had.
        if fix.has_position() && (a.station_at_ms < 0 || t - a.station_at_ms >= 60_000) {
            a.station = nearest_station(LatLon::new(fix.lat, fix.lon));
            a.station_at_ms = t;
        }
        // A changed identity sends its static data with the next report.
        let static_too = match &mut a.motion {
            Motion::Script(_, r) => !is_static && r.take_static_due(),
            Motion::Plan(..) => false,
        };
        let time_s = *start_unix_s + t.div_euclid(1000);
        let (identity, station, dest) = match &a.motion {
            Motion::Plan(m, mv) => (&m.identity, a.station, mv.destination(&m.plan)),
            Motion::Script(s, r) => (
                r.identity().unwrap_or(&s.identity),
                s.station.as_deref().unwrap_or(a.station),
                s.destination.as_str(),
            ),
        };
        *channel = !*channel;
        let mut f = Framing {
            station,
            time_s,
            channel: if *channel { b'A' } else { b'B' },
            seq_id: 0,
            group_id: 0,
        };
        if !is_static {
            let second = time_s.rem_euclid(60) as u8;
            let msg = if identity.class_b {
                class_b_report(identity.mmsi, &fix, second)
            } else {
                position_report(identity.mmsi, &fix, second)
            };
            frame_into(buf, &msg.encode(), &f);
        }
        if is_static || static_too {
            if identity.class_b {
                for part in static_data_parts(identity) {
                    frame_into(buf, &part.encode(), &f);
                }
            } else {
                *seq = (*seq + 1) % 10;
                *group += 1;
                f.seq_id = *seq;
                f.group_id = *group;
                frame_into(buf, &static_voyage(identity, dest).encode(), &f);
            }
        }
        (next <= a.end_ms).then_some(next)
    }
}

impl Agent {
    fn new(motion: Motion, rng: ChaCha8Rng, t_ms: i64, first_static_ms: i64, end_ms: i64) -> Self {
        Self {
            motion,
            rng,
            t_ms,
            first_static_ms,
            end_ms,
            station: "2573345",
            station_at_ms: -1,
        }
    }

    /// Integrates the motion up to `t` in steps of at most 10 s.
    fn advance_to(&mut self, t: i64) {
        while self.t_ms < t {
            let dt_ms = (t - self.t_ms).min(10_000);
            let dt = dt_ms as f64 / 1000.0;
            match &mut self.motion {
                Motion::Plan(m, mv) => mv.step(&m.plan, dt, &mut self.rng),
                Motion::Script(s, r) => r.advance(s, dt),
            }
            self.t_ms += dt_ms;
        }
    }

    /// The fix to report now, whether the vessel is silent, and the
    /// interval to its next report (ms), per ITU-R M.1371 rates.
    fn report(&mut self, is_static: bool) -> (Fix, bool, i64) {
        match &mut self.motion {
            Motion::Plan(m, mv) => {
                if is_static {
                    return (mv.fix_exact(), false, 0);
                }
                let fix = mv.fix(&mut self.rng);
                let ms = interval_ms(m.identity.class_b, mv.status(), fix.sog_kn);
                // Stagger reports a little, as SOTDMA slots do.
                (
                    fix,
                    false,
                    ms + rand::Rng::gen_range(&mut self.rng, -50..50),
                )
            }
            Motion::Script(s, r) => {
                let silent = r.dark() || r.finished(s);
                let fix = r.fix(s.status, &mut self.rng);
                // Without a fix the transponder keeps its rate for the true speed.
                let sog = if fix.sog_kn.is_nan() {
                    r.speed_kn()
                } else {
                    fix.sog_kn
                };
                let ms = s.report_every_s.map_or_else(
                    || interval_ms(s.identity.class_b, s.status, sog),
                    |e| (e * 1000.0) as i64,
                );
                (fix, silent, ms)
            }
        }
    }
}

/// Nominal reporting interval (ms): Class A 10 s at 0–14 kn, 6 s at 14–23
/// kn, 2 s above; 3 min at anchor or moored below 3 kn. Class B (CS) 30 s,
/// 3 min below 2 kn.
pub fn interval_ms(class_b: bool, status: u8, sog_kn: f64) -> i64 {
    if class_b {
        return if sog_kn > 2.0 { 30_000 } else { 180_000 };
    }
    match (status, sog_kn) {
        (1 | 5, s) if s < 3.0 => 180_000,
        (_, s) if s > 23.0 => 2_000,
        (_, s) if s > 14.0 => 6_000,
        _ => 10_000,
    }
}

/// An iterator over the lines of a [`Simulator`] (one `String` per line;
/// [`Simulator::run`] is the allocation-free path).
pub struct Lines {
    sim: Simulator,
    at: usize,
}

impl Simulator {
    /// Turns the simulator into an iterator of lines.
    pub fn lines(self) -> Lines {
        Lines { sim: self, at: 0 }
    }
}

impl Iterator for Lines {
    type Item = String;

    fn next(&mut self) -> Option<String> {
        loop {
            let rest = &self.sim.buf[self.at..];
            if let Some(n) = rest.find('\n') {
                let line = rest[..n].to_string();
                self.at += n + 1;
                return Some(line);
            }
            if !self.sim.next_event() {
                return None;
            }
            self.at = 0;
        }
    }
}
