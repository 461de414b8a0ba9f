//! `/api/vessels`, `/api/vessels/{mmsi}`, `/api/vessels/{mmsi}/track`.

use super::error::AppError;
use super::extract::{Path, Query};
use super::params;
use super::{with_store, AppState};
use axum::extract::State;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use varde_ais::time::rfc3339_ms;
use varde_store::{PositionRecord, Store, VesselFilter, VesselRecord};

/// Query of the vessel list.
#[derive(Debug, Deserialize)]
pub struct ListQuery {
    /// `minlon,minlat,maxlon,maxlat`.
    bbox: Option<String>,
    /// Only vessels seen at or after this time (RFC 3339 or unix ms).
    since: Option<String>,
    /// Most vessels returned (default 20,000, at most 100,000).
    limit: Option<String>,
}

/// Vessels, latest state first by MMSI.
pub async fn list(
    State(state): State<AppState>,
    Query(q): Query<ListQuery>,
) -> Result<Json<Value>, AppError> {
    let filter = VesselFilter {
        bbox: q.bbox.as_deref().map(params::bbox).transpose()?,
        since_ms: params::opt_time("since", q.since.as_deref())?,
        limit: Some(params::limit(q.limit.as_deref(), 20_000, 100_000)?),
    };
    let vessels = with_store(&state, move |s| s.vessels(&filter)).await?;
    Ok(Json(Value::Array(
        vessels.iter().map(|v| vessel_json(v, false)).collect(),
    )))
}

/// One vessel with its static data.
pub async fn one(
    State(state): State<AppState>,
    Path(mmsi): Path<String>,
) -> Result<Json<Value>, AppError> {
    let mmsi = params::mmsi(&mmsi)?;
    let v = with_store(&state, move |s| s.vessel(mmsi)).await?;
    let v = v.ok_or_else(|| AppError::NotFound(format!("no vessel {mmsi}")))?;
    Ok(Json(vessel_json(&v, true)))
}

/// Query of a track.
#[derive(Debug, Deserialize)]
pub struct TrackQuery {
    from: Option<String>,
    to: Option<String>,
    limit: Option<String>,
}

/// A vessel's track as a GeoJSON LineString with `properties.times`.
pub async fn track(
    State(state): State<AppState>,
    Path(mmsi): Path<String>,
    Query(q): Query<TrackQuery>,
) -> Result<Json<Value>, AppError> {
    let mmsi = params::mmsi(&mmsi)?;
    let (from, to) = params::range(q.from.as_deref(), q.to.as_deref())?;
    let (from, to) = (from.unwrap_or(i64::MIN), to.unwrap_or(i64::MAX));
    let limit = params::limit(q.limit.as_deref(), 5_000, 100_000)?;
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
