//! Spherical helpers: unit vectors and chord/arc conversion on top of `varde-sphere` (Earth radius,
//! haversine distance), which the other crates share.
//!
//! Distances use a spherical Earth of mean radius [`EARTH_RADIUS_M`]. Against the WGS 84 ellipsoid this
//! errs by at most about 0.5 %, far below the accuracy of the layers themselves. Positions are
//! `[lon, lat]` in degrees (GeoJSON order) inside the crate; the public API takes `(lat, lon)`.

pub(crate) use varde_sphere::EARTH_RADIUS_M;

/// A position as `[lon, lat]` in degrees, the GeoJSON order.
pub(crate) type LonLat = [f64; 2];

/// A point on the unit sphere (Earth-centred, Earth-fixed, radius 1).
pub(crate) type Unit = [f64; 3];

/// Whether `lat`/`lon` (degrees) is a usable WGS 84 position.
pub(crate) fn valid_lat_lon(lat: f64, lon: f64) -> bool {
    lat.is_finite()
        && lon.is_finite()
        && (-90.0..=90.0).contains(&lat)
        && (-180.0..=180.0).contains(&lon)
}

/// Unit vector of a `[lon, lat]` position in degrees.
pub(crate) fn unit(p: LonLat) -> Unit {
    let (lon, lat) = (p[0].to_radians(), p[1].to_radians());
    let c = lat.cos();
    [c * lon.cos(), c * lon.sin(), lat.sin()]
}

/// Great-circle distance in metres for a straight chord of length `chord` on the unit sphere.
pub(crate) fn chord_to_m(chord: f64) -> f64 {
    2.0 * EARTH_RADIUS_M * (chord / 2.0).clamp(0.0, 1.0).asin()
}

/// Chord length on the unit sphere for a great-circle distance of `m` metres (capped at half the globe).
pub(crate) fn m_to_chord(m: f64) -> f64 {
    let half = (m.max(0.0) / (2.0 * EARTH_RADIUS_M)).min(std::f64::consts::FRAC_PI_2);
    2.0 * half.sin()
}

/// Haversine great-circle distance in metres between two `[lon, lat]` positions in degrees (GeoJSON
/// order; [`varde_sphere::distance_m`] takes `(lat, lon)`).
#[inline]
pub fn haversine_m(a: [f64; 2], b: [f64; 2]) -> f64 {
    varde_sphere::distance_m(a[1], a[0], b[1], b[0])
}

fn sub(a: Unit, b: Unit) -> Unit {
    [a[0] - b[0], a[1] - b[1], a[2] - b[2]]
}

fn dot(a: Unit, b: Unit) -> f64 {
    a[0] * b[0] + a[1] * b[1] + a[2] * b[2]
}

/// Squared straight-line distance from `p` to the 3-D segment `a`–`b` (all on or near the unit sphere).
/// A zero-length segment is a point.
pub(crate) fn segment_distance_2(a: Unit, b: Unit, p: Unit) -> f64 {
    let ab = sub(b, a);
    let len2 = dot(ab, ab);
    let t = if len2 > 0.0 {
        (dot(sub(p, a), ab) / len2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let q = [a[0] + t * ab[0], a[1] + t * ab[1], a[2] + t * ab[2]];
    let d = sub(p, q);
    dot(d, d)
}

/// Splits the lon/lat segment `a`–`b` into pieces of at most `max_m` metres (linear in lon/lat, as
/// RFC 7946 draws lines) and calls `f` with each piece's end points as unit vectors and as lon/lat.
pub(crate) fn densify(
    a: LonLat,
    b: LonLat,
    max_m: f64,
    mut f: impl FnMut((Unit, Unit), (LonLat, LonLat)),
) {
    let n = (haversine_m(a, b) / max_m).ceil().clamp(1.0, 10_000.0) as usize;
    let (mut prev, mut prev_ll) = (unit(a), a);
    for i in 1..=n {
        let t = i as f64 / n as f64;
        let ll = [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])];
        let next = unit(ll);
        f((prev, next), (prev_ll, ll));
        (prev, prev_ll) = (next, ll);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_degree_of_latitude_is_about_111_km() {
        let d = haversine_m([5.0, 60.0], [5.0, 61.0]);
        assert!((d - 111_195.0).abs() < 10.0, "{d}");
    }

    #[test]
    fn chord_round_trips_metres() {
        for m in [0.0, 1.0, 1852.0, 50_000.0, 2_000_000.0] {
            assert!(
                (chord_to_m(m_to_chord(m)) - m).abs() < 1e-6 * m.max(1.0),
                "{m}"
            );
        }
    }

    #[test]
    fn segment_distance_matches_haversine_off_a_meridian() {
        // Short segment: a 111 km chord would dip 240 m below the surface (hence `densify`).
        let (a, b) = (unit([5.0, 60.49]), unit([5.0, 60.51]));
        let p = unit([5.1, 60.5]);
        let d = chord_to_m(segment_distance_2(a, b, p).sqrt());
        let expected = haversine_m([5.0, 60.5], [5.1, 60.5]);
        assert!((d - expected).abs() < 1.0, "{d} vs {expected}");
    }

    #[test]
    fn rejects_bad_positions() {
        assert!(!valid_lat_lon(f64::NAN, 0.0));
        assert!(!valid_lat_lon(91.0, 0.0));
        assert!(!valid_lat_lon(0.0, 181.0));
        assert!(valid_lat_lon(78.2, 15.6));
    }
}
