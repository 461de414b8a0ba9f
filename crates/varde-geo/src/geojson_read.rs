//! A lean GeoJSON reader: FeatureCollection → features with properties and plain coordinate vectors.
//!
//! Hand-written on serde instead of the `geojson` crate because the crate first builds a generic JSON
//! tree and then converts it; reading positions straight into `[lon, lat]` pairs makes loading the
//! built-in land layer (hundreds of thousands of positions) several times faster. Extra position
//! members (altitude) are ignored; `GeometryCollection`s are flattened; null geometries are skipped.

use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::{Map, Value};

use crate::sphere::LonLat;

/// One feature: its properties (empty when absent), its GeoJSON `id` if any, and its shapes.
#[derive(Debug)]
pub(crate) struct Feature {
    pub props: Map<String, Value>,
    pub id: Option<Value>,
    pub shapes: Vec<Shape>,
}

/// Geometry as plain vectors of `[lon, lat]` (degrees).
#[derive(Debug, Clone)]
pub(crate) enum Shape {
    /// Points (Point, MultiPoint).
    Point(LonLat),
    /// A line (LineString or one part of a MultiLineString).
    Line(Vec<LonLat>),
    /// A polygon: exterior ring then holes.
    Polygon(Vec<Vec<LonLat>>),
}

#[derive(Deserialize)]
struct RawCollection {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    features: Vec<RawFeature>,
}

#[derive(Deserialize)]
struct RawFeature {
    #[serde(default)]
    id: Option<Value>,
    #[serde(default)]
    properties: Option<Map<String, Value>>,
    #[serde(default)]
    geometry: Option<RawGeometry>,
}

#[derive(Deserialize)]
struct RawGeometry {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    coordinates: Option<Nested>,
    #[serde(default)]
    geometries: Vec<RawGeometry>,
}

/// Nested coordinate arrays; a position becomes `Pos` without an intermediate vector.
enum Nested {
    Num(f64),
    Pos(LonLat),
    List(Vec<Nested>),
}

impl<'de> Deserialize<'de> for Nested {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(NestedVisitor)
    }
}

struct NestedVisitor;

