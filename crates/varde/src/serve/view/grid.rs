//! A fixed grid of half-degree cells over the globe: which vessels lie in a box, without looking at
//! the vessels outside it.

use std::collections::HashMap;
use varde_store::BBox;

/// Cell edge, degrees.
const CELL_DEG: f64 = 0.5;
/// Cells around a parallel.
const COLS: u32 = (360.0 / CELL_DEG) as u32;
/// Cells along a meridian.
const ROWS: u32 = (180.0 / CELL_DEG) as u32;

/// One vessel in a cell: its MMSI, its slot in the view and its position (so a box is checked
/// and answered without another lookup).
#[derive(Debug, Clone, Copy, PartialEq)]
struct Point {
    mmsi: u32,
    slot: u32,
    lat: f64,
    lon: f64,
}

/// Vessels by cell. Only occupied cells are kept.
#[derive(Debug, Default)]
pub struct Grid {
    cells: HashMap<u32, Vec<Point>>,
}

/// The cell of a position (positions outside the globe's range are clamped to its edge cells).
pub fn cell_of(lat: f64, lon: f64) -> u32 {
    let row = (((lat + 90.0) / CELL_DEG).floor().max(0.0) as u32).min(ROWS - 1);
    let col = (((lon + 180.0) / CELL_DEG).floor().max(0.0) as u32).min(COLS - 1);
    row * COLS + col
}

impl Grid {
    /// Puts `mmsi` (held in `slot`) at a position; `old` is the cell it was in (from an earlier
    /// `place`). Returns its cell now.
    pub fn place(&mut self, mmsi: u32, slot: u32, old: Option<u32>, lat: f64, lon: f64) -> u32 {
        let cell = cell_of(lat, lon);
        let point = Point {
            mmsi,
            slot,
            lat,
            lon,
        };
        if old == Some(cell) {
            if let Some(p) = self
                .cells
                .get_mut(&cell)
                .and_then(|c| c.iter_mut().find(|p| p.mmsi == mmsi))
            {
                *p = point;
                return cell;
            }
        } else if let Some(old) = old {
            self.remove(mmsi, old);
        }
        self.cells.entry(cell).or_default().push(point);
        cell
    }

    /// Takes `mmsi` out of `cell`.
    pub fn remove(&mut self, mmsi: u32, cell: u32) {
        if let Some(c) = self.cells.get_mut(&cell) {
            if let Some(i) = c.iter().position(|p| p.mmsi == mmsi) {
                c.swap_remove(i);
            }
            if c.is_empty() {
                self.cells.remove(&cell);
            }
        }
    }

    /// The MMSI and slot of every vessel inside `b` (edges included), in no particular order.
    pub fn within(&self, b: &BBox, out: &mut Vec<(u32, u32)>) {
        let rows = cell_of(b.min_lat, 0.0) / COLS..=cell_of(b.max_lat, 0.0) / COLS;
        let (c0, c1) = (
            cell_of(0.0, b.min_lon) % COLS,
            cell_of(0.0, b.max_lon) % COLS,
        );
        let col_in = |c: u32| {
            if c0 <= c1 {
                (c0..=c1).contains(&c)
            } else {
                c >= c0 || c <= c1
            }
        };
        let ncols = if c0 <= c1 {
            c1 - c0 + 1
        } else {
            COLS - c0 + c1 + 1
        };
        let nrows = rows.end() - rows.start() + 1;
        let mut scan = |points: &Vec<Point>| {
            out.extend(
                points
                    .iter()
                    .filter(|p| b.contains(p.lat, p.lon))
                    .map(|p| (p.mmsi, p.slot)),
            );
        };
        if u64::from(nrows) * u64::from(ncols) > self.cells.len() as u64 {
            // A large box: visit the occupied cells rather than every cell of the box.
            for (cell, points) in &self.cells {
                if rows.contains(&(cell / COLS)) && col_in(cell % COLS) {
                    scan(points);
                }
            }
        } else {
            for row in rows {
                let mut col = c0;
                for _ in 0..ncols {
                    if let Some(points) = self.cells.get(&(row * COLS + col)) {
                        scan(points);
                    }
                    col = (col + 1) % COLS;
                }
            }
        }
    }

    /// Occupied cells.
    #[cfg(test)]
    pub fn occupied(&self) -> usize {
        self.cells.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(g: &Grid, b: BBox) -> Vec<u32> {
        let mut v = Vec::new();
        g.within(&b, &mut v);
        v.sort_unstable();
        // Slots here are the MMSI plus 1,000.
        assert!(v.iter().all(|(m, s)| *s == m + 1_000));
        v.into_iter().map(|(m, _)| m).collect()
    }

    #[test]
    fn moves_between_cells_and_answers_boxes_small_large_and_across_the_antimeridian() {
        let mut g = Grid::default();
        let a = g.place(1, 1001, None, 60.0, 5.0);
        let b = g.place(2, 1002, None, 60.1, 5.1);
        let c = g.place(3, 1003, None, -10.0, 179.9);
        g.place(4, 1004, None, 90.0, 180.0);
        let bergen = BBox::new(59.5, 4.5, 60.5, 5.5);
        assert_eq!(sorted(&g, bergen), [1, 2]);
        // Moved away: not in its old cell any more; moved within its cell: the new position counts.
        let a2 = g.place(1, 1001, Some(a), 70.0, 20.0);
        assert_ne!(a, a2);
        assert_eq!(g.place(2, 1002, Some(b), 60.4, 5.4), b);
        assert_eq!(sorted(&g, bergen), [2]);
        assert_eq!(sorted(&g, BBox::new(60.3, 5.3, 60.5, 5.5)), [2]);
        assert_eq!(
            sorted(&g, BBox::new(-90.0, -180.0, 90.0, 180.0)),
            [1, 2, 3, 4]
        );
        assert_eq!(sorted(&g, BBox::new(-20.0, 170.0, 0.0, -170.0)), [3]);
        g.remove(3, c);
        assert_eq!(
            sorted(&g, BBox::new(-20.0, 170.0, 0.0, -170.0)),
            Vec::<u32>::new()
        );
        assert_eq!(g.occupied(), 3);
    }

    #[test]
    fn a_box_edge_inside_a_cell_is_exact() {
        let mut g = Grid::default();
        g.place(1, 1001, None, 60.2, 5.2);
        g.place(2, 1002, None, 60.3, 5.3);
        assert_eq!(sorted(&g, BBox::new(60.0, 5.0, 60.25, 5.25)), [1]);
        assert_eq!(sorted(&g, BBox::new(60.2, 5.2, 60.2, 5.2)), [1]);
    }
}
