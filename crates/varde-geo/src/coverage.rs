//! Reception geography: where terrestrial AIS base stations hear a ship, and where only satellites do.
//!
//! A silence means little where only satellites listen (one pass every 90 minutes or so), and much
//! inside the coastal network. [`Geography::coverage`] answers "terrestrial or satellite?" for a
//! position from a grid built once (on the first query) from the rules below.
//!
//! # The built-in model
//! A position is under **terrestrial** coverage when any of these holds, and **satellite**-only
//! otherwise:
//! 1. **Coast**: within `range_nm` (default 40 nm) of a shore of the land layer south of 72° N, except
//!    Jan Mayen's. Kystverket's network of about 50 base stations covers "the coast from the baseline out
//!    to 40–60 nm" (BarentsWatch); 40 nm is the cautious end. The built-in land includes the Swedish,
//!    Danish (Skagerrak), Finnish and Russian shores near Norway, whose own networks cover them alike.
//!    The shoreline stands in for the baseline, which runs along the outermost islands and skerries.
//!    A replaced land layer is measured from instead; without a land layer this rule has no shore.
//! 2. **Stations** north of the mainland, each with the same `range_nm`: Longyearbyen, Ny-Ålesund,
//!    Bjørnøya and Hopen (see [`BUILTIN_STATIONS`]). Svalbard's newer wind- and solar-powered stations
//!    (Hinlopen, the north-west coast) are not included: add them as polygons. No station is assumed
//!    on Jan Mayen.
//! 3. **Regions** ringed by dense networks (see [`BUILTIN_REGIONS`]): the North Sea south of 61.5° N
//!    (six coastal states, and base stations on offshore installations closing the gap between coast
//!    and fields), the Kattegat and Danish straits, and the Baltic Sea (the HELCOM AIS network).
//!
//! Far offshore in the Norwegian Sea (68° N 0° E), the Barents Sea away from Bjørnøya and Hopen
//! (76° N 30° E) and north and east of Svalbard are satellite-only. So are the Haltenbanken and
//! Norne fields, more than 40 nm from the coast, since no offshore station is assumed there.
//!
//! The model covers latitudes [`DOMAIN_LAT`] and longitudes [`DOMAIN_LON`]; outside it (not Norway's
//! concern) every position counts as terrestrial, the engine's default. Cells are 0.05° of latitude by
//! 0.1° of longitude (about 5.6 km × 2–6 km), judged at their centres: the boundary is good to a few
//! kilometres, finer than the 40–60 nm uncertainty of the range itself.
//!
//! # Replacing it
//! `[geo.coverage]` in the configuration ([`CoverageConfig`]): `range_nm` changes the reach of rules 1
//! and 2; `terrestrial` (a GeoJSON of Polygon/MultiPolygon features, e.g. the coverage plot of your
//! own network) replaces the whole built-in model; `extra_terrestrial` adds polygons to either.

use std::path::PathBuf;
use std::sync::OnceLock;

use crate::area_grid::ring_edges;
use crate::error::{read_file, GeoError};
use crate::geography::Geography;
use crate::geojson_read::{read_features, Shape};
use crate::land::LandLayer;
use crate::sphere::{valid_lat_lon, LonLat, EARTH_RADIUS_M};

/// How a sea area is heard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Coverage {
    /// Within reach of terrestrial base stations: a ship is heard at its nominal reporting rate.
    Terrestrial,
    /// Satellite only: a ship is heard once per satellite pass.
    Satellite,
}

/// Latitudes the coverage model covers, degrees (outside: terrestrial, not modelled).
pub const DOMAIN_LAT: [f64; 2] = [54.0, 90.0];
/// Longitudes the coverage model covers, degrees (outside: terrestrial, not modelled).
pub const DOMAIN_LON: [f64; 2] = [-20.0, 45.0];
/// Default reach of terrestrial coverage from the coast and from stations, nautical miles.
pub const DEFAULT_COVERAGE_RANGE_NM: f64 = 40.0;
/// Shores north of this latitude (Svalbard, Franz Josef Land) are not coast for rule 1.
const COAST_MAX_LAT: f64 = 72.0;
/// Jan Mayen's shore (lat min, lat max, lon min, lon max) is not coast for rule 1.
const JAN_MAYEN: [f64; 4] = [70.5, 71.5, -9.5, -7.5];

