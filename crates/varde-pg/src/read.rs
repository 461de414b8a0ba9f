//! Queries: SQL in, records out, in the orders the [`Store`](varde_store::Store) trait promises
//! (text compared byte-wise, `COLLATE "C"`, as SQLite does).

use postgres::types::ToSql;
use postgres::{Client, Row};
use varde_store::{
    AlertFilter, AlertRecord, AlertState, Counts, PositionRecord, RawRecord, Result, SourceStats,
    VesselFilter, VesselRecord,
};

use crate::error::{backend, corrupt};

const VESSEL_COLS: &str = "mmsi, name, callsign, imo, ship_type, flag, length_m, beam_m,
    draught_m, destination, lat, lon, sog_kn, cog_deg, heading_deg, nav_status, last_seen_ms,
    eta_ms";

const ALERT_COLS: &str =
    "id, kind, mmsi, start_ms, end_ms, open, zone, asset, lat, lon, json, revision";

type Param = Box<dyn ToSql + Sync>;

fn u32_of(field: &'static str, v: i64) -> Result<u32> {
    u32::try_from(v).map_err(|_| corrupt(field, v))
}

fn u8_of(field: &'static str, v: Option<i16>) -> Result<Option<u8>> {
    v.map(|v| u8::try_from(v).map_err(|_| corrupt(field, i64::from(v))))
        .transpose()
}

fn vessel_row(r: &Row) -> Result<VesselRecord> {
    Ok(VesselRecord {
        mmsi: u32_of("vessels.mmsi", r.get(0))?,
        name: r.get(1),
        callsign: r.get(2),
        imo: r
            .get::<_, Option<i64>>(3)
            .map(|v| u32_of("vessels.imo", v))
            .transpose()?,
        ship_type: u8_of("vessels.ship_type", r.get(4))?,
        flag: r.get(5),
        length_m: r.get(6),
        beam_m: r.get(7),
        draught_m: r.get(8),
        destination: r.get(9),
        lat: r.get(10),
        lon: r.get(11),
        sog_kn: r.get(12),
        cog_deg: r.get(13),
        heading_deg: r.get(14),
        nav_status: u8_of("vessels.nav_status", r.get(15))?,
        last_seen_ms: r.get(16),
        eta_ms: r.get(17),
    })
}

fn alert_row(r: &Row) -> Result<AlertRecord> {
    Ok(AlertRecord {
        id: r.get(0),
        kind: r.get(1),
        mmsi: u32_of("alerts.mmsi", r.get(2))?,
        start_ms: r.get(3),
        end_ms: r.get(4),
        open: r.get(5),
        zone: r.get(6),
        asset: r.get(7),
        lat: r.get(8),
        lon: r.get(9),
        json: r.get(10),
        revision: u32_of("alerts.revision", r.get(11))?,
    })
}

/// Runs `sql` with `args` and maps every row.
fn collect<T>(
    client: &mut Client,
    sql: &str,
    args: &[Param],
    map: fn(&Row) -> Result<T>,
) -> Result<Vec<T>> {
    let refs: Vec<&(dyn ToSql + Sync)> = args.iter().map(|a| a.as_ref()).collect();
    let rows = client.query(sql, &refs).map_err(backend)?;
    rows.iter().map(map).collect()
}

/// `LIMIT` for an optional row limit (`ALL` when none).
fn limit(n: Option<usize>) -> Option<i64> {
    n.map(|n| i64::try_from(n).unwrap_or(i64::MAX))
}

/// Vessels matching `f`, most recently seen first. The box goes through the GiST index and then
/// the exact coordinates (inclusive bounds; a box across the antimeridian is two).
pub fn vessels(client: &mut Client, f: &VesselFilter) -> Result<Vec<VesselRecord>> {
    let mut sql = format!("SELECT {VESSEL_COLS} FROM vessels WHERE true");
    let mut args: Vec<Param> = Vec::new();
    if let Some(b) = f.bbox {
        args.extend([b.min_lat, b.max_lat, b.min_lon, b.max_lon].map(|v| Box::new(v) as Param));
        sql.push_str(if b.min_lon <= b.max_lon {
            " AND geom && ST_MakeEnvelope($3, $1, $4, $2, 4326)
              AND lat BETWEEN $1 AND $2 AND lon BETWEEN $3 AND $4"
        } else {
            " AND (geom && ST_MakeEnvelope($3, $1, 180, $2, 4326)
                   OR geom && ST_MakeEnvelope(-180, $1, $4, $2, 4326))
              AND lat BETWEEN $1 AND $2 AND (lon >= $3 OR lon <= $4)"
        });
    }
    if let Some(t) = f.since_ms {
        args.push(Box::new(t));
        sql.push_str(&format!(" AND last_seen_ms >= ${}", args.len()));
    }
    args.push(Box::new(limit(f.limit)));
    sql.push_str(&format!(
        " ORDER BY last_seen_ms DESC, mmsi LIMIT ${}",
        args.len()
    ));
    collect(client, &sql, &args, vessel_row)
}

