//! One batch, one transaction: the journal and the tracks as array inserts (`unnest`, one
//! statement each), vessels as one upsert, alerts, sources and releases row by row.

use std::collections::HashMap;

use postgres::{Client, Transaction};
use varde_store::sqlite::audit::{entry_hash, AuditHash, GENESIS};
use varde_store::{AlertRecord, Batch, PositionRecord, Result, VesselRecord};

use crate::error::{backend, corrupt, out_of_range};
use crate::schema::POINT;

/// Writes every row of `batch` in one transaction; nothing of it is stored on error.
pub fn batch(client: &mut Client, batch: &Batch) -> Result<()> {
    let mut tx = client.transaction().map_err(backend)?;
    raw(&mut tx, batch)?;
    positions(&mut tx, &batch.positions)?;
    vessels(&mut tx, &batch.vessels)?;
    alerts(&mut tx, &batch.alerts)?;
    for s in &batch.sources {
        let reports = i64::try_from(s.reports).map_err(|_| out_of_range("reports", s.reports))?;
        let rejects = i64::try_from(s.rejects).map_err(|_| out_of_range("rejects", s.rejects))?;
        tx.execute(
            "INSERT INTO sources (name, kind, state, reports, rejects, last_report_ms)
             VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (name) DO UPDATE SET
              kind = excluded.kind, state = excluded.state, reports = excluded.reports,
              rejects = excluded.rejects, last_report_ms = excluded.last_report_ms",
            &[
                &s.name,
                &s.kind,
                &s.state,
                &reports,
                &rejects,
                &s.last_report_ms,
            ],
        )
        .map_err(backend)?;
    }
    releases(&mut tx, batch)?;
    tx.commit().map_err(backend)
}

/// The journal, in batch order (the sequence follows the array's order).
fn raw(tx: &mut Transaction<'_>, batch: &Batch) -> Result<()> {
    if batch.raw.is_empty() {
        return Ok(());
    }
    let times: Vec<i64> = batch.raw.iter().map(|r| r.time_ms).collect();
    let sources: Vec<&str> = batch.raw.iter().map(|r| r.source.as_str()).collect();
    let lines: Vec<&str> = batch.raw.iter().map(|r| r.line.as_str()).collect();
    tx.execute(
        "INSERT INTO raw (time_ms, source, line)
         SELECT t, s, l FROM unnest($1::bigint[], $2::text[], $3::text[])
           WITH ORDINALITY AS u(t, s, l, n) ORDER BY n",
        &[&times, &sources, &lines],
    )
    .map_err(backend)?;
    Ok(())
}

/// Track points; of equal `(mmsi, time_ms)` the first written stays (in the batch and across
/// batches).
fn positions(tx: &mut Transaction<'_>, positions: &[PositionRecord]) -> Result<()> {
    if positions.is_empty() {
        return Ok(());
    }
    let mut seen = std::collections::HashSet::with_capacity(positions.len());
    let rows: Vec<&PositionRecord> = positions
        .iter()
        .filter(|p| seen.insert((p.mmsi, p.time_ms)))
        .collect();
    let col = |f: fn(&PositionRecord) -> Option<f64>| rows.iter().map(|p| f(p)).collect::<Vec<_>>();
    let mmsi: Vec<i64> = rows.iter().map(|p| i64::from(p.mmsi)).collect();
    let time: Vec<i64> = rows.iter().map(|p| p.time_ms).collect();
    let lat: Vec<f64> = rows.iter().map(|p| p.lat).collect();
    let lon: Vec<f64> = rows.iter().map(|p| p.lon).collect();
    let (sog, cog, heading) = (
        col(|p| p.sog_kn),
        col(|p| p.cog_deg),
        col(|p| p.heading_deg),
    );
    let status: Vec<Option<i16>> = rows.iter().map(|p| p.nav_status.map(i16::from)).collect();
    let source: Vec<Option<&str>> = rows.iter().map(|p| p.source.as_deref()).collect();
    tx.execute(
        &format!(
            "INSERT INTO positions
              (mmsi, time_ms, lat, lon, sog_kn, cog_deg, heading_deg, nav_status, source, geom)
             SELECT mmsi, time_ms, lat, lon, sog, cog, hdg, st, src, {POINT}
             FROM unnest($1::bigint[], $2::bigint[], $3::float8[], $4::float8[], $5::float8[],
                         $6::float8[], $7::float8[], $8::int2[], $9::text[])
               AS u(mmsi, time_ms, lat, lon, sog, cog, hdg, st, src)
             ON CONFLICT (mmsi, time_ms) DO NOTHING"
        ),
        &[
            &mmsi, &time, &lat, &lon, &sog, &cog, &heading, &status, &source,
        ],
    )
    .map_err(backend)?;
    Ok(())
}

