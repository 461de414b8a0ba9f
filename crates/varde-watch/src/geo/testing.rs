//! A [`Geo`] built from simple shapes — polygons, polylines, circles — for tests and benchmarks.
//!
//! Distances use a local equirectangular projection, accurate to well under 1 % over the tens of
//! kilometres that test fixtures span. Every shape carries a bounding box so that lookups stay cheap.

use super::{distance_m, AssetRef, Coverage, Geo, ZoneRef};
use std::sync::Arc;

/// Metres per degree of latitude.
const M_PER_DEG: f64 = 111_195.0;

/// A bounding box in degrees: (min lat, min lon, max lat, max lon).
#[derive(Debug, Clone, Copy)]
struct BBox([f64; 4]);

impl BBox {
    fn of(pts: &[(f64, f64)], pad_m: f64) -> Self {
        let mut b = [f64::MAX, f64::MAX, f64::MIN, f64::MIN];
        for &(la, lo) in pts {
            b = [b[0].min(la), b[1].min(lo), b[2].max(la), b[3].max(lo)];
        }
        let dlat = pad_m / M_PER_DEG;
        let dlon = dlat / b[0].to_radians().cos().max(0.05);
        Self([b[0] - dlat, b[1] - dlon, b[2] + dlat, b[3] + dlon])
    }

    fn contains(&self, lat: f64, lon: f64) -> bool {
        self.near(lat, lon, 0.0, 0.0)
    }

    /// Whether the point is within (`dlat`, `dlon`) degrees of the box.
    fn near(&self, lat: f64, lon: f64, dlat: f64, dlon: f64) -> bool {
        lat >= self.0[0] - dlat
            && lat <= self.0[2] + dlat
            && lon >= self.0[1] - dlon
            && lon <= self.0[3] + dlon
    }
}

/// A closed polygon (first point need not repeat) with its bounding box.
#[derive(Debug, Clone)]
struct Poly {
    pts: Vec<(f64, f64)>,
    bbox: BBox,
}

impl Poly {
    fn new(pts: Vec<(f64, f64)>) -> Self {
        let bbox = BBox::of(&pts, 0.0);
        Self { pts, bbox }
    }

    fn contains(&self, lat: f64, lon: f64) -> bool {
        if !self.bbox.contains(lat, lon) {
            return false;
        }
        let mut inside = false;
        let n = self.pts.len();
        for i in 0..n {
            let (a, b) = (self.pts[i], self.pts[(i + n - 1) % n]);
            if (a.0 > lat) != (b.0 > lat) && lon < (b.1 - a.1) * (lat - a.0) / (b.0 - a.0) + a.1 {
                inside = !inside;
            }
        }
        inside
    }

    fn boundary_distance_m(&self, lat: f64, lon: f64) -> f64 {
        polyline_distance_m(&self.pts, true, lat, lon)
    }
}

/// Distance in metres from a point to a polyline (closed if `ring`), in a local projection.
fn polyline_distance_m(pts: &[(f64, f64)], ring: bool, lat: f64, lon: f64) -> f64 {
    let kx = lat.to_radians().cos() * M_PER_DEG;
    let proj = |p: (f64, f64)| ((p.1 - lon) * kx, (p.0 - lat) * M_PER_DEG);
    let segs = pts.len().saturating_sub(usize::from(!ring));
    let mut best = f64::MAX;
    for i in 0..segs.max(1) {
        let a = proj(pts[i]);
        let b = proj(pts[(i + 1) % pts.len()]);
        let (dx, dy) = (b.0 - a.0, b.1 - a.1);
        let len2 = dx * dx + dy * dy;
        let t = if len2 > 0.0 {
            (-(a.0 * dx + a.1 * dy) / len2).clamp(0.0, 1.0)
        } else {
            0.0
        };
        let (x, y) = (a.0 + t * dx, a.1 + t * dy);
        best = best.min((x * x + y * y).sqrt());
    }
    best
}

/// The shape of a test asset.
#[derive(Debug, Clone)]
enum AssetShape {
    Line(Vec<(f64, f64)>),
    Point(f64, f64),
}

#[derive(Debug, Clone)]
struct Asset {
    id: Arc<str>,
    name: Arc<str>,
    kind: Arc<str>,
    shape: AssetShape,
    bbox: BBox,
}

/// A [`Geo`] from shapes, built with the `with_*` methods. Points are `(lat, lon)` in degrees.
#[derive(Debug, Clone, Default)]
pub struct TestGeo {
    zones: Vec<(ZoneRef, Poly)>,
    land: Vec<Poly>,
    ports: Vec<(Arc<str>, f64, f64, f64)>,
    assets: Vec<Asset>,
    satellite_only: Vec<Poly>,
}

fn arc(s: &str) -> Arc<str> {
    Arc::from(s)
}

