//! Bearer-token check for everything but `/healthz`.

use super::error::AppError;
use super::AppState;
use axum::extract::{Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use percent_encoding::{percent_decode, utf8_percent_encode, AsciiSet, CONTROLS};

const COOKIE: &str = "varde_token";

/// What a partner's token opens: the labelled item endpoints and the partner feeds.
const PARTNER_PATHS: &[&str] = &[
    "/api/vessels",
    "/api/alerts",
    "/api/incidents",
    "/api/layers",
    "/api/stream",
    "/share/",
    "/ogc",
];

/// Bytes escaped in the cookie value: everything RFC 6265 does not allow there, and `%`.
const COOKIE_VALUE: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b',')
    .add(b';')
    .add(b'\\')
    .add(b'%');

/// Accepts `Authorization: Bearer <token>` (scheme in any case), `?access_token=` / `?token=`
/// (EventSource and the first page load cannot send headers), or the cookie
/// set when the map was opened with `?token=`. Query and cookie values are percent-decoded.
pub async fn require_token(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let presented = bearer(&req)
        .or_else(|| query_token(&req))
        .or_else(|| cookie(&req));
    let valid = presented
        .as_deref()
        .is_some_and(|t| constant_time_eq(t, state.token.as_bytes()));
    let mut req = req;
    if !valid {
        // A partner's token: only the item endpoints, filtered for it (`serve::share`).
        let Some(p) = presented
            .as_deref()
            .and_then(|t| state.share.partner_by_token(t))
        else {
            return refuse(&req);
        };
        if !PARTNER_PATHS
            .iter()
            .any(|p| req.uri().path().starts_with(p))
        {
            return crate::serve::share::stream::forbidden("not open to partners");
        }
        req.extensions_mut()
            .insert(crate::serve::share::Caller::Partner(p));
        return next.run(req).await;
    }
    req.extensions_mut()
        .insert(crate::serve::share::Caller::Operator);
    let set_cookie = query_token(&req).is_some();
    let mut resp = next.run(req).await;
    if set_cookie {
        let token = utf8_percent_encode(&state.token, COOKIE_VALUE);
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

/// The credentials of `Authorization: <scheme> <token>` when the scheme is `Bearer`, in any case
/// (RFC 9110: schemes are case-insensitive).
fn bearer(req: &Request) -> Option<Vec<u8>> {
    let v = req.headers().get(header::AUTHORIZATION)?.as_bytes();
    let (scheme, token) = v.split_at(v.iter().position(|&c| c == b' ')?);
    scheme
        .eq_ignore_ascii_case(b"bearer")
        .then(|| token.trim_ascii().to_vec())
}

/// The first `access_token` or `token` query value, percent-decoded (`+` is a space).
fn query_token(req: &Request) -> Option<Vec<u8>> {
    form_urlencoded::parse(req.uri().query()?.as_bytes())
        .find(|(k, _)| k == "access_token" || k == "token")
        .map(|(_, v)| v.into_owned().into_bytes())
}

/// The token cookie, percent-decoded.
fn cookie(req: &Request) -> Option<Vec<u8>> {
    let prefix = format!("{COOKIE}=");
    req.headers()
        .get_all(header::COOKIE)
        .iter()
        .flat_map(|v| v.as_bytes().split(|&c| c == b';'))
        .find_map(|c| c.trim_ascii().strip_prefix(prefix.as_bytes()))
        .map(|v| percent_decode(v).collect())
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
