//! `varde engine`: an engine node of the cluster.
//!
//! A node owns a set of MMSI partitions, or an area ([`role`]: the pairwise detectors), by a
//! lease ([`lease`]); while another node holds it, it stands by. Holding it, it loads the set's newest snapshot ([`snapshots`]), reads the raw stream
//! from the sequence after it with an ordered consumer, runs every frame of its partitions
//! through the watch engine ([`worker`]) and publishes each alert revision ([`publish`]), each
//! acknowledged by the stream before the next frame is read. Every few seconds (or frames) it
//! stores a snapshot with the raw sequence it covers: every alert raised by the frames up to that
//! sequence is in the alerts stream by then. A snapshot that cannot be stored (the object store
//! electing a leader after a NATS node died) is tried again later; the previous one stays valid.
//!
//! Why an ordered consumer from the snapshot's sequence rather than a durable consumer with
//! acknowledgements: the engine must see the frames in stream order, exactly once *relative to its
//! state*. The snapshot is that state, and it already records the last sequence it includes; a
//! durable consumer's acknowledgement floor would be a second record of the same fact, which could
//! disagree with it (acknowledged past the snapshot: frames lost on a crash; behind it: frames seen
//! twice), and its redeliveries after `ack_wait` arrive out of order. Starting an ordered consumer
//! at `snapshot.seq + 1` gives in-order delivery, recreated by the client across NATS node
//! failures, with one source of truth for the resume point.
//!
//! What the consumer reads ([`raw`]): a node holding some partitions reads only its partitions'
//! subjects (`varde.raw.<p>` each, one consumer with `filter_subjects`) where the server has
//! multi-subject filters (NATS ≥ 2.10); against NATS 2.9, and for a node of every partition or an
//! area node, the whole stream (`varde.raw.>`), skipping other partitions' frames. Which path runs
//! is logged (`reading the raw stream: …`), and the counters logged at stop say what the node was
//! delivered (`frames_received`, `frames_handled`, `skipped_other_partitions`).
//!
//! What guarantees that no frame of the node's partitions is missed or handled twice:
//! - A frame at or before the last one handled is a second delivery and is dropped (the client
//!   recreates an ordered consumer that failed before its first message from the start of the
//!   stream). This holds on either path: the snapshot's sequence is the last frame handled, and
//!   every frame of the node's partitions up to it is in the state.
//! - The ordered consumer checks the *consumer* sequence of each delivery (1, 2, 3, … over the
//!   frames its filter matches) and, on a gap, recreates itself from after the last stream
//!   sequence it delivered (async-nats' `pull::Ordered`). That is the gap check on a filtered
//!   consumer: its stream sequences skip other partitions' frames, so they cannot be checked.
//! - On the whole stream the node checks the stream sequences too: they must be contiguous, and a
//!   frame after a gap makes it read again from after the last frame handled. Only the first frame
//!   of a consumer the node just created may follow a gap (frames removed from the stream by its
//!   limits); a filtered consumer's first frame is likewise taken wherever it is.
//! - A consumer that stops delivering (it can after the NATS node it lived on died) is found by
//!   the stall check after 2 s without a frame: on the whole stream, the stream's last sequence
//!   past the last frame handled; on own subjects, the last message of any of them past it (the
//!   stream's last sequence may be another partition's frame the consumer never delivers).
//!
//! What the filtered path no longer checks itself: that the server's filter matched every frame
//! of the node's partitions. Consumer sequences count what the server delivered, not what the
//! stream holds; on the whole stream, stream sequences cross-check one against the other. A
//! filtered node trusts the server's subject matching: `tests/cluster_engine.rs` checks a filtered
//! node's frame counts against the stream's, also across the death of the NATS node holding its
//! consumer, and `tests/cluster_area.rs` two filtered nodes' alerts against replay's.

pub mod effects;
pub mod lease;
pub mod partitions;
pub mod positions;
pub mod publish;
pub mod raw;
pub mod role;
pub mod snapshots;
pub mod worker;

use crate::adapt::geo::GeoAdapter;
use crate::cluster::connect::{stream, until_ready};
use anyhow::{bail, Context, Result};
use async_nats::jetstream::{self, kv, object_store};
use futures_util::StreamExt;
use role::Role;
use std::time::{Duration, Instant};
use varde_nats::{streams, Frame, Layout, LEASES_BUCKET, SNAPSHOTS_BUCKET};
use varde_watch::{AreaMode, Engine};

