//! `varde engine`: an engine node of the cluster.
//!
//! A node owns a set of MMSI partitions by a lease ([`lease`]); while another node holds it, it
//! stands by. Holding it, it loads the set's newest snapshot ([`snapshots`]), reads the raw stream
//! from the sequence after it with an ordered consumer, runs every frame of its partitions
//! through the watch engine ([`worker`]) and publishes each alert revision ([`publish`]). Every
//! few seconds (or frames) it waits for the stream to acknowledge the alerts so far and stores a
//! snapshot with the raw sequence it covers.
//!
//! Why an ordered consumer from the snapshot's sequence rather than a durable consumer with
//! acknowledgements: the engine must see the frames in stream order, exactly once *relative to its
//! state*. The snapshot is that state, and it already records the last sequence it includes; a
//! durable consumer's acknowledgement floor would be a second record of the same fact, which could
//! disagree with it (acknowledged past the snapshot: frames lost on a crash; behind it: frames seen
//! twice), and its redeliveries after `ack_wait` arrive out of order. Starting an ordered consumer
//! at `snapshot.seq + 1` gives in-order delivery, recreated by the client across NATS node
//! failures, with one source of truth for the resume point.

pub mod lease;
pub mod partitions;
pub mod publish;
pub mod snapshots;
pub mod worker;

use crate::adapt::geo::GeoAdapter;
use anyhow::{bail, Context, Result};
use async_nats::jetstream::{self, consumer, kv, object_store};
use futures_util::StreamExt;
use partitions::Partitions;
use std::time::{Duration, Instant};
use varde_nats::{streams, Frame, Layout, LEASES_BUCKET, RAW_PREFIX, SNAPSHOTS_BUCKET};
use varde_watch::Engine;

/// How an engine node runs.
#[derive(Debug, Clone)]
pub struct Options {
    /// NATS server URLs, comma-separated.
    pub nats: String,
    /// This node's name (unique in the cluster).
    pub node: String,
    /// The partitions it owns.
    pub partitions: Partitions,
    /// Snapshot after this long with new frames.
    pub snapshot_every: Duration,
    /// Snapshot after this many new frames.
    pub snapshot_frames: u64,
    /// Lease time to live.
    pub lease_ttl: Duration,
    /// Stream and bucket replicas when this node creates them.
    pub replicas: usize,
}

