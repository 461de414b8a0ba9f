//! Where the API reads history — track points and alerts (lists, one alert, incidents, the OGC
//! alerts collection). The embedded service reads its own SQLite store. An API node of a cluster
//! started with `--store postgres://…` reads the shared PostgreSQL/PostGIS history that every API
//! node writes: nodes at several sites then answer from one history, which outlives the streams'
//! retention and the node's own data directory. So are the officers' actions on alerts (the
//! workflow: [`with_history`] reads them, `workflow::ActionDesk` writes them), so a decision
//! taken at one site holds at every other. The audit log of releases stays in the node's store.

use super::error::AppError;
use super::pool::ReadPool;
use super::AppState;
use std::sync::Arc;
use varde_pg::PgStore;
use varde_store::{Store, Workflows};

/// The history the API reads.
#[derive(Debug, Clone, Default)]
pub enum History {
    /// The service's own SQLite store (through [`AppState::store`]).
    #[default]
    Local,
    /// A pool of PostgreSQL connections to the cluster's shared history.
    Shared(Arc<ReadPool<PgStore>>),
}

impl History {
    /// `n` (at least one) connections to the PostgreSQL database at `url`, Varde's tables in
    /// `schema` when given (as `--store-schema`).
    pub fn postgres(url: &str, schema: Option<&str>, n: usize) -> varde_store::Result<Self> {
        let conns = (0..n.max(1))
            .map(|_| match schema {
                Some(s) => PgStore::connect_in(url, s),
                None => PgStore::connect(url),
            })
            .collect::<varde_store::Result<Vec<_>>>()?;
        Ok(Self::Shared(Arc::new(ReadPool::from_stores(conns))))
    }

    /// The backend's name as `/api/status` shows it: `sqlite` or `postgresql`.
    pub fn backend(&self) -> &'static str {
        match self {
            Self::Local => "sqlite",
            Self::Shared(_) => "postgresql",
        }
    }
}

/// What a history connection answers: the store's reads and the officers' actions.
pub trait HistoryStore: Store + Workflows {}

impl<T: Store + Workflows> HistoryStore for T {}

/// Runs a blocking query of the history or the officers' actions on a pooled connection of
/// whichever store holds them, off the async threads.
pub async fn with_history<T: Send + 'static>(
    state: &AppState,
    f: impl FnOnce(&dyn HistoryStore) -> varde_store::Result<T> + Send + 'static,
) -> Result<T, AppError> {
    match &state.history {
        History::Local => state.store.run(move |s| f(s)).await,
        History::Shared(pool) => pool.run(move |s| f(s)).await,
    }
}
