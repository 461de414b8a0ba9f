//! Nearest-segment index on the sphere: an `rstar` R-tree over 3-D chords between unit vectors.
//!
//! Working on the unit sphere instead of lon/lat avoids any projection: chord length grows
//! monotonically with great-circle distance, so R-tree nearest and within-distance queries are exact
//! up to the chord/arc difference of a segment, which densifying to at most [`MAX_PIECE_M`] keeps
//! under 0.5 m.

use rstar::{PointDistance, RTree, RTreeObject, AABB};

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
}

impl SegmentIndexBuilder {
    /// Adds a point item.
    pub(crate) fn point(&mut self, p: LonLat, item: u32) {
        let u = unit(p);
        self.pieces.push(Piece { a: u, b: u, item });
    }

    /// Adds a polyline (or a closed ring when `closed`) as segments.
    pub(crate) fn line(&mut self, line: &[LonLat], closed: bool, item: u32) {
        if line.len() == 1 {
            self.point(line[0], item);
        }
        let extra = usize::from(closed && line.len() > 2);
        for k in 0..(line.len() + extra).saturating_sub(1) {
            let (a, b) = (line[k], line[(k + 1) % line.len()]);
            densify(a, b, MAX_PIECE_M, |a, b| {
                self.pieces.push(Piece { a, b, item })
            });
        }
    }

    /// Bulk-loads the R-tree.
    pub(crate) fn build(self) -> SegmentIndex {
        SegmentIndex {
            tree: RTree::bulk_load(self.pieces),
        }
    }
}

/// The frozen index.
#[derive(Debug, Clone, Default)]
pub(crate) struct SegmentIndex {
    tree: RTree<Piece>,
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
        let u = unit(p);
        let r = m_to_chord(radius_m);
        let mut out: Vec<(u32, f64)> = Vec::new();
        for s in self.tree.locate_within_distance(u, r * r) {
            let d = chord_to_m(s.distance_2(&u).sqrt());
            match out.iter_mut().find(|(item, _)| *item == s.item) {
                Some(e) => e.1 = e.1.min(d),
                None => out.push((s.item, d)),
            }
        }
        out
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
        let idx = b.build();
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

    #[test]
    fn empty_index_finds_nothing() {
        let idx = SegmentIndexBuilder::default().build();
        assert!(idx.nearest([0.0, 0.0]).is_none());
        assert!(idx.within([0.0, 0.0], 1e6).is_empty());
    }
}
