//! Voyage plans of background traffic: legs a vessel repeats in a loop
//! (sail a waypoint path, dwell in port, work an area), built per kind.

use crate::geo::LatLon;
use crate::identity::VesselKind;
use crate::places::{
    self, Area, Port, FIELDS, FISHING_GROUNDS, LANE, LEISURE_AREAS, PATROL_AREAS, PORTS, TERMINALS,
};
use rand::Rng;
use std::collections::HashMap;

/// How a vessel works an area.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Pattern {
    /// Straight legs between random points at the given speed (knots).
    Patrol(f64),
    /// Zig-zag trawl legs of 2–6 km at 2–5 kn with hauling stops.
    Fishing,
}

/// One leg of a plan.
#[derive(Debug, Clone, PartialEq)]
pub enum Leg {
    /// Follow `path` at `speed_kn`; `to` is the AIS destination.
    Sail {
        /// Waypoints, all at sea.
        path: Vec<LatLon>,
        /// Service speed, knots.
        speed_kn: f64,
        /// Destination name.
        to: &'static str,
    },
    /// Stay put for `secs` with navigational status `status` (1 anchored,
    /// 5 moored, 0 holding position on DP).
    Dwell {
        /// Duration, seconds.
        secs: f64,
        /// Navigational status while dwelling.
        status: u8,
    },
    /// Work inside `area` for `secs` (infinite for fishing fleets).
    Work {
        /// The all-sea area.
        area: Area,
        /// Duration, seconds.
        secs: f64,
        /// How the area is worked.
        pattern: Pattern,
    },
}

/// A looped list of legs.
pub type Plan = Vec<Leg>;

/// Path from port `a` to port `b` along the lane: approach of `a`
/// reversed, the lane between, approach of `b`.
pub fn port_to_port(a: &Port, b: &Port) -> Vec<LatLon> {
    let mut path: Vec<LatLon> = a.approach.iter().rev().copied().collect();
    if a.lane <= b.lane {
        path.extend_from_slice(&LANE[a.lane..=b.lane]);
    } else {
        path.extend(LANE[b.lane..=a.lane].iter().rev());
    }
    path.extend_from_slice(b.approach);
    path
}

fn reversed(p: &[LatLon]) -> Vec<LatLon> {
    p.iter().rev().copied().collect()
}

fn moored(rng: &mut impl Rng, h0: f64, h1: f64) -> Leg {
    Leg::Dwell {
        secs: rng.gen_range(h0..h1) * 3600.0,
        status: 5,
    }
}

/// Supply vessels holding alongside an installation at once: slots on a
/// ring of [`ALONGSIDE_M`] round it, inside its 500 m safety zone.
pub const ALONGSIDE_SLOTS: usize = 7;
/// Radius of the alongside ring, metres (7 slots: 304 m apart).
pub const ALONGSIDE_M: f64 = 350.0;
/// Distance of a field's standby area from the installation, metres (on
/// the field's standby bearing, clear of its pipelines).
pub const STANDBY_M: f64 = 6000.0;
/// Least distance between two holding or waiting positions at sea, metres
/// (the rendezvous rule pairs vessels within 250 m).
pub const HOLD_SPACING_M: f64 = 400.0;

/// Hands out distinct holding positions at places many vessels share
/// (a field's installation, a terminal's waiting area): two vessels lying
/// still on the same spot at sea are a ship-to-ship rendezvous, not normal
/// traffic. Filled in fleet order, so deterministic.
#[derive(Debug, Default, Clone)]
pub struct Slots {
    taken: HashMap<&'static str, usize>,
}

impl Slots {
    /// The next free slot number at `place` (0, 1, 2, ...).
    pub fn take(&mut self, place: &'static str) -> usize {
        let n = self.taken.entry(place).or_insert(0);
        *n += 1;
        *n - 1
    }
}

/// Slot `k` of a sunflower (Vogel) spiral round `centre`: any two slots are
/// at least `spacing_m` apart, and `n` slots fill a disc of radius
/// `0.65 · spacing_m · √n`.
pub fn spiral_slot(centre: LatLon, k: usize, spacing_m: f64) -> LatLon {
    // The nearest neighbours of a Vogel spiral r = c·√(k + ½) are 1.546·c apart.
    let c = spacing_m / 1.54;
    let golden_deg = 180.0 * (3.0 - 5f64.sqrt());
    centre.destination(k as f64 * golden_deg, c * (k as f64 + 0.5).sqrt())
}

/// Where supply vessel number `k` of a field holds: one of
/// [`ALONGSIDE_SLOTS`] slots [`ALONGSIDE_M`] off the installation, then
/// standby positions [`HOLD_SPACING_M`] apart round a point [`STANDBY_M`]
/// away on `standby_deg` (more than 1 nm from any pipeline or platform).
pub fn field_slot(field: LatLon, standby_deg: f64, k: usize) -> LatLon {
    if k < ALONGSIDE_SLOTS {
        let step = 360.0 / ALONGSIDE_SLOTS as f64;
        return field.destination(standby_deg + step * (k as f64 + 0.5), ALONGSIDE_M);
    }
    let centre = field.destination(standby_deg, STANDBY_M);
    spiral_slot(centre, k - ALONGSIDE_SLOTS, HOLD_SPACING_M)
}

