//! The SQLite schema and its migrations, versioned by `PRAGMA user_version`.
//!
//! Each entry of [`MIGRATIONS`] takes the schema from version `i` to `i + 1`
//! and runs in its own transaction together with the `user_version` bump, so
//! a crash during an upgrade leaves the previous version intact. Never edit a
//! released migration: append a new one.

use rusqlite::{Connection, Transaction};

use crate::error::{Result, StoreError};

/// One migration step.
enum Migration {
    /// A script.
    Sql(&'static str),
    /// A script, then code that moves rows into the new tables.
    SqlThen(&'static str, fn(&Transaction<'_>) -> Result<()>),
}

/// Migration steps; index `i` upgrades version `i` to `i + 1`.
const MIGRATIONS: &[Migration] = &[
    Migration::Sql(V1),
    Migration::Sql(V2),
    Migration::SqlThen(V3, v3_move_rows),
    Migration::Sql(V4),
    Migration::Sql(V5),
    Migration::Sql(V6),
    Migration::SqlThen("", v7_eta_column),
];

/// Schema version of a fully migrated database.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// Version 1: the initial schema.
///
/// - `raw`: append-only journal; `seq` keeps write order for ties in time.
/// - `positions`: clustered on `(mmsi, time_ms)` (`WITHOUT ROWID`), so a
///   track read is one range scan and a repeated point is a no-op; a
///   secondary index on `time_ms` serves retention.
/// - `vessels`: one row per MMSI; `(lat, lon)` serves the box query (a
///   B-tree range on `lat` filtered on `lon` within the index: cheaper to
///   keep up to date at thousands of upserts per second than an R*Tree, and
///   plenty for tens of thousands of rows).
/// - `alerts` / `alert_revisions`: current row and full history.
const V1: &str = "
CREATE TABLE raw (
    seq     INTEGER PRIMARY KEY,
    time_ms INTEGER NOT NULL,
    source  TEXT    NOT NULL,
    line    TEXT    NOT NULL
);
CREATE INDEX raw_time ON raw (time_ms, seq);

CREATE TABLE positions (
    mmsi        INTEGER NOT NULL,
    time_ms     INTEGER NOT NULL,
    lat         REAL    NOT NULL,
    lon         REAL    NOT NULL,
    sog_kn      REAL,
    cog_deg     REAL,
    heading_deg REAL,
    nav_status  INTEGER,
    source      TEXT,
    PRIMARY KEY (mmsi, time_ms)
) WITHOUT ROWID;
CREATE INDEX positions_time ON positions (time_ms);

CREATE TABLE vessels (
    mmsi         INTEGER PRIMARY KEY,
    name         TEXT,
    callsign     TEXT,
    imo          INTEGER,
    ship_type    INTEGER,
    flag         TEXT,
    length_m     REAL,
    beam_m       REAL,
    draught_m    REAL,
    destination  TEXT,
    lat          REAL,
    lon          REAL,
    sog_kn       REAL,
    cog_deg      REAL,
    heading_deg  REAL,
    nav_status   INTEGER,
    last_seen_ms INTEGER NOT NULL
);
CREATE INDEX vessels_pos ON vessels (lat, lon);
CREATE INDEX vessels_seen ON vessels (last_seen_ms);

CREATE TABLE alerts (
    id       TEXT    PRIMARY KEY,
    kind     TEXT    NOT NULL,
    mmsi     INTEGER NOT NULL,
    start_ms INTEGER NOT NULL,
    end_ms   INTEGER,
    open     INTEGER NOT NULL,
    zone     TEXT,
    asset    TEXT,
    lat      REAL    NOT NULL,
    lon      REAL    NOT NULL,
    json     TEXT    NOT NULL,
    revision INTEGER NOT NULL
);
CREATE INDEX alerts_start ON alerts (start_ms);
CREATE INDEX alerts_kind ON alerts (kind, start_ms);
CREATE INDEX alerts_mmsi ON alerts (mmsi, start_ms);
CREATE INDEX alerts_open ON alerts (start_ms) WHERE open = 1;
CREATE INDEX alerts_end ON alerts (end_ms) WHERE open = 0;

