//! `varde ingest`: the configured sources (as `varde serve` runs them) → one [`Frame`] per AIS
//! message → the raw stream on NATS JetStream, partitioned by MMSI.
//!
//! # Layout
//! - `framing`: reassembly, time and MMSI of each message; bad lines counted.
//! - `file`: recorded files timed as `varde replay` times them.
//! - `publisher`: pipelined publishing with acknowledgements, retries and back-pressure.
//! - `counters`: what is counted, logged and printed.
//!
//! Live sources (TCP, UDP, the simulator) are `serve`'s own ([`crate::serve::source`]); their
//! lines go through one framer thread. Each file has a thread of its own. Shutdown (Ctrl-C,
//! SIGTERM): the sources stop, and every line already read is framed, published and acknowledged
//! before the process exits.

pub mod counters;
pub mod file;
pub mod framing;
pub mod publisher;

use crate::cluster::config::ClusterConfig;
use crate::cmd::replay::time::TimeArgs;
use crate::config::Config;
use crate::serve::config::SourceKind;
use crate::serve::source::{self, Input, SourceCtx, SourceHealth, SourceState, QUEUED_BATCHES};
use anyhow::{bail, Result};
use counters::Counters;
use framing::{Framer, Timing, Tolerance};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc;
use varde_nats::{streams, Frame, Layout};

/// Frames handed to the publisher in one batch at most.
pub const BATCH_FRAMES: usize = 1024;

/// What a finished run hands back.
pub struct Outcome {
    /// The counters at the end.
    pub counters: Arc<Counters>,
    /// The live sources' health (over-long lines, UDP drops).
    pub sources: Vec<Arc<SourceHealth>>,
    /// Files that could not be read to their end.
    pub failures: Vec<anyhow::Error>,
}

/// Connects to NATS (waiting for it if it is not up yet), makes sure the raw stream exists and
/// checks the partition count against the cluster's recorded one.
async fn connect(cluster: &ClusterConfig) -> Result<async_nats::jetstream::Context> {
    let mut js = crate::cluster::connect::jetstream(
        cluster.nats.iter().map(String::as_str),
        "varde-ingest".to_owned(),
    )
    .await?;
    js.set_timeout(Duration::from_secs(cluster.ack_timeout_s.max(1)));
    let layout = Layout {
        replicas: cluster.replicas.max(1),
        duplicate_window: Duration::from_secs(cluster.duplicate_window_s.max(1)),
    };
    let mut wait = Duration::from_millis(200);
    loop {
        match js.get_or_create_stream(streams::raw(&layout)).await {
            Ok(_) => break,
            Err(e) => {
                tracing::warn!(error = %e, stream = varde_nats::RAW_STREAM, "cannot get or create the raw stream yet; retrying");
                tokio::time::sleep(wait).await;
                wait = (wait * 2).min(Duration::from_secs(5));
            }
        }
    }
    crate::cluster::layout::check_partitions(
        &js,
        layout.replicas,
        cluster.partitions.max(1),
        "--partitions",
    )
    .await?;
    Ok(js)
}

