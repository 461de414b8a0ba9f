//! A fixed grid of half-degree cells over the globe: which vessels lie in a box, without looking at
//! the vessels outside it.
//!
//! A cell holds its vessels' MMSIs and view slots only (8 bytes a vessel; with the position as well
//! it was 24): a cell wholly inside the box is answered without positions, and only the cells
//! the box's edges cross look up their vessels' positions (in the view's slots) to check them.

use std::collections::HashMap;
use varde_store::BBox;

/// Cell edge, degrees.
const CELL_DEG: f64 = 0.5;
/// Cells around a parallel.
const COLS: u32 = (360.0 / CELL_DEG) as u32;
/// Cells along a meridian.
const ROWS: u32 = (180.0 / CELL_DEG) as u32;
/// How far, degrees, a cell is taken to reach past its edges when deciding whether it lies wholly
/// inside a box (a position's cell is computed with rounding: one a hair outside a cell's edge may
/// be filed in it).
const CELL_SLACK_DEG: f64 = 1e-6;

/// One vessel in a cell: its MMSI and its slot in the view.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Point {
    mmsi: u32,
    slot: u32,
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

/// Whether every position filed in `cell` lies inside `b` (edges included). Never for the cells
/// at the edges of the globe's range, which also hold the positions clamped into them.
fn wholly_inside(cell: u32, b: &BBox) -> bool {
    let (row, col) = (cell / COLS, cell % COLS);
    if row == 0 || row == ROWS - 1 || col == 0 || col == COLS - 1 {
        return false;
    }
    let lat0 = f64::from(row) * CELL_DEG - 90.0 - CELL_SLACK_DEG;
    let lat1 = lat0 + CELL_DEG + 2.0 * CELL_SLACK_DEG;
    let lon0 = f64::from(col) * CELL_DEG - 180.0 - CELL_SLACK_DEG;
    let lon1 = lon0 + CELL_DEG + 2.0 * CELL_SLACK_DEG;
    let lat_in = lat0 >= b.min_lat && lat1 <= b.max_lat;
    let lon_in = if b.min_lon <= b.max_lon {
        lon0 >= b.min_lon && lon1 <= b.max_lon
    } else {
        // Across the antimeridian: wholly east of its western edge or wholly west of its eastern.
        lon0 >= b.min_lon || lon1 <= b.max_lon
    };
    lat_in && lon_in
}

