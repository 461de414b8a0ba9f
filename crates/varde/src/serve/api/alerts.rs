//! `/api/alerts` and `/api/alerts/{id}`: alerts as the engine emitted them.

use super::error::AppError;
use super::evidence;
use super::extract::{Path, Query};
use super::params;
use super::{with_history, AppState};
use crate::serve::share::{self, Caller};
use axum::extract::State;
use axum::Extension;
use axum::Json;
use serde::Deserialize;
use serde_json::Value;
use varde_store::{AlertFilter, AlertState};

/// Alert list query.
#[derive(Debug, Deserialize)]
pub struct ListQuery {
    kind: Option<String>,
    zone: Option<String>,
    mmsi: Option<String>,
    /// Only alerts about this asset (its name).
    asset: Option<String>,
    /// Only these severities, comma-separated (`high,medium`).
    severity: Option<String>,
    from: Option<String>,
    to: Option<String>,
    /// `open`, `closed` or `all` (default).
    state: Option<String>,
    /// Most alerts (default 1,000, at most 10,000).
    limit: Option<String>,
}

/// Alerts, newest first.
pub async fn list(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Query(q): Query<ListQuery>,
) -> Result<Json<Value>, AppError> {
    let filter = list_filter(q)?;
    let alerts = with_history(&state, move |s| s.alerts(&filter)).await?;
    let mut items = share::api::alert_items(&state.share, &caller, &alerts);
    super::workflow::annotate(&state, &caller, &mut items).await?;
    Ok(Json(Value::Array(items)))
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
    let (from_ms, to_ms) = params::range(q.from.as_deref(), q.to.as_deref())?;
    let severity = match q.severity.as_deref() {
        None | Some("") => Vec::new(),
        Some(list) => list
            .split(',')
            .map(|s| match s.trim() {
                s @ ("info" | "low" | "medium" | "high") => Ok(s.to_owned()),
                other => Err(AppError::BadRequest(format!(
                    "severity must be info, low, medium or high (comma-separated), got {other:?}"
                ))),
            })
            .collect::<Result<_, _>>()?,
    };
    let filter = AlertFilter {
        mmsi: params::opt_mmsi(q.mmsi.as_deref())?,
        asset: q.asset,
        severity,
        limit: Some(params::limit(q.limit.as_deref(), 1_000, 10_000)?),
        kind: q.kind,
        zone: q.zone,
        from_ms,
        to_ms,
        state: alert_state,
    };
    Ok(filter)
}

/// One alert, with its revision count and its evidence decoded (`evidence::decode`).
pub async fn one(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
) -> Result<Json<Value>, AppError> {
    let key = id.clone();
    let a = with_history(&state, move |s| s.alert(&key)).await?;
    let a = a.ok_or_else(|| AppError::NotFound(format!("no alert {id}")))?;
    let mut v = share::api::alert_items(&state.share, &caller, std::slice::from_ref(&a))
        .pop()
        .ok_or_else(|| AppError::NotFound(format!("no alert {id}")))?;
    v["revision"] = a.revision.into();
    if matches!(caller, Caller::Operator) {
        v["workflow"] = super::workflow::history(&state, id).await?;
    }
    // Decoded from what the caller may see (after redaction); evidence is capped to a few lines.
    let decoded = match v["evidence"].as_array() {
        Some(lines) => evidence::decode(lines.iter().filter_map(Value::as_str)),
        None => Vec::new(),
    };
    v["evidence_decoded"] = Value::Array(decoded);
    Ok(Json(v))
}
