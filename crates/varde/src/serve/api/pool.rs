//! A pool of read-only store connections: in WAL mode SQLite readers run side by side and never
//! wait for the writer, so several requests query the store at once. The same pool holds the
//! PostgreSQL connections an API node of a cluster reads its history from (`super::history`).

use super::error::AppError;
use std::path::Path;
use std::sync::{Arc, Mutex};
use tokio::sync::Semaphore;
use varde_store::SqliteStore;

/// Read connections, each used by one request at a time (SQLite readers unless `C` says otherwise).
#[derive(Debug)]
pub struct ReadPool<C = SqliteStore> {
    idle: Mutex<Vec<C>>,
    permits: Arc<Semaphore>,
}

impl ReadPool {
    /// `n` (at least one) read connections to the store at `dir`.
    pub fn open(dir: &Path, n: usize) -> varde_store::Result<Self> {
        let mut conns = (0..n.max(1))
            .map(|_| SqliteStore::open_reader(dir))
            .collect::<varde_store::Result<Vec<_>>>()?;
        // One cache of indexed track rows for the pool.
        if let Some((first, rest)) = conns.split_first_mut() {
            for c in rest {
                c.share_read_caches(first);
            }
        }
        Ok(Self::from_stores(conns))
    }

    /// The pool size for this machine: two connections a core, at least four.
    pub fn default_size() -> usize {
        std::thread::available_parallelism().map_or(4, |n| (n.get() * 2).max(4))
    }
}

impl<C: Send + 'static> ReadPool<C> {
    /// A pool over connections already open.
    pub fn from_stores(conns: Vec<C>) -> Self {
        Self {
            permits: Arc::new(Semaphore::new(conns.len())),
            idle: Mutex::new(conns),
        }
    }

    /// Runs a blocking query on a free connection, off the async threads; waits (asynchronously)
    /// while every connection is busy. The connection and its permit go back to the pool when the
    /// query ends, even when the request was cancelled meanwhile or the query panicked.
    pub async fn run<T: Send + 'static>(
        self: &Arc<Self>,
        f: impl FnOnce(&C) -> varde_store::Result<T> + Send + 'static,
    ) -> Result<T, AppError> {
        let permit = self
            .permits
            .clone()
            .acquire_owned()
            .await
            .map_err(|e| AppError::Internal(e.to_string()))?;
        let conn = self
            .idle
            .lock()
            .map_err(|_| AppError::Internal("read pool lock poisoned".into()))?
            .pop()
            .ok_or_else(|| AppError::Internal("read pool empty".into()))?;
        let pool = self.clone();
        let done = tokio::task::spawn_blocking(move || {
            let out = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(&conn)));
            if let Ok(mut idle) = pool.idle.lock() {
                idle.push(conn);
            }
            drop(permit);
            out
        })
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?;
        match done {
            Ok(out) => out.map_err(|e| AppError::Internal(e.to_string())),
            Err(_) => Err(AppError::Internal("store query panicked".into())),
        }
    }
}
