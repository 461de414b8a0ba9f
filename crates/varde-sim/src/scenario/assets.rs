//! Infrastructure used by the incidents, at documented schematic
//! coordinates, and its GeoJSON layer.
//!
//! Lines follow public descriptions of the real routes with a few vertices
//! each. Langeled, Europipe II and the Svalbard cable reuse the vertices of
//! `data/geo/demo_infrastructure_schematic.geojson` so both layers agree;
//! the Skagerrak HVDC line follows the PyPSA/ENTSO-E gridkit link in
//! `shared/data/geo/infrastructure/`, and Skagenfiber West follows the
//! TeleGeography route. SCHEMATIC, NOT FOR OPERATIONS.

use crate::geo::LatLon;
use serde_json::json;

/// What an asset is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssetKind {
    /// Power or telecom cable.
    Cable,
    /// Gas or oil pipeline.
    Pipeline,
}

/// A line of critical infrastructure.
#[derive(Debug, Clone, Copy)]
pub struct Asset {
    /// Name, as alerts will report it when this layer is loaded.
    pub name: &'static str,
    /// Cable or pipeline.
    pub kind: AssetKind,
    /// Vertices.
    pub line: &'static [LatLon],
}

const fn p(lat: f64, lon: f64) -> LatLon {
    LatLon::new(lat, lon)
}

/// Skagerrak 1–4 HVDC, Kristiansand – Tjele (power cable; Eagle S analogue).
pub const SKAGERRAK_HVDC: Asset = Asset {
    name: "Skagerrak HVDC (sim)",
    kind: AssetKind::Cable,
    line: &[p(58.08, 8.07), p(57.52, 8.73), p(57.15, 9.14)],
};
/// Europipe II, Kårstø – Dornum (gas pipeline; Newnew Polar Bear analogue).
pub const EUROPIPE_II: Asset = Asset {
    name: "Europipe II (sim)",
    kind: AssetKind::Pipeline,
    line: &[
        p(59.27, 5.52),
        p(58.8, 5.0),
        p(57.5, 5.3),
        p(55.5, 6.2),
        p(53.65, 7.43),
    ],
};
/// Skagenfiber West, Larvik – Skagen (telecom cable; Yi Peng 3 analogue).
pub const SKAGENFIBER_WEST: Asset = Asset {
    name: "Skagenfiber West (sim)",
    kind: AssetKind::Cable,
    line: &[
        p(59.08, 10.02),
        p(58.93, 10.01),
        p(58.35, 9.90),
        p(57.81, 9.90),
        p(57.59, 9.96),
    ],
};
/// Svalbard Undersea Cable System, Longyearbyen – Andøya (Melkart 5 case).
pub const SVALBARD_CABLE: Asset = Asset {
    name: "Svalbard cable (sim)",
    kind: AssetKind::Cable,
    line: &[
        p(78.25, 15.47),
        p(77.6, 13.8),
        p(74.5, 15.0),
        p(71.5, 15.6),
        p(69.3, 15.9),
    ],
};
/// Langeled, Nyhamna – Sleipner (gas pipeline; Nord Stream analogue).
pub const LANGELED: Asset = Asset {
    name: "Langeled (sim)",
    kind: AssetKind::Pipeline,
    line: &[
        p(62.84, 6.94),
        p(62.5, 5.2),
        p(61.5, 3.4),
        p(60.0, 2.6),
        p(58.37, 1.91),
    ],
};

/// Every asset the incidents use.
pub const ASSETS: &[Asset] = &[
    SKAGERRAK_HVDC,
    EUROPIPE_II,
    SKAGENFIBER_WEST,
    SVALBARD_CABLE,
    LANGELED,
];

/// The point of `line` at latitude `lat` (first segment spanning it).
pub fn point_at_lat(line: &[LatLon], lat: f64) -> LatLon {
    for w in line.windows(2) {
        let (a, b) = (w[0], w[1]);
        if (a.lat - lat) * (b.lat - lat) <= 0.0 && a.lat != b.lat {
            let f = (lat - a.lat) / (b.lat - a.lat);
            return LatLon::new(lat, a.lon + (b.lon - a.lon) * f);
        }
    }
    line[0]
}

/// The layer as a GeoJSON FeatureCollection (buffer 1 nm, the detectors'
/// default distance).
pub fn geojson() -> String {
    let features: Vec<_> = ASSETS
        .iter()
        .map(|a| {
            let coords: Vec<[f64; 2]> = a.line.iter().map(|q| [q.lon, q.lat]).collect();
            json!({
                "type": "Feature",
                "properties": {
                    "name": a.name,
                    "kind": match a.kind { AssetKind::Cable => "cable", AssetKind::Pipeline => "pipeline" },
                    "buffer_m": 1852,
                    "schematic": true,
                    "note": "varde-sim incident layer: schematic, not for operations",
                },
                "geometry": { "type": "LineString", "coordinates": coords },
            })
        })
        .collect();
    json!({
        "type": "FeatureCollection",
        "metadata": { "title": "Varde simulator incident infrastructure - SCHEMATIC", "license": "CC0" },
        "features": features,
    })
    .to_string()
}
