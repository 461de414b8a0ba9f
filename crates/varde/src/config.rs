//! The one TOML configuration file: one section per component.
//!
//! Parse first (serde, unknown keys rejected), then validate every section
//! and report all problems at once.

use anyhow::{bail, Context, Result};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// Varde's configuration file.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Geography: zone, land and port layers, infrastructure files (each `FILE`, `FILE:KIND` or
    /// `{ path, kind }`), and the terrestrial/satellite coverage model (`[geo.coverage]`).
    pub geo: varde_geo::GeoConfig,
    /// The watch engine: watch list, vessels of interest, detector thresholds.
    pub watch: varde_watch::Config,
    /// The live service: listener, token, store, sources.
    pub serve: crate::serve::config::ServeConfig,
    /// Sharing with partners: labels by source, partners, their clearance, feeds, redaction and
    /// credentials (`[share]`, see `varde_share::config`). Checked at load.
    #[serde(skip_serializing)]
    pub share: varde_share::config::ShareConfig,
    /// Cursor-on-Target to TAK peers: the mutual-TLS listener and pushes (`[tak]`, see
    /// `serve::tak`).
    #[serde(skip_serializing)]
    pub tak: crate::serve::tak::TakConfig,
    /// NMEA re-broadcast listeners, one per partner feed (`[[nmea_out]]`, see `serve::nmea_out`).
    pub nmea_out: Vec<crate::serve::nmea_out::NmeaOutConfig>,
}

impl Config {
    /// Reads and validates `path`; the default configuration when `None`.
    pub fn load(path: Option<&Path>) -> Result<Self> {
        let cfg = match path {
            None => Self::default(),
            Some(p) => {
                let text = std::fs::read_to_string(p)
                    .with_context(|| format!("cannot read config {}", p.display()))?;
                toml::from_str(&text).with_context(|| format!("config {}", p.display()))?
            }
        };
        if let Err(errors) = cfg.watch.validate() {
            bail!("invalid configuration:\n{errors}");
        }
        crate::serve::share::resolve(&cfg.share).context("invalid configuration")?;
        Ok(cfg)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use varde_geo::{AssetKind, LayerSpec};

    #[test]
    fn the_readme_configuration_is_valid() {
        let readme = include_str!("../../../README.md");
        let block = readme
            .split("```toml\n")
            .nth(1)
            .and_then(|b| b.split("```").next())
            .unwrap();
        let cfg: Config = toml::from_str(block).unwrap();
        let share = crate::serve::share::resolve(&cfg.share).unwrap();
        assert_eq!(share.partners[0].partner.id, "swe-mhq");
        assert_eq!(
            share.label_for_source("coastal-radar").to_string(),
            "NOR BEGRENSET//REL NOR"
        );
    }

    #[test]
    fn the_readme_sharing_configuration_is_valid() {
        let readme = include_str!("../../../README.md");
        let block = readme
            .split("```toml\n")
            .filter_map(|b| b.split("```").next())
            .find(|b| b.starts_with("[tak]"))
            .unwrap();
        let cfg: Config = toml::from_str(block).unwrap();
        assert_eq!(cfg.nmea_out.len(), 1);
        assert_eq!(cfg.nmea_out[0].partner, "swe-mhq");
    }

    #[test]
    fn a_bad_share_section_names_its_key() {
        let e = |text: &str| {
            let cfg: Config = toml::from_str(text).unwrap();
            format!(
                "{:#}",
                crate::serve::share::resolve(&cfg.share).unwrap_err()
            )
        };
        let m = e(
            "[share.source_labels]\nradar = { policy = \"NOR\", classification = \"SECRET\" }\n",
        );
        assert!(m.contains("[share.source_labels] radar"), "{m}");
        let m = e(
            "[[share.partners]]\nid = \"ok\"\nsatisfies = [\"NOR\"]\ntoken = \"a\"\n\
                   [[share.partners]]\nid = \"bad\"\nsatisfies = [\"NOR\"]\n",
        );
        assert!(
            m.contains("#2 (id \"bad\")") && m.contains("token or a certificate"),
            "{m}"
        );
        assert!(toml::from_str::<Config>("[share]\nnope = 1\n").is_err());
    }

    #[test]
    fn geo_layers_with_kinds_and_coverage() {
        let cfg: Config = toml::from_str(
            r#"
            [geo]
            infrastructure = ["pipes.geojson", "hvdc.geojson:power_cable", { path = "x.geojson", kind = "cable" }]
            [geo.coverage]
            range_nm = 50.0
            extra_terrestrial = ["hinlopen.geojson"]
            "#,
        )
        .unwrap();
        assert_eq!(
            cfg.geo.infrastructure,
            vec![
                LayerSpec::new("pipes.geojson"),
                LayerSpec::with_kind("hvdc.geojson", AssetKind::PowerCable),
                LayerSpec::with_kind("x.geojson", AssetKind::Cable),
            ]
        );
        assert_eq!(cfg.geo.coverage.range_nm, 50.0);
        assert!(toml::from_str::<Config>("[geo.coverage]\nrange = 1\n").is_err());
    }
}
