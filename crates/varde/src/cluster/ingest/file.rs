//! A recorded file as an ingest source: read line by line, framed and timed as `varde replay`
//! times it (one [`Clock`] per file), paced at `speed` times its event time (0: as fast as
//! NATS takes the frames; the reader waits while the publisher is behind).

use super::framing::{Framer, Timing};
use super::BATCH_FRAMES;
use crate::cmd::replay::time::{Clock, TimeArgs};
use crate::input::{self, Line};
use crate::serve::source::file::Pacer;
use anyhow::Result;
use std::sync::atomic::{AtomicBool, Ordering};
use tokio::sync::mpsc;
use varde_nats::Frame;

/// A file source's settings.
pub struct FileSource {
    /// The file (plain or gzip).
    pub path: String,
    /// Playback speed over event time; 0 or less: no pacing.
    pub speed: f64,
    /// Time for lines without a timestamp (`varde replay`'s options).
    pub time: TimeArgs,
}

/// Reads the file to its end (or until `stop`), sending frames to `tx` in batches and waiting
/// while the channel is full. Errors: the file cannot be opened or read to its end (the frames
/// before the fault were sent).
pub fn play(
    src: &FileSource,
    mut framer: Framer,
    tx: &mpsc::Sender<Vec<Frame>>,
    stop: &AtomicBool,
) -> Result<()> {
    let mut clock = Clock::new(&src.time)?;
    clock.start_file(&src.time, &src.path)?;
    let mut pacer = Pacer::new(src.speed);
    let mut out = Vec::with_capacity(BATCH_FRAMES);
    let mut open = true;
    let fault = input::for_each_line(&src.path, |line| {
        clock.tick();
        match line {
            Line::Ok(l) => framer.line(0, l, Timing::Replay(&mut clock), &mut out),
            Line::TooLong => framer.overlong(0),
        }
        let wait = out.last().and_then(|f| pacer.delay(f.received_ms));
        if out.len() >= BATCH_FRAMES || wait.is_some() {
            framer.count_groups(false);
            open = tx.blocking_send(std::mem::take(&mut out)).is_ok();
            if let Some(w) = wait {
                std::thread::sleep(w);
            }
        }
        Ok(open && !stop.load(Ordering::Relaxed))
    })?;
    framer.count_groups(true);
    if open && !out.is_empty() {
        let _ = tx.blocking_send(out);
    }
    if let Some(w) = clock.warning() {
        tracing::warn!(file = %src.path, "{}", w.trim_end());
    }
    if clock.ahead > 0 {
        tracing::warn!(file = %src.path, messages = clock.ahead,
            "messages stamped far ahead of the recording's clock skipped (as replay skips them)");
    }
    fault.map_or(Ok(()), Err)
}
