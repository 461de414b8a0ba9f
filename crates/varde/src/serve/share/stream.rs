//! Live events for a partner: `/api/stream` (the same SSE events as the operator's, filtered and
//! redacted) and `/share/geojson` (GeoJSON Features of releasable vessels and alerts, as an RFC
//! 8142 text sequence `application/geo+json-seq`, or as SSE `event: feature` when the client
//! accepts `text/event-stream`).
//!
//! Each subscriber reads the live hub like the operator's stream (see `serve::live`): a bounded
//! lag on positions and its own cursor into the alert ring, so a slow or dead partner never slows
//! ingest or anyone else. What it loses is counted (`varde_share_dropped_total{partner}`) and told
//! (`event: lagged`, or a `{"type": "lagged", …}` text in the sequence). Filtering happens per event
//! before serialisation. When the partner is revoked (removed or changed by a configuration
//! reload) its streams end at once.

use super::geojson;
use super::redact::Gate;
use super::{Caller, ShareState};
use crate::serve::api::AppState;
use crate::serve::live::{AlertItem, LiveBus, LiveEvent};
use axum::body::Body;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use serde_json::Value;
use std::collections::VecDeque;
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::broadcast::error::{RecvError, TryRecvError};
use tokio::sync::{broadcast, watch};
use tokio_stream::StreamExt;
use varde_share::config::{FeedKind, PartnerEntry};

const ALERT_BATCH: usize = 64;

/// Silence after which `/share/geojson` sends a keep-alive.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// Something released to a partner.
pub(crate) enum Out {
    /// Items lost since the last event (read too slowly).
    Lagged { positions: u64, alerts: u64 },
    /// An alert event: its ring sequence number and redacted JSON.
    Alert { seq: u64, item: Value, id: String },
    /// A position: the redacted JSON.
    Position { item: Value, mmsi: u32 },
}

/// One partner's subscription to the live hub.
pub(crate) struct PartnerSub {
    share: Arc<ShareState>,
    hub: LiveBus,
    entry: Arc<PartnerEntry>,
    gate: Gate,
    feed: &'static str,
    positions: broadcast::Receiver<LiveEvent>,
    alert_wake: watch::Receiver<u64>,
    reloads: watch::Receiver<u64>,
    /// The reload generation last checked.
    generation: u64,
    cursor: u64,
    pending: VecDeque<AlertItem>,
    lost: (u64, u64),
}

impl PartnerSub {
    /// A subscription for `caller`: a partner (releases told to the log) or a preview of one
    /// (nothing told). `None` for the operator.
    pub(crate) fn new(state: &AppState, caller: Caller, feed: &'static str) -> Option<Self> {
        let entry = caller.partner()?.clone();
        let (positions, alert_wake) = state.live.subscribe();
        Some(Self {
            gate: Gate::new(
                caller,
                state.share.table.clone(),
                crate::serve::source::now_ms(),
            ),
            cursor: state.live.next_alert_seq(),
            share: state.share.clone(),
            hub: state.live.clone(),
            reloads: state.share.reloads(),
            generation: 0,
            entry,
            feed,
            positions,
            alert_wake,
            pending: VecDeque::new(),
            lost: (0, 0),
        })
    }

    /// Whether the partners were reloaded since the last check and this one is no longer current.
    fn revoked(&mut self) -> bool {
        let generation = *self.reloads.borrow_and_update();
        if generation == self.generation {
            return false;
        }
        self.generation = generation;
        !self.share.is_current(&self.entry)
    }

    /// The next item for this partner; `None` once it is revoked.
    pub(crate) async fn next(&mut self) -> Option<Out> {
        loop {
            if self.revoked() {
                return None;
            }
            if self.pending.is_empty() {
                self.alert_wake.borrow_and_update();
                let read = self
                    .hub
                    .alerts()
                    .read(self.cursor, ALERT_BATCH, &mut self.pending);
                self.cursor = read.next;
                self.lose(0, read.lost);
            }
            if self.lost != (0, 0) {
                let (positions, alerts) = std::mem::take(&mut self.lost);
                return Some(Out::Lagged { positions, alerts });
            }
            self.gate.set_now(crate::serve::source::now_ms());
            if let Some(a) = self.pending.pop_front() {
                if let Some(out) = self.alert(&a) {
                    return Some(out);
                }
                continue;
            }
            match self.positions.try_recv() {
                Ok(ev) => {
                    if let Some(out) = self.position(&ev) {
                        return Some(out);
                    }
                    continue;
                }
                Err(TryRecvError::Lagged(n)) => {
                    self.lose(n, 0);
                    continue;
                }
                Err(TryRecvError::Empty | TryRecvError::Closed) => {}
            }
            tokio::select! {
                biased;
                _ = self.reloads.changed() => {}
                _ = self.alert_wake.changed() => {}
                r = self.positions.recv() => match r {
                    Ok(ev) => {
                        if let Some(out) = self.position(&ev) {
                            return Some(out);
                        }
                    }
                    Err(RecvError::Lagged(n)) => self.lose(n, 0),
                    Err(RecvError::Closed) => {
                        let _ = self.alert_wake.changed().await;
                    }
                },
            }
        }
    }

    fn lose(&mut self, positions: u64, alerts: u64) {
        self.lost.0 += positions;
        self.lost.1 += alerts;
        self.share
            .count_dropped(&self.entry.partner.id, positions + alerts);
    }

