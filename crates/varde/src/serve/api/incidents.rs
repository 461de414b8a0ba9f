//! `/api/incidents`: the stored alerts grouped into incidents (same vessel or pair and place within a
//! window), newest first, so one drifting ship is one line on the officer's list.

use super::alerts::{list_filter, ListQuery};
use super::error::AppError;
use super::extract::Query;
use super::{with_history, AppState};
use crate::serve::share::{self, Caller};
use axum::extract::State;
use axum::Extension;
use axum::Json;
use serde_json::Value;

/// Incidents of the alerts the query selects (same parameters as `/api/alerts`), newest first.
pub async fn list(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Query(q): Query<ListQuery>,
) -> Result<Json<Value>, AppError> {
    let filter = list_filter(q)?;
    let alerts = with_history(&state, move |s| s.alerts(&filter)).await?;
    // Grouped, labelled with the join of their alerts' labels, filtered for the caller.
    Ok(Json(Value::Array(share::api::incident_items(
        &state.share,
        &caller,
        &alerts,
    ))))
}
