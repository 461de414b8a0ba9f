//! Maritime zones: kinds, regions, and the zone layer with its containment index.

use serde_json::{Map, Value};

use crate::area_grid::AreaGrid;
use crate::error::GeoError;
use crate::geojson_read::{read_features, Shape};
use crate::props::{bool_prop, id_of, name_of, str_prop};

/// The legal regime of a zone, ordered from the coast outwards (see [`ZoneKind::rank`]).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum ZoneKind {
    /// Waters landward of the baselines (UNCLOS art. 8).
    InternalWaters,
    /// Territorial sea, up to 12 nm from the baselines (UNCLOS art. 3).
    TerritorialSea,
    /// Contiguous zone, up to 24 nm from the baselines (UNCLOS art. 33).
    ContiguousZone,
    /// Exclusive economic zone, up to 200 nm (UNCLOS art. 57).
    Eez,
    /// The fisheries protection zone around Svalbard (200 nm).
    SvalbardFpz,
    /// The fishery zone around Jan Mayen (200 nm).
    JanMayenZone,
    /// A zone drawn by the user (exercise area, watch box…); no legal regime implied.
    User,
}

impl ZoneKind {
    /// Every kind, from the coast outwards.
    pub const ALL: [ZoneKind; 7] = [
        ZoneKind::InternalWaters,
        ZoneKind::TerritorialSea,
        ZoneKind::ContiguousZone,
        ZoneKind::Eez,
        ZoneKind::SvalbardFpz,
        ZoneKind::JanMayenZone,
        ZoneKind::User,
    ];

    /// The snake_case name used in alerts and GeoJSON (`"internal_waters"`, `"eez"`, …).
    pub const fn as_str(self) -> &'static str {
        match self {
            ZoneKind::InternalWaters => "internal_waters",
            ZoneKind::TerritorialSea => "territorial_sea",
            ZoneKind::ContiguousZone => "contiguous_zone",
            ZoneKind::Eez => "eez",
            ZoneKind::SvalbardFpz => "svalbard_fpz",
            ZoneKind::JanMayenZone => "jan_mayen_zone",
            ZoneKind::User => "user",
        }
    }

    /// Distance class from the coast: 0 internal waters, 1 territorial sea, 2 contiguous zone,
    /// 3 the 200 nm zones, 4 user zones (so a legal regime is always "inner" to a user zone).
    pub const fn rank(self) -> u8 {
        match self {
            ZoneKind::InternalWaters => 0,
            ZoneKind::TerritorialSea => 1,
            ZoneKind::ContiguousZone => 2,
            ZoneKind::Eez | ZoneKind::SvalbardFpz | ZoneKind::JanMayenZone => 3,
            ZoneKind::User => 4,
        }
    }

    /// Reads a kind from the property values found in official and third-party files: our snake_case
    /// names, Kartverket's Norwegian object names (`Sjøterritorium`, `IndreFarvann`, `Fiskevernsone`…)
    /// and Marine Regions' `POL_TYPE` (`12NM`, `24NM`, `200NM`). `None` when nothing matches.
    pub fn parse_loose(text: &str) -> Option<ZoneKind> {
        let t: String = text
            .to_lowercase()
            .chars()
            .filter(|c| c.is_alphanumeric())
            .collect();
        let has = |s: &str| t.contains(s);
        // Territorial first: a "territorial sea and internal waters" polygon takes the outer regime.
        Some(if has("territorial") || has("territorium") || t == "12nm" {
            ZoneKind::TerritorialSea
        } else if has("internal") || has("indrefarvann") {
            ZoneKind::InternalWaters
        } else if has("contiguous") || has("tilstøtende") || t == "24nm" {
            ZoneKind::ContiguousZone
        } else if has("svalbard") || has("fiskevern") || has("fisheriesprotection") {
            ZoneKind::SvalbardFpz
        } else if has("janmayen") || has("fiskerisone") || has("fisheryzone") {
            ZoneKind::JanMayenZone
        } else if has("eez") || has("economic") || has("økonomisk") || t == "200nm" {
            ZoneKind::Eez
        } else if t == "user" {
            ZoneKind::User
        } else {
            return None;
        })
    }
}

