//! Ownership of a partition set: a lease in the KV bucket `varde_leases`, one key per partition
//! set, the owner's node name as its value.
//!
//! The owner renews the key every `ttl / 4` with a compare-and-set on the revision it last wrote.
//! A standby polls the key; once it has seen the same revision for `ttl` (the owner stopped
//! renewing: killed, hung or cut off), it takes the lease over with a compare-and-set on that
//! revision, so of several standbys exactly one wins. Staleness is measured on the standby's own
//! clock, so the nodes' clocks need not agree.
//!
//! An owner that cannot renew for `ttl` less one renewal (NATS unreachable, or the bucket's stream
//! electing a new leader after a node died) is *suspended*: it must not publish, since a standby may
//! take over from then on. It keeps renewing with a compare-and-set on the revision it last wrote:
//! if that succeeds, nobody took over meanwhile and it goes on; if the revision moved, another node
//! holds the partitions and the lease is *lost*.

use async_nats::jetstream::kv::{self, Operation, UpdateErrorKind};
use bytes::Bytes;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How a lease was obtained.
#[derive(Debug, Clone)]
pub struct Acquired {
    /// The node that held it before, if any (`None`: it was free).
    pub from: Option<String>,
    /// How long the previous owner's last renewal had been seen unchanged when this node took
    /// over (zero when the lease was free).
    pub stale_for: Duration,
    /// Time from the start of [`acquire`] to holding the lease.
    pub waited: Duration,
}

/// A lease held: renewed in the background until dropped or lost.
pub struct Lease {
    lost: Arc<AtomicBool>,
    suspended: Arc<AtomicBool>,
    task: tokio::task::JoinHandle<()>,
    kv: kv::Store,
    key: String,
}

impl Lease {
    /// True once the lease is lost: another node holds it.
    pub fn is_lost(&self) -> bool {
        self.lost.load(Ordering::Acquire)
    }

    /// True while the lease could not be renewed for (almost) its time to live: a standby may
    /// take over, so the owner must not publish until a renewal succeeds (or the lease is lost).
    pub fn is_suspended(&self) -> bool {
        self.suspended.load(Ordering::Acquire)
    }

    /// Gives the lease up (a clean shutdown): a standby takes over at once.
    pub async fn release(self) {
        self.task.abort();
        if !self.is_lost() {
            let _ = self.kv.delete(&self.key).await;
        }
    }
}

/// Waits until this node (`node`) holds the lease `key`, then renews it in the background.
pub async fn acquire(
    kv: &kv::Store,
    key: &str,
    node: &str,
    ttl: Duration,
) -> anyhow::Result<(Lease, Acquired)> {
    let start = Instant::now();
    let poll = (ttl / 8).max(Duration::from_millis(50));
    let mut announced = false;
    // The revision last seen and since when.
    let mut seen: Option<(u64, Instant)> = None;
    let (revision, acquired) = loop {
        let entry = match kv.entry(key).await {
            Ok(e) => e,
            Err(e) => {
                tracing::warn!(error = %e, key, "reading the lease failed; retrying");
                tokio::time::sleep(poll).await;
                continue;
            }
        };
        let attempt = match &entry {
            Some(e) if e.operation == Operation::Put => {
                let holder = String::from_utf8_lossy(&e.value).into_owned();
                let since = match seen {
                    Some((r, t)) if r == e.revision => t,
                    _ => {
                        seen = Some((e.revision, Instant::now()));
                        Instant::now()
                    }
                };
                if holder == node || since.elapsed() >= ttl {
                    // Our own lease from before a restart, or an owner that stopped renewing.
                    kv.update(key, Bytes::from(node.to_owned()), e.revision)
                        .await
                        .map(|r| {
                            (
                                r,
                                Acquired {
                                    from: Some(holder.clone()),
                                    stale_for: since.elapsed(),
                                    waited: start.elapsed(),
                                },
                            )
                        })
                        .ok()
                } else {
                    if !announced {
                        tracing::info!(key, owner = %holder, "standing by: the partitions are leased to another node");
                        announced = true;
                    }
                    None
                }
            }
            // Free (never taken, or released).
            _ => kv
                .create(key, Bytes::from(node.to_owned()))
                .await
                .map(|r| {
                    (
                        r,
                        Acquired {
                            from: None,
                            stale_for: Duration::ZERO,
                            waited: start.elapsed(),
                        },
                    )
                })
                .ok(),
        };
        if let Some(won) = attempt {
            break won;
        }
        tokio::time::sleep(poll).await;
    };
    let lost = Arc::new(AtomicBool::new(false));
    let suspended = Arc::new(AtomicBool::new(false));
    let task = tokio::spawn(renew(
        kv.clone(),
        key.to_owned(),
        node.to_owned(),
        revision,
        ttl,
        lost.clone(),
        suspended.clone(),
    ));
    Ok((
        Lease {
            lost,
            suspended,
            task,
            kv: kv.clone(),
            key: key.to_owned(),
        },
        acquired,
    ))
}

/// Renews the lease every `ttl / 4` until it is lost; suspends the owner while renewals fail.
async fn renew(
    kv: kv::Store,
    key: String,
    node: String,
    mut revision: u64,
    ttl: Duration,
    lost: Arc<AtomicBool>,
    suspended: Arc<AtomicBool>,
) {
    let mut last_ok = Instant::now();
    let every = ttl / 4;
    loop {
        tokio::time::sleep(every).await;
        // Renewals that cannot complete in time do not count.
        let attempt =
            tokio::time::timeout(every, kv.update(&key, Bytes::from(node.clone()), revision)).await;
        match attempt {
            Ok(Ok(r)) => {
                revision = r;
                last_ok = Instant::now();
                if suspended.swap(false, Ordering::AcqRel) {
                    tracing::warn!(key, "lease renewed again: nobody took over, resuming");
                }
            }
            Ok(Err(e)) if e.kind() == UpdateErrorKind::WrongLastRevision => {
                // A renewal that timed out here may still have been stored: then the key holds
                // this node at a newer revision. Only a key that names another node (or none)
                // means the lease is lost; a key that cannot be read now (the bucket electing a
                // leader) is read again at the next renewal.
                match kv.entry(&key).await {
                    Ok(Some(entry))
                        if entry.operation == Operation::Put && entry.value == node.as_bytes() =>
                    {
                        revision = entry.revision;
                        continue;
                    }
                    Ok(_) => {
                        tracing::error!(key, "lease lost: another node holds the partitions now");
                        lost.store(true, Ordering::Release);
                        return;
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, key, "reading the lease after a failed renewal; retrying")
                    }
                }
            }
            Ok(Err(e)) => tracing::warn!(error = %e, key, "lease renewal failed; retrying"),
            Err(_) => tracing::warn!(key, "lease renewal timed out; retrying"),
        }
        // A margin of one renewal before a standby may take it: stop publishing first.
        if last_ok.elapsed() + every >= ttl && !suspended.swap(true, Ordering::AcqRel) {
            tracing::error!(
                key,
                "lease not renewed for its time to live: suspended (no publishing) until a renewal succeeds or another node takes over"
            );
        }
    }
}
