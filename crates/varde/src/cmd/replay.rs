//! `varde replay`: the watch engine over recorded input, in event time.
//!
//! Lines without a time of their own: see [`time`]. Exit status: 0 when the
//! input was replayed (untimed messages skipped at the start of a mixed file
//! are counted and warned about on stderr); 3 when messages were skipped for
//! want of a timestamp and none could be placed in time (the alerts file is
//! still written, empty); 1 on any other error.

mod time;

use crate::adapt::geo::GeoAdapter;
use crate::adapt::report::{reports, Stations};
use crate::config::Config;
use crate::input::{self, Line, LineReader};
use crate::setup::{build_engine, merge_watchlist};
use crate::stats::Stats;
use anyhow::{Context, Result};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use time::{Clock, TimeArgs};
use varde_ais::{AisMessage, Decoder, Output};
use varde_watch::{Engine, Report};

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
    /// Time for lines without a timestamp.
    #[command(flatten)]
    pub time: TimeArgs,
}

/// Runs the command.
pub fn run(args: &ReplayArgs) -> Result<()> {
    let mut cfg = Config::load(args.config.as_deref())?;
    if let Some(path) = &args.watchlist {
        merge_watchlist(&mut cfg.watch.watchlist, path)?;
    }
    let engine = build_engine(cfg, &args.layers)?;
    let mut job = Replay {
        engine,
        decoder: Decoder::new(),
        stats: Stats::default(),
        clock: Clock::new(&args.time)?,
        reports: Vec::new(),
        stations: Stations::default(),
    };
    let progress = progress_bar(args);
    for (source, path) in args.files.iter().enumerate() {
        let mut lines = LineReader::new(input::open(path)?);
        job.clock.start_file(&args.time, path)?;
        while let Some(line) = lines.next_line()? {
            job.clock.tick();
            let len = match line {
                Line::Ok(l) => {
                    job.line(source as u32, l);
                    l.len() + 1
                }
                Line::TooLong => {
                    job.stats.lines += 1;
                    job.stats.reject("line_too_long");
                    input::MAX_LINE
                }
            };
            if let Some(p) = &progress {
                p.inc(len as u64);
            }
        }
    }
    if let Some(p) = progress {
        p.finish_and_clear();
    }
    job.engine.finish(job.clock.latest().unwrap_or(0));
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
    job.stats.absorb_decoder(&job.decoder);
    eprint!("{}", job.summary());
    if let Some(w) = job.clock.warning() {
        eprint!("{w}");
    }
    if job.clock.nothing_placed() {
        eprintln!(
            "replay: nothing replayed: no message had a timestamp (exit status {EXIT_UNTIMED})"
        );
        std::process::exit(EXIT_UNTIMED);
    }
    Ok(())
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

struct Replay {
    engine: Engine<GeoAdapter>,
    decoder: Decoder,
    stats: Stats,
    clock: Clock,
    reports: Vec<Report>,
    stations: Stations,
}

impl Replay {
    fn line(&mut self, source: u32, line: &[u8]) {
        self.stats.lines += 1;
        let frame = match self.decoder.feed(source, line) {
            Ok(Output::Frame(f)) => f,
            Ok(_) => return,
            Err(e) => return self.stats.reject(e.cause()),
        };
        let msg = match AisMessage::decode(frame.payload) {
            Ok(m) => m,
            Err(e) => return self.stats.reject_decode(&e),
        };
        self.stats.message(msg.message_type());
        self.stats
            .check_length(msg.message_type(), frame.payload.len_bits());
        let Some(time) = self.clock.time(frame.time_ms, frame.sentences) else {
            return;
        };
        self.reports.clear();
        reports(&msg, &frame, time, &mut self.stations, &mut self.reports);
        for r in &self.reports {
            self.engine.process(r);
        }
    }

    fn summary(&self) -> String {
        let c = self.engine.counters();
        let t = &self.clock;
        let mut s = format!(
            "replay: {} lines, {} messages, {} reports ({} late), {} vessels, {} rejected, {} without time\n",
            self.stats.lines,
            self.stats.messages(),
            c.reports,
            c.late,
            c.vessels,
            self.stats.rejects.values().sum::<u64>(),
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
        if !self.stats.lengths.is_empty() {
            s.push_str("off the standard length for their type:\n");
            s.push_str(&self.stats.render_lengths());
        }
        let total: u64 = c.alerts.values().sum();
        s.push_str(&format!("alerts: {total}\n"));
        for (kind, n) in &c.alerts {
            s.push_str(&format!("  {kind:<30} {n}\n"));
        }
        for (cause, n) in &self.stats.rejects {
            s.push_str(&format!("rejected {cause:<24} {n}\n"));
        }
        s
    }
}
