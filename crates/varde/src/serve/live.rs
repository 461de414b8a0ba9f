//! What the pipeline publishes to live subscribers (`/api/stream`, SSE).
//!
//! # Design: two paths, bounded, every loss counted and told
//!
//! Positions and alerts have different worth. A position is superseded by the vessel's next one
//! seconds later; an alert is a decision an operator must see. So they travel apart:
//!
//! - **Positions** go through a Tokio `broadcast` channel of [`ServeConfig::live_position_capacity`]
//!   events (default 16,384), serialised once on the engine thread (`Arc<str>`) and only when
//!   someone listens. A subscriber that falls more than the capacity behind loses the oldest; the
//!   engine never waits for a subscriber.
//! - **Alerts** go through [`AlertLog`]: a ring of the newest alert events, bounded both in events
//!   ([`ServeConfig::live_alert_capacity`], default 16,384) and in bytes
//!   ([`ServeConfig::live_alert_max_mb`], default 32 MiB), each with a sequence number. Every
//!   subscriber keeps its own cursor into the ring and drains alerts *before* positions, so an
//!   alert never queues behind positions inside the service. The ring is also what makes
//!   `Last-Event-ID` resume cheap: a reconnecting client continues from the alert after the one it
//!   saw last.
//!
//! A subscriber that lost anything (positions overwritten in the broadcast, alerts overwritten in
//! the ring, or alerts from before a resume point the ring no longer holds) gets `event: lagged`
//! with `{"positions": n, "alerts": m, "reason": …}` before its next event, and the map
//! resynchronises from `/api/vessels` and `/api/alerts`. Nothing is lost silently: every loss is
//! in that event and in `/metrics` (`varde_live_lagged_total`, `varde_live_alerts_lagged_total`,
//! `varde_live_lagged_notices_total`). This is the Vector/Tokio pattern: bounded everywhere,
//! overflow counted, the consumer told.
//!
//! Positions are not coalesced per vessel for a slow client: the `lagged` event makes the map
//! fetch the current picture instead, which is the same result with no per-client state.
//!
//! [`ServeConfig::live_position_capacity`]: super::config::ServeConfig::live_position_capacity
//! [`ServeConfig::live_alert_capacity`]: super::config::ServeConfig::live_alert_capacity
//! [`ServeConfig::live_alert_max_mb`]: super::config::ServeConfig::live_alert_max_mb

use serde::Serialize;
use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard};
use tokio::sync::{broadcast, watch};

/// One live position event, pre-serialised once for every subscriber.
#[derive(Debug, Clone)]
pub struct LiveEvent {
    /// SSE event name (`position`).
    pub name: &'static str,
    /// JSON data.
    pub data: Arc<str>,
    /// What partner filtering needs without parsing `data`.
    pub meta: ItemMeta,
}

/// An item's label and time, for filtering it per partner (`serve::share`).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ItemMeta {
    /// The item's label (`serve::share::labels::LabelId`; 0, the fallback, when not labelled).
    pub label: u32,
    /// The vessel.
    pub mmsi: u32,
    /// The item's time, unix ms (a position: its event time; an alert: its end); `None` while an
    /// alert is open.
    pub time_ms: Option<i64>,
}

/// One alert event in the ring, with its place in the sequence of this service's run.
#[derive(Debug, Clone)]
pub struct AlertItem {
    /// Sequence number, from 1, without gaps.
    pub seq: u64,
    /// JSON data (the engine's `Alert`).
    pub data: Arc<str>,
    /// Its label and end, for partner filtering.
    pub meta: ItemMeta,
}

/// Bounds of the live paths.
#[derive(Debug, Clone, Copy)]
pub struct LiveLimits {
    /// Position events a subscriber may fall behind before it loses the oldest.
    pub position_capacity: usize,
    /// Alert events kept for subscribers (and for resume).
    pub alert_capacity: usize,
    /// Bytes of alert JSON kept; the oldest go first beyond it.
    pub alert_max_bytes: usize,
}