    fn alert(&mut self, a: &AlertItem) -> Option<Out> {
        if !self.gate.releases(a.meta.label, a.meta.time_ms) {
            return None;
        }
        let mut item: Value = serde_json::from_str(&a.data).ok()?;
        self.gate.redact_json(&mut item);
        let id = item["id"].as_str().unwrap_or("").to_owned();
        let label = &self.gate.label(a.meta.label).label;
        self.share
            .released(self.gate.caller(), self.feed, &format!("alert:{id}"), label);
        Some(Out::Alert {
            seq: a.seq,
            item,
            id,
        })
    }

    fn position(&mut self, ev: &LiveEvent) -> Option<Out> {
        if !self.gate.releases(ev.meta.label, ev.meta.time_ms) {
            return None;
        }
        let mut item: Value = serde_json::from_str(&ev.data).ok()?;
        self.gate.redact_json(&mut item);
        let label = &self.gate.label(ev.meta.label).label;
        self.share.released(
            self.gate.caller(),
            self.feed,
            &format!("vessel:{}@{}", ev.meta.mmsi, ev.meta.time_ms.unwrap_or(0)),
            label,
        );
        Some(Out::Position {
            item,
            mmsi: ev.meta.mmsi,
        })
    }
}

/// `/api/stream` for a partner (or a preview of one): `hello`, then its releasable `alert` and
/// `position` events and `lagged` notices; ends when the partner is revoked.
pub fn sse(state: &AppState, caller: Caller) -> Response {
    let Some(sub) = PartnerSub::new(state, caller, "stream") else {
        return forbidden("not a partner");
    };
    let hub = state.live.clone();
    let hello = tokio_stream::once(Ok::<_, Infallible>(
        Event::default()
            .event("hello")
            .retry(Duration::from_secs(2))
            .data("{}"),
    ));
    let live = futures_util::stream::unfold(sub, move |mut sub| {
        let hub = hub.clone();
        async move {
            let ev = match sub.next().await? {
                Out::Lagged { positions, alerts } => Event::default().event("lagged").data(
                    serde_json::json!({"positions": positions, "alerts": alerts, "reason": "slow_client"})
                        .to_string(),
                ),
                Out::Alert { seq, item, .. } => Event::default()
                    .event("alert")
                    .id(hub.event_id(seq))
                    .data(item.to_string()),
                Out::Position { item, .. } => {
                    Event::default().event("position").data(item.to_string())
                }
            };
            Some((Ok(ev), sub))
        }
    });
    Sse::new(hello.chain(live))
        .keep_alive(KeepAlive::default())
        .into_response()
}

/// `/share/geojson`: the caller's releasable vessels now, then live positions and alerts, as
/// GeoJSON Features. 403 for the operator's token (not a partner) and for a partner without the
/// `geojson` feed.
pub fn geojson(state: &AppState, caller: &Caller, headers: &HeaderMap) -> Response {
    match caller.partner() {
        Some(p) if p.feeds.contains(&FeedKind::Geojson) => {}
        Some(_) => return forbidden("this partner is not given the geojson feed"),
        None => return forbidden("/share/geojson is a partner feed: use a partner's token"),
    }
    let sse = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/event-stream"));
    // The picture now: the partner's releasable vessels.
    let q = crate::serve::view::Query {
        limit: 1_000_000,
        ..Default::default()
    };
    let (body, _, _) = super::api::vessel_page(&state.view, &state.share, caller, &q, "geojson");
    let now: Vec<Value> = serde_json::from_slice::<Vec<Value>>(&body)
        .unwrap_or_default()
        .into_iter()
        .map(|v| {
            let id = format!("vessel:{}", v["mmsi"]);
            geojson::feature(&id, "vessel", &v)
        })
        .collect();
    let Some(sub) = PartnerSub::new(state, caller.clone(), "geojson") else {
        return forbidden("not a partner");
    };
    // `None`: 15 s without an item (a keep-alive is sent).
    let live = futures_util::stream::unfold(sub, |mut sub| async move {
        let out = match tokio::time::timeout(KEEP_ALIVE, sub.next()).await {
            Err(_) => return Some((None, sub)),
            Ok(out) => out?,
        };
        let v = match out {
            Out::Lagged { positions, alerts } => serde_json::json!({
                "type": "lagged", "positions": positions, "alerts": alerts, "reason": "slow_client"
            }),
            Out::Alert { item, id, .. } => geojson::feature(&format!("alert:{id}"), "alert", &item),
            Out::Position { item, mmsi } => {
                geojson::feature(&format!("vessel:{mmsi}"), "vessel", &item)
            }
        };
        Some((Some(v), sub))
    });
    let all = tokio_stream::iter(now.into_iter().map(Some)).chain(live);
    if sse {
        let events = all.map(|v| {
            Ok::<_, Infallible>(match v {
                None => Event::default().comment(""),
                Some(v) => {
                    let name = if v["type"] == "lagged" {
                        "lagged"
                    } else {
                        "feature"
                    };
                    Event::default().event(name).data(v.to_string())
                }
            })
        });
        return Sse::new(events).into_response();
    }
    // A lone line feed keeps a silent connection alive (whitespace after a text is allowed by
    // RFC 8142 parsers).
    let texts = all.map(|v| {
        Ok::<_, Infallible>(match v {
            None => b"\n".to_vec(),
            Some(v) => varde_share::geojson::rs_record(&v),
        })
    });
    (
        [(header::CONTENT_TYPE, "application/geo+json-seq")],
        Body::from_stream(texts),
    )
        .into_response()
}

/// 403 with the API's error body.
pub fn forbidden(why: &str) -> Response {
    (
        StatusCode::FORBIDDEN,
        [(header::CONTENT_TYPE, "application/json")],
        serde_json::json!({"error": {"code": "forbidden", "message": why}}).to_string(),
    )
        .into_response()
}
