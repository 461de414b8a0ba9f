//! `/api/vessels`, `/api/vessels/{mmsi}`, `/api/vessels/{mmsi}/track`.

use super::error::AppError;
use super::extract::{Path, Query};
use super::params;
use super::{with_history, AppState};
use crate::serve::share::{self, Caller};
use crate::serve::view;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use varde_ais::message::units::decoded_precision;
use varde_ais::time::rfc3339_ms;
use varde_store::PositionRecord;

/// Query of the vessel list.
#[derive(Debug, Deserialize)]
pub struct ListQuery {
    /// `minlon,minlat,maxlon,maxlat`.
    bbox: Option<String>,
    /// Only vessels seen at or after this time (RFC 3339 or unix ms).
    since: Option<String>,
    /// Most vessels in the page (default 20,000, at most 100,000).
    limit: Option<String>,
    /// Only MMSIs above this one: the cursor of the next page.
    after: Option<String>,
}

/// Vessels by MMSI ascending, from the in-memory view, one page at a time: when more vessels
/// match, a `Link: <...>; rel="next"` header gives the next page's address.
pub async fn list(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    let query = view::Query {
        bbox: q.bbox.as_deref().map(params::bbox).transpose()?,
        since_ms: params::opt_time("since", q.since.as_deref())?,
        after: q.after.as_deref().map(params::mmsi).transpose()?,
        limit: params::limit(q.limit.as_deref(), 20_000, 100_000)?,
    };
    let (view, share) = (state.view.clone(), state.share.clone());
    let (body, next) = if matches!(caller, Caller::Operator) {
        // Operators showing the same viewport reuse the page of the view's current state
        // (`api::pages`), else share one computed after their request arrived. (A partner's page
        // is its own: filtered, redacted and audited per release.)
        let key = format!("{query:?}");
        let lists = state.lists.clone();
        let now = share::api::page_state(&view, &share);
        match lists.kept.get(&key, now) {
            Some(page) => page,
            None => {
                let (page, computed) = lists
                    .running
                    .run(key.clone(), || async move {
                        tokio::task::spawn_blocking(move || {
                            let (body, next, computed) = share::api::vessel_page(
                                &view,
                                &share,
                                &Caller::Operator,
                                &query,
                                "api",
                            );
                            ((Bytes::from(body), next), computed)
                        })
                        .await
                        .map_err(|e| AppError::Internal(e.to_string()))
                    })
                    .await?;
                lists.kept.put(key, computed, page.clone());
                page
            }
        }
    } else {
        let (body, next, _) = tokio::task::spawn_blocking(move || {
            share::api::vessel_page(&view, &share, &caller, &query, "api")
        })
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?;
        (Bytes::from(body), next)
    };
    let mut resp = ([(header::CONTENT_TYPE, "application/json")], body).into_response();
    if let Some(after) = next {
        let link = format!("<{}>; rel=\"next\"", next_page(&q, after));
        if let Ok(v) = HeaderValue::from_str(&link) {
            resp.headers_mut().insert(header::LINK, v);
        }
    }
    Ok(resp)
}

/// The address of the page after `after`, with the same filters.
fn next_page(q: &ListQuery, after: u32) -> String {
    let mut url = format!("/api/vessels?after={after}");
    for (name, value) in [("bbox", &q.bbox), ("since", &q.since), ("limit", &q.limit)] {
        if let Some(v) = value {
            url.push('&');
            url.push_str(name);
            url.push('=');
            url.push_str(&percent_encode(v));
        }
    }
    url
}

/// A query value with everything but RFC 3986's unreserved characters and `,` percent-encoded.
fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~,".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// One vessel with its static data, from the in-memory view.
pub async fn one(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(mmsi): Path<String>,
) -> Result<Response, AppError> {
    let mmsi = params::mmsi(&mmsi)?;
    let v = state
        .view
        .get(mmsi)
        .and_then(|v| share::api::vessel_one(&state.share, &caller, &v))
        .ok_or_else(|| AppError::NotFound(format!("no vessel {mmsi}")))?;
    let body = serde_json::to_vec(&v).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(([(header::CONTENT_TYPE, "application/json")], body).into_response())
}

/// Query of a track.
#[derive(Debug, Deserialize)]
pub struct TrackQuery {
    from: Option<String>,
    to: Option<String>,
    limit: Option<String>,
}

/// A vessel's track as a GeoJSON Feature with `properties.times` (and `sog`, one per position):
/// a LineString of two or more positions, a Point of one, and a `null` geometry (an unlocated
/// Feature, RFC 7946 §3.2) when there is none.
pub async fn track(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(mmsi): Path<String>,
    Query(q): Query<TrackQuery>,
) -> Result<Json<Value>, AppError> {
    let mmsi = params::mmsi(&mmsi)?;
    let (from, to) = params::range(q.from.as_deref(), q.to.as_deref())?;
    let (from, to) = (from.unwrap_or(i64::MIN), to.unwrap_or(i64::MAX));
    let limit = params::limit(q.limit.as_deref(), 5_000, 100_000)?;
    let points: Vec<PositionRecord> =
        with_history(&state, move |s| s.track(mmsi, from, to, limit)).await?;
    let (points, label) = share::api::track(&state.share, &caller, mmsi, points);
    let times: Vec<String> = points.iter().map(|p| rfc3339_ms(p.time_ms)).collect();
    let sog: Vec<Option<f64>> = points
        .iter()
        .map(|p| p.sog_kn.map(decoded_precision))
        .collect();
    Ok(Json(json!({
        "type": "Feature",
        "geometry": track_geometry(&points),
        "properties": { "mmsi": mmsi, "times": times, "sog": sog, "label": label },
    })))
}

/// The GeoJSON geometry of a track's positions: a LineString needs two or more (RFC 7946
/// §3.1.4), so one position is a Point and none is `null`.
fn track_geometry(points: &[PositionRecord]) -> Value {
    match points {
        [] => Value::Null,
        [p] => json!({ "type": "Point", "coordinates": [p.lon, p.lat] }),
        _ => {
            let coords: Vec<Value> = points.iter().map(|p| json!([p.lon, p.lat])).collect();
            json!({ "type": "LineString", "coordinates": coords })
        }
    }
}
