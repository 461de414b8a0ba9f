//! The embedded implementation: one SQLite file in WAL mode.
//!
//! # Durability
//! The database runs in write-ahead-log mode. [`Store::write_batch`] is one
//! transaction; when it returns `Ok` the transaction's pages are in the WAL
//! file. What survives then depends on [`Synchronous`]:
//!
//! - [`Synchronous::Normal`] (the default): the commit is `write()`n to the
//!   WAL before `write_batch` returns, but not `fsync`ed (the WAL is synced at
//!   each checkpoint). **A process crash — panic, `kill -9`, OOM kill —
//!   loses nothing that was committed**: the data is in the OS page cache and
//!   reaches the disk anyway, and the next open recovers it from the WAL. An
//!   **OS crash or power loss** may roll back the most recent batches
//!   (those committed since the last checkpoint synced the WAL — at most
//!   [`SqliteOptions::wal_autocheckpoint_pages`] pages of them, about 40 MiB
//!   or a few seconds of a national feed by default), but never leaves a
//!   batch half written and never corrupts the file. This is the service's requirement
//!   (survive `kill -9`), at a fraction of the cost of `Full`.
//! - [`Synchronous::Full`]: the WAL is also `fsync`ed on every commit, so a
//!   committed batch survives power loss too (on a disk that honours flushes),
//!   at the price of one `fsync` per batch — batch larger and less often.
//!
//! In both modes a batch is all-or-nothing: an interrupted transaction is
//! never visible, before or after recovery.
//!
//! # Concurrency
//! One [`SqliteStore`] is one connection: `Send`, not `Sync`. Give the writer
//! its own store and open readers with [`SqliteStore::open_reader`]: in WAL
//! mode readers never block the writer nor see a partial batch.

pub mod actions;
pub mod audit;
mod backup;
pub mod check;
mod codec;
mod journal;
mod names;
mod positions;
mod read;
mod schema;
mod write;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use crate::error::{Result, StoreError};
use crate::filter::{AlertFilter, Retention, VesselFilter};
use crate::record::{
    AlertRecord, Batch, Counts, PositionRecord, PruneCounts, RawRecord, SourceStats, VesselRecord,
};
use crate::store::Store;

pub use journal::{JournalLine, Snapshot};
pub use schema::SCHEMA_VERSION;

/// File name used when [`SqliteStore::open`] is given a directory.
pub const DEFAULT_FILE_NAME: &str = "varde.sqlite3";

/// How far a commit goes towards the disk before returning
/// (`PRAGMA synchronous`). See the module docs for what survives what.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Synchronous {
    /// Survives process crashes; may lose the latest batches on power loss.
    #[default]
    Normal,
    /// Survives power loss too; one `fsync` per batch.
    Full,
}

/// The writer's page cache, KiB (default [`SqliteOptions::cache_kib`]). 64 MiB until 2026-12-07,
/// then 8, then 2, then 1, now 512 KiB (~120 pages): a fast feed fills it, and it stays (a cached
/// page takes a 5 KiB allocation, so ~640 KiB of memory); `bench/memory/run` measures the
/// service's memory per vessel and its ingest rate and CPU per line with this bound. The writer
/// appends (journal blocks, track tail rows) and upserts vessels: the B-trees' inner pages (a few
/// dozen at 100 k vessels) stay cached, and leaf pages that fall out come back from the OS page
/// cache, not the disk.
pub const WRITER_CACHE_KIB: u32 = 512;
/// A read connection's page cache, KiB ([`SqliteStore::open_reader`]; the service keeps a pool
/// of them, so each costs this much once a query has touched that many pages).
pub const READER_CACHE_KIB: u32 = 2048;

/// Tuning for [`SqliteStore::open_with`]. `Default` is what the service uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SqliteOptions {
    /// Commit durability.
    pub synchronous: Synchronous,
    /// Page cache of this connection, KiB: an upper bound the cache grows to and then
    /// keeps (SQLite frees it only when the connection closes), so it counts towards the
    /// service's memory whatever the fleet size. A batch touches the vessels it upserts and
    /// the pages it appends; pages that fall out are read back from the OS page cache.
    pub cache_kib: u32,
    /// How long a call waits for a lock held by another connection.
    pub busy_timeout: Duration,
    /// WAL pages (4 KiB) after which a commit also checkpoints the WAL into
    /// the main file (`PRAGMA wal_autocheckpoint`; SQLite's default is 1,000).
    /// Larger values let a hot page be copied once for many batches; the WAL
    /// grows to about this size and is replayed on open after a crash.
    pub wal_autocheckpoint_pages: u32,
}