impl Default for LiveLimits {
    fn default() -> Self {
        Self {
            position_capacity: 16_384,
            alert_capacity: 16_384,
            alert_max_bytes: 32 << 20,
        }
    }
}

/// The fan-out to live subscribers: a lossy broadcast of positions and a ring of alerts (see the
/// module documentation).
#[derive(Debug)]
pub struct LiveHub {
    positions: broadcast::Sender<LiveEvent>,
    alerts: AlertLog,
    /// Identifies this run of the service in alert event ids, so an id from an earlier run is not
    /// taken for one of this run's.
    epoch: String,
}

/// The shared handle the pipeline and the API hold.
pub type LiveBus = Arc<LiveHub>;

impl LiveHub {
    /// A hub with these bounds; `epoch` names this run of the service in event ids.
    pub fn new(limits: LiveLimits, epoch: impl Into<String>) -> Self {
        let (positions, _) = broadcast::channel(limits.position_capacity.max(1));
        Self {
            positions,
            alerts: AlertLog::new(limits.alert_capacity.max(1), limits.alert_max_bytes),
            epoch: epoch.into(),
        }
    }

    /// A hub named by the current wall-clock time (milliseconds, base 36).
    pub fn start(limits: LiveLimits) -> Self {
        let ms = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as u64);
        Self::new(limits, base36(ms))
    }

    /// Whether anyone listens to positions; the engine builds no position JSON otherwise.
    pub fn has_position_subscribers(&self) -> bool {
        self.positions.receiver_count() > 0
    }

    /// Publishes a position event built by `data`, which is called only if someone listens.
    #[cfg(test)]
    pub fn publish_position(&self, data: impl FnOnce() -> String) {
        self.publish_labelled_position(data, ItemMeta::default);
    }

    /// Publishes a position event built by `data`, with its label and time from `meta`; both
    /// called only if someone listens.
    pub fn publish_labelled_position(
        &self,
        data: impl FnOnce() -> String,
        meta: impl FnOnce() -> ItemMeta,
    ) {
        if self.has_position_subscribers() {
            let _ = self.positions.send(LiveEvent {
                name: "position",
                data: data().into(),
                meta: meta(),
            });
        }
    }

    /// Publishes an alert event (kept in the ring whether or not anyone listens, for resume).
    #[cfg(test)]
    pub fn publish_alert(&self, data: Arc<str>) {
        self.alerts.push(data, ItemMeta::default());
    }

    /// Publishes an alert event with its label and end.
    pub fn publish_labelled_alert(&self, data: Arc<str>, meta: ItemMeta) {
        self.alerts.push(data, meta);
    }

    /// A new subscription: positions from now on, and a watch that changes after each alert event
    /// (read the alerts themselves with [`AlertLog::read`] from a cursor, e.g.
    /// [`LiveHub::next_alert_seq`] for "from now on").
    pub fn subscribe(&self) -> (broadcast::Receiver<LiveEvent>, watch::Receiver<u64>) {
        (self.positions.subscribe(), self.alerts.notify.subscribe())
    }

    /// The sequence number the next alert event will get.
    pub fn next_alert_seq(&self) -> u64 {
        self.alerts.lock().next
    }

    /// The alert ring.
    pub fn alerts(&self) -> &AlertLog {
        &self.alerts
    }

    /// Prometheus text of what the alert ring holds.
    pub fn render(&self, out: &mut String) {
        use std::fmt::Write;
        let (events, bytes) = self.alerts.held();
        let _ = writeln!(
            out,
            "# HELP varde_live_alert_ring_events Alert events kept for stream subscribers.\n\
             # TYPE varde_live_alert_ring_events gauge\nvarde_live_alert_ring_events {events}\n\
             # HELP varde_live_alert_ring_bytes Bytes of alert JSON kept for stream subscribers.\n\
             # TYPE varde_live_alert_ring_bytes gauge\nvarde_live_alert_ring_bytes {bytes}"
        );
    }

    /// The SSE id of alert event `seq`: `<epoch>.<seq>`.
    pub fn event_id(&self, seq: u64) -> String {
        format!("{}.{seq}", self.epoch)
    }

    /// Reads a `Last-Event-ID`: the sequence number of the last alert event the client saw, if the
    /// id is one of this run's.
    pub fn parse_event_id(&self, id: &str) -> Option<u64> {
        let (epoch, seq) = id.trim().split_once('.')?;
        (epoch == self.epoch).then(|| seq.parse().ok())?
    }
}