/// How an engine node runs.
#[derive(Debug, Clone)]
pub struct Options {
    /// NATS server URLs (`nats://host:port`).
    pub nats: Vec<String>,
    /// This node's name (unique in the cluster).
    pub node: String,
    /// What it is responsible for: a partition set or an area.
    pub role: Role,
    /// Snapshot after this long with new frames.
    pub snapshot_every: Duration,
    /// Snapshot after this many new frames.
    pub snapshot_frames: u64,
    /// Lease time to live.
    pub lease_ttl: Duration,
    /// Stream and bucket replicas when this node creates them.
    pub replicas: usize,
    /// A partition node that applies this area node's effects (`--follow-area`): its alerts
    /// are replay's, pairwise outcomes included ([`effects`]).
    pub follow: Option<role::Area>,
}

/// Runs the node until it is stopped (SIGINT/SIGTERM: last snapshot, lease released) or loses
/// its lease (an error: it must not go on publishing).
pub async fn run(opts: Options, build: impl FnOnce() -> Result<Engine<GeoAdapter>>) -> Result<()> {
    let js = crate::cluster::connect::jetstream(
        opts.nats.iter().map(String::as_str),
        format!("varde-engine {}", opts.node),
    )
    .await
    .context("--nats / [cluster] nats")?;
    let layout = Layout {
        replicas: opts.replicas,
        ..Layout::default()
    };
    // A cluster that has just started (or just lost a node) may not answer at once.
    let raw = stream(&js, streams::raw(&layout)).await?;
    let alerts = stream(&js, streams::alerts(&layout)).await?;
    stream(&js, streams::positions(&layout)).await?;
    let area_key = match (&opts.role, &opts.follow) {
        (Role::Area { area, .. }, _) | (_, Some(area)) => Some(area.key()),
        _ => None,
    };
    let area_stream = match area_key {
        Some(_) => Some(stream(&js, streams::area(&layout)).await?),
        None => None,
    };
    crate::cluster::layout::check_partitions(
        &js,
        opts.replicas,
        opts.role.partition_count(),
        "--partition-count",
    )
    .await?;
    let leases = until_ready("the leases bucket", || leases_bucket(&js, opts.replicas)).await?;
    let snaps = until_ready("the snapshots bucket", || {
        snapshots_bucket(&js, opts.replicas)
    })
    .await?;
    // Built before standing by: a take-over does not wait for the geography to load.
    let engine = build()?;
    let area_mode = match (&opts.role, &opts.follow) {
        (Role::Area { .. }, _) => AreaMode::Record,
        (_, Some(_)) => AreaMode::Follow,
        _ => AreaMode::Alone,
    };
    let mut worker = worker::Worker::new(engine)
        .publishing(opts.role.publishes())
        .with_positions(opts.role.publishes_positions())
        .area_mode(area_mode);

    // `engine.<partition set>` or `area.<area>`: the lease's key and the snapshot's name.
    let set_key = opts.role.key();
    let (lease, acquired) = lease::acquire(&leases, &set_key, &opts.node, opts.lease_ttl).await?;
    let took = Instant::now();
    match &acquired.from {
        Some(from) if *from != opts.node => tracing::info!(
            lease = %set_key,
            from = %from,
            stale_ms = acquired.stale_for.as_millis() as u64,
            waited_ms = acquired.waited.as_millis() as u64,
            "took over the partitions: the previous owner's lease went unrenewed"
        ),
        _ => tracing::info!(lease = %set_key, "holding the partitions' lease"),
    }
    // The object store may not answer yet when another node has just created it (seen with two
    // nodes of different partition sets started together on a fresh cluster).
    let newest = until_ready("the engine snapshot", || snapshots::load(&snaps, &set_key)).await?;
    if let Some(blob) = newest {
        if let Err(e) = worker.load_snapshot(&blob) {
            rebuild_from_start(&raw, &set_key, &e).await?;
        }
    }
    let published = publish::last_event(&alerts, &opts.role.alerts_subjects()).await?;
    tracing::info!(
        seq = worker.seq,
        frames = worker.frames(),
        events = worker.events(),
        published,
        load_ms = took.elapsed().as_millis() as u64,
        "resuming from the snapshot"
    );
    let mut outbox = publish::Outbox::new(js.clone(), opts.role.clone(), published);
    let (mut area_out, mut follower) = match (area_mode, area_key, area_stream) {
        (AreaMode::Record, Some(key), _) => (Some(effects::Publisher::new(js.clone(), key)), None),
        (AreaMode::Follow, Some(key), Some(s)) => {
            tracing::info!(
                area = key,
                applied = worker.area_effects(),
                "following the area node's effects"
            );
            (
                None,
                Some(effects::Follower::new(s, key, worker.area_effects())),
            )
        }
        _ => (None, None),
    };
    let mut pos_out = positions::Outbox::new(js.clone(), opts.role.partition_count());

    let mut reader = raw::Reader::new(js.clone(), raw, &opts.role);
    let mut messages = reader.open(worker.seq + 1).await?;
    // The consumer was just created: its first frame may follow a gap the stream really has.
    let mut fresh = true;
    let mut last_progress = Instant::now();

    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
    let mut out = Vec::new();
    let mut since_snapshot = 0u64;
    let mut last_snapshot = Instant::now();
    let mut caught_up = false;
    let mut bad_frames = 0u64;
    let mut redelivered = 0u64;
    let mut counts = Counts::default();
    loop {
        // While the lease cannot be renewed a standby may take over: read and publish nothing.
        while lease.is_suspended() && !lease.is_lost() {
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let next = tokio::select! {
            _ = tokio::signal::ctrl_c() => break,
            _ = term.recv() => break,
            // Shorter while the area node owes its followers a progress message.
            n = tokio::time::timeout(
                match area_out.as_ref().is_some_and(|p| p.owed()) {
                    true => effects::PROGRESS_EVERY,
                    false => Duration::from_millis(200),
                },
                messages.next(),
            ) => n,
        };
        if lease.is_lost() {
            bail!("lease of partitions {set_key} lost: stopping without publishing more");
        }
        match next {
            Ok(Some(Ok(msg))) => {
                last_progress = Instant::now();
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
                if seq <= worker.seq {
                    // Delivered again (a consumer recreated from an earlier sequence): handled.
                    redelivered += 1;
                    continue;
                }
                // On the whole stream the sequences must be contiguous; on the node's own
                // subjects they skip the other partitions' frames (see the module doc).
                if reader.reading() == raw::Reading::Whole && seq != worker.seq + 1 && !fresh {
                    tracing::warn!(
                        seq = worker.seq,
                        delivered = seq,
                        "raw stream consumer skipped frames: reading again from after the last frame"
                    );
                    messages = reader.open(worker.seq + 1).await?;
                    fresh = true;
                    continue;
                }
                let mine = partition.is_some_and(|p| opts.role.reads(p));
                if let (true, Some(f)) = (mine, follower.as_mut()) {
                    // The area node must have handled this frame: its effects up to it are in.
                    if !f.wait(seq, &mut term, &lease).await? {
                        break;
                    }
                }
                if redelivered > 0 {
                    tracing::info!(
                        redelivered,
                        "raw stream frames delivered again were dropped (handled before)"
                    );
                    redelivered = 0;
                }
                fresh = false;
                worker.seq = seq;
                counts.received += 1;
                if mine {
                    counts.handled += 1;
                    match Frame::from_message(msg.headers.as_ref(), msg.payload.clone()) {
                        Ok(frame) => {
                            let queue = follower.as_mut().map(|f| &mut f.queue);
                            worker.frame(seq, &frame, queue, &mut out);
                            for a in out.drain(..) {
                                outbox.publish(a, seq).await?;
                            }
                            if let Some(p) = area_out.as_mut() {
                                for e in worker.area_out.drain(..) {
                                    p.effect(&e).await?;
                                }
                            }
                            for p in worker.positions.drain(..) {
                                pos_out.publish(&p, seq).await?;
                            }
                        }
                        Err(e) => {
                            bad_frames += 1;
                            if bad_frames == 1 {
                                tracing::warn!(error = %e, seq, "a raw frame that cannot be read: skipped (counted)");
                            }
                        }
                    }
                } else {
                    counts.skipped += 1;
                }
                since_snapshot += 1;
                if let Some(p) = area_out.as_mut() {
                    // Every frame's effects up to `seq` are in the area stream now.
                    p.progress(seq, false).await?;
                }
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
            Ok(None) => {
                tracing::warn!(
                    seq = worker.seq,
                    "raw stream consumer ended: reading again from after the last frame"
                );
                messages = reader.open(worker.seq + 1).await?;
                fresh = true;
                last_progress = Instant::now();
            }
            Err(_) => {
                if let Some(p) = area_out.as_mut() {
                    p.progress(worker.seq, true).await?;
                }
                // Quiet, or a consumer that stopped delivering (it can after the NATS node it
                // lived on died): if the stream holds frames for it past ours, read again from
                // there.
                if last_progress.elapsed() >= STALL_AFTER {
                    last_progress = Instant::now();
                    if reader.stalled(worker.seq).await {
                        tracing::warn!(
                            seq = worker.seq,
                            "raw stream consumer stalled: reading again from after the last frame"
                        );
                        messages = reader.open(worker.seq + 1).await?;
                        fresh = true;
                    }
                }
            }
        }
        pos_out.tick().await?;
        if since_snapshot > 0
            && (since_snapshot >= opts.snapshot_frames
                || last_snapshot.elapsed() >= opts.snapshot_every)
        {
            pos_out.flush().await?;
            if snapshot(&worker, &snaps, &set_key, &lease).await? {
                since_snapshot = 0;
            }
            last_snapshot = Instant::now();
        }
    }
    if since_snapshot > 0 {
        pos_out.flush().await?;
        snapshot(&worker, &snaps, &set_key, &lease).await?;
    }
    tracing::info!(
        seq = worker.seq,
        alerts = outbox.sent,
        resent = outbox.resent,
        positions = pos_out.sent,
        bad_frames,
        reading = reader.reading().name(),
        frames_received = counts.received,
        frames_handled = counts.handled,
        skipped_other_partitions = counts.skipped,
        "stopped: lease released"
    );
    lease.release().await;
    Ok(())
}

/// After a snapshot that cannot be loaded (written by a build with another snapshot format, or
/// damaged): the state is rebuilt by reading the raw stream from its first frame, which gives the
/// same state an uninterrupted run has (the engine is deterministic); alerts the stream already
/// holds are not published again (see [`publish`]). Refused, with the reason, when the stream no
/// longer holds its first frame (its limits removed frames): the state cannot be rebuilt then,
/// and going on without it would raise different alerts under the same ids.
async fn rebuild_from_start(
    raw: &jetstream::stream::Stream,
    set_key: &str,
    why: &anyhow::Error,
) -> Result<()> {
    let first = raw
        .get_info()
        .await
        .context("reading the raw stream's state")?
        .state
        .first_sequence;
    if first > 1 {
        bail!(
            "the snapshot of {set_key} cannot be loaded ({why:#}) and the raw stream no longer \
             holds its first frames (it starts at sequence {first}): the state cannot be rebuilt; \
             delete the snapshot object {set_key:?} from the {SNAPSHOTS_BUCKET} bucket to start \
             afresh from sequence {first}"
        );
    }
    tracing::warn!(
        lease = %set_key,
        error = %format!("{why:#}"),
        "the snapshot cannot be loaded: rebuilding the state from the raw stream's first frame"
    );
    Ok(())
}

/// Raw frames this process was delivered past the last one handled (frames delivered again are
/// not counted), those of its partitions run through the engine, and those of other partitions
/// skipped (none when the consumer filters by the node's subjects).
#[derive(Debug, Default)]
struct Counts {
    received: u64,
    handled: u64,
    skipped: u64,
}

/// How long without a frame before the engine checks whether its consumer stalled.
const STALL_AFTER: Duration = Duration::from_secs(2);

/// Stores the state; every alert it covers is in the alerts stream already (each publish is
/// acknowledged before the next frame). Returns whether it was stored: a snapshot that cannot be
/// stored (the object store electing a leader) is not fatal, the previous one stays valid and the
/// next attempt comes at the next snapshot time.
async fn snapshot(
    worker: &worker::Worker,
    snaps: &object_store::ObjectStore,
    set_key: &str,
    lease: &lease::Lease,
) -> Result<bool> {
    let blob = worker.snapshot()?;
    if lease.is_suspended() {
        // A standby may hold the partitions by now: its snapshot must not be overwritten.
        tracing::debug!(seq = worker.seq, "lease suspended: snapshot not stored");
        return Ok(false);
    }
    if lease.is_lost() {
        bail!("lease of partitions {set_key} lost: no snapshot stored");
    }
    match snapshots::store(snaps, set_key, &blob).await {
        Ok(()) => {
            tracing::debug!(seq = worker.seq, bytes = blob.len(), "snapshot stored");
            Ok(true)
        }
        Err(e) => {
            tracing::warn!(error = %format!("{e:#}"), seq = worker.seq, "snapshot not stored; trying again later");
            Ok(false)
        }
    }
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