/// Runs the sources of `cfg` into NATS until the files are done (when every source is a file)
/// or a shutdown signal.
pub async fn run(cfg: &Config, cluster: &ClusterConfig, time: &TimeArgs) -> Result<Outcome> {
    if cfg.serve.sources.is_empty() {
        bail!("no sources configured: add [[serve.sources]] to the configuration");
    }
    if cluster.nats.is_empty() {
        bail!("no NATS server: give --nats URL[,URL…] or [cluster] nats = [\"nats://host:4222\"]");
    }
    let js = connect(cluster).await?;
    tracing::info!(servers = ?cluster.nats, partitions = cluster.partitions, "ingest started");
    let counters = Arc::new(Counters::default());
    let tolerance = Tolerance::of(&cfg.serve);
    let (frames_tx, frames_rx) = mpsc::channel::<Vec<Frame>>(QUEUED_BATCHES);
    let (input_tx, input_rx) = mpsc::channel::<Input>(QUEUED_BATCHES);
    let stop = Arc::new(AtomicBool::new(false));
    let names: Vec<String> = cfg.serve.sources.iter().map(|s| s.name.clone()).collect();
    let mut healths = Vec::new();
    let mut files = Vec::new();
    for (i, sc) in cfg.serve.sources.iter().enumerate() {
        let health = Arc::new(SourceHealth::new(&sc.name, sc.kind.as_str()));
        let ctx = SourceCtx {
            id: i as u32,
            health: health.clone(),
            tx: input_tx.clone(),
        };
        match sc.kind.clone() {
            SourceKind::Tcp {
                address,
                idle_timeout_s,
            } => {
                let idle = Duration::from_secs(idle_timeout_s.max(1));
                drop(tokio::spawn(source::tcp::run(ctx, address, idle)));
            }
            SourceKind::Udp { bind } => drop(tokio::spawn(source::udp::run(ctx, bind))),
            SourceKind::Sim { vessels, speed } => source::sim::spawn(ctx, vessels, speed),
            SourceKind::File { path, speed } => {
                let src = file::FileSource {
                    path: path.to_string_lossy().into_owned(),
                    speed,
                    time: time.clone(),
                };
                crate::input::check(&src.path)?;
                let framer = Framer::new(vec![sc.name.clone()], tolerance, counters.clone());
                let (tx, stop) = (frames_tx.clone(), stop.clone());
                files.push(tokio::task::spawn_blocking(move || {
                    let r = file::play(&src, framer, &tx, &stop);
                    health.set_state(if r.is_ok() {
                        SourceState::Done
                    } else {
                        SourceState::Down
                    });
                    r
                }));
                continue;
            }
        }
        healths.push(health);
    }
    let live = !healths.is_empty();
    // Live lines go through one framer thread (its decoder keeps each source's groups apart).
    let live_framer = live.then(|| {
        let framer = Framer::new(names, tolerance, counters.clone());
        let tx = frames_tx.clone();
        tokio::task::spawn_blocking(move || frame_live(framer, input_rx, &tx))
    });
    drop(frames_tx);
    // Only live sources hold the input channel open; the stop marker goes through it.
    let stop_tx = live.then(|| input_tx.clone());
    drop(input_tx);
    let publisher = publisher::Publisher {
        js,
        partitions: cluster.partitions.max(1),
        window: cluster.max_in_flight,
        counters: counters.clone(),
    };
    let log_every =
        (cfg.serve.throughput_log_s > 0).then(|| Duration::from_secs(cfg.serve.throughput_log_s));
    let (c, h) = (counters.clone(), healths.clone());
    let publishing = publisher.run(frames_rx, log_every, move || {
        tracing::info!("ingest: {}", c.line(&h));
    });
    tokio::pin!(publishing);
    let signal = shutdown_signal();
    tokio::select! {
        () = &mut publishing => {}
        () = signal => {
            stop.store(true, Ordering::Relaxed);
            if let Some(tx) = &stop_tx {
                let _ = tx.send(Input::stop()).await;
            }
            drop(stop_tx);
            tracing::info!("shutting down: publishing what was read");
            publishing.await;
        }
    }
    if let Some(t) = live_framer {
        let _ = t.await;
    }
    let mut failures = Vec::new();
    for f in files {
        match f.await {
            Ok(Ok(())) => {}
            Ok(Err(e)) => failures.push(e),
            Err(e) => failures.push(anyhow::anyhow!("file source failed: {e}")),
        }
    }
    Ok(Outcome {
        counters,
        sources: healths,
        failures,
    })
}

/// Frames the live sources' lines until the stop marker or every source is gone; then frames
/// what is still queued.
fn frame_live(mut framer: Framer, mut rx: mpsc::Receiver<Input>, tx: &mpsc::Sender<Vec<Frame>>) {
    let mut out = Vec::with_capacity(BATCH_FRAMES);
    while let Some(input) = rx.blocking_recv() {
        if input.is_stop() {
            rx.close();
            continue;
        }
        for (line, received_ms) in input.lines() {
            framer.line(input.source, line, Timing::Received(received_ms), &mut out);
        }
        framer.count_groups(false);
        if !out.is_empty() && tx.blocking_send(std::mem::take(&mut out)).is_err() {
            return;
        }
    }
    framer.count_groups(true);
}

/// Resolves on Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let (mut int, mut term) = (
            signal(SignalKind::interrupt()).ok(),
            signal(SignalKind::terminate()).ok(),
        );
        let wait = |s: Option<tokio::signal::unix::Signal>| async move {
            match s {
                Some(mut s) => drop(s.recv().await),
                None => std::future::pending().await,
            }
        };
        tokio::select! { () = wait(int.take()) => {}, () = wait(term.take()) => {} }
    }
    #[cfg(not(unix))]
    let _ = tokio::signal::ctrl_c().await;
}
