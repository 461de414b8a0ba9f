//! varde-geo's [`Geography`] as the engine's [`Geo`].
//!
//! Zone, asset and port descriptions are converted once at start-up into
//! vectors parallel to the geography's own (`Arc<str>` shared), so a query
//! looks them up by index and allocates only its small result vector.
//!
//! Asset kinds reach the engine in its own vocabulary
//! ([`varde_geo::AssetKind::watch_kind`]): power cables and HVDC links are
//! `cable`, so every detector that watches cables watches them. Coverage comes
//! from varde-geo's coverage model (a grid lookup).

use super::clearance::{self, Clearances};
use std::cell::RefCell;
use std::sync::Arc;
use varde_geo::Geography;
use varde_sphere::{distance_m, EARTH_RADIUS_M};
use varde_watch::geo::{AssetRef, Coverage, Geo, ZoneRef};

/// The geography the engine queries.
pub struct GeoAdapter {
    geo: Geography,
    /// By index in `geo.zones()`.
    zones: Vec<ZoneRef>,
    /// By index in `geo.assets()`.
    assets: Vec<AssetRef>,
    /// By index in `geo.ports()`.
    ports: Vec<Arc<str>>,
    /// Every port's latitude in radians, radius in metres and index in `geo.ports()`, ordered by
    /// latitude: [`Geo::port_within`] looks only at the band of latitudes that can be in reach.
    port_bounds: Vec<(f64, f64, usize)>,
    /// Each bound's port as a unit vector (parallel to `port_bounds`): within the band, a port whose
    /// chord alone puts it out of reach is skipped before the haversine (with the world's ports, a
    /// latitude band holds ports all round the globe).
    port_unit: Vec<[f64; 3]>,
    /// The largest port radius, metres.
    max_port_radius_m: f64,
    /// Cells far from land, assets or ports, whose fixes skip those queries.
    clear: Clearances,
    /// The zones (indices, in layer order) of each list of kinds asked for lately: detectors ask with
    /// the same few lists on every fix, and the kind of every zone need not be compared each time.
    kind_zones: RefCell<Vec<(Vec<String>, Vec<usize>)>>,
}

/// Lists of kinds whose zones [`GeoAdapter`] remembers at most.
const KIND_LISTS_MAX: usize = 8;