impl Grid {
    /// Puts `mmsi` (held in `slot`) at a position; `old` is the cell it was in (from an earlier
    /// `place`). Returns its cell now.
    pub fn place(&mut self, mmsi: u32, slot: u32, old: Option<u32>, lat: f64, lon: f64) -> u32 {
        let cell = cell_of(lat, lon);
        if old == Some(cell)
            && self
                .cells
                .get(&cell)
                .is_some_and(|c| c.iter().any(|p| p.mmsi == mmsi))
        {
            return cell;
        }
        if let Some(old) = old {
            self.remove(mmsi, old);
        }
        self.cells
            .entry(cell)
            .or_default()
            .push(Point { mmsi, slot });
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
            } else if c.capacity() >= 4 * c.len() + 4 {
                // A cell a crowd left (a ferry's departure, a fleet passing) gives its room back.
                c.shrink_to(2 * c.len());
            }
        }
    }

    /// The MMSI and slot of every vessel inside `b` (edges included), in no particular order;
    /// `position` gives a slot's position (asked only for vessels in cells the box's edges cross).
    pub fn within(
        &self,
        b: &BBox,
        position: impl Fn(u32) -> (f64, f64),
        out: &mut Vec<(u32, u32)>,
    ) {
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
        let mut scan = |cell: u32, points: &Vec<Point>| {
            if wholly_inside(cell, b) {
                out.extend(points.iter().map(|p| (p.mmsi, p.slot)));
            } else {
                out.extend(
                    points
                        .iter()
                        .filter(|p| {
                            let (lat, lon) = position(p.slot);
                            b.contains(lat, lon)
                        })
                        .map(|p| (p.mmsi, p.slot)),
                );
            }
        };
        if u64::from(nrows) * u64::from(ncols) > self.cells.len() as u64 {
            // A large box: visit the occupied cells rather than every cell of the box.
            for (&cell, points) in &self.cells {
                if rows.contains(&(cell / COLS)) && col_in(cell % COLS) {
                    scan(cell, points);
                }
            }
        } else {
            for row in rows {
                let mut col = c0;
                for _ in 0..ncols {
                    let cell = row * COLS + col;
                    if let Some(points) = self.cells.get(&cell) {
                        scan(cell, points);
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

    /// A grid with its vessels' positions by slot (the view keeps them in its slots).
    #[derive(Default)]
    struct Placed {
        g: Grid,
        pos: HashMap<u32, (f64, f64)>,
    }

    impl Placed {
        fn place(&mut self, mmsi: u32, slot: u32, old: Option<u32>, lat: f64, lon: f64) -> u32 {
            self.pos.insert(slot, (lat, lon));
            self.g.place(mmsi, slot, old, lat, lon)
        }

        fn remove(&mut self, mmsi: u32, cell: u32) {
            self.g.remove(mmsi, cell);
        }

        fn occupied(&self) -> usize {
            self.g.occupied()
        }
    }

    fn sorted(g: &Placed, b: BBox) -> Vec<u32> {
        let mut v = Vec::new();
        g.g.within(&b, |s| g.pos[&s], &mut v);
        v.sort_unstable();
        // Slots here are the MMSI plus 1,000.
        assert!(v.iter().all(|(m, s)| *s == m + 1_000));
        v.into_iter().map(|(m, _)| m).collect()
    }

    #[test]
    fn moves_between_cells_and_answers_boxes_small_large_and_across_the_antimeridian() {
        let mut g = Placed::default();
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
        let mut g = Placed::default();
        g.place(1, 1001, None, 60.2, 5.2);
        g.place(2, 1002, None, 60.3, 5.3);
        assert_eq!(sorted(&g, BBox::new(60.0, 5.0, 60.25, 5.25)), [1]);
        assert_eq!(sorted(&g, BBox::new(60.2, 5.2, 60.2, 5.2)), [1]);
    }

    #[test]
    fn boxes_with_whole_cells_inside_answer_what_checking_every_position_answers() {
        use rand::{Rng, SeedableRng};
        let mut rng = rand::rngs::StdRng::seed_from_u64(10);
        let mut g = Placed::default();
        // Positions on and a hair off the cell edges (every multiple of 0.5 degrees), in the
        // edge cells of the globe's range and out of it, and anywhere.
        let mut at = Vec::new();
        for i in 0..20_000u32 {
            let edge = |r: &mut rand::rngs::StdRng, lo: f64, hi: f64| {
                let e = (r.gen_range(lo..hi) * 2.0).round() / 2.0;
                e + [0.0, 1e-12, -1e-12, 1e-7, -1e-7][r.gen_range(0..5)]
            };
            let (lat, lon) = match i % 4 {
                0 => (edge(&mut rng, 55.0, 65.0), edge(&mut rng, -5.0, 15.0)),
                1 => (edge(&mut rng, -91.0, 91.0), edge(&mut rng, -181.0, 181.0)),
                2 => (rng.gen_range(55.0..65.0), rng.gen_range(-5.0..15.0)),
                _ => (rng.gen_range(-95.0..95.0), rng.gen_range(-185.0..185.0)),
            };
            g.place(i, i + 1_000, None, lat, lon);
            at.push((lat, lon));
        }
        let mut boxes = vec![
            BBox::new(-90.0, -180.0, 90.0, 180.0),
            BBox::new(56.0, 0.0, 63.5, 10.0),
            BBox::new(-10.0, 170.0, 10.0, -170.0),
            BBox::new(88.5, -180.0, 90.0, 180.0),
        ];
        for _ in 0..300 {
            let (a, b): (f64, f64) = (rng.gen_range(-91.0..91.0), rng.gen_range(-91.0..91.0));
            let (c, d): (f64, f64) = (rng.gen_range(-181.0..181.0), rng.gen_range(-181.0..181.0));
            let snap = |v: f64| (v * 2.0).round() / 2.0;
            if rng.gen_bool(0.5) {
                boxes.push(BBox::new(snap(a.min(b)), snap(c), snap(a.max(b)), snap(d)));
            } else {
                boxes.push(BBox::new(a.min(b), c, a.max(b), d));
            }
        }
        for b in boxes {
            let want: Vec<u32> = (0..at.len() as u32)
                .filter(|&i| b.contains(at[i as usize].0, at[i as usize].1))
                .collect();
            assert_eq!(sorted(&g, b), want, "{b:?}");
        }
    }
}
