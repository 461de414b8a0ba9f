//! TCP client to a raw NMEA feed, reconnecting with exponential back-off.
//!
//! A connection that brings no complete line for the idle timeout (silent,
//! or trickling bytes) is marked `stale` and dropped for a new one. The
//! back-off only resets after a connection that stayed up for
//! [`STABLE_AFTER`]: a feed that accepts and closes at once is retried as
//! slowly as one that refuses.

use super::lines::LineSplitter;
use super::{Input, SourceCtx, SourceState};
use std::sync::atomic::Ordering;
use std::time::Duration;
use tokio::io::AsyncReadExt;
use tokio::net::TcpStream;
use tokio::time::Instant;

const MIN_BACKOFF: Duration = Duration::from_millis(200);
const MAX_BACKOFF: Duration = Duration::from_secs(30);
/// A connection up at least this long resets the back-off.
pub const STABLE_AFTER: Duration = Duration::from_secs(10);

/// How a connection ended.
enum End {
    /// The peer closed or the read failed.
    Closed,
    /// No complete line for the idle timeout.
    Stale,
    /// The pipeline is gone: stop.
    Shutdown,
}

/// Connects, reads lines until the peer closes, fails or goes quiet, then
/// reconnects.
pub async fn run(ctx: SourceCtx, address: String, idle: Duration) {
    let mut backoff = MIN_BACKOFF;
    loop {
        if ctx.health.state() != SourceState::Stale {
            ctx.health.set_state(SourceState::Connecting);
        }
        match TcpStream::connect(&address).await {
            Ok(stream) => {
                ctx.health.connects.fetch_add(1, Ordering::Relaxed);
                if ctx.health.state() != SourceState::Stale {
                    ctx.health.set_state(SourceState::Up);
                }
                tracing::info!(source = %ctx.health.name, %address, "connected");
                let started = Instant::now();
                match read_lines(&ctx, stream, idle).await {
                    End::Shutdown => return,
                    End::Closed => {
                        ctx.health.set_state(SourceState::Down);
                        tracing::warn!(source = %ctx.health.name, %address, "feed closed; reconnecting");
                    }
                    End::Stale => {
                        ctx.health.stale.fetch_add(1, Ordering::Relaxed);
                        ctx.health.set_state(SourceState::Stale);
                        tracing::warn!(source = %ctx.health.name, %address, idle_s = idle.as_secs(),
                            "feed stale: no complete line for the idle timeout; reconnecting");
                    }
                }
                if started.elapsed() >= STABLE_AFTER {
                    backoff = MIN_BACKOFF;
                }
            }
            Err(e) => {
                ctx.health.failures.fetch_add(1, Ordering::Relaxed);
                ctx.health.set_state(SourceState::Down);
                tracing::warn!(source = %ctx.health.name, %address, error = %e, "connect failed");
            }
        }
        tokio::time::sleep(backoff).await;
        backoff = (backoff * 2).min(MAX_BACKOFF);
    }
}

/// Reads until EOF, error or the idle timeout. The complete lines of one read go to the pipeline
/// together (in batches of at most [`BATCH_LINES`](super::BATCH_LINES)), stamped with the read's
/// time.
async fn read_lines(ctx: &SourceCtx, mut stream: TcpStream, idle: Duration) -> End {
    let mut buf = vec![0u8; 64 * 1024];
    let mut split = LineSplitter::default();
    let mut batches: Vec<Input> = Vec::new();
    let mut last_line = Instant::now();
    loop {
        let n = match tokio::time::timeout_at(last_line + idle, stream.read(&mut buf)).await {
            Err(_) => return End::Stale,
            Ok(Ok(0) | Err(_)) => return End::Closed,
            Ok(Ok(n)) => n,
        };
        let now = super::now_ms();
        let before = split.overlong;
        split.push(&buf[..n], |l| {
            match batches.last_mut() {
                Some(b) if !b.is_full() => b,
                _ => {
                    batches.push(ctx.batch());
                    batches.last_mut().expect("just pushed")
                }
            }
            .push(l, now);
        });
        let overlong = split.overlong - before;
        if overlong > 0 {
            ctx.health.overlong.fetch_add(overlong, Ordering::Relaxed);
        }
        if !batches.is_empty() {
            last_line = Instant::now();
            ctx.health.set_state(SourceState::Up);
        }
        for b in batches.drain(..) {
            if !ctx.send(b).await {
                return End::Shutdown;
            }
        }
    }
}
