//! Engine node snapshots in the object store `varde_snapshots`: one object per lease key
//! ([`super::role::Role::key`]: `engine.<partition set>` or `area.<area>`), replaced by each new
//! snapshot.

use anyhow::{Context, Result};
use async_nats::jetstream::object_store::{GetErrorKind, ObjectStore};
use tokio::io::AsyncReadExt;

/// The newest snapshot stored under `key`, if any.
pub async fn load(store: &ObjectStore, key: &str) -> Result<Option<Vec<u8>>> {
    let mut object = match store.get(key).await {
        Ok(o) => o,
        Err(e) if matches!(e.kind(), GetErrorKind::NotFound) => return Ok(None),
        Err(e) => return Err(e).context("reading the engine snapshot"),
    };
    let mut blob = Vec::new();
    object
        .read_to_end(&mut blob)
        .await
        .context("reading the engine snapshot")?;
    Ok(Some(blob))
}

/// Stores `blob` as the newest snapshot under `key`.
pub async fn store(store: &ObjectStore, key: &str, blob: &[u8]) -> Result<()> {
    let mut data = blob;
    store
        .put(key, &mut data)
        .await
        .context("storing the engine snapshot")?;
    Ok(())
}
