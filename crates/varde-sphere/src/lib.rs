//! Spherical geometry for Varde: one Earth radius, one haversine, one bearing, one destination point,
//! shared by `varde-geo`, `varde-watch`, `varde-sim` and the binary (which otherwise know nothing of
//! each other). No dependencies.
//!
//! # Conventions
//! - Positions are latitude and longitude in **degrees** WGS 84, north and east positive, passed as
//!   `(lat, lon)` in that order.
//! - Distances are **metres** on a sphere of mean radius [`EARTH_RADIUS_M`]. Against the WGS 84
//!   ellipsoid this errs by at most about 0.5 %, far below the accuracy of AIS positions and of the
//!   map layers the distances are compared with.
//! - Bearings and courses are **degrees true**, clockwise from north, 0–360.
//! - Speeds are **knots** (nautical miles per hour, [`NM_M`] metres per nautical mile); durations in
//!   **milliseconds** where they come from event time.
//!
//! The functions are small and `#[inline]`: detectors call them on every report.
//!
//! ```
//! use varde_sphere::{destination, distance_m, initial_bearing_deg, NM_M};
//! // One minute of latitude is about one nautical mile.
//! assert!((distance_m(60.0, 5.0, 60.0 + 1.0 / 60.0, 5.0) - NM_M).abs() < 5.0);
//! let (lat, lon) = destination(60.0, 5.0, 45.0, 10_000.0);
//! assert!((distance_m(60.0, 5.0, lat, lon) - 10_000.0).abs() < 0.01);
//! assert!((initial_bearing_deg(60.0, 5.0, lat, lon) - 45.0).abs() < 1e-6);
//! ```

/// Mean Earth radius in metres (IUGG mean radius R₁).
pub const EARTH_RADIUS_M: f64 = 6_371_008.8;

/// One international nautical mile in metres.
pub const NM_M: f64 = 1_852.0;

/// One knot in metres per second.
pub const KN_MS: f64 = NM_M / 3_600.0;

/// Great-circle distance in metres between two positions in degrees (haversine formula; stable for
/// short distances, exact on the sphere).
#[inline]
pub fn distance_m(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = p2 - p1;
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_M * a.sqrt().min(1.0).asin()
}

/// Initial true bearing in degrees (0–360, clockwise from north) of the great circle from the first
/// position to the second (degrees). 0 when the positions coincide.
#[inline]
pub fn initial_bearing_deg(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dl = (lon2 - lon1).to_radians();
    let y = dl.sin() * p2.cos();
    let x = p1.cos() * p2.sin() - p1.sin() * p2.cos() * dl.cos();
    y.atan2(x).to_degrees().rem_euclid(360.0)
}

/// The position `(lat, lon)` in degrees reached from `(lat, lon)` (degrees) after `dist_m` metres
/// along the great circle with initial true bearing `bearing_deg` (degrees).
///
/// The longitude is not wrapped: past the antimeridian it leaves −180..180 (wrap it with
/// [`normalize_lon_deg`] where that matters).
#[inline]
pub fn destination(lat: f64, lon: f64, bearing_deg: f64, dist_m: f64) -> (f64, f64) {
    let d = dist_m / EARTH_RADIUS_M;
    let (p1, l1, b) = (lat.to_radians(), lon.to_radians(), bearing_deg.to_radians());
    let p2 = (p1.sin() * d.cos() + p1.cos() * d.sin() * b.cos()).asin();
    let l2 = l1 + (b.sin() * d.sin() * p1.cos()).atan2(d.cos() - p1.sin() * p2.sin());
    (p2.to_degrees(), l2.to_degrees())
}

/// A longitude in degrees wrapped into −180..180.
#[inline]
pub fn normalize_lon_deg(lon: f64) -> f64 {
    (lon + 540.0).rem_euclid(360.0) - 180.0
}

/// Smallest absolute difference between two angles in degrees: 0–180 (`350°` and `10°` differ by 20).
#[inline]
pub fn angle_diff_deg(a: f32, b: f32) -> f32 {
    let d = (a - b).rem_euclid(360.0);
    d.min(360.0 - d)
}

/// Shortest signed turn in degrees from angle `from` to angle `to` (degrees): −180..180, positive
/// clockwise (from 350° to 10° is +20).
#[inline]
pub fn signed_angle_diff_deg(from: f64, to: f64) -> f64 {
    (to - from + 540.0).rem_euclid(360.0) - 180.0
}

