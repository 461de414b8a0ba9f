//! The built-in Norway layers as GeoJSON / CSV bytes, for clients that draw
//! them (the web map) rather than query them.

/// Norway's maritime zones (see `data/geo/README.md` for sources and accuracy).
pub const ZONES_GEOJSON: &[u8] = include_bytes!("../../../data/geo/norway_zones.geojson");
/// Land polygons.
pub const LAND_GEOJSON: &[u8] = include_bytes!("../../../data/geo/norway_land.geojson");
/// Coarse land of the whole region (lon −45…60, lat 50…85: the neighbours from Greenland to Russia
/// and the UK to Svalbard; Natural Earth 1:10m, public domain), simplified to about 2 km, for drawing only: the detectors use
/// [`LAND_GEOJSON`]. Derived by `scripts/geo/build-region-land` (see `data/geo/README.md`).
pub const REGION_LAND_GEOJSON: &[u8] = include_bytes!("../../../data/geo/region_land.geojson");
/// Ports (`name,country,lat,lon,radius_m`).
pub const PORTS_CSV: &str = include_str!("../../../data/geo/ports_norway.csv");
/// The world's ports outside Norway (`name,country,lat,lon,radius_m,unlocode`), derived by
/// `scripts/geo/build-world-ports` from PyPI `searoute` 1.6.0 (Apache-2.0; see `data/geo/README.md`).
pub const WORLD_PORTS_CSV: &str = include_str!("../../../data/geo/ports_world.csv");
/// The schematic demo infrastructure layer (not for operations).
pub const DEMO_INFRASTRUCTURE_GEOJSON: &[u8] =
    include_bytes!("../../../data/geo/demo_infrastructure_schematic.geojson");