/// Built-in terrestrial stations outside the mainland coast: (name, lat, lon) in degrees.
pub const BUILTIN_STATIONS: [(&str, f64, f64); 4] = [
    ("Longyearbyen", 78.22, 15.60),
    ("Ny-Ålesund", 78.93, 11.93),
    ("Bjørnøya", 74.50, 19.00),
    ("Hopen", 76.51, 25.01),
];

/// Built-in regions counted as terrestrial whatever the range: (name, [lat min, lat max, lon min,
/// lon max]) in degrees.
pub const BUILTIN_REGIONS: [(&str, [f64; 4]); 3] = [
    ("North Sea", [51.0, 61.5, -4.0, 9.0]),
    ("Kattegat and the Danish straits", [54.0, 58.0, 9.5, 13.0]),
    ("Baltic Sea", [53.5, 66.0, 13.0, 30.5]),
];

const DLAT: f64 = 0.05;
const DLON: f64 = 0.1;
const ROWS: usize = 720; // (90 − 54) / 0.05
const COLS: usize = 650; // (45 − −20) / 0.1
const WORDS: usize = COLS.div_ceil(64);

/// The `[geo.coverage]` section: how the coverage model is built (see the module documentation).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CoverageConfig {
    /// Reach of terrestrial coverage from the coast and from the built-in stations, nautical miles
    /// (default 40; Kystverket states 40–60).
    pub range_nm: f64,
    /// GeoJSON of Polygon/MultiPolygon features where terrestrial coverage exists; replaces the
    /// built-in model (coast, stations, regions) entirely.
    pub terrestrial: Option<PathBuf>,
    /// GeoJSON polygon files of terrestrial coverage added to the model (built-in or replaced).
    pub extra_terrestrial: Vec<PathBuf>,
}

impl Default for CoverageConfig {
    fn default() -> Self {
        CoverageConfig {
            range_nm: DEFAULT_COVERAGE_RANGE_NM,
            terrestrial: None,
            extra_terrestrial: Vec::new(),
        }
    }
}

/// A model and its grid, built on first use.
#[derive(Debug, Default)]
pub(crate) struct CoverageModel {
    /// Reach of the coast and station rules, metres.
    range_m: f64,
    /// Whether the built-in rules apply (false when `terrestrial` replaced them).
    builtin: bool,
    /// Terrestrial polygons from files (rings, even-odd).
    rings: Vec<Vec<LonLat>>,
    grid: OnceLock<Grid>,
}

impl CoverageModel {
    /// The built-in model with the default range.
    pub(crate) fn builtin() -> Self {
        CoverageModel {
            range_m: DEFAULT_COVERAGE_RANGE_NM * crate::NAUTICAL_MILE_M,
            builtin: true,
            rings: Vec::new(),
            grid: OnceLock::new(),
        }
    }

    /// The model `config` describes, reading its polygon files.
    pub(crate) fn from_config(config: &CoverageConfig) -> Result<Self, GeoError> {
        if !config.range_nm.is_finite() || config.range_nm < 0.0 || config.range_nm > 1_000.0 {
            return Err(GeoError::Config(format!(
                "geo.coverage.range_nm must be between 0 and 1000 nm, not {}",
                config.range_nm
            )));
        }
        let mut rings = Vec::new();
        let mut errors = Vec::new();
        for path in config.terrestrial.iter().chain(&config.extra_terrestrial) {
            match read_polygons(path) {
                Ok(r) => rings.extend(r),
                Err(e) => errors.push(e),
            }
        }
        match errors.len() {
            0 => Ok(CoverageModel {
                range_m: config.range_nm * crate::NAUTICAL_MILE_M,
                builtin: config.terrestrial.is_none(),
                rings,
                grid: OnceLock::new(),
            }),
            1 => Err(errors.remove(0)),
            _ => Err(GeoError::Multiple(errors)),
        }
    }

    /// The same model, not yet built (after the land it measures from changed).
    pub(crate) fn rebuilt(&self) -> Self {
        CoverageModel {
            range_m: self.range_m,
            builtin: self.builtin,
            rings: self.rings.clone(),
            grid: OnceLock::new(),
        }
    }

