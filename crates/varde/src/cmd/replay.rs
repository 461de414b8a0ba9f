//! `varde replay`: the watch engine over recorded input, in event time.
//!
//! Lines without a time of their own: see [`time`]. By default the replay runs on two threads
//! ([`threaded`]: reading and decoding on one, the engine on the other) with the same alerts, byte
//! for byte, as on one (`--threads 1`). Exit status: 0 when the
//! input was replayed (untimed messages skipped at the start of a mixed file
//! are counted and warned about on stderr); 3 when messages were skipped for
//! want of a timestamp and none could be placed in time (the alerts file is
//! still written, empty); 1 on any other error.

mod front;
mod threaded;
pub mod time;

use crate::adapt::geo::GeoAdapter;
use crate::config::Config;
use crate::setup::{build_engine, merge_watchlist};
use anyhow::{Context, Result};
use front::Front;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use time::{Clock, TimeArgs};
use varde_watch::Engine;

/// Exit status when no message of the input carried or could be given a time.
pub const EXIT_UNTIMED: i32 = 3;

/// Options of `varde replay`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Lines without a timestamp (no tag block c:, trailer time or $PGHP) take the latest \
time seen before them; those before any time are skipped and counted, unless --assume-rate places them. \
Exit status: 0 done; 3 no message had or could be given a time (see --assume-rate); 1 other errors."
)]
pub struct ReplayArgs {
    /// Recorded input files (plain or .gz, any mix of feed formats).
    #[arg(required = true)]
    pub files: Vec<String>,
    /// Configuration file (TOML).
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Infrastructure layer (GeoJSON) added on top of the configuration; `FILE:KIND` (e.g.
    /// `cables.geojson:cable`) makes every feature that kind (cable, power_cable, pipeline, platform, …).
    #[arg(long = "layer", value_name = "FILE[:KIND]")]
    pub layers: Vec<varde_geo::LayerSpec>,
    /// Watch list: MMSIs, IMO numbers or names, one a line, added to the
    /// configuration's.
    #[arg(long)]
    pub watchlist: Option<PathBuf>,
    /// Where to write the alerts, one JSON object a line.
    #[arg(long)]
    pub alerts: PathBuf,
    /// Also write the incidents (alerts about the same vessel and place grouped), one JSON object a
    /// line.
    #[arg(long)]
    pub incidents: Option<PathBuf>,
    /// No progress bar even on a terminal.
    #[arg(long)]
    pub quiet: bool,
    /// Threads: 1 reads, decodes and runs the engine on one; 2 (the default when the machine has
    /// two cores or more; more are not used) reads and decodes on one and runs the engine on the
    /// other. The alerts are the same, byte for byte.
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..))]
    pub threads: Option<u16>,
    /// Print each thread's CPU time on stderr at the end (Linux), for benchmarks.
    #[arg(long)]
    pub cpu: bool,
    /// Time for lines without a timestamp.
    #[command(flatten)]
    pub time: TimeArgs,
}

/// Runs the command.
pub fn run(args: &ReplayArgs) -> Result<()> {
    for path in &args.files {
        crate::input::check(path)?;
    }
    let mut cfg = Config::load(args.config.as_deref())?;
    if let Some(path) = &args.watchlist {
        merge_watchlist(&mut cfg.watch.watchlist, path)?;
    }
    let clock = Clock::new(&args.time)?;
    let progress = progress_bar(args);
    let (front, engine, cpu) = if threads(args) >= 2 {
        threaded::run(args, clock, progress.as_ref(), || {
            build_engine(cfg, &args.layers)
        })?
    } else {
        let (front, engine) = one_thread(
            args,
            clock,
            progress.as_ref(),
            build_engine(cfg, &args.layers)?,
        )?;
        let all = threaded::thread_cpu_s();
        (
            front,
            engine,
            threaded::ThreadCpu {
                reader: all,
                engine: all,
            },
        )
    };
    if let Some(p) = progress {
        p.finish_and_clear();
    }
    let mut job = Replay { engine, front };
    job.engine.finish(job.front.clock.latest().unwrap_or(0));
    let mut out = std::fs::File::create(&args.alerts)
        .with_context(|| format!("cannot create {}", args.alerts.display()))?;
    let jsonl = job.engine.alerts_jsonl();
    out.write_all(jsonl.as_bytes())?;
    let alerts: Vec<serde_json::Value> = jsonl
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    let incidents = crate::incidents::group(&alerts);
    if let Some(path) = &args.incidents {
        let text: String = incidents.iter().map(|i| format!("{i}\n")).collect();
        std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))?;
    }
    eprintln!(
        "incidents: {} (alerts about one vessel and place grouped)",
        incidents.len()
    );
    job.front.stats.absorb_decoder(&job.front.decoder);
    eprint!("{}", job.summary());
    if let Some(w) = job.front.clock.warning() {
        eprint!("{w}");
    }
    if args.cpu {
        let s = |t: Option<f64>| t.map_or("unknown".to_owned(), |t| format!("{t:.2} s"));
        if threads(args) >= 2 {
            eprintln!(
                "cpu: reader thread {}, engine thread {}",
                s(cpu.reader),
                s(cpu.engine)
            );
        } else {
            eprintln!("cpu: one thread {}", s(cpu.engine));
        }
    }
    if let Some(e) = read_failure(std::mem::take(&mut job.front.read_errors)) {
        return Err(e);
    }
    if job.front.clock.nothing_placed() {
        eprintln!(
            "replay: nothing replayed: no message had a timestamp (exit status {EXIT_UNTIMED})"
        );
        std::process::exit(EXIT_UNTIMED);
    }
    Ok(())
}

