//! TCP client to a raw NMEA feed, reconnecting with exponential back-off.

use super::{split_lines, SourceCtx, SourceState};
use std::sync::atomic::Ordering;
use std::time::Duration;
use tokio::io::AsyncReadExt;
use tokio::net::TcpStream;

const MIN_BACKOFF: Duration = Duration::from_millis(200);
const MAX_BACKOFF: Duration = Duration::from_secs(30);

/// Connects, reads lines until the peer closes or fails, then reconnects.
pub async fn run(ctx: SourceCtx, address: String) {
    let mut backoff = MIN_BACKOFF;
    loop {
        ctx.health.set_state(SourceState::Connecting);
        match TcpStream::connect(&address).await {
            Ok(stream) => {
                ctx.health.set_state(SourceState::Up);
                tracing::info!(source = %ctx.health.name, %address, "connected");
                backoff = MIN_BACKOFF;
                if !read_lines(&ctx, stream).await {
                    return;
                }
                tracing::warn!(source = %ctx.health.name, %address, "feed closed; reconnecting");
            }
            Err(e) => {
                ctx.health.failures.fetch_add(1, Ordering::Relaxed);
                tracing::warn!(source = %ctx.health.name, %address, error = %e, "connect failed");
            }
        }
        ctx.health.set_state(SourceState::Down);
        tokio::time::sleep(backoff).await;
        backoff = (backoff * 2).min(MAX_BACKOFF);
    }
}

/// Reads until EOF or error; false if the pipeline is gone.
async fn read_lines(ctx: &SourceCtx, mut stream: TcpStream) -> bool {
    let mut buf = vec![0u8; 64 * 1024];
    let mut pending = Vec::new();
    let mut lines = Vec::new();
    loop {
        let n = match stream.read(&mut buf).await {
            Ok(0) | Err(_) => return true,
            Ok(n) => n,
        };
        split_lines(&mut pending, &buf[..n], |l| lines.push(l.to_vec()));
        for l in lines.drain(..) {
            if !ctx.send(&l).await {
                return false;
            }
        }
    }
}
