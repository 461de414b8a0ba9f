//! `/api/incidents`: the stored alerts grouped into incidents (same vessel or pair and place within a
//! window), newest first, so one drifting ship is one line on the officer's list.

use super::alerts::{list_filter, ListQuery};
use super::error::AppError;
use super::extract::Query;
use super::{with_store, AppState};
use axum::extract::State;
use axum::Json;
use serde_json::Value;
use varde_store::Store;

/// Incidents of the alerts the query selects (same parameters as `/api/alerts`), newest first.
pub async fn list(
    State(state): State<AppState>,
    Query(q): Query<ListQuery>,
) -> Result<Json<Value>, AppError> {
    let filter = list_filter(q)?;
    let alerts = with_store(&state, move |s| s.alerts(&filter)).await?;
    let parsed: Vec<Value> = alerts
        .iter()
        .filter_map(|a| serde_json::from_str(&a.json).ok())
        .collect();
    let mut incidents = crate::incidents::group(&parsed);
    incidents.reverse();
    Ok(Json(Value::Array(incidents)))
}
