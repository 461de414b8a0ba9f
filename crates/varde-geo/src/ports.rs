//! Ports as circular port/anchorage areas: a CSV or GeoJSON of points with a radius each.

use serde_json::{Map, Value};

use crate::error::GeoError;
use crate::geojson_read::{read_features, Shape};
use crate::props::{f64_prop, name_of, str_prop};
use crate::segment_index::{SegmentIndex, SegmentIndexBuilder};
use crate::sphere::{haversine_m, valid_lat_lon};

/// Port radius in metres when a file gives neither `radius_m` nor a WPI `harbor_size`.
pub const DEFAULT_PORT_RADIUS_M: f64 = 2_000.0;

/// A port, treated as a circular port/anchorage area.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Port {
    /// Port name.
    pub name: String,
    /// Country or area as written in the source (`Norway`, `Svalbard`, …), empty if unknown.
    pub country: String,
    /// Latitude of the reference point, degrees WGS 84.
    pub lat: f64,
    /// Longitude of the reference point, degrees WGS 84.
    pub lon: f64,
    /// Radius of the port area around the reference point, metres.
    pub radius_m: f64,
}

/// Ports with a spatial index.
#[derive(Debug, Clone)]
pub(crate) struct PortLayer {
    pub ports: Vec<Port>,
    index: SegmentIndex,
    max_radius_m: f64,
}

impl PortLayer {
    fn new(layer: &str, ports: Vec<Port>) -> Result<Self, GeoError> {
        if ports.is_empty() {
            return Err(GeoError::EmptyLayer {
                layer: layer.to_string(),
                expected: "port",
            });
        }
        let mut b = SegmentIndexBuilder::default();
        for (i, p) in ports.iter().enumerate() {
            b.point([p.lon, p.lat], i as u32);
        }
        let max_radius_m = ports.iter().map(|p| p.radius_m).fold(0.0, f64::max);
        Ok(PortLayer {
            ports,
            index: b.build(true),
            max_radius_m,
        })
    }

    /// This layer's ports followed by `other`'s, indexed together.
    pub(crate) fn join(self, other: PortLayer) -> Result<Self, GeoError> {
        let mut ports = self.ports;
        ports.extend(other.ports);
        Self::new("ports", ports)
    }

    /// Reads `name,country,lat,lon,radius_m` CSV (header line first; `#` lines are comments; no quoting).
    pub(crate) fn from_csv(layer: &str, text: &str) -> Result<Self, GeoError> {
        let bad = |index, reason: String| GeoError::Feature {
            layer: layer.to_string(),
            index,
            reason,
        };
        let mut lines = text
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with('#'));
        let header: Vec<&str> = lines
            .next()
            .unwrap_or_default()
            .split(',')
            .map(str::trim)
            .collect();
        let col = |name: &str| header.iter().position(|h| *h == name);
        let (Some(n), Some(la), Some(lo)) = (col("name"), col("lat"), col("lon")) else {
            return Err(bad(0, "CSV header needs name, lat and lon columns".into()));
        };
        let (c, r) = (col("country"), col("radius_m"));
        let mut ports = Vec::new();
        for (index, line) in lines.enumerate() {
            let cells: Vec<&str> = line.split(',').map(str::trim).collect();
            let get = |i: Option<usize>| i.and_then(|i| cells.get(i).copied()).unwrap_or("");
            let num = |i: Option<usize>| get(i).parse::<f64>().ok().filter(|v| v.is_finite());
            let (Some(lat), Some(lon)) = (num(Some(la)), num(Some(lo))) else {
                return Err(bad(index, format!("bad lat/lon in {line:?}")));
            };
            if !valid_lat_lon(lat, lon) || get(Some(n)).is_empty() {
                return Err(bad(index, format!("bad row {line:?}")));
            }
            let radius_m = num(r).filter(|v| *v > 0.0).unwrap_or(DEFAULT_PORT_RADIUS_M);
            ports.push(Port {
                name: get(Some(n)).to_string(),
                country: get(c).to_string(),
                lat,
                lon,
                radius_m,
            });
        }
        Self::new(layer, ports)
    }

    /// Reads Point features: `name` (or another name-like property), `country`, and `radius_m`, else a
    /// radius from the World Port Index `harbor_size`, else [`DEFAULT_PORT_RADIUS_M`].
    pub(crate) fn from_geojson(layer: &str, bytes: &[u8]) -> Result<Self, GeoError> {
        let mut ports = Vec::new();
        for (index, f) in read_features(bytes)
            .map_err(|e| GeoError::from_read(layer, e))?
            .into_iter()
            .enumerate()
        {
            for s in &f.shapes {
                if let Shape::Point([lon, lat]) = *s {
                    let name = name_of(&f.props).unwrap_or_else(|| format!("port {index}"));
                    let country = str_prop(&f.props, "country").unwrap_or_default();
                    ports.push(Port {
                        name,
                        country,
                        lat,
                        lon,
                        radius_m: radius_of(&f.props),
                    });
                }
            }
        }
        Self::new(layer, ports)
    }

    /// The port whose area contains `p` (`[lon, lat]`), the nearest if several; with its distance in m.
    pub(crate) fn near(&self, p: [f64; 2]) -> Option<(&Port, f64)> {
        self.near_with_index(p).map(|(i, d)| (&self.ports[i], d))
    }

    /// Index of the port [`PortLayer::near`] finds.
    pub(crate) fn near_index(&self, p: [f64; 2]) -> Option<usize> {
        self.near_with_index(p).map(|(i, _)| i)
    }

    fn near_with_index(&self, p: [f64; 2]) -> Option<(usize, f64)> {
        self.index
            .within(p, self.max_radius_m)
            .into_iter()
            .map(|(i, _)| i as usize)
            .map(|i| (i, haversine_m(p, [self.ports[i].lon, self.ports[i].lat])))
            .filter(|&(i, d)| d <= self.ports[i].radius_m)
            .min_by(|a, b| a.1.total_cmp(&b.1))
    }
}