    /// Whether the model depends on the land layer.
    pub(crate) fn uses_land(&self) -> bool {
        self.builtin
    }

    fn grid(&self, land: Option<&LandLayer>) -> &Grid {
        self.grid.get_or_init(|| {
            let mut g = Grid::empty();
            if self.builtin {
                let rows = RowTrig::new();
                if let Some(land) = land {
                    for p in coast_points(land) {
                        g.mark_disc(&rows, p, self.range_m);
                    }
                }
                for (_, lat, lon) in BUILTIN_STATIONS {
                    g.mark_disc(&rows, [lon, lat], self.range_m);
                }
                for (_, b) in BUILTIN_REGIONS {
                    g.fill_box(b);
                }
            }
            g.fill_rings(&self.rings);
            g
        })
    }
}

impl Geography {
    /// Reception at the position: terrestrial or satellite-only, by the model configured with
    /// [`CoverageConfig`] (built-in: see the `coverage` module documentation). Positions outside the
    /// model's domain and bad positions count as terrestrial. The first call builds the model's grid
    /// (tens of milliseconds); every later one is a table lookup.
    pub fn coverage(&self, lat: f64, lon: f64) -> Coverage {
        if !valid_lat_lon(lat, lon)
            || !(DOMAIN_LAT[0]..=DOMAIN_LAT[1]).contains(&lat)
            || !(DOMAIN_LON[0]..=DOMAIN_LON[1]).contains(&lon)
        {
            return Coverage::Terrestrial;
        }
        if self.coverage.grid(self.land.as_deref()).get(lat, lon) {
            Coverage::Terrestrial
        } else {
            Coverage::Satellite
        }
    }
}

fn read_polygons(path: &std::path::Path) -> Result<Vec<Vec<LonLat>>, GeoError> {
    let layer = path.display().to_string();
    let mut rings = Vec::new();
    for f in read_features(&read_file(path)?).map_err(|e| GeoError::from_read(&layer, e))? {
        for s in f.shapes {
            if let Shape::Polygon(r) = s {
                rings.extend(r);
            }
        }
    }
    if rings.is_empty() {
        return Err(GeoError::EmptyLayer {
            layer,
            expected: "Polygon/MultiPolygon",
        });
    }
    Ok(rings)
}

/// Shore points for the coast rule, thinned to one per 0.02° × 0.04° cell (about 2 km): a shift of
/// at most that much moves the coverage edge by less than the grid's own resolution.
fn coast_points(land: &LandLayer) -> Vec<LonLat> {
    let mut pts: Vec<((i32, i32), LonLat)> = Vec::new();
    land.for_each_shore_point(|p| {
        let jan_mayen = (JAN_MAYEN[0]..=JAN_MAYEN[1]).contains(&p[1])
            && (JAN_MAYEN[2]..=JAN_MAYEN[3]).contains(&p[0]);
        if p[1] < COAST_MAX_LAT && !jan_mayen {
            let key = ((p[1] / 0.02).floor() as i32, (p[0] / 0.04).floor() as i32);
            pts.push((key, p));
        }
    });
    // Sorting by key and position makes the kept point independent of the index's iteration order.
    pts.sort_unstable_by(|a, b| {
        a.0.cmp(&b.0)
            .then(a.1[0].total_cmp(&b.1[0]))
            .then(a.1[1].total_cmp(&b.1[1]))
    });
    pts.dedup_by_key(|(k, _)| *k);
    pts.into_iter().map(|(_, p)| p).collect()
}

/// Sine and cosine of every row centre's latitude.
struct RowTrig(Vec<(f64, f64)>);

impl RowTrig {
    fn new() -> Self {
        RowTrig(
            (0..ROWS)
                .map(|r| row_centre(r).to_radians().sin_cos())
                .collect(),
        )
    }
}

/// One bit per cell, row-major, rows padded to whole words.
#[derive(Debug)]
struct Grid {
    bits: Vec<u64>,
}

fn row_centre(r: usize) -> f64 {
    DOMAIN_LAT[0] + (r as f64 + 0.5) * DLAT
}

impl Grid {
    fn empty() -> Self {
        Grid {
            bits: vec![0; ROWS * WORDS],
        }
    }

