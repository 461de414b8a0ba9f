//! Varde's tables in PostgreSQL, created and upgraded under an advisory lock (several nodes may
//! start at once).

use postgres::Client;
use varde_store::{Result, StoreError};

use crate::error::backend;

/// The schema version this build writes (`varde_meta.schema_version`).
pub const SCHEMA_VERSION: i64 = 2;

/// Version 1: the journal and tracks partitioned by day, vessels, alerts and their revisions,
/// sources, and the release audit chain.
const V1: &str = r#"
CREATE EXTENSION IF NOT EXISTS postgis;

CREATE SEQUENCE raw_seq;
CREATE TABLE raw (
    seq bigint NOT NULL DEFAULT nextval('raw_seq'),
    time_ms bigint NOT NULL,
    source text NOT NULL,
    line text NOT NULL
) PARTITION BY RANGE (time_ms);
CREATE INDEX raw_time ON raw (time_ms, seq);

CREATE TABLE positions (
    mmsi bigint NOT NULL,
    time_ms bigint NOT NULL,
    lat double precision NOT NULL,
    lon double precision NOT NULL,
    sog_kn double precision,
    cog_deg double precision,
    heading_deg double precision,
    nav_status smallint,
    source text,
    geom geometry(Point, 4326),
    PRIMARY KEY (mmsi, time_ms)
) PARTITION BY RANGE (time_ms);
CREATE INDEX positions_geom ON positions USING gist (geom);

CREATE TABLE vessels (
    mmsi bigint PRIMARY KEY,
    name text,
    callsign text,
    imo bigint,
    ship_type smallint,
    flag text,
    length_m double precision,
    beam_m double precision,
    draught_m double precision,
    destination text,
    eta_ms bigint,
    lat double precision,
    lon double precision,
    sog_kn double precision,
    cog_deg double precision,
    heading_deg double precision,
    nav_status smallint,
    last_seen_ms bigint NOT NULL,
    geom geometry(Point, 4326)
);
CREATE INDEX vessels_geom ON vessels USING gist (geom);
CREATE INDEX vessels_seen ON vessels (last_seen_ms DESC, mmsi);

CREATE TABLE alerts (
    id text PRIMARY KEY,
    revision bigint NOT NULL,
    kind text NOT NULL,
    mmsi bigint NOT NULL,
    start_ms bigint NOT NULL,
    end_ms bigint,
    open boolean NOT NULL,
    zone text,
    asset text,
    lat double precision NOT NULL,
    lon double precision NOT NULL,
    json text NOT NULL,
    geom geometry(Point, 4326)
);
CREATE INDEX alerts_start ON alerts (start_ms DESC, id COLLATE "C");
CREATE INDEX alerts_geom ON alerts USING gist (geom);

CREATE TABLE alert_revisions (
    id text NOT NULL,
    revision bigint NOT NULL,
    kind text NOT NULL,
    mmsi bigint NOT NULL,
    start_ms bigint NOT NULL,
    end_ms bigint,
    open boolean NOT NULL,
    zone text,
    asset text,
    lat double precision NOT NULL,
    lon double precision NOT NULL,
    json text NOT NULL,
    PRIMARY KEY (id, revision)
);

CREATE TABLE sources (
    name text PRIMARY KEY,
    kind text NOT NULL,
    state text NOT NULL,
    reports bigint NOT NULL,
    rejects bigint NOT NULL,
    last_report_ms bigint
);

CREATE TABLE audit (
    seq bigint PRIMARY KEY,
    time_ms bigint NOT NULL,
    partner text NOT NULL,
    feed text NOT NULL,
    item_id text NOT NULL,
    label text NOT NULL,
    prev bytea NOT NULL,
    hash bytea NOT NULL
);
"#;

/// Version 2: the officers' actions on alerts (`varde_store::workflow`), shared by every API node
/// of a cluster. Append-only, in write order (`seq`); never pruned.
const V2: &str = r#"
CREATE TABLE alert_actions (
    seq bigserial PRIMARY KEY,
    alert_id text NOT NULL,
    time_ms bigint NOT NULL,
    by_name text NOT NULL,
    action text NOT NULL,
    note text,
    assignee text
);
CREATE INDEX alert_actions_alert ON alert_actions (alert_id, seq);
"#;

/// A point geometry from `lat`/`lon` columns, NULL when they are not a position on the globe
/// (AIS's 91/181 "not available", NaN).
pub const POINT: &str = "CASE WHEN lat BETWEEN -90 AND 90 AND lon BETWEEN -180 AND 180 \
     THEN ST_SetSRID(ST_MakePoint(lon, lat), 4326) END";

/// Creates the tables on an empty database, or checks the version of an existing one.
pub fn migrate(client: &mut Client) -> Result<()> {
    let mut tx = client.transaction().map_err(backend)?;
    tx.execute("SELECT pg_advisory_xact_lock(7261746465)", &[])
        .map_err(backend)?;
    tx.batch_execute(
        "CREATE TABLE IF NOT EXISTS varde_meta (key text PRIMARY KEY, value bigint NOT NULL)",
    )
    .map_err(backend)?;
    let found: Option<i64> = tx
        .query_opt(
            "SELECT value FROM varde_meta WHERE key = 'schema_version'",
            &[],
        )
        .map_err(backend)?
        .map(|r| r.get(0));
    match found {
        None => {
            tx.batch_execute(V1).map_err(backend)?;
            tx.batch_execute(V2).map_err(backend)?;
            tx.execute(
                "INSERT INTO varde_meta (key, value) VALUES ('schema_version', $1)",
                &[&SCHEMA_VERSION],
            )
            .map_err(backend)?;
        }
        Some(1) => {
            tx.batch_execute(V2).map_err(backend)?;
            tx.execute(
                "UPDATE varde_meta SET value = $1 WHERE key = 'schema_version'",
                &[&SCHEMA_VERSION],
            )
            .map_err(backend)?;
        }
        Some(v) if v > SCHEMA_VERSION => {
            return Err(StoreError::SchemaTooNew {
                found: v,
                supported: SCHEMA_VERSION,
            })
        }
        Some(_) => {}
    }
    tx.commit().map_err(backend)
}