CREATE TABLE alert_revisions (
    id       TEXT    NOT NULL,
    revision INTEGER NOT NULL,
    kind     TEXT    NOT NULL,
    mmsi     INTEGER NOT NULL,
    start_ms INTEGER NOT NULL,
    end_ms   INTEGER,
    open     INTEGER NOT NULL,
    zone     TEXT,
    asset    TEXT,
    lat      REAL    NOT NULL,
    lon      REAL    NOT NULL,
    json     TEXT    NOT NULL,
    UNIQUE (id, revision)
);

CREATE TABLE sources (
    name           TEXT    PRIMARY KEY,
    kind           TEXT    NOT NULL,
    state          TEXT    NOT NULL,
    reports        INTEGER NOT NULL,
    rejects        INTEGER NOT NULL,
    last_report_ms INTEGER
);
";

/// Version 2: engine snapshots. `seq` is the last journal line (`raw.seq`) the snapshot's state has
/// seen: a restart loads it and replays the journal after it.
const V2: &str = "
CREATE TABLE snapshots (
    seq        INTEGER PRIMARY KEY,
    created_ms INTEGER NOT NULL,
    state      BLOB    NOT NULL
);
";

/// Version 3: compact storage (about 40 bytes a report instead of 214; figures in the crate docs).
///
/// - `source_names`: a source's name once; rows refer to it by `id`.
/// - `raw_blocks`: the journal, many lines a row (see `codec` for the encoding). The lines of each
///   batch go in as one plain block (`packed = 0`); once the plain blocks hold
///   `journal::SEAL_LINES` lines they are sealed, in the same transaction, into one zstd block
///   (`packed = 1`). Every line keeps its own `seq` (arrival order).
/// - `position_tail`: the track points of each batch, one row a batch (many vessels, plain).
///   Once it holds `positions::SEAL_POINTS` points it is regrouped, in the same transaction,
///   into `position_chunks`: one row per vessel per seal (at most `positions::CHUNK_SPAN_MS` of
///   time each), delta-encoded.
/// - The old `raw` and `positions` rows are moved into the new tables and the tables dropped.
const V3: &str = "
CREATE TABLE source_names (
    id   INTEGER PRIMARY KEY,
    name TEXT    NOT NULL UNIQUE
);

CREATE TABLE raw_blocks (
    first_seq   INTEGER PRIMARY KEY,
    last_seq    INTEGER NOT NULL,
    min_time_ms INTEGER NOT NULL,
    max_time_ms INTEGER NOT NULL,
    lines       INTEGER NOT NULL,
    packed      INTEGER NOT NULL,
    data        BLOB    NOT NULL
);
CREATE INDEX raw_blocks_plain ON raw_blocks (first_seq, lines) WHERE packed = 0;

CREATE TABLE position_tail (
    seg         INTEGER PRIMARY KEY,
    points      INTEGER NOT NULL,
    min_time_ms INTEGER NOT NULL,
    max_time_ms INTEGER NOT NULL,
    data        BLOB    NOT NULL
);
CREATE INDEX position_tail_points ON position_tail (points);

CREATE TABLE position_chunks (
    id       INTEGER PRIMARY KEY,
    mmsi     INTEGER NOT NULL,
    first_ms INTEGER NOT NULL,
    last_ms  INTEGER NOT NULL,
    points   INTEGER NOT NULL,
    data     BLOB    NOT NULL
);
CREATE INDEX position_chunks_vessel ON position_chunks (mmsi, last_ms);
CREATE INDEX position_chunks_last ON position_chunks (last_ms);
";

/// Version 4: the audit log of releases to partners (see `audit`): `audit`, one hash-chained row
/// per release, and `audit_head`, the last entry's `seq` and hash. Nothing to move.
const V4: &str = "
CREATE TABLE audit (
    seq       INTEGER PRIMARY KEY,
    time_ms   INTEGER NOT NULL,
    partner   TEXT    NOT NULL,
    feed      TEXT    NOT NULL,
    item_id   TEXT    NOT NULL,
    label     TEXT    NOT NULL,
    prev_hash BLOB    NOT NULL,
    hash      BLOB    NOT NULL
);

