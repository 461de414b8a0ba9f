//! Bearer-token check for everything but `/healthz`, and who the caller is.
//!
//! Three kinds of token are accepted: the service's own `[serve] token` (the admin named
//! [`LEGACY_NAME`]), a named operator account's (`[[serve.operators]]`, checked against its
//! SHA-256), and a partner's (`[[share.partners]]`, only the item endpoints). An operator-side
//! request carries [`Caller::Operator`](crate::serve::share::Caller) and an [`Operator`]
//! extension (name and role) for the handlers that record who acted.
//!
//! An operator or admin may preview what a partner receives: `X-Varde-View-As: <partner id>`,
//! `?as_partner=<id>` or the map's `varde_view_as` cookie make the partner endpoints answer with
//! [`Caller::Preview`] (the partner's filter and redaction, not a release: not audited). A
//! partner asking to view as anyone is refused (403).

use super::error::AppError;
use super::AppState;
use crate::serve::config::{check_operators, OperatorConfig, Role};
use crate::serve::share::Caller;
use axum::extract::{Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use percent_encoding::{percent_decode, AsciiSet, CONTROLS};
use std::path::PathBuf;
use std::sync::{Arc, RwLock};

const COOKIE: &str = "varde_token";

/// The map's preview choice (set by `web/src/preview.js`).
const PREVIEW_COOKIE: &str = "varde_view_as";
/// The request header naming the partner to preview.
const PREVIEW_HEADER: &str = "x-varde-view-as";
/// The query parameter naming the partner to preview.
const PREVIEW_QUERY: &str = "as_partner";

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
    let who = presented.as_deref().and_then(|t| {
        if constant_time_eq(t, state.token.as_bytes()) {
            Some(Operator::legacy())
        } else {
            state.operators.by_token(t)
        }
    });
    let mut req = req;
    let Some(who) = who else {
        // A partner's token: only the item endpoints, filtered for it (`serve::share`).
        let Some(p) = presented
            .as_deref()
            .and_then(|t| state.share.partner_by_token(t))
        else {
            return refuse(&req);
        };
        if preview_of(&req).is_some() {
            return crate::serve::share::stream::forbidden(
                "a partner cannot view as another partner",
            );
        }
        if !PARTNER_PATHS
            .iter()
            .any(|p| req.uri().path().starts_with(p))
        {
            return crate::serve::share::stream::forbidden("not open to partners");
        }
        req.extensions_mut()
            .insert(crate::serve::share::Caller::Partner(p));
        return next.run(req).await;
    };
    let caller = match preview(&state, &req, &who) {
        Ok(c) => c,
        Err(refused) => return refused.into_response(),
    };
    req.extensions_mut().insert(caller);
    let asked = PreviewAsked(preview_of(&req));
    req.extensions_mut().insert(asked);
    req.extensions_mut().insert(who);
    // The map opened with `?token=`: later requests (assets, the stream) carry the cookie.
    let set_cookie = query_token(&req).and(presented);
    let mut resp = next.run(req).await;
    if let Some(token) = set_cookie {
        let token = percent_encoding::percent_encode(&token, COOKIE_VALUE);
        let value = format!("{COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict");
        if let Ok(v) = header::HeaderValue::from_str(&value) {
            resp.headers_mut().insert(header::SET_COOKIE, v);
        }
    }
    resp
}

/// The partner an operator-side request asks to view as: the `X-Varde-View-As` header, else the
/// `as_partner` query value, else the map's `varde_view_as` cookie (empty: none).
fn preview_of(req: &Request) -> Option<String> {
    let header = req
        .headers()
        .get(PREVIEW_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let query = || {
        form_urlencoded::parse(req.uri().query()?.as_bytes())
            .find(|(k, _)| k == PREVIEW_QUERY)
            .map(|(_, v)| v.into_owned())
    };
    let cookie = || named_cookie(req, PREVIEW_COOKIE).and_then(|v| String::from_utf8(v).ok());
    header
        .or_else(query)
        .or_else(cookie)
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty())
}

/// Who an operator-side request acts as: the operator, or (asked for with [`preview_of`], by an
/// operator or admin) a preview of a partner. A preview applies to the partner's endpoints only:
/// `/api/me` still answers for the operator (it tells the map what is previewed), the map's own
/// files are served, and every other `/api/` endpoint is refused as it would be to the partner.
fn preview(state: &AppState, req: &Request, who: &Operator) -> Result<Caller, Refused> {
    let Some(id) = preview_of(req) else {
        return Ok(Caller::Operator);
    };
    let path = req.uri().path();
    let partner_path = PARTNER_PATHS.iter().any(|p| path.starts_with(p));
    if !(partner_path || path.starts_with("/api/")) {
        return Ok(Caller::Operator);
    }
    if !who.may_act() {
        return Err(Refused::Forbidden(format!(
            "{} is a {}: only operators and admins preview a partner's view",
            who.name,
            who.role.as_str()
        )));
    }
    let found = state.share.partner_by_id(&id);
    if path == "/api/me" {
        // Told to the map (an unknown or removed partner: no preview, so it can be left).
        return Ok(Caller::Operator);
    }
    let Some(p) = found else {
        return Err(Refused::NotFound(format!("no partner {id:?} to preview")));
    };
    if !partner_path {
        return Err(Refused::Forbidden(format!(
            "not open to partners (previewing as {id})"
        )));
    }
    Ok(Caller::Preview(p))
}

