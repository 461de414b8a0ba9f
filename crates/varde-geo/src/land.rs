//! Land: "is this point on land, and how deep inside?" plus distance to the nearest shore.

use crate::area_grid::AreaGrid;
use crate::error::GeoError;
use crate::geojson_read::{read_features, Shape};
use crate::segment_index::{SegmentIndex, SegmentIndexBuilder};
use crate::sphere::LonLat;

/// Land polygons (lakes as holes) with a containment grid and a shoreline index.
#[derive(Debug, Clone)]
pub(crate) struct LandLayer {
    grid: AreaGrid,
    shore: SegmentIndex,
}

impl LandLayer {
    /// Parses a GeoJSON of land polygons. Polygons must not overlap (even-odd rule: an overlap reads
    /// as water); dissolve the layer first if needed.
    pub(crate) fn from_geojson(layer: &str, bytes: &[u8]) -> Result<Self, GeoError> {
        let mut rings: Vec<Vec<LonLat>> = Vec::new();
        for f in read_features(bytes).map_err(|e| GeoError::from_read(layer, e))? {
            for s in f.shapes {
                if let Shape::Polygon(r) = s {
                    rings.extend(r);
                }
            }
        }
        let grid = AreaGrid::new(&rings).ok_or_else(|| GeoError::EmptyLayer {
            layer: layer.to_string(),
            expected: "Polygon/MultiPolygon",
        })?;
        let mut shore = SegmentIndexBuilder::default();
        for r in &rings {
            shore.line(r, true, 0);
        }
        Ok(LandLayer {
            grid,
            shore: shore.build(false),
        })
    }

    /// Whether `p` lies inside a land polygon.
    pub(crate) fn contains(&self, p: LonLat) -> bool {
        self.grid.contains(p)
    }

    /// Great-circle distance in metres from `p` to the nearest shoreline (land or lake edge).
    pub(crate) fn shore_distance_m(&self, p: LonLat) -> f64 {
        self.shore.nearest(p).map_or(f64::INFINITY, |(_, d)| d)
    }

    /// Calls `f` with shoreline points (`[lon, lat]`) at most 5 km apart along every shore.
    pub(crate) fn for_each_shore_point(&self, f: impl FnMut(LonLat)) {
        self.shore.for_each_start(f);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The grid must agree with a brute-force even-odd test over every edge of the real land layer.
    #[test]
    fn builtin_land_grid_matches_brute_force() {
        let mut rings = Vec::new();
        for f in read_features(crate::builtin::LAND_GEOJSON).unwrap() {
            for s in f.shapes {
                if let Shape::Polygon(r) = s {
                    rings.extend(r);
                }
            }
        }
        let land = LandLayer::from_geojson("norway_land", crate::builtin::LAND_GEOJSON).unwrap();
        let edges = crate::area_grid::ring_edges(&rings);
        let mut next = crate::test_rng::uniform(12345);
        let (mut on_land, n) = (0, 300);
        for _ in 0..n {
            let p = [4.0 + 8.0 * next(), 58.0 + 6.0 * next()];
            let brute = edges
                .iter()
                .filter(|[a, b]| (a[1] > p[1]) != (b[1] > p[1]))
                .filter(|[a, b]| a[0] + (p[1] - a[1]) * (b[0] - a[0]) / (b[1] - a[1]) < p[0])
                .count()
                % 2
                == 1;
            assert_eq!(land.contains(p), brute, "{p:?}");
            on_land += usize::from(brute);
        }
        assert!(
            on_land > n / 5 && on_land < n,
            "{on_land} of {n} points on land"
        );
    }

    #[test]
    fn island_depth_and_distance() {
        let text = br#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},
          "geometry":{"type":"Polygon","coordinates":[[[5,60],[6,60],[6,61],[5,61],[5,60]]]}}]}"#;
        let l = LandLayer::from_geojson("t", text).unwrap();
        assert!(l.contains([5.5, 60.5]));
        assert!(!l.contains([6.5, 60.5]));
        let d = l.shore_distance_m([6.1, 60.5]);
        assert!((d - 5_480.0).abs() < 50.0, "{d}");
    }
}
