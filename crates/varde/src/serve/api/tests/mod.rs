//! The router through `tower::ServiceExt::oneshot`: no socket. A temporary store holds one vessel
//! with a track and one alert.

mod auth;
mod contract;
mod evidence;
mod metrics;
mod routes;
mod status;
mod validation;
mod view;

use super::{app, AppState, Layers};
use crate::serve::metrics::Metrics;
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use std::sync::Arc;
use tower::ServiceExt;
use varde_store::{AlertRecord, Batch, PositionRecord, SqliteStore, Store, VesselRecord};

/// The token of every test.
const TOKEN: &str = "s3cret";
/// The vessel in the test store.
const MMSI: u32 = 257_000_001;
/// The alert in the test store.
const ALERT: &str = "alert-1";
/// Event time of the first track point, unix ms (2025-11-24T16:00:00Z).
const T0: i64 = 1_764_000_000_000;

/// A store with one vessel (three track points) and one open alert, and a state over it.
struct Fixture {
    _dir: tempfile::TempDir,
    state: AppState,
}

impl Fixture {
    fn new() -> Self {
        Self::with(false)
    }

    fn with(metrics_public: bool) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let mut writer = SqliteStore::open(dir.path()).unwrap();
        let mut batch = Batch::new();
        for i in 0..3 {
            batch.positions.push(PositionRecord {
                mmsi: MMSI,
                time_ms: T0 + i * 10_000,
                lat: 60.0 + i as f64 * 0.001,
                lon: 5.0,
                ..PositionRecord::default()
            });
        }
        batch.vessels.push(VesselRecord {
            mmsi: MMSI,
            name: Some("TEST".into()),
            lat: Some(60.002),
            lon: Some(5.0),
            last_seen_ms: T0 + 20_000,
            ..VesselRecord::default()
        });
        let json =
            serde_json::json!({"id": ALERT, "kind": "watchlist", "mmsi": MMSI, "incident": ALERT});
        batch.alerts.push(AlertRecord {
            id: ALERT.into(),
            kind: "watchlist".into(),
            mmsi: MMSI,
            start_ms: T0,
            open: true,
            lat: 60.0,
            lon: 5.0,
            json: json.to_string(),
            revision: 1,
            ..AlertRecord::default()
        });
        writer.write_batch(&batch).unwrap();
        let view = crate::serve::view::VesselView::with(
            writer
                .vessels(&varde_store::VesselFilter::default())
                .unwrap(),
        );
        let live = Arc::new(crate::serve::live::LiveHub::default());
        let state = AppState {
            store: Arc::new(super::ReadPool::open(dir.path(), 2).unwrap()),
            history: super::History::Local,
            view,
            token: TOKEN.into(),
            live,
            metrics: Arc::new(Metrics::default()),
            sources: Arc::new(Vec::new()),
            layers: Arc::new(Layers::load(&varde_geo::GeoConfig::default(), &[]).unwrap()),
            metrics_public,
            http: Arc::default(),
            share: Arc::default(),
            lists: Arc::default(),
            operators: Arc::default(),
            actions: Arc::new(super::ActionDesk::new(Some(dir.path().to_path_buf()))),
            geo: Arc::new(varde_geo::Geography::norway()),
            run: Arc::default(),
        };
        Self { _dir: dir, state }
    }

    /// Sends `req` to a fresh router.
    async fn send(&self, req: Request<Body>) -> Reply {
        let resp = app(self.state.clone()).oneshot(req).await.unwrap();
        let status = resp.status();
        let headers = resp.headers().clone();
        let body = axum::body::to_bytes(resp.into_body(), 1 << 26)
            .await
            .unwrap();
        Reply {
            status,
            headers,
            body: String::from_utf8_lossy(&body).into_owned(),
        }
    }

    /// GET `uri` with the right bearer token.
    async fn get(&self, uri: &str) -> Reply {
        self.send(authed(uri)).await
    }
}

/// What came back.
#[derive(Debug)]
struct Reply {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: String,
}

impl Reply {
    fn content_type(&self) -> &str {
        self.headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    }

    /// The JSON body; panics with the body when it is not JSON.
    fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }

    /// The error code of the JSON error body.
    fn error_code(&self) -> String {
        assert!(
            self.content_type().starts_with("application/json"),
            "JSON error body: {self:?}"
        );
        self.json()["error"]["code"]
            .as_str()
            .unwrap_or_else(|| panic!("error body: {}", self.body))
            .to_owned()
    }
}

/// A GET of `uri` with no credentials.
fn plain(uri: &str) -> Request<Body> {
    Request::get(uri).body(Body::empty()).unwrap()
}

/// A GET of `uri` with `Authorization: Bearer TOKEN`.
fn authed(uri: &str) -> Request<Body> {
    Request::get(uri)
        .header(header::AUTHORIZATION, format!("Bearer {TOKEN}"))
        .body(Body::empty())
        .unwrap()
}
