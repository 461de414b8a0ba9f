//! The HTTP API and web map: `fn app(state) -> Router`, so tests can call it
//! without a socket.
//!
//! # Layout
//! - `auth`: bearer token check (header, `access_token`/`token` query, or
//!   the cookie the map gets when opened with `?token=`).
//! - `error`: one `AppError` with a stable JSON body.
//! - `extract`: `Query` and `Path` extractors whose rejections are that body.
//! - `params`: parsing and range checks of query values (times, bbox, MMSI, limits).
//! - `evidence`: an alert's evidence sentences decoded for `/api/alerts/{id}`.
//! - `vessels`, `alerts`, `layers`, `sources`, `status`: JSON resources; the vessels come from the
//!   in-memory view (`serve::view`), the rest from a pool of store readers (`pool`).
//! - `pool`: read-only store connections, one request at a time each.
//! - `coalesce`: identical vessel-list requests share one answer computed after they arrived.
//! - `pages`: operator vessel pages kept for the view revision and labels they were computed
//!   from, reused by identical requests until either changes.
//! - `search`: find a vessel by MMSI, IMO, name or call sign (from the view).
//! - `arrivals`: vessels bound for Norway near the contiguous zone (JSON and CSV).
//! - `stream`: Server-Sent Events of positions and alerts.
//! - `metrics`: Prometheus text and `/healthz`; `process`: process and build-info metrics.
//! - `web`: the bundled web map and the OpenAPI description.
//! - `workflow`: working an alert (actions by named operators, their history, the dismissals
//!   export) and `/api/me`.

mod alerts;
mod arrivals;
mod auth;
mod coalesce;
mod csv;
mod error;
mod evidence;
mod extract;
mod history;
mod incidents;
mod layers;
mod metrics;
mod pages;
mod params;
mod pool;
mod process;
mod search;
mod sources;
mod status;
mod stream;
mod vessels;
mod web;
mod workflow;

#[cfg(test)]
mod tests;

pub use auth::{hash_token, Operators};
pub use history::{with_history, History};
pub use layers::Layers;
pub use pool::ReadPool;
pub use status::RunInfo;
pub use workflow::ActionDesk;

use super::live::LiveBus;
use super::metrics::Metrics;
use super::source::SourceHealth;
use axum::routing::{get, post};
use axum::Router;
use std::sync::Arc;

/// Shared state of the API. Vessels are answered from the in-memory view; tracks, alerts and
/// incidents from a pool of read connections, each used inside `spawn_blocking` (never across an
/// `.await`): SQLite calls block, and WAL readers run side by side next to the writer.
#[derive(Clone)]
pub struct AppState {
    /// Read connections to the store.
    pub store: Arc<ReadPool>,
    /// Where tracks and alerts are read: the store above, or a cluster's shared PostgreSQL.
    pub history: History,
    /// The vessels, in memory.
    pub view: super::view::VesselView,
    /// The bearer token.
    pub token: Arc<str>,
    /// Live events.
    pub live: LiveBus,
    /// Service counters.
    pub metrics: Arc<Metrics>,
    /// Source health.
    pub sources: Arc<Vec<Arc<SourceHealth>>>,
    /// Map layers as GeoJSON.
    pub layers: Arc<Layers>,
    /// Serve `/metrics` without the token.
    pub metrics_public: bool,
    /// Counters of the HTTP listener, shown on `/metrics`.
    pub http: Arc<super::http::HttpStats>,
    /// Labels and partners (`serve::share`).
    pub share: Arc<super::share::ShareState>,
    /// Vessel pages being computed, shared by identical requests.
    pub lists: Arc<VesselPages>,
    /// Named operator accounts (`[[serve.operators]]`).
    pub operators: Arc<Operators>,
    /// Where actions on alerts are written.
    pub actions: Arc<ActionDesk>,
    /// Zones and ports (the arrivals list).
    pub geo: Arc<varde_geo::Geography>,
    /// How the picture is fed (live, simulation, replay), for `/api/status`.
    pub run: Arc<RunInfo>,
}

/// Operator vessel-list pages (body and next cursor) by query: shared by identical requests while
/// computed, and kept for the state they were computed from.
#[derive(Debug, Default)]
pub struct VesselPages {
    /// Pages being computed.
    running: coalesce::Coalescer<String, (pages::Page, pages::State)>,
    /// Pages of the view's current state.
    kept: pages::PageCache,
}

/// The whole router: everything needs the token but `/healthz` (and `/metrics` when
/// `metrics_public`).
pub fn app(state: AppState) -> Router {
    let prometheus = get(metrics::prometheus);
    let (mut open, mut api) = (Router::new(), Router::new());
    if state.metrics_public {
        open = open.route("/metrics", prometheus);
    } else {
        api = api.route("/metrics", prometheus);
    }
    let api = api
        .route("/api/vessels", get(vessels::list))
        .route("/api/vessels/{mmsi}", get(vessels::one))
        .route("/api/vessels/{mmsi}/track", get(vessels::track))
        .route("/api/alerts", get(alerts::list))
        .route("/api/alerts/dismissals", get(workflow::dismissals))
        .route("/api/alerts/{id}", get(alerts::one))
        .route("/api/alerts/{id}/actions", post(workflow::act))
        .route("/api/me", get(workflow::me))
        .route("/api/incidents", get(incidents::list))
        .route("/api/search", get(search::search))
        .route("/api/arrivals", get(arrivals::list))
        .route("/api/arrivals.csv", get(arrivals::csv))
        .route("/api/layers", get(layers::list))
        .route("/api/layers/{id}", get(layers::one))
        .route("/api/sources", get(sources::list))
        .route("/api/status", get(status::get))
        .route("/api/stream", get(stream::sse))
        .route("/share/geojson", get(share_geojson))
        .merge(super::ogc::routes())
        .route("/openapi.json", get(web::openapi))
        .route("/", get(web::index))
        .route("/{*path}", get(web::asset))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            auth::require_token,
        ));
    open.route("/healthz", get(metrics::healthz))
        .merge(api)
        .with_state(state)
}

/// `/share/geojson`: a partner's GeoJSON feed (`serve::share::stream`).
async fn share_geojson(
    axum::extract::State(state): axum::extract::State<AppState>,
    axum::Extension(caller): axum::Extension<super::share::Caller>,
    headers: axum::http::HeaderMap,
) -> axum::response::Response {
    super::share::stream::geojson(&state, &caller, &headers)
}
