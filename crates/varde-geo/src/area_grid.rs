//! Point-in-polygon on a uniform lon/lat grid: the "is this point inside the area?" engine.
//!
//! Edges are straight in lon/lat (RFC 7946). The area is given by rings under the even-odd rule, so
//! holes and several parts need no orientation. At build time every grid cell records the edges that
//! touch it and whether its centre is inside (one horizontal scanline per row). A query walks from the
//! point to its cell's centre and flips the centre's state once per edge crossed: only the cell's own
//! edges can be crossed, so a lookup costs a few dozen orientation tests at most.

use crate::sphere::LonLat;

/// Most cells a grid may have (memory bound: about 4.25 bytes a cell).
const MAX_CELLS: f64 = 2_000_000.0;

/// An indexed area (one zone, or all of the land).
#[derive(Debug, Clone)]
pub(crate) struct AreaGrid {
    x0: f64,
    y0: f64,
    cw: f64,
    ch: f64,
    nx: usize,
    ny: usize,
    edges: Vec<[LonLat; 2]>,
    cell_start: Vec<u32>,
    cell_edges: Vec<u32>,
    /// Two bits a cell, four cells a byte: bit 0 whether the centre is inside, bit 1 whether any edge
    /// touches the cell. Most lookups land in a cell without edges and read only this small array
    /// (a quarter of a byte a cell stays in cache where `cell_start` does not).
    state: Vec<u8>,
}

const INSIDE: u8 = 1;
const HAS_EDGES: u8 = 2;

fn orient(a: LonLat, b: LonLat, c: LonLat) -> f64 {
    (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])
}

impl AreaGrid {
    /// Indexes `rings` (closed or not; closing edges are added). Returns `None` when there is no edge.
    pub(crate) fn new(rings: &[Vec<LonLat>]) -> Option<Self> {
        let edges = ring_edges(rings);
        if edges.is_empty() {
            return None;
        }
        let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
        for p in edges.iter().flatten() {
            (x0, y0, x1, y1) = (x0.min(p[0]), y0.min(p[1]), x1.max(p[0]), y1.max(p[1]));
        }
        // Cells roughly square on the ground, about eight per edge (a lookup walks a few edges: points
        // are queried on every fix), within MAX_CELLS.
        let aspect = (((y0 + y1) / 2.0).to_radians().cos()).max(0.1);
        let (w, h) = ((x1 - x0).max(1e-6), (y1 - y0).max(1e-6));
        let target = (8.0 * edges.len() as f64).clamp(64.0, MAX_CELLS);
        let ch = ((w * aspect * h) / target).sqrt().max(1e-4);
        let cw = ch / aspect;
        let nx = ((w / cw).ceil() as usize).max(1);
        let ny = ((h / ch).ceil() as usize).max(1);
        let mut grid = AreaGrid {
            x0,
            y0,
            cw,
            ch,
            nx,
            ny,
            edges,
            cell_start: Vec::new(),
            cell_edges: Vec::new(),
            state: vec![0; (nx * ny).div_ceil(4)],
        };
        grid.bin_edges();
        grid.scan_centres();
        Some(grid)
    }

    // `as usize` floors non-negative values and saturates negative ones (and NaN) to 0: the same as
    // `floor().max(0.0)` without the libm call.
    fn col(&self, x: f64) -> usize {
        (((x - self.x0) / self.cw) as usize).min(self.nx - 1)
    }

    fn row(&self, y: f64) -> usize {
        (((y - self.y0) / self.ch) as usize).min(self.ny - 1)
    }

    fn centre(&self, i: usize, j: usize) -> LonLat {
        [
            self.x0 + (i as f64 + 0.5) * self.cw,
            self.y0 + (j as f64 + 0.5) * self.ch,
        ]
    }

    /// Counting sort of edge ids into every cell their bounding box covers.
    fn bin_edges(&mut self) {
        fn cells(g: &AreaGrid, e: &[LonLat; 2]) -> impl Iterator<Item = usize> {
            let (i0, i1) = (g.col(e[0][0].min(e[1][0])), g.col(e[0][0].max(e[1][0])));
            let (j0, j1) = (g.row(e[0][1].min(e[1][1])), g.row(e[0][1].max(e[1][1])));
            let nx = g.nx;
            (j0..=j1).flat_map(move |j| (i0..=i1).map(move |i| j * nx + i))
        }
        let mut count = vec![0u32; self.nx * self.ny + 1];
        for e in &self.edges {
            for c in cells(self, e) {
                count[c + 1] += 1;
            }
        }
        for k in 1..count.len() {
            count[k] += count[k - 1];
        }
        let mut fill = count.clone();
        let mut cell_edges = vec![0u32; count[count.len() - 1] as usize];
        for (id, e) in self.edges.iter().enumerate() {
            for c in cells(self, e) {
                cell_edges[fill[c] as usize] = id as u32;
                fill[c] += 1;
            }
        }
        for c in 0..self.nx * self.ny {
            if count[c + 1] > count[c] {
                self.set_state(c, HAS_EDGES);
            }
        }
        self.cell_start = count;
        self.cell_edges = cell_edges;
    }

    fn cell_state(&self, cell: usize) -> u8 {
        (self.state[cell / 4] >> ((cell % 4) * 2)) & 3
    }

