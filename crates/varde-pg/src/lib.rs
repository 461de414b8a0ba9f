//! Varde's history in PostgreSQL + PostGIS, behind the same [`Store`] trait as the embedded
//! SQLite store: the store of a cluster's API nodes, and of analysts' years of history.
//!
//! - **Tracks and the raw journal** are tables partitioned by event time (PostgreSQL's native
//!   range partitioning, one partition per UTC day, created as batches need them). Retention
//!   drops whole partitions and deletes only inside the one that straddles the cut-off.
//! - **Positions, vessels and alerts** carry a PostGIS `geometry(Point, 4326)` with a GiST index,
//!   so zone and box queries run in SQL. Box filters also compare the exact `lat`/`lon` columns, so
//!   answers match the SQLite store's to the last bit.
//! - **Values read back bit for bit**: coordinates, speeds and courses are `double precision`,
//!   alert JSON is `text` (evidence bytes stay as the engine wrote them).
//! - **Contract** as [`Store`]: a batch is one transaction (`synchronous_commit` as the server has
//!   it: on by default, so a committed batch survives a crash of either process); writes are
//!   idempotent (positions keyed by `(mmsi, time_ms)`, the first written wins; alert revisions by
//!   `(id, revision)`); releases to partners are appended to a SHA-256 chain as in the SQLite
//!   store.
//! - **Officers' actions on alerts** ([`Workflows`]) in one table every API node shares, each
//!   recorded under a lock on its alert, so a decision taken at one site holds at every other.
//!
//! The client is the synchronous `postgres` crate (a thin blocking wrapper over
//! `tokio-postgres`), because the trait is synchronous and each store is owned by one thread (the
//! writer, or one reader of a pool): one connection per [`PgStore`].

mod actions;
mod error;
mod partition;
mod read;
mod schema;
mod write;

use std::collections::HashSet;
use std::sync::{Mutex, MutexGuard, PoisonError};

use postgres::{Client, NoTls};
use varde_store::{
    ActionError, AlertAction, AlertFilter, AlertRecord, Batch, Counts, Dismissal, PositionRecord,
    PruneCounts, RawRecord, Result, Retention, SourceStats, Store, VesselFilter, VesselRecord,
    Workflow, Workflows,
};

pub use error::backend;
pub use schema::SCHEMA_VERSION;

/// A [`Store`] on one PostgreSQL connection (PostGIS 3 must be installable in the database).
pub struct PgStore {
    client: Mutex<Client>,
    /// Day partitions known to exist (so a batch runs DDL only on a new day).
    days: HashSet<(partition::Table, i64)>,
}

impl std::fmt::Debug for PgStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgStore")
            .field("days", &self.days.len())
            .finish_non_exhaustive()
    }
}

impl PgStore {
    /// Connects to `url` (`postgres://user@host:port/db`, libpq keyword form also accepted),
    /// creates or upgrades Varde's tables in it, and refuses a database written by a newer build
    /// ([`varde_store::StoreError::SchemaTooNew`]).
    pub fn connect(url: &str) -> Result<Self> {
        Self::open(Client::connect(url, NoTls).map_err(backend)?)
    }

    /// As [`connect`](Self::connect), with Varde's tables in `schema` (created if missing), so
    /// several deployments or test runs share one database. PostGIS stays in `public`. A schema
    /// name is lower-case ASCII letters, digits and `_`, not starting with a digit.
    pub fn connect_in(url: &str, schema: &str) -> Result<Self> {
        let valid = schema
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
            && schema
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !valid || schema.len() > 63 {
            return Err(varde_store::StoreError::Backend {
                backend: "postgresql",
                detail: format!("schema name {schema:?} is not lower-case letters, digits and _"),
                transient: false,
            });
        }
        let mut admin = Client::connect(url, NoTls).map_err(backend)?;
        admin
            .batch_execute(&format!("CREATE SCHEMA IF NOT EXISTS {schema}"))
            .map_err(backend)?;
        let mut config: postgres::Config = url.parse().map_err(backend)?;
        config.options(&format!("-c search_path={schema},public"));
        Self::open(config.connect(NoTls).map_err(backend)?)
    }