/// Builds a plan for a vessel of `kind` with service speed `kn`; `slots`
/// gives it a holding position of its own where vessels wait at sea.
pub fn plan_for(kind: VesselKind, kn: f64, slots: &mut Slots, rng: &mut impl Rng) -> Plan {
    let pick = |rng: &mut dyn rand::RngCore, n: usize| rng.gen_range(0..n);
    match kind {
        VesselKind::Cargo if rng.gen_bool(0.1) => {
            let t = places::port("TROMSO");
            let mut out = reversed(t.approach);
            out.push(LANE[t.lane]);
            out.extend_from_slice(places::SVALBARD_LEG);
            vec![
                Leg::Sail {
                    path: out.clone(),
                    speed_kn: kn,
                    to: "LONGYEARBYEN",
                },
                moored(rng, 3.0, 8.0),
                Leg::Sail {
                    path: reversed(&out),
                    speed_kn: kn,
                    to: t.name,
                },
                moored(rng, 3.0, 8.0),
            ]
        }
        VesselKind::Cargo => {
            let a = &PORTS[pick(rng, PORTS.len())];
            let mut b = &PORTS[pick(rng, PORTS.len())];
            while b.lane == a.lane {
                b = &PORTS[pick(rng, PORTS.len())];
            }
            let out = port_to_port(a, b);
            vec![
                Leg::Sail {
                    path: out.clone(),
                    speed_kn: kn,
                    to: b.name,
                },
                moored(rng, 1.0, 5.0),
                Leg::Sail {
                    path: reversed(&out),
                    speed_kn: kn,
                    to: a.name,
                },
                moored(rng, 1.0, 5.0),
            ]
        }
        VesselKind::Tanker => {
            let (term, exit) = TERMINALS[pick(rng, TERMINALS.len())];
            let t = places::port(term);
            let mut out: Vec<LatLon> = reversed(t.approach);
            out.push(LANE[t.lane]);
            // Each tanker waits for orders at its own spot round the
            // terminal's open-sea point, 400 m from any other: tankers
            // lying at one and the same position would be a ship-to-ship
            // rendezvous, not normal traffic.
            out.push(spiral_slot(exit, slots.take(term), HOLD_SPACING_M));
            vec![
                Leg::Sail {
                    path: out.clone(),
                    speed_kn: kn,
                    to: "ROTTERDAM",
                },
                Leg::Dwell {
                    secs: rng.gen_range(1.0..4.0) * 3600.0,
                    status: 0,
                },
                Leg::Sail {
                    path: reversed(&out),
                    speed_kn: kn,
                    to: t.name,
                },
                moored(rng, 6.0, 14.0),
            ]
        }
        VesselKind::Passenger => hurtigruten(kn),
        VesselKind::Fishing => {
            let area = FISHING_GROUNDS[pick(rng, FISHING_GROUNDS.len())];
            vec![Leg::Work {
                area,
                secs: f64::INFINITY,
                pattern: Pattern::Fishing,
            }]
        }
        VesselKind::Supply => {
            let (name, field, base, standby_deg) = FIELDS[pick(rng, FIELDS.len())];
            let b = places::port(base);
            let mut out = reversed(b.approach);
            out.push(LANE[b.lane]);
            // Supply vessels hold station alongside the installation (inside
            // its 500 m safety zone, each on its own slot), and those beyond
            // the slots wait on standby a few miles off, each on its own
            // spot: never two on top of each other.
            out.push(field_slot(field, standby_deg, slots.take(name)));
            vec![
                Leg::Sail {
                    path: out.clone(),
                    speed_kn: kn,
                    to: base,
                },
                Leg::Dwell {
                    secs: rng.gen_range(2.0..8.0) * 3600.0,
                    status: 0,
                },
                Leg::Sail {
                    path: reversed(&out),
                    speed_kn: kn,
                    to: base,
                },
                moored(rng, 4.0, 12.0),
            ]
        }
        VesselKind::Tug | VesselKind::Sar => {
            let b = &PORTS[pick(rng, PORTS.len())];
            let mut out = reversed(b.approach);
            out.push(LANE[b.lane]);
            vec![
                moored(rng, 1.0, 6.0),
                Leg::Sail {
                    path: out.clone(),
                    speed_kn: kn,
                    to: b.name,
                },
                Leg::Sail {
                    path: reversed(&out),
                    speed_kn: kn,
                    to: b.name,
                },
            ]
        }
        VesselKind::LawEnforcement | VesselKind::Military | VesselKind::Research => {
            let area = PATROL_AREAS[pick(rng, PATROL_AREAS.len())];
            let speed = if kind == VesselKind::Research {
                5.0
            } else {
                kn * 0.7
            };
            vec![Leg::Work {
                area,
                secs: f64::INFINITY,
                pattern: Pattern::Patrol(speed),
            }]
        }
        VesselKind::Pleasure => {
            let area = LEISURE_AREAS[pick(rng, LEISURE_AREAS.len())];
            vec![Leg::Work {
                area,
                secs: f64::INFINITY,
                pattern: Pattern::Patrol(kn),
            }]
        }
    }
}

/// The coastal express: Bergen → Kirkenes with port calls, and back.
pub fn hurtigruten(kn: f64) -> Plan {
    const CALLS: &[(&str, f64)] = &[
        ("BERGEN", 2.0),
        ("ALESUND", 0.75),
        ("KRISTIANSUND", 0.5),
        ("TRONDHEIM", 3.0),
        ("BODO", 1.0),
        ("TROMSO", 2.5),
        ("HAMMERFEST", 1.0),
        ("HONNINGSVAG", 1.0),
        ("KIRKENES", 3.0),
    ];
    let mut legs = Vec::new();
    let seq: Vec<_> = CALLS.iter().chain(CALLS.iter().rev().skip(1)).collect();
    for w in seq.windows(2) {
        let (a, b) = (places::port(w[0].0), places::port(w[1].0));
        legs.push(Leg::Dwell {
            secs: w[0].1 * 3600.0,
            status: 5,
        });
        legs.push(Leg::Sail {
            path: port_to_port(a, b),
            speed_kn: kn,
            to: b.name,
        });
    }
    legs
}
