//! Hard-coded geography: the offshore coastal lane, port approaches,
//! terminals, fields, open-sea work areas and AIS base stations.
//!
//! Every waypoint below was checked against the OpenStreetMap land polygons
//! in `shared/data/geo/land/osm_land_polygons_region.geojson` (sampled every
//! 100–500 m; see `tests/at_sea.rs`): the lane runs outside the skerries,
//! and port approaches were found by a shortest water path on a 200 m grid
//! and then simplified. Positions of ports, terminals and fields are public
//! facts rounded to about 0.01°. Nothing here is for navigation.

use crate::geo::LatLon;

const fn p(lat: f64, lon: f64) -> LatLon {
    LatLon::new(lat, lon)
}

/// The coastal lane from the mouth of the Oslofjord round the coast to
/// Varangerfjorden, 10–30 km offshore of the skerries (south-east → north-east).
#[rustfmt::skip]
pub const LANE: &[LatLon] = &[
    p(58.95, 10.55), p(58.80, 10.00), p(58.45, 9.10), p(58.05, 8.25), p(57.85, 7.50), p(57.85, 6.90),
    p(58.10, 6.20), p(58.40, 5.60), p(58.80, 5.30), p(59.10, 5.05), p(59.50, 4.95), p(59.90, 4.80),
    p(60.30, 4.62), p(60.80, 4.55), p(61.30, 4.45), p(61.70, 4.65), p(62.05, 4.80), p(62.35, 5.25),
    p(62.70, 5.90), p(63.05, 6.60), p(63.35, 7.20), p(63.70, 7.90), p(64.05, 8.60), p(64.50, 9.50),
    p(65.00, 10.60), p(65.50, 11.40), p(66.10, 12.00), p(66.80, 12.60), p(67.20, 13.30), p(67.35, 11.60),
    p(67.90, 11.80), p(68.35, 12.70), p(68.90, 14.20), p(69.45, 15.60), p(69.75, 16.60), p(70.00, 17.80),
    p(70.35, 19.20), p(70.60, 20.80), p(70.90, 22.30), p(71.05, 23.60), p(71.30, 25.20), p(71.35, 27.00),
    p(71.25, 28.50), p(71.00, 30.00), p(70.55, 31.45), p(70.15, 31.30), p(69.95, 30.60),
];

/// A port or terminal and its approach from the lane.
#[derive(Debug, Clone, Copy)]
pub struct Port {
    /// Name (ASCII, also used as AIS destination).
    pub name: &'static str,
    /// Index into [`LANE`] where the approach starts.
    pub lane: usize,
    /// Approach waypoints from `LANE[lane]` to the berth (the last point).
    pub approach: &'static [LatLon],
}

impl Port {
    /// The berth position (last approach point).
    pub fn berth(&self) -> LatLon {
        self.approach[self.approach.len() - 1]
    }
}

