//! UDP listener: each datagram holds one or more NMEA lines.

use super::{split_lines, SourceCtx, SourceState};
use std::net::SocketAddr;
use tokio::net::UdpSocket;

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
    let mut buf = vec![0u8; 65_536];
    loop {
        let Ok((n, _peer)) = socket.recv_from(&mut buf).await else {
            continue;
        };
        let mut pending = Vec::new();
        let mut open = true;
        split_lines(&mut pending, &buf[..n], |l| open &= ctx.offer(l));
        if !pending.is_empty() && pending != [0] {
            open &= ctx.offer(&pending);
        }
        if !open {
            return;
        }
    }
}
