//! Cursor-on-Target for TAK peers (`[share.tak]`): Varde as a TAK server partners' clients connect to
//! over mutual TLS, and as a client pushing into an existing TAK server.
//!
//! ```toml
//! [share.tak]
//! listen = "0.0.0.0:8089"          # the TAK convention for TLS streaming
//! cert = "server.pem"              # this server's certificate chain and key (PEM)
//! key = "server.key"
//! client_ca = "ca.pem"             # partners' client certificates must chain to this CA
//!
//! [[share.tak.push]]                     # Varde → an existing TAK server, as one partner
//! url = "tls://tak.example:8089"   # or tcp://host:8087 (plain: only on a trusted link)
//! partner = "swe"                  # a [[share.partners]] id: what it may receive is pushed
//! ca = "tak-ca.pem"                # tls://: the server's CA; cert/key: Varde's client certificate
//! cert = "varde.pem"
//! key = "varde.key"
//! ```
//!
//! Events are TAK protocol version 0 ("streaming XML"): each a complete `<?xml …?>` declaration and
//! `<event>`, one after another (see `varde_share::cot` for vessels and alerts, their label in
//! `access` and a `<__label>` detail). A partner is known by its client certificate's SHA-256
//! (`[[share.partners]] certificate = "sha256:…"`; `varde share mint-pki` makes a test PKI and
//! prints them). There is no plain-TCP listener: a partner's credential is its certificate, and a
//! plain connection has none.
//!
//! # Layout
//! - `tls`: rustls configurations and certificate fingerprints.
//! - `server`: the listener, the handshake, identifying the partner.
//! - `push`: the outgoing connections.
//! - `feed`: one partner's CoT stream over any connection.

pub mod feed;
pub mod push;
pub mod server;
pub mod tls;

use super::api::AppState;
use super::share::ShareState;
use anyhow::{anyhow, Context, Result};
use serde::Deserialize;
use std::path::PathBuf;
use std::sync::atomic::AtomicU64;
use std::sync::Arc;
use varde_share::config::PartnerEntry;

/// `[share.tak]`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TakConfig {
    /// Address of the mutual-TLS listener (`host:port`); none: no listener.
    pub listen: Option<String>,
    /// The server's certificate chain (PEM).
    pub cert: Option<PathBuf>,
    /// The server's private key (PEM).
    pub key: Option<PathBuf>,
    /// CA certificates partners' client certificates must chain to (PEM).
    pub client_ca: Option<PathBuf>,
    /// TAK servers Varde pushes into.
    #[serde(default)]
    pub push: Vec<PushConfig>,
}

/// `[[share.tak.push]]`: one outgoing connection.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PushConfig {
    /// `tcp://host:port` or `tls://host:port`.
    pub url: String,
    /// The partner whose releasable items are pushed.
    pub partner: String,
    /// `tls://`: the server's CA (PEM).
    pub ca: Option<PathBuf>,
    /// `tls://`: Varde's client certificate (PEM).
    pub cert: Option<PathBuf>,
    /// `tls://`: its key (PEM).
    pub key: Option<PathBuf>,
}

/// Counters of the TAK listener.
#[derive(Debug, Default)]
pub struct TakStats {
    /// TLS handshakes that failed (no client certificate, an unknown CA, not TLS).
    pub handshakes_failed: AtomicU64,
    /// Clients refused after the handshake (unknown or revoked certificate, no `cot` feed).
    pub refused: AtomicU64,
    /// Streams open now.
    pub open: AtomicU64,
    /// Streams closed because the client stopped reading.
    pub stalled: AtomicU64,
}

/// The current partner whose client certificate's SHA-256 is `sha256` (lower-case hex).
pub fn partner_by_certificate(share: &ShareState, sha256: &str) -> Option<Arc<PartnerEntry>> {
    share
        .current()
        .iter()
        .find(|p| {
            p.certificate_sha256
                .as_deref()
                .is_some_and(|c| c.eq_ignore_ascii_case(sha256))
        })
        .cloned()
}

/// The current partner with id `id`.
pub fn partner_by_id(share: &ShareState, id: &str) -> Option<Arc<PartnerEntry>> {
    share.current().iter().find(|p| p.partner.id == id).cloned()
}

/// Starts the listener and the push connections `cfg` asks for (inside the runtime).
pub async fn spawn(cfg: &TakConfig, state: &AppState) -> Result<Arc<TakStats>> {
    let stats = Arc::new(TakStats::default());
    if let Some(listen) = &cfg.listen {
        let need = |v: &Option<PathBuf>, k: &str| {
            v.clone()
                .ok_or_else(|| anyhow!("[share.tak] listen needs {k} (mutual TLS only)"))
        };
        let (cert, key, ca) = (
            need(&cfg.cert, "cert")?,
            need(&cfg.key, "key")?,
            need(&cfg.client_ca, "client_ca")?,
        );
        let config = tls::server_config(&cert, &key, &ca).context("[share.tak]")?;
        let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
        server::spawn(listen, acceptor, state.clone(), stats.clone()).await?;
    }
    for p in &cfg.push {
        push::spawn(p, state.clone())?;
    }
    Ok(stats)
}
