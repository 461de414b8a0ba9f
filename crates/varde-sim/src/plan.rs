//! Voyage plans of background traffic: legs a vessel repeats in a loop
//! (sail a waypoint path, dwell in port, work an area), built per kind.

use crate::geo::LatLon;
use crate::identity::VesselKind;
use crate::places::{
    self, Area, Port, FIELDS, FISHING_GROUNDS, LANE, LEISURE_AREAS, PATROL_AREAS, PORTS, TERMINALS,
};
use rand::Rng;

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

/// Builds a plan for a vessel of `kind` with service speed `kn`.
pub fn plan_for(kind: VesselKind, kn: f64, rng: &mut impl Rng) -> Plan {
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
            // Each tanker waits for orders at its own spot within 3 km of
            // the terminal's open-sea point: tankers parked at one and the
            // same position would be a ship-to-ship rendezvous, not normal
            // traffic.
            out.push(exit.destination(rng.gen_range(0.0..360.0), rng.gen_range(300.0..3000.0)));
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
            let (_, field, base) = FIELDS[pick(rng, FIELDS.len())];
            let b = places::port(base);
            let mut out = reversed(b.approach);
            out.push(LANE[b.lane]);
            // Supply vessels hold station alongside, 150-450 m off the
            // installation (inside its 500 m safety zone), not on top of it.
            out.push(field.destination(rng.gen_range(0.0..360.0), rng.gen_range(150.0..450.0)));
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
