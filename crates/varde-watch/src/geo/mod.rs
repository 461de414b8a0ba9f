//! What detectors need to know about the world, as a trait the integrator implements over `varde-geo`.
//!
//! The engine never loads geography itself. [`testing::TestGeo`] builds a [`Geo`] from simple shapes for
//! unit and scenario tests (and for the integrator's tests).

pub mod testing;

use std::sync::Arc;

/// Metres in one nautical mile.
pub const NM_M: f64 = 1852.0;
/// Mean Earth radius in metres (IUGG).
const EARTH_RADIUS_M: f64 = 6_371_008.8;

/// A zone that contains a point.
#[derive(Debug, Clone, PartialEq)]
pub struct ZoneRef {
    /// Stable identifier, e.g. `"no-ts-mainland"`.
    pub id: Arc<str>,
    /// Human name, e.g. `"Norway's territorial sea off the mainland"`.
    pub name: Arc<str>,
    /// Zone kind: `territorial_sea`, `internal_waters`, `contiguous_zone`, `eez`, `svalbard_fpz`,
    /// `jan_mayen_zone`, `platform_safety_zone` or `user`.
    pub kind: Arc<str>,
    /// Region the zone belongs to (`mainland`, `svalbard`, `jan_mayen`), when meaningful.
    pub region: Option<Arc<str>>,
}

/// A piece of critical infrastructure near a point.
#[derive(Debug, Clone, PartialEq)]
pub struct AssetRef {
    /// Stable identifier.
    pub id: Arc<str>,
    /// Human name, e.g. `"Svalbard cable 1"`.
    pub name: Arc<str>,
    /// Asset kind: `cable`, `pipeline`, `platform`, or another layer's own word.
    pub kind: Arc<str>,
    /// Shortest distance from the point to the asset, in metres.
    pub distance_m: f64,
}

impl AssetRef {
    /// Whether the asset is a line on the sea floor (cable or pipeline), which a vessel can "cross".
    pub fn is_linear(&self) -> bool {
        matches!(&*self.kind, "cable" | "pipeline")
    }
}

/// How well a sea area is heard, which sets how long a silence must last to count as a gap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Coverage {
    /// Inside terrestrial base-station coverage: a ship is heard at its nominal reporting rate.
    Terrestrial,
    /// Satellite only: a ship is heard once per satellite pass (about every 90 min).
    Satellite,
}

/// Geography the detectors query. Implementations must be deterministic (same point, same answer).
pub trait Geo {
    /// Every zone containing the point (degrees WGS 84), in a stable order.
    fn zones_at(&self, lat: f64, lon: f64) -> Vec<ZoneRef>;
    /// The zones of the given kinds containing the point. The default filters [`Geo::zones_at`];
    /// implementations should test the kind before the polygon, since detectors ask this on every fix.
    fn zones_of(&self, lat: f64, lon: f64, kinds: &[String]) -> Vec<ZoneRef> {
        let mut z = self.zones_at(lat, lon);
        z.retain(|z| kinds.iter().any(|k| **k == *z.kind));
        z
    }
    /// How far inland the point lies, in metres; `None` at sea.
    fn land_depth_m(&self, lat: f64, lon: f64) -> Option<f64>;
    /// The port or designated anchorage containing the point, if any.
    fn in_port(&self, lat: f64, lon: f64) -> Option<Arc<str>>;
    /// Distance in metres to the nearest port or anchorage, if one is within `within_m`.
    fn port_within(&self, lat: f64, lon: f64, within_m: f64) -> Option<f64>;
    /// Assets within `radius_m` metres of the point, nearest first (ties by id).
    fn assets_within(&self, lat: f64, lon: f64, radius_m: f64) -> Vec<AssetRef>;
    /// Reception at the point; the default assumes terrestrial coverage everywhere.
    fn coverage(&self, _lat: f64, _lon: f64) -> Coverage {
        Coverage::Terrestrial
    }
}

/// Great-circle distance in metres between two points in degrees (haversine).
pub fn distance_m(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = p2 - p1;
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_M * a.sqrt().min(1.0).asin()
}

/// The point reached from (lat, lon) after `dist_m` metres on initial bearing `bearing_deg`.
pub fn destination(lat: f64, lon: f64, bearing_deg: f64, dist_m: f64) -> (f64, f64) {
    let d = dist_m / EARTH_RADIUS_M;
    let (p1, l1, b) = (lat.to_radians(), lon.to_radians(), bearing_deg.to_radians());
    let p2 = (p1.sin() * d.cos() + p1.cos() * d.sin() * b.cos()).asin();
    let l2 = l1 + (b.sin() * d.sin() * p1.cos()).atan2(d.cos() - p1.sin() * p2.sin());
    (p2.to_degrees(), l2.to_degrees())
}

/// Smallest absolute difference between two angles in degrees (0–180).
pub fn angle_diff_deg(a: f32, b: f32) -> f32 {
    let d = (a - b).rem_euclid(360.0);
    d.min(360.0 - d)
}

/// Implied speed in knots to cover `dist_m` metres in `dt_ms` milliseconds (infinite for dt ≤ 0).
pub fn implied_speed_kn(dist_m: f64, dt_ms: i64) -> f64 {
    if dt_ms <= 0 {
        return f64::INFINITY;
    }
    dist_m / NM_M / (dt_ms as f64 / 3_600_000.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_minute_of_latitude_is_one_nautical_mile() {
        let d = distance_m(60.0, 5.0, 60.0 + 1.0 / 60.0, 5.0);
        assert!((d - NM_M).abs() < 5.0, "{d}");
    }

    #[test]
    fn destination_round_trips() {
        let (lat, lon) = destination(60.0, 5.0, 90.0, 10_000.0);
        assert!((distance_m(60.0, 5.0, lat, lon) - 10_000.0).abs() < 1.0);
    }

    #[test]
    fn angles_wrap() {
        assert_eq!(angle_diff_deg(350.0, 10.0), 20.0);
        assert_eq!(implied_speed_kn(NM_M, 3_600_000), 1.0);
    }
}
