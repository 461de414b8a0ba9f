//! A uniform lon/lat grid over the pieces of a [`crate::segment_index::SegmentIndex`], for
//! within-distance queries of small radius (a nautical mile round a fix, a port's radius).
//!
//! Every cell lists the pieces whose lon/lat bounding box touches it. A query covers the cells of a
//! conservative lon/lat box round the search circle and tests exactly the pieces listed there with the
//! same chord distance as the R-tree, so it returns the same items with the same distances. Far from
//! every piece (the usual case at sea) a query costs a few cell lookups and allocates nothing.

use crate::sphere::{LonLat, EARTH_RADIUS_M};

/// Most cells a grid may have (4 bytes of offsets a cell).
const MAX_CELLS: f64 = 1_000_000.0;
/// Smallest cell height in degrees of latitude (about 5.6 km).
const MIN_CELL_DEG: f64 = 0.05;
/// Metres per degree of latitude, rounded down so that degree spans derived from it err wide.
const M_PER_DEG_LOW: f64 = 111_000.0;
/// Queries reaching this close to a pole go to the R-tree (longitude spans blow up there).
const MAX_ABS_LAT: f64 = 85.0;

/// `1 / cos(d°)` for whole degrees `d` up to [`MAX_ABS_LAT`] + 1 (rounded up, so spans err wide).
static INV_COS_DEG: [f64; 87] = {
    // cos by its Taylor series (const context: no libm); ample terms for 5e-16 below 86°, then a
    // relative margin of 1e-9.
    let mut t = [0.0; 87];
    let mut d = 0;
    while d < 87 {
        let x = d as f64 * std::f64::consts::PI / 180.0;
        let (mut term, mut sum, mut k) = (1.0, 1.0, 1);
        while k < 40 {
            term = -term * x * x / ((2 * k - 1) as f64 * (2 * k) as f64);
            sum += term;
            k += 1;
        }
        t[d] = (1.0 + 1e-9) / sum;
        d += 1;
    }
    t
};

/// Cells of pieces, by piece index.
#[derive(Debug, Clone)]
pub(crate) struct PieceGrid {
    lon0: f64,
    lat0: f64,
    cw: f64,
    ch: f64,
    /// `1 / cw` and `1 / ch`: cells by multiplication (the same arithmetic everywhere, so monotone).
    inv_cw: f64,
    inv_ch: f64,
    nx: usize,
    ny: usize,
    cell_start: Vec<u32>,
    cell_pieces: Vec<u32>,
    /// Per cell: whether some piece lies within [`NEAR_M`] of some point of it (conservatively).
    /// Empty when the dilated boxes would reach a pole or the antimeridian.
    near: Vec<bool>,
}

/// Queries whose reach is within this many metres are answered from the point's own cell when that
/// cell is not `near` any piece (the usual case at sea): one lookup. Covers the asset radius round a
/// fix (1 nm) and the port radii (up to 4 km built in).
const NEAR_M: f64 = 6_000.0;

/// Cells a query must look at: inclusive column and row ranges.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct CellRange {
    i0: usize,
    i1: usize,
    j0: usize,
    j1: usize,
}

/// What the grid can say about a query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Lookup {
    /// Nothing of the grid lies near the point.
    Empty,
    /// Only pieces listed in these cells can be within the radius.
    Cells(CellRange),
    /// The grid cannot answer (near a pole or the antimeridian): ask the R-tree.
    Unsure,
}

/// A lon/lat box grown by `reach_m` metres on every side, conservatively (wide, never narrow);
/// `None` when it would come within [`MAX_ABS_LAT`] of a pole or cross the antimeridian.
fn grown(b: &[f64; 4], reach_m: f64) -> Option<[f64; 4]> {
    let dlat = reach_m / M_PER_DEG_LOW;
    let (y0, y1) = (b[1] - dlat, b[3] + dlat);
    if !(y0 >= -MAX_ABS_LAT && y1 <= MAX_ABS_LAT) {
        return None;
    }
    // 1 / cos of the highest latitude reached, rounded up to the next whole degree (a table lookup;
    // `as usize` floors without a libm call).
    let dlon = dlat * INV_COS_DEG[y0.abs().max(y1.abs()) as usize + 1];
    let (x0, x1) = (b[0] - dlon, b[2] + dlon);
    (x0 >= -180.0 && x1 <= 180.0).then_some([x0, y0, x1, y1])
}