    fn set_state(&mut self, cell: usize, bits: u8) {
        self.state[cell / 4] |= bits << ((cell % 4) * 2);
    }

    /// Inside/outside of every cell centre by even-odd crossings of one scanline per row.
    fn scan_centres(&mut self) {
        let mut rows: Vec<Vec<f64>> = vec![Vec::new(); self.ny];
        for &[a, b] in &self.edges {
            let (lo, hi) = (a[1].min(b[1]), a[1].max(b[1]));
            let j0 = ((lo - self.y0) / self.ch - 0.5).ceil().max(0.0) as usize;
            for (j, row) in rows.iter_mut().enumerate().skip(j0) {
                let y = self.y0 + (j as f64 + 0.5) * self.ch;
                if y >= hi {
                    break;
                }
                if (a[1] > y) != (b[1] > y) {
                    row.push(a[0] + (y - a[1]) * (b[0] - a[0]) / (b[1] - a[1]));
                }
            }
        }
        for (j, xs) in rows.iter_mut().enumerate() {
            xs.sort_by(f64::total_cmp);
            let mut k = 0;
            for i in 0..self.nx {
                let x = self.centre(i, j)[0];
                while k < xs.len() && xs[k] < x {
                    k += 1;
                }
                if k % 2 == 1 {
                    self.set_state(j * self.nx + i, INSIDE);
                }
            }
        }
    }

    /// Whether the `[lon, lat]` point is inside the area. Points outside the grid are outside.
    pub(crate) fn contains(&self, p: LonLat) -> bool {
        let (xe, ye) = (
            self.x0 + self.cw * self.nx as f64,
            self.y0 + self.ch * self.ny as f64,
        );
        if !(p[0] >= self.x0 && p[0] <= xe && p[1] >= self.y0 && p[1] <= ye) {
            return false;
        }
        let (i, j) = (self.col(p[0]), self.row(p[1]));
        let cell = j * self.nx + i;
        let state = self.cell_state(cell);
        let mut inside = state & INSIDE != 0;
        if state & HAS_EDGES == 0 {
            return inside;
        }
        let c = self.centre(i, j);
        let ids =
            &self.cell_edges[self.cell_start[cell] as usize..self.cell_start[cell + 1] as usize];
        for &id in ids {
            let [a, b] = self.edges[id as usize];
            // Half-open rule: a vertex exactly on the line p–c counts as lying on its positive side.
            if (orient(p, c, a) > 0.0) != (orient(p, c, b) > 0.0)
                && (orient(a, b, p) > 0.0) != (orient(a, b, c) > 0.0)
            {
                inside = !inside;
            }
        }
        inside
    }
}

/// All edges of `rings`, closing each ring and skipping zero-length edges.
pub(crate) fn ring_edges(rings: &[Vec<LonLat>]) -> Vec<[LonLat; 2]> {
    let mut edges = Vec::new();
    for ring in rings.iter().filter(|r| r.len() >= 3) {
        for k in 0..ring.len() {
            let (a, b) = (ring[k], ring[(k + 1) % ring.len()]);
            if a != b {
                edges.push([a, b]);
            }
        }
    }
    edges
}

#[cfg(test)]
mod tests {
    use super::*;

    fn square(x0: f64, y0: f64, s: f64) -> Vec<LonLat> {
        vec![
            [x0, y0],
            [x0 + s, y0],
            [x0 + s, y0 + s],
            [x0, y0 + s],
            [x0, y0],
        ]
    }

    #[test]
    fn square_with_hole() {
        let g = AreaGrid::new(&[square(0.0, 60.0, 4.0), square(1.0, 61.0, 2.0)]).unwrap();
        assert!(g.contains([0.5, 60.5]));
        assert!(!g.contains([2.0, 62.0]), "inside the hole");
        assert!(!g.contains([5.0, 60.5]));
        assert!(!g.contains([-1.0, 60.5]));
    }

    #[test]
    fn matches_brute_force_on_a_star() {
        let star: Vec<LonLat> = (0..40)
            .map(|k| {
                let a = k as f64 * std::f64::consts::TAU / 40.0;
                let r = if k % 2 == 0 { 1.0 } else { 0.35 };
                [10.0 + r * a.cos(), 65.0 + r * a.sin()]
            })
            .collect();
        let g = AreaGrid::new(std::slice::from_ref(&star)).unwrap();
        let edges = ring_edges(std::slice::from_ref(&star));
        for i in 0..200 {
            for j in 0..200 {
                let p = [8.9 + i as f64 * 0.011, 63.9 + j as f64 * 0.011];
                let brute = edges
                    .iter()
                    .filter(|[a, b]| (a[1] > p[1]) != (b[1] > p[1]))
                    .filter(|[a, b]| a[0] + (p[1] - a[1]) * (b[0] - a[0]) / (b[1] - a[1]) < p[0])
                    .count()
                    % 2
                    == 1;
                assert_eq!(g.contains(p), brute, "{p:?}");
            }
        }
    }

    #[test]
    fn no_rings_no_grid() {
        assert!(AreaGrid::new(&[]).is_none());
        assert!(AreaGrid::new(&[vec![[0.0, 0.0], [1.0, 1.0]]]).is_none());
    }
}
