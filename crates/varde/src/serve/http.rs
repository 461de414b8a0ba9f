//! The HTTP listener: binds, prints the map's address, serves the router and shuts down on Ctrl-C or
//! SIGTERM.

use super::api;
use anyhow::{Context, Result};
use std::sync::Arc;

/// Serves the API and map on `addr` until Ctrl-C or SIGTERM.
pub async fn serve(
    addr: std::net::SocketAddr,
    state: api::AppState,
    dir: &std::path::Path,
) -> Result<()> {
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("cannot listen on {addr}"))?;
    let local = listener.local_addr()?;
    println!(
        "Varde is watching. Open http://{local}/?token={}",
        state.token
    );
    println!("store: {}", dir.display());
    tracing::info!(%local, "listening");
    let signalled = Arc::new(tokio::sync::Notify::new());
    let server = axum::serve(listener, api::app(state)).with_graceful_shutdown({
        let signalled = signalled.clone();
        async move {
            shutdown().await;
            signalled.notify_one();
        }
    });
    // Open event streams (`/api/stream`) never end by themselves: give
    // connections a moment to finish, then stop regardless.
    let deadline = async {
        signalled.notified().await;
        tokio::time::sleep(SHUTDOWN_GRACE).await;
    };
    tokio::select! {
        r = server => r?,
        () = deadline => tracing::info!("closing connections still open"),
    }
    Ok(())
}

/// How long open connections may take to finish after a shutdown signal.
const SHUTDOWN_GRACE: std::time::Duration = std::time::Duration::from_secs(2);

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { () = ctrl_c => {}, () = term => {} }
    tracing::info!("shutting down");
}