/// One vessel by MMSI.
pub fn vessel(client: &mut Client, mmsi: u32) -> Result<Option<VesselRecord>> {
    let sql = format!("SELECT {VESSEL_COLS} FROM vessels WHERE mmsi = $1");
    client
        .query_opt(&sql, &[&i64::from(mmsi)])
        .map_err(backend)?
        .as_ref()
        .map(vessel_row)
        .transpose()
}

/// The latest `limit` points of one vessel in `[from, to]`, ascending in time.
pub fn track(
    client: &mut Client,
    mmsi: u32,
    from: i64,
    to: i64,
    limit: usize,
) -> Result<Vec<PositionRecord>> {
    if from > to || limit == 0 {
        return Ok(Vec::new());
    }
    let n = i64::try_from(limit).unwrap_or(i64::MAX);
    let rows = client
        .query(
            "SELECT time_ms, lat, lon, sog_kn, cog_deg, heading_deg, nav_status, source
             FROM positions WHERE mmsi = $1 AND time_ms BETWEEN $2 AND $3
             ORDER BY time_ms DESC LIMIT $4",
            &[&i64::from(mmsi), &from, &to, &n],
        )
        .map_err(backend)?;
    let mut out = rows
        .iter()
        .map(|r| position_row(mmsi, r))
        .collect::<Result<Vec<_>>>()?;
    out.reverse();
    Ok(out)
}

/// The earliest `limit` points of one vessel in `[from, to]`, ascending.
pub fn track_page(
    client: &mut Client,
    mmsi: u32,
    from: i64,
    to: i64,
    limit: usize,
) -> Result<Vec<PositionRecord>> {
    if from > to || limit == 0 {
        return Ok(Vec::new());
    }
    let n = i64::try_from(limit).unwrap_or(i64::MAX);
    let rows = client
        .query(
            "SELECT time_ms, lat, lon, sog_kn, cog_deg, heading_deg, nav_status, source
             FROM positions WHERE mmsi = $1 AND time_ms BETWEEN $2 AND $3
             ORDER BY time_ms LIMIT $4",
            &[&i64::from(mmsi), &from, &to, &n],
        )
        .map_err(backend)?;
    rows.iter().map(|r| position_row(mmsi, r)).collect()
}

/// Vessels with a point in `[from, to]`, ascending: a loose index scan of `(mmsi, time_ms)`
/// (one index probe per vessel, not a scan of every point).
pub fn tracked_vessels(client: &mut Client, from: i64, to: i64) -> Result<Vec<u32>> {
    if from > to {
        return Ok(Vec::new());
    }
    let rows = client
        .query(
            "WITH RECURSIVE v(mmsi) AS (
                 SELECT MIN(mmsi) FROM positions WHERE time_ms BETWEEN $1 AND $2
                 UNION ALL
                 SELECT (SELECT MIN(p.mmsi) FROM positions p
                         WHERE p.mmsi > v.mmsi AND p.time_ms BETWEEN $1 AND $2)
                 FROM v WHERE v.mmsi IS NOT NULL)
             SELECT mmsi FROM v WHERE mmsi IS NOT NULL ORDER BY mmsi",
            &[&from, &to],
        )
        .map_err(backend)?;
    rows.iter()
        .map(|r| u32_of("positions.mmsi", r.get(0)))
        .collect()
}

fn position_row(mmsi: u32, r: &Row) -> Result<PositionRecord> {
    Ok(PositionRecord {
        mmsi,
        time_ms: r.get(0),
        lat: r.get(1),
        lon: r.get(2),
        sog_kn: r.get(3),
        cog_deg: r.get(4),
        heading_deg: r.get(5),
        nav_status: u8_of("positions.nav_status", r.get(6))?,
        source: r.get(7),
    })
}