/// Vessels: one upsert per vessel, never back to an older `last_seen_ms`. Of several records of
/// one vessel in the batch, the one a row-by-row upsert would leave wins: the last of those seen
/// latest.
fn vessels(tx: &mut Transaction<'_>, vessels: &[VesselRecord]) -> Result<()> {
    if vessels.is_empty() {
        return Ok(());
    }
    let mut winner: HashMap<u32, usize> = HashMap::with_capacity(vessels.len());
    for (i, v) in vessels.iter().enumerate() {
        let w = winner.entry(v.mmsi).or_insert(i);
        if vessels[*w].last_seen_ms <= v.last_seen_ms {
            *w = i;
        }
    }
    let mut idx: Vec<usize> = winner.into_values().collect();
    idx.sort_unstable();
    let rows: Vec<&VesselRecord> = idx.iter().map(|&i| &vessels[i]).collect();
    let f = |g: fn(&VesselRecord) -> Option<f64>| rows.iter().map(|v| g(v)).collect::<Vec<_>>();
    let s = |g: fn(&VesselRecord) -> Option<&str>| rows.iter().map(|v| g(v)).collect::<Vec<_>>();
    let mmsi: Vec<i64> = rows.iter().map(|v| i64::from(v.mmsi)).collect();
    let imo: Vec<Option<i64>> = rows.iter().map(|v| v.imo.map(i64::from)).collect();
    let ship_type: Vec<Option<i16>> = rows.iter().map(|v| v.ship_type.map(i16::from)).collect();
    let status: Vec<Option<i16>> = rows.iter().map(|v| v.nav_status.map(i16::from)).collect();
    let seen: Vec<i64> = rows.iter().map(|v| v.last_seen_ms).collect();
    let eta: Vec<Option<i64>> = rows.iter().map(|v| v.eta_ms).collect();
    tx.execute(
        &format!(
            "INSERT INTO vessels
              (mmsi, name, callsign, imo, ship_type, flag, length_m, beam_m, draught_m,
               destination, lat, lon, sog_kn, cog_deg, heading_deg, nav_status, last_seen_ms,
               eta_ms, geom)
             SELECT mmsi, name, callsign, imo, ship_type, flag, length_m, beam_m, draught_m,
               destination, lat, lon, sog_kn, cog_deg, heading_deg, nav_status, last_seen_ms,
               eta_ms, {POINT}
             FROM unnest($1::bigint[], $2::text[], $3::text[], $4::bigint[], $5::int2[],
                         $6::text[], $7::float8[], $8::float8[], $9::float8[], $10::text[],
                         $11::float8[], $12::float8[], $13::float8[], $14::float8[],
                         $15::float8[], $16::int2[], $17::bigint[], $18::bigint[])
               AS u(mmsi, name, callsign, imo, ship_type, flag, length_m, beam_m, draught_m,
                    destination, lat, lon, sog_kn, cog_deg, heading_deg, nav_status, last_seen_ms,
                    eta_ms)
             ON CONFLICT (mmsi) DO UPDATE SET
              name = excluded.name, callsign = excluded.callsign, imo = excluded.imo,
              ship_type = excluded.ship_type, flag = excluded.flag, length_m = excluded.length_m,
              beam_m = excluded.beam_m, draught_m = excluded.draught_m,
              destination = excluded.destination, lat = excluded.lat, lon = excluded.lon,
              sog_kn = excluded.sog_kn, cog_deg = excluded.cog_deg,
              heading_deg = excluded.heading_deg, nav_status = excluded.nav_status,
              last_seen_ms = excluded.last_seen_ms, eta_ms = excluded.eta_ms,
              geom = excluded.geom
             WHERE excluded.last_seen_ms >= vessels.last_seen_ms"
        ),
        &[
            &mmsi,
            &s(|v| v.name.as_deref()),
            &s(|v| v.callsign.as_deref()),
            &imo,
            &ship_type,
            &s(|v| v.flag.as_deref()),
            &f(|v| v.length_m),
            &f(|v| v.beam_m),
            &f(|v| v.draught_m),
            &s(|v| v.destination.as_deref()),
            &f(|v| v.lat),
            &f(|v| v.lon),
            &f(|v| v.sog_kn),
            &f(|v| v.cog_deg),
            &f(|v| v.heading_deg),
            &status,
            &seen,
            &eta,
        ],
    )
    .map_err(backend)?;
    Ok(())
}

