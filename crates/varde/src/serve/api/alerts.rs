//! `/api/alerts` and `/api/alerts/{id}`: alerts as the engine emitted them.

use super::error::AppError;
use super::vessels::parse_time;
use super::{with_store, AppState};
use axum::extract::{Path, Query, State};
use axum::Json;
use serde::Deserialize;
use serde_json::Value;
use varde_store::{AlertFilter, AlertRecord, AlertState, Store};

/// Alert list query.
#[derive(Debug, Deserialize)]
pub struct ListQuery {
    kind: Option<String>,
    zone: Option<String>,
    mmsi: Option<u32>,
    from: Option<String>,
    to: Option<String>,
    /// `open`, `closed` or `all` (default).
    state: Option<String>,
    limit: Option<usize>,
}

/// Alerts, newest first.
pub async fn list(
    State(state): State<AppState>,
    Query(q): Query<ListQuery>,
) -> Result<Json<Value>, AppError> {
    let filter = list_filter(q)?;
    let alerts = with_store(&state, move |s| s.alerts(&filter)).await?;
    Ok(Json(Value::Array(
        alerts.iter().filter_map(alert_json).collect(),
    )))
}

/// The store filter a list query asks for.
pub fn list_filter(q: ListQuery) -> Result<AlertFilter, AppError> {
    let alert_state = match q.state.as_deref() {
        None | Some("all") => AlertState::All,
        Some("open") => AlertState::Open,
        Some("closed") => AlertState::Closed,
        Some(other) => {
            return Err(AppError::BadRequest(format!(
                "state must be open, closed or all, got {other:?}"
            )))
        }
    };
    let filter = AlertFilter {
        kind: q.kind,
        zone: q.zone,
        mmsi: q.mmsi,
        from_ms: q.from.as_deref().map(parse_time).transpose()?,
        to_ms: q.to.as_deref().map(parse_time).transpose()?,
        state: alert_state,
        limit: Some(q.limit.unwrap_or(1_000).min(10_000)),
    };
    Ok(filter)
}

/// One alert, with its revision count.
pub async fn one(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, AppError> {
    let key = id.clone();
    let a = with_store(&state, move |s| s.alert(&key)).await?;
    let a = a.ok_or_else(|| AppError::NotFound(format!("no alert {id}")))?;
    let mut v =
        alert_json(&a).ok_or_else(|| AppError::Internal("stored alert is not JSON".into()))?;
    v["revision"] = a.revision.into();
    Ok(Json(v))
}

fn alert_json(a: &AlertRecord) -> Option<Value> {
    serde_json::from_str(&a.json).ok()
}
