//! Batch writes and retention for [`SqliteStore`](super::SqliteStore).

use rusqlite::{params, Connection, Transaction, TransactionBehavior};

use crate::error::{Result, StoreError};
use crate::filter::Retention;
use crate::record::{AlertRecord, Batch, PruneCounts, SourceStats};

const INSERT_RAW: &str = "INSERT INTO raw (time_ms, source, line) VALUES (?1, ?2, ?3)";

const INSERT_POSITION: &str = "INSERT INTO positions
    (mmsi, time_ms, lat, lon, sog_kn, cog_deg, heading_deg, nav_status, source)
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
    ON CONFLICT (mmsi, time_ms) DO NOTHING";

const UPSERT_VESSEL: &str = "INSERT INTO vessels
    (mmsi, name, callsign, imo, ship_type, flag, length_m, beam_m, draught_m, destination,
     lat, lon, sog_kn, cog_deg, heading_deg, nav_status, last_seen_ms)
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)
    ON CONFLICT (mmsi) DO UPDATE SET
     name = excluded.name, callsign = excluded.callsign, imo = excluded.imo,
     ship_type = excluded.ship_type, flag = excluded.flag, length_m = excluded.length_m,
     beam_m = excluded.beam_m, draught_m = excluded.draught_m,
     destination = excluded.destination, lat = excluded.lat, lon = excluded.lon,
     sog_kn = excluded.sog_kn, cog_deg = excluded.cog_deg,
     heading_deg = excluded.heading_deg, nav_status = excluded.nav_status,
     last_seen_ms = excluded.last_seen_ms
    WHERE excluded.last_seen_ms >= vessels.last_seen_ms";

const INSERT_REVISION: &str = "INSERT INTO alert_revisions
    (id, revision, kind, mmsi, start_ms, end_ms, open, zone, asset, lat, lon, json)
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
    ON CONFLICT (id, revision) DO NOTHING";

const UPSERT_ALERT: &str = "INSERT INTO alerts
    (id, revision, kind, mmsi, start_ms, end_ms, open, zone, asset, lat, lon, json)
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
    ON CONFLICT (id) DO UPDATE SET
     revision = excluded.revision, kind = excluded.kind, mmsi = excluded.mmsi,
     start_ms = excluded.start_ms, end_ms = excluded.end_ms, open = excluded.open,
     zone = excluded.zone, asset = excluded.asset, lat = excluded.lat, lon = excluded.lon,
     json = excluded.json
    WHERE excluded.revision >= alerts.revision";