impl GeoAdapter {
    /// Wraps a loaded geography.
    pub fn new(geo: Geography) -> Self {
        let zones = geo
            .zones()
            .iter()
            .map(|z| ZoneRef {
                id: z.id.as_str().into(),
                name: z.name.as_str().into(),
                kind: z.kind.as_str().into(),
                region: Some(z.region.as_str().into()),
            })
            .collect();
        let assets = geo
            .assets()
            .iter()
            .map(|a| AssetRef {
                id: a.id.as_str().into(),
                name: a.name.as_str().into(),
                kind: a.kind.watch_kind().into(),
                distance_m: 0.0,
            })
            .collect();
        let ports = geo.ports().iter().map(|p| p.name.as_str().into()).collect();
        let mut port_bounds: Vec<(f64, f64, usize)> = geo
            .ports()
            .iter()
            .enumerate()
            .map(|(i, p)| (p.lat.to_radians(), p.radius_m, i))
            // A port without a latitude is never within reach (its bound is NaN).
            .filter(|p| !p.0.is_nan())
            .collect();
        port_bounds.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.2.cmp(&b.2)));
        let max_port_radius_m = port_bounds.iter().map(|p| p.1).fold(0.0, f64::max);
        let port_unit = port_bounds
            .iter()
            .map(|&(_, _, i)| unit(geo.ports()[i].lat, geo.ports()[i].lon))
            .collect();
        Self {
            geo,
            zones,
            assets,
            ports,
            port_bounds,
            port_unit,
            max_port_radius_m,
            clear: Clearances::default(),
            kind_zones: RefCell::default(),
        }
    }

    /// Runs `f` with the indices of the zones of the given kinds, in layer order.
    fn with_zones_of<T>(&self, kinds: &[String], f: impl FnOnce(&[usize]) -> T) -> T {
        let mut lists = self.kind_zones.borrow_mut();
        if let Some((_, zones)) = lists.iter().find(|(k, _)| k.as_slice() == kinds) {
            return f(zones);
        }
        let zones: Vec<usize> = (self.zones.iter().enumerate())
            .filter(|(_, z)| kinds.iter().any(|k| **k == *z.kind))
            .map(|(i, _)| i)
            .collect();
        let out = f(&zones);
        if lists.len() >= KIND_LISTS_MAX {
            lists.remove(0);
        }
        lists.push((kinds.to_vec(), zones));
        out
    }

    /// [`Geo::port_within`] without the clearance cache.
    fn port_within_uncached(&self, lat: f64, lon: f64, within_m: f64) -> Option<f64> {
        // The great-circle distance is at least R·|Δlat|: ports whose latitude alone puts them out of
        // reach (by more than a metre, far above rounding) are skipped without trigonometry. Ordered by
        // latitude, only the band that can pass that test is looked at (widened by a millimetre, so
        // the test itself decides at its edges); the nearest is the same whatever the order.
        let phi = lat.to_radians();
        let reach = (within_m + 1.0 + self.max_port_radius_m) / EARTH_RADIUS_M + 1e-10;
        let bounds = &self.port_bounds;
        let (from, to) = if reach.is_finite() && phi.is_finite() {
            let from = bounds.partition_point(|p| p.0 < phi - reach);
            let to = bounds.partition_point(|p| p.0 <= phi + reach);
            (from, to.max(from))
        } else {
            (0, bounds.len())
        };
        // The great-circle distance 2R·asin(c/2) is at least R·c for the chord c between unit vectors.
        let q = unit(lat, lon);
        let ports = self.geo.ports();
        bounds[from..to]
            .iter()
            .zip(&self.port_unit[from..to])
            .filter(|((p_phi, radius, _), u)| {
                let by_chord = EARTH_RADIUS_M * chord(q, **u) - radius;
                EARTH_RADIUS_M * (phi - p_phi).abs() - radius <= within_m + 1.0
                    && (by_chord <= within_m + 1.0 || by_chord.is_nan())
            })
            .map(|(b, _)| b)
            .map(|&(_, _, i)| distance_m(lat, lon, ports[i].lat, ports[i].lon) - ports[i].radius_m)
            .filter(|d| *d <= within_m)
            .min_by(f64::total_cmp)
            .map(|d| d.max(0.0))
    }

    /// The clearance of ports for the cell of `(lat, lon)`: whether it is more than `within_m`
    /// outside every port's area.
    fn clear_of_ports(&self, lat: f64, lon: f64, within_m: f64) -> bool {
        let port_m = |a, b| self.port_within_uncached(a, b, clearance::PORT_SEARCH_M);
        self.clear
            .no_port_within(&self.geo, lat, lon, within_m, port_m)
    }
}

impl Geo for GeoAdapter {
    fn zones_at(&self, lat: f64, lon: f64) -> Vec<ZoneRef> {
        self.geo
            .zone_indices_at(lat, lon)
            .map(|i| self.zones[i].clone())
            .collect()
    }

    fn zones_of(&self, lat: f64, lon: f64, kinds: &[String]) -> Vec<ZoneRef> {
        self.with_zones_of(kinds, |zones| {
            zones
                .iter()
                .filter(|&&i| self.geo.zone_contains(i, lat, lon))
                .map(|&i| self.zones[i].clone())
                .collect()
        })
    }

    fn land_depth_m(&self, lat: f64, lon: f64) -> Option<f64> {
        if self.clear.at_sea(&self.geo, lat, lon) {
            return None;
        }
        self.geo.land_depth_m(lat, lon)
    }

