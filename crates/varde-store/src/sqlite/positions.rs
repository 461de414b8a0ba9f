//! Track points, compact (schema v3).
//!
//! Each batch's points go into `position_tail` as one row (all vessels, sorted by vessel and
//! time). Once the tail holds [`SEAL_POINTS`] points it is regrouped, in the same transaction,
//! into `position_chunks`: one row per vessel, at most [`CHUNK_SPAN_MS`] of time and
//! [`CHUNK_MAX_POINTS`] points each, delta-encoded (see `codec`). A read looks at the vessel's
//! chunks that can overlap the window (found by `(mmsi, last_ms)`: a chunk overlapping `[from, to]`
//! ends in `[from, to + CHUNK_SPAN_MS]`) and at the tail.
//!
//! Points are keyed by `(mmsi, time_ms)`: the first one written is kept. Duplicates are dropped
//! within a batch, against the tail and stored chunks when sealing, and on every read.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use rusqlite::{params, Connection, OptionalExtension, Transaction};

use super::codec::{self, PointCtx, Reader};
use super::names::{self, SourceIds};
use crate::error::{Result, StoreError};
use crate::record::PositionRecord;

/// Tail points after which the tail is sealed into per-vessel chunks.
pub const SEAL_POINTS: i64 = 100_000;
/// Longest time one chunk covers: a read of `[from, to]` looks at chunks ending up to
/// `to + CHUNK_SPAN_MS`.
pub const CHUNK_SPAN_MS: i64 = 6 * 3_600_000;
/// Most points in one chunk.
pub const CHUNK_MAX_POINTS: usize = 2_048;

/// A point with its source id.
type Point = (PositionRecord, Option<i64>);

fn bad(detail: String) -> StoreError {
    StoreError::BadBlock {
        what: "track",
        detail,
    }
}

/// Appends a batch's points as one tail row; seals the tail once it holds [`SEAL_POINTS`];
/// true if it sealed.
pub fn append(
    tx: &Transaction<'_>,
    positions: &[PositionRecord],
    ids: &mut SourceIds,
) -> Result<bool> {
    if positions.is_empty() {
        return Ok(false);
    }
    let mut order: Vec<&PositionRecord> = positions.iter().collect();
    order.sort_by_key(|p| (p.mmsi, p.time_ms));
    order.dedup_by_key(|p| (p.mmsi, p.time_ms));
    let min = order.iter().map(|p| p.time_ms).min().unwrap_or(0);
    let max = order.iter().map(|p| p.time_ms).max().unwrap_or(0);
    let mut data = Vec::with_capacity(order.len() * 16);
    let mut ctx = PointCtx::segment(min);
    for p in &order {
        let source = match &p.source {
            Some(s) => Some(ids.id(tx, s)?),
            None => None,
        };
        codec::encode_point(&mut ctx, p, source, &mut data);
    }
    tx.prepare_cached(
        "INSERT INTO position_tail (points, min_time_ms, max_time_ms, data) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![order.len() as i64, min, max, data])?;
    let tail: i64 = tx
        .prepare_cached("SELECT COALESCE(SUM(points), 0) FROM position_tail")?
        .query_row([], |r| r.get(0))?;
    if tail >= SEAL_POINTS {
        seal(tx)?;
    }
    Ok(tail >= SEAL_POINTS)
}

/// Every tail point not already stored, by vessel then time (the first written of equal keys).
fn tail_points(conn: &Connection) -> Result<Vec<Point>> {
    let mut stmt =
        conn.prepare_cached("SELECT min_time_ms, data FROM position_tail ORDER BY seg")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, Vec<u8>>(1)?)))?;
    let mut all = Vec::new();
    for row in rows {
        let (min, data) = row?;
        let mut ctx = PointCtx::segment(min);
        let mut r = Reader::new(&data, "track");
        while !r.is_empty() {
            all.push(codec::decode_point(&mut ctx, &mut r, 0)?);
        }
    }
    all.sort_by_key(|(p, _)| (p.mmsi, p.time_ms)); // stable: earlier writes first
    all.dedup_by_key(|(p, _)| (p.mmsi, p.time_ms));
    let mut out = Vec::with_capacity(all.len());
    for group in all.chunk_by(|a, b| a.0.mmsi == b.0.mmsi) {
        let (first, last) = (group[0].0.time_ms, group[group.len() - 1].0.time_ms);
        let known = stored_times(conn, group[0].0.mmsi, first, last)?;
        out.extend(
            group
                .iter()
                .filter(|(p, _)| !known.contains(&p.time_ms))
                .cloned(),
        );
    }
    Ok(out)
}

