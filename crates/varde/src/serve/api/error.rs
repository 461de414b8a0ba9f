//! One error type for every handler, with a stable JSON body.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;

/// What went wrong, as the client sees it.
#[derive(Debug)]
pub enum AppError {
    /// Missing or wrong bearer token.
    Unauthorized,
    /// No such resource.
    NotFound(String),
    /// A query parameter is malformed.
    BadRequest(String),
    /// A server-side failure (logged; the body says only that).
    Internal(String),
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, code, message) = match self {
            AppError::Unauthorized => (
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "a valid bearer token is required".to_owned(),
            ),
            AppError::NotFound(what) => (StatusCode::NOT_FOUND, "not_found", what),
            AppError::BadRequest(what) => (StatusCode::BAD_REQUEST, "bad_request", what),
            AppError::Internal(cause) => {
                tracing::error!(%cause, "request failed");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "internal error".to_owned(),
                )
            }
        };
        let mut r = (
            status,
            Json(serde_json::json!({ "error": { "code": code, "message": message } })),
        )
            .into_response();
        if status == StatusCode::UNAUTHORIZED {
            r.headers_mut().insert(
                "www-authenticate",
                axum::http::HeaderValue::from_static("Bearer"),
            );
        }
        r
    }
}
