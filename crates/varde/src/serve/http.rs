//! The HTTP listener: binds (host names resolved), prints the map's address, serves the router
//! over hyper with a header-read timeout, an idle timeout and a cap on open connections, and shuts
//! down on Ctrl-C or SIGTERM.
//!
//! # Layout
//! - `conn`: the socket wrapper that notes activity, and the idle watchdog.
//! - `stats`: the listener's counters on `/metrics`.

mod conn;
mod stats;

pub use stats::HttpStats;

use super::api;
use super::config::ServeConfig;
use anyhow::{bail, Context, Result};
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

/// How long open connections may take to finish after a shutdown signal.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(2);

/// Least time between two log lines about the connection cap.
const CAP_WARNING_EVERY: Duration = Duration::from_secs(60);

/// Seconds between the keep-alive comments of `/api/stream` (axum's default).
const STREAM_KEEP_ALIVE_S: u64 = 15;

/// File descriptors kept for the store, the sources and the runtime on top of the connections.
const FD_RESERVE: u64 = 128;

/// The listener's limits, from `[serve]`.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Most connections open at once.
    pub max_connections: usize,
    /// Time to send a complete request head.
    pub header_timeout: Duration,
    /// Time a connection may move no byte.
    pub idle_timeout: Duration,
}

impl Limits {
    /// The limits `cfg` sets; zero values are refused.
    pub fn from_config(cfg: &ServeConfig) -> Result<Self> {
        if cfg.max_connections == 0 || cfg.header_timeout_s == 0 || cfg.idle_timeout_s == 0 {
            bail!("[serve] max_connections, header_timeout_s and idle_timeout_s must be above 0");
        }
        if cfg.idle_timeout_s <= STREAM_KEEP_ALIVE_S {
            tracing::warn!(
                idle_timeout_s = cfg.idle_timeout_s,
                "idle_timeout_s is not above the event stream's {STREAM_KEEP_ALIVE_S} s keep-alive: \
                 quiet streams will be cut"
            );
        }
        Ok(Self {
            max_connections: cfg.max_connections,
            header_timeout: Duration::from_secs(cfg.header_timeout_s),
            idle_timeout: Duration::from_secs(cfg.idle_timeout_s),
        })
    }
}

