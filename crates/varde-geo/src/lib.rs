//! Geography for the Varde watch engine: Norway's maritime zones, land, ports and critical
//! infrastructure, with point queries that cost microseconds.
//!
//! ```no_run
//! let geo = varde_geo::Geography::norway();
//! let zone = geo.innermost_zone(60.6433, 3.7214); // Troll A
//! assert_eq!(zone.map(|z| z.kind), Some(varde_geo::ZoneKind::Eez));
//! let beached = geo.on_land(61.5, 9.0, 500.0); // more than 500 m inside land?
//! # let _ = beached;
//! ```
//!
//! Positions are `(lat, lon)` in degrees WGS 84; distances are metres on a sphere of mean Earth radius.
//! The built-in layers are approximations derived from OpenStreetMap (© OpenStreetMap contributors,
//! ODbL); every built-in zone has `approximate: true`. See `data/geo/README.md` for sources and
//! accuracy, and replace them with official data through [`GeoConfig`].
//!
//! # Infrastructure kinds
//! Every feature of an infrastructure layer gets an [`AssetKind`] by these rules, first match wins
//! ([`KindRule`] records which):
//! 1. the layer's **override** (`{ path, kind }` in [`GeoConfig::infrastructure`], `--layer FILE:KIND`,
//!    see [`LayerSpec`]);
//! 2. the feature's **properties** `kind`, `asset_kind`, `type`, `category`, `asset_type`,
//!    `cable_type`, `infrastructure`, `medium`, read by the word rules of [`AssetKind::parse_loose`]
//!    (`Power cable`, `HVDC`, `interconnector` → power cable; `Telecommunication`, `fibre` → cable;
//!    `MULTI WELL TEMPLATE` → subsea structure; `JACKET 4 LEGS`, `FPSO` → platform; …); a `medium`
//!    (Sodir's pipelines: `Gas`, `Oil`, `Condensate`, `Water`, `Injection`) that names nothing else
//!    makes a pipeline;
//! 3. the layer's **file name** by the same word rules;
//! 4. else **unclassified**: kept as [`AssetKind::Other`] and listed by
//!    [`Geography::infrastructure_summary`], which `varde replay` and `varde serve` print at start-up.
//!
//! The watch engine sees [`AssetKind::watch_kind`]: power cables and HVDC links are `cable`, so
//! Estlink-like power cables are linear assets to every detector, as telecom cables and pipelines are.
//!
//! # Coverage
//! [`Geography::coverage`] says whether terrestrial AIS base stations hear a position or only
//! satellites do: terrestrial within `range_nm` (40 nm) of the coast south of 72° N (Kystverket's
//! network reaches 40–60 nm from the baseline) and of the stations at Longyearbyen, Ny-Ålesund,
//! Bjørnøya and Hopen, and in the North Sea, Kattegat and Baltic; satellite elsewhere (far offshore in
//! the Norwegian Sea, the Barents Sea, around Jan Mayen, north and east of Svalbard). A grid built on
//! the first query answers by table lookup. Replace or extend it with [`CoverageConfig`] (a range, or
//! GeoJSON polygons of terrestrial coverage); details in the `coverage` module and
//! `data/geo/README.md`.
//!
//! # Layout
//! - `geography`: [`Geography`] (the layer set), [`GeoConfig`], the embedded built-in data and loading
//!   user files.
//! - `builtin`: the embedded built-in layer files as bytes (for clients that draw them, e.g. the web
//!   map; `Geography::norway()` parses the same bytes).
//! - `query`: the point queries on [`Geography`] (zones, land, ports, assets).
//! - `zones`: [`ZoneKind`], [`Region`], [`Zone`] and the zone layer.
//! - `land`: the land layer (containment plus shoreline distance).
//! - `ports`: [`Port`] and the port layer (CSV or GeoJSON).
//! - `infra`: [`Asset`] and the infrastructure layer.
//! - `asset_kind`: [`AssetKind`], its names and the word rules for free text.
//! - `classify`: how a feature's kind is decided ([`KindRule`]).
//! - `layer_spec`: [`LayerSpec`], an infrastructure file with an optional kind override.
//! - `summary`: [`InfraSummary`], the kinds loaded and the unclassified features.
//! - `coverage`: [`Coverage`], [`CoverageConfig`] and the terrestrial/satellite grid.
//! - `area_grid`: point-in-polygon on a uniform lon/lat grid (the containment engine).
//! - `segment_index`: nearest-segment R-tree on the unit sphere (the distance engine).
//! - `geojson_read`: a lean GeoJSON reader into plain coordinate vectors.
//! - `props`: reading names, ids, numbers and flags from GeoJSON properties.
//! - `sphere`: unit vectors, chord/arc conversion, haversine (Earth radius and distance from the shared
//!   `varde-sphere` crate).
//! - `error`: [`GeoError`].
//!
//! # Why hand-written geometry instead of `geo`
//! The queries need only two primitives: point-in-polygon and point-to-segment distance. `geo`'s
//! `Contains` walks every edge of a polygon (the Norwegian land polygon has ~10⁵ edges), and its
//! distances are planar in degrees. A per-cell edge grid answers containment with a handful of
//! orientation tests, and an R-tree over 3-D chords gives exact spherical nearest-neighbour search
//! without a projection, in about 300 lines and no extra dependency.

mod area_grid;
pub mod arrivals;
mod asset_kind;
pub mod builtin;
mod classify;
mod coverage;
mod error;
mod geography;
mod geojson_read;
mod infra;
mod land;
mod layer_spec;
mod piece_grid;
mod ports;
mod props;
mod query;
mod segment_index;
mod sphere;
mod summary;
#[cfg(test)]
mod test_rng;
mod zones;

pub use asset_kind::AssetKind;
pub use classify::KindRule;
pub use coverage::{
    Coverage, CoverageConfig, BUILTIN_REGIONS, BUILTIN_STATIONS, DEFAULT_COVERAGE_RANGE_NM,
    DOMAIN_LAT, DOMAIN_LON,
};
pub use error::GeoError;
pub use geography::{GeoConfig, Geography, DEMO_INFRASTRUCTURE_LAYER};
pub use infra::{Asset, DEFAULT_BUFFER_M};
pub use layer_spec::LayerSpec;
pub use ports::{Port, DEFAULT_PORT_RADIUS_M};
pub use sphere::haversine_m;
pub use summary::{InfraSummary, Unclassified};
pub use varde_sphere::EARTH_RADIUS_M;
pub use zones::{Region, Zone, ZoneKind};

/// One nautical mile in metres (`varde_sphere::NM_M`).
pub const NAUTICAL_MILE_M: f64 = varde_sphere::NM_M;
