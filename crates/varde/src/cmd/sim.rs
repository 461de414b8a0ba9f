//! `varde sim`: simulated AIS traffic in Norwegian waters, as NMEA on stdout.

use anyhow::{Context, Result};
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use varde_sim::{Scenario, SimConfig, Simulator};

/// Options of `varde sim`.
#[derive(Debug, clap::Args)]
#[command(after_help = incidents_help())]
pub struct SimArgs {
    /// Background vessels.
    #[arg(long, default_value_t = 300)]
    pub vessels: usize,
    /// Hours of event time: nothing is sent after them, by the incident vessels either (an
    /// incident that needs longer is cut short, and said so on stderr).
    #[arg(long, default_value_t = 1.0)]
    pub hours: f64,
    /// Scripted incidents: a TOML scenario file, or `builtin:NAME`
    /// (`builtin:all` for every incident with its control).
    #[arg(long)]
    pub scenario: Option<String>,
    /// Start time, unix seconds (default 2024-07-16T00:00:00Z).
    #[arg(long)]
    pub start: Option<i64>,
    /// Random seed: same seed, same output.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Also write the incidents' infrastructure layer (GeoJSON) here, for
    /// `varde replay --layer`.
    #[arg(long)]
    pub layer_out: Option<PathBuf>,
    /// Also write the expected outcome of every incident (JSON) here.
    #[arg(long)]
    pub expect_out: Option<PathBuf>,
    /// Also write the watch list the incidents need (one MMSI a line, what `--watchlist` reads)
    /// here.
    #[arg(long)]
    pub watchlist_out: Option<PathBuf>,
}

/// The built-in incidents for `--help`: `builtin:NAME` and what happens, one a line.
pub fn incidents_help() -> String {
    let kinds = varde_sim::IncidentKind::ALL;
    let width = kinds.iter().map(|k| k.name().len()).max().unwrap_or(0);
    let mut out = String::from(
        "Built-in incidents (--scenario builtin:NAME runs one with its negative control, a \
         look-alike that must stay silent; builtin:all runs them all):\n",
    );
    for k in kinds {
        out.push_str(&format!("  {:width$}  {}\n", k.name(), k.summary()));
    }
    out
}

/// The incidents of `scenario` that need more than `hours`, as a note for stderr: which, and
/// the `--hours` that would hold them all.
fn cut_short(scenario: &Scenario, hours: f64) -> Result<Option<String>> {
    let ends = scenario.incident_ends()?;
    let cut: Vec<String> = ends
        .iter()
        .filter(|(_, end)| *end > hours)
        .map(|(name, end)| format!("{name} (ends at {end:.1} h)"))
        .collect();
    let need = ends.iter().map(|(_, end)| *end).fold(0.0, f64::max);
    Ok((!cut.is_empty()).then(|| {
        format!(
            "sim: --hours {hours} cuts {} of the scenario's {} incidents short, their expected alerts may not fire: {}; --hours {:.1} holds them all",
            cut.len(),
            ends.len(),
            cut.join(", "),
            (need * 10.0).ceil() / 10.0,
        )
    }))
}

/// Parses `--scenario`.
pub fn load_scenario(spec: &str) -> Result<Scenario> {
    Ok(match spec.strip_prefix("builtin:") {
        Some("all") => Scenario::all_builtin(),
        Some(name) => Scenario::builtin(name)?,
        None => {
            let text = std::fs::read_to_string(spec)
                .with_context(|| format!("cannot read scenario {spec}"))?;
            Scenario::from_toml(&text).with_context(|| format!("scenario {spec}"))?
        }
    })
}

/// Runs the command.
pub fn run(args: &SimArgs) -> Result<()> {
    if !(args.hours.is_finite() && args.hours > 0.0) {
        anyhow::bail!(
            "--hours must be a positive number of hours, got {}",
            args.hours
        );
    }
    let scenario = args.scenario.as_deref().map(load_scenario).transpose()?;
    if let Some(s) = &scenario {
        if let Some(note) = cut_short(s, args.hours)? {
            eprintln!("{note}");
        }
    }
    let mut cfg = SimConfig {
        vessels: args.vessels,
        hours: args.hours,
        seed: args.seed,
        scenario: scenario.clone(),
        ..SimConfig::default()
    };
    if let Some(s) = args.start {
        cfg.start_unix_s = s;
    }
    if let Some(path) = &args.layer_out {
        std::fs::write(path, Scenario::infrastructure_geojson())
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    if let (Some(path), Some(s)) = (&args.expect_out, &scenario) {
        let e = s.expectations(cfg.start_unix_s)?;
        std::fs::write(path, serde_json::to_vec_pretty(&e)?)
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    if let Some(path) = &args.watchlist_out {
        let mut listed = String::new();
        if let Some(s) = &scenario {
            for e in s
                .expectations(cfg.start_unix_s)?
                .iter()
                .filter(|e| e.watchlist)
            {
                for m in &e.mmsi {
                    listed.push_str(&format!("{m}\n"));
                }
            }
        }
        std::fs::write(path, listed).with_context(|| format!("cannot write {}", path.display()))?;
    }
    let stdout = std::io::stdout();
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
    let mut failed = None;
    Simulator::new(cfg)?.run(|line| {
        if failed.is_none() {
            if let Err(e) = out
                .write_all(line.as_bytes())
                .and_then(|()| out.write_all(b"\n"))
            {
                failed = Some(e);
            }
        }
    });
    match failed.map_or_else(|| out.flush(), Err) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        r => Ok(r?),
    }
}
