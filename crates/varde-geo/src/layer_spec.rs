//! [`LayerSpec`]: an infrastructure file and, optionally, the kind every feature in it is.
//!
//! Written as `FILE` or `FILE:KIND` on the command line (`--layer cables.geojson:cable`) and in
//! configuration either the same way or as a table:
//!
//! ```toml
//! [geo]
//! infrastructure = [
//!     "/etc/varde/npd_transport_pipelines.geojson",
//!     { path = "/etc/varde/estlink.geojson", kind = "power_cable" },
//!     "/etc/varde/fibre.geojson:cable",
//! ]
//! ```
//!
//! `FILE:KIND` splits only when `KIND` is one of the [`AssetKind`] names (`cable`, `power_cable`,
//! `pipeline`, `platform`, `subsea_structure`, `wind_turbine`, `field`, `landing`, `other`) and no file
//! of the whole name exists, so a path that itself contains `:` still works.

use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::asset_kind::AssetKind;

/// An infrastructure layer file with an optional kind override for all its features.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LayerSpec {
    /// The GeoJSON file.
    pub path: PathBuf,
    /// The kind of every feature in the file, overriding their properties; `None`: classify each
    /// feature by its properties and the file name.
    pub kind: Option<AssetKind>,
}

impl LayerSpec {
    /// A file whose features are classified by their properties.
    pub fn new(path: impl Into<PathBuf>) -> Self {
        LayerSpec {
            path: path.into(),
            kind: None,
        }
    }

    /// A file whose every feature is `kind`.
    pub fn with_kind(path: impl Into<PathBuf>, kind: AssetKind) -> Self {
        LayerSpec {
            path: path.into(),
            kind: Some(kind),
        }
    }

    /// The path, for messages.
    pub fn display(&self) -> std::path::Display<'_> {
        self.path.display()
    }
}

impl FromStr for LayerSpec {
    type Err = std::convert::Infallible;

    /// `FILE` or `FILE:KIND` (see the module documentation); never fails.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if let Some((file, kind)) = s.rsplit_once(':') {
            if let Some(kind) = AssetKind::from_name(kind) {
                if !file.is_empty() && !Path::new(s).exists() {
                    return Ok(LayerSpec::with_kind(file, kind));
                }
            }
        }
        Ok(LayerSpec::new(s))
    }
}

impl fmt::Display for LayerSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            Some(k) => write!(f, "{}:{k}", self.path.display()),
            None => write!(f, "{}", self.path.display()),
        }
    }
}

impl AsRef<Path> for LayerSpec {
    fn as_ref(&self) -> &Path {
        &self.path
    }
}

impl From<&str> for LayerSpec {
    /// As [`FromStr`]: `FILE` or `FILE:KIND`.
    fn from(s: &str) -> Self {
        let Ok(spec) = s.parse();
        spec
    }
}

impl From<PathBuf> for LayerSpec {
    /// The path as it is (no `:KIND` splitting).
    fn from(path: PathBuf) -> Self {
        LayerSpec::new(path)
    }
}

impl From<&Path> for LayerSpec {
    /// The path as it is (no `:KIND` splitting).
    fn from(path: &Path) -> Self {
        LayerSpec::new(path)
    }
}

impl Serialize for LayerSpec {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Table<'a> {
            path: &'a Path,
            kind: AssetKind,
        }
        match self.kind {
            None => self.path.serialize(s),
            Some(kind) => Table {
                path: &self.path,
                kind,
            }
            .serialize(s),
        }
    }
}

impl<'de> Deserialize<'de> for LayerSpec {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Table {
            path: PathBuf,
            kind: Option<AssetKind>,
        }
        struct SpecVisitor;
        impl<'de> Visitor<'de> for SpecVisitor {
            type Value = LayerSpec;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a path (\"FILE\" or \"FILE:KIND\") or a table { path, kind }")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<LayerSpec, E> {
                Ok(LayerSpec::from(v))
            }
            fn visit_map<M: MapAccess<'de>>(self, map: M) -> Result<LayerSpec, M::Error> {
                let t = Table::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(LayerSpec {
                    path: t.path,
                    kind: t.kind,
                })
            }
        }
        d.deserialize_any(SpecVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_colon_kind_splits_only_on_a_known_kind() {
        let s: LayerSpec = "cables.geojson:cable".parse().unwrap();
        assert_eq!(s, LayerSpec::with_kind("cables.geojson", AssetKind::Cable));
        let s: LayerSpec = "/data/x.geojson:power_cable".parse().unwrap();
        assert_eq!(s.kind, Some(AssetKind::PowerCable));
        for plain in [
            "a.geojson",
            "/tmp/a:b.geojson",
            "dir:x/a.geojson",
            "a.geojson:cabel",
            ":cable",
        ] {
            assert_eq!(LayerSpec::from(plain), LayerSpec::new(plain), "{plain}");
        }
        assert_eq!(s.to_string(), "/data/x.geojson:power_cable");
    }

    #[test]
    fn an_existing_file_with_a_colon_is_a_path() {
        let dir = std::env::temp_dir().join(format!("varde-geo-spec-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let odd = dir.join("odd.geojson:cable");
        std::fs::write(&odd, "{}").unwrap();
        let text = odd.to_str().unwrap();
        assert_eq!(LayerSpec::from(text), LayerSpec::new(text));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn config_forms() {
        #[derive(Deserialize, Serialize)]
        struct C {
            infrastructure: Vec<LayerSpec>,
        }
        let c: C = toml::from_str(
            r#"infrastructure = ["a.geojson", "b.geojson:pipeline", { path = "c.geojson", kind = "power_cable" }, { path = "d.geojson" }]"#,
        )
        .unwrap();
        assert_eq!(
            c.infrastructure,
            vec![
                LayerSpec::new("a.geojson"),
                LayerSpec::with_kind("b.geojson", AssetKind::Pipeline),
                LayerSpec::with_kind("c.geojson", AssetKind::PowerCable),
                LayerSpec::new("d.geojson"),
            ]
        );
        let back: C = toml::from_str(&toml::to_string(&c).unwrap()).unwrap();
        assert_eq!(back.infrastructure, c.infrastructure);
        let bad = toml::from_str::<C>(r#"infrastructure = [{ path = "c", kind = "cabel" }]"#);
        assert!(bad.is_err());
        let bad = toml::from_str::<C>(r#"infrastructure = [{ file = "c" }]"#);
        assert!(bad.is_err());
    }
}
