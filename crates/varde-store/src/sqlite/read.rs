//! Queries for [`SqliteStore`](super::SqliteStore): SQL in, records out.

use rusqlite::types::Value;
use rusqlite::{params_from_iter, Connection, OptionalExtension, Row};

use crate::error::{Result, StoreError};
use crate::filter::{sql_limit, AlertFilter, AlertState, VesselFilter};
use crate::record::{AlertRecord, Counts, SourceStats, VesselRecord};

const VESSEL_COLS: &str = "mmsi, name, callsign, imo, ship_type, flag, length_m, beam_m,
    draught_m, destination, lat, lon, sog_kn, cog_deg, heading_deg, nav_status, last_seen_ms,
    eta_ms";

const ALERT_COLS: &str =
    "id, kind, mmsi, start_ms, end_ms, open, zone, asset, lat, lon, json, revision";

fn vessel_row(r: &Row<'_>) -> rusqlite::Result<VesselRecord> {
    Ok(VesselRecord {
        mmsi: r.get(0)?,
        name: r.get(1)?,
        callsign: r.get(2)?,
        imo: r.get(3)?,
        ship_type: r.get(4)?,
        flag: r.get(5)?,
        length_m: r.get(6)?,
        beam_m: r.get(7)?,
        draught_m: r.get(8)?,
        destination: r.get(9)?,
        lat: r.get(10)?,
        lon: r.get(11)?,
        sog_kn: r.get(12)?,
        cog_deg: r.get(13)?,
        heading_deg: r.get(14)?,
        nav_status: r.get(15)?,
        last_seen_ms: r.get(16)?,
        eta_ms: r.get(17)?,
    })
}

fn alert_row(r: &Row<'_>) -> rusqlite::Result<AlertRecord> {
    Ok(AlertRecord {
        id: r.get(0)?,
        kind: r.get(1)?,
        mmsi: r.get(2)?,
        start_ms: r.get(3)?,
        end_ms: r.get(4)?,
        open: r.get(5)?,
        zone: r.get(6)?,
        asset: r.get(7)?,
        lat: r.get(8)?,
        lon: r.get(9)?,
        json: r.get(10)?,
        revision: r.get(11)?,
    })
}

/// Runs `sql` with `args` and maps every row.
fn collect<T>(
    conn: &Connection,
    sql: &str,
    args: &[Value],
    map: fn(&Row<'_>) -> rusqlite::Result<T>,
) -> Result<Vec<T>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map(params_from_iter(args), map)?;
    Ok(rows.collect::<rusqlite::Result<Vec<T>>>()?)
}

/// Vessels matching `f`, most recently seen first.
pub fn vessels(conn: &Connection, f: &VesselFilter) -> Result<Vec<VesselRecord>> {
    let mut sql = format!("SELECT {VESSEL_COLS} FROM vessels WHERE 1");
    let mut args: Vec<Value> = Vec::new();
    if let Some(b) = f.bbox {
        // A position on the globe only: AIS's 91/181 "not available" is in no box.
        sql.push_str(" AND lat BETWEEN -90 AND 90 AND lon BETWEEN -180 AND 180");
        sql.push_str(" AND lat BETWEEN ? AND ?");
        sql.push_str(if b.min_lon <= b.max_lon {
            " AND lon BETWEEN ? AND ?"
        } else {
            " AND (lon >= ? OR lon <= ?)"
        });
        args.extend([b.min_lat, b.max_lat, b.min_lon, b.max_lon].map(Value::Real));
    }
    if let Some(t) = f.since_ms {
        sql.push_str(" AND last_seen_ms >= ?");
        args.push(Value::Integer(t));
    }
    sql.push_str(" ORDER BY last_seen_ms DESC, mmsi LIMIT ?");
    args.push(Value::Integer(sql_limit(f.limit)));
    collect(conn, &sql, &args, vessel_row)
}

/// One vessel by MMSI.
pub fn vessel(conn: &Connection, mmsi: u32) -> Result<Option<VesselRecord>> {
    let sql = format!("SELECT {VESSEL_COLS} FROM vessels WHERE mmsi = ?1");
    let mut stmt = conn.prepare_cached(&sql)?;
    Ok(stmt.query_row([mmsi], vessel_row).optional()?)
}