/// Ports and terminals with their approaches.
#[rustfmt::skip]
pub const PORTS: &[Port] = &[
    Port {
        name: "OSLO",
        lane: 0,
        approach: &[
            p(59.03, 10.528), p(59.204, 10.587), p(59.49, 10.579), p(59.57, 10.623), p(59.668, 10.619), p(59.678, 10.615),
            p(59.682, 10.607), p(59.718, 10.579), p(59.724, 10.583), p(59.732, 10.583), p(59.738, 10.575), p(59.836, 10.579),
            p(59.874, 10.654), p(59.88, 10.701),
        ],
    },
    Port {
        name: "KRISTIANSAND",
        lane: 3,
        approach: &[
            p(58.086, 8.1), p(58.098, 8.096), p(58.105, 8.05), p(58.13, 8.03), p(58.14, 8.02),
        ],
    },
    Port {
        name: "STAVANGER",
        lane: 9,
        approach: &[
            p(59.049, 5.395), p(59.037, 5.62), p(58.997, 5.698), p(58.987, 5.713), p(58.979, 5.729),
        ],
    },
    Port {
        name: "KARSTO",
        lane: 9,
        approach: &[
            p(59.13, 5.282), p(59.14, 5.301), p(59.246, 5.379), p(59.254, 5.422), p(59.274, 5.461), p(59.274, 5.477),
            p(59.268, 5.485), p(59.268, 5.5),
        ],
    },
    Port {
        name: "BERGEN",
        lane: 13,
        approach: &[
            p(60.716, 4.744), p(60.592, 4.94), p(60.584, 4.981), p(60.576, 4.993), p(60.572, 4.993), p(60.57, 4.989),
            p(60.568, 4.989), p(60.566, 4.985), p(60.564, 4.981), p(60.558, 4.985), p(60.548, 5.009), p(60.538, 5.046),
            p(60.506, 5.193), p(60.49, 5.225), p(60.42, 5.286), p(60.404, 5.315),
        ],
    },
    Port {
        name: "STURE",
        lane: 13,
        approach: &[p(60.716, 4.744), p(60.66, 4.84), p(60.63, 4.86)],
    },
    Port {
        name: "MONGSTAD",
        lane: 13,
        approach: &[
            p(60.87, 4.62), p(60.86, 4.80), p(60.83, 4.95), p(60.818, 4.98),
        ],
    },
    Port {
        name: "ALESUND",
        lane: 17,
        approach: &[
            p(62.46, 5.786), p(62.46, 6.062), p(62.474, 6.092), p(62.477, 6.149),
        ],
    },
    Port {
        name: "KRISTIANSUND",
        lane: 20,
        approach: &[
            p(63.112, 7.688), p(63.106, 7.71), p(63.106, 7.728), p(63.112, 7.737),
        ],
    },
    Port {
        name: "TRONDHEIM",
        lane: 21,
        approach: &[
            p(63.662, 8.257), p(63.654, 8.45), p(63.688, 9.079), p(63.67, 9.223), p(63.632, 9.309), p(63.63, 9.34),
            p(63.638, 9.677), p(63.65, 9.753), p(63.62, 9.81), p(63.58, 9.82), p(63.55, 9.86), p(63.50, 9.87),
            p(63.48, 9.95), p(63.475, 10.15), p(63.465, 10.30), p(63.445, 10.39),
        ],
    },
    Port {
        name: "BODO",
        lane: 28,
        approach: &[p(67.254, 14.117), p(67.284, 14.355), p(67.288, 14.386)],
    },
    Port {
        name: "TROMSO",
        lane: 36,
        approach: &[
            p(70.146, 18.687), p(70.042, 18.617), p(69.916, 18.699), p(69.906, 18.728), p(69.844, 18.939), p(69.822, 19.003),
            p(69.778, 19.062), p(69.682, 19.044), p(69.676, 19.027), p(69.654, 18.98),
        ],
    },
    Port {
        name: "HAMMERFEST",
        lane: 39,
        approach: &[p(70.681, 23.573), p(70.663, 23.653), p(70.665, 23.677)],
    },
    Port {
        name: "MELKOYA",
        lane: 39,
        approach: &[
            p(70.68, 23.574), p(70.678, 23.58), p(70.678, 23.592), p(70.684, 23.598),
        ],
    },
    Port {
        name: "HONNINGSVAG",
        lane: 40,
        approach: &[
            p(71.032, 25.219), p(71.014, 25.274), p(70.958, 25.46), p(70.934, 25.528), p(70.928, 25.553), p(70.948, 25.868),
            p(70.966, 25.924), p(70.98, 25.961),
        ],
    },
    Port {
        name: "KIRKENES",
        lane: 46,
        approach: &[
            p(69.92, 30.14), p(69.84, 30.10), p(69.80, 30.10), p(69.77, 30.08), p(69.745, 30.06),
        ],
    },
];

/// Looks a port up by name.
pub fn port(name: &str) -> &'static Port {
    PORTS.iter().find(|p| p.name == name).unwrap_or(&PORTS[0])
}

/// Tromsø → Longyearbyen after the Tromsø approach: open sea west of
/// Bjørnøya, then Isfjorden.
#[rustfmt::skip]
pub const SVALBARD_LEG: &[LatLon] = &[
    p(71.5, 19.0), p(74.3, 17.6), p(76.5, 14.8), p(77.9, 12.8), p(78.068, 13.602), p(78.098, 13.805),
    p(78.254, 15.391), p(78.254, 15.536), p(78.232, 15.604),
];

/// Oil and gas fields served by supply vessels: (name, position, base port,
/// bearing of the standby area in degrees). The standby area lies
/// [`crate::plan::STANDBY_M`] off on that bearing, more than 5 km from any
/// pipeline or platform of the schematic infrastructure layer (Langeled
/// passes 1.7 km from Oseberg A, the Norpipes leave Ekofisk to the south).
pub const FIELDS: &[(&str, LatLon, &str, f64)] = &[
    ("TROLL", p(60.643, 3.721), "MONGSTAD", 0.0),
    ("OSEBERG", p(60.49, 2.83), "BERGEN", 300.0),
    ("JOHAN SVERDRUP", p(58.84, 2.63), "STAVANGER", 0.0),
    ("EKOFISK", p(56.54, 3.21), "STAVANGER", 20.0),
    ("HEIDRUN", p(65.33, 7.32), "KRISTIANSUND", 0.0),
    ("GOLIAT", p(71.29, 22.3), "HAMMERFEST", 0.0),
];