/// Speed in knots needed to cover `dist_m` metres in `dt_ms` milliseconds. Infinite when `dt_ms ≤ 0`
/// (two fixes at the same instant, or out of order): callers must not print it as a speed.
#[inline]
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
        let deg = distance_m(60.0, 5.0, 61.0, 5.0);
        assert!((deg - 111_195.0).abs() < 10.0, "{deg}");
    }

    #[test]
    fn distance_is_symmetric_and_zero_on_itself() {
        assert_eq!(distance_m(78.2, 15.6, 78.2, 15.6), 0.0);
        let (a, b) = (
            distance_m(59.9, 10.7, 60.4, 5.3),
            distance_m(60.4, 5.3, 59.9, 10.7),
        );
        assert!((a - b).abs() < 1e-6, "{a} vs {b}");
        // Oslo–Bergen is about 305 km.
        assert!((300_000.0..310_000.0).contains(&a), "{a}");
        // Antipodes: half the circumference, no NaN.
        let half = distance_m(0.0, 0.0, 0.0, 180.0);
        assert!((half - std::f64::consts::PI * EARTH_RADIUS_M).abs() < 1e-3);
    }

    #[test]
    fn bearings_of_the_cardinal_directions() {
        assert!((initial_bearing_deg(60.0, 5.0, 61.0, 5.0) - 0.0).abs() < 1e-9);
        assert!((initial_bearing_deg(60.0, 5.0, 59.0, 5.0) - 180.0).abs() < 1e-9);
        let east = initial_bearing_deg(60.0, 5.0, 60.0, 6.0);
        assert!(
            (89.0..90.0).contains(&east),
            "great circle leaves north of east: {east}"
        );
        let west = initial_bearing_deg(60.0, 5.0, 60.0, 4.0);
        assert!((270.0..271.0).contains(&west), "{west}");
        assert_eq!(initial_bearing_deg(60.0, 5.0, 60.0, 5.0), 0.0);
    }

    #[test]
    fn destination_round_trips_distance_and_bearing() {
        for bearing in [0.0, 45.0, 133.0, 180.0, 271.5] {
            for dist in [1.0, 1_852.0, 50_000.0, 1_000_000.0] {
                let (lat, lon) = destination(62.0, 5.0, bearing, dist);
                let d = distance_m(62.0, 5.0, lat, lon);
                assert!(
                    (d - dist).abs() < 1e-6 * dist.max(1.0),
                    "{bearing} {dist}: {d}"
                );
                let b = initial_bearing_deg(62.0, 5.0, lat, lon);
                assert!(
                    signed_angle_diff_deg(b, bearing).abs() < 1e-6,
                    "{b} vs {bearing}"
                );
            }
        }
        let (lat, lon) = destination(60.0, 5.0, 90.0, 0.0);
        assert!((lat - 60.0).abs() < 1e-12 && (lon - 5.0).abs() < 1e-12);
    }

    #[test]
    fn destination_does_not_wrap_but_normalize_does() {
        let (_, lon) = destination(0.0, 179.9, 90.0, 50_000.0);
        assert!(lon > 180.0, "{lon}");
        let wrapped = normalize_lon_deg(lon);
        assert!((-180.0..-179.0).contains(&wrapped), "{wrapped}");
        assert_eq!(normalize_lon_deg(-180.0), -180.0);
        assert!((normalize_lon_deg(5.25) - 5.25).abs() < 1e-12);
    }

    #[test]
    fn angles_wrap() {
        assert_eq!(angle_diff_deg(350.0, 10.0), 20.0);
        assert_eq!(angle_diff_deg(10.0, 350.0), 20.0);
        assert_eq!(angle_diff_deg(0.0, 180.0), 180.0);
        assert_eq!(angle_diff_deg(-90.0, 270.0), 0.0);
        assert_eq!(signed_angle_diff_deg(350.0, 10.0), 20.0);
        assert_eq!(signed_angle_diff_deg(10.0, 350.0), -20.0);
    }

    #[test]
    fn implied_speed_is_infinite_without_elapsed_time() {
        assert_eq!(implied_speed_kn(NM_M, 3_600_000), 1.0);
        assert_eq!(implied_speed_kn(NM_M * 10.0, 1_800_000), 20.0);
        assert_eq!(implied_speed_kn(100.0, 0), f64::INFINITY);
        assert_eq!(implied_speed_kn(100.0, -5), f64::INFINITY);
        assert!((KN_MS - 0.514_444).abs() < 1e-6);
    }
}