impl Default for LiveHub {
    fn default() -> Self {
        Self::start(LiveLimits::default())
    }
}

/// The ring of recent alert events, bounded in events and bytes.
#[derive(Debug)]
pub struct AlertLog {
    ring: Mutex<Ring>,
    /// The next sequence number, after each push: wakes the subscribers.
    notify: watch::Sender<u64>,
    capacity: usize,
    max_bytes: usize,
}

#[derive(Debug)]
struct Ring {
    items: VecDeque<AlertItem>,
    bytes: usize,
    /// Sequence number of the next alert event.
    next: u64,
}

/// What a subscriber's read of the ring gave.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct AlertRead {
    /// Alert events the ring no longer held (overwritten before the subscriber read them).
    pub lost: u64,
    /// Where the subscriber reads next.
    pub next: u64,
}

impl AlertLog {
    fn new(capacity: usize, max_bytes: usize) -> Self {
        Self {
            ring: Mutex::new(Ring {
                items: VecDeque::new(),
                bytes: 0,
                next: 1,
            }),
            notify: watch::channel(1).0,
            capacity,
            max_bytes,
        }
    }

    fn lock(&self) -> MutexGuard<'_, Ring> {
        // A panic while holding the lock cannot leave the ring inconsistent (each push is complete
        // or not started); keep serving.
        self.ring
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn push(&self, data: Arc<str>, meta: ItemMeta) {
        let next = {
            let mut r = self.lock();
            let seq = r.next;
            r.next += 1;
            r.bytes += data.len();
            r.items.push_back(AlertItem { seq, data, meta });
            while r.items.len() > self.capacity || (r.bytes > self.max_bytes && r.items.len() > 1) {
                if let Some(old) = r.items.pop_front() {
                    r.bytes -= old.data.len();
                }
            }
            r.next
        };
        self.notify.send_replace(next);
    }

    /// Copies up to `max` alert events from sequence number `from` into `out`; says how many
    /// events between `from` and the oldest held are gone, and where to read next.
    pub fn read(&self, from: u64, max: usize, out: &mut VecDeque<AlertItem>) -> AlertRead {
        let r = self.lock();
        let oldest = r.items.front().map_or(r.next, |i| i.seq);
        let from = from.min(r.next);
        let lost = oldest.saturating_sub(from);
        let start = from.max(oldest);
        let skip = (start - oldest) as usize;
        out.extend(r.items.iter().skip(skip).take(max).cloned());
        AlertRead {
            lost,
            next: start + (r.items.len() - skip).min(max) as u64,
        }
    }

    /// Alert events and bytes held now.
    pub fn held(&self) -> (usize, usize) {
        let r = self.lock();
        (r.items.len(), r.bytes)
    }
}

/// The data of `event: position`.
#[derive(Debug, Serialize)]
pub struct PositionData<'a> {
    /// The vessel.
    pub mmsi: u32,
    /// Latitude, degrees.
    pub lat: f64,
    /// Longitude, degrees.
    pub lon: f64,
    /// Speed over ground, knots.
    pub sog: Option<f32>,
    /// Course over ground, degrees.
    pub cog: Option<f32>,
    /// True heading, degrees (511: not available).
    pub heading: Option<u16>,
    /// The vessel's name, if known.
    pub name: Option<&'a str>,
    /// AIS ship type, if known.
    pub ship_type: Option<u8>,
    /// Flag (ISO country code from the MMSI's MID), if known.
    pub flag: Option<&'a str>,
    /// Event time, RFC 3339 with milliseconds.
    pub time: String,
}