    fn in_port(&self, lat: f64, lon: f64) -> Option<Arc<str>> {
        if self.ports.is_empty() || self.clear_of_ports(lat, lon, 0.0) {
            return None;
        }
        self.geo
            .port_index_near(lat, lon)
            .map(|i| self.ports[i].clone())
    }

    fn port_within(&self, lat: f64, lon: f64, within_m: f64) -> Option<f64> {
        if self.ports.is_empty() || self.clear_of_ports(lat, lon, within_m) {
            return None;
        }
        self.port_within_uncached(lat, lon, within_m)
    }

    fn assets_within(&self, lat: f64, lon: f64, radius_m: f64) -> Vec<AssetRef> {
        if self.clear.no_asset_within(&self.geo, lat, lon, radius_m) {
            return Vec::new();
        }
        let mut v: Vec<AssetRef> = self
            .geo
            .asset_indices_within(lat, lon, radius_m)
            .into_iter()
            .map(|(i, d)| AssetRef {
                distance_m: d,
                ..self.assets[i].clone()
            })
            .collect();
        v.sort_by(|a, b| {
            a.distance_m
                .total_cmp(&b.distance_m)
                .then_with(|| a.id.cmp(&b.id))
        });
        v
    }

    fn coverage(&self, lat: f64, lon: f64) -> Coverage {
        match self.geo.coverage(lat, lon) {
            varde_geo::Coverage::Terrestrial => Coverage::Terrestrial,
            varde_geo::Coverage::Satellite => Coverage::Satellite,
        }
    }
}

/// The point on the unit sphere (degrees in).
fn unit(lat: f64, lon: f64) -> [f64; 3] {
    let (phi, lambda) = (lat.to_radians(), lon.to_radians());
    [
        phi.cos() * lambda.cos(),
        phi.cos() * lambda.sin(),
        phi.sin(),
    ]
}