/// Runs the node until it is stopped (SIGINT/SIGTERM: last snapshot, lease released) or loses
/// its lease (an error: it must not go on publishing).
pub async fn run(opts: Options, build: impl FnOnce() -> Result<Engine<GeoAdapter>>) -> Result<()> {
    let addrs = opts
        .nats
        .split(',')
        .map(|u| u.trim().parse::<async_nats::ServerAddr>())
        .collect::<Result<Vec<_>, _>>()
        .context("--nats: not a list of NATS URLs")?;
    let client = async_nats::ConnectOptions::new()
        .name(format!("varde-engine {}", opts.node))
        .retry_on_initial_connect()
        .connect(addrs)
        .await
        .context("connecting to NATS")?;
    let js = jetstream::new(client);
    let layout = Layout {
        replicas: opts.replicas,
        ..Layout::default()
    };
    let raw = js
        .get_or_create_stream(streams::raw(&layout))
        .await
        .context("the raw stream")?;
    let alerts = js
        .get_or_create_stream(streams::alerts(&layout))
        .await
        .context("the alerts stream")?;
    let leases = leases_bucket(&js, opts.replicas).await?;
    let snaps = snapshots_bucket(&js, opts.replicas).await?;
    // Built before standing by: a take-over does not wait for the geography to load.
    let engine = build()?;
    let mut worker = worker::Worker::new(engine);

    let set_key = opts.partitions.key();
    let lease_key = format!("engine.{set_key}");
    let (lease, acquired) = lease::acquire(&leases, &lease_key, &opts.node, opts.lease_ttl).await?;
    let took = Instant::now();
    match &acquired.from {
        Some(from) if *from != opts.node => tracing::info!(
            partitions = %set_key,
            from = %from,
            stale_ms = acquired.stale_for.as_millis() as u64,
            waited_ms = acquired.waited.as_millis() as u64,
            "took over the partitions: the previous owner's lease went unrenewed"
        ),
        _ => tracing::info!(partitions = %set_key, "holding the partitions' lease"),
    }
    if let Some(blob) = snapshots::load(&snaps, &set_key).await? {
        worker
            .load_snapshot(&blob)
            .context("loading the engine snapshot")?;
    }
    let published = publish::last_event(&alerts, &opts.partitions).await?;
    tracing::info!(
        seq = worker.seq,
        frames = worker.frames(),
        events = worker.events(),
        published,
        load_ms = took.elapsed().as_millis() as u64,
        "resuming from the snapshot"
    );
    let mut outbox = publish::Outbox::new(js.clone(), opts.partitions.count(), published);

    let consumer = raw
        .create_consumer(consumer::pull::OrderedConfig {
            // One subject filter (NATS 2.9 knows no lists): frames of other partitions are skipped.
            filter_subject: format!("{RAW_PREFIX}.>"),
            deliver_policy: consumer::DeliverPolicy::ByStartSequence {
                start_sequence: worker.seq + 1,
            },
            ..Default::default()
        })
        .await
        .context("creating the raw stream consumer")?;
    let mut messages = consumer
        .messages()
        .await
        .context("reading the raw stream")?;

    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
    let mut out = Vec::new();
    let mut since_snapshot = 0u64;
    let mut last_snapshot = Instant::now();
    let mut caught_up = false;
    let mut bad_frames = 0u64;
    loop {
        let next = tokio::select! {
            _ = tokio::signal::ctrl_c() => break,
            _ = term.recv() => break,
            n = tokio::time::timeout(Duration::from_millis(200), messages.next()) => n,
        };
        if lease.is_lost() {
            bail!("lease of partitions {set_key} lost: stopping without publishing more");
        }
        match next {
            Ok(Some(Ok(msg))) => {
                let (seq, pending) = match msg.info() {
                    Ok(i) => (i.stream_sequence, i.pending),
                    Err(e) => {
                        tracing::warn!(error = %e, "a raw stream message without its info: skipped");
                        continue;
                    }
                };
                let partition = msg
                    .subject
                    .rsplit('.')
                    .next()
                    .and_then(|p| p.parse::<u32>().ok());
                worker.seq = seq;
                if partition.is_some_and(|p| opts.partitions.contains(p)) {
                    match Frame::from_message(msg.headers.as_ref(), msg.payload.clone()) {
                        Ok(frame) => {
                            worker.frame(seq, &frame, &mut out);
                            for a in out.drain(..) {
                                outbox.publish(a, seq).await?;
                            }
                        }
                        Err(e) => {
                            bad_frames += 1;
                            if bad_frames == 1 {
                                tracing::warn!(error = %e, seq, "a raw frame that cannot be read: skipped (counted)");
                            }
                        }
                    }
                }
                since_snapshot += 1;
                if pending == 0 && !caught_up {
                    caught_up = true;
                    tracing::info!(
                        seq,
                        after_ms = took.elapsed().as_millis() as u64,
                        "caught up with the raw stream"
                    );
                }
            }
            Ok(Some(Err(e))) => {
                tracing::warn!(error = %e, "raw stream consumer: retrying");
                continue;
            }
            Ok(None) => bail!("the raw stream consumer ended"),
            Err(_) => {} // quiet
        }
        if since_snapshot > 0
            && (since_snapshot >= opts.snapshot_frames
                || last_snapshot.elapsed() >= opts.snapshot_every)
        {
            snapshot(&mut worker, &mut outbox, &snaps, &set_key, &lease).await?;
            since_snapshot = 0;
            last_snapshot = Instant::now();
        }
    }
    if since_snapshot > 0 {
        snapshot(&mut worker, &mut outbox, &snaps, &set_key, &lease).await?;
    }
    tracing::info!(
        seq = worker.seq,
        alerts = outbox.sent,
        bad_frames,
        "stopped: lease released"
    );
    lease.release().await;
    Ok(())
}

/// Waits for the alerts so far to be acknowledged, then stores the state.
async fn snapshot(
    worker: &mut worker::Worker,
    outbox: &mut publish::Outbox,
    snaps: &object_store::ObjectStore,
    set_key: &str,
    lease: &lease::Lease,
) -> Result<()> {
    outbox.flush().await?;
    let blob = worker.snapshot()?;
    if lease.is_lost() {
        bail!("lease of partitions {set_key} lost: no snapshot stored");
    }
    snapshots::store(snaps, set_key, &blob).await?;
    tracing::debug!(seq = worker.seq, bytes = blob.len(), "snapshot stored");
    Ok(())
}

async fn leases_bucket(js: &jetstream::Context, replicas: usize) -> Result<kv::Store> {
    if let Ok(kv) = js.get_key_value(LEASES_BUCKET).await {
        return Ok(kv);
    }
    let layout = Layout {
        replicas,
        ..Layout::default()
    };
    js.get_or_create_stream(streams::leases(&layout))
        .await
        .context("creating the leases bucket")?;
    js.get_key_value(LEASES_BUCKET)
        .await
        .context("opening the leases bucket")
}

async fn snapshots_bucket(
    js: &jetstream::Context,
    replicas: usize,
) -> Result<object_store::ObjectStore> {
    if let Ok(s) = js.get_object_store(SNAPSHOTS_BUCKET).await {
        return Ok(s);
    }
    let made = js
        .create_object_store(object_store::Config {
            bucket: SNAPSHOTS_BUCKET.to_string(),
            num_replicas: replicas,
            ..Default::default()
        })
        .await;
    match made {
        Ok(s) => Ok(s),
        Err(e) => js
            .get_object_store(SNAPSHOTS_BUCKET)
            .await
            .map_err(|_| anyhow::anyhow!("creating the snapshots bucket: {e:?}")),
    }
}