/// Times of a vessel's chunked points in `[from, to]`.
fn stored_times(conn: &Connection, mmsi: u32, from: i64, to: i64) -> Result<HashSet<i64>> {
    let mut known = HashSet::new();
    for (p, _) in chunk_points(conn, mmsi, from, to)? {
        known.insert(p.time_ms);
    }
    Ok(known)
}

/// Points of a vessel's chunks that may overlap `[from, to]` (not filtered to it).
fn chunk_points(conn: &Connection, mmsi: u32, from: i64, to: i64) -> Result<Vec<Point>> {
    let mut stmt = conn.prepare_cached(
        "SELECT first_ms, data FROM position_chunks
         WHERE mmsi = ?1 AND last_ms BETWEEN ?2 AND ?3 AND first_ms <= ?4 ORDER BY first_ms",
    )?;
    // A chunk spans at most CHUNK_SPAN_MS, so one overlapping [from, to] ends by to + span.
    let hi = to.saturating_add(CHUNK_SPAN_MS);
    let rows = stmt.query_map(params![mmsi, from, hi, to], |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, Vec<u8>>(1)?))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (first, data) = row?;
        decode_chunk(first, &data, mmsi, &mut out)?;
    }
    Ok(out)
}

fn decode_chunk(first_ms: i64, data: &[u8], mmsi: u32, out: &mut Vec<Point>) -> Result<()> {
    let mut ctx = PointCtx::chunk(first_ms);
    let mut r = Reader::new(data, "track");
    while !r.is_empty() {
        out.push(codec::decode_point(&mut ctx, &mut r, mmsi)?);
    }
    Ok(())
}

/// Writes one vessel's points (ascending time, distinct) as chunks.
fn insert_chunks(conn: &Connection, mmsi: u32, points: &[Point]) -> Result<()> {
    let mut start = 0;
    while start < points.len() {
        let first = points[start].0.time_ms;
        let mut end = start + 1;
        while end < points.len()
            && end - start < CHUNK_MAX_POINTS
            && points[end].0.time_ms - first < CHUNK_SPAN_MS
        {
            end += 1;
        }
        let part = &points[start..end];
        let mut ctx = PointCtx::chunk(first);
        let mut data = Vec::with_capacity(part.len() * 12);
        for (p, s) in part {
            codec::encode_point(&mut ctx, p, *s, &mut data);
        }
        conn.prepare_cached(
            "INSERT INTO position_chunks (mmsi, first_ms, last_ms, points, data)
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )?
        .execute(params![
            mmsi,
            first,
            part[part.len() - 1].0.time_ms,
            part.len() as i64,
            data
        ])?;
        start = end;
    }
    Ok(())
}

/// Regroups the tail into per-vessel chunks.
pub fn seal(conn: &Connection) -> Result<()> {
    let points = tail_points(conn)?;
    for group in points.chunk_by(|a, b| a.0.mmsi == b.0.mmsi) {
        insert_chunks(conn, group[0].0.mmsi, group)?;
    }
    conn.prepare_cached("DELETE FROM position_tail")?
        .execute([])?;
    Ok(())
}

/// Moves v2's `positions` rows into chunks.
pub fn migrate_v2(tx: &Transaction<'_>) -> Result<()> {
    let mut ids = SourceIds::default();
    let mut stmt = tx.prepare(
        "SELECT mmsi, time_ms, lat, lon, sog_kn, cog_deg, heading_deg, nav_status, source
         FROM positions ORDER BY mmsi, time_ms",
    )?;
    let mut rows = stmt.query([])?;
    let mut group: Vec<Point> = Vec::new();
    while let Some(r) = rows.next()? {
        let source: Option<String> = r.get(8)?;
        let p = PositionRecord {
            mmsi: r.get(0)?,
            time_ms: r.get(1)?,
            lat: r.get(2)?,
            lon: r.get(3)?,
            sog_kn: r.get(4)?,
            cog_deg: r.get(5)?,
            heading_deg: r.get(6)?,
            nav_status: r.get(7)?,
            source: None,
        };
        if group.last().is_some_and(|(q, _)| q.mmsi != p.mmsi) {
            insert_chunks(tx, group[0].0.mmsi, &group)?;
            group.clear();
        }
        let id = match source {
            Some(s) => Some(ids.id(tx, &s)?),
            None => None,
        };
        group.push((p, id));
    }
    if let Some((p, _)) = group.first() {
        insert_chunks(tx, p.mmsi, &group)?;
    }
    Ok(())
}