/// Current alerts matching `f`, newest first.
pub fn alerts(client: &mut Client, f: &AlertFilter) -> Result<Vec<AlertRecord>> {
    let mut sql = format!("SELECT {ALERT_COLS} FROM alerts WHERE true");
    let mut args: Vec<Param> = Vec::new();
    let mut push = |clause: &str, v: Param, sql: &mut String| {
        args.push(v);
        sql.push_str(&clause.replace('?', &format!("${}", args.len())));
    };
    if let Some(v) = &f.kind {
        push(" AND kind = ?", Box::new(v.clone()), &mut sql);
    }
    if let Some(v) = &f.zone {
        push(" AND zone = ?", Box::new(v.clone()), &mut sql);
    }
    if let Some(v) = &f.asset {
        push(" AND asset = ?", Box::new(v.clone()), &mut sql);
    }
    if !f.severity.is_empty() {
        push(
            " AND (json::jsonb ->> 'severity') = ANY(?)",
            Box::new(f.severity.clone()),
            &mut sql,
        );
    }
    if let Some(m) = f.mmsi {
        push(" AND mmsi = ?", Box::new(i64::from(m)), &mut sql);
    }
    if let Some(t) = f.from_ms {
        push(
            " AND (end_ms IS NULL OR end_ms >= ?)",
            Box::new(t),
            &mut sql,
        );
    }
    if let Some(t) = f.to_ms {
        push(" AND start_ms <= ?", Box::new(t), &mut sql);
    }
    sql.push_str(match f.state {
        AlertState::Open => " AND open",
        AlertState::Closed => " AND NOT open",
        AlertState::All => "",
    });
    push(
        " ORDER BY start_ms DESC, id COLLATE \"C\" LIMIT ?",
        Box::new(limit(f.limit)),
        &mut sql,
    );
    collect(client, &sql, &args, alert_row)
}

/// The current revision of one alert.
pub fn alert(client: &mut Client, id: &str) -> Result<Option<AlertRecord>> {
    let sql = format!("SELECT {ALERT_COLS} FROM alerts WHERE id = $1");
    client
        .query_opt(&sql, &[&id])
        .map_err(backend)?
        .as_ref()
        .map(alert_row)
        .transpose()
}

/// Every revision of one alert, ascending.
pub fn alert_revisions(client: &mut Client, id: &str) -> Result<Vec<AlertRecord>> {
    let sql = format!("SELECT {ALERT_COLS} FROM alert_revisions WHERE id = $1 ORDER BY revision");
    collect(client, &sql, &[Box::new(id.to_owned())], alert_row)
}

/// All sources by name.
pub fn sources(client: &mut Client) -> Result<Vec<SourceStats>> {
    let rows = client
        .query(
            "SELECT name, kind, state, reports, rejects, last_report_ms
             FROM sources ORDER BY name COLLATE \"C\"",
            &[],
        )
        .map_err(backend)?;
    rows.iter()
        .map(|r| {
            let count = |i: usize, field| {
                let v: i64 = r.get(i);
                u64::try_from(v).map_err(|_| corrupt(field, v))
            };
            Ok(SourceStats {
                name: r.get(0),
                kind: r.get(1),
                state: r.get(2),
                reports: count(3, "sources.reports")?,
                rejects: count(4, "sources.rejects")?,
                last_report_ms: r.get(5),
            })
        })
        .collect()
}

/// Journal lines with `time_ms >= since_ms`, ascending by time then write order.
pub fn raw_since(client: &mut Client, since_ms: i64, limit: usize) -> Result<Vec<RawRecord>> {
    let n = i64::try_from(limit).unwrap_or(i64::MAX);
    let rows = client
        .query(
            "SELECT time_ms, source, line FROM raw WHERE time_ms >= $1
             ORDER BY time_ms, seq LIMIT $2",
            &[&since_ms, &n],
        )
        .map_err(backend)?;
    Ok(rows
        .iter()
        .map(|r| RawRecord {
            time_ms: r.get(0),
            source: r.get(1),
            line: r.get(2),
        })
        .collect())
}

/// Rows per table (full counts).
pub fn counts(client: &mut Client) -> Result<Counts> {
    let row = client
        .query_one(
            "SELECT (SELECT count(*) FROM raw), (SELECT count(*) FROM positions),
                    (SELECT count(*) FROM vessels), (SELECT count(*) FROM alerts),
                    (SELECT count(*) FROM alert_revisions), (SELECT count(*) FROM sources)",
            &[],
        )
        .map_err(backend)?;
    let n = |i: usize| {
        let v: i64 = row.get(i);
        u64::try_from(v).map_err(|_| corrupt("count", v))
    };
    Ok(Counts {
        raw: n(0)?,
        positions: n(1)?,
        vessels: n(2)?,
        alerts: n(3)?,
        alert_revisions: n(4)?,
        sources: n(5)?,
    })
}

/// Bytes on disk of Varde's tables, their partitions, indexes and TOAST.
pub fn disk_bytes(client: &mut Client) -> Result<u64> {
    let row = client
        .query_one(
            "SELECT COALESCE(sum(pg_total_relation_size(c.oid)), 0)::bigint
             FROM pg_class c
             WHERE c.relnamespace = to_regnamespace(current_schema())::oid
               AND c.relkind = 'r'
               AND (c.relname IN ('vessels', 'alerts', 'alert_revisions', 'sources', 'audit',
                                  'varde_meta')
                    OR c.relname ~ '^(raw|positions)_[dm][0-9]+$')",
            &[],
        )
        .map_err(backend)?;
    let v: i64 = row.get(0);
    u64::try_from(v).map_err(|_| corrupt("disk bytes", v))
}
