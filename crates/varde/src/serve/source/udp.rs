//! UDP listener: each datagram holds one or more NMEA lines.

use super::lines::LineSplitter;
use super::udp_drops::KernelDrops;
use super::{Input, SourceCtx, SourceState};
use std::net::SocketAddr;
use std::sync::atomic::Ordering;
use std::time::Duration;
use tokio::net::UdpSocket;

/// How often the kernel's drop counter of the socket is read.
const DROPS_EVERY: Duration = Duration::from_secs(1);

/// Binds and forwards every line; when the pipeline is full, lines are
/// dropped and counted rather than blocking the socket.
pub async fn run(ctx: SourceCtx, bind: SocketAddr) {
    let socket = match UdpSocket::bind(bind).await {
        Ok(s) => s,
        Err(e) => {
            tracing::error!(source = %ctx.health.name, %bind, error = %e, "cannot bind UDP");
            ctx.health.set_state(SourceState::Down);
            return;
        }
    };
    ctx.health.set_state(SourceState::Up);
    let drops = KernelDrops::of(&socket);
    let mut tick = tokio::time::interval(DROPS_EVERY);
    let mut buf = vec![0u8; 65_536];
    loop {
        let n = tokio::select! {
            r = socket.recv_from(&mut buf) => match r {
                Ok((n, _peer)) => n,
                Err(_) => continue,
            },
            _ = tick.tick() => {
                if let Some(n) = drops.as_ref().and_then(KernelDrops::read) {
                    ctx.health.kernel_drops.store(n, Ordering::Relaxed);
                }
                continue;
            }
        };
        // Every datagram already waiting joins this one's batch (up to a batch's worth of lines):
        // one hand-off per burst, not per datagram.
        let mut batch = ctx.batch();
        let mut overlong = split_datagram(&buf[..n], &mut batch);
        while !batch.is_full() {
            match socket.try_recv_from(&mut buf) {
                Ok((n, _peer)) => overlong += split_datagram(&buf[..n], &mut batch),
                Err(_) => break,
            }
        }
        if overlong > 0 {
            ctx.health.overlong.fetch_add(overlong, Ordering::Relaxed);
        }
        let open = ctx.offer(batch);
        if !open {
            return;
        }
    }
}

/// Adds the lines of one datagram (a last line without an ending included) to `batch`, stamped now;
/// returns the over-long lines dropped.
fn split_datagram(datagram: &[u8], batch: &mut Input) -> u64 {
    let now = super::now_ms();
    let mut split = LineSplitter::default();
    split.push(datagram, |l| batch.push(l, now));
    split.finish(|l| batch.push(l, now));
    split.overlong
}
