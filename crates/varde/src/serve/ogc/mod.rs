//! OGC API – Features (Part 1 Core, GeoJSON) at `/ogc`, per caller.
//!
//! | path | body |
//! | --- | --- |
//! | `/ogc`, `/ogc/` | landing page (`application/json`) |
//! | `/ogc/conformance` | conformance declaration: `core`, `geojson` |
//! | `/ogc/api` | OpenAPI 3.0 definition (the landing page's `service-desc`) |
//! | `/ogc/collections` | `vessels`, `alerts`, `zones`, `infrastructure` |
//! | `/ogc/collections/{id}` | one collection |
//! | `/ogc/collections/{id}/items` | GeoJSON FeatureCollection (`application/geo+json`): `bbox`, `datetime`, `limit` (default 10, at most 10,000), `offset`; `next`/`prev` links |
//! | `/ogc/collections/{id}/items/{featureId}` | one GeoJSON Feature |
//!
//! Authentication is the API's (`serve::api::auth`): `Authorization: Bearer <token>` (GDAL:
//! `GDAL_HTTP_HEADERS="Authorization: Bearer …"`), or `?token=`. The operator's token sees every
//! item; a partner's token needs `ogc` in its `feeds` (else 403) and sees only the items its
//! clearance admits, redacted as configured, each told to the release log (feed `ogc`). Every
//! feature carries its `label` in `properties`. Bad query parameters are 400 with an OGC
//! exception body (`{"code", "description"}`); an unknown collection or a feature not released
//! to the caller is 404.
//!
//! Links are absolute, built from the request's `Host` (and `X-Forwarded-Proto`, for a TLS
//! proxy in front).

mod features;

use super::api::AppState;
use super::share::Caller;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Router};
use serde_json::{json, Value};
use varde_share::config::FeedKind;
use varde_share::ogc::{self as doc, Collection, Extent, Limits};

/// Title of the landing page and API definition.
const TITLE: &str = "Varde maritime picture";

/// The `/ogc` routes, to be merged inside the API's authenticated router.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/ogc", get(landing))
        .route("/ogc/", get(landing))
        .route("/ogc/conformance", get(conformance))
        .route("/ogc/api", get(api))
        .route("/ogc/collections", get(collections))
        .route("/ogc/collections/{id}", get(collection))
        .route("/ogc/collections/{id}/items", get(items))
        .route("/ogc/collections/{id}/items/{fid}", get(item))
}

/// An OGC exception response (`{"code", "description"}`).
fn exception(status: StatusCode, code: &str, description: &str) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        json!({"code": code, "description": description}).to_string(),
    )
        .into_response()
}

/// A refusal, answered as an OGC exception (or, for a store failure, the API's error).
#[derive(Debug)]
pub enum OgcError {
    /// A partner not given the `ogc` feed (403).
    Forbidden,
    /// No such collection or feature (404).
    NotFound(String),
    /// The store could not be read (500, logged).
    Store(String),
}

impl IntoResponse for OgcError {
    fn into_response(self) -> Response {
        match self {
            OgcError::Forbidden => exception(
                StatusCode::FORBIDDEN,
                "Forbidden",
                "the ogc feed is not configured for this partner",
            ),
            OgcError::NotFound(what) => exception(StatusCode::NOT_FOUND, "NotFound", &what),
            OgcError::Store(cause) => {
                tracing::error!(%cause, "OGC request failed");
                exception(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "InternalError",
                    "internal error",
                )
            }
        }
    }
}

fn body(media: &'static str, v: &Value) -> Response {
    ([(header::CONTENT_TYPE, media)], v.to_string()).into_response()
}

/// Forbidden for a partner whose feeds do not include `ogc`.
fn allowed(caller: &Caller) -> Result<(), OgcError> {
    match caller.partner() {
        Some(p) if !p.feeds.contains(&FeedKind::Ogc) => Err(OgcError::Forbidden),
        _ => Ok(()),
    }
}

/// 403 for a partner whose feeds do not include `ogc`.
fn refuse(caller: &Caller) -> Option<Response> {
    allowed(caller).err().map(IntoResponse::into_response)
}

/// The landing page's absolute URL, without a trailing slash.
fn base(headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            !h.is_empty()
                && h.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b".-:[]_".contains(&b))
        })
        .unwrap_or("localhost");
    let proto = match headers
        .get("x-forwarded-proto")
        .and_then(|h| h.to_str().ok())
    {
        Some("https") => "https",
        _ => "http",
    };
    format!("{proto}://{host}/ogc")
}

