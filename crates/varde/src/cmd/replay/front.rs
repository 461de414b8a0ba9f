//! The front of a replay: files read (and gunzipped), split into lines, decoded, placed in time and
//! turned into the engine's [`Report`]s, in input order.
//!
//! The front holds every piece of state that decides what the engine sees — the decoder (multi-part
//! reassembly), the replay [`Clock`] with its [`ClockGuard`](crate::clock_guard::ClockGuard), the
//! receiving-station ids — and is fed every line in file order on one thread, whichever thread that
//! is: so the reports it hands out are the same, in the same order, whether the engine runs on the
//! same thread (`--threads 1`) or on another ([`super::threaded`]).

use super::time::{Clock, TimeArgs};
use crate::adapt::report::{reports, Stations};
use crate::input::{self, Line};
use crate::stats::Stats;
use anyhow::Result;
use varde_ais::{AisMessage, Decoder, Output};
use varde_watch::Report;

/// Decoding, timing and report building for a whole replay.
pub struct Front {
    /// The codec's decoder (reassembly state across lines).
    pub decoder: Decoder,
    /// Line, message and rejection counters.
    pub stats: Stats,
    /// Event time of every message.
    pub clock: Clock,
    /// Station ids and the reports' evidence buffers (pooled when reports go to another thread).
    stations: Stations,
    /// Files that could not be read to their end (a truncated `.gz`), each naming the file: their
    /// lines up to the fault were replayed, and so were the files after them.
    pub read_errors: Vec<anyhow::Error>,
}

impl Front {
    /// A front on `clock`; `recycle` when reports are handed to another thread in batches (their
    /// evidence buffers then come from [`Front::recycle`] instead of one shared buffer).
    pub fn new(clock: Clock, recycle: bool) -> Self {
        Self {
            decoder: Decoder::new(),
            stats: Stats::default(),
            clock,
            stations: if recycle {
                Stations::pooled()
            } else {
                Stations::default()
            },
            read_errors: Vec::new(),
        }
    }

    /// Reads every file in order (a file that fails part-way is noted in `read_errors` and the
    /// next one read); `emit` receives the reports gathered so far, at least every
    /// `batch` reports and at the end (it should empty the vector), and returns false to stop
    /// reading. `progress` gets the bytes of every line.
    pub fn read_all(
        &mut self,
        files: &[String],
        time: &TimeArgs,
        batch: usize,
        progress: Option<&indicatif::ProgressBar>,
        mut emit: impl FnMut(&mut Self, &mut Vec<Report>) -> bool,
    ) -> Result<()> {
        let mut out = Vec::with_capacity(batch);
        for (source, path) in files.iter().enumerate() {
            self.clock.start_file(time, path)?;
            let mut stopped = false;
            let fault = input::for_each_line(path, |line| {
                self.clock.tick();
                let len = match line {
                    Line::Ok(l) => {
                        self.line(source as u32, l, &mut out);
                        l.len() + 1
                    }
                    Line::TooLong => {
                        self.stats.lines += 1;
                        self.stats.reject("line_too_long");
                        input::MAX_LINE
                    }
                };
                if let Some(p) = progress {
                    p.inc(len as u64);
                }
                stopped = out.len() >= batch && !emit(self, &mut out);
                Ok(!stopped)
            })?;
            self.read_errors.extend(fault);
            if stopped {
                return Ok(());
            }
        }
        if !out.is_empty() {
            emit(self, &mut out);
        }
        Ok(())
    }

    /// Takes back the evidence buffers of a batch the engine is done with, emptying it.
    pub fn recycle(&mut self, done: &mut Vec<Report>) {
        self.stations.recycle(done.drain(..).map(|r| r.raw));
    }

    /// Decodes one line; appends its reports (if it completed a message that can be placed in
    /// time) to `out`.
    fn line(&mut self, source: u32, line: &[u8], out: &mut Vec<Report>) {
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
        reports(&msg, &frame, time, &mut self.stations, out);
    }
}