CREATE TABLE audit_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  INTEGER NOT NULL,
    hash BLOB    NOT NULL
);
";

/// Version 5: `position_tail.seg` is `AUTOINCREMENT`, so a seg is never used again once its row is
/// sealed away (v3 and v4 started again from 1 after each seal). Readers keep tail rows indexed by seg
/// (`positions::TailCache`). The rows are copied with their segs.
const V5: &str = "
CREATE TABLE position_tail_v4 (
    seg         INTEGER PRIMARY KEY AUTOINCREMENT,
    points      INTEGER NOT NULL,
    min_time_ms INTEGER NOT NULL,
    max_time_ms INTEGER NOT NULL,
    data        BLOB    NOT NULL
);
INSERT INTO position_tail_v4 (seg, points, min_time_ms, max_time_ms, data)
    SELECT seg, points, min_time_ms, max_time_ms, data FROM position_tail ORDER BY seg;
DROP TABLE position_tail;
ALTER TABLE position_tail_v4 RENAME TO position_tail;
CREATE INDEX position_tail_points ON position_tail (points);
";

/// Version 6: what the watch officers did with alerts (see `actions`): `alert_actions`, one row
/// per acknowledgement, assignment, comment, dismissal or escalation, append-only. Nothing to move.
const V6: &str = "
CREATE TABLE alert_actions (
    seq      INTEGER PRIMARY KEY,
    alert_id TEXT    NOT NULL,
    time_ms  INTEGER NOT NULL,
    by_name  TEXT    NOT NULL,
    action   TEXT    NOT NULL,
    note     TEXT,
    assignee TEXT
);
CREATE INDEX alert_actions_alert ON alert_actions (alert_id, seq);
CREATE INDEX alert_actions_action ON alert_actions (action, seq);
";

/// Version 7: `vessels.eta_ms`, the ETA of the vessel's voyage data (AIS message 5) resolved to a
/// date-time; null in the rows of older versions until the vessel's next voyage report. Added only
/// when missing (a file whose version was set back by hand may have it already).
fn v7_eta_column(tx: &Transaction<'_>) -> Result<()> {
    let has = tx
        .prepare("SELECT 1 FROM pragma_table_info('vessels') WHERE name = 'eta_ms'")?
        .exists([])?;
    if !has {
        tx.execute_batch("ALTER TABLE vessels ADD COLUMN eta_ms INTEGER;")?;
    }
    Ok(())
}

/// Moves v2's `raw` and `positions` rows into the v3 tables and drops the old tables.
fn v3_move_rows(tx: &Transaction<'_>) -> Result<()> {
    super::journal::migrate_v2(tx)?;
    super::positions::migrate_v2(tx)?;
    tx.execute_batch("DROP TABLE raw; DROP TABLE positions;")?;
    Ok(())
}

/// Brings the database to [`SCHEMA_VERSION`], one migration per transaction.
/// Refuses a database from a newer build.
pub fn migrate(conn: &mut Connection) -> Result<()> {
    let found: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if found < 0 {
        return Err(StoreError::Corrupt {
            field: "user_version",
            value: found,
        });
    }
    if found > SCHEMA_VERSION {
        return Err(StoreError::SchemaTooNew {
            found,
            supported: SCHEMA_VERSION,
        });
    }
    for (from, step) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        let tx = conn.transaction()?;
        match step {
            Migration::Sql(script) => tx.execute_batch(script)?,
            Migration::SqlThen(script, code) => {
                tx.execute_batch(script)?;
                code(&tx)?;
            }
        }
        tx.pragma_update(None, "user_version", from as i64 + 1)?;
        tx.commit()?;
    }
    Ok(())
}

/// The schema version recorded in the file.
pub fn version(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("PRAGMA user_version", [], |r| r.get(0))?)
}
