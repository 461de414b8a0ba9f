//! How far every point of a small lon/lat cell is from land's shore, the nearest asset and the
//! nearest port's area, worked out once per cell the traffic visits: most fixes are far out at sea,
//! and for them [`super::geo::GeoAdapter`] answers "not on land", "no asset within the radius" and
//! "no port within reach" from the cell without asking the geography.
//!
//! The answers are the geography's, whatever the cache holds: a cell only ever skips a query whose
//! result is certain to be empty. A clearance is the centre's distance to the nearest shore (asset,
//! port area) less the farthest a point of the cell can be from its centre and a margin
//! ([`MARGIN_M`], far above the geography's own rounding: pieces densified to 5 km lie within a metre
//! of the lon/lat edges that containment tests). The distance from a point to a set moves no faster
//! than the point, so every point of the cell is at least that far away, and on the same side of every
//! shore as the centre.

use std::cell::RefCell;
use varde_geo::Geography;
use varde_sphere::distance_m;
use varde_watch::picture::FxMap;

/// Height of a cell, degrees of latitude (~2.2 km).
const CELL_LAT_DEG: f64 = 0.02;
/// Width of a cell, degrees of longitude (~2.2 km at 60° N).
const CELL_LON_DEG: f64 = 0.04;
/// Taken off every clearance, metres.
const MARGIN_M: f64 = 200.0;
/// Farthest a port is looked for from a cell's centre, metres: beyond it the cell is clear of ports
/// by at least this much (less the cell's size). Twice the farthest any detector asks by default
/// (`rendezvous.min_port_distance_m`, 10 km).
pub const PORT_SEARCH_M: f64 = 20_000.0;
/// Cells kept at most; the cache starts afresh past it (answers do not depend on what it holds).
const MAX_CELLS: usize = 1 << 18;
/// Fixes this far from the poles and the antimeridian use the cache; others ask the geography.
const MAX_LAT: f64 = 85.0;
const MAX_LON: f64 = 179.0;

/// One cell's clearances, metres (negative: none; NaN: not worked out yet). Single precision: its
/// rounding (millimetres) is far inside the margin.
#[derive(Debug, Clone, Copy)]
struct Cell {
    /// Every point of the cell is at sea (outside every land polygon) and at least this far from a shore.
    sea_m: f32,
    /// Every point of the cell is at least this far from every asset.
    asset_m: f32,
    /// Every point of the cell is at least this far outside every port's area (distance less radius).
    port_m: f32,
}

/// The clearance cache of one geography, by [`cell_key`]: 16 bytes a slot (a `u64` key made it
/// 24). Traffic spread over a country's waters visits about a cell a vessel, so this is memory per
/// vessel (issue 10).
#[derive(Debug, Default)]
pub struct Clearances {
    cells: RefCell<FxMap<u32, Cell>>,
}

/// Bits of a cell's longitude index in its key (inside [`MAX_LON`] and [`MAX_LAT`] the indices
/// stay below 9,000 and 8,800).
const KEY_LON_BITS: u32 = 14;
const _: () = assert!(((180.0 + MAX_LON) / CELL_LON_DEG) < (1u32 << KEY_LON_BITS) as f64);
const _: () = assert!(((90.0 + MAX_LAT) / CELL_LAT_DEG) < (1u32 << (32 - KEY_LON_BITS)) as f64);

/// The key of cell `(i, j)` (latitude and longitude index; both below 2^14 for every position
/// the cache covers).
fn cell_key(i: u32, j: u32) -> u32 {
    (i << KEY_LON_BITS) | j
}

impl Clearances {
    /// Whether every point of `(lat, lon)`'s cell is at sea: `land_depth_m` is `None` there.
    pub fn at_sea(&self, geo: &Geography, lat: f64, lon: f64) -> bool {
        self.with(geo, lat, lon, |c, _| c.sea_m > 0.0)
    }

    /// Whether every asset is more than `radius_m` from `(lat, lon)`.
    pub fn no_asset_within(&self, geo: &Geography, lat: f64, lon: f64, radius_m: f64) -> bool {
        self.with(geo, lat, lon, |c, _| f64::from(c.asset_m) > radius_m)
    }

    /// Whether `(lat, lon)` is more than `within_m` outside every port's area.
    pub fn no_port_within(
        &self,
        geo: &Geography,
        lat: f64,
        lon: f64,
        within_m: f64,
        port_m: impl FnOnce(f64, f64) -> Option<f64>,
    ) -> bool {
        self.with(geo, lat, lon, |c, (i, j)| {
            if c.port_m.is_nan() {
                let (lat, lon, lost) = cell_centre(i, j);
                c.port_m = (port_m(lat, lon).map_or(PORT_SEARCH_M, |d| d) - lost) as f32;
            }
            f64::from(c.port_m) > within_m
        })
    }

    /// Runs `f` on the cell of `(lat, lon)` (worked out first if new) and its grid index; false for
    /// a position the cache does not cover.
    fn with(
        &self,
        geo: &Geography,
        lat: f64,
        lon: f64,
        f: impl FnOnce(&mut Cell, (u32, u32)) -> bool,
    ) -> bool {
        if !(lat.abs() <= MAX_LAT && lon.abs() <= MAX_LON) {
            return false;
        }
        // Truncation is the floor here (both are positive), without a call to libm's `floor`. A
        // point a rounding error outside its cell is well within the margin.
        let (i, j) = (
            ((lat + 90.0) * (1.0 / CELL_LAT_DEG)) as u32,
            ((lon + 180.0) * (1.0 / CELL_LON_DEG)) as u32,
        );
        let key = cell_key(i, j);
        let mut cells = self.cells.borrow_mut();
        if cells.len() >= MAX_CELLS && !cells.contains_key(&key) {
            cells.clear();
        }
        let cell = cells
            .entry(key)
            .or_insert_with(|| work_out(geo, cell_centre(i, j)));
        f(cell, (i, j))
    }
}

/// The centre of cell `(i, j)` and the clearance lost to the cell's size: the farthest corner's
/// distance from the centre, plus [`MARGIN_M`].
fn cell_centre(i: u32, j: u32) -> (f64, f64, f64) {
    let (lat0, lon0) = (
        f64::from(i) * CELL_LAT_DEG - 90.0,
        f64::from(j) * CELL_LON_DEG - 180.0,
    );
    let (lat1, lon1) = (lat0 + CELL_LAT_DEG, lon0 + CELL_LON_DEG);
    let (clat, clon) = ((lat0 + lat1) / 2.0, (lon0 + lon1) / 2.0);
    let reach = [(lat0, lon0), (lat0, lon1), (lat1, lon0), (lat1, lon1)]
        .iter()
        .map(|&(a, b)| distance_m(clat, clon, a, b))
        .fold(0.0, f64::max);
    (clat, clon, reach + MARGIN_M)
}

fn work_out(geo: &Geography, (lat, lon, lost): (f64, f64, f64)) -> Cell {
    let sea_m = if !geo.has_land() {
        f64::INFINITY
    } else {
        match geo.distance_to_land_m(lat, lon) {
            Some(d) if d > 0.0 => d - lost,
            _ => -1.0,
        }
    };
    let asset_m = match geo.nearest_asset(lat, lon, f64::INFINITY) {
        Some((_, d)) => d - lost,
        None if geo.assets().is_empty() => f64::INFINITY,
        None => -1.0,
    };
    Cell {
        sea_m: sea_m as f32,
        asset_m: asset_m as f32,
        port_m: f32::NAN,
    }
}
