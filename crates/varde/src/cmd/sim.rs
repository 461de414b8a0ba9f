//! `varde sim`: simulated AIS traffic in Norwegian waters, as NMEA on stdout.

use anyhow::{Context, Result};
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use varde_sim::{Scenario, SimConfig, Simulator};

/// Options of `varde sim`.
#[derive(Debug, clap::Args)]
pub struct SimArgs {
    /// Background vessels.
    #[arg(long, default_value_t = 300)]
    pub vessels: usize,
    /// Hours of event time.
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
    let scenario = args.scenario.as_deref().map(load_scenario).transpose()?;
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
