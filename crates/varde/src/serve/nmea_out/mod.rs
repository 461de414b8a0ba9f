//! NMEA re-broadcast per partner: the raw AIVDM/AIVDO sentences of the reports a partner may
//! receive, as they are accepted, over plain TCP — what gpsd, OpenCPN or pyais read unchanged.
//!
//! ```toml
//! [[share.nmea_out]]
//! listen = "127.0.0.1:10110"     # one listener per partner feed
//! partner = "swe"                # a [[share.partners]] id with "nmea" in its feeds
//! allow = ["192.0.2.0/24"]       # source addresses (or networks) that may connect
//! queue_lines = 10000            # per client; beyond it lines are dropped and counted
//! ```
//!
//! - **Authentication**: AIS clients speak plain TCP without credentials, so a listener is bound
//!   to one partner and admits only connections from its `allow` list (anything else is closed at
//!   once and logged). No TLS: put the listener on the link to the partner (VPN, stunnel) when
//!   the path is not trusted.
//! - **What is sent**: each accepted frame (one sentence, or a multi-sentence group kept together
//!   and in order) whose *source* label the partner may receive
//!   ([`varde_share::Partner::may_receive`] on `[share.source_labels]`), as it was received, one
//!   sentence a `\r\n` line. Frames are tapped between the engine thread and the store writer
//!   (the journal lines, `StoreItem::Journal`): only what ingest accepted, and only after it decoded.
//! - **Redaction**: `drop_station` strips the NMEA 4.10 tag blocks (`\s:station,c:time*hh\`),
//!   which name the receiving station; otherwise they are kept. `delay_min` holds each frame until
//!   its own time is that many minutes old (the client's queue must hold that much traffic:
//!   `queue_lines`). `coarsen_m` cannot be applied to raw sentences (the payload holds the exact
//!   position): a partner with `coarsen_m > 0` is refused an NMEA listener at start, with an error.
//! - **Back-pressure**: each client has a bounded queue; a full queue drops the line and counts it
//!   (`varde_share_dropped_total{partner}`), a write that stalls for [`WRITE_TIMEOUT`] ends the
//!   connection. Ingest and other clients never wait for a client.
//! - **Audit**: every line written to a client is told to the release log (feed `nmea`, item
//!   `mmsi:<MMSI>`, or `line:<seq>` when the payload carries none).
//! - **Reload**: when the partner changes or is removed from the configuration, its connections
//!   are closed; new ones follow the new configuration (refused if it no longer qualifies).

mod allow;
mod sentence;

use super::journal_block::JournalLine;
use super::share::labels::LabelId;
use super::share::{Caller, ShareState};
use super::writer::StoreItem;
use anyhow::{anyhow, bail, Context, Result};
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{sync_channel, SyncSender};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;
use tokio::io::AsyncWriteExt;
use tokio::sync::mpsc;
use varde_share::config::{FeedKind, PartnerEntry};

/// How long one write to a client may stall before the connection is closed.
pub const WRITE_TIMEOUT: Duration = Duration::from_secs(30);

/// One `[[share.nmea_out]]` listener.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NmeaOutConfig {
    /// `host:port` to listen on.
    pub listen: String,
    /// The partner id (`[[share.partners]] id`) this listener serves.
    pub partner: String,
    /// Source addresses or networks (`a.b.c.d/n`, `x::y/n`) allowed to connect.
    pub allow: Vec<String>,
    /// Lines queued per client before further lines are dropped (and counted).
    #[serde(default = "default_queue")]
    pub queue_lines: usize,
}

fn default_queue() -> usize {
    10_000
}

/// One line group on its way to clients.
#[derive(Debug)]
struct Line {
    time_ms: i64,
    text: Arc<str>,
    id: Arc<str>,
    label: LabelId,
}

/// A listener's partner and its connected clients.
struct Feed {
    cfg: NmeaOutConfig,
    allow: Vec<allow::Net>,
    /// The partner as configured now; `None` once it no longer qualifies.
    entry: RwLock<Option<Arc<PartnerEntry>>>,
    clients: Mutex<Vec<mpsc::Sender<Arc<Line>>>>,
}

impl Feed {
    fn entry(&self) -> Option<Arc<PartnerEntry>> {
        self.entry
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }
}

