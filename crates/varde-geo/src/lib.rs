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
//! # Layout
//! - `geography`: [`Geography`] (the layer set), [`GeoConfig`], the embedded built-in data and loading
//!   user files.
//! - `builtin`: the embedded built-in layer files as bytes (for clients that draw them, e.g. the web
//!   map; `Geography::norway()` parses the same bytes).
//! - `query`: the point queries on [`Geography`] (zones, land, ports, assets).
//! - `zones`: [`ZoneKind`], [`Region`], [`Zone`] and the zone layer.
//! - `land`: the land layer (containment plus shoreline distance).
//! - `ports`: [`Port`] and the port layer (CSV or GeoJSON).
//! - `infra`: [`Asset`], [`AssetKind`] and the infrastructure layer.
//! - `area_grid`: point-in-polygon on a uniform lon/lat grid (the containment engine).
//! - `segment_index`: nearest-segment R-tree on the unit sphere (the distance engine).
//! - `geojson_read`: a lean GeoJSON reader into plain coordinate vectors.
//! - `props`: reading names, ids, numbers and flags from GeoJSON properties.
//! - `sphere`: unit vectors, chord/arc conversion, haversine.
//! - `error`: [`GeoError`].
//!
//! # Why hand-written geometry instead of `geo`
//! The queries need only two primitives: point-in-polygon and point-to-segment distance. `geo`'s
//! `Contains` walks every edge of a polygon (the Norwegian land polygon has ~10⁵ edges), and its
//! distances are planar in degrees. A per-cell edge grid answers containment with a handful of
//! orientation tests, and an R-tree over 3-D chords gives exact spherical nearest-neighbour search
//! without a projection, in about 300 lines and no extra dependency.

mod area_grid;
pub mod builtin;
mod error;
mod geography;
mod geojson_read;
mod infra;
mod land;
mod piece_grid;
mod ports;
mod props;
mod query;
mod segment_index;
mod sphere;
#[cfg(test)]
mod test_rng;
mod zones;

pub use error::GeoError;
pub use geography::{GeoConfig, Geography, DEMO_INFRASTRUCTURE_LAYER};
pub use infra::{Asset, AssetKind, DEFAULT_BUFFER_M};
pub use ports::{Port, DEFAULT_PORT_RADIUS_M};
pub use sphere::{haversine_m, EARTH_RADIUS_M};
pub use zones::{Region, Zone, ZoneKind};

/// One nautical mile in metres.
pub const NAUTICAL_MILE_M: f64 = 1_852.0;