impl PieceGrid {
    /// Bins pieces by their `[lon_min, lat_min, lon_max, lat_max]` boxes. `None` when there is no piece
    /// or a box leaves the ordinary lon/lat range (the grid does not wrap round the antimeridian).
    pub(crate) fn new(boxes: &[[f64; 4]]) -> Option<Self> {
        let ok = |b: &[f64; 4]| {
            b.iter().all(|v| v.is_finite())
                && b[0] >= -180.0
                && b[2] <= 180.0
                && b[1] >= -90.0
                && b[3] <= 90.0
                && b[0] <= b[2]
                && b[1] <= b[3]
        };
        if boxes.is_empty() || !boxes.iter().all(ok) {
            return None;
        }
        // With the near mask the grid spans the grown boxes, so a point outside it is far from all.
        let grown: Option<Vec<[f64; 4]>> = boxes.iter().map(|b| grown(b, NEAR_M)).collect();
        let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
        for b in grown.as_deref().unwrap_or(boxes) {
            (x0, y0, x1, y1) = (x0.min(b[0]), y0.min(b[1]), x1.max(b[2]), y1.max(b[3]));
        }
        let aspect = ((y0 + y1) / 2.0).to_radians().cos().max(0.1);
        let (w, h) = ((x1 - x0).max(1e-6), (y1 - y0).max(1e-6));
        let ch = ((w * aspect * h) / MAX_CELLS).sqrt().max(MIN_CELL_DEG);
        let cw = ch / aspect;
        let nx = ((w / cw).ceil() as usize).max(1);
        let ny = ((h / ch).ceil() as usize).max(1);
        let mut g = PieceGrid {
            lon0: x0,
            lat0: y0,
            cw,
            ch,
            inv_cw: 1.0 / cw,
            inv_ch: 1.0 / ch,
            nx,
            ny,
            cell_start: Vec::new(),
            cell_pieces: Vec::new(),
            near: Vec::new(),
        };
        let range = |g: &PieceGrid, b: &[f64; 4]| g.clamped(b[0], b[1], b[2], b[3]);
        let mut count = vec![0u32; nx * ny + 1];
        for b in boxes {
            if let Some(r) = range(&g, b) {
                r.for_each(nx, |c| count[c + 1] += 1);
            }
        }
        for k in 1..count.len() {
            count[k] += count[k - 1];
        }
        let mut fill = count.clone();
        let mut cell_pieces = vec![0u32; count[count.len() - 1] as usize];
        for (id, b) in boxes.iter().enumerate() {
            if let Some(r) = range(&g, b) {
                r.for_each(nx, |c| {
                    cell_pieces[fill[c] as usize] = id as u32;
                    fill[c] += 1;
                });
            }
        }
        if let Some(grown) = &grown {
            let mut near = vec![false; nx * ny];
            for b in grown {
                if let Some(r) = range(&g, b) {
                    r.for_each(nx, |c| near[c] = true);
                }
            }
            g.near = near;
        }
        g.cell_start = count;
        g.cell_pieces = cell_pieces;
        Some(g)
    }

    fn col(&self, x: f64) -> usize {
        // `as usize` floors non-negative values and saturates negative ones (and NaN) to 0: the same
        // as `floor().max(0.0)` without the libm call.
        (((x - self.lon0) * self.inv_cw) as usize).min(self.nx - 1)
    }

    fn row(&self, y: f64) -> usize {
        (((y - self.lat0) * self.inv_ch) as usize).min(self.ny - 1)
    }

    /// The cells overlapping a lon/lat box, clamped to the grid; `None` when the box misses the grid.
    fn clamped(&self, x0: f64, y0: f64, x1: f64, y1: f64) -> Option<CellRange> {
        let (xe, ye) = (
            self.lon0 + self.cw * self.nx as f64,
            self.lat0 + self.ch * self.ny as f64,
        );
        if x1 < self.lon0 || y1 < self.lat0 || x0 > xe || y0 > ye {
            return None;
        }
        Some(CellRange {
            i0: self.col(x0),
            i1: self.col(x1),
            j0: self.row(y0),
            j1: self.row(y1),
        })
    }