/// The partner `cfg` names, if it may have an NMEA feed.
fn qualify(partners: &[PartnerEntry], cfg: &NmeaOutConfig) -> Result<PartnerEntry> {
    let p = partners
        .iter()
        .find(|p| p.partner.id == cfg.partner)
        .ok_or_else(|| anyhow!("no [[share.partners]] with id {:?}", cfg.partner))?;
    if !p.feeds.contains(&FeedKind::Nmea) {
        bail!(
            "partner {:?} does not have \"nmea\" in its feeds",
            cfg.partner
        );
    }
    if p.redact.coarsen_m > 0 {
        bail!(
            "partner {:?} has redact.coarsen_m = {}: raw AIVDM sentences carry the exact position \
             and cannot be coarsened; remove \"nmea\" from its feeds or set coarsen_m = 0",
            cfg.partner,
            p.redact.coarsen_m
        );
    }
    Ok(p.clone())
}

/// Binds the `[[share.nmea_out]]` listeners (errors name the listener at fault) and returns the sender
/// the engine thread hands store chunks to: when listeners are configured, a tap thread reads the
/// journal lines out of each chunk and passes the chunk on to `store_tx`; otherwise `store_tx`
/// itself.
pub fn start(
    config: &crate::config::Config,
    share: &Arc<ShareState>,
    config_path: Option<PathBuf>,
    rt: &tokio::runtime::Runtime,
    store_tx: SyncSender<Vec<StoreItem>>,
) -> Result<SyncSender<Vec<StoreItem>>> {
    let cfgs = &config.nmea_out;
    if cfgs.is_empty() {
        return Ok(store_tx);
    }
    let partners = &crate::serve::share::resolve(&config.share)?.partners;
    let mut feeds = Vec::new();
    for (i, cfg) in cfgs.iter().enumerate() {
        let at = || format!("[[share.nmea_out]] #{} (listen {:?})", i + 1, cfg.listen);
        let entry = qualify(partners, cfg).with_context(at)?;
        let allow = cfg
            .allow
            .iter()
            .map(|s| allow::Net::parse(s))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| anyhow!(e))
            .with_context(at)?;
        if allow.is_empty() {
            bail!("{}: allow is empty: no client could connect", at());
        }
        if cfg.queue_lines == 0 {
            bail!("{}: queue_lines must be at least 1", at());
        }
        let listener = rt
            .block_on(tokio::net::TcpListener::bind(&cfg.listen))
            .with_context(|| format!("{}: cannot listen", at()))?;
        let local = listener.local_addr()?;
        tracing::info!(partner = %cfg.partner, %local, "NMEA re-broadcast listening");
        let feed = Arc::new(Feed {
            cfg: cfg.clone(),
            allow,
            entry: RwLock::new(Some(Arc::new(entry))),
            clients: Mutex::default(),
        });
        rt.spawn(accept(listener, feed.clone(), share.clone()));
        feeds.push(feed);
    }
    let feeds: Arc<[Arc<Feed>]> = feeds.into();
    rt.spawn(follow_reloads(feeds.clone(), share.clone(), config_path));
    let (tx, rx) = sync_channel::<Vec<StoreItem>>(64);
    let share = share.clone();
    std::thread::Builder::new()
        .name("nmea-tap".into())
        .spawn(move || {
            let seq = AtomicU64::new(0);
            for chunk in rx {
                for item in &chunk {
                    if let StoreItem::Journal(lines) = item {
                        for l in lines.iter() {
                            offer(&feeds, &share, &seq, &l);
                        }
                    }
                }
                if store_tx.send(chunk).is_err() {
                    return;
                }
            }
        })?;
    Ok(tx)
}

/// The `[share]` section as the configuration file says now (the default without a file).
fn current_share(path: Option<&std::path::Path>) -> Result<varde_share::config::ShareConfig> {
    Ok(crate::config::Config::load(path)?.share)
}

