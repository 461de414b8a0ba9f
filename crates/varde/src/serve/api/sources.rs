//! `/api/sources`: health of each input feed.

use super::AppState;
use axum::extract::State;
use axum::Json;
use serde_json::{json, Value};
use std::sync::atomic::Ordering;

/// Every source with its state and counters.
pub async fn list(State(state): State<AppState>) -> Json<Value> {
    let v: Vec<Value> = state
        .sources
        .iter()
        .map(|h| {
            let last = h.last_line_ms.load(Ordering::Relaxed);
            json!({
                "name": h.name, "kind": h.kind, "state": h.state().as_str(),
                "lines": h.lines.load(Ordering::Relaxed),
                "reports": h.reports.load(Ordering::Relaxed),
                "rejects": h.rejects.load(Ordering::Relaxed),
                "dropped": h.dropped.load(Ordering::Relaxed),
                "connect_failures": h.failures.load(Ordering::Relaxed),
                "connects": h.connects.load(Ordering::Relaxed),
                "stale": h.stale.load(Ordering::Relaxed),
                "overlong": h.overlong.load(Ordering::Relaxed),
                "kernel_drops": h.kernel_drops.load(Ordering::Relaxed),
                "last_report": (last > 0).then(|| varde_ais::time::rfc3339_ms(last)),
            })
        })
        .collect();
    Json(Value::Array(v))
}
