//! Point queries on a [`Geography`]. Positions are `(lat, lon)` in degrees WGS 84, distances metres.
//! A non-finite or out-of-range position matches nothing (empty result, `None` or `false`).

use crate::geography::Geography;
use crate::infra::Asset;
use crate::ports::Port;
use crate::sphere::valid_lat_lon;
use crate::zones::Zone;

impl Geography {
    /// Every zone containing the position, in layer order (built-in: inner to outer).
    pub fn zones_at(&self, lat: f64, lon: f64) -> Vec<&Zone> {
        if !valid_lat_lon(lat, lon) {
            return Vec::new();
        }
        self.zones
            .containing([lon, lat])
            .map(|i| &self.zones.zones[i])
            .collect()
    }

    /// The containing zone closest to the coast by [`crate::ZoneKind::rank`] (internal waters before
    /// territorial sea before contiguous zone before the 200 nm zones before user zones); the first in
    /// layer order on a tie. `None` on the high seas or outside every layer.
    pub fn innermost_zone(&self, lat: f64, lon: f64) -> Option<&Zone> {
        if !valid_lat_lon(lat, lon) {
            return None;
        }
        self.zones
            .containing([lon, lat])
            .map(|i| &self.zones.zones[i])
            .min_by_key(|z| z.kind.rank())
    }

    /// How far inside land the position is, in metres (distance to the nearest shore or lake edge);
    /// `None` at sea, on a lake, without a land layer, or for a bad position.
    pub fn land_depth_m(&self, lat: f64, lon: f64) -> Option<f64> {
        let land = self.land.as_ref().filter(|_| valid_lat_lon(lat, lon))?;
        land.contains([lon, lat])
            .then(|| land.shore_distance_m([lon, lat]))
    }

    /// Whether the position is more than `tolerance_m` metres inside land. Use a tolerance matched to
    /// the land layer (built-in: 500 m) so that coarse coastlines and GPS noise raise no false alarms.
    pub fn on_land(&self, lat: f64, lon: f64, tolerance_m: f64) -> bool {
        self.land_depth_m(lat, lon).is_some_and(|d| d > tolerance_m)
    }

    /// Distance in metres from a position at sea to the nearest land (0 on land); `None` without a
    /// land layer or for a bad position. The built-in land only covers Norway's zones plus a 30 km
    /// margin, so beyond about 30 km outside those zones land further away is missing.
    pub fn distance_to_land_m(&self, lat: f64, lon: f64) -> Option<f64> {
        let land = self.land.as_ref().filter(|_| valid_lat_lon(lat, lon))?;
        Some(if land.contains([lon, lat]) {
            0.0
        } else {
            land.shore_distance_m([lon, lat])
        })
    }

    /// The port whose area (radius) contains the position; the nearest one if several do.
    pub fn port_near(&self, lat: f64, lon: f64) -> Option<&Port> {
        let ports = self.ports.as_ref().filter(|_| valid_lat_lon(lat, lon))?;
        ports.near([lon, lat]).map(|(p, _)| p)
    }

    /// Assets whose geometry lies within `radius_m` metres of the position, nearest first, each with
    /// its distance in metres (0 inside a polygon asset such as a field).
    pub fn assets_within(&self, lat: f64, lon: f64, radius_m: f64) -> Vec<(&Asset, f64)> {
        if !valid_lat_lon(lat, lon) || radius_m.is_nan() || radius_m < 0.0 {
            return Vec::new();
        }
        self.sorted(self.infra.within([lon, lat], radius_m))
    }

    /// Assets whose own watch buffer ([`Asset::buffer_m`]) contains the position, nearest first, with
    /// distances in metres.
    pub fn assets_in_buffer(&self, lat: f64, lon: f64) -> Vec<(&Asset, f64)> {
        if !valid_lat_lon(lat, lon) {
            return Vec::new();
        }
        let hits = self.infra.within([lon, lat], self.infra.max_buffer_m);
        let mut out = self.sorted(hits);
        out.retain(|(a, d)| *d <= a.buffer_m);
        out
    }

    /// The nearest asset within `max_m` metres and its distance in metres.
    pub fn nearest_asset(&self, lat: f64, lon: f64, max_m: f64) -> Option<(&Asset, f64)> {
        if !valid_lat_lon(lat, lon) {
            return None;
        }
        let (i, d) = self.infra.nearest([lon, lat])?;
        (d <= max_m).then(|| (&self.infra.assets[i as usize], d))
    }

    /// Indices (into [`Geography::zones`]) of every zone containing the position, in layer order: the
    /// zones [`Geography::zones_at`] returns.
    pub fn zone_indices_at(&self, lat: f64, lon: f64) -> impl Iterator<Item = usize> + '_ {
        let ok = valid_lat_lon(lat, lon);
        self.zones.containing([lon, lat]).filter(move |_| ok)
    }

    /// Whether the zone at `index` in [`Geography::zones`] contains the position (`false` for an index
    /// out of range). Lets a caller test a zone's kind before its polygon.
    pub fn zone_contains(&self, index: usize, lat: f64, lon: f64) -> bool {
        valid_lat_lon(lat, lon) && self.zones.contains(index, [lon, lat])
    }

    /// Like [`Geography::assets_within`], but each asset as its index in [`Geography::assets`], and
    /// unordered: for callers that keep their own per-asset data and order the hits themselves.
    pub fn asset_indices_within(&self, lat: f64, lon: f64, radius_m: f64) -> Vec<(usize, f64)> {
        if !valid_lat_lon(lat, lon) || radius_m.is_nan() || radius_m < 0.0 {
            return Vec::new();
        }
        self.infra
            .within([lon, lat], radius_m)
            .into_iter()
            .map(|(i, d)| (i as usize, d))
            .collect()
    }

    /// Like [`Geography::port_near`], but the port as its index in [`Geography::ports`].
    pub fn port_index_near(&self, lat: f64, lon: f64) -> Option<usize> {
        let ports = self.ports.as_ref().filter(|_| valid_lat_lon(lat, lon))?;
        ports.near_index([lon, lat])
    }

    fn sorted(&self, hits: Vec<(u32, f64)>) -> Vec<(&Asset, f64)> {
        let mut out: Vec<_> = hits
            .into_iter()
            .map(|(i, d)| (&self.infra.assets[i as usize], d))
            .collect();
        out.sort_by(|a, b| a.1.total_cmp(&b.1));
        out
    }

    /// All zones, in layer order.
    pub fn zones(&self) -> &[Zone] {
        &self.zones.zones
    }

    /// All ports (empty without a port layer).
    pub fn ports(&self) -> &[Port] {
        self.ports.as_ref().map_or(&[], |p| &p.ports)
    }

    /// All infrastructure assets.
    pub fn assets(&self) -> &[Asset] {
        &self.infra.assets
    }

    /// Whether a land layer is loaded.
    pub fn has_land(&self) -> bool {
        self.land.is_some()
    }
}
