//! Conversions of raw AIS fields to degrees and knots.
//!
//! AIS positions are signed integers in fractions of a minute: 1/10000 min
//! (600 000 per degree) in position reports, 1/1000 min in binary
//! applications, 1/10 min (600 per degree) in types 17, 22, 23 and 27.
//! Longitude 181° and latitude 91° mean "not available".

/// Position reports (types 1–4, 9, 11, 18, 19, 21): 1/10000 minute.
pub const PER_DEGREE_1_10000_MIN: f64 = 600_000.0;
/// Coarse positions (types 17, 22, 23, 27): 1/10 minute.
pub const PER_DEGREE_1_10_MIN: f64 = 600.0;

/// Longitude in degrees, `None` for 181° ("not available") or out of range.
#[inline]
pub fn lon_deg(raw: i32, per_degree: f64) -> Option<f64> {
    let d = f64::from(raw) / per_degree;
    (d.abs() <= 180.0).then_some(d)
}

/// Latitude in degrees, `None` for 91° ("not available") or out of range.
#[inline]
pub fn lat_deg(raw: i32, per_degree: f64) -> Option<f64> {
    let d = f64::from(raw) / per_degree;
    (d.abs() <= 90.0).then_some(d)
}

/// Speed over ground in knots from 1/10 knot; 1023 = not available. 1022
/// means 102.2 knots or more.
#[inline]
pub fn sog_knots(raw: u16) -> Option<f32> {
    (raw < 1023).then(|| f32::from(raw) / 10.0)
}

/// Course over ground in degrees from 1/10 degree; 3600 = not available.
#[inline]
pub fn cog_deg(raw: u16) -> Option<f32> {
    (raw < 3600).then(|| f32::from(raw) / 10.0)
}

/// True heading in degrees (0–359); 511 = not available.
#[inline]
pub fn heading_deg(raw: u16) -> Option<u16> {
    (raw < 360).then_some(raw)
}

/// Rate of turn in degrees per minute from the ROT_AIS indicator
/// (`4.733 * sqrt(rot)`, signed). `None` for -128 (not available) and for
/// ±127 (turning faster than 5°/30 s, no turn indicator).
#[inline]
pub fn rot_deg_per_min(raw: i8) -> Option<f32> {
    match raw {
        -128 | -127 | 127 => None,
        v => {
            let x = f32::from(v) / 4.733;
            Some(x * x * f32::from(v.signum()))
        }
    }
}

/// A value decoded as `f32` (speed, course, draught…) and widened to `f64`, at the precision it
/// was decoded with: `f64::from(261.2f32)` is `261.20001220703125`, and this gives `261.2` back,
/// the shortest decimal that is the same `f32`. A value that is no `f32` (a position computed in
/// `f64`, say) or not finite is returned as it is. For JSON output, where the widened digits would
/// claim a precision the data never had.
#[inline]
pub fn decoded_precision(x: f64) -> f64 {
    let f = x as f32;
    if !x.is_finite() || f64::from(f) != x {
        return x;
    }
    // Most values are tenths or whole numbers: try few decimals before formatting.
    let mut scale = 1.0;
    for _ in 0..4 {
        let r = (x * scale).round() / scale;
        if r as f32 == f {
            return r;
        }
        scale *= 10.0;
    }
    f.to_string().parse().unwrap_or(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn not_available_values() {
        assert_eq!(lon_deg(181 * 600_000, PER_DEGREE_1_10000_MIN), None);
        assert_eq!(lat_deg(91 * 600_000, PER_DEGREE_1_10000_MIN), None);
        assert_eq!(sog_knots(1023), None);
        assert_eq!(cog_deg(3600), None);
        assert_eq!(heading_deg(511), None);
        assert_eq!(rot_deg_per_min(-128), None);
        assert_eq!(sog_knots(123), Some(12.3));
        assert!((rot_deg_per_min(-10).unwrap() + 4.464).abs() < 0.01);
    }

    #[test]
    fn decoded_precision_undoes_f32_widening() {
        let widened = f64::from(cog_deg(2612).unwrap());
        assert_eq!(widened.to_string(), "261.20001220703125");
        assert_eq!(decoded_precision(widened).to_string(), "261.2");
        for raw in 0..3600u16 {
            let x = f64::from(cog_deg(raw).unwrap());
            let d = decoded_precision(x);
            assert_eq!(d as f32, x as f32, "same f32 for {raw}");
            assert_eq!(d, f64::from(raw) / 10.0, "shortest for {raw}");
        }
        assert_eq!(
            decoded_precision(f64::from(0.1234567f32)).to_string(),
            "0.1234567"
        );
        // Not an f32: unchanged.
        assert_eq!(decoded_precision(59.123456789), 59.123456789);
        assert!(decoded_precision(f64::NAN).is_nan());
        assert_eq!(decoded_precision(-7.5), -7.5);
    }
}