/// Queues one accepted frame for every client of every feed whose partner may receive its source.
fn offer(feeds: &[Arc<Feed>], share: &ShareState, seq: &AtomicU64, r: &JournalLine<'_>) {
    let label = share.source_label(Some(r.source));
    let labels = share.table.snapshot();
    let mut built: [Option<Arc<Line>>; 2] = [None, None];
    for feed in feeds {
        let Some(p) = feed.entry() else { continue };
        if !p.partner.may_receive(&labels.get(label).label) {
            continue;
        }
        let mut clients = feed
            .clients
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if clients.is_empty() {
            continue;
        }
        let strip = p.redact.drop_station;
        let line = built[usize::from(strip)]
            .get_or_insert_with(|| {
                let id = match sentence::mmsi(r.line) {
                    Some(m) => format!("mmsi:{m}"),
                    None => format!("line:{}", seq.fetch_add(1, Ordering::Relaxed)),
                };
                Arc::new(Line {
                    time_ms: r.time_ms,
                    text: sentence::wire(r.line, strip).into(),
                    id: id.into(),
                    label,
                })
            })
            .clone();
        let mut dropped = 0;
        clients.retain(|c| match c.try_send(line.clone()) {
            Ok(()) => true,
            Err(mpsc::error::TrySendError::Full(_)) => {
                dropped += 1;
                true
            }
            Err(mpsc::error::TrySendError::Closed(_)) => false,
        });
        drop(clients);
        share.count_dropped(&p.partner.id, dropped);
    }
}

async fn accept(listener: tokio::net::TcpListener, feed: Arc<Feed>, share: Arc<ShareState>) {
    loop {
        let (conn, peer) = match listener.accept().await {
            Ok(c) => c,
            Err(e) => {
                tracing::warn!(error = %e, "NMEA re-broadcast accept failed");
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        if !allow::allowed(&feed.allow, peer.ip()) {
            tracing::warn!(partner = %feed.cfg.partner, %peer, "NMEA client refused: address not in allow");
            continue;
        }
        let Some(entry) = feed.entry() else {
            tracing::warn!(partner = %feed.cfg.partner, %peer, "NMEA client refused: partner no longer qualifies");
            continue;
        };
        let (tx, rx) = mpsc::channel(feed.cfg.queue_lines);
        feed.clients
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(tx);
        tracing::info!(partner = %feed.cfg.partner, %peer, "NMEA client connected");
        tokio::spawn(serve_client(conn, peer, rx, entry, share.clone()));
    }
}

/// Writes queued lines to one client, each when the partner's delay allows, until the client
/// goes, stalls, or its feed is closed (queue sender dropped).
async fn serve_client(
    mut conn: tokio::net::TcpStream,
    peer: SocketAddr,
    mut rx: mpsc::Receiver<Arc<Line>>,
    entry: Arc<PartnerEntry>,
    share: Arc<ShareState>,
) {
    let _ = conn.set_nodelay(true);
    let delay_ms = i64::from(entry.redact.delay_min) * 60_000;
    let caller = Caller::Partner(entry.clone());
    while let Some(line) = rx.recv().await {
        if delay_ms > 0 {
            let due = line.time_ms.saturating_add(delay_ms);
            let wait = due.saturating_sub(super::source::now_ms());
            if wait > 0 {
                tokio::time::sleep(Duration::from_millis(wait.unsigned_abs())).await;
            }
        }
        match tokio::time::timeout(WRITE_TIMEOUT, conn.write_all(line.text.as_bytes())).await {
            Ok(Ok(())) => {
                let labels = share.table.snapshot();
                share.released(&caller, "nmea", &line.id, &labels.get(line.label).label);
            }
            _ => break,
        }
    }
    tracing::info!(partner = %entry.partner.id, %peer, "NMEA client disconnected");
}

/// On every reload of the partners: a feed whose partner changed gets the new entry (or none,
/// when it no longer qualifies) and its clients are disconnected; a feed without a partner is
/// re-checked.
async fn follow_reloads(feeds: Arc<[Arc<Feed>]>, share: Arc<ShareState>, path: Option<PathBuf>) {
    let mut reloads = share.reloads();
    while reloads.changed().await.is_ok() {
        let stale: Vec<&Arc<Feed>> = feeds
            .iter()
            .filter(|f| f.entry().is_none_or(|e| !share.is_current(&e)))
            .collect();
        if stale.is_empty() {
            continue;
        }
        let partners = current_share(path.as_deref())
            .and_then(|s| crate::serve::share::resolve(&s))
            .map(|s| s.partners)
            .unwrap_or_default();
        for f in stale {
            let next = match qualify(&partners, &f.cfg) {
                Ok(p) if share.is_current(&p) => Some(Arc::new(p)),
                Ok(_) => None,
                Err(e) => {
                    tracing::warn!(partner = %f.cfg.partner, error = %format!("{e:#}"), "NMEA re-broadcast closed");
                    None
                }
            };
            *f.entry
                .write()
                .unwrap_or_else(std::sync::PoisonError::into_inner) = next;
            f.clients
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .clear();
        }
    }
}