/// Serves the API and map on `cfg.listen` until Ctrl-C or SIGTERM.
pub async fn serve(cfg: &ServeConfig, state: api::AppState, dir: &std::path::Path) -> Result<()> {
    let limits = Limits::from_config(cfg)?;
    // Signal handlers go in before the address is printed: whoever reads it may signal at once.
    let signal = shutdown_signal();
    raise_fd_limit(limits.max_connections);
    let listener = tokio::net::TcpListener::bind(cfg.listen.as_str())
        .await
        .with_context(|| format!("cannot listen on {:?}", cfg.listen))?;
    let local = listener.local_addr()?;
    let token: String = form_urlencoded::byte_serialize(state.token.as_bytes()).collect();
    println!("Varde is watching. Open http://{local}/?token={token}");
    println!("store: {}", dir.display());
    tracing::info!(%local, max_connections = limits.max_connections,
        header_timeout_s = cfg.header_timeout_s, idle_timeout_s = cfg.idle_timeout_s, "listening");
    let stats = state.http.clone();
    let service = TowerToHyperService::new(api::app(state));
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        .keep_alive(true);
    let permits = Arc::new(Semaphore::new(limits.max_connections));
    let graceful = GracefulShutdown::new();
    let mut connections = JoinSet::new();
    let mut cap_warned: Option<tokio::time::Instant> = None;
    tokio::pin!(signal);
    loop {
        while connections.try_join_next().is_some() {}
        if permits.available_permits() == 0 {
            stats.cap_reached.fetch_add(1, Ordering::Relaxed);
            if cap_warned.is_none_or(|t| t.elapsed() >= CAP_WARNING_EVERY) {
                cap_warned = Some(tokio::time::Instant::now());
                tracing::warn!(
                    max_connections = limits.max_connections,
                    "connection cap reached: new clients wait until a connection closes"
                );
            }
        }
        let permit = tokio::select! {
            p = permits.clone().acquire_owned() => p.context("connection semaphore closed")?,
            () = &mut signal => break,
        };
        let (stream, peer) = tokio::select! {
            r = listener.accept() => match r {
                Ok(s) => s,
                Err(e) if is_per_connection(&e) => continue,
                Err(e) => {
                    // Out of file descriptors or similar: wait instead of spinning.
                    tracing::error!(error = %e, "accepting a connection failed");
                    tokio::select! {
                        () = tokio::time::sleep(Duration::from_secs(1)) => continue,
                        () = &mut signal => break,
                    }
                }
            },
            () = &mut signal => break,
        };
        let _ = stream.set_nodelay(true);
        let io = conn::Tracked::new(stream);
        let activity = io.activity();
        let served = graceful.watch(builder.serve_connection(TokioIo::new(io), service.clone()));
        stats.accepted.fetch_add(1, Ordering::Relaxed);
        stats.open.fetch_add(1, Ordering::Relaxed);
        let stats = stats.clone();
        connections.spawn(async move {
            tokio::select! {
                r = served => if let Err(e) = r {
                    // Header-read timeouts end here too.
                    stats.errors.fetch_add(1, Ordering::Relaxed);
                    tracing::debug!(%peer, error = %e, "connection ended");
                },
                () = activity.idle_for(limits.idle_timeout) => {
                    stats.idle_closed.fetch_add(1, Ordering::Relaxed);
                    tracing::debug!(%peer, "idle connection closed");
                }
            }
            stats.open.fetch_sub(1, Ordering::Relaxed);
            drop(permit);
        });
    }
    drop(listener);
    // Open event streams (`/api/stream`) never end by themselves: give
    // connections a moment to finish, then stop regardless.
    if tokio::time::timeout(SHUTDOWN_GRACE, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::info!("closing connections still open");
    }
    connections.shutdown().await;
    Ok(())
}

/// Errors of one incoming connection, not of the listener: accept the next one at once.
fn is_per_connection(e: &std::io::Error) -> bool {
    use std::io::ErrorKind::{ConnectionAborted, ConnectionRefused, ConnectionReset};
    matches!(
        e.kind(),
        ConnectionRefused | ConnectionAborted | ConnectionReset
    )
}

/// Raises the soft limit on open files to the hard one (as nginx and Go do), logs it, and warns
/// when it is too low for `max_connections`.
fn raise_fd_limit(max_connections: usize) {
    match rlimit::increase_nofile_limit(u64::MAX) {
        Ok(limit) => {
            tracing::info!(open_files = limit, "open-files limit");
            let wanted = u64::try_from(max_connections)
                .unwrap_or(u64::MAX)
                .saturating_add(FD_RESERVE);
            if limit < wanted {
                tracing::warn!(
                    open_files = limit,
                    max_connections,
                    "the open-files limit is below max_connections plus {FD_RESERVE}: \
                     lower max_connections or raise the limit (ulimit -n, LimitNOFILE=)"
                );
            }
        }
        Err(e) => tracing::warn!(error = %e, "cannot read or raise the open-files limit"),
    }
}

/// Resolves on Ctrl-C or SIGTERM; the handlers are installed when this is called, not when the
/// future is first polled.
fn shutdown_signal() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    let (mut int, mut term) = {
        use tokio::signal::unix::{signal, SignalKind};
        (
            signal(SignalKind::interrupt()).ok(),
            signal(SignalKind::terminate()).ok(),
        )
    };
    async move {
        #[cfg(unix)]
        {
            let int = async {
                match int.as_mut() {
                    Some(s) => drop(s.recv().await),
                    None => std::future::pending().await,
                }
            };
            let term = async {
                match term.as_mut() {
                    Some(s) => drop(s.recv().await),
                    None => std::future::pending().await,
                }
            };
            tokio::select! { () = int => {}, () = term => {} }
        }
        #[cfg(not(unix))]
        let _ = tokio::signal::ctrl_c().await;
        tracing::info!("shutting down");
    }
}
