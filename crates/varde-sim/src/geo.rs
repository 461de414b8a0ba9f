//! Small spherical geodesy: positions, distances, bearings, dead reckoning.
//!
//! The simulator needs metres-level consistency, not survey accuracy: a
//! sphere of mean radius is used throughout (error < 0.5 % against WGS 84).

use serde::{Deserialize, Serialize};

pub use varde_sphere::{EARTH_RADIUS_M, KN_MS, NM_M};

/// A position in WGS 84 degrees (north and east positive).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LatLon {
    /// Latitude in degrees, −90..90.
    pub lat: f64,
    /// Longitude in degrees, −180..180.
    pub lon: f64,
}

impl LatLon {
    /// A position from latitude and longitude in degrees.
    pub const fn new(lat: f64, lon: f64) -> Self {
        Self { lat, lon }
    }

    /// Great-circle (haversine) distance to `other`, in metres.
    pub fn distance_m(self, other: LatLon) -> f64 {
        varde_sphere::distance_m(self.lat, self.lon, other.lat, other.lon)
    }

    /// Initial true bearing towards `other`, degrees 0..360.
    pub fn bearing_deg(self, other: LatLon) -> f64 {
        varde_sphere::initial_bearing_deg(self.lat, self.lon, other.lat, other.lon)
    }

    /// The point `dist_m` metres away on the initial true bearing
    /// `bearing_deg` (great circle), longitude wrapped into −180..180.
    pub fn destination(self, bearing_deg: f64, dist_m: f64) -> LatLon {
        let (lat, lon) = varde_sphere::destination(self.lat, self.lon, bearing_deg, dist_m);
        LatLon::new(lat, varde_sphere::normalize_lon_deg(lon))
    }

    /// A short step of `dist_m` metres on `course_deg` using the local flat
    /// approximation; cheap, and accurate for steps of a few kilometres.
    #[inline]
    pub fn step(self, course_deg: f64, dist_m: f64) -> LatLon {
        let (s, c) = course_deg.to_radians().sin_cos();
        let dlat = dist_m * c / EARTH_RADIUS_M;
        let dlon = dist_m * s / (EARTH_RADIUS_M * self.lat.to_radians().cos().max(1e-6));
        LatLon::new(self.lat + dlat.to_degrees(), self.lon + dlon.to_degrees())
    }

    /// Longitude in the AIS unit, 1/10 000 minute (600 000 per degree).
    pub fn ais_lon(self) -> i32 {
        (self.lon * 600_000.0).round() as i32
    }

    /// Latitude in the AIS unit, 1/10 000 minute.
    pub fn ais_lat(self) -> i32 {
        (self.lat * 600_000.0).round() as i32
    }
}

/// Shortest signed difference `to − from` between two angles, degrees in
/// −180..180.
pub fn angle_diff(from: f64, to: f64) -> f64 {
    varde_sphere::signed_angle_diff_deg(from, to)
}

/// Distance in metres from `p` to the polyline `line` (local equirectangular
/// projection around `p`; fine for the few-kilometre distances that matter).
pub fn distance_to_line_m(p: LatLon, line: &[LatLon]) -> f64 {
    let k = p.lat.to_radians().cos();
    let xy = |q: LatLon| {
        (
            (q.lon - p.lon).to_radians() * k * EARTH_RADIUS_M,
            (q.lat - p.lat).to_radians() * EARTH_RADIUS_M,
        )
    };
    let mut best = f64::INFINITY;
    for w in line.windows(2) {
        let (a, b) = (xy(w[0]), xy(w[1]));
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
    if line.len() == 1 {
        best = p.distance_m(line[0]);
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_minute_of_latitude_is_about_one_nautical_mile() {
        let a = LatLon::new(60.0, 5.0);
        let d = a.distance_m(LatLon::new(60.0 + 1.0 / 60.0, 5.0));
        assert!((d - NM_M).abs() < 10.0, "{d}");
    }

    #[test]
    fn destination_and_bearing_agree() {
        let a = LatLon::new(62.0, 5.0);
        let b = a.destination(45.0, 10_000.0);
        assert!((a.distance_m(b) - 10_000.0).abs() < 1.0);
        assert!(angle_diff(a.bearing_deg(b), 45.0).abs() < 0.1);
        let c = a.step(45.0, 1000.0);
        assert!((a.distance_m(c) - 1000.0).abs() < 1.0);
    }

    #[test]
    fn distance_to_a_line() {
        let line = [LatLon::new(60.0, 4.0), LatLon::new(60.0, 6.0)];
        let p = LatLon::new(60.0 + 1.0 / 60.0, 5.0);
        assert!((distance_to_line_m(p, &line) - NM_M).abs() < 10.0);
    }
}