impl std::fmt::Display for ZoneKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which part of the realm a zone belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Region {
    /// Mainland Norway.
    Mainland,
    /// Svalbard.
    Svalbard,
    /// Jan Mayen.
    JanMayen,
    /// Anything else (user zones, other states).
    Other,
}

impl Region {
    /// snake_case name: `mainland`, `svalbard`, `jan_mayen`, `other`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Region::Mainland => "mainland",
            Region::Svalbard => "svalbard",
            Region::JanMayen => "jan_mayen",
            Region::Other => "other",
        }
    }

    fn parse_loose(text: &str) -> Region {
        let t = text.to_lowercase().replace([' ', '-'], "_");
        match t.as_str() {
            "mainland" | "fastlandet" | "norway" | "mainland_norway" => Region::Mainland,
            "svalbard" => Region::Svalbard,
            "jan_mayen" | "janmayen" => Region::JanMayen,
            _ => Region::Other,
        }
    }
}

/// A maritime zone's identity. Its geometry stays inside the [`crate::Geography`].
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Zone {
    /// Stable identifier (`no_mainland_eez`, or the file's `id`, or `<file stem>_<index>`).
    pub id: String,
    /// Human-readable name.
    pub name: String,
    /// Legal regime.
    pub kind: ZoneKind,
    /// Part of the realm.
    pub region: Region,
    /// True when the boundary is a derived approximation, not an official line; alerts should say so.
    pub approximate: bool,
}

/// Zones with one containment grid each.
#[derive(Debug, Clone)]
pub(crate) struct ZoneLayer {
    pub zones: Vec<Zone>,
    grids: Vec<AreaGrid>,
}

impl ZoneLayer {
    /// Parses a zone GeoJSON; every Polygon/MultiPolygon feature becomes a zone. Features without a
    /// recognisable kind get `default_kind`.
    pub(crate) fn from_geojson(
        layer: &str,
        bytes: &[u8],
        default_kind: ZoneKind,
    ) -> Result<Self, GeoError> {
        let stem = crate::props::stem(layer);
        let mut out = ZoneLayer {
            zones: Vec::new(),
            grids: Vec::new(),
        };
        for (index, f) in read_features(bytes)
            .map_err(|e| GeoError::from_read(layer, e))?
            .into_iter()
            .enumerate()
        {
            let rings: Vec<Vec<_>> = f
                .shapes
                .into_iter()
                .filter_map(|s| {
                    if let Shape::Polygon(r) = s {
                        Some(r)
                    } else {
                        None
                    }
                })
                .flatten()
                .collect();
            let Some(grid) = AreaGrid::new(&rings) else {
                continue;
            };
            out.zones
                .push(zone_of(&f.props, f.id.as_ref(), &stem, index, default_kind));
            out.grids.push(grid);
        }
        if out.zones.is_empty() {
            return Err(GeoError::EmptyLayer {
                layer: layer.to_string(),
                expected: "Polygon/MultiPolygon",
            });
        }
        Ok(out)
    }

    /// A layer with no zone.
    pub(crate) fn empty() -> Self {
        ZoneLayer {
            zones: Vec::new(),
            grids: Vec::new(),
        }
    }

    /// Appends another layer's zones.
    pub(crate) fn extend(&mut self, other: ZoneLayer) {
        self.zones.extend(other.zones);
        self.grids.extend(other.grids);
    }

    /// Whether zone `i` contains `p` (`false` for an index out of range).
    pub(crate) fn contains(&self, i: usize, p: [f64; 2]) -> bool {
        self.grids.get(i).is_some_and(|g| g.contains(p))
    }

