//! `varde replay`: the watch engine over recorded input, in event time.

use crate::adapt::geo::GeoAdapter;
use crate::adapt::report::{reports, Stations};
use crate::config::Config;
use crate::input::{self, Line, LineReader};
use crate::setup::{build_engine, merge_watchlist};
use crate::stats::{decode_cause, Stats};
use anyhow::{Context, Result};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use varde_ais::{AisMessage, Decoder, Output};
use varde_watch::{Engine, Report};

/// Options of `varde replay`.
#[derive(Debug, clap::Args)]
pub struct ReplayArgs {
    /// Recorded input files (plain or .gz, any mix of feed formats).
    #[arg(required = true)]
    pub files: Vec<String>,
    /// Configuration file (TOML).
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Infrastructure layer (GeoJSON) added on top of the configuration.
    #[arg(long = "layer")]
    pub layers: Vec<PathBuf>,
    /// Watch list: MMSIs, IMO numbers or names, one a line, added to the
    /// configuration's.
    #[arg(long)]
    pub watchlist: Option<PathBuf>,
    /// Where to write the alerts, one JSON object a line.
    #[arg(long)]
    pub alerts: PathBuf,
    /// No progress bar even on a terminal.
    #[arg(long)]
    pub quiet: bool,
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
        last_time: None,
        untimed: 0,
        reports: Vec::new(),
        stations: Stations::default(),
    };
    let progress = progress_bar(args);
    for (source, path) in args.files.iter().enumerate() {
        let mut lines = LineReader::new(input::open(path)?);
        while let Some(line) = lines.next_line()? {
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
    job.engine.finish(job.last_time.unwrap_or(0));
    let mut out = std::fs::File::create(&args.alerts)
        .with_context(|| format!("cannot create {}", args.alerts.display()))?;
    out.write_all(job.engine.alerts_jsonl().as_bytes())?;
    job.stats.absorb_decoder(&job.decoder);
    eprint!("{}", job.summary());
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
    last_time: Option<i64>,
    untimed: u64,
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
            Err(e) => return self.stats.reject(decode_cause(&e)),
        };
        self.stats.message(msg.message_type());
        // Recorded lines without a time of their own take the latest event
        // time seen before them; before any, they cannot be placed in time.
        let time = match frame.time_ms.or(self.last_time) {
            Some(t) => t,
            None => {
                self.untimed += 1;
                return;
            }
        };
        self.last_time = Some(self.last_time.map_or(time, |t| t.max(time)));
        self.reports.clear();
        reports(&msg, &frame, time, &mut self.stations, &mut self.reports);
        for r in &self.reports {
            self.engine.process(r);
        }
    }

    fn summary(&self) -> String {
        let c = self.engine.counters();
        let mut s = format!(
            "replay: {} lines, {} messages, {} reports ({} late), {} vessels, {} rejected, {} without time\n",
            self.stats.lines,
            self.stats.messages(),
            c.reports,
            c.late,
            c.vessels,
            self.stats.rejects.values().sum::<u64>(),
            self.untimed
        );
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