fn radius_of(props: &Map<String, Value>) -> f64 {
    if let Some(r) = f64_prop(props, "radius_m").filter(|r| *r > 0.0) {
        return r;
    }
    match str_prop(props, "harbor_size").as_deref() {
        Some("Very Small") => 1_000.0,
        Some("Small") => 1_500.0,
        Some("Medium") => 2_500.0,
        Some("Large") => 4_000.0,
        _ => DEFAULT_PORT_RADIUS_M,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_ports_and_lookup() {
        let l = PortLayer::from_csv(
            "p",
            "# c\nname,country,lat,lon,radius_m\nBergen,Norway,60.398,5.315,3000\nX,,61,5,\n",
        )
        .unwrap();
        assert_eq!(l.ports.len(), 2);
        assert_eq!(l.ports[1].radius_m, DEFAULT_PORT_RADIUS_M);
        assert_eq!(l.near([5.32, 60.40]).unwrap().0.name, "Bergen");
        assert!(l.near([5.5, 60.40]).is_none());
    }

    #[test]
    fn joined_layers_find_both() {
        let a = PortLayer::from_csv("a", "name,lat,lon\nBergen,60.398,5.315\n").unwrap();
        let b = PortLayer::from_csv("b", "name,lat,lon\nFujairah,25.17,56.36\n").unwrap();
        let l = a.join(b).unwrap();
        assert_eq!(l.near([5.32, 60.40]).unwrap().0.name, "Bergen");
        assert_eq!(l.near([56.36, 25.17]).unwrap().0.name, "Fujairah");
    }

    #[test]
    fn csv_errors() {
        assert!(PortLayer::from_csv("p", "a,b\n1,2\n").is_err());
        assert!(PortLayer::from_csv("p", "name,lat,lon\nA,95,5\n").is_err());
        assert!(PortLayer::from_csv("p", "name,lat,lon\nA,x,5\n").is_err());
        assert!(PortLayer::from_csv("p", "name,lat,lon\n").is_err());
    }

    #[test]
    fn geojson_ports_use_wpi_size() {
        let text = br#"{"type":"FeatureCollection","features":[{"type":"Feature",
          "properties":{"name":"Longyearbyen","harbor_size":"Small","country":"Svalbard"},
          "geometry":{"type":"Point","coordinates":[15.6,78.23]}}]}"#;
        let l = PortLayer::from_geojson("w", text).unwrap();
        assert_eq!(l.ports[0].radius_m, 1_500.0);
        assert_eq!(l.ports[0].country, "Svalbard");
    }
}
