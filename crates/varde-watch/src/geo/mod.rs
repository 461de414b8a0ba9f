//! What detectors need to know about the world, as a trait the integrator implements over `varde-geo`.
//!
//! The engine never loads geography itself. [`testing::TestGeo`] builds a [`Geo`] from simple shapes for
//! unit and scenario tests (and for the integrator's tests).

pub mod testing;

use std::sync::Arc;

/// Geodesy shared with the other crates (`varde-sphere`): great-circle distance, destination point,
/// angle difference and implied speed, re-exported so detectors keep calling `crate::geo::…`.
pub use varde_sphere::{angle_diff_deg, destination, distance_m, implied_speed_kn, NM_M};

/// A zone that contains a point.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
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
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct AssetRef {
    /// Stable identifier.
    pub id: Arc<str>,
    /// Human name, e.g. `"Svalbard cable 1"`.
    pub name: Arc<str>,
    /// Asset kind: `cable` (telecom and power cables, HVDC links), `pipeline`, `platform`, or another
    /// word (`subsea_structure`, `wind_turbine`, `field`, `landing`, `other`) that only the proximity
    /// detectors (slow near an asset, silent near an asset) consider.
    pub kind: Arc<str>,
    /// Shortest distance from the point to the asset, in metres.
    pub distance_m: f64,
}

impl AssetRef {
    /// Whether the asset is a line on the sea floor (cable or pipeline), which a vessel can "cross" or
    /// drag an anchor over. The integrator maps power cables and HVDC links to `cable`.
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