/// Straight-line distance between two unit vectors.
fn chord(a: [f64; 3], b: [f64; 3]) -> f64 {
    ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2) + (a[2] - b[2]).powi(2)).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every port, unordered: what [`Geo::port_within`] must agree with.
    fn brute_force(geo: &Geography, lat: f64, lon: f64, within_m: f64) -> Option<f64> {
        geo.ports()
            .iter()
            .map(|p| distance_m(lat, lon, p.lat, p.lon) - p.radius_m)
            .filter(|d| *d <= within_m)
            .min_by(f64::total_cmp)
            .map(|d| d.max(0.0))
    }

    /// The clearance cache never changes an answer: on a grid over Norway's waters and land (and
    /// points jittered inside each grid point's cell, which the cache then answers), every query
    /// agrees with the geography asked directly, at sea, near the coast, near assets and in ports;
    /// and zones by kind are those of every zone at the point, filtered.
    #[test]
    fn clearance_cache_answers_as_the_geography_does() {
        let adapter = GeoAdapter::new(Geography::norway());
        let geo = &adapter.geo;
        assert!(!geo.assets().is_empty() && !geo.ports().is_empty());
        let (mut land, mut assets, mut ports, mut queries, mut zones) = (0, 0, 0, 0, 0);
        // More lists of kinds than the adapter remembers, so that it forgets and finds them again.
        let mut kind_lists: Vec<Vec<String>> = (0..KIND_LISTS_MAX + 2)
            .map(|i| vec![format!("kind-{i}"), "eez".to_owned()])
            .collect();
        kind_lists.push(vec!["territorial_sea".into(), "internal_waters".into()]);
        for i in 0..160 {
            for j in 0..120 {
                let (lat0, lon0) = (56.0 + f64::from(i) * 0.1, -2.0 + f64::from(j) * 0.28);
                for (dlat, dlon) in [(0.0, 0.0), (0.004, 0.011), (0.013, 0.027), (0.0191, 0.0393)] {
                    let (lat, lon) = (lat0 + dlat, lon0 + dlon);
                    queries += 1;
                    let depth = adapter.land_depth_m(lat, lon);
                    assert_eq!(
                        depth.map(f64::to_bits),
                        geo.land_depth_m(lat, lon).map(f64::to_bits),
                        "land at {lat},{lon}"
                    );
                    land += usize::from(depth.is_some());
                    let port = adapter.in_port(lat, lon);
                    assert_eq!(
                        port.is_some(),
                        geo.port_index_near(lat, lon).is_some(),
                        "port at {lat},{lon}"
                    );
                    ports += usize::from(port.is_some());
                    for r in [500.0, 1_852.0, 5_000.0, 40_000.0] {
                        let got = adapter.assets_within(lat, lon, r);
                        let want = geo.asset_indices_within(lat, lon, r);
                        assert_eq!(got.len(), want.len(), "assets within {r} m of {lat},{lon}");
                        assets += usize::from(!got.is_empty());
                    }
                    for kinds in &kind_lists {
                        let ids = |z: Vec<ZoneRef>| z.into_iter().map(|z| z.id).collect::<Vec<_>>();
                        let mut want = adapter.zones_at(lat, lon);
                        want.retain(|z| kinds.iter().any(|k| **k == *z.kind));
                        zones += want.len();
                        assert_eq!(ids(adapter.zones_of(lat, lon, kinds)), ids(want));
                    }
                    for w in [0.0, 1_000.0, 10_000.0] {
                        assert_eq!(
                            adapter.port_within(lat, lon, w).map(f64::to_bits),
                            adapter.port_within_uncached(lat, lon, w).map(f64::to_bits),
                            "port within {w} m of {lat},{lon}"
                        );
                    }
                }
            }
        }
        // The grid meets land, assets and ports, and most of it is open sea the cache answers.
        assert!(
            land > 1_000 && assets > 100 && ports > 20,
            "{land} {assets} {ports}"
        );
        assert!(queries > 70_000 && zones > 10_000, "{queries} {zones}");
    }

    #[test]
    fn port_within_by_latitude_band_finds_what_every_port_would() {
        // 400 ports along the coast (one with a 30 km radius far from the rest), queried on a grid.
        let mut csv = String::from("name,country,lat,lon,radius_m\n");
        let mut x: u64 = 7;
        let mut next = || {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            (x >> 11) as f64 / (1u64 << 53) as f64
        };
        for i in 0..400 {
            let (lat, lon, r) = (
                57.0 + 14.0 * next(),
                4.0 + 27.0 * next(),
                300.0 + 5_000.0 * next(),
            );
            csv.push_str(&format!("P{i},Norway,{lat},{lon},{r}\n"));
        }
        csv.push_str("Wide,Norway,74.5,19.0,30000\n");
        let path = std::env::temp_dir().join(format!("varde-ports-{}.csv", std::process::id()));
        std::fs::write(&path, csv).unwrap();
        let mut geo = Geography::empty();
        geo.replace_ports(&path).unwrap();
        std::fs::remove_file(&path).ok();
        let adapter = GeoAdapter::new(geo);
        let mut found = 0;
        for i in 0..120 {
            for j in 0..60 {
                let (lat, lon) = (56.0 + f64::from(i) * 0.14, 3.0 + f64::from(j) * 0.5);
                for within in [0.0, 1_000.0, 5_556.0, 50_000.0] {
                    let want = brute_force(&adapter.geo, lat, lon, within);
                    let got = adapter.port_within(lat, lon, within);
                    assert_eq!(
                        got.map(f64::to_bits),
                        want.map(f64::to_bits),
                        "at {lat},{lon} within {within}"
                    );
                    found += usize::from(got.is_some());
                }
            }
        }
        assert!(found > 1_000, "the grid meets ports: {found}");
        // The wide port is found from 29 km off though its neighbours in latitude are all out of reach.
        assert!(adapter
            .port_within(74.5 + 29_000.0 / 111_195.0, 19.0, 0.0)
            .is_some());
        assert_eq!(adapter.port_within(f64::NAN, 5.0, 1_000.0), None);
        assert_eq!(adapter.port_within(60.0, 5.0, f64::NAN), None);
    }
}