    /// The cells holding every piece that may lie within `radius_m` of `p` (`[lon, lat]`).
    pub(crate) fn lookup(&self, p: LonLat, radius_m: f64) -> Lookup {
        let (lon, lat) = (p[0], p[1]);
        // Wide on purpose: 1 % plus 100 m covers chord/arc and lon/lat-line/great-circle differences.
        let reach = radius_m * 1.01 + 100.0;
        if reach <= NEAR_M && !self.near.is_empty() {
            // Every grown box lies inside the grid: outside it, or in a cell no grown box touches,
            // nothing is within NEAR_M.
            let (xe, ye) = (
                self.lon0 + self.cw * self.nx as f64,
                self.lat0 + self.ch * self.ny as f64,
            );
            if !(lon >= self.lon0 && lon <= xe && lat >= self.lat0 && lat <= ye) {
                return Lookup::Empty;
            }
            if !self.near[self.row(lat) * self.nx + self.col(lon)] {
                return Lookup::Empty;
            }
        }
        if !(lon.is_finite() && lat.is_finite() && reach.is_finite())
            || reach > 0.05 * EARTH_RADIUS_M
        {
            return Lookup::Unsure;
        }
        let Some([x0, y0, x1, y1]) = grown(&[lon, lat, lon, lat], reach) else {
            return Lookup::Unsure;
        };
        match self.clamped(x0, y0, x1, y1) {
            None => Lookup::Empty,
            Some(r) => {
                let mut any = false;
                r.for_each(self.nx, |c| {
                    any |= self.cell_start[c] != self.cell_start[c + 1];
                });
                if any {
                    Lookup::Cells(r)
                } else {
                    Lookup::Empty
                }
            }
        }
    }

    /// Calls `f` with every piece listed in the cells of `r` (a piece spanning several cells comes
    /// once per cell).
    pub(crate) fn pieces(&self, r: CellRange, mut f: impl FnMut(u32)) {
        r.for_each(self.nx, |c| {
            let (s, e) = (self.cell_start[c] as usize, self.cell_start[c + 1] as usize);
            self.cell_pieces[s..e].iter().for_each(|&id| f(id));
        });
    }
}

impl CellRange {
    fn for_each(self, nx: usize, mut f: impl FnMut(usize)) {
        for j in self.j0..=self.j1 {
            for i in self.i0..=self.i1 {
                f(j * nx + i);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_far_away_and_cells_nearby() {
        let g = PieceGrid::new(&[[5.0, 60.0, 5.01, 60.01], [10.0, 70.0, 10.0, 70.0]]).unwrap();
        assert_eq!(g.lookup([20.0, 60.0], 1852.0), Lookup::Empty);
        assert_eq!(g.lookup([7.5, 65.0], 1852.0), Lookup::Empty);
        assert!(matches!(g.lookup([5.02, 60.0], 1852.0), Lookup::Cells(_)));
        let mut seen = Vec::new();
        if let Lookup::Cells(r) = g.lookup([10.01, 70.0], 1852.0) {
            g.pieces(r, |id| seen.push(id));
        }
        assert_eq!(seen, vec![1]);
        // Far outside the grid: nothing near, wherever it is.
        assert_eq!(g.lookup([179.99, 60.0], 1852.0), Lookup::Empty);
        assert_eq!(g.lookup([5.0, 89.0], 1852.0), Lookup::Empty);
        // Beyond the near mask's reach the grid hands over near a pole or the antimeridian.
        assert_eq!(g.lookup([179.99, 60.0], 20_000.0), Lookup::Unsure);
        assert_eq!(g.lookup([5.0, 89.0], 20_000.0), Lookup::Unsure);
        // Next to a piece's cell the mask says "near" and the cells decide.
        assert!(matches!(
            g.lookup([5.05, 60.0], 1852.0),
            Lookup::Empty | Lookup::Cells(_)
        ));
    }

    #[test]
    fn inverse_cosine_table() {
        for (d, v) in INV_COS_DEG.iter().enumerate() {
            let exact = 1.0 / (d as f64).to_radians().cos();
            assert!(
                *v >= exact && *v < exact * (1.0 + 1e-8),
                "{d}: {v} vs {exact}"
            );
        }
    }

    #[test]
    fn no_grid_across_the_antimeridian() {
        assert!(PieceGrid::new(&[[179.0, 60.0, 181.0, 60.0]]).is_none());
        assert!(PieceGrid::new(&[]).is_none());
    }
}
