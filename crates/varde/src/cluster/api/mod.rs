//! `varde serve --cluster`: an API/feed node of the cluster.
//!
//! Instead of running sources and an engine of its own, the node reads what the engine nodes
//! publish — every alert revision (`VARDE_ALERTS`) and every accepted position with the vessel's
//! record (`VARDE_POSITIONS`, see [`crate::cluster::engine::positions`]) — and feeds what the
//! embedded pipeline feeds: the store (alert revisions, track points, vessel records), the
//! in-memory vessel view and the live bus. The HTTP API, map, stream and alert workflow then run
//! unchanged on top.
//!
//! # Nothing lost, nothing doubled
//! Each stream is read by a durable pull consumer named after the node (`api_<node>_alerts`,
//! `api_<node>_positions`, acknowledge-all). Messages are gathered into a batch (at most
//! [`MAX_BATCH`] or [`MAX_DELAY`] after the first), the batch is committed to every store by the
//! writer thread, and only then is the last message of each stream acknowledged — which
//! acknowledges the batch and everything before it. A node killed before the acknowledgement gets
//! the batch again when it restarts; storing it twice changes nothing (an alert revision is kept
//! once per id and revision, the current alert is replaced only by an equal or newer revision, a
//! track point once per vessel and millisecond, a vessel record only by an equal or newer one).
//!
//! # Stores
//! The first store is the node's own SQLite store (the alert workflow and audit log live there,
//! and the API reads its history from it when there is no other); with `--store postgres://…`
//! every batch is also written to PostgreSQL/PostGIS before it is acknowledged, and the API reads
//! tracks and alerts from there (`serve::api::History`): one history for every API node, for
//! analysts (`varde history`) and for `varde backfill`.

pub mod apply;

use crate::cluster::connect::{stream, until_ready};
use crate::serve::live::LiveHub;
use crate::serve::metrics::{Counter, Metrics};
use crate::serve::view::Publisher;
use anyhow::{Context, Result};
use async_nats::jetstream::{self, consumer};
use futures_util::StreamExt;
use std::sync::Arc;
use std::time::{Duration, Instant};
use varde_nats::{streams, Layout, ALERTS_PREFIX, POSITIONS_PREFIX};
use varde_store::{Batch, Store};

/// Alert revisions and positions in one batch at most (a message is never split: a batch can
/// exceed it by one positions message).
pub const MAX_BATCH: usize = 8_192;
/// Longest the first message of a batch waits before the batch is stored.
pub const MAX_DELAY: Duration = Duration::from_millis(100);
/// Longest wait between two tries of a failing store write.
const MAX_RETRY_WAIT: Duration = Duration::from_secs(2);

/// How an API node reads the cluster.
#[derive(Debug, Clone)]
pub struct Options {
    /// NATS server URLs, comma-separated.
    pub nats: String,
    /// This node's name: its durable consumers are named after it.
    pub node: String,
    /// Stream replicas when this node creates the streams.
    pub replicas: usize,
}

/// Where the node's batches go.
pub struct Sink {
    /// The stores every batch is committed to before it is acknowledged (the API reads the first).
    pub stores: Vec<Box<dyn Store>>,
    /// The API's in-memory vessel view.
    pub view: Publisher,
    /// The live bus (`/api/stream`, the map).
    pub live: Arc<LiveHub>,
    /// Service counters.
    pub metrics: Arc<Metrics>,
}

/// A durable consumer's name for `node` (NATS allows no `.`, `*`, `>` or blanks in it).
pub fn consumer_name(node: &str, stream: &str) -> String {
    let node: String = node
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("api_{node}_{stream}")
}

/// Which stream a message came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum From {
    Alerts,
    Positions,
}

