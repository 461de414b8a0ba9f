//! A replay on two threads: the [`Front`] (reading, gunzipping, line splitting, decoding, event
//! time, reports) on a reader thread, the engine on the calling thread.
//!
//! Reports cross in batches of [`BATCH`] through a bounded channel ([`IN_FLIGHT`] batches: memory
//! stays bounded and a slow engine holds the reader back); the engine sends every batch back once
//! processed, so the reader reuses the vectors and the reports' evidence buffers instead of
//! allocating per report. The engine is built while the reader starts on the input.
//!
//! The engine sees exactly the reports, in exactly the order, that the one-thread replay gives it:
//! the decoder and the clock (with its guard) stay together on the reader thread and see every
//! line in file order; only finished reports move.

use super::front::Front;
use super::time::Clock;
use super::ReplayArgs;
use crate::adapt::geo::GeoAdapter;
use anyhow::{anyhow, Result};
use std::sync::mpsc;
use varde_watch::{Engine, Report};

/// Reports per hand-off.
pub const BATCH: usize = 1024;

/// Batches queued between the reader and the engine at most.
pub const IN_FLIGHT: usize = 4;

/// CPU time of the calling thread so far, seconds (Linux `/proc/thread-self/schedstat`; `None`
/// elsewhere).
pub fn thread_cpu_s() -> Option<f64> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: u64 = text.split_whitespace().next()?.parse().ok()?;
    Some(ns as f64 / 1e9)
}

/// CPU seconds of each thread of a replay, for `--cpu`.
#[derive(Debug, Default, Clone, Copy)]
pub struct ThreadCpu {
    /// The reader thread (reading, gunzip, decoding, reports).
    pub reader: Option<f64>,
    /// The engine thread (building the engine included).
    pub engine: Option<f64>,
}

/// Replays `args.files`; `build` makes the engine (run on this thread while reading starts).
/// Returns the front (its counters and clock), the engine after the last report, and each
/// thread's CPU time.
pub fn run(
    args: &ReplayArgs,
    clock: Clock,
    progress: Option<&indicatif::ProgressBar>,
    build: impl FnOnce() -> Result<Engine<GeoAdapter>>,
) -> Result<(Front, Engine<GeoAdapter>, ThreadCpu)> {
    let (tx, rx) = mpsc::sync_channel::<Vec<Report>>(IN_FLIGHT);
    let (back_tx, back_rx) = mpsc::channel::<Vec<Report>>();
    std::thread::scope(|s| {
        let reader = std::thread::Builder::new()
            .name("replay-read".into())
            .spawn_scoped(s, move || {
                let mut front = Front::new(clock, true);
                front
                    .read_all(&args.files, &args.time, BATCH, progress, |front, out| {
                        let mut next = back_rx
                            .try_recv()
                            .unwrap_or_else(|_| Vec::with_capacity(BATCH));
                        front.recycle(&mut next);
                        std::mem::swap(out, &mut next);
                        tx.send(next).is_ok()
                    })
                    .map(|()| (front, thread_cpu_s()))
            })?;
        let mut engine = match build() {
            Ok(e) => e,
            Err(e) => {
                drop(rx); // the reader stops at its next hand-off
                let _ = reader.join();
                return Err(e);
            }
        };
        let mut events = Vec::new();
        for batch in rx {
            for r in &batch {
                engine.process_into(r, &mut events);
                events.clear();
            }
            let _ = back_tx.send(batch);
        }
        let engine_cpu = thread_cpu_s();
        let (front, reader_cpu) = reader
            .join()
            .map_err(|_| anyhow!("the replay's reader thread panicked"))??;
        let cpu = ThreadCpu {
            reader: reader_cpu,
            engine: engine_cpu,
        };
        Ok((front, engine, cpu))
    })
}
