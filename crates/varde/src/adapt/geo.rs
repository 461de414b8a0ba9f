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
    /// Every port's latitude in radians and radius in metres, for the quick bound of
    /// [`Geo::port_within`].
    port_bounds: Vec<(f64, f64)>,
}

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
        let port_bounds = geo
            .ports()
            .iter()
            .map(|p| (p.lat.to_radians(), p.radius_m))
            .collect();
        Self {
            geo,
            zones,
            assets,
            ports,
            port_bounds,
        }
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
        self.zones
            .iter()
            .enumerate()
            .filter(|(_, z)| kinds.iter().any(|k| **k == *z.kind))
            .filter(|(i, _)| self.geo.zone_contains(*i, lat, lon))
            .map(|(_, z)| z.clone())
            .collect()
    }

    fn land_depth_m(&self, lat: f64, lon: f64) -> Option<f64> {
        self.geo.land_depth_m(lat, lon)
    }

    fn in_port(&self, lat: f64, lon: f64) -> Option<Arc<str>> {
        self.geo
            .port_index_near(lat, lon)
            .map(|i| self.ports[i].clone())
    }

    fn port_within(&self, lat: f64, lon: f64, within_m: f64) -> Option<f64> {
        // The great-circle distance is at least R·|Δlat|: ports whose latitude alone puts them out of
        // reach (by more than a metre, far above rounding) are skipped without trigonometry.
        let phi = lat.to_radians();
        self.geo
            .ports()
            .iter()
            .zip(&self.port_bounds)
            .filter(|(_, (p_phi, radius))| {
                EARTH_RADIUS_M * (phi - p_phi).abs() - radius <= within_m + 1.0
            })
            .map(|(p, _)| distance_m(lat, lon, p.lat, p.lon) - p.radius_m)
            .filter(|d| *d <= within_m)
            .min_by(f64::total_cmp)
            .map(|d| d.max(0.0))
    }

    fn assets_within(&self, lat: f64, lon: f64, radius_m: f64) -> Vec<AssetRef> {
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