fn with_names(names: &HashMap<i64, String>, (mut p, s): Point) -> PositionRecord {
    p.source = s.and_then(|s| names.get(&s).cloned());
    p
}

/// Tail segments indexed by vessel, shared by the read connections of one store.
///
/// A tail row never changes once written, and its `seg` is never used again after the row is
/// sealed away (`AUTOINCREMENT` since schema v5), so a segment indexed once serves every later
/// read until it is sealed: a track read then decodes only its vessel's points of the tail
/// instead of every point of every vessel.
#[derive(Debug, Default)]
pub struct TailCache {
    segs: Mutex<HashMap<i64, Arc<Segment>>>,
}

/// One tail row, with where each vessel's points start in it.
#[derive(Debug)]
struct Segment {
    data: Box<[u8]>,
    /// Runs of consecutive points of one vessel, by MMSI (stable: runs of one vessel in write
    /// order).
    runs: Vec<Run>,
}

/// Consecutive points of one vessel in a segment: bytes `start..end`, decoded from `ctx`.
#[derive(Debug)]
struct Run {
    mmsi: u32,
    start: usize,
    end: usize,
    ctx: PointCtx,
}

impl Segment {
    /// Indexes a tail row (decoding it once: a corrupt row fails here, as a full read would).
    fn index(min_ms: i64, data: Vec<u8>) -> Result<Self> {
        let mut runs: Vec<Run> = Vec::new();
        let mut ctx = PointCtx::segment(min_ms);
        let mut r = Reader::new(&data, "track");
        while !r.is_empty() {
            let (start, before) = (r.position(), ctx);
            let (p, _) = codec::decode_point(&mut ctx, &mut r, 0)?;
            let end = r.position();
            match runs.last_mut() {
                Some(run) if run.mmsi == p.mmsi => run.end = end,
                _ => runs.push(Run {
                    mmsi: p.mmsi,
                    start,
                    end,
                    ctx: before,
                }),
            }
        }
        runs.sort_by_key(|run| run.mmsi);
        runs.shrink_to_fit();
        Ok(Self {
            data: data.into_boxed_slice(),
            runs,
        })
    }

    /// Appends the points of `mmsi`, in write order.
    fn points_of(&self, mmsi: u32, out: &mut Vec<Point>) -> Result<()> {
        let first = self.runs.partition_point(|run| run.mmsi < mmsi);
        for run in self.runs[first..].iter().take_while(|run| run.mmsi == mmsi) {
            let mut ctx = run.ctx;
            let mut r = Reader::new(&self.data[run.start..run.end], "track");
            while !r.is_empty() {
                out.push(codec::decode_point(&mut ctx, &mut r, 0)?);
            }
        }
        Ok(())
    }
}

impl TailCache {
    /// Appends the tail points of `mmsi` in rows that may overlap `[from, to]`, rows in write
    /// order; indexes the rows not seen before and forgets the ones sealed away.
    fn points_of(
        &self,
        conn: &Connection,
        mmsi: u32,
        from: i64,
        to: i64,
        out: &mut Vec<Point>,
    ) -> Result<()> {
        let oldest: Option<i64> = conn
            .prepare_cached("SELECT MIN(seg) FROM position_tail")?
            .query_row([], |r| r.get(0))?;
        // Every row below the oldest one left was sealed: its seg will never come back.
        self.lock()
            .retain(|seg, _| oldest.is_some_and(|o| *seg >= o));
        let mut stmt = conn.prepare_cached(
            "SELECT seg, min_time_ms FROM position_tail
             WHERE min_time_ms <= ?2 AND max_time_ms >= ?1 ORDER BY seg",
        )?;
        let rows = stmt.query_map(params![from, to], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?))
        })?;
        for row in rows {
            let (seg, min) = row?;
            let cached = self.lock().get(&seg).cloned();
            let segment = match cached {
                Some(s) => s,
                None => {
                    let data: Option<Vec<u8>> = conn
                        .prepare_cached("SELECT data FROM position_tail WHERE seg = ?1")?
                        .query_row([seg], |r| r.get(0))
                        .optional()?;
                    let Some(data) = data else { continue };
                    let s = Arc::new(Segment::index(min, data)?);
                    self.lock().insert(seg, s.clone());
                    s
                }
            };
            segment.points_of(mmsi, out)?;
        }
        Ok(())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<i64, Arc<Segment>>> {
        self.segs
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// Appends the tail points of `mmsi` in rows that may overlap `[from, to]`, decoding every row.
fn tail_points_of(
    conn: &Connection,
    mmsi: u32,
    from: i64,
    to: i64,
    out: &mut Vec<Point>,
) -> Result<()> {
    let mut stmt = conn.prepare_cached(
        "SELECT min_time_ms, data FROM position_tail
         WHERE min_time_ms <= ?2 AND max_time_ms >= ?1 ORDER BY seg",
    )?;
    let rows = stmt.query_map(params![from, to], |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, Vec<u8>>(1)?))
    })?;
    for row in rows {
        let (min, data) = row?;
        let mut ctx = PointCtx::segment(min);
        let mut r = Reader::new(&data, "track");
        while !r.is_empty() {
            let point = codec::decode_point(&mut ctx, &mut r, 0)?;
            if point.0.mmsi == mmsi {
                out.push(point);
            }
        }
    }
    Ok(())
}

