//! Nearest-segment index on the sphere: an `rstar` R-tree over 3-D chords between unit vectors.
//!
//! Working on the unit sphere instead of lon/lat avoids any projection: chord length grows
//! monotonically with great-circle distance, so R-tree nearest and within-distance queries are exact
//! up to the chord/arc difference of a segment, which densifying to at most [`MAX_PIECE_M`] keeps
//! under 0.5 m. Indexes built for small-radius queries also carry a [`PieceGrid`], which answers most
//! within-distance queries without walking the tree (same pieces, same distances).

use rstar::{PointDistance, RTree, RTreeObject, AABB};

use crate::piece_grid::{Lookup, PieceGrid};
use crate::sphere::{chord_to_m, densify, m_to_chord, segment_distance_2, unit, LonLat, Unit};

/// Longest chord stored, in metres; longer segments are split.
pub(crate) const MAX_PIECE_M: f64 = 5_000.0;

/// One chord, tagged with the item (asset, port, polygon) it belongs to.
#[derive(Debug, Clone)]
pub(crate) struct Piece {
    a: Unit,
    b: Unit,
    /// Index of the owning item.
    pub item: u32,
}

impl RTreeObject for Piece {
    type Envelope = AABB<Unit>;
    fn envelope(&self) -> Self::Envelope {
        AABB::from_corners(self.a, self.b)
    }
}

impl PointDistance for Piece {
    fn distance_2(&self, p: &Unit) -> f64 {
        segment_distance_2(self.a, self.b, *p)
    }
}

/// Collects pieces, then freezes them into a [`SegmentIndex`].
#[derive(Default)]
pub(crate) struct SegmentIndexBuilder {
    pieces: Vec<Piece>,
    /// Lon/lat box of every piece: `[lon_min, lat_min, lon_max, lat_max]`.
    boxes: Vec<[f64; 4]>,
}

fn lonlat_box(a: LonLat, b: LonLat) -> [f64; 4] {
    [
        a[0].min(b[0]),
        a[1].min(b[1]),
        a[0].max(b[0]),
        a[1].max(b[1]),
    ]
}

impl SegmentIndexBuilder {
    /// Adds a point item.
    pub(crate) fn point(&mut self, p: LonLat, item: u32) {
        let u = unit(p);
        self.pieces.push(Piece { a: u, b: u, item });
        self.boxes.push(lonlat_box(p, p));
    }

    /// Adds a polyline (or a closed ring when `closed`) as segments.
    pub(crate) fn line(&mut self, line: &[LonLat], closed: bool, item: u32) {
        if line.len() == 1 {
            self.point(line[0], item);
        }
        let extra = usize::from(closed && line.len() > 2);
        for k in 0..(line.len() + extra).saturating_sub(1) {
            let (a, b) = (line[k], line[(k + 1) % line.len()]);
            densify(a, b, MAX_PIECE_M, |(a, b), (la, lb)| {
                self.pieces.push(Piece { a, b, item });
                self.boxes.push(lonlat_box(la, lb));
            });
        }
    }

    /// Bulk-loads the R-tree; with `grid`, also bins the pieces for [`SegmentIndex::within`] queries
    /// of small radius (worth it for few pieces queried often: assets, ports).
    pub(crate) fn build(self, grid: bool) -> SegmentIndex {
        let grid = if grid {
            PieceGrid::new(&self.boxes)
        } else {
            None
        };
        let pieces = if grid.is_some() {
            self.pieces.clone()
        } else {
            Vec::new()
        };
        SegmentIndex {
            tree: RTree::bulk_load(self.pieces),
            grid,
            pieces,
        }
    }
}

/// The frozen index.
#[derive(Debug, Clone, Default)]
pub(crate) struct SegmentIndex {
    tree: RTree<Piece>,
    grid: Option<PieceGrid>,
    /// The pieces in insertion order, addressed by the grid (empty without a grid).
    pieces: Vec<Piece>,
}

impl SegmentIndex {
    /// Nearest piece to `p` and its great-circle distance in metres.
    pub(crate) fn nearest(&self, p: LonLat) -> Option<(u32, f64)> {
        let u = unit(p);
        self.tree
            .nearest_neighbor(&u)
            .map(|s| (s.item, chord_to_m(s.distance_2(&u).sqrt())))
    }

