//! Bearer-token check for everything but `/healthz`.

use super::error::AppError;
use super::AppState;
use axum::extract::{Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

const COOKIE: &str = "varde_token";

/// Accepts `Authorization: Bearer <token>`, `?access_token=` / `?token=`
/// (EventSource and the first page load cannot send headers), or the cookie
/// set when the map was opened with `?token=`.
pub async fn require_token(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let presented = bearer(&req)
        .or_else(|| query_token(&req))
        .or_else(|| cookie(&req));
    let valid = presented
        .as_deref()
        .is_some_and(|t| constant_time_eq(t.as_bytes(), state.token.as_bytes()));
    let Some(token) = presented.filter(|_| valid) else {
        return refuse(&req);
    };
    let set_cookie = query_token(&req).is_some();
    let mut resp = next.run(req).await;
    if set_cookie {
        let value = format!("{COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict");
        if let Ok(v) = header::HeaderValue::from_str(&value) {
            resp.headers_mut().insert(header::SET_COOKIE, v);
        }
    }
    resp
}

/// 401: JSON for API clients, a short page for a browser opening the map.
fn refuse(req: &Request) -> Response {
    let wants_html = req
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"));
    if !wants_html {
        return AppError::Unauthorized.into_response();
    }
    let page = "<!doctype html><meta charset=utf-8><title>Varde: access refused</title>\
                <p data-testid=auth-error>Access refused: open the map with the address <code>varde serve</code> \
                printed (it carries the token).</p>";
    (
        axum::http::StatusCode::UNAUTHORIZED,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        page,
    )
        .into_response()
}

fn bearer(req: &Request) -> Option<String> {
    let v = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    v.strip_prefix("Bearer ").map(|t| t.trim().to_owned())
}

fn query_token(req: &Request) -> Option<String> {
    req.uri().query()?.split('&').find_map(|kv| {
        let (k, v) = kv.split_once('=')?;
        matches!(k, "access_token" | "token").then(|| v.to_owned())
    })
}

fn cookie(req: &Request) -> Option<String> {
    req.headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| {
            v.split(';').find_map(|c| {
                c.trim()
                    .strip_prefix(&format!("{COOKIE}="))
                    .map(str::to_owned)
            })
        })
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
