//! `/api/stream`: Server-Sent Events.
//!
//! - `event: hello` (data `{}`) first: the subscription is in place.
//! - `event: alert`, data = the engine's `Alert`, `id: <run>.<seq>`: every alert event (opened,
//!   updated, closed, retracted) in order, never behind a position.
//! - `event: position`, data `{mmsi, lat, lon, sog, cog, heading, name, ship_type, flag, time}`.
//! - `event: lagged`, data `{"positions": n, "alerts": m, "reason": r}`: this client lost `n`
//!   position events and `m` alert events (it read too slowly, `reason` = `slow_client`; or it
//!   resumed from a `Last-Event-ID` older than the alerts kept, `reason` = `resume`, `positions`
//!   then `null`: unknown). A `Last-Event-ID` from an earlier run of the service gives
//!   `{"positions": null, "alerts": null, "reason": "unknown_resume_point"}`. Either way the client
//!   should fetch `/api/vessels` and `/api/alerts` again.
//!
//! `?events=alerts` gives the alert events (and `lagged` notices about them) only: an alarm panel or
//! an integration that needs no positions is not sent, nor slowed by, the position flood
//! (`events=all`, the default, gives everything).
//!
//! A client that sends `Last-Event-ID` (EventSource does so when it reconnects) gets the alert
//! events after that one first, as far as the service still holds them. See `serve::live` for the
//! design.

use super::error::AppError;
use super::extract::Query;
use super::AppState;
use crate::serve::live::{AlertItem, LiveBus, LiveEvent};
use crate::serve::metrics::{Counter, Metrics};
use crate::serve::share::Caller;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use futures_util::stream::Stream;
use std::collections::VecDeque;
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::broadcast::error::{RecvError, TryRecvError};
use tokio::sync::{broadcast, watch};
use tokio_stream::StreamExt;

/// Alert events copied out of the ring per lock.
const ALERT_BATCH: usize = 64;

/// The stream's query.
#[derive(Debug, serde::Deserialize)]
pub struct StreamQuery {
    /// `all` (default) or `alerts`.
    events: Option<String>,
}

/// Subscribes to the live events; the first event is `hello`.
pub async fn sse(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Query(q): Query<StreamQuery>,
    headers: HeaderMap,
) -> Response {
    let alerts_only = match q.events.as_deref() {
        None | Some("all") => false,
        Some("alerts") => true,
        Some(other) => {
            return AppError::BadRequest(format!("events must be all or alerts, got {other:?}"))
                .into_response()
        }
    };
    if caller.partner().is_some() {
        // Filtered and redacted for the partner (or its preview); ends when it is revoked.
        return crate::serve::share::stream::sse(&state, caller);
    }
    operator_sse(state, headers, alerts_only).into_response()
}

/// The operator's stream: every event, or the alerts only.
fn operator_sse(
    state: AppState,
    headers: HeaderMap,
    alerts_only: bool,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let last_id = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .filter(|v| !v.trim().is_empty());
    let mut sub = Subscriber::new(state.live.clone(), state.metrics.clone(), last_id);
    if alerts_only {
        sub.positions = None;
    }
    // A first event tells the client the subscription is in place.
    let hello = tokio_stream::once(Ok(Event::default()
        .event("hello")
        .retry(Duration::from_secs(2))
        .data("{}")));
    let live = futures_util::stream::unfold(sub, |mut sub| async move {
        let ev = sub.next().await;
        Some((Ok(ev), sub))
    });
    Sse::new(hello.chain(live)).keep_alive(KeepAlive::default())
}

/// Losses not yet told to the client.
#[derive(Debug, Default)]
struct Lost {
    positions: u64,
    alerts: u64,
    /// Set when the client resumed from a point whose losses are not known.
    unknown: bool,
    /// The client resumed and lost alerts in between (positions then unknown).
    resume: bool,
}

impl Lost {
    fn any(&self) -> bool {
        self.positions > 0 || self.alerts > 0 || self.unknown
    }