    /// Creates or checks the tables on `client`.
    fn open(mut client: Client) -> Result<Self> {
        schema::migrate(&mut client)?;
        let days = partition::existing(&mut client)?;
        Ok(Self {
            client: Mutex::new(client),
            days,
        })
    }

    fn client(&self) -> MutexGuard<'_, Client> {
        self.client.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Bytes the tables and their indexes take on disk (`pg_total_relation_size`, summed over
    /// the partitions): the figure to compare with the SQLite file's size.
    pub fn disk_bytes(&self) -> Result<u64> {
        read::disk_bytes(&mut self.client())
    }

    /// Time ranges `[from_ms, to_ms)` of the track partitions, oldest first (one per UTC day
    /// that holds or held points).
    pub fn position_partitions(&self) -> Result<Vec<(i64, i64)>> {
        partition::ranges(&mut self.client(), partition::Table::Positions)
    }
}

impl Store for PgStore {
    fn write_batch(&mut self, batch: &Batch) -> Result<()> {
        if batch.is_empty() {
            return Ok(());
        }
        let client = self
            .client
            .get_mut()
            .unwrap_or_else(PoisonError::into_inner);
        partition::ensure(client, &mut self.days, batch)?;
        write::batch(client, batch)
    }

    fn vessels(&self, filter: &VesselFilter) -> Result<Vec<VesselRecord>> {
        read::vessels(&mut self.client(), filter)
    }

    fn vessel(&self, mmsi: u32) -> Result<Option<VesselRecord>> {
        read::vessel(&mut self.client(), mmsi)
    }

    fn track(
        &self,
        mmsi: u32,
        from_ms: i64,
        to_ms: i64,
        limit: usize,
    ) -> Result<Vec<PositionRecord>> {
        read::track(&mut self.client(), mmsi, from_ms, to_ms, limit)
    }

    fn track_page(
        &self,
        mmsi: u32,
        from_ms: i64,
        to_ms: i64,
        limit: usize,
    ) -> Result<Vec<PositionRecord>> {
        read::track_page(&mut self.client(), mmsi, from_ms, to_ms, limit)
    }

    fn tracked_vessels(&self, from_ms: i64, to_ms: i64) -> Result<Vec<u32>> {
        read::tracked_vessels(&mut self.client(), from_ms, to_ms)
    }

    fn alerts(&self, filter: &AlertFilter) -> Result<Vec<AlertRecord>> {
        read::alerts(&mut self.client(), filter)
    }

    fn alert(&self, id: &str) -> Result<Option<AlertRecord>> {
        read::alert(&mut self.client(), id)
    }

    fn alert_revisions(&self, id: &str) -> Result<Vec<AlertRecord>> {
        read::alert_revisions(&mut self.client(), id)
    }

    fn sources(&self) -> Result<Vec<SourceStats>> {
        read::sources(&mut self.client())
    }

    fn raw_since(&self, since_ms: i64, limit: usize) -> Result<Vec<RawRecord>> {
        read::raw_since(&mut self.client(), since_ms, limit)
    }

    fn prune_with(&mut self, retention: &Retention) -> Result<PruneCounts> {
        let client = self
            .client
            .get_mut()
            .unwrap_or_else(PoisonError::into_inner);
        let counts = partition::prune(client, retention)?;
        self.days = partition::existing(client)?;
        Ok(counts)
    }

    fn counts(&self) -> Result<Counts> {
        read::counts(&mut self.client())
    }
}

impl Workflows for PgStore {
    fn record_action(&mut self, a: &AlertAction) -> std::result::Result<Workflow, ActionError> {
        let client = self
            .client
            .get_mut()
            .unwrap_or_else(PoisonError::into_inner);
        actions::record(client, a)
    }

    fn alert_actions(&self, id: &str) -> Result<Vec<AlertAction>> {
        actions::of_alert(&mut self.client(), id)
    }

    fn workflows(&self, ids: &[&str]) -> Result<std::collections::HashMap<String, Workflow>> {
        actions::workflows(&mut self.client(), ids)
    }

    fn dismissals(&self) -> Result<Vec<Dismissal>> {
        actions::dismissals(&mut self.client())
    }
}
