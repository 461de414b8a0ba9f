//! Critical infrastructure: pipelines, cables, platforms and fields as assets with a watch buffer.

use serde_json::{Map, Value};

use crate::asset_kind::AssetKind;
use crate::classify::{classify, KindRule};
use crate::error::GeoError;
use crate::geojson_read::{read_features, Shape};
use crate::props::{bool_prop, f64_prop, id_of, name_of, stem, str_prop};
use crate::segment_index::{SegmentIndex, SegmentIndexBuilder};
use crate::sphere::LonLat;

/// Buffer around an asset in metres when the feature has no `buffer_m` property: 1 nautical mile.
pub const DEFAULT_BUFFER_M: f64 = 1_852.0;

/// One piece of infrastructure. Its geometry stays inside the [`crate::Geography`].
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Asset {
    /// Identifier: the `id` or `npdid` property, the GeoJSON id, or `<layer>_<index>`.
    pub id: String,
    /// Display name: `name`, else another name-like property (`map_label`, `navn`, …).
    pub name: String,
    /// Short label when the file has one besides the name (Sodir `map_label`, e.g. `Langeled`).
    pub label: Option<String>,
    /// What it is (see `classify` for the rules; [`AssetKind::Other`] when nothing matched).
    pub kind: AssetKind,
    /// Which rule decided [`Asset::kind`].
    pub kind_rule: KindRule,
    /// The kind the feature declared in its properties (`kind`, `type`, `category`, `medium`, …), as
    /// written; `None` when it declared none.
    pub declared_kind: Option<String>,
    /// Watch buffer around the geometry, metres.
    pub buffer_m: f64,
    /// True for hand-drawn schematic routes (property `schematic`): not for operations.
    pub schematic: bool,
    /// The layer it came from (file stem, or `demo_infrastructure_schematic`).
    pub layer: String,
}

/// Assets of one or more files, with a shared nearest-segment index.
#[derive(Debug, Clone, Default)]
pub(crate) struct InfraLayer {
    pub assets: Vec<Asset>,
    /// Polygon assets' rings (for "inside the field" = distance 0), by asset index.
    polygons: Vec<(u32, [f64; 4], Vec<Vec<LonLat>>)>,
    index: SegmentIndex,
    shapes: Vec<(u32, Vec<Shape>)>,
    pub max_buffer_m: f64,
}

impl InfraLayer {
    /// Adds every feature of a GeoJSON file. The kind is `kind_override` when given, else read by the
    /// rules of `classify` (properties, then the file name); a `buffer_m` property sets the buffer.
    pub(crate) fn add_geojson(
        &mut self,
        layer: &str,
        bytes: &[u8],
        kind_override: Option<AssetKind>,
    ) -> Result<usize, GeoError> {
        let stem = stem(layer);
        let file_kind = AssetKind::parse_loose(&stem);
        let before = self.assets.len();
        for (index, f) in read_features(bytes)
            .map_err(|e| GeoError::from_read(layer, e))?
            .into_iter()
            .enumerate()
        {
            if f.shapes.is_empty() {
                continue;
            }
            let asset = asset_of(
                &f.props,
                f.id.as_ref(),
                &stem,
                index,
                kind_override,
                file_kind,
            );
            self.max_buffer_m = self.max_buffer_m.max(asset.buffer_m);
            self.shapes.push((self.assets.len() as u32, f.shapes));
            self.assets.push(asset);
        }
        if self.assets.len() == before {
            return Err(GeoError::EmptyLayer {
                layer: layer.to_string(),
                expected: "geometry",
            });
        }
        self.reindex();
        Ok(self.assets.len() - before)
    }

    /// Rebuilds the segment index from every asset's shapes (bulk loading beats incremental inserts).
    fn reindex(&mut self) {
        let mut b = SegmentIndexBuilder::default();
        self.polygons.clear();
        for (item, shapes) in &self.shapes {
            for s in shapes {
                match s {
                    Shape::Point(p) => b.point(*p, *item),
                    Shape::Line(l) => b.line(l, false, *item),
                    Shape::Polygon(rings) => {
                        rings.iter().for_each(|r| b.line(r, true, *item));
                        self.polygons.push((*item, bbox(rings), rings.clone()));
                    }
                }
            }
        }
        self.index = b.build(true);
    }

    /// Assets within `radius_m` of `p`, each once with its distance in metres (0 inside a polygon).
    pub(crate) fn within(&self, p: LonLat, radius_m: f64) -> Vec<(u32, f64)> {
        let mut hits = self.index.within(p, radius_m);
        for (item, _, _) in self
            .polygons
            .iter()
            .filter(|(_, bb, rings)| inside_bbox(bb, p) && even_odd(rings, p))
        {
            match hits.iter_mut().find(|(i, _)| i == item) {
                Some(h) => h.1 = 0.0,
                None => hits.push((*item, 0.0)),
            }
        }
        hits
    }

    /// The nearest asset to `p` and its distance in metres.
    pub(crate) fn nearest(&self, p: LonLat) -> Option<(u32, f64)> {
        let inside = self
            .polygons
            .iter()
            .find(|(_, bb, rings)| inside_bbox(bb, p) && even_odd(rings, p));
        inside
            .map(|(i, _, _)| (*i, 0.0))
            .or_else(|| self.index.nearest(p))
    }
}

fn asset_of(
    props: &Map<String, Value>,
    id: Option<&Value>,
    stem: &str,
    index: usize,
    kind_override: Option<AssetKind>,
    file_kind: Option<AssetKind>,
) -> Asset {
    let c = classify(props, kind_override, file_kind);
    Asset {
        id: id_of(props, id).unwrap_or_else(|| format!("{stem}_{index}")),
        name: name_of(props).unwrap_or_else(|| format!("{stem} {index}")),
        label: str_prop(props, "map_label").or_else(|| str_prop(props, "label")),
        kind: c.kind,
        kind_rule: c.rule,
        declared_kind: c.declared,
        buffer_m: f64_prop(props, "buffer_m")
            .filter(|b| *b >= 0.0)
            .unwrap_or(DEFAULT_BUFFER_M),
        schematic: bool_prop(props, "schematic").unwrap_or(false),
        layer: stem.to_string(),
    }
}

fn bbox(rings: &[Vec<LonLat>]) -> [f64; 4] {
    rings
        .iter()
        .flatten()
        .fold([f64::MAX, f64::MAX, f64::MIN, f64::MIN], |b, p| {
            [
                b[0].min(p[0]),
                b[1].min(p[1]),
                b[2].max(p[0]),
                b[3].max(p[1]),
            ]
        })
}

fn inside_bbox(b: &[f64; 4], p: LonLat) -> bool {
    p[0] >= b[0] && p[0] <= b[2] && p[1] >= b[1] && p[1] <= b[3]
}

/// Plain even-odd ray test; polygon assets are small (fields: hundreds of vertices).
fn even_odd(rings: &[Vec<LonLat>], p: LonLat) -> bool {
    let mut inside = false;
    for ring in rings.iter().filter(|r| !r.is_empty()) {
        let mut a = ring[ring.len() - 1];
        for &b in ring {
            if (a[1] > p[1]) != (b[1] > p[1])
                && a[0] + (p[1] - a[1]) * (b[0] - a[0]) / (b[1] - a[1]) < p[0]
            {
                inside = !inside;
            }
            a = b;
        }
    }
    inside
}
