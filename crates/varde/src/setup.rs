//! Start-up shared by `replay` and `serve`: the engine with its geography,
//! and watch lists merged from files.

use crate::adapt::geo::GeoAdapter;
use crate::config::Config;
use anyhow::{bail, Context, Result};
use varde_geo::{AssetKind, InfraSummary, LayerSpec};
use varde_watch::{Engine, Watchlist};

/// Builds the engine with its geography: configuration layers plus `--layer` ([`LayerSpec`]s:
/// `FILE` or `FILE:KIND`; plain paths are accepted too), and lists the infrastructure it watches (see
/// [`infrastructure_listing`]).
pub fn build_engine<L>(cfg: Config, layers: &[L]) -> Result<Engine<GeoAdapter>>
where
    L: Clone + Into<LayerSpec>,
{
    let mut geo = varde_geo::Geography::from_config(&cfg.geo).context("loading geography")?;
    for layer in layers {
        let spec: LayerSpec = layer.clone().into();
        geo.add_infrastructure(&spec)
            .with_context(|| format!("layer {}", spec.display()))?;
    }
    report(&infrastructure_listing(&geo.infrastructure_summary()));
    Engine::new(cfg.watch, GeoAdapter::new(geo))
        .map_err(|e| anyhow::anyhow!("invalid configuration:\n{e}"))
}

/// The start-up listing of the loaded infrastructure: one line of counts by kind (power cables among
/// the cables, as the detectors see them), then, when some features matched no classification rule,
/// a warning naming them and how to give their layer a kind. Returns the lines and whether it warns.
pub fn infrastructure_listing(s: &InfraSummary) -> (Vec<String>, bool) {
    let mut first = format!("infrastructure: {s}");
    if s.unclassified.is_empty() {
        return (vec![first], false);
    }
    let which: Vec<String> = s.unclassified.iter().map(ToString::to_string).collect();
    first.push_str(&format!(
        "; {} unclassified ({}: kept as `other`, not watched as a cable, pipeline or platform)",
        s.unclassified_total(),
        which.join(", ")
    ));
    let kinds: Vec<&str> = AssetKind::ALL.iter().map(|k| k.as_str()).collect();
    let hint = format!(
        "infrastructure: only slow or silent vessels near unclassified assets raise alerts; give the \
         layer a kind with --layer FILE:KIND or {{ path = \"FILE\", kind = \"KIND\" }} in [geo] \
         infrastructure (KIND: {})",
        kinds.join(", ")
    );
    (vec![first, hint], true)
}

/// Prints the listing: to the log when the service has one, else to stderr.
fn report((lines, warn): &(Vec<String>, bool)) {
    let logging = tracing::dispatcher::has_been_set();
    for line in lines {
        match (logging, warn) {
            (true, true) => tracing::warn!("{line}"),
            (true, false) => tracing::info!("{line}"),
            (false, true) => eprintln!("warning: {line}"),
            (false, false) => eprintln!("{line}"),
        }
    }
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
