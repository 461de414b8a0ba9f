//! `varde backfill`: changed detectors over stored history — retroactive detection.
//!
//! The input is the store's raw journal (`Store::raw_since`): every line the live engine accepted,
//! with the event time it was given then, so the backfill engine sees exactly what the live one
//! saw, in event time, the way `varde replay` runs a recording. The detectors are built from
//! `--config` (and `--watchlist`, `--layer`), typically new rules: a zone drawn today, a vessel
//! watch-listed today. The alerts go to a separate alert set, a JSON-lines file (`--alerts-out`),
//! byte for byte what `varde replay` writes for the same lines and configuration; the store is
//! only read (the embedded one through a read-only connection), so its live alerts are never
//! touched.
//!
//! Memory: the journal is read page by page; what grows is the engine's state, as in a replay.

use crate::cmd::history::{now_ms, parse_when, StoreArgs};
use crate::config::Config;
use crate::setup::{build_engine, merge_watchlist};
use anyhow::{bail, Context, Result};
use std::collections::HashSet;
use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;
use varde_ais::{AisMessage, Decoder, Output};
use varde_store::{AlertFilter, RawRecord, Store};

/// Journal lines read per page.
const PAGE: usize = 20_000;

/// Options of `varde backfill`.
#[derive(Debug, clap::Args)]
pub struct BackfillArgs {
    /// The store whose journal to run over.
    #[command(flatten)]
    pub store: StoreArgs,
    /// From this time on (an age such as 90d or 12h, RFC 3339, or unix seconds).
    #[arg(long, value_name = "WHEN", default_value = "90d")]
    pub since: String,
    /// Up to this time (same forms; default: the end of the journal).
    #[arg(long, value_name = "WHEN")]
    pub until: Option<String>,
    /// The rules to run: a configuration file (TOML) as for `varde replay`.
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Infrastructure layer (GeoJSON) added on top of the configuration, `FILE[:KIND]`.
    #[arg(long = "layer", value_name = "FILE[:KIND]")]
    pub layers: Vec<varde_geo::LayerSpec>,
    /// Watch list: MMSIs, IMO numbers or names, one a line, added to the configuration's.
    #[arg(long)]
    pub watchlist: Option<PathBuf>,
    /// Where to write the backfill's alerts, one JSON object a line (a separate alert set: the
    /// store's alerts are not changed).
    #[arg(long, value_name = "FILE")]
    pub alerts_out: PathBuf,
}

/// Runs `varde backfill`.
pub fn run(args: &BackfillArgs) -> Result<()> {
    let now = now_ms();
    let since = parse_when(&args.since, now).context("--since")?;
    let until = match &args.until {
        Some(t) => parse_when(t, now).context("--until")?,
        None => i64::MAX,
    };
    if since > until {
        bail!("--since is after --until: nothing to run over");
    }
    let mut cfg = Config::load(args.config.as_deref())?;
    if let Some(path) = &args.watchlist {
        merge_watchlist(&mut cfg.watch.watchlist, path)?;
    }
    let mut engine = build_engine(cfg, &args.layers)?;
    let store = args.store.open()?;
    // Created before the run: a path that cannot be written fails now, not after hours.
    let mut out = std::fs::File::create(&args.alerts_out)
        .with_context(|| format!("cannot create {}", args.alerts_out.display()))?;

    let started = Instant::now();
    let mut decoder = Decoder::new();
    let mut stations = crate::adapt::report::Stations::default();
    let mut reports = Vec::new();
    let mut events = Vec::new();
    let mut run = Counts::default();
    let mut feed = |r: &RawRecord, run: &mut Counts| {
        run.lines += 1;
        run.first_ms.get_or_insert(r.time_ms);
        run.last_ms = Some(run.last_ms.map_or(r.time_ms, |t: i64| t.max(r.time_ms)));
        for sentence in r.line.split('\n') {
            let frame = match decoder.feed(0, sentence.as_bytes()) {
                Ok(Output::Frame(f)) => f,
                Ok(_) => continue,
                Err(_) => {
                    run.rejected += 1;
                    continue;
                }
            };
            let Ok(msg) = AisMessage::decode(frame.payload) else {
                run.rejected += 1;
                continue;
            };
            reports.clear();
            crate::adapt::report::reports(&msg, &frame, r.time_ms, &mut stations, &mut reports);
            for report in &reports {
                run.reports += 1;
                engine.process_into(report, &mut events);
                events.clear();
            }
        }
    };
    journal(store.as_ref(), since, until, |r| feed(r, &mut run))?;
    engine.finish(run.last_ms.unwrap_or(0));
    let jsonl = engine.alerts_jsonl();
    out.write_all(jsonl.as_bytes())
        .and_then(|()| out.sync_all())
        .with_context(|| format!("writing {}", args.alerts_out.display()))?;

    // How the backfill compares with what the live rules raised over the same time.
    let live: HashSet<String> = store
        .alerts(&AlertFilter {
            from_ms: Some(since),
            ..AlertFilter::default()
        })
        .context("reading the live alerts")?
        .into_iter()
        .map(|a| a.id)
        .collect();
    let ids: Vec<String> = jsonl
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v.get("id")?.as_str().map(str::to_owned))
        .collect();
    let new = ids.iter().filter(|id| !live.contains(*id)).count();
    let span = match (run.first_ms, run.last_ms) {
        (Some(a), Some(b)) => format!(
            "{} to {}",
            varde_ais::time::rfc3339_ms(a),
            varde_ais::time::rfc3339_ms(b)
        ),
        _ => "nothing stored in the window".to_owned(),
    };
    println!(
        "backfill: {} journal lines ({span}), {} reports, {} rejected, in {:.1} s",
        run.lines,
        run.reports,
        run.rejected,
        started.elapsed().as_secs_f64()
    );
    println!(
        "alerts: {} written to {} ({new} not among the store's {} live alerts of the window)",
        ids.len(),
        args.alerts_out.display(),
        live.len()
    );
    Ok(())
}

/// What a backfill read.
#[derive(Debug, Default)]
struct Counts {
    lines: u64,
    reports: u64,
    rejected: u64,
    first_ms: Option<i64>,
    last_ms: Option<i64>,
}

/// Calls `each` with every journal line with `since <= time_ms <= until`, in ascending time
/// (ties in the order they were written), reading [`PAGE`] lines at a time.
///
/// `raw_since` pages by time: a page starts at the last time of the one before, skipping the
/// lines of that time already handed out (ties keep their order from one read to the next).
pub fn journal(
    store: &dyn Store,
    since: i64,
    until: i64,
    mut each: impl FnMut(&RawRecord),
) -> Result<()> {
    let (mut t, mut seen) = (since, 0usize);
    loop {
        let want = PAGE + seen;
        let page = store.raw_since(t, want).context("reading the journal")?;
        let fresh = page.get(seen..).unwrap_or_default();
        for r in fresh {
            if r.time_ms > until {
                return Ok(());
            }
            each(r);
        }
        let Some(last) = page.last() else {
            return Ok(());
        };
        if page.len() < want {
            return Ok(());
        }
        if last.time_ms == t {
            seen = page.len();
        } else {
            t = last.time_ms;
            seen = page.iter().rev().take_while(|r| r.time_ms == t).count();
        }
    }
}