/// Every revision into the history (the first of equal `(id, revision)` stays); the current row
/// moves once per id, to the batch's highest revision (the last of equals), never backwards.
fn alerts(tx: &mut Transaction<'_>, alerts: &[AlertRecord]) -> Result<()> {
    let mut current: HashMap<&str, usize> = HashMap::new();
    for (i, a) in alerts.iter().enumerate() {
        let best = current.entry(a.id.as_str()).or_insert(i);
        if alerts[*best].revision <= a.revision {
            *best = i;
        }
    }
    for (i, a) in alerts.iter().enumerate() {
        let revision = i64::from(a.revision);
        let mmsi = i64::from(a.mmsi);
        let cols: [&(dyn postgres::types::ToSql + Sync); 12] = [
            &a.id,
            &revision,
            &a.kind,
            &mmsi,
            &a.start_ms,
            &a.end_ms,
            &a.open,
            &a.zone,
            &a.asset,
            &a.lat,
            &a.lon,
            &a.json,
        ];
        tx.execute(
            "INSERT INTO alert_revisions
              (id, revision, kind, mmsi, start_ms, end_ms, open, zone, asset, lat, lon, json)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
             ON CONFLICT (id, revision) DO NOTHING",
            &cols,
        )
        .map_err(backend)?;
        if current.get(a.id.as_str()) == Some(&i) {
            tx.execute(
                &format!(
                    "INSERT INTO alerts
                      (id, revision, kind, mmsi, start_ms, end_ms, open, zone, asset, lat, lon,
                       json, geom)
                     SELECT id, revision, kind, mmsi, start_ms, end_ms, open, zone, asset, lat,
                       lon, json, {POINT}
                     FROM (VALUES ($1::text, $2::bigint, $3::text, $4::bigint, $5::bigint,
                                   $6::bigint, $7::boolean, $8::text, $9::text, $10::float8,
                                   $11::float8, $12::text))
                       AS v(id, revision, kind, mmsi, start_ms, end_ms, open, zone, asset, lat,
                            lon, json)
                     ON CONFLICT (id) DO UPDATE SET
                      revision = excluded.revision, kind = excluded.kind, mmsi = excluded.mmsi,
                      start_ms = excluded.start_ms, end_ms = excluded.end_ms,
                      open = excluded.open, zone = excluded.zone, asset = excluded.asset,
                      lat = excluded.lat, lon = excluded.lon, json = excluded.json,
                      geom = excluded.geom
                     WHERE excluded.revision >= alerts.revision"
                ),
                &cols,
            )
            .map_err(backend)?;
        }
    }
    Ok(())
}

/// Releases to partners, appended to the SHA-256 chain (the same entry hash as the SQLite
/// store's audit log); the table is locked for the append so two writers cannot fork the chain.
fn releases(tx: &mut Transaction<'_>, batch: &Batch) -> Result<()> {
    if batch.releases.is_empty() {
        return Ok(());
    }
    tx.batch_execute("LOCK TABLE audit IN EXCLUSIVE MODE")
        .map_err(backend)?;
    let head = tx
        .query_opt("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1", &[])
        .map_err(backend)?;
    let (mut seq, mut prev): (i64, AuditHash) = match head {
        None => (0, GENESIS),
        Some(row) => {
            let seq: i64 = row.get(0);
            let hash: &[u8] = row.get(1);
            let hash = AuditHash::try_from(hash).map_err(|_| corrupt("audit.hash", seq))?;
            (seq, hash)
        }
    };
    for r in &batch.releases {
        seq += 1;
        let hash = entry_hash(&prev, seq, r);
        tx.execute(
            "INSERT INTO audit (seq, time_ms, partner, feed, item_id, label, prev, hash)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            &[
                &seq,
                &r.time_ms,
                &r.partner,
                &r.feed,
                &r.item_id,
                &r.label,
                &prev.as_slice(),
                &hash.as_slice(),
            ],
        )
        .map_err(backend)?;
        prev = hash;
    }
    Ok(())
}