    fn get(&self, lat: f64, lon: f64) -> bool {
        let r = (((lat - DOMAIN_LAT[0]) / DLAT) as usize).min(ROWS - 1);
        let c = (((lon - DOMAIN_LON[0]) / DLON) as usize).min(COLS - 1);
        self.bits[r * WORDS + c / 64] >> (c % 64) & 1 == 1
    }

    /// Sets the cells of row `r` whose centres lie in `[lon_lo, lon_hi]`.
    fn set_lon_range(&mut self, r: usize, lon_lo: f64, lon_hi: f64) {
        let lo = ((lon_lo - DOMAIN_LON[0]) / DLON - 0.5).ceil().max(0.0);
        let hi = ((lon_hi - DOMAIN_LON[0]) / DLON - 0.5)
            .floor()
            .min((COLS - 1) as f64);
        // NaN bounds fail this test too.
        if lo.partial_cmp(&hi).is_none_or(|o| o.is_gt()) {
            return;
        }
        let (lo, hi) = (lo as usize, hi as usize);
        let row = &mut self.bits[r * WORDS..(r + 1) * WORDS];
        for (w, word) in row.iter_mut().enumerate().take(hi / 64 + 1).skip(lo / 64) {
            let from = lo.max(w * 64) - w * 64;
            let to = hi.min(w * 64 + 63) - w * 64;
            *word |= (u64::MAX >> (63 - to)) & (u64::MAX << from);
        }
    }

    /// Rows whose centres lie in `[lat_lo, lat_hi]`.
    fn rows(lat_lo: f64, lat_hi: f64) -> std::ops::Range<usize> {
        let lo = ((lat_lo - DOMAIN_LAT[0]) / DLAT - 0.5).ceil().max(0.0);
        let hi = ((lat_hi - DOMAIN_LAT[0]) / DLAT - 0.5)
            .floor()
            .min((ROWS - 1) as f64);
        if lo <= hi {
            lo as usize..hi as usize + 1
        } else {
            0..0
        }
    }

    /// Sets every cell whose centre is within `radius_m` (great circle) of `p`.
    fn mark_disc(&mut self, trig: &RowTrig, p: LonLat, radius_m: f64) {
        let delta = radius_m / EARTH_RADIUS_M;
        let (s0, c0) = p[1].to_radians().sin_cos();
        let cos_delta = delta.cos();
        let d_deg = delta.to_degrees();
        for r in Grid::rows(p[1] - d_deg, p[1] + d_deg) {
            let (s, c) = trig.0[r];
            let denom = c0 * c;
            let x = if denom > 1e-12 {
                (cos_delta - s0 * s) / denom
            } else {
                -1.0
            };
            if x > 1.0 {
                continue;
            }
            let half = if x <= -1.0 {
                180.0
            } else {
                x.acos().to_degrees()
            };
            self.set_lon_range(r, p[0] - half, p[0] + half);
        }
    }

    /// Sets every cell whose centre lies in the box `[lat min, lat max, lon min, lon max]`.
    fn fill_box(&mut self, b: [f64; 4]) {
        for r in Grid::rows(b[0], b[1]) {
            self.set_lon_range(r, b[2], b[3]);
        }
    }

    /// Sets every cell whose centre lies inside `rings` (even-odd), one scanline per row.
    fn fill_rings(&mut self, rings: &[Vec<LonLat>]) {
        let edges = ring_edges(rings);
        let (lo, hi) = edges
            .iter()
            .flatten()
            .fold((f64::MAX, f64::MIN), |(lo, hi), p| {
                (lo.min(p[1]), hi.max(p[1]))
            });
        let mut xs = Vec::new();
        for r in Grid::rows(lo, hi) {
            let y = row_centre(r);
            xs.clear();
            xs.extend(
                edges
                    .iter()
                    .filter(|[a, b]| (a[1] > y) != (b[1] > y))
                    .map(|[a, b]| a[0] + (y - a[1]) * (b[0] - a[0]) / (b[1] - a[1])),
            );
            xs.sort_by(f64::total_cmp);
            for pair in xs.chunks_exact(2) {
                // Centres strictly left of the second crossing: half-open like the even-odd test.
                self.set_lon_range(r, pair[0], pair[1] - 1e-9);
            }
        }
    }
}

#[cfg(test)]
mod tests;