    fn event(&mut self) -> Event {
        let data = if self.unknown {
            serde_json::json!({"positions": null, "alerts": null, "reason": "unknown_resume_point"})
        } else if self.resume {
            serde_json::json!({"positions": null, "alerts": self.alerts, "reason": "resume"})
        } else {
            serde_json::json!({"positions": self.positions, "alerts": self.alerts, "reason": "slow_client"})
        };
        *self = Self::default();
        Event::default().event("lagged").data(data.to_string())
    }
}

/// One client's subscription: its own cursor into the alert ring and a position receiver.
struct Subscriber {
    hub: LiveBus,
    /// Positions, unless the client asked for alerts only.
    positions: Option<broadcast::Receiver<LiveEvent>>,
    alert_wake: watch::Receiver<u64>,
    /// Sequence number of the next alert event to read.
    cursor: u64,
    pending: VecDeque<AlertItem>,
    lost: Lost,
    metrics: Arc<Metrics>,
}

impl Subscriber {
    fn new(hub: LiveBus, metrics: Arc<Metrics>, last_id: Option<&str>) -> Self {
        let (positions, alert_wake) = hub.subscribe();
        let mut lost = Lost::default();
        let now = hub.next_alert_seq();
        let cursor = match last_id {
            None => now,
            Some(id) => match hub.parse_event_id(id) {
                Some(seen) => {
                    lost.resume = true;
                    seen.saturating_add(1).min(now)
                }
                None => {
                    lost.unknown = true;
                    now
                }
            },
        };
        metrics.add(Counter::LiveSubscribers, 1);
        Self {
            hub,
            positions: Some(positions),
            alert_wake,
            cursor,
            pending: VecDeque::new(),
            lost,
            metrics,
        }
    }

    /// The next event for this client: a `lagged` notice first if anything was lost, then alerts,
    /// then positions.
    async fn next(&mut self) -> Event {
        loop {
            if self.pending.is_empty() {
                // Marks the current alert sequence seen before reading, so an alert pushed after
                // the read wakes the wait below.
                self.alert_wake.borrow_and_update();
                let read = self
                    .hub
                    .alerts()
                    .read(self.cursor, ALERT_BATCH, &mut self.pending);
                self.cursor = read.next;
                self.lose_alerts(read.lost);
            }
            if self.lost.any() {
                self.metrics.add(Counter::LiveLaggedNotices, 1);
                return self.lost.event();
            }
            // Nothing to tell about a resume that lost no alert.
            self.lost.resume = false;
            if let Some(a) = self.pending.pop_front() {
                return Event::default()
                    .event("alert")
                    .id(self.hub.event_id(a.seq))
                    .data(&*a.data);
            }
            let Some(positions) = self.positions.as_mut() else {
                // Alerts only: wait for the next.
                let _ = self.alert_wake.changed().await;
                continue;
            };
            match positions.try_recv() {
                Ok(ev) => return position(&ev),
                Err(TryRecvError::Lagged(n)) => {
                    self.lose_positions(n);
                    continue;
                }
                Err(TryRecvError::Empty | TryRecvError::Closed) => {}
            }
            tokio::select! {
                biased;
                _ = self.alert_wake.changed() => {}
                r = positions.recv() => match r {
                    Ok(ev) => return position(&ev),
                    Err(RecvError::Lagged(n)) => self.lose_positions(n),
                    // The hub lives as long as the service; without positions, wait for alerts.
                    Err(RecvError::Closed) => {
                        let _ = self.alert_wake.changed().await;
                    }
                },
            }
        }
    }

    fn lose_positions(&mut self, n: u64) {
        self.lost.positions += n;
        self.metrics.add(Counter::LiveLagged, n);
    }

    fn lose_alerts(&mut self, n: u64) {
        if n > 0 {
            self.lost.alerts += n;
            self.metrics.add(Counter::LiveLagged, n);
            self.metrics.add(Counter::LiveAlertsLagged, n);
        }
    }
}

impl Drop for Subscriber {
    fn drop(&mut self) {
        self.metrics.sub(Counter::LiveSubscribers, 1);
    }
}

fn position(ev: &LiveEvent) -> Event {
    Event::default().event(ev.name).data(&*ev.data)
}
