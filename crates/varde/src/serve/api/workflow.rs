//! Working an alert: `POST /api/alerts/{id}/actions` (acknowledge, assign, comment, dismiss,
//! escalate), the alert's `workflow` in `/api/alerts/{id}` and `/api/alerts`, the dismissals export
//! `/api/alerts/dismissals`, and `/api/me` (who the map is open as).
//!
//! Actions are written by their own store connection ([`ActionDesk`]), one short `IMMEDIATE`
//! transaction each, not through the batch writer: an officer waits for the answer, the writer
//! queue may be seconds deep under load, and SQLite serialises the two writers (a busy wait of up
//! to 5 s covers the writer's batches). An API node of a cluster with `--store` keeps them in the
//! shared PostgreSQL instead (`varde_pg`), so every operations centre sees every decision. Only operator and admin accounts act; viewers get 403,
//! partners never see workflow nor reach these endpoints.

use super::auth::Operator;
use super::error::AppError;
use super::extract::{Path, Query};
use super::{with_history, AppState};
use crate::serve::share::Caller;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use serde::Deserialize;
use serde_json::{json, Value};
use std::path::PathBuf;
use std::sync::Mutex;
use varde_store::{ActionError, ActionKind, AlertAction, SqliteStore, Workflow, Workflows};

/// The store connection actions are written through, opened at the first action.
pub struct ActionDesk {
    to: Desk,
    conn: Mutex<Option<Box<dyn Workflows>>>,
}

/// Where an [`ActionDesk`] writes.
#[derive(Debug)]
enum Desk {
    /// Nowhere: actions are refused (tests without a store file).
    Nowhere,
    /// The service's SQLite store in this directory.
    Sqlite(PathBuf),
    /// A cluster's shared PostgreSQL (URL, schema).
    Postgres(String, Option<String>),
}

impl std::fmt::Debug for ActionDesk {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ActionDesk")
            .field("to", &self.to)
            .finish_non_exhaustive()
    }
}

impl ActionDesk {
    /// Actions go to the store in `dir` (`None`: refused, for tests without a store file).
    pub fn new(dir: Option<PathBuf>) -> Self {
        Self {
            to: dir.map_or(Desk::Nowhere, Desk::Sqlite),
            conn: Mutex::new(None),
        }
    }

    /// Actions go to the PostgreSQL database at `url` (Varde's tables in `schema` when given),
    /// shared by every API node of the cluster.
    pub fn postgres(url: String, schema: Option<String>) -> Self {
        Self {
            to: Desk::Postgres(url, schema),
            conn: Mutex::new(None),
        }
    }

    /// Records `a` (blocking: call off the async threads).
    fn record(&self, a: &AlertAction) -> Result<Workflow, ActionError> {
        let mut conn = self
            .conn
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if conn.is_none() {
            *conn = Some(match &self.to {
                Desk::Nowhere => return Err(ActionError::Store(varde_store::StoreError::ReadOnly)),
                Desk::Sqlite(dir) => Box::new(SqliteStore::open_for_actions(dir)?),
                Desk::Postgres(url, schema) => Box::new(match schema {
                    Some(s) => varde_pg::PgStore::connect_in(url, s)?,
                    None => varde_pg::PgStore::connect(url)?,
                }),
            });
        }
        let Some(c) = conn.as_mut() else {
            unreachable!("opened above")
        };
        c.record_action(a)
    }
}

/// A JSON error with the API's stable body, for the statuses `AppError` has no variant for.
fn status(code: StatusCode, name: &str, message: impl Into<String>) -> Response {
    let message: String = message.into();
    (
        code,
        Json(json!({ "error": { "code": name, "message": message } })),
    )
        .into_response()
}

fn forbidden(message: &str) -> Response {
    status(StatusCode::FORBIDDEN, "forbidden", message)
}

/// The body of `POST /api/alerts/{id}/actions`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ActionBody {
    action: String,
    to: Option<String>,
    text: Option<String>,
    reason: Option<String>,
}