/// The latest `limit` points of one vessel in `[from, to]`, ascending. With a `cache` (read-only
/// connections), the tail is read through it, and the whole read is one transaction: one
/// snapshot, so a seal committed meanwhile cannot hide the points it moves.
pub fn track(
    conn: &Connection,
    cache: Option<&TailCache>,
    mmsi: u32,
    from: i64,
    to: i64,
    limit: usize,
) -> Result<Vec<PositionRecord>> {
    if from > to || limit == 0 {
        return Ok(Vec::new());
    }
    let points = window(conn, cache, mmsi, from, to)?;
    let skip = points.len().saturating_sub(limit);
    let names = names::all(conn)?;
    Ok(points
        .into_iter()
        .skip(skip)
        .map(|p| with_names(&names, p))
        .collect())
}

/// Every point of one vessel in `[from, to]`, ascending, one per millisecond (the first
/// written), read in one snapshot when there is a `cache` (see [`track`]).
fn window(
    conn: &Connection,
    cache: Option<&TailCache>,
    mmsi: u32,
    from: i64,
    to: i64,
) -> Result<Vec<Point>> {
    let tx = match cache {
        Some(_) => Some(conn.unchecked_transaction()?),
        None => None,
    };
    let mut points = chunk_points(conn, mmsi, from, to)?;
    match cache {
        Some(c) => c.points_of(conn, mmsi, from, to, &mut points)?,
        None => tail_points_of(conn, mmsi, from, to, &mut points)?,
    }
    if let Some(tx) = tx {
        tx.finish()?;
    }
    points.retain(|(p, _)| (from..=to).contains(&p.time_ms));
    points.sort_by_key(|(p, _)| p.time_ms); // stable: chunks, then the tail in write order
    points.dedup_by_key(|(p, _)| p.time_ms);
    Ok(points)
}

/// A time at or before the first point of `mmsi` at or after `from`, itself at or after `from`;
/// `None` when the vessel has no point from `from` on. Chunks and tail rows overlapping `from`
/// give `from` itself (the caller then reads one more window).
fn next_time_bound(conn: &Connection, mmsi: u32, from: i64) -> Result<Option<i64>> {
    let chunk: Option<i64> = conn
        .prepare_cached(
            "SELECT MIN(MAX(first_ms, ?2)) FROM position_chunks WHERE mmsi = ?1 AND last_ms >= ?2",
        )?
        .query_row(params![mmsi, from], |r| r.get(0))?;
    // Tail rows hold every vessel: their times bound this vessel's from below.
    let tail: Option<i64> = conn
        .prepare_cached(
            "SELECT MIN(MAX(min_time_ms, ?1)) FROM position_tail WHERE max_time_ms >= ?1",
        )?
        .query_row([from], |r| r.get(0))?;
    Ok(match (chunk, tail) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    })
}

/// The earliest `limit` points of one vessel in `[from, to]`, ascending: read in windows of
/// [`CHUNK_SPAN_MS`] (a window holds at most a few thousand points of one vessel), skipping
/// the time with no point, until `limit` points are found.
pub fn track_page(
    conn: &Connection,
    cache: Option<&TailCache>,
    mmsi: u32,
    from: i64,
    to: i64,
    limit: usize,
) -> Result<Vec<PositionRecord>> {
    let mut points: Vec<Point> = Vec::new();
    let mut lo = from;
    while lo <= to && points.len() < limit {
        let hi = lo.saturating_add(CHUNK_SPAN_MS - 1).min(to);
        let found = window(conn, cache, mmsi, lo, hi)?;
        if found.is_empty() {
            let Some(hi_next) = hi.checked_add(1) else {
                break;
            };
            match next_time_bound(conn, mmsi, hi_next)? {
                Some(t) => lo = t,
                None => break,
            }
            continue;
        }
        points.extend(found);
        match hi.checked_add(1) {
            Some(next) => lo = next,
            None => break,
        }
    }
    points.truncate(limit);
    let names = names::all(conn)?;
    Ok(points.into_iter().map(|p| with_names(&names, p)).collect())
}

