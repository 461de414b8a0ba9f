//! Varde's store: the recognised picture, tracks, alerts with every revision,
//! source counters and the journal of accepted input, kept so that nothing
//! the engine accepted is lost across a crash or a restart.
//!
//! # Layout
//! - [`store`]: the [`Store`] trait — the only thing the service uses — and
//!   its contract (atomic, durable, idempotent batches).
//! - [`record`]: the rows: [`VesselRecord`], [`PositionRecord`],
//!   [`AlertRecord`], [`SourceStats`], [`RawRecord`], and the [`Batch`] that
//!   carries them into one transaction; [`Counts`] and [`PruneCounts`];
//!   [`ReleaseRecord`], one release to a partner for the audit log.
//! - [`filter`]: query filters ([`VesselFilter`], [`AlertFilter`], [`BBox`])
//!   and per-table [`Retention`].
//! - [`error`]: [`StoreError`], one variant per cause.
//! - [`sqlite`]: [`SqliteStore`], the embedded default (one file, WAL; its
//!   module docs state exactly what survives `kill -9` and power loss);
//!   `sqlite::schema` holds the versioned schema and migrations;
//!   [`sqlite::audit`] the hash-chained audit log of releases to partners
//!   (append through [`Batch::releases`], check with
//!   [`SqliteStore::audit_verify`], read with [`SqliteStore::audit_for_each`]);
//!   [`sqlite::actions`] what officers did with alerts (ack, assign, comment, dismiss, escalate).
//!
//! # Size and speed (schema v3)
//! The journal is stored as zstd blocks (one plain block per batch, sealed every 8,192 lines),
//! track points as per-vessel delta-encoded chunks (AIS units, bit-exact), source names by id,
//! alert revisions only on material change (decided by the service). Measured with
//! `bench/store-size/run 3000 1` (3,000 simulated vessels for an hour, the national rate:
//! 955,502 lines, 928,044 reports) through `varde serve`, on the 2-core development machine
//! while other builds ran, 2026-12-07:
//!
//! | | before (schema v2) | schema v3 |
//! |---|---|---|
//! | store on disk after a clean stop, per report | 214.4 B | 40.0–40.4 B |
//! | per day at 23.5 M reports | 5.04 GB | 0.94 GB |
//! | 30 days (the default retention) | 151 GB | 28.2 GB |
//! | committed lines/s, whole service, file source at full speed | 27,489 | 65,000–90,000 (load) |
//!
//! Of the 40 B: journal blocks 21.8, track chunks 14.9 (+0.9 their two indexes), snapshots 1.4
//! (a fixed size, so less over a day), alert revisions 0.4, vessels 0.6 (`PER_TABLE=1`). The
//! store path alone (`cargo bench -p varde-store --bench write -- mixed_normal`: one journal line,
//! one position, a vessel upsert every third, 30,000 vessels) writes 112,750 lines/s in batches of
//! 5,000 and 122,620 in batches of 1,000, on the same loaded machine.
//!
//! Retention deletes whole blocks and chunks (rewriting the ones straddling the cut-off) and new
//! stores use `auto_vacuum = INCREMENTAL`, so the file shrinks after a prune.
//!
//! This crate depends on no other Varde crate: the integrator converts engine
//! values into records.
//!
//! # Restart
//! On start the service opens the store, loads the picture with
//! [`Store::vessels`] (and recent [`Store::track`]s), the open alerts with
//! [`Store::alerts`] and [`AlertState::Open`], and replays accepted input it
//! had not yet summarised with [`Store::raw_since`]. Writes are idempotent,
//! so replaying a little too much is harmless.
//!
//! # A server database (PostgreSQL / PostGIS)
//! A second implementation slots in behind the same trait, in its own module
//! behind a cargo feature (`postgres`, off by default, so the embedded build
//! stays light):
//! - `PgStore { client: postgres::Client }` (the blocking `postgres` crate,
//!   or `tokio-postgres` driven on a runtime handle), implementing [`Store`].
//! - The same tables; `positions` range-partitioned by `time_ms` (one
//!   partition per day, so retention is `DROP TABLE` of old partitions rather
//!   than `DELETE`), with a BRIN index on `time_ms` and a B-tree on
//!   `(mmsi, time_ms)`; `vessels.geom geography(Point, 4326)` with a GiST
//!   index for boxes and zone queries (`ST_Intersects`).
//! - [`Store::write_batch`] as one transaction: `COPY ... FROM STDIN
//!   (FORMAT binary)` into temporary tables, then `INSERT ... SELECT ... ON
//!   CONFLICT DO NOTHING/UPDATE` with the same guards as SQLite (newer
//!   `last_seen_ms` / `revision` wins), so replays stay idempotent.
//! - Durability: `synchronous_commit = on` (the default) gives power-loss
//!   durability per batch; a replica makes it survive a lost machine.
//! - Schema versioning with a `varde_schema(version)` table and the same
//!   append-only migration list.
//! - Tests: the tests in `tests/` drive a `SqliteStore` today; to run them
//!   against PostgreSQL, make their helpers take `&mut dyn Store` (the trait
//!   is object safe) and open a `PgStore` when the CI script has started a
//!   database.

pub mod error;
pub mod filter;
pub mod record;
pub mod sqlite;
pub mod store;
pub mod workflow;

pub use error::{Result, StoreError};
pub use filter::{AlertFilter, AlertState, BBox, Retention, VesselFilter};
pub use record::{
    AlertRecord, Batch, Counts, PositionRecord, PruneCounts, RawRecord, ReleaseRecord, SourceStats,
    VesselRecord,
};
pub use sqlite::audit::{AuditBreak, AuditEntry, AuditFilter, AuditHash, AuditVerdict, BreakKind};
pub use sqlite::{SqliteOptions, SqliteStore, Synchronous};
pub use store::Store;
pub use workflow::{
    ActionError, ActionKind, AlertAction, Dismissal, WorkState, Workflow, Workflows,
};
