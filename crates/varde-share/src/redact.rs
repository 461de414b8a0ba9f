//! Field redaction before release to a partner ([`Redaction`]): drop the
//! receiving station, coarsen positions to a grid, hold items back until
//! they are old enough. Applied to the item, before any encoder runs.
//!
//! The delay is a gate, not a time machine: [`apply`] refuses an item newer
//! than [`cutoff_ms`]. A vessel that reports every few seconds is never that
//! old, so for a delayed partner the caller fills the item from the state
//! *at* the cutoff (the last track point at or before it; for an alert, its
//! last revision at or before it) and the gate then guarantees that nothing
//! newer leaks.

use crate::config::Redaction;
use crate::item::{AlertItem, VesselItem};

/// Metres per degree of latitude (mean; the grid only needs to be "about"
/// the configured size).
const M_PER_DEG_LAT: f64 = 111_320.0;

/// The newest item time a partner with `redaction` may see at `now_ms`:
/// `now_ms` minus the delay.
pub fn cutoff_ms(redaction: &Redaction, now_ms: i64) -> i64 {
    now_ms.saturating_sub(i64::from(redaction.delay_min) * 60_000)
}

/// Whether an item from `time_ms` may be released at `now_ms` under the
/// delay (`time_ms` <= [`cutoff_ms`]).
pub fn released(time_ms: i64, redaction: &Redaction, now_ms: i64) -> bool {
    time_ms <= cutoff_ms(redaction, now_ms)
}

/// `(lat, lon)` snapped to the nearest point of a grid of about `metres`: latitude
/// in steps of `metres` / 111 320 degrees, longitude in steps scaled by the
/// cosine of the snapped latitude (so a cell is about `metres` wide on the
/// ground). Every point of a cell maps to the same grid point; `metres` = 0
/// leaves the position as it is. Results stay within ±90 / ±180 (clamped at
/// the antimeridian; within a cell of a pole, the pole).
pub fn coarsen(lat: f64, lon: f64, metres: u32) -> (f64, f64) {
    if metres == 0 || !lat.is_finite() || !lon.is_finite() {
        return (lat, lon);
    }
    let dlat = f64::from(metres) / M_PER_DEG_LAT;
    let glat = ((lat / dlat).round() * dlat).clamp(-90.0, 90.0);
    // Near a pole a longitude step would exceed the globe: give the pole.
    let cos = glat.to_radians().cos();
    let dlon = dlat / cos;
    let glon = if cos < 1e-9 || dlon >= 360.0 {
        0.0
    } else {
        ((lon / dlon).round() * dlon).clamp(-180.0, 180.0)
    };
    (round9(glat), round9(glon))
}

/// Rounds to 9 decimals (0.1 mm), so grid corners print short.
fn round9(v: f64) -> f64 {
    (v * 1e9).round() / 1e9
}

/// Applies `redaction` to a vessel for release at `now_ms`. Returns `false`
/// when the item is not yet releasable (younger than the delay; the item is
/// then left as it was); otherwise redacts in place and returns `true`.
/// Coarsening also sets `precision_m` to the grid size.
pub fn apply(v: &mut VesselItem, redaction: &Redaction, now_ms: i64) -> bool {
    if !released(v.time_ms, redaction, now_ms) {
        return false;
    }
    if redaction.drop_station {
        v.station = None;
    }
    if redaction.coarsen_m > 0 {
        if let (Some(lat), Some(lon)) = (v.lat, v.lon) {
            let (lat, lon) = coarsen(lat, lon, redaction.coarsen_m);
            v.lat = Some(lat);
            v.lon = Some(lon);
            v.precision_m = Some(
                v.precision_m
                    .unwrap_or(0.0)
                    .max(f64::from(redaction.coarsen_m)),
            );
        }
    }
    true
}

/// [`apply`] for an alert (delay counted from its latest revision).
pub fn apply_alert(a: &mut AlertItem, redaction: &Redaction, now_ms: i64) -> bool {
    if !released(a.time_ms, redaction, now_ms) {
        return false;
    }
    if redaction.drop_station {
        a.station = None;
    }
    if redaction.coarsen_m > 0 {
        (a.lat, a.lon) = coarsen(a.lat, a.lon, redaction.coarsen_m);
        a.precision_m = Some(
            a.precision_m
                .unwrap_or(0.0)
                .max(f64::from(redaction.coarsen_m)),
        );
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn metres_between(a: (f64, f64), b: (f64, f64)) -> f64 {
        let dlat = (a.0 - b.0) * M_PER_DEG_LAT;
        let dlon = (a.1 - b.1) * M_PER_DEG_LAT * a.0.to_radians().cos();
        dlat.hypot(dlon)
    }

    #[test]
    fn drops_station_coarsens_and_delays() {
        let mut v = VesselItem {
            mmsi: 257_000_001,
            lat: Some(59.9139),
            lon: Some(10.7522),
            time_ms: 600_000,
            station: Some("radar-3".into()),
            ..VesselItem::default()
        };
        let r = Redaction {
            drop_station: true,
            coarsen_m: 1000,
            delay_min: 10,
        };
        let before = v.clone();
        assert_eq!(cutoff_ms(&r, 1_200_000), 600_000);
        assert!(!apply(&mut v, &r, 600_000 + 599_999));
        assert_eq!(v, before, "held back items are untouched");
        assert!(apply(&mut v, &r, 1_200_000));
        assert_eq!(v.station, None);
        assert_eq!(v.precision_m, Some(1000.0));
        let moved = metres_between((59.9139, 10.7522), (v.lat.unwrap(), v.lon.unwrap()));
        assert!(moved > 1.0 && moved <= 710.0, "{moved}");
        let mut exact = before.clone();
        assert!(apply(&mut exact, &Redaction::default(), 600_000));
        assert_eq!(exact, before, "no redaction changes nothing");
    }

    proptest! {
        #[test]
        fn coarsened_positions_stay_near_on_a_grid(
            lat in -85.0f64..85.0, lon in -180.0f64..180.0, m in 1u32..20_000,
            dlat in -0.3f64..0.3, dlon in -0.3f64..0.3,
        ) {
            let (glat, glon) = coarsen(lat, lon, m);
            prop_assert!((-90.0..=90.0).contains(&glat) && (-180.0..=180.0).contains(&glon));
            // Within half a cell diagonal (plus slack for the cosine at the
            // snapped latitude and the sphere's curvature).
            let d = metres_between((lat, lon), (glat, glon));
            let lon_d = (glon - lon).abs().min(360.0 - (glon - lon).abs());
            prop_assume!(lon_d < 10.0);
            prop_assert!(d <= f64::from(m) * 0.8 + 1.0, "{} m for a {} m grid", d, m);
            // Idempotent: a grid point stays put.
            let again = coarsen(glat, glon, m);
            prop_assert!((again.0 - glat).abs() < 1e-6 && (again.1 - glon).abs() < 1e-6);
            // Same cell, same answer: points within a tenth of a cell of the
            // grid point snap back to it.
            let step = f64::from(m) / M_PER_DEG_LAT * 0.1;
            let near = coarsen(glat + dlat * step, glon + dlon * step / glat.to_radians().cos().max(0.05), m);
            prop_assert!((near.0 - glat).abs() < 1e-6 && (near.1 - glon).abs() < 1e-6);
        }
    }
}