/// `POST /api/alerts/{id}/actions`: records one action by the calling operator and answers the
/// alert's workflow after it (201).
pub async fn act(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    who: Option<Extension<Operator>>,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let who = match (&caller, who) {
        (Caller::Operator, Some(Extension(w))) if w.may_act() => w,
        (Caller::Operator, Some(Extension(w))) => {
            return forbidden(&format!(
                "{} is a {}: only operators and admins act on alerts",
                w.name,
                w.role.as_str()
            ))
        }
        _ => return forbidden("partners do not act on alerts"),
    };
    let b: ActionBody = match serde_json::from_slice(&body) {
        Ok(b) => b,
        Err(e) => {
            return AppError::BadRequest(format!(
                "body must be JSON {{\"action\": ..., \"to\"|\"text\"|\"reason\": ...}}: {e}"
            ))
            .into_response()
        }
    };
    let Some(kind) = ActionKind::parse(&b.action) else {
        return AppError::BadRequest(format!(
            "action must be ack, assign, comment, dismiss or escalate, got {:?}",
            b.action
        ))
        .into_response();
    };
    let (note, assignee) = match kind {
        ActionKind::Ack => (b.text, None),
        ActionKind::Assign => (b.text, b.to.map(|t| t.trim().to_owned())),
        ActionKind::Comment | ActionKind::Escalate => (b.text, None),
        ActionKind::Dismiss => (b.reason, None),
    };
    if let Some(to) = assignee.as_deref() {
        let names = state.operators.assignable();
        if !names.iter().any(|n| n == to) {
            return AppError::BadRequest(format!(
                "no operator {to:?} to assign to (known: {})",
                names.join(", ")
            ))
            .into_response();
        }
    }
    let action = AlertAction {
        alert_id: id.clone(),
        kind,
        by: who.name.to_string(),
        time_ms: crate::serve::source::now_ms(),
        note,
        assignee,
    };
    let desk = state.actions.clone();
    let done = tokio::task::spawn_blocking(move || desk.record(&action)).await;
    match done {
        Ok(Ok(_)) => {}
        Ok(Err(ActionError::NoAlert(_))) => {
            return AppError::NotFound(format!("no alert {id}")).into_response()
        }
        Ok(Err(ActionError::Invalid(why))) => return AppError::BadRequest(why).into_response(),
        Ok(Err(ActionError::Refused(why))) => return status(StatusCode::CONFLICT, "conflict", why),
        Ok(Err(e)) => return AppError::Internal(e.to_string()).into_response(),
        Err(e) => return AppError::Internal(e.to_string()).into_response(),
    }
    tracing::info!(alert = %id, action = kind.as_str(), by = %who.name, "alert action recorded");
    match history(&state, id).await {
        Ok(v) => (StatusCode::CREATED, Json(v)).into_response(),
        Err(e) => e.into_response(),
    }
}

/// The `workflow` object of alert `id`: state, assignee, escalated and the full history.
pub async fn history(state: &AppState, id: String) -> Result<Value, AppError> {
    let actions = with_history(state, move |s| s.alert_actions(&id)).await?;
    Ok(workflow_json(&actions))
}

/// `{state, assignee, escalated, history: [{action, by, at, text | reason | to}]}`.
pub fn workflow_json(actions: &[AlertAction]) -> Value {
    let mut wf = Workflow::default();
    let history: Vec<Value> = actions
        .iter()
        .map(|a| {
            wf.apply(a.kind, a.assignee.as_deref());
            let mut e = json!({
                "action": a.kind.as_str(),
                "by": a.by,
                "at": varde_ais::time::rfc3339_ms(a.time_ms),
            });
            if let Some(n) = &a.note {
                let key = if a.kind == ActionKind::Dismiss {
                    "reason"
                } else {
                    "text"
                };
                e[key] = n.as_str().into();
            }
            if let Some(to) = &a.assignee {
                e["to"] = to.as_str().into();
            }
            e
        })
        .collect();
    let mut v = summary_json(&wf);
    v["history"] = history.into();
    v
}

/// `{state, assignee, escalated}`.
fn summary_json(wf: &Workflow) -> Value {
    json!({
        "state": wf.state.as_str(),
        "assignee": wf.assignee,
        "escalated": wf.escalated,
    })
}

/// Adds `workflow` (state, assignee, escalated) to each alert of a list, for operators only.
pub async fn annotate(
    state: &AppState,
    caller: &Caller,
    items: &mut [Value],
) -> Result<(), AppError> {
    if !matches!(caller, Caller::Operator) || items.is_empty() {
        return Ok(());
    }
    let ids: Vec<String> = items
        .iter()
        .filter_map(|v| v["id"].as_str().map(str::to_owned))
        .collect();
    let found = with_history(state, move |s| {
        let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
        s.workflows(&refs)
    })
    .await?;
    let none = Workflow::default();
    for v in items {
        let wf = v["id"]
            .as_str()
            .and_then(|id| found.get(id))
            .unwrap_or(&none);
        v["workflow"] = summary_json(wf);
    }
    Ok(())
}

