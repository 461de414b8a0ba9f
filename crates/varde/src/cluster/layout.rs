//! The cluster's layout recorded in NATS: the MMSI partition count of the raw stream, written to
//! the KV bucket `varde_layout` by the first ingest or engine node that finds it empty. A node
//! started with another count refuses to run: its frames would land on, or be read from, the wrong
//! partitions.

use crate::cluster::connect::until_ready;
use anyhow::{bail, Context, Result};
use async_nats::jetstream::{self, kv};
use bytes::Bytes;
use varde_nats::{streams, Layout, LAYOUT_BUCKET, LAYOUT_PARTITIONS_KEY};

/// What the bucket held for the partition count.
enum Recorded {
    /// Nothing: this node wrote its count.
    Now,
    /// A count written before (by this or another node).
    Before(String),
}

/// Records `partitions` as the cluster's partition count if none is recorded yet, else checks
/// that the recorded count is `partitions`. `replicas` is used when the bucket is created.
/// `flag` names the setting in the error (`--partitions`, `--partition-count`).
pub async fn check_partitions(
    js: &jetstream::Context,
    replicas: usize,
    partitions: u32,
    flag: &str,
) -> Result<()> {
    let bucket = until_ready("the layout bucket", || bucket(js, replicas)).await?;
    let recorded = until_ready("the layout's partition count", || {
        record(&bucket, partitions)
    })
    .await?;
    match recorded {
        Recorded::Now => {
            tracing::info!(
                partitions,
                "recorded the cluster's partition count in {LAYOUT_BUCKET}"
            );
            Ok(())
        }
        Recorded::Before(v) if v == partitions.to_string() => Ok(()),
        Recorded::Before(v) => bail!(
            "this cluster's raw stream has {v} MMSI partitions (recorded in the NATS KV bucket \
             {LAYOUT_BUCKET}, key {LAYOUT_PARTITIONS_KEY}), but this node was started with \
             {partitions}: start it with {flag} {v} (or `[cluster] partitions = {v}`)"
        ),
    }
}

async fn record(bucket: &kv::Store, partitions: u32) -> Result<Recorded> {
    match bucket
        .create(LAYOUT_PARTITIONS_KEY, Bytes::from(partitions.to_string()))
        .await
    {
        Ok(_) => Ok(Recorded::Now),
        Err(e) if e.kind() == kv::CreateErrorKind::AlreadyExists => {
            let v = bucket
                .get(LAYOUT_PARTITIONS_KEY)
                .await
                .context("reading the recorded partition count")?
                .context("the recorded partition count is gone")?;
            Ok(Recorded::Before(
                String::from_utf8_lossy(&v).trim().to_owned(),
            ))
        }
        Err(e) => Err(e).context("recording the partition count"),
    }
}

async fn bucket(js: &jetstream::Context, replicas: usize) -> Result<kv::Store> {
    if let Ok(kv) = js.get_key_value(LAYOUT_BUCKET).await {
        return Ok(kv);
    }
    let layout = Layout {
        replicas,
        ..Layout::default()
    };
    js.get_or_create_stream(streams::layout(&layout))
        .await
        .context("creating the layout bucket")?;
    js.get_key_value(LAYOUT_BUCKET)
        .await
        .context("opening the layout bucket")
}