/// Runs until the runtime stops (the service's shutdown); an error means the node cannot go on
/// (the streams cannot be read, or the store writer is gone).
pub async fn run(opts: Options, sink: Sink) -> Result<()> {
    let js = crate::cluster::connect::jetstream(
        opts.nats.split(','),
        format!("varde-api {}", opts.node),
    )
    .await
    .context("--nats")?;
    let layout = Layout {
        replicas: opts.replicas,
        ..Layout::default()
    };
    // A cluster that has just started (or just lost a node) may not answer at once.
    let alerts = stream(&js, streams::alerts(&layout)).await?;
    let positions = stream(&js, streams::positions(&layout)).await?;
    let alerts_name = consumer_name(&opts.node, "alerts");
    let alerts = until_ready(&alerts_name, || {
        durable(&alerts, &alerts_name, ALERTS_PREFIX)
    })
    .await?;
    let positions_name = consumer_name(&opts.node, "positions");
    let positions = until_ready(&positions_name, || {
        durable(&positions, &positions_name, POSITIONS_PREFIX)
    })
    .await?;
    tracing::info!(node = %opts.node, "reading the alerts and positions streams");
    let Sink {
        stores,
        view,
        live,
        metrics,
    } = sink;
    let writer = spawn_writer(stores, metrics.clone())?;
    let mut pending = apply::Pending::default();
    let mut bad = 0u64;
    loop {
        let mut msgs = futures_util::stream::select(
            messages(&alerts).await?.map(|m| (From::Alerts, m)),
            messages(&positions).await?.map(|m| (From::Positions, m)),
        );
        'batches: loop {
            let mut last_alert = None;
            let mut last_position = None;
            let mut deadline = None;
            while pending.len < MAX_BATCH {
                let next = match deadline {
                    None => msgs.next().await,
                    Some(d) => match tokio::time::timeout_at(d, msgs.next()).await {
                        Ok(n) => n,
                        Err(_) => break,
                    },
                };
                let (from, msg) = match next {
                    Some((from, Ok(m))) => (from, m),
                    Some((_, Err(e))) => {
                        tracing::warn!(error = %e, "reading the streams: retrying");
                        continue;
                    }
                    None => {
                        tracing::warn!("a stream consumer ended: reading again");
                        if pending.len > 0 || last_alert.is_some() || last_position.is_some() {
                            // Store and acknowledge what was gathered before reading again.
                            store(&writer, &view, &live, &metrics, &mut pending).await?;
                            ack(last_alert.take(), last_position.take()).await;
                        }
                        break 'batches;
                    }
                };
                deadline.get_or_insert_with(|| tokio::time::Instant::now() + MAX_DELAY);
                let taken = match from {
                    From::Alerts => pending.alert(msg.headers.as_ref(), &msg.payload),
                    From::Positions => pending.positions(&msg.payload),
                };
                if let Err(e) = taken {
                    bad += 1;
                    if bad == 1 {
                        tracing::warn!(error = %e, subject = %msg.subject, "a message that cannot be read: skipped (counted)");
                    }
                }
                match from {
                    From::Alerts => last_alert = Some(msg),
                    From::Positions => last_position = Some(msg),
                }
            }
            store(&writer, &view, &live, &metrics, &mut pending).await?;
            ack(last_alert, last_position).await;
        }
    }
}

/// What the writer thread takes: a batch and where to say it is committed.
type Job = (Batch, tokio::sync::oneshot::Sender<()>);

/// Stores the batch (waiting until every store has committed it), then publishes it to the view
/// and the live bus.
async fn store(
    writer: &std::sync::mpsc::SyncSender<Job>,
    view: &Publisher,
    live: &LiveHub,
    metrics: &Metrics,
    pending: &mut apply::Pending,
) -> Result<()> {
    if pending.len == 0 {
        return Ok(());
    }
    let batch = pending.take_batch();
    let (tx, rx) = tokio::sync::oneshot::channel();
    // One batch at a time: the channel (room for one) never blocks here.
    writer
        .send((batch, tx))
        .map_err(|_| anyhow::anyhow!("the store writer stopped"))?;
    rx.await.context("the store writer stopped")?;
    let (positions, alerts) = pending.publish(view, live);
    metrics.add(Counter::Reports, positions);
    metrics.add(Counter::AlertEvents, alerts);
    Ok(())
}

async fn ack(alert: Option<jetstream::Message>, position: Option<jetstream::Message>) {
    for m in [alert, position].into_iter().flatten() {
        if let Err(e) = m.ack().await {
            // Delivered again after the ack wait and stored again: idempotent.
            tracing::debug!(error = %e, "acknowledging a batch");
        }
    }
}

