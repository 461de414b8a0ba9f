//! `/api/vessels`, `/api/vessels/{mmsi}`, `/api/vessels/{mmsi}/track`.

use super::error::AppError;
use super::{with_store, AppState};
use axum::extract::{Path, Query, State};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use varde_ais::time::rfc3339_ms;
use varde_store::{BBox, PositionRecord, Store, VesselFilter, VesselRecord};

/// Query of the vessel list.
#[derive(Debug, Deserialize)]
pub struct ListQuery {
    /// `minlon,minlat,maxlon,maxlat`.
    bbox: Option<String>,
    /// Only vessels seen at or after this time (RFC 3339 or unix ms).
    since: Option<String>,
    /// Most vessels returned (default 20,000).
    limit: Option<usize>,
}

/// Vessels, latest state first by MMSI.
pub async fn list(
    State(state): State<AppState>,
    Query(q): Query<ListQuery>,
) -> Result<Json<Value>, AppError> {
    let filter = VesselFilter {
        bbox: q.bbox.as_deref().map(parse_bbox).transpose()?,
        since_ms: q.since.as_deref().map(parse_time).transpose()?,
        limit: Some(q.limit.unwrap_or(20_000).min(100_000)),
    };
    let vessels = with_store(&state, move |s| s.vessels(&filter)).await?;
    Ok(Json(Value::Array(
        vessels.iter().map(|v| vessel_json(v, false)).collect(),
    )))
}

/// One vessel with its static data.
pub async fn one(
    State(state): State<AppState>,
    Path(mmsi): Path<u32>,
) -> Result<Json<Value>, AppError> {
    let v = with_store(&state, move |s| s.vessel(mmsi)).await?;
    let v = v.ok_or_else(|| AppError::NotFound(format!("no vessel {mmsi}")))?;
    Ok(Json(vessel_json(&v, true)))
}

/// Query of a track.
#[derive(Debug, Deserialize)]
pub struct TrackQuery {
    from: Option<String>,
    to: Option<String>,
    limit: Option<usize>,
}

/// A vessel's track as a GeoJSON LineString with `properties.times`.
pub async fn track(
    State(state): State<AppState>,
    Path(mmsi): Path<u32>,
    Query(q): Query<TrackQuery>,
) -> Result<Json<Value>, AppError> {
    let from = q
        .from
        .as_deref()
        .map(parse_time)
        .transpose()?
        .unwrap_or(i64::MIN);
    let to =
        q.to.as_deref()
            .map(parse_time)
            .transpose()?
            .unwrap_or(i64::MAX);
    let limit = q.limit.unwrap_or(5_000).min(100_000);
    let points: Vec<PositionRecord> =
        with_store(&state, move |s| s.track(mmsi, from, to, limit)).await?;
    let coords: Vec<Value> = points.iter().map(|p| json!([p.lon, p.lat])).collect();
    let times: Vec<String> = points.iter().map(|p| rfc3339_ms(p.time_ms)).collect();
    Ok(Json(json!({
        "type": "Feature",
        "geometry": { "type": "LineString", "coordinates": coords },
        "properties": { "mmsi": mmsi, "times": times, "sog": points.iter().map(|p| p.sog_kn).collect::<Vec<_>>() },
    })))
}

fn vessel_json(v: &VesselRecord, detail: bool) -> Value {
    let mut o = json!({
        "mmsi": v.mmsi, "name": v.name, "callsign": v.callsign, "imo": v.imo, "flag": v.flag,
        "ship_type": v.ship_type, "ship_type_text": v.ship_type.map(varde_ais::gpsd::tables::ship_type),
        "lat": v.lat, "lon": v.lon, "sog": v.sog_kn, "cog": v.cog_deg, "heading": v.heading_deg,
        "nav_status": v.nav_status, "last_seen": rfc3339_ms(v.last_seen_ms),
    });
    if detail {
        o["length_m"] = json!(v.length_m);
        o["beam_m"] = json!(v.beam_m);
        o["draught_m"] = json!(v.draught_m);
        o["destination"] = json!(v.destination);
    }
    o
}

fn parse_bbox(s: &str) -> Result<BBox, AppError> {
    let v: Vec<f64> = s
        .split(',')
        .map(|x| x.trim().parse::<f64>())
        .collect::<Result<_, _>>()
        .map_err(|_| bad_bbox(s))?;
    match v[..] {
        [min_lon, min_lat, max_lon, max_lat] if min_lat <= max_lat && min_lon <= max_lon => {
            Ok(BBox {
                min_lat,
                min_lon,
                max_lat,
                max_lon,
            })
        }
        _ => Err(bad_bbox(s)),
    }
}

fn bad_bbox(s: &str) -> AppError {
    AppError::BadRequest(format!(
        "bbox must be minlon,minlat,maxlon,maxlat, got {s:?}"
    ))
}

/// Parses RFC 3339 UTC (`2024-12-25T10:03:00Z`, optional fraction) or unix ms.
pub fn parse_time(s: &str) -> Result<i64, AppError> {
    if let Ok(ms) = s.parse::<i64>() {
        return Ok(ms);
    }
    parse_rfc3339(s).ok_or_else(|| {
        AppError::BadRequest(format!("time must be RFC 3339 UTC or unix ms, got {s:?}"))
    })
}

fn parse_rfc3339(s: &str) -> Option<i64> {
    let s = s.strip_suffix('Z')?;
    let (date, time) = s.split_once('T')?;
    let mut d = date.split('-').map(|x| x.parse::<i64>().ok());
    let (y, m, day) = (d.next()??, d.next()??, d.next()??);
    let (hms, frac) = time.split_once('.').unwrap_or((time, "0"));
    let mut t = hms.split(':').map(|x| x.parse::<i64>().ok());
    let (h, mi, sec) = (t.next()??, t.next()??, t.next()??);
    let ms = format!("{frac:0<3}")[..3].parse::<i64>().ok()?;
    if !(1..=12).contains(&m) || !(1..=31).contains(&day) {
        return None;
    }
    let days = varde_ais::time::days_from_civil(y, m as u32, day as u32);
    Some(((days * 24 + h) * 60 + mi) * 60_000 + sec * 1000 + ms)
}
