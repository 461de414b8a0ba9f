//! Stream configurations: what each stream holds, how many replicas and how long a duplicate
//! is remembered.

use async_nats::jetstream::stream::{Config, StorageType};
use std::time::Duration;

use crate::{
    ALERTS_PREFIX, ALERTS_STREAM, AREA_PREFIX, AREA_STREAM, POSITIONS_PREFIX, POSITIONS_STREAM,
    RAW_PREFIX, RAW_STREAM,
};

/// How the streams are laid out: replicas (3 on a three-node cluster, 1 on a single server)
/// and the duplicate window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    /// Copies of every message (JetStream R1..R5).
    pub replicas: usize,
    /// How long a `Nats-Msg-Id` is remembered for de-duplication.
    pub duplicate_window: Duration,
}

impl Default for Layout {
    fn default() -> Self {
        Self {
            replicas: 3,
            duplicate_window: Duration::from_secs(120),
        }
    }
}

fn stream(name: &str, prefix: &str, layout: &Layout) -> Config {
    Config {
        name: name.to_string(),
        subjects: vec![format!("{prefix}.>")],
        num_replicas: layout.replicas,
        duplicate_window: layout.duplicate_window,
        storage: StorageType::File,
        ..Config::default()
    }
}

/// The raw stream's configuration.
pub fn raw(layout: &Layout) -> Config {
    stream(RAW_STREAM, RAW_PREFIX, layout)
}

/// The alerts stream's configuration.
pub fn alerts(layout: &Layout) -> Config {
    stream(ALERTS_STREAM, ALERTS_PREFIX, layout)
}

/// The positions stream's configuration.
pub fn positions(layout: &Layout) -> Config {
    stream(POSITIONS_STREAM, POSITIONS_PREFIX, layout)
}

/// The area stream's configuration: one message per subject, so every effect (a subject each)
/// stays and only the newest progress message of each area does.
pub fn area(layout: &Layout) -> Config {
    Config {
        max_messages_per_subject: 1,
        ..stream(AREA_STREAM, AREA_PREFIX, layout)
    }
}

/// The stream behind the KV bucket of partition leases ([`crate::LEASES_BUCKET`]), as
/// `async_nats`' `create_key_value` makes it (one value a key). Created as a plain stream because
/// `create_key_value` first queries the account, which fails against NATS 2.9; open the bucket
/// afterwards with `get_key_value`.
pub fn leases(layout: &Layout) -> Config {
    kv_bucket(crate::LEASES_BUCKET, layout)
}

/// The stream behind the KV bucket of the cluster's layout ([`crate::LAYOUT_BUCKET`]), made as
/// [`leases`] is.
pub fn layout(layout: &Layout) -> Config {
    kv_bucket(crate::LAYOUT_BUCKET, layout)
}

fn kv_bucket(bucket: &str, layout: &Layout) -> Config {
    use async_nats::jetstream::stream::DiscardPolicy;
    Config {
        name: format!("KV_{bucket}"),
        subjects: vec![format!("$KV.{bucket}.>")],
        max_messages_per_subject: 1,
        num_replicas: layout.replicas,
        storage: StorageType::File,
        allow_rollup: true,
        deny_delete: true,
        allow_direct: true,
        discard: DiscardPolicy::New,
        ..Config::default()
    }
}
