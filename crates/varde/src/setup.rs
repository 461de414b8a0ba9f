//! Start-up shared by `replay` and `serve`: the engine with its geography,
//! and watch lists merged from files.

use crate::adapt::geo::GeoAdapter;
use crate::config::Config;
use anyhow::{bail, Context, Result};
use std::path::PathBuf;
use varde_watch::{Engine, Watchlist};

/// Builds the engine with its geography: configuration layers plus `--layer`.
pub fn build_engine(cfg: Config, layers: &[PathBuf]) -> Result<Engine<GeoAdapter>> {
    let mut geo = varde_geo::Geography::from_config(&cfg.geo).context("loading geography")?;
    for layer in layers {
        geo.add_infrastructure_layer(layer)
            .with_context(|| format!("layer {}", layer.display()))?;
    }
    Engine::new(cfg.watch, GeoAdapter::new(geo))
        .map_err(|e| anyhow::anyhow!("invalid configuration:\n{e}"))
}

/// Adds the entries of a watch-list file to `list`.
pub fn merge_watchlist(list: &mut Watchlist, path: &std::path::Path) -> Result<()> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read watch list {}", path.display()))?;
    match Watchlist::parse(&text) {
        Ok(extra) => {
            list.mmsi.extend(extra.mmsi);
            list.imo.extend(extra.imo);
            list.names.extend(extra.names);
            Ok(())
        }
        Err(errors) => {
            let lines: Vec<String> = errors.iter().map(|e| format!("  - {e}")).collect();
            bail!("watch list {}:\n{}", path.display(), lines.join("\n"))
        }
    }
}