const UPSERT_SOURCE: &str = "INSERT INTO sources
    (name, kind, state, reports, rejects, last_report_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
    ON CONFLICT (name) DO UPDATE SET
     kind = excluded.kind, state = excluded.state, reports = excluded.reports,
     rejects = excluded.rejects, last_report_ms = excluded.last_report_ms";

/// Rows deleted per transaction while pruning the large tables, so a prune
/// never holds the write lock (or grows the WAL) for long.
const PRUNE_CHUNK: i64 = 20_000;

/// Writes the whole batch in one `IMMEDIATE` transaction. On any error the
/// transaction is rolled back (when `tx` drops) and nothing is stored.
pub fn write_batch(conn: &mut Connection, batch: &Batch) -> Result<()> {
    if batch.is_empty() {
        return Ok(());
    }
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    write_rows(&tx, batch)?;
    tx.commit()?;
    Ok(())
}

fn write_rows(tx: &Transaction<'_>, batch: &Batch) -> Result<()> {
    if !batch.raw.is_empty() {
        let mut stmt = tx.prepare_cached(INSERT_RAW)?;
        for r in &batch.raw {
            stmt.execute(params![r.time_ms, r.source, r.line])?;
        }
    }
    if !batch.positions.is_empty() {
        let mut stmt = tx.prepare_cached(INSERT_POSITION)?;
        for p in &batch.positions {
            stmt.execute(params![
                p.mmsi,
                p.time_ms,
                p.lat,
                p.lon,
                p.sog_kn,
                p.cog_deg,
                p.heading_deg,
                p.nav_status,
                p.source
            ])?;
        }
    }
    if !batch.vessels.is_empty() {
        let mut stmt = tx.prepare_cached(UPSERT_VESSEL)?;
        for v in &batch.vessels {
            stmt.execute(params![
                v.mmsi,
                v.name,
                v.callsign,
                v.imo,
                v.ship_type,
                v.flag,
                v.length_m,
                v.beam_m,
                v.draught_m,
                v.destination,
                v.lat,
                v.lon,
                v.sog_kn,
                v.cog_deg,
                v.heading_deg,
                v.nav_status,
                v.last_seen_ms
            ])?;
        }
    }
    for a in &batch.alerts {
        write_alert(tx, a)?;
    }
    for s in &batch.sources {
        write_source(tx, s)?;
    }
    Ok(())
}

/// Appends the revision to the history and moves the current row forward.
fn write_alert(tx: &Transaction<'_>, a: &AlertRecord) -> Result<()> {
    for sql in [INSERT_REVISION, UPSERT_ALERT] {
        tx.prepare_cached(sql)?.execute(params![
            a.id, a.revision, a.kind, a.mmsi, a.start_ms, a.end_ms, a.open, a.zone, a.asset, a.lat,
            a.lon, a.json
        ])?;
    }
    Ok(())
}

fn write_source(tx: &Transaction<'_>, s: &SourceStats) -> Result<()> {
    let reports = to_i64("reports", s.reports)?;
    let rejects = to_i64("rejects", s.rejects)?;
    tx.prepare_cached(UPSERT_SOURCE)?.execute(params![
        s.name,
        s.kind,
        s.state,
        reports,
        rejects,
        s.last_report_ms
    ])?;
    Ok(())
}

fn to_i64(field: &'static str, value: u64) -> Result<i64> {
    i64::try_from(value).map_err(|_| StoreError::OutOfRange { field, value })
}

/// Applies `retention`: large tables in chunks of [`PRUNE_CHUNK`] rows, one
/// transaction each; a closed alert and its revisions in one transaction.
pub fn prune(conn: &mut Connection, retention: &Retention) -> Result<PruneCounts> {
    let mut counts = PruneCounts::default();
    if let Some(t) = retention.raw_before_ms {
        // The newest line always stays: `seq` continues from it, so arrival order (and the line a
        // snapshot covers) never restarts from 1 after a long idle spell.
        counts.raw = prune_chunked(
            conn,
            "DELETE FROM raw WHERE seq IN
             (SELECT seq FROM raw WHERE time_ms < ?1
              AND seq < (SELECT MAX(seq) FROM raw) LIMIT ?2)",
            t,
        )?;
    }
    if let Some(t) = retention.positions_before_ms {
        counts.positions = prune_chunked(
            conn,
            "DELETE FROM positions WHERE (mmsi, time_ms) IN
             (SELECT mmsi, time_ms FROM positions WHERE time_ms < ?1 LIMIT ?2)",
            t,
        )?;
    }
    if let Some(t) = retention.vessels_before_ms {
        let n = conn.execute("DELETE FROM vessels WHERE last_seen_ms < ?1", [t])?;
        counts.vessels = n as u64;
    }
    if let Some(t) = retention.alerts_before_ms {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let closed = "SELECT id FROM alerts WHERE open = 0 AND COALESCE(end_ms, start_ms) < ?1";
        let revs = tx.execute(
            &format!("DELETE FROM alert_revisions WHERE id IN ({closed})"),
            [t],
        )?;
        let alerts = tx.execute(&format!("DELETE FROM alerts WHERE id IN ({closed})"), [t])?;
        tx.commit()?;
        counts.alert_revisions = revs as u64;
        counts.alerts = alerts as u64;
    }
    Ok(counts)
}

/// Runs a `DELETE ... LIMIT ?2` statement until it deletes nothing.
fn prune_chunked(conn: &mut Connection, sql: &str, before_ms: i64) -> Result<u64> {
    let mut total = 0u64;
    loop {
        let n = conn
            .prepare_cached(sql)?
            .execute(params![before_ms, PRUNE_CHUNK])?;
        total += n as u64;
        if (n as i64) < PRUNE_CHUNK {
            return Ok(total);
        }
    }
}
