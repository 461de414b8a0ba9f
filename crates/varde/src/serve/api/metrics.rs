//! `/metrics` (Prometheus text format) and `/healthz`.

use super::AppState;
use crate::serve::metrics::Counter;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use std::fmt::Write;
use std::sync::atomic::Ordering;

/// Liveness: no token needed. 503 with the reason while degraded (store
/// writes failing).
pub async fn healthz(State(state): State<AppState>) -> axum::response::Response {
    match state.metrics.degraded() {
        None => "ok\n".into_response(),
        Some(reason) => (
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            format!("degraded: {reason}\n"),
        )
            .into_response(),
    }
}

/// Every counter, rejects by cause, alerts by kind, per-source state, the HTTP listener's
/// connections, process metrics and build information.
pub async fn prometheus(State(state): State<AppState>) -> impl IntoResponse {
    let m = &state.metrics;
    let mut s = String::new();
    for c in Counter::ALL {
        let (name, kind, help) = c.describe();
        let _ = writeln!(
            s,
            "# HELP {name} {help}\n# TYPE {name} {kind}\n{name} {}",
            m.get(c)
        );
    }
    let _ = writeln!(s, "# HELP varde_rejects_total Lines or payloads rejected, by cause.\n# TYPE varde_rejects_total counter");
    if let Ok(r) = m.rejects.lock() {
        for (cause, n) in r.iter() {
            let _ = writeln!(s, "varde_rejects_total{{cause=\"{cause}\"}} {n}");
        }
    }
    let _ = writeln!(
        s,
        "# HELP varde_alerts_total Alerts raised, by kind.\n# TYPE varde_alerts_total counter"
    );
    if let Ok(a) = m.alerts.lock() {
        for (kind, n) in a.iter() {
            let _ = writeln!(s, "varde_alerts_total{{kind=\"{kind}\"}} {n}");
        }
    }
    let _ = writeln!(
        s,
        "# HELP varde_source_up 1 when the source is receiving.\n# TYPE varde_source_up gauge"
    );
    for h in state.sources.iter() {
        let up = u8::from(h.state() == crate::serve::source::SourceState::Up);
        let _ = writeln!(
            s,
            "varde_source_up{{source=\"{}\",kind=\"{}\"}} {up}",
            h.name, h.kind
        );
    }
    let _ = writeln!(s, "# HELP varde_source_lines_total Lines received, by source.\n# TYPE varde_source_lines_total counter");
    for h in state.sources.iter() {
        let _ = writeln!(
            s,
            "varde_source_lines_total{{source=\"{}\"}} {}",
            h.name,
            h.lines.load(Ordering::Relaxed)
        );
    }
    m.render_extra(&mut s, &state.sources);
    state.live.render(&mut s);
    state.share.render(&mut s);
    state.http.render(&mut s);
    state.lists.kept.render(&mut s);
    super::process::render(&mut s);
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], s)
}