impl PositionData<'_> {
    /// The JSON text.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

fn base36(mut n: u64) -> String {
    const DIGITS: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut out = Vec::new();
    loop {
        out.push(DIGITS[(n % 36) as usize]);
        n /= 36;
        if n == 0 {
            break;
        }
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hub(capacity: usize, max_bytes: usize) -> LiveHub {
        LiveHub::new(
            LiveLimits {
                position_capacity: 4,
                alert_capacity: capacity,
                alert_max_bytes: max_bytes,
            },
            "e",
        )
    }

    fn read(h: &LiveHub, from: u64, max: usize) -> (AlertRead, Vec<u64>) {
        let mut out = VecDeque::new();
        let r = h.alerts().read(from, max, &mut out);
        (r, out.iter().map(|i| i.seq).collect())
    }

    #[test]
    fn a_reader_within_the_ring_gets_every_alert_in_order() {
        let h = hub(8, 1 << 20);
        for i in 0..5 {
            h.publish_alert(format!("{{\"n\":{i}}}").into());
        }
        let (r, seqs) = read(&h, 2, 2);
        assert_eq!(seqs, [2, 3]);
        assert_eq!(r, AlertRead { lost: 0, next: 4 });
        let (r, seqs) = read(&h, r.next, 100);
        assert_eq!(seqs, [4, 5]);
        assert_eq!(r, AlertRead { lost: 0, next: 6 });
        let (r, seqs) = read(&h, r.next, 100);
        assert!(seqs.is_empty());
        assert_eq!(r.next, 6);
    }

    #[test]
    fn a_reader_behind_the_ring_is_told_how_many_it_lost() {
        let h = hub(3, 1 << 20);
        for _ in 0..10 {
            h.publish_alert("{}".into());
        }
        let (r, seqs) = read(&h, 1, 100);
        assert_eq!(r.lost, 7);
        assert_eq!(seqs, [8, 9, 10]);
        assert_eq!(h.alerts().held(), (3, 6));
    }

    #[test]
    fn the_ring_is_bounded_in_bytes_but_keeps_the_newest_alert() {
        let h = hub(100, 10);
        h.publish_alert("0123456".into());
        h.publish_alert("0123456".into());
        assert_eq!(h.alerts().held(), (1, 7));
        h.publish_alert("a much longer alert than the budget".into());
        let (r, seqs) = read(&h, 1, 100);
        assert_eq!((r.lost, seqs), (2, vec![3]));
    }

    #[test]
    fn a_reader_ahead_of_the_ring_waits_at_its_end() {
        let h = hub(3, 1 << 20);
        h.publish_alert("{}".into());
        let (r, seqs) = read(&h, 99, 10);
        assert_eq!((r.lost, r.next, seqs.len()), (0, 2, 0));
    }

    #[test]
    fn event_ids_of_another_run_are_not_ours() {
        let h = hub(3, 1 << 20);
        assert_eq!(h.parse_event_id(&h.event_id(42)), Some(42));
        assert_eq!(h.parse_event_id("x.42"), None);
        assert_eq!(h.parse_event_id("e.x"), None);
        assert_eq!(h.parse_event_id(""), None);
        assert_eq!(base36(0), "0");
        assert_eq!(base36(36 * 36 + 35), "10z");
    }

    #[test]
    fn positions_are_not_built_without_subscribers() {
        let h = hub(3, 1 << 20);
        h.publish_position(|| panic!("built without a subscriber"));
        let (mut rx, _) = h.subscribe();
        h.publish_position(|| "{}".into());
        assert_eq!(&*rx.try_recv().unwrap().data, "{}");
    }
}