/// The node's durable consumer of `stream`: every message from the first, acknowledge-all.
///
/// A node that restarts takes its consumer up again at its acknowledgement floor: the consumer is
/// made anew from the first message it had not acknowledged. Kept as it was, the messages it had
/// delivered to the dead node would come again only after the acknowledgement wait, and, worse,
/// the first acknowledgement of a later batch would acknowledge them too (acknowledge-all): they
/// would never be stored. Everything after the floor is delivered again and stored again, which
/// changes nothing (see the module's notes).
async fn durable(
    stream: &jetstream::stream::Stream,
    name: &str,
    prefix: &str,
) -> Result<consumer::PullConsumer> {
    let mut deliver_policy = consumer::DeliverPolicy::All;
    if let Ok(mut old) = stream.get_consumer::<consumer::pull::Config>(name).await {
        let floor = old
            .info()
            .await
            .with_context(|| format!("reading the durable consumer {name}"))?
            .ack_floor
            .stream_sequence;
        stream
            .delete_consumer(name)
            .await
            .with_context(|| format!("resetting the durable consumer {name}"))?;
        tracing::info!(
            consumer = name,
            from = floor + 1,
            "reading again from the first message not acknowledged"
        );
        deliver_policy = consumer::DeliverPolicy::ByStartSequence {
            start_sequence: floor + 1,
        };
    }
    stream
        .get_or_create_consumer(
            name,
            consumer::pull::Config {
                durable_name: Some(name.to_owned()),
                deliver_policy,
                ack_policy: consumer::AckPolicy::All,
                ack_wait: Duration::from_secs(60),
                max_ack_pending: 100_000,
                filter_subject: format!("{prefix}.>"),
                ..Default::default()
            },
        )
        .await
        .with_context(|| format!("creating the durable consumer {name}"))
}

async fn messages(c: &consumer::PullConsumer) -> Result<consumer::pull::Stream> {
    c.messages().await.context("reading a stream")
}

/// The writer thread: commits each batch to every store (retrying while one fails), then says so.
fn spawn_writer(
    mut stores: Vec<Box<dyn Store>>,
    metrics: Arc<Metrics>,
) -> Result<std::sync::mpsc::SyncSender<Job>> {
    let (tx, rx) = std::sync::mpsc::sync_channel::<Job>(1);
    std::thread::Builder::new()
        .name("cluster-writer".into())
        .spawn(move || {
            while let Ok((batch, done)) = rx.recv() {
                for (i, store) in stores.iter_mut().enumerate() {
                    write(store.as_mut(), i, &batch, &metrics);
                }
                metrics.add(Counter::Batches, 1);
                let _ = done.send(());
            }
        })?;
    Ok(tx)
}

/// Writes `batch` to store `i` until it takes it (an API node must not acknowledge what it has
/// not stored; the streams keep the messages meanwhile and `/healthz` says degraded).
fn write(store: &mut dyn Store, i: usize, batch: &Batch, metrics: &Metrics) {
    let mut wait = Duration::from_millis(50);
    let start = Instant::now();
    loop {
        match store.write_batch(batch) {
            Ok(()) => {
                if metrics.degraded().is_some() {
                    tracing::info!(store = i, "store writes succeed again");
                    metrics.clear_store_error();
                }
                return;
            }
            Err(e) => {
                metrics.add(Counter::StoreErrors, 1);
                if metrics.degraded().is_none() {
                    tracing::error!(error = %e, store = i, failing_s = start.elapsed().as_secs(), "store write failed; retrying");
                }
                metrics.set_store_error(format!("store {i}: {e}"));
                std::thread::sleep(wait);
                wait = (wait * 2).min(MAX_RETRY_WAIT);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn consumer_names_are_what_nats_accepts() {
        assert_eq!(consumer_name("api-1", "alerts"), "api_api-1_alerts");
        assert_eq!(consumer_name("a.b c>", "positions"), "api_a_b_c__positions");
    }
}