/// Vessels with a point in `[from, to]`, ascending.
pub fn tracked_vessels(
    conn: &Connection,
    cache: Option<&TailCache>,
    from: i64,
    to: i64,
) -> Result<Vec<u32>> {
    if from > to {
        return Ok(Vec::new());
    }
    let mut sure: HashSet<u32> = HashSet::new();
    let mut maybe: HashSet<u32> = HashSet::new();
    {
        let mut stmt = conn.prepare_cached(
            "SELECT DISTINCT mmsi, first_ms >= ?1 AND last_ms <= ?2 FROM position_chunks
             WHERE last_ms >= ?1 AND first_ms <= ?2",
        )?;
        let rows = stmt.query_map(params![from, to], |r| {
            Ok((r.get::<_, u32>(0)?, r.get::<_, bool>(1)?))
        })?;
        for row in rows {
            let (mmsi, inside) = row?;
            if inside {
                sure.insert(mmsi);
            } else {
                maybe.insert(mmsi);
            }
        }
    }
    // The tail's points in the window (a tail point duplicating a chunked one has its time).
    {
        let mut stmt = conn.prepare_cached(
            "SELECT min_time_ms, data FROM position_tail
             WHERE min_time_ms <= ?2 AND max_time_ms >= ?1 ORDER BY seg",
        )?;
        let rows = stmt.query_map(params![from, to], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, Vec<u8>>(1)?))
        })?;
        for row in rows {
            let (min, data) = row?;
            let mut ctx = PointCtx::segment(min);
            let mut r = Reader::new(&data, "track");
            while !r.is_empty() {
                let (p, _) = codec::decode_point(&mut ctx, &mut r, 0)?;
                if (from..=to).contains(&p.time_ms) {
                    sure.insert(p.mmsi);
                }
            }
        }
    }
    for mmsi in maybe {
        if !sure.contains(&mmsi) && !track_page(conn, cache, mmsi, from, to, 1)?.is_empty() {
            sure.insert(mmsi);
        }
    }
    let mut out: Vec<u32> = sure.into_iter().collect();
    out.sort_unstable();
    Ok(out)
}

/// Points stored (`O(tail)`: chunk counts plus the distinct tail points).
pub fn count(conn: &Connection) -> Result<u64> {
    let chunked: i64 = conn.query_row(
        "SELECT COALESCE(SUM(points), 0) FROM position_chunks",
        [],
        |r| r.get(0),
    )?;
    let chunked = u64::try_from(chunked).map_err(|_| StoreError::Corrupt {
        field: "position_chunks.points",
        value: chunked,
    })?;
    Ok(chunked + tail_points(conn)?.len() as u64)
}

/// Removes points with `time_ms < before_ms`: seals the tail, deletes whole chunks and rewrites
/// the ones holding points on both sides. Returns the points removed.
pub fn prune(conn: &mut Connection, before_ms: i64) -> Result<u64> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    seal(&tx)?;
    let mut removed: i64 = tx.query_row(
        "SELECT COALESCE(SUM(points), 0) FROM position_chunks WHERE last_ms < ?1",
        [before_ms],
        |r| r.get(0),
    )?;
    tx.execute(
        "DELETE FROM position_chunks WHERE last_ms < ?1",
        [before_ms],
    )?;
    let straddling: Vec<(i64, u32, i64, Vec<u8>)> = {
        let mut stmt =
            tx.prepare("SELECT id, mmsi, first_ms, data FROM position_chunks WHERE first_ms < ?1")?;
        let rows = stmt.query_map([before_ms], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    for (id, mmsi, first, data) in straddling {
        let mut points = Vec::new();
        decode_chunk(first, &data, mmsi, &mut points)?;
        let before = points.len();
        points.retain(|(p, _)| p.time_ms >= before_ms);
        if points.is_empty() {
            return Err(bad(format!(
                "chunk {id} has no point at or after its last_ms"
            )));
        }
        removed += (before - points.len()) as i64;
        tx.execute("DELETE FROM position_chunks WHERE id = ?1", [id])?;
        insert_chunks(&tx, mmsi, &points)?;
    }
    tx.commit()?;
    Ok(removed.max(0) as u64)
}