/// `GET /api/me`: who the token is, and whom alerts may be assigned to.
pub async fn me(
    State(state): State<AppState>,
    who: Option<Extension<Operator>>,
    asked: Option<Extension<super::auth::PreviewAsked>>,
) -> Result<Json<Value>, AppError> {
    let Some(Extension(who)) = who else {
        return Err(AppError::Unauthorized);
    };
    let asked = asked.and_then(|Extension(a)| a.0);
    let preview = super::auth::preview_json(&state, asked.as_deref(), &who);
    Ok(Json(json!({
        "name": &*who.name,
        "role": who.role.as_str(),
        "may_act": who.may_act(),
        "operators": state.operators.assignable(),
        "partners": preview["partners"],
        "previewing": preview["previewing"],
    })))
}

/// Query of the dismissals export.
#[derive(Debug, Deserialize)]
pub struct ExportQuery {
    format: Option<String>,
}

/// `GET /api/alerts/dismissals?format=csv|jsonl|json`: every dismissal, oldest first, with the
/// alert's kind, severity and vessels, when, by whom and why; for detector tuning.
pub async fn dismissals(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Query(q): Query<ExportQuery>,
) -> Response {
    if !matches!(caller, Caller::Operator) {
        return forbidden("partners do not see dismissals");
    }
    let format = q.format.unwrap_or_else(|| "json".into());
    if !matches!(format.as_str(), "csv" | "jsonl" | "json") {
        return AppError::BadRequest(format!("format must be csv, jsonl or json, got {format:?}"))
            .into_response();
    }
    let rows = match with_history(&state, |s| s.dismissals()).await {
        Ok(r) => r,
        Err(e) => return e.into_response(),
    };
    let rows: Vec<Value> = rows.iter().map(dismissal_json).collect();
    match format.as_str() {
        "csv" => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"varde-dismissals.csv\"",
                ),
            ],
            to_csv(&rows),
        )
            .into_response(),
        "jsonl" => {
            let mut out = String::new();
            for r in &rows {
                out.push_str(&r.to_string());
                out.push('\n');
            }
            ([(header::CONTENT_TYPE, "application/x-ndjson")], out).into_response()
        }
        _ => Json(Value::Array(rows)).into_response(),
    }
}

/// The export columns, in order.
const COLUMNS: [&str; 9] = [
    "alert_id",
    "kind",
    "severity",
    "mmsi",
    "vessels",
    "alert_start",
    "dismissed_at",
    "by",
    "reason",
];

fn dismissal_json(d: &varde_store::Dismissal) -> Value {
    let alert: Value = d
        .alert_json
        .as_deref()
        .and_then(|j| serde_json::from_str(j).ok())
        .unwrap_or(Value::Null);
    let mut vessels: Vec<u64> = d.mmsi.map(u64::from).into_iter().collect();
    if let Some(related) = alert["related_mmsi"].as_array() {
        vessels.extend(related.iter().filter_map(Value::as_u64));
    }
    let mut seen = std::collections::HashSet::new();
    vessels.retain(|m| seen.insert(*m));
    json!({
        "alert_id": d.alert_id,
        "kind": d.kind,
        "severity": alert["severity"],
        "mmsi": d.mmsi,
        "vessels": vessels,
        "alert_start": alert["start"],
        "dismissed_at": varde_ais::time::rfc3339_ms(d.time_ms),
        "by": d.by,
        "reason": d.reason,
    })
}

/// RFC 4180 CSV of `rows` with [`COLUMNS`]; a vessel list is space-separated.
fn to_csv(rows: &[Value]) -> String {
    let mut out = COLUMNS.join(",");
    out.push_str("\r\n");
    for r in rows {
        let cells: Vec<String> = COLUMNS
            .iter()
            .map(|c| match &r[*c] {
                Value::Null => String::new(),
                Value::String(s) => s.clone(),
                Value::Array(a) => a.iter().map(Value::to_string).collect::<Vec<_>>().join(" "),
                other => other.to_string(),
            })
            .map(|cell| super::csv::cell(&cell))
            .collect();
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    }
    out
}