fn collection_of(id: &str) -> Result<Collection, OgcError> {
    Collection::from_id(id).ok_or_else(|| {
        OgcError::NotFound(format!(
            "no collection {id:?} (vessels, alerts, zones, infrastructure)"
        ))
    })
}

async fn landing(Extension(caller): Extension<Caller>, headers: HeaderMap) -> Response {
    if let Some(r) = refuse(&caller) {
        return r;
    }
    let description = "Vessels, alerts, zones and protected infrastructure, as released to you.";
    body(
        "application/json",
        &doc::landing(&base(&headers), TITLE, description),
    )
}

async fn conformance(Extension(caller): Extension<Caller>) -> Response {
    if let Some(r) = refuse(&caller) {
        return r;
    }
    body("application/json", &doc::conformance())
}

async fn api(Extension(caller): Extension<Caller>, headers: HeaderMap) -> Response {
    if let Some(r) = refuse(&caller) {
        return r;
    }
    body(doc::OPENAPI, &doc::api_definition(&base(&headers), TITLE))
}

async fn collections(Extension(caller): Extension<Caller>, headers: HeaderMap) -> Response {
    if let Some(r) = refuse(&caller) {
        return r;
    }
    let list: Vec<(Collection, Extent)> = Collection::ALL
        .into_iter()
        .map(|c| (c, Extent::default()))
        .collect();
    body(
        "application/json",
        &doc::collections(&base(&headers), &list),
    )
}

async fn collection(
    Extension(caller): Extension<Caller>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    if let Some(r) = refuse(&caller) {
        return r;
    }
    match collection_of(&id) {
        Ok(c) => body(
            "application/json",
            &doc::collection(&base(&headers), c, &Extent::default()),
        ),
        Err(e) => e.into_response(),
    }
}

/// Collection `id` for `caller`: Forbidden without the ogc feed, NotFound if there is none.
fn released_collection(caller: &Caller, id: &str) -> Result<Collection, OgcError> {
    allowed(caller)?;
    collection_of(id)
}

async fn items(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    headers: HeaderMap,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Response {
    let c = match released_collection(&caller, &id) {
        Ok(c) => c,
        Err(e) => return e.into_response(),
    };
    // `token`/`access_token` authenticate (serve::api::auth); they are not items parameters.
    let raw = raw.map(|q| without_token(&q));
    let q = match doc::parse_query(raw.as_deref(), Limits::default()) {
        Ok(q) => q,
        Err(e) => {
            return (
                StatusCode::BAD_REQUEST,
                [(header::CONTENT_TYPE, "application/json")],
                e.to_exception().to_string(),
            )
                .into_response()
        }
    };
    let all = match features::collect(&state, &caller, c).await {
        Ok(f) => f,
        Err(e) => return e.into_response(),
    };
    let matched: Vec<features::Released> = all.into_iter().filter(|f| q.matches(&f.0)).collect();
    let from = q.offset.min(matched.len());
    let to = from.saturating_add(q.limit).min(matched.len());
    for f in &matched[from..to] {
        f.release(&state, &caller);
    }
    let values: Vec<Value> = matched.into_iter().map(|f| f.0).collect();
    let now = super::source::now_ms();
    body(
        doc::GEOJSON,
        &doc::items_page(&base(&headers), c, &q, &values, now),
    )
}

async fn item(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    headers: HeaderMap,
    Path((id, fid)): Path<(String, String)>,
) -> Response {
    let c = match released_collection(&caller, &id) {
        Ok(c) => c,
        Err(e) => return e.into_response(),
    };
    let found = match features::collect(&state, &caller, c).await {
        Ok(all) => all.into_iter().find(|f| features::id_text(&f.0) == fid),
        Err(e) => return e.into_response(),
    };
    match found {
        Some(f) => {
            f.release(&state, &caller);
            body(doc::GEOJSON, &doc::item(&base(&headers), c, &fid, f.0))
        }
        None => OgcError::NotFound(format!("no feature {fid:?} in {id}")).into_response(),
    }
}

/// The raw query without `token`/`access_token` pairs.
fn without_token(raw: &str) -> String {
    raw.split('&')
        .filter(|p| {
            let k = p.split_once('=').map_or(*p, |(k, _)| k);
            k != "token" && k != "access_token"
        })
        .collect::<Vec<_>>()
        .join("&")
}