    /// Indices of the zones containing `p`, in layer order.
    pub(crate) fn containing(&self, p: [f64; 2]) -> impl Iterator<Item = usize> + '_ {
        self.grids
            .iter()
            .enumerate()
            .filter(move |(_, g)| g.contains(p))
            .map(|(i, _)| i)
    }
}

fn zone_of(
    props: &Map<String, Value>,
    id: Option<&Value>,
    stem: &str,
    index: usize,
    default_kind: ZoneKind,
) -> Zone {
    let kind = [
        "kind",
        "zone_type",
        "zone_kind",
        "type",
        "objtype",
        "POL_TYPE",
        "pol_type",
    ]
    .iter()
    .filter_map(|k| str_prop(props, k))
    .find_map(|s| ZoneKind::parse_loose(&s))
    .unwrap_or(default_kind);
    let region = str_prop(props, "region").map_or(Region::Other, |r| Region::parse_loose(&r));
    let id = id_of(props, id).unwrap_or_else(|| format!("{stem}_{index}"));
    let name = name_of(props).unwrap_or_else(|| format!("{} {}", kind.as_str(), id));
    let approximate = bool_prop(props, "approximate")
        .or_else(|| bool_prop(props, "approximation"))
        .unwrap_or(false);
    Zone {
        id,
        name,
        kind,
        region,
        approximate,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip_and_parse_official_names() {
        for k in ZoneKind::ALL {
            assert_eq!(ZoneKind::parse_loose(k.as_str()), Some(k), "{k}");
        }
        assert_eq!(
            ZoneKind::parse_loose("Sjøterritorium"),
            Some(ZoneKind::TerritorialSea)
        );
        assert_eq!(
            ZoneKind::parse_loose("IndreFarvann"),
            Some(ZoneKind::InternalWaters)
        );
        assert_eq!(
            ZoneKind::parse_loose("TilstøtendeSone"),
            Some(ZoneKind::ContiguousZone)
        );
        assert_eq!(
            ZoneKind::parse_loose("NorgesØkonomiskeSone"),
            Some(ZoneKind::Eez)
        );
        assert_eq!(
            ZoneKind::parse_loose("fisheries_protection_zone"),
            Some(ZoneKind::SvalbardFpz)
        );
        assert_eq!(
            ZoneKind::parse_loose("fishery_zone"),
            Some(ZoneKind::JanMayenZone)
        );
        assert_eq!(ZoneKind::parse_loose("200NM"), Some(ZoneKind::Eez));
        assert_eq!(
            ZoneKind::parse_loose("territorial_sea_and_internal_waters"),
            Some(ZoneKind::TerritorialSea)
        );
        assert_eq!(ZoneKind::parse_loose("car park"), None);
    }

    #[test]
    fn layer_from_user_geojson() {
        let text = br#"{"type":"FeatureCollection","features":[
          {"type":"Feature","properties":{"name":"Box","region":"Svalbard"},
           "geometry":{"type":"Polygon","coordinates":[[[10,70],[11,70],[11,71],[10,71],[10,70]]]}},
          {"type":"Feature","properties":{"name":"pt"},"geometry":{"type":"Point","coordinates":[1,1]}}]}"#;
        let l = ZoneLayer::from_geojson("exercise.geojson", text, ZoneKind::User).unwrap();
        assert_eq!(l.zones.len(), 1);
        assert_eq!(l.zones[0].kind, ZoneKind::User);
        assert_eq!(l.zones[0].region, Region::Svalbard);
        assert_eq!(l.zones[0].id, "exercise_0");
        assert_eq!(l.containing([10.5, 70.5]).collect::<Vec<_>>(), vec![0]);
        assert_eq!(l.containing([12.0, 70.5]).count(), 0);
    }

    #[test]
    fn layer_without_polygons_is_an_error() {
        let text = br#"{"type":"FeatureCollection","features":[]}"#;
        assert!(matches!(
            ZoneLayer::from_geojson("x", text, ZoneKind::User),
            Err(GeoError::EmptyLayer { .. })
        ));
    }
}
