//! The TAK client side: Varde connects out to an existing TAK server and pushes what one partner
//! may receive (`[[share.tak.push]]`), reconnecting with backoff (1 s doubling to 30 s).
//!
//! `tcp://host:port` is plain TCP — for a TAK server on a trusted link or loopback; the partner's
//! filtering still applies. `tls://host:port` verifies the server against `ca` and presents
//! `cert`/`key` as Varde's client certificate when given.

use super::{feed, tls, PushConfig};
use crate::serve::api::AppState;
use anyhow::{anyhow, bail, Context, Result};
use rustls::pki_types::ServerName;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use varde_share::config::FeedKind;

const MAX_BACKOFF: Duration = Duration::from_secs(30);

/// Where to connect.
#[derive(Clone)]
struct Target {
    host: String,
    port: u16,
    tls: Option<TlsConnector>,
}

fn target(cfg: &PushConfig) -> Result<Target> {
    let (scheme, rest) = cfg
        .url
        .split_once("://")
        .ok_or_else(|| anyhow!("expected tcp://host:port or tls://host:port"))?;
    let (host, port) = rest
        .trim_end_matches('/')
        .rsplit_once(':')
        .ok_or_else(|| anyhow!("no port in {:?}", cfg.url))?;
    let port: u16 = port.parse().with_context(|| format!("bad port {port:?}"))?;
    let host = host
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_owned();
    let tls = match scheme {
        "tcp" => None,
        "tls" | "ssl" => {
            let ca = cfg
                .ca
                .as_deref()
                .ok_or_else(|| anyhow!("tls:// needs ca (the TAK server's CA, PEM)"))?;
            let identity = match (&cfg.cert, &cfg.key) {
                (Some(c), Some(k)) => Some((c.as_path(), k.as_path())),
                (None, None) => None,
                _ => bail!("cert and key go together"),
            };
            Some(TlsConnector::from(Arc::new(tls::client_config(
                ca, identity,
            )?)))
        }
        other => bail!("unknown scheme {other:?}: use tcp:// or tls://"),
    };
    Ok(Target { host, port, tls })
}

/// Checks `cfg` and starts its connection loop.
pub fn spawn(cfg: &PushConfig, state: AppState) -> Result<()> {
    let t = target(cfg).with_context(|| format!("[[share.tak.push]] url {:?}", cfg.url))?;
    let (url, partner) = (cfg.url.clone(), cfg.partner.clone());
    tokio::spawn(async move {
        let mut backoff = Duration::from_secs(1);
        loop {
            match once(&t, &partner, &state).await {
                Ok(end) => {
                    tracing::info!(%url, %partner, end = ?end, "TAK push stream ended");
                    backoff = Duration::from_secs(1);
                }
                Err(e) => {
                    tracing::warn!(%url, %partner, error = %format!("{e:#}"), "TAK push: not connected")
                }
            }
            tokio::time::sleep(backoff).await;
            backoff = (backoff * 2).min(MAX_BACKOFF);
        }
    });
    Ok(())
}

async fn once(t: &Target, partner: &str, state: &AppState) -> Result<feed::End> {
    let entry = super::partner_by_id(&state.share, partner)
        .ok_or_else(|| anyhow!("no partner {partner:?} in [[share.partners]]"))?;
    if !entry.feeds.contains(&FeedKind::Cot) {
        bail!("partner {partner:?} is not given the cot feed");
    }
    let tcp = tokio::time::timeout(
        Duration::from_secs(10),
        TcpStream::connect((t.host.as_str(), t.port)),
    )
    .await
    .context("connect timed out")??;
    let _ = tcp.set_nodelay(true);
    tracing::info!(host = %t.host, port = t.port, %partner, "TAK push connected");
    Ok(match &t.tls {
        None => feed::run(state, entry, tcp).await,
        Some(c) => {
            let name = ServerName::try_from(t.host.clone())?;
            let s = c.connect(name, tcp).await.context("TLS handshake")?;
            feed::run(state, entry, s).await
        }
    })
}