impl TestGeo {
    /// An empty world: open sea everywhere, terrestrial coverage everywhere.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a zone polygon of `kind` (e.g. `territorial_sea`) with a region label.
    pub fn with_zone(
        mut self,
        id: &str,
        name: &str,
        kind: &str,
        region: &str,
        pts: &[(f64, f64)],
    ) -> Self {
        let z = ZoneRef {
            id: arc(id),
            name: arc(name),
            kind: arc(kind),
            region: Some(arc(region)),
        };
        self.zones.push((z, Poly::new(pts.to_vec())));
        self
    }

    /// Adds a land polygon.
    pub fn with_land(mut self, pts: &[(f64, f64)]) -> Self {
        self.land.push(Poly::new(pts.to_vec()));
        self
    }

    /// Adds a port or anchorage: a circle of `radius_m` metres.
    pub fn with_port(mut self, name: &str, lat: f64, lon: f64, radius_m: f64) -> Self {
        self.ports.push((arc(name), lat, lon, radius_m));
        self
    }

    /// Adds a linear asset (`cable` or `pipeline`).
    pub fn with_line_asset(mut self, id: &str, name: &str, kind: &str, pts: &[(f64, f64)]) -> Self {
        let bbox = BBox::of(pts, 0.0);
        let shape = AssetShape::Line(pts.to_vec());
        self.assets.push(Asset {
            id: arc(id),
            name: arc(name),
            kind: arc(kind),
            shape,
            bbox,
        });
        self
    }

    /// Adds a point asset such as a `platform`.
    pub fn with_point_asset(
        mut self,
        id: &str,
        name: &str,
        kind: &str,
        lat: f64,
        lon: f64,
    ) -> Self {
        let bbox = BBox::of(&[(lat, lon)], 0.0);
        let shape = AssetShape::Point(lat, lon);
        self.assets.push(Asset {
            id: arc(id),
            name: arc(name),
            kind: arc(kind),
            shape,
            bbox,
        });
        self
    }

    /// Marks a polygon as satellite-only coverage.
    pub fn with_satellite_only(mut self, pts: &[(f64, f64)]) -> Self {
        self.satellite_only.push(Poly::new(pts.to_vec()));
        self
    }
}

impl Geo for TestGeo {
    fn zones_at(&self, lat: f64, lon: f64) -> Vec<ZoneRef> {
        self.zones
            .iter()
            .filter(|(_, p)| p.contains(lat, lon))
            .map(|(z, _)| z.clone())
            .collect()
    }

    fn zones_of(&self, lat: f64, lon: f64, kinds: &[String]) -> Vec<ZoneRef> {
        let wanted = |z: &ZoneRef| kinds.iter().any(|k| **k == *z.kind);
        self.zones
            .iter()
            .filter(|(z, p)| wanted(z) && p.contains(lat, lon))
            .map(|(z, _)| z.clone())
            .collect()
    }

    fn land_depth_m(&self, lat: f64, lon: f64) -> Option<f64> {
        let inside = self.land.iter().filter(|p| p.contains(lat, lon));
        inside
            .map(|p| p.boundary_distance_m(lat, lon))
            .reduce(f64::max)
    }

    fn in_port(&self, lat: f64, lon: f64) -> Option<Arc<str>> {
        let mut hit = self
            .ports
            .iter()
            .filter(|p| distance_m(lat, lon, p.1, p.2) <= p.3);
        hit.next().map(|p| p.0.clone())
    }

    fn port_within(&self, lat: f64, lon: f64, within_m: f64) -> Option<f64> {
        let d = self
            .ports
            .iter()
            .map(|p| (distance_m(lat, lon, p.1, p.2) - p.3).max(0.0));
        d.filter(|&d| d <= within_m).reduce(f64::min)
    }

    fn assets_within(&self, lat: f64, lon: f64, radius_m: f64) -> Vec<AssetRef> {
        let mut out: Vec<AssetRef> = Vec::new();
        let dlat = radius_m / M_PER_DEG;
        let dlon = dlat / lat.to_radians().cos().max(0.05);
        for a in self
            .assets
            .iter()
            .filter(|a| a.bbox.near(lat, lon, dlat, dlon))
        {
            let d = match &a.shape {
                AssetShape::Line(pts) => polyline_distance_m(pts, false, lat, lon),
                AssetShape::Point(la, lo) => distance_m(lat, lon, *la, *lo),
            };
            if d <= radius_m {
                let (id, name, kind) = (a.id.clone(), a.name.clone(), a.kind.clone());
                out.push(AssetRef {
                    id,
                    name,
                    kind,
                    distance_m: d,
                });
            }
        }
        out.sort_by(|a, b| {
            a.distance_m
                .total_cmp(&b.distance_m)
                .then_with(|| a.id.cmp(&b.id))
        });
        out
    }

    fn coverage(&self, lat: f64, lon: f64) -> Coverage {
        if self.satellite_only.iter().any(|p| p.contains(lat, lon)) {
            Coverage::Satellite
        } else {
            Coverage::Terrestrial
        }
    }
}

#[cfg(test)]
mod tests;