/// Crude-oil and gas terminals and the open-sea point their tankers sail to
/// (and wait round, each on its own spot 400 m from the next, within
/// 2.5 km for 100 tankers a terminal): every point more than 10 km from
/// any pipeline, cable or platform, so waiting there is not loitering.
pub const TERMINALS: &[(&str, LatLon)] = &[
    ("MONGSTAD", p(58.5, 2.2)),
    ("STURE", p(58.7, 2.5)),
    ("KARSTO", p(57.5, 2.8)),
    ("MELKOYA", p(71.6, 18.0)),
];

/// An all-sea rectangle (checked on a 30×30 grid against OSM land): any
/// straight line between two points inside stays at sea.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Area {
    /// Name, for docs and tests.
    pub name: &'static str,
    /// South-west corner.
    pub min: LatLon,
    /// North-east corner.
    pub max: LatLon,
}

const fn area(name: &'static str, lat0: f64, lon0: f64, lat1: f64, lon1: f64) -> Area {
    Area {
        name,
        min: p(lat0, lon0),
        max: p(lat1, lon1),
    }
}

/// Fishing grounds (North Sea, off Møre, west of Lofoten, Vestfjorden,
/// off Finnmark, Barents Sea, Svalbard bank).
pub const FISHING_GROUNDS: &[Area] = &[
    area("north sea", 57.0, 2.5, 60.5, 4.3),
    area("off more", 62.5, 4.0, 63.0, 5.3),
    area("west of lofoten", 67.9, 10.5, 68.8, 12.5),
    area("vestfjorden", 67.75, 13.6, 68.0, 14.6),
    area("off finnmark", 71.15, 20.5, 71.5, 24.5),
    area("barents sea", 71.5, 18.0, 74.0, 32.0),
    area("svalbard bank", 74.5, 20.0, 76.0, 28.0),
];

/// Patrol, survey and leisure areas.
pub const PATROL_AREAS: &[Area] = &[
    area("skagerrak", 57.7, 8.6, 58.2, 10.0),
    area("norwegian sea", 63.5, 3.0, 66.5, 8.0),
    area("barents sea", 71.5, 18.0, 74.0, 32.0),
    area("north sea", 57.0, 2.5, 60.5, 4.3),
];

/// Leisure areas for Class B pleasure craft.
pub const LEISURE_AREAS: &[Area] = &[
    area("outer oslofjord", 58.9, 10.45, 59.0, 10.6),
    area("skagerrak", 57.7, 8.6, 58.2, 10.0),
];

/// Coastal AIS base stations: (tag-block `s:` id, position). The ids follow
/// the Kystverket `2573xxx` pattern seen in `shared/data/ais/`, but the
/// id → site mapping is invented for the simulation.
#[rustfmt::skip]
pub const STATIONS: &[(&str, LatLon)] = &[
    ("2573105", p(59.03, 10.52)), ("2573125", p(58.10, 8.00)), ("2573115", p(58.00, 7.05)), ("2573135", p(58.60, 5.60)), ("2573210", p(59.00, 5.60)), ("2573225", p(59.30, 5.20)),
    ("2573238", p(59.75, 5.10)), ("2573267", p(60.35, 5.00)), ("2573305", p(60.78, 4.72)), ("2573315", p(61.60, 4.95)), ("2573335", p(62.15, 5.10)), ("2573345", p(62.47, 6.10)),
    ("2573355", p(63.10, 7.70)), ("2573365", p(63.75, 8.60)), ("2573385", p(64.86, 11.24)), ("2573405", p(65.47, 12.20)), ("2573425", p(66.50, 12.10)), ("2573445", p(67.28, 14.40)),
    ("2573455", p(67.50, 12.10)), ("2573465", p(69.30, 16.10)), ("2573485", p(69.65, 18.95)), ("2573505", p(70.25, 19.50)), ("2573515", p(70.66, 23.68)), ("2573525", p(71.10, 25.80)),
    ("2573535", p(70.86, 29.10)), ("2573545", p(70.37, 31.10)), ("2573555", p(69.73, 30.05)), ("2573905", p(74.50, 19.00)), ("2573925", p(76.50, 25.00)), ("2573915", p(78.22, 15.60)),
];

/// The id of the base station nearest to `pos` (cheap equirectangular
/// comparison).
pub fn nearest_station(pos: LatLon) -> &'static str {
    let k = pos.lat.to_radians().cos();
    let d2 = |q: LatLon| {
        let (dx, dy) = ((q.lon - pos.lon) * k, q.lat - pos.lat);
        dx * dx + dy * dy
    };
    STATIONS
        .iter()
        .min_by(|a, b| d2(a.1).total_cmp(&d2(b.1)))
        .map_or("2573345", |s| s.0)
}