/// Current alerts matching `f`, newest first.
pub fn alerts(conn: &Connection, f: &AlertFilter) -> Result<Vec<AlertRecord>> {
    let mut sql = format!("SELECT {ALERT_COLS} FROM alerts WHERE 1");
    let mut args: Vec<Value> = Vec::new();
    let mut text = |clause: &str, v: &Option<String>, args: &mut Vec<Value>| {
        if let Some(v) = v {
            sql.push_str(clause);
            args.push(Value::Text(v.clone()));
        }
    };
    text(" AND kind = ?", &f.kind, &mut args);
    text(" AND zone = ?", &f.zone, &mut args);
    text(" AND asset = ?", &f.asset, &mut args);
    if !f.severity.is_empty() {
        let marks = vec!["?"; f.severity.len()].join(",");
        sql.push_str(&format!(
            " AND json_extract(json, '$.severity') IN ({marks})"
        ));
        args.extend(f.severity.iter().map(|s| Value::Text(s.clone())));
    }
    if let Some(m) = f.mmsi {
        sql.push_str(" AND mmsi = ?");
        args.push(m.into());
    }
    if let Some(t) = f.from_ms {
        sql.push_str(" AND (end_ms IS NULL OR end_ms >= ?)");
        args.push(t.into());
    }
    if let Some(t) = f.to_ms {
        sql.push_str(" AND start_ms <= ?");
        args.push(t.into());
    }
    sql.push_str(match f.state {
        AlertState::Open => " AND open = 1",
        AlertState::Closed => " AND open = 0",
        AlertState::All => "",
    });
    sql.push_str(" ORDER BY start_ms DESC, id LIMIT ?");
    args.push(sql_limit(f.limit).into());
    collect(conn, &sql, &args, alert_row)
}

/// The current revision of one alert.
pub fn alert(conn: &Connection, id: &str) -> Result<Option<AlertRecord>> {
    let sql = format!("SELECT {ALERT_COLS} FROM alerts WHERE id = ?1");
    let mut stmt = conn.prepare_cached(&sql)?;
    Ok(stmt.query_row([id], alert_row).optional()?)
}

/// Every revision of one alert, ascending.
pub fn alert_revisions(conn: &Connection, id: &str) -> Result<Vec<AlertRecord>> {
    let sql = format!("SELECT {ALERT_COLS} FROM alert_revisions WHERE id = ? ORDER BY revision");
    collect(conn, &sql, &[Value::Text(id.to_owned())], alert_row)
}

/// All sources by name.
pub fn sources(conn: &Connection) -> Result<Vec<SourceStats>> {
    let sql = "SELECT name, kind, state, reports, rejects, last_report_ms
               FROM sources ORDER BY name";
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map([], |r| {
        Ok((
            SourceStats {
                name: r.get(0)?,
                kind: r.get(1)?,
                state: r.get(2)?,
                reports: 0,
                rejects: 0,
                last_report_ms: r.get(5)?,
            },
            r.get::<_, i64>(3)?,
            r.get::<_, i64>(4)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (mut s, reports, rejects) = row?;
        s.reports = to_u64("reports", reports)?;
        s.rejects = to_u64("rejects", rejects)?;
        out.push(s);
    }
    Ok(out)
}

fn to_u64(field: &'static str, value: i64) -> Result<u64> {
    u64::try_from(value).map_err(|_| StoreError::Corrupt { field, value })
}

/// Rows per table (full counts: `O(rows)`, meant for status pages and tests).
pub fn counts(conn: &Connection) -> Result<Counts> {
    let count = |table: &str| -> Result<u64> {
        let sql = format!("SELECT COUNT(*) FROM {table}");
        let n: i64 = conn.query_row(&sql, [], |r| r.get(0))?;
        to_u64("count", n)
    };
    Ok(Counts {
        raw: super::journal::count(conn)?,
        positions: super::positions::count(conn)?,
        vessels: count("vessels")?,
        alerts: count("alerts")?,
        alert_revisions: count("alert_revisions")?,
        sources: count("sources")?,
    })
}
