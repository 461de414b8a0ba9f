//! A recorded file replayed at real or accelerated speed by its event times.

use super::{SourceCtx, SourceState};
use crate::clock_guard::ClockGuard;
use crate::input::{self, Line, LineReader};
use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

/// Paces lines by their event time (tag block `c:` or trailer), `speed`
/// times real time; `speed` 0 sends as fast as the pipeline takes them.
pub async fn run(ctx: SourceCtx, path: PathBuf, speed: f64) {
    let done =
        tokio::task::spawn_blocking(move || play(&ctx, &path, speed).map_err(|e| (ctx, e))).await;
    if let Ok(Err((ctx, e))) = done {
        tracing::error!(source = %ctx.health.name, error = %e, "file source failed");
        ctx.health.set_state(SourceState::Down);
    }
}

fn play(ctx: &SourceCtx, path: &std::path::Path, speed: f64) -> anyhow::Result<()> {
    let mut lines = LineReader::new(input::open(&path.to_string_lossy())?);
    ctx.health.set_state(SourceState::Up);
    let mut pacer = Pacer::new(speed);
    // A recorded line without a time of its own belongs at the file's
    // latest event time, not at today's wall clock.
    // One line stamped far ahead does not move the recording's clock (it is then refused as ahead of
    // its receipt); a recording resuming after a gap does, once a few lines confirm it.
    let mut clock = ClockGuard::default();
    let mut last_event_ms = None;
    // Lines go out in batches: when a batch is full, and before every wait of the pacer (the lines
    // read so far are due; they are not held back while the file sleeps).
    let mut batch = ctx.batch();
    while let Some(line) = lines.next_line()? {
        let Line::Ok(l) = line else {
            ctx.health.overlong.fetch_add(1, Ordering::Relaxed);
            continue;
        };
        if let Some(t) = varde_ais::nmea::parse(l).ok().and_then(|s| s.time_ms()) {
            if clock.offer(t) {
                if let Some(wait) = pacer.delay(t) {
                    if !ctx.send_blocking(std::mem::replace(&mut batch, ctx.batch())) {
                        return Ok(());
                    }
                    std::thread::sleep(wait);
                }
                last_event_ms = clock.now();
            }
        }
        batch.push(l, last_event_ms.unwrap_or_else(super::now_ms));
        if batch.is_full() && !ctx.send_blocking(std::mem::replace(&mut batch, ctx.batch())) {
            return Ok(());
        }
    }
    if !ctx.send_blocking(batch) {
        return Ok(());
    }
    ctx.health.set_state(SourceState::Done);
    Ok(())
}

/// Sleeps so that event time advances `speed` times faster than wall time.
pub struct Pacer {
    speed: f64,
    origin: Option<(i64, Instant)>,
}

impl Pacer {
    /// A pacer; `speed` ≤ 0 never waits.
    pub fn new(speed: f64) -> Self {
        Self {
            speed,
            origin: None,
        }
    }

    /// How long to wait until event time `t_ms` is due; `None` when it is due already.
    pub fn delay(&mut self, t_ms: i64) -> Option<Duration> {
        if self.speed <= 0.0 {
            return None;
        }
        let (t0, w0) = *self.origin.get_or_insert((t_ms, Instant::now()));
        let due = Duration::from_secs_f64(((t_ms - t0).max(0) as f64 / 1000.0) / self.speed);
        due.checked_sub(w0.elapsed()).filter(|d| !d.is_zero())
    }
}