impl<'de> Visitor<'de> for NestedVisitor {
    type Value = Nested;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a number or an array of coordinates")
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Nested, E> {
        Ok(Nested::Num(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Nested, E> {
        Ok(Nested::Num(v as f64))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Nested, E> {
        Ok(Nested::Num(v as f64))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Nested, A::Error> {
        let Some(first) = seq.next_element::<Nested>()? else {
            return Ok(Nested::List(Vec::new()));
        };
        if let Nested::Num(x) = first {
            let Some(Nested::Num(y)) = seq.next_element::<Nested>()? else {
                return Err(de::Error::custom("a position needs two numbers"));
            };
            while seq.next_element::<de::IgnoredAny>()?.is_some() {}
            return Ok(Nested::Pos([x, y]));
        }
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(4) + 1);
        items.push(first);
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Nested::List(items))
    }
}

/// Parses a FeatureCollection. Errors are JSON syntax errors or a message naming the bad feature.
pub(crate) fn read_features(bytes: &[u8]) -> Result<Vec<Feature>, ReadError> {
    let raw: RawCollection = serde_json::from_slice(bytes).map_err(ReadError::Json)?;
    if raw.kind != "FeatureCollection" {
        return Err(ReadError::Shape {
            index: 0,
            reason: format!("expected a FeatureCollection, found {}", raw.kind),
        });
    }
    let mut out = Vec::with_capacity(raw.features.len());
    for (index, f) in raw.features.into_iter().enumerate() {
        let mut shapes = Vec::new();
        if let Some(g) = &f.geometry {
            flatten(g, &mut shapes).map_err(|reason| ReadError::Shape { index, reason })?;
        }
        out.push(Feature {
            props: f.properties.unwrap_or_default(),
            id: f.id,
            shapes,
        });
    }
    Ok(out)
}

/// Why a GeoJSON text could not be read.
#[derive(Debug)]
pub(crate) enum ReadError {
    Json(serde_json::Error),
    Shape { index: usize, reason: String },
}

fn flatten(g: &RawGeometry, out: &mut Vec<Shape>) -> Result<(), String> {
    let c = g.coordinates.as_ref();
    let need = || c.ok_or_else(|| format!("{} without coordinates", g.kind));
    match g.kind.as_str() {
        "Point" => out.push(Shape::Point(pos(need()?)?)),
        "MultiPoint" => out.extend(
            list(need()?)?
                .iter()
                .map(pos)
                .collect::<Result<Vec<_>, _>>()?
                .into_iter()
                .map(Shape::Point),
        ),
        "LineString" => out.push(Shape::Line(positions(need()?)?)),
        "MultiLineString" => {
            for l in list(need()?)? {
                out.push(Shape::Line(positions(l)?));
            }
        }
        "Polygon" => out.push(Shape::Polygon(rings(need()?)?)),
        "MultiPolygon" => {
            for p in list(need()?)? {
                out.push(Shape::Polygon(rings(p)?));
            }
        }
        "GeometryCollection" => {
            for sub in &g.geometries {
                flatten(sub, out)?;
            }
        }
        other => return Err(format!("unknown geometry type {other}")),
    }
    Ok(())
}

fn list(n: &Nested) -> Result<&[Nested], String> {
    match n {
        Nested::List(v) => Ok(v),
        _ => Err("coordinates nested at the wrong depth".into()),
    }
}

fn pos(n: &Nested) -> Result<LonLat, String> {
    match n {
        Nested::Pos(p) if crate::sphere::valid_lat_lon(p[1], p[0]) => Ok(*p),
        Nested::Pos(p) => Err(format!("position {p:?} is not a WGS 84 lon/lat")),
        _ => Err("expected a position".into()),
    }
}

fn positions(n: &Nested) -> Result<Vec<LonLat>, String> {
    list(n)?.iter().map(pos).collect()
}

fn rings(n: &Nested) -> Result<Vec<Vec<LonLat>>, String> {
    list(n)?.iter().map(positions).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_geometry_type() {
        let text = br#"{"type":"FeatureCollection","features":[
          {"type":"Feature","properties":{"name":"a"},"geometry":{"type":"Point","coordinates":[5,60,12.5]}},
          {"type":"Feature","properties":null,"geometry":{"type":"MultiLineString","coordinates":[[[1,2],[3,4]],[[5,6],[7,8]]]}},
          {"type":"Feature","id":7,"geometry":{"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,0]]]]}},
          {"type":"Feature","geometry":{"type":"GeometryCollection","geometries":[{"type":"Point","coordinates":[1,1]}]}},
          {"type":"Feature","geometry":null}]}"#;
        let f = read_features(text).unwrap();
        assert_eq!(f.len(), 5);
        assert!(matches!(f[0].shapes[..], [Shape::Point([5.0, 60.0])]));
        assert_eq!(f[1].shapes.len(), 2);
        assert!(matches!(&f[2].shapes[0], Shape::Polygon(r) if r[0].len() == 4));
        assert_eq!(f[3].shapes.len(), 1);
        assert!(f[4].shapes.is_empty());
    }

    #[test]
    fn rejects_bad_input_without_panicking() {
        for bad in [
            &b"not json"[..],
            br#"{"type":"Feature"}"#,
            br#"{"type":"FeatureCollection","features":[{"geometry":{"type":"Point","coordinates":[500,0]}}]}"#,
            br#"{"type":"FeatureCollection","features":[{"geometry":{"type":"Point","coordinates":[[1,2]]}}]}"#,
            br#"{"type":"FeatureCollection","features":[{"geometry":{"type":"Blob","coordinates":[1,2]}}]}"#,
            br#"{"type":"FeatureCollection","features":[{"geometry":{"type":"Point","coordinates":[1]}}]}"#,
        ] {
            assert!(read_features(bad).is_err());
        }
    }
}