/// One error of the files that could not be read to their end (replayed up to the fault).
fn read_failure(errors: Vec<anyhow::Error>) -> Option<anyhow::Error> {
    let n = errors.len();
    let text: Vec<String> = errors.iter().map(|e| format!("{e:#}")).collect();
    (n > 0).then(|| {
        anyhow::anyhow!(
            "{}; the lines before {} were replayed and summarised above",
            text.join("; "),
            if n == 1 { "the fault" } else { "each fault" }
        )
    })
}

/// Threads to use: `--threads`, else two when the machine has two cores or more.
fn threads(args: &ReplayArgs) -> u16 {
    args.threads.unwrap_or_else(|| {
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        if cores >= 2 {
            2
        } else {
            1
        }
    })
}

/// The one-thread replay: every line's reports go to the engine before the next line is read.
fn one_thread(
    args: &ReplayArgs,
    clock: Clock,
    progress: Option<&indicatif::ProgressBar>,
    mut engine: Engine<GeoAdapter>,
) -> Result<(Front, Engine<GeoAdapter>)> {
    let mut front = Front::new(clock, false);
    let mut events = Vec::new();
    front.read_all(&args.files, &args.time, 1, progress, |_, reports| {
        for r in reports.iter() {
            engine.process_into(r, &mut events);
            events.clear();
        }
        reports.clear();
        true
    })?;
    Ok((front, engine))
}

fn progress_bar(args: &ReplayArgs) -> Option<indicatif::ProgressBar> {
    if args.quiet || !std::io::stderr().is_terminal() {
        return None;
    }
    let total: u64 = args
        .files
        .iter()
        .filter_map(|f| std::fs::metadata(f).ok())
        .map(|m| m.len())
        .sum();
    let bar = indicatif::ProgressBar::new(total);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{bar:40} {bytes}/{total_bytes} {bytes_per_sec} eta {eta}",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    Some(bar)
}

/// A finished replay: the engine and the front's counters.
struct Replay {
    engine: Engine<GeoAdapter>,
    front: Front,
}

impl Replay {
    fn summary(&self) -> String {
        let c = self.engine.counters();
        let t = &self.front.clock;
        let mut s = format!(
            "replay: {} lines, {} messages, {} reports ({} late), {} vessels, {} rejected, {} without time\n",
            self.front.stats.lines,
            self.front.stats.messages(),
            c.reports,
            c.late,
            c.vessels,
            self.front.stats.rejects.values().sum::<u64>(),
            t.skipped
        );
        let seen = self.engine.picture().observation();
        s.push_str(&format!(
            "vessel-hours: {:.2} (gaps over 1 h not counted; first to last report: {:.2})\n",
            seen.hours(),
            seen.span_hours()
        ));
        if c.no_fix > 0 {
            s.push_str(&format!(
                "position unavailable (lat 91/lon 181, GNSS lost): {} reports, heard but not placed\n",
                c.no_fix
            ));
        }
        if t.ahead > 0 {
            s.push_str(&format!(
                "time: {} messages stamped more than 5 min ahead of the recording's clock skipped (a jump is taken once 3 lines in a row confirm it)\n",
                t.ahead
            ));
        }
        if t.carried + t.assumed + t.skipped > 0 {
            s.push_str(&format!(
                "time: {} messages timed, {} untimed took the last time, {} on the assumed clock, {} skipped\n",
                t.timed, t.carried, t.assumed, t.skipped
            ));
        }
        if !self.front.stats.lengths.is_empty() {
            s.push_str("off the standard length for their type:\n");
            s.push_str(&self.front.stats.render_lengths());
        }
        let total: u64 = c.alerts.values().sum();
        s.push_str(&format!("alerts: {total}\n"));
        for (kind, n) in &c.alerts {
            s.push_str(&format!("  {kind:<30} {n}\n"));
        }
        for (cause, n) in &self.front.stats.rejects {
            s.push_str(&format!("rejected {cause:<24} {n}\n"));
        }
        s
    }
}
