//! Engine node snapshots in the object store `varde_snapshots`: one object per partition set
//! (`engine.<set>`), replaced by each new snapshot.

use anyhow::{Context, Result};
use async_nats::jetstream::object_store::{GetErrorKind, ObjectStore};
use tokio::io::AsyncReadExt;

/// The object name of a partition set's snapshot.
pub fn name(set_key: &str) -> String {
    format!("engine.{set_key}")
}

/// The newest snapshot of `set_key`, if any.
pub async fn load(store: &ObjectStore, set_key: &str) -> Result<Option<Vec<u8>>> {
    let mut object = match store.get(name(set_key)).await {
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

/// Stores `blob` as the newest snapshot of `set_key`.
pub async fn store(store: &ObjectStore, set_key: &str, blob: &[u8]) -> Result<()> {
    let mut data = blob;
    store
        .put(name(set_key).as_str(), &mut data)
        .await
        .context("storing the engine snapshot")?;
    Ok(())
}
