//! UDP listener: each datagram holds one or more NMEA lines.

use super::lines::LineSplitter;
use super::udp_drops::KernelDrops;
use super::{SourceCtx, SourceState};
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
        let mut split = LineSplitter::default();
        let mut open = true;
        split.push(&buf[..n], |l| open &= ctx.offer(l));
        split.finish(|l| open &= ctx.offer(l));
        if split.overlong > 0 {
            ctx.health
                .overlong
                .fetch_add(split.overlong, Ordering::Relaxed);
        }
        if !open {
            return;
        }
    }
}
