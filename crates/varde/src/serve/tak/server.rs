//! The TAK server side: a mutual-TLS listener partners' TAK clients connect to.
//!
//! 1. The TLS handshake requires a client certificate issued by `client_ca`: a client without
//!    one, or with one from another CA, fails the handshake.
//! 2. The SHA-256 of the client's leaf certificate (DER) finds the partner
//!    (`[[share.partners]] certificate = "sha256:…"`). An unknown or revoked certificate, or a
//!    partner not given the `cot` feed, gets nothing: the connection is closed at once, logged
//!    and counted.
//! 3. The partner's stream runs (see [`super::feed`]) until it is revoked or goes away.

use super::{feed, tls, TakStats};
use crate::serve::api::AppState;
use anyhow::{Context, Result};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;
use varde_share::config::FeedKind;

/// How long a client may take to complete the TLS handshake.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// Binds `listen` and accepts partners until the runtime ends.
pub async fn spawn(
    listen: &str,
    acceptor: TlsAcceptor,
    state: AppState,
    stats: Arc<TakStats>,
) -> Result<std::net::SocketAddr> {
    let listener = TcpListener::bind(listen)
        .await
        .with_context(|| format!("[share.tak] listen: cannot bind {listen}"))?;
    let addr = listener.local_addr()?;
    tracing::info!(%addr, "TAK (CoT over mutual TLS) listening");
    tokio::spawn(async move {
        loop {
            let (tcp, peer) = match listener.accept().await {
                Ok(c) => c,
                Err(e) => {
                    tracing::warn!(error = %e, "TAK accept failed");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            };
            let _ = tcp.set_nodelay(true);
            let (acceptor, state, stats) = (acceptor.clone(), state.clone(), stats.clone());
            tokio::spawn(async move {
                session(tcp, peer, acceptor, state, stats).await;
            });
        }
    });
    Ok(addr)
}

async fn session(
    tcp: tokio::net::TcpStream,
    peer: std::net::SocketAddr,
    acceptor: TlsAcceptor,
    state: AppState,
    stats: Arc<TakStats>,
) {
    let mut tls = match tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(tcp)).await {
        Ok(Ok(t)) => t,
        Ok(Err(e)) => {
            let n = stats.handshakes_failed.fetch_add(1, Ordering::Relaxed) + 1;
            tracing::warn!(%peer, error = %e, refused_total = n, "TAK TLS handshake refused");
            return;
        }
        Err(_) => {
            stats.handshakes_failed.fetch_add(1, Ordering::Relaxed);
            tracing::warn!(%peer, "TAK TLS handshake timed out");
            return;
        }
    };
    let fingerprint = tls
        .get_ref()
        .1
        .peer_certificates()
        .and_then(|c| c.first())
        .map(|c| tls::fingerprint(c));
    let entry = fingerprint
        .as_deref()
        .and_then(|f| super::partner_by_certificate(&state.share, f));
    let entry = match entry {
        Some(p) if p.feeds.contains(&FeedKind::Cot) => p,
        found => {
            let n = stats.refused.fetch_add(1, Ordering::Relaxed) + 1;
            let why = if found.is_some() {
                "partner not given the cot feed"
            } else {
                "unknown or revoked certificate"
            };
            tracing::warn!(
                %peer,
                certificate = %format!("sha256:{}", fingerprint.unwrap_or_default()),
                refused_total = n,
                "TAK client refused: {why}"
            );
            let _ = tls.shutdown().await;
            return;
        }
    };
    let id = entry.partner.id.clone();
    tracing::info!(%peer, partner = %id, "TAK partner connected");
    stats.open.fetch_add(1, Ordering::Relaxed);
    let end = feed::run(&state, entry, tls).await;
    stats.open.fetch_sub(1, Ordering::Relaxed);
    if end == feed::End::Stalled {
        stats.stalled.fetch_add(1, Ordering::Relaxed);
    }
    tracing::info!(%peer, partner = %id, end = ?end, "TAK partner stream ended");
}