    /// Every item with a piece within `radius_m` of `p`, with its smallest distance in metres.
    /// Unordered; an item appears once.
    pub(crate) fn within(&self, p: LonLat, radius_m: f64) -> Vec<(u32, f64)> {
        let lookup = self
            .grid
            .as_ref()
            .map_or(Lookup::Unsure, |g| g.lookup(p, radius_m));
        let mut out: Vec<(u32, f64)> = Vec::new();
        if lookup == Lookup::Empty {
            return out;
        }
        let u = unit(p);
        let r = m_to_chord(radius_m);
        let r2 = r * r;
        let mut add = |item: u32, d2: f64| {
            let d = chord_to_m(d2.sqrt());
            match out.iter_mut().find(|(i, _)| *i == item) {
                Some(e) => e.1 = e.1.min(d),
                None => out.push((item, d)),
            }
        };
        match (lookup, &self.grid) {
            (Lookup::Cells(cells), Some(g)) => g.pieces(cells, |id| {
                let s = &self.pieces[id as usize];
                // The R-tree's own leaf test (`distance_2_if_less_or_equal`): envelope, then piece.
                if s.envelope().distance_2(&u) <= r2 {
                    let d2 = s.distance_2(&u);
                    if d2 <= r2 {
                        add(s.item, d2);
                    }
                }
            }),
            _ => self
                .tree
                .locate_within_distance(u, r2)
                .for_each(|s| add(s.item, s.distance_2(&u))),
        }
        out
    }

    /// Calls `f` with the start of every stored piece as `[lon, lat]` (pieces are at most
    /// [`MAX_PIECE_M`] long, so the starts trace every line to within that), in the tree's order.
    pub(crate) fn for_each_start(&self, mut f: impl FnMut(LonLat)) {
        for s in self.tree.iter() {
            let [x, y, z] = s.a;
            f([
                y.atan2(x).to_degrees(),
                z.clamp(-1.0, 1.0).asin().to_degrees(),
            ]);
        }
    }

    /// Number of stored pieces.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.tree.size()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sphere::haversine_m;

    #[test]
    fn nearest_and_within_on_a_long_line() {
        let mut b = SegmentIndexBuilder::default();
        b.line(&[[2.0, 58.0], [2.0, 60.0]], false, 0);
        b.point([5.0, 59.0], 1);
        let idx = b.build(true);
        assert!(idx.len() > 40, "a 222 km line is split into 5 km pieces");
        let (item, d) = idx.nearest([2.1, 59.0]).unwrap();
        assert_eq!(item, 0);
        let expected = haversine_m([2.0, 59.0], [2.1, 59.0]);
        assert!((d - expected).abs() < 2.0, "{d} vs {expected}");
        let near = idx.within([4.99, 59.0], 1_000.0);
        assert_eq!(near.len(), 1);
        assert_eq!(near[0].0, 1);
        assert!(idx.within([3.5, 59.0], 1_000.0).is_empty());
    }

    /// The grid must give exactly the R-tree's answer: same items, bit-identical distances.
    #[test]
    fn grid_within_matches_the_tree() {
        let mut next = crate::test_rng::uniform(99);
        let (mut with_grid, mut tree_only) = (
            SegmentIndexBuilder::default(),
            SegmentIndexBuilder::default(),
        );
        for item in 0..40u32 {
            let mut p = [2.0 + 20.0 * next(), 56.0 + 26.0 * next()];
            let mut line = vec![p];
            for _ in 0..(1 + (next() * 6.0) as usize) {
                p = [p[0] + (next() - 0.5) * 2.0, p[1] + (next() - 0.5)];
                line.push(p);
            }
            for b in [&mut with_grid, &mut tree_only] {
                if item % 5 == 0 {
                    b.point(line[0], item);
                } else {
                    b.line(&line, item % 7 == 0, item);
                }
            }
        }
        let (grid, tree) = (with_grid.build(true), tree_only.build(false));
        assert!(grid.grid.is_some() && tree.grid.is_none());
        let mut hits = 0;
        for k in 0..20_000 {
            let p = [1.0 + 22.0 * next(), 55.0 + 28.0 * next()];
            let r = [100.0, 1_852.0, 18_520.0, 60_000.0][k % 4];
            let (mut a, mut b) = (grid.within(p, r), tree.within(p, r));
            a.sort_by_key(|h| h.0);
            b.sort_by_key(|h| h.0);
            let bits =
                |v: &[(u32, f64)]| v.iter().map(|h| (h.0, h.1.to_bits())).collect::<Vec<_>>();
            assert_eq!(bits(&a), bits(&b), "{p:?} {r}");
            hits += a.len();
        }
        assert!(hits > 1_000, "{hits}");
    }

    #[test]
    fn empty_index_finds_nothing() {
        let idx = SegmentIndexBuilder::default().build(true);
        assert!(idx.nearest([0.0, 0.0]).is_none());
        assert!(idx.within([0.0, 0.0], 1e6).is_empty());
    }
}