impl Default for SqliteOptions {
    fn default() -> Self {
        Self {
            synchronous: Synchronous::Normal,
            cache_kib: WRITER_CACHE_KIB,
            busy_timeout: Duration::from_secs(5),
            wal_autocheckpoint_pages: 10_000,
        }
    }
}

/// The SQLite-backed [`Store`].
#[derive(Debug)]
pub struct SqliteStore {
    conn: Connection,
    path: Option<PathBuf>,
    read_only: bool,
    /// Indexed tail rows for track reads (read-only connections only: the writer's own
    /// transactions may roll a row back, and then its `seg` comes again).
    tail: Option<Arc<positions::TailCache>>,
}

impl SqliteStore {
    /// Opens (creating if needed) the store at `dir_or_path` with default
    /// options. An existing directory, or a path ending in `/`, means the file
    /// [`DEFAULT_FILE_NAME`] inside it; missing parent directories are
    /// created. The schema is created or migrated to [`SCHEMA_VERSION`].
    pub fn open(dir_or_path: impl AsRef<Path>) -> Result<Self> {
        Self::open_with(dir_or_path, &SqliteOptions::default())
    }

    /// Like [`open`](Self::open), with explicit options.
    pub fn open_with(dir_or_path: impl AsRef<Path>, options: &SqliteOptions) -> Result<Self> {
        let path = resolve_path(dir_or_path.as_ref())?;
        let conn = Connection::open(&path)?;
        Self::setup(conn, Some(path.clone()), options, false).map_err(|e| e.damaged_at(&path))
    }

    /// Opens a second, read-only connection to the store at `dir_or_path`
    /// (which must exist and be migrated; open the writer first, so the WAL
    /// index files exist). Use one per reader thread; writes
    /// through it fail with [`StoreError::ReadOnly`].
    pub fn open_reader(dir_or_path: impl AsRef<Path>) -> Result<Self> {
        let path = resolve_path(dir_or_path.as_ref())?;
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(&path, flags)?;
        let options = SqliteOptions {
            cache_kib: READER_CACHE_KIB,
            ..SqliteOptions::default()
        };
        Self::setup(conn, Some(path.clone()), &options, true).map_err(|e| e.damaged_at(&path))
    }

    /// Makes this read-only connection share `other`'s read caches (indexed tail rows of the
    /// tracks), so a pool of readers of one store indexes each row once. Does nothing unless
    /// both are read-only.
    pub fn share_read_caches(&mut self, other: &SqliteStore) {
        if self.read_only && other.read_only {
            self.tail = other.tail.clone();
        }
    }

    /// A private in-memory store, for tests. Nothing is durable.
    pub fn open_in_memory() -> Result<Self> {
        Self::setup(
            Connection::open_in_memory()?,
            None,
            &SqliteOptions::default(),
            false,
        )
    }

