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
    /// Cursor-on-Target to TAK peers: the mutual-TLS listener and pushes (`[share.tak]`; the
    /// old top-level `[tak]` is still read; see `serve::tak`).
    #[serde(skip_serializing)]
    pub tak: crate::serve::tak::TakConfig,
    /// NMEA re-broadcast listeners, one per partner feed (`[[share.nmea_out]]`; the old
    /// top-level `[[nmea_out]]` is still read; see `serve::nmea_out`).
    pub nmea_out: Vec<crate::serve::nmea_out::NmeaOutConfig>,
    /// The cluster on NATS JetStream (`[cluster]`: servers, partitions, replicas; see
    /// `cluster::config`).
    pub cluster: crate::cluster::config::ClusterConfig,
    /// Deprecated spellings found by [`Config::parse`], to be logged once logging is set up.
    #[serde(skip)]
    pub deprecated: Vec<String>,
}

impl Config {
    /// Reads and validates `path`; the default configuration when `None`.
    pub fn load(path: Option<&Path>) -> Result<Self> {
        let cfg = match path {
            None => Self::default(),
            Some(p) => {
                let text = std::fs::read_to_string(p)
                    .with_context(|| format!("cannot read config {}", p.display()))?;
                Self::parse(&text).with_context(|| format!("config {}", p.display()))?
            }
        };
        if let Err(errors) = cfg.watch.validate() {
            bail!("invalid configuration:\n{errors}");
        }
        crate::serve::share::resolve(&cfg.share).context("invalid configuration")?;
        Ok(cfg)
    }

    /// Parses a configuration text. `[share.tak]` and `[[share.nmea_out]]` become
    /// [`Config::tak`] and [`Config::nmea_out`]; the old top-level `[tak]` and `[[nmea_out]]`
    /// are still read, each noted in [`Config::deprecated`]; both spellings at once is an error.
    pub fn parse(text: &str) -> Result<Self> {
        let mut cfg: Config = toml::from_str(text)?;
        let raw: toml::Table = toml::from_str(text)?;
        for (old, new) in [("tak", "[share.tak]"), ("nmea_out", "[[share.nmea_out]]")] {
            if raw.contains_key(old) {
                cfg.deprecated.push(format!(
                    "the top-level {} section is deprecated: write it as {new}",
                    if old == "tak" {
                        "[tak]"
                    } else {
                        "[[nmea_out]]"
                    }
                ));
            }
        }
        if let Some(tak) = cfg.share.tak.take() {
            if raw.contains_key("tak") {
                bail!("both [tak] and [share.tak] are given: keep [share.tak]");
            }
            cfg.tak = serde_json::from_value(tak).context("[share.tak]")?;
        }
        if !cfg.share.nmea_out.is_empty() {
            if raw.contains_key("nmea_out") {
                bail!(
                    "both [[nmea_out]] and [[share.nmea_out]] are given: keep [[share.nmea_out]]"
                );
            }
            cfg.nmea_out = std::mem::take(&mut cfg.share.nmea_out)
                .into_iter()
                .enumerate()
                .map(|(i, v)| {
                    serde_json::from_value(v)
                        .with_context(|| format!("[[share.nmea_out]] #{}", i + 1))
                })
                .collect::<Result<_>>()?;
        }
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
            .find(|b| b.starts_with("[share.tak]"))
            .unwrap();
        let cfg = Config::parse(block).unwrap();
        assert_eq!(cfg.nmea_out.len(), 1);
        assert_eq!(cfg.nmea_out[0].partner, "swe-mhq");
        assert!(cfg.tak.listen.is_some());
        assert!(cfg.deprecated.is_empty(), "{:?}", cfg.deprecated);
    }

    #[test]
    fn the_old_top_level_tak_and_nmea_out_still_read_with_a_deprecation() {
        let new = "[share.tak]\nlisten = \"127.0.0.1:8089\"\n\n[[share.nmea_out]]\n\
                   partner = \"swe\"\nlisten = \"127.0.0.1:10110\"\nallow = [\"127.0.0.1\"]\n";
        let old = "[tak]\nlisten = \"127.0.0.1:8089\"\n\n[[nmea_out]]\n\
                   partner = \"swe\"\nlisten = \"127.0.0.1:10110\"\nallow = [\"127.0.0.1\"]\n";
        let (n, o) = (Config::parse(new).unwrap(), Config::parse(old).unwrap());
        assert_eq!(n.tak.listen, o.tak.listen);
        assert_eq!(n.nmea_out[0].partner, o.nmea_out[0].partner);
        assert!(n.deprecated.is_empty());
        assert_eq!(o.deprecated.len(), 2, "{:?}", o.deprecated);
        assert!(o.deprecated[0].contains("[share.tak]"));
        let both = format!(
            "{new}{}",
            old.replace("[[nmea_out]]", "[[x]]")
                .split("[[x]]")
                .next()
                .unwrap()
        );
        let e = Config::parse(&both).unwrap_err().to_string();
        assert!(e.contains("keep [share.tak]"), "{e}");
        let e = Config::parse("[share.tak]\nlisten = 5\n").unwrap_err();
        assert!(format!("{e:#}").contains("[share.tak]"), "{e:#}");
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
