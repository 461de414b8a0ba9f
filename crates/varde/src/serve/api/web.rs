//! The bundled web map (built from `web/` into `web/dist/`, embedded in the
//! binary: no CDN, no tile server) and the OpenAPI description.

use super::error::AppError;
use super::extract::Path;
use axum::http::header;
use axum::response::{IntoResponse, Response};

/// (path, content type, bytes) of every bundled asset.
const ASSETS: &[(&str, &str, &[u8])] = &[
    (
        "index.html",
        "text/html; charset=utf-8",
        include_bytes!("../../../../../web/dist/index.html"),
    ),
    (
        "app.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../../../../web/dist/app.js"),
    ),
    (
        "app.css",
        "text/css; charset=utf-8",
        include_bytes!("../../../../../web/dist/app.css"),
    ),
];

const OPENAPI: &str = include_str!("openapi.json");

/// The page needs nothing from other origins.
const CSP: &str = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/// The map page.
pub async fn index() -> Response {
    serve("index.html").unwrap_or_else(IntoResponse::into_response)
}

/// A bundled asset.
pub async fn asset(Path(path): Path<String>) -> Response {
    serve(&path).unwrap_or_else(IntoResponse::into_response)
}

fn serve(path: &str) -> Result<Response, AppError> {
    let (_, ctype, body) = ASSETS
        .iter()
        .find(|(p, _, _)| *p == path)
        .ok_or_else(|| AppError::NotFound(format!("no such page /{path}")))?;
    let headers = [
        (header::CONTENT_TYPE, *ctype),
        (header::CACHE_CONTROL, "no-cache"),
        (header::CONTENT_SECURITY_POLICY, CSP),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "no-referrer"),
    ];
    Ok((headers, *body).into_response())
}

/// The OpenAPI 3 description of this API.
pub async fn openapi() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI).into_response()
}