    fn setup(
        mut conn: Connection,
        path: Option<PathBuf>,
        options: &SqliteOptions,
        read_only: bool,
    ) -> Result<Self> {
        conn.busy_timeout(options.busy_timeout)?;
        conn.set_prepared_statement_cache_capacity(32);
        conn.pragma_update(None, "cache_size", -i64::from(options.cache_kib))?;
        conn.pragma_update(None, "temp_store", "MEMORY")?;
        if !read_only {
            let pages: i64 = conn.query_row("PRAGMA page_count", [], |r| r.get(0))?;
            if pages == 0 {
                // A new file: pages freed by retention and sealing go back to the file system
                // (`PRAGMA incremental_vacuum`). Only possible before the first table (and the
                // switch to WAL); older stores reuse freed pages instead.
                conn.pragma_update(None, "auto_vacuum", "INCREMENTAL")?;
            }
            // Returns the new mode; an in-memory database stays "memory".
            let _mode: String =
                conn.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0))?;
            let sync = match options.synchronous {
                Synchronous::Normal => "NORMAL",
                Synchronous::Full => "FULL",
            };
            conn.pragma_update(None, "synchronous", sync)?;
            let pages = i64::from(options.wal_autocheckpoint_pages);
            conn.pragma_update(None, "wal_autocheckpoint", pages)?;
            // Truncate the WAL back to its working size after checkpoints.
            conn.pragma_update(None, "journal_size_limit", (pages * 4096).max(1 << 26))?;
            schema::migrate(&mut conn)?;
            if let Some(p) = &path {
                check::quick_check(&conn, p)?;
            }
        } else {
            let found = schema::version(&conn)?;
            if found > SCHEMA_VERSION {
                return Err(StoreError::SchemaTooNew {
                    found,
                    supported: SCHEMA_VERSION,
                });
            } else if found < SCHEMA_VERSION {
                return Err(StoreError::SchemaTooOld {
                    found,
                    supported: SCHEMA_VERSION,
                });
            }
        }
        Ok(Self {
            conn,
            path,
            read_only,
            tail: read_only.then(Arc::default),
        })
    }

    /// The database file, or `None` for an in-memory store.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// The schema version recorded in the file.
    pub fn schema_version(&self) -> Result<i64> {
        schema::version(&self.conn)
    }

    /// Runs SQLite's `PRAGMA integrity_check`; returns the problems found
    /// (empty when the file is sound).
    pub fn integrity_check(&self) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare("PRAGMA integrity_check")?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        let problems = rows.collect::<Result<Vec<_>, _>>()?;
        Ok(problems.into_iter().filter(|p| p != "ok").collect())
    }

    /// Copies the WAL into the main file and truncates it (for a clean
    /// shutdown or a backup). Not needed for durability.
    pub fn checkpoint(&mut self) -> Result<()> {
        self.conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        Ok(())
    }
}

/// Maps `open`'s argument to a file path, creating directories as needed.
fn resolve_path(p: &Path) -> Result<PathBuf> {
    let as_dir = p.is_dir() || p.as_os_str().to_string_lossy().ends_with(['/', '\\']);
    let file = if as_dir {
        p.join(DEFAULT_FILE_NAME)
    } else {
        p.to_path_buf()
    };
    if let Some(parent) = file.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|source| StoreError::Io {
            path: parent.to_path_buf(),
            source,
        })?;
    }
    Ok(file)
}

impl Store for SqliteStore {
    fn write_batch(&mut self, batch: &Batch) -> Result<()> {
        if self.read_only {
            return Err(StoreError::ReadOnly);
        }
        write::write_batch(&mut self.conn, batch)
    }

    fn vessels(&self, filter: &VesselFilter) -> Result<Vec<VesselRecord>> {
        read::vessels(&self.conn, filter)
    }

    fn vessel(&self, mmsi: u32) -> Result<Option<VesselRecord>> {
        read::vessel(&self.conn, mmsi)
    }

    fn track(&self, mmsi: u32, from: i64, to: i64, limit: usize) -> Result<Vec<PositionRecord>> {
        positions::track(&self.conn, self.tail.as_deref(), mmsi, from, to, limit)
    }

    fn track_page(
        &self,
        mmsi: u32,
        from: i64,
        to: i64,
        limit: usize,
    ) -> Result<Vec<PositionRecord>> {
        positions::track_page(&self.conn, self.tail.as_deref(), mmsi, from, to, limit)
    }

    fn tracked_vessels(&self, from: i64, to: i64) -> Result<Vec<u32>> {
        positions::tracked_vessels(&self.conn, self.tail.as_deref(), from, to)
    }

    fn alerts(&self, filter: &AlertFilter) -> Result<Vec<AlertRecord>> {
        read::alerts(&self.conn, filter)
    }

    fn alert(&self, id: &str) -> Result<Option<AlertRecord>> {
        read::alert(&self.conn, id)
    }

    fn alert_revisions(&self, id: &str) -> Result<Vec<AlertRecord>> {
        read::alert_revisions(&self.conn, id)
    }

    fn sources(&self) -> Result<Vec<SourceStats>> {
        read::sources(&self.conn)
    }

    fn raw_since(&self, since_ms: i64, limit: usize) -> Result<Vec<RawRecord>> {
        journal::raw_since(&self.conn, since_ms, limit)
    }

    fn prune_with(&mut self, retention: &Retention) -> Result<PruneCounts> {
        if self.read_only {
            return Err(StoreError::ReadOnly);
        }
        write::prune(&mut self.conn, retention)
    }

    fn counts(&self) -> Result<Counts> {
        read::counts(&self.conn)
    }
}
