//! varde-geo's [`Geography`] as the engine's [`Geo`].
//!
//! Zone and asset descriptions are converted once at start-up and shared
//! (`Arc<str>`), so a query allocates only its small result vector.

use std::collections::HashMap;
use std::sync::Arc;
use varde_geo::Geography;
use varde_watch::geo::{AssetRef, Geo, ZoneRef};

/// The geography the engine queries.
pub struct GeoAdapter {
    geo: Geography,
    zones: HashMap<String, ZoneRef>,
    assets: HashMap<String, AssetRef>,
    ports: HashMap<String, Arc<str>>,
}

impl GeoAdapter {
    /// Wraps a loaded geography.
    pub fn new(geo: Geography) -> Self {
        let zones = geo
            .zones()
            .iter()
            .map(|z| {
                let r = ZoneRef {
                    id: z.id.as_str().into(),
                    name: z.name.as_str().into(),
                    kind: z.kind.as_str().into(),
                    region: Some(z.region.as_str().into()),
                };
                (z.id.clone(), r)
            })
            .collect();
        let assets = geo
            .assets()
            .iter()
            .map(|a| {
                let r = AssetRef {
                    id: a.id.as_str().into(),
                    name: a.name.as_str().into(),
                    kind: a.kind.as_str().into(),
                    distance_m: 0.0,
                };
                (a.id.clone(), r)
            })
            .collect();
        let ports = geo
            .ports()
            .iter()
            .map(|p| (p.name.clone(), p.name.as_str().into()))
            .collect();
        Self {
            geo,
            zones,
            assets,
            ports,
        }
    }
}

impl Geo for GeoAdapter {
    fn zones_at(&self, lat: f64, lon: f64) -> Vec<ZoneRef> {
        self.geo
            .zones_at(lat, lon)
            .into_iter()
            .filter_map(|z| self.zones.get(&z.id).cloned())
            .collect()
    }

    fn land_depth_m(&self, lat: f64, lon: f64) -> Option<f64> {
        self.geo.land_depth_m(lat, lon)
    }

    fn in_port(&self, lat: f64, lon: f64) -> Option<Arc<str>> {
        self.geo
            .port_near(lat, lon)
            .and_then(|p| self.ports.get(&p.name).cloned())
    }

    fn port_within(&self, lat: f64, lon: f64, within_m: f64) -> Option<f64> {
        self.geo
            .ports()
            .iter()
            .map(|p| varde_watch::geo::distance_m(lat, lon, p.lat, p.lon) - p.radius_m)
            .filter(|d| *d <= within_m)
            .min_by(f64::total_cmp)
            .map(|d| d.max(0.0))
    }

    fn assets_within(&self, lat: f64, lon: f64, radius_m: f64) -> Vec<AssetRef> {
        let mut v: Vec<AssetRef> = self
            .geo
            .assets_within(lat, lon, radius_m)
            .into_iter()
            .filter_map(|(a, d)| {
                self.assets.get(&a.id).map(|r| AssetRef {
                    distance_m: d,
                    ..r.clone()
                })
            })
            .collect();
        v.sort_by(|a, b| {
            a.distance_m
                .total_cmp(&b.distance_m)
                .then_with(|| a.id.cmp(&b.id))
        });
        v
    }
}