/// Why a preview is refused.
enum Refused {
    /// 403 with this message.
    Forbidden(String),
    /// 404 with this message.
    NotFound(String),
}

impl IntoResponse for Refused {
    fn into_response(self) -> Response {
        match self {
            Refused::Forbidden(m) => crate::serve::share::stream::forbidden(&m),
            Refused::NotFound(m) => AppError::NotFound(m).into_response(),
        }
    }
}

/// What `/api/me` reports of the partners an operator may preview, and which one it is
/// previewing.
pub fn preview_json(
    state: &AppState,
    req_preview: Option<&str>,
    who: &Operator,
) -> serde_json::Value {
    if !who.may_act() {
        return serde_json::json!({"partners": [], "previewing": null});
    }
    let ids = state.share.partner_ids();
    let previewing = req_preview.filter(|id| ids.iter().any(|p| p == id));
    serde_json::json!({"partners": ids, "previewing": previewing})
}

/// The partner a request asks to view as (for `/api/me`).
#[derive(Debug, Clone)]
pub struct PreviewAsked(pub Option<String>);

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
    named_cookie(req, COOKIE)
}

/// Cookie `name`, percent-decoded.
fn named_cookie(req: &Request, name: &str) -> Option<Vec<u8>> {
    let prefix = format!("{name}=");
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

/// The name the service's own `[serve] token` acts under (an admin).
pub const LEGACY_NAME: &str = "operator";

/// Who an operator-side request is from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operator {
    /// The account's name (recorded as who acted).
    pub name: Arc<str>,
    /// What it may do.
    pub role: Role,
}

impl Operator {
    /// The holder of the service's own token.
    pub fn legacy() -> Self {
        Self {
            name: LEGACY_NAME.into(),
            role: Role::Admin,
        }
    }

    /// Whether this account may act on alerts (operator or admin).
    pub fn may_act(&self) -> bool {
        self.role >= Role::Operator
    }
}

/// One configured account, its token's hash decoded.
#[derive(Debug, Clone)]
struct Account {
    who: Operator,
    hash: [u8; 32],
}

/// The named operator accounts, as last (re)loaded from the configuration.
#[derive(Debug, Default)]
pub struct Operators {
    accounts: RwLock<Arc<Vec<Account>>>,
    config_path: Option<PathBuf>,
}

impl Operators {
    /// The accounts of `[[serve.operators]]` (checked; an error names the account at fault);
    /// `config_path` is re-read on reload.
    pub fn new(cfg: &[OperatorConfig], config_path: Option<PathBuf>) -> anyhow::Result<Self> {
        Ok(Self {
            accounts: RwLock::new(Arc::new(accounts(cfg)?)),
            config_path,
        })
    }

    fn current(&self) -> Arc<Vec<Account>> {
        self.accounts
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// The account whose token hashes to a configured `token_sha256`.
    pub fn by_token(&self, token: &[u8]) -> Option<Operator> {
        let digest = ring::digest::digest(&ring::digest::SHA256, token);
        let mut found = None;
        // Every account is compared, in constant time each.
        for a in self.current().iter() {
            if constant_time_eq(digest.as_ref(), &a.hash) && found.is_none() {
                found = Some(a.who.clone());
            }
        }
        found
    }

    /// The names an alert may be assigned to: the service's own operator and every account that
    /// may act.
    pub fn assignable(&self) -> Vec<String> {
        std::iter::once(LEGACY_NAME.to_owned())
            .chain(
                self.current()
                    .iter()
                    .filter(|a| a.who.may_act())
                    .map(|a| a.who.name.to_string()),
            )
            .collect()
    }

    /// Re-reads the accounts from the configuration file; on a bad file the old ones stay.
    pub fn reload(&self) {
        let Some(path) = &self.config_path else {
            return;
        };
        match crate::config::Config::load(Some(path)).and_then(|c| accounts(&c.serve.operators)) {
            Ok(a) => {
                let n = a.len();
                *self
                    .accounts
                    .write()
                    .unwrap_or_else(std::sync::PoisonError::into_inner) = Arc::new(a);
                tracing::info!(operators = n, "operator accounts reloaded");
            }
            Err(e) => tracing::warn!(error = %format!("{e:#}"),
                "configuration not reloaded; operator accounts unchanged"),
        }
    }

    /// Reloads on SIGHUP and when the configuration file's modification time changes
    /// ([`crate::serve::reload`]).
    pub fn spawn_reloader(self: &Arc<Self>) {
        if let Some(path) = self.config_path.clone() {
            crate::serve::reload::spawn(path, self, Self::reload);
        }
    }
}

fn accounts(cfg: &[OperatorConfig]) -> anyhow::Result<Vec<Account>> {
    check_operators(cfg)?
        .into_iter()
        .map(|o| {
            anyhow::ensure!(
                o.name != LEGACY_NAME,
                "[[serve.operators]]: the name {LEGACY_NAME:?} is the service's own token's"
            );
            let mut hash = [0u8; 32];
            for (i, b) in hash.iter_mut().enumerate() {
                *b = u8::from_str_radix(&o.token_sha256[2 * i..2 * i + 2], 16)?;
            }
            Ok(Account {
                who: Operator {
                    name: o.name.as_str().into(),
                    role: o.role,
                },
                hash,
            })
        })
        .collect()
}

/// Hex SHA-256 of `token`, as `token_sha256` wants it.
pub fn hash_token(token: &[u8]) -> String {
    ring::digest::digest(&ring::digest::SHA256, token)
        .as_ref()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
