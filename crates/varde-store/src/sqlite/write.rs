//! Batch writes and retention for [`SqliteStore`](super::SqliteStore).

use std::collections::HashMap;

use rusqlite::{params, Connection, Transaction, TransactionBehavior};

use super::names::SourceIds;
use super::{audit, journal, positions};
use crate::error::{Result, StoreError};
use crate::filter::Retention;
use crate::record::{AlertRecord, Batch, PruneCounts, SourceStats};

const UPSERT_VESSEL: &str = "INSERT INTO vessels
    (mmsi, name, callsign, imo, ship_type, flag, length_m, beam_m, draught_m, destination,
     lat, lon, sog_kn, cog_deg, heading_deg, nav_status, last_seen_ms, eta_ms)
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)
    ON CONFLICT (mmsi) DO UPDATE SET
     name = excluded.name, callsign = excluded.callsign, imo = excluded.imo,
     ship_type = excluded.ship_type, flag = excluded.flag, length_m = excluded.length_m,
     beam_m = excluded.beam_m, draught_m = excluded.draught_m,
     destination = excluded.destination, lat = excluded.lat, lon = excluded.lon,
     sog_kn = excluded.sog_kn, cog_deg = excluded.cog_deg,
     heading_deg = excluded.heading_deg, nav_status = excluded.nav_status,
     last_seen_ms = excluded.last_seen_ms, eta_ms = excluded.eta_ms
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
    let mut ids = SourceIds::default();
    let sealed = journal::append(tx, &batch.raw, &mut ids)?;
    let sealed = positions::append(tx, &batch.positions, &mut ids)? || sealed;
    if sealed {
        // Sealing frees the pages of the plain rows: hand them back at once rather than keep a
        // free list that corruption checks cannot see into (new stores; older ones reuse them).
        incremental_vacuum(tx)?;
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
                v.last_seen_ms,
                v.eta_ms
            ])?;
        }
    }
    // Every revision goes into the history; the current row moves once per id per batch, to the
    // highest revision the batch holds (the last of equals).
    let mut current: HashMap<&str, usize> = HashMap::new();
    for (i, a) in batch.alerts.iter().enumerate() {
        let best = current.entry(a.id.as_str()).or_insert(i);
        if batch.alerts[*best].revision <= a.revision {
            *best = i;
        }
    }
    for (i, a) in batch.alerts.iter().enumerate() {
        write_alert(tx, a, current.get(a.id.as_str()) == Some(&i))?;
    }
    for s in &batch.sources {
        write_source(tx, s)?;
    }
    audit::append(tx, &batch.releases)?;
    Ok(())
}

/// Appends the revision to the history and, if `current`, moves the current row forward.
fn write_alert(tx: &Transaction<'_>, a: &AlertRecord, current: bool) -> Result<()> {
    let sqls: &[&str] = if current {
        &[INSERT_REVISION, UPSERT_ALERT]
    } else {
        &[INSERT_REVISION]
    };
    for sql in sqls {
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

/// Applies `retention`: the journal, the tracks, the vessels and the closed alerts, one
/// transaction each, whole blocks and chunks at a time.
pub fn prune(conn: &mut Connection, retention: &Retention) -> Result<PruneCounts> {
    let mut counts = PruneCounts::default();
    if let Some(t) = retention.raw_before_ms {
        counts.raw = journal::prune(conn, t)?;
    }
    if let Some(t) = retention.positions_before_ms {
        counts.positions = positions::prune(conn, t)?;
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
    // Give freed pages back to the file system (a no-op for stores made before schema v3, which
    // reuse them instead).
    incremental_vacuum(conn)?;
    Ok(counts)
}

/// Returns the free pages to the file system (a no-op unless `auto_vacuum = INCREMENTAL`). The
/// pragma frees one page per step, so it is stepped to the end.
fn incremental_vacuum(conn: &Connection) -> Result<()> {
    let mut stmt = conn.prepare_cached("PRAGMA incremental_vacuum")?;
    let mut rows = stmt.query([])?;
    while rows.next()?.is_some() {}
    Ok(())
}
