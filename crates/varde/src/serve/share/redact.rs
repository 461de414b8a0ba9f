//! The per-request gate: which items a caller may receive, and what is removed or blurred first.
//!
//! Redaction of a partner (`redact = { drop_station, coarsen_m, delay_min }`):
//! - `delay_min`: an item is released only once its time is at least that many minutes old (a
//!   vessel: its last report; a track point: its time; an alert or incident: its end — an open
//!   one carries the vessel's latest position and is withheld until it has ended that long ago).
//! - `coarsen_m`: positions are rounded to a grid of about that many metres (latitude step
//!   `m / 111,320`°, longitude step scaled by the cosine of the latitude).
//! - `drop_station`, and also `coarsen_m`: an alert's `evidence` (the raw sentences, whose tag
//!   blocks name the receiving station and whose payloads hold the exact position) is removed;
//!   and any `source` member.

use super::labels::{LabelEntry, LabelId, LabelTable, Labels};
use super::Caller;
use serde_json::Value;
use std::sync::Arc;
use varde_share::config::Redaction;

/// One request's release decisions, memoised per label id.
#[derive(Debug)]
pub struct Gate {
    caller: Caller,
    table: Arc<LabelTable>,
    labels: Labels,
    memo: Vec<u8>,
    now_ms: i64,
}

impl Gate {
    /// A gate for `caller` over the labels of `table`, at wall-clock `now_ms`.
    pub fn new(caller: Caller, table: Arc<LabelTable>, now_ms: i64) -> Self {
        Self {
            caller,
            labels: table.snapshot(),
            table,
            memo: Vec::new(),
            now_ms,
        }
    }

    /// The caller.
    pub fn caller(&self) -> &Caller {
        &self.caller
    }

    /// The label of `id` (after [`Gate::admits`] or [`Gate::refresh`] saw it).
    pub fn label(&self, id: LabelId) -> &LabelEntry {
        self.labels.get(id)
    }

    /// Takes a new snapshot of the table when `id` was interned after the last one.
    pub fn refresh(&mut self, id: LabelId) {
        if !self.labels.holds(id) {
            self.labels = self.table.snapshot();
        }
    }

    /// Sets the wall-clock time delays count from.
    pub fn set_now(&mut self, now_ms: i64) {
        self.now_ms = now_ms;
    }

    /// Whether an item labelled `id` may go to the caller (always for the operator).
    pub fn admits(&mut self, id: LabelId) -> bool {
        self.refresh(id);
        let Some(p) = self.caller.partner() else {
            return true;
        };
        let i = id as usize;
        if i >= self.memo.len() {
            self.memo.resize(i + 1, 0);
        }
        if self.memo[i] == 0 {
            self.memo[i] = if p.partner.may_receive(&self.labels.get(id).label) {
                1
            } else {
                2
            };
        }
        self.memo[i] == 1
    }

    /// Whether an item labelled `id` whose time is `time_ms` (`None`: still open, time unknown)
    /// may go to the caller now: admitted and, for a delayed partner, old enough.
    pub fn releases(&mut self, id: LabelId, time_ms: Option<i64>) -> bool {
        self.admits(id) && self.old_enough(time_ms)
    }

    /// Whether an item of `time_ms` is past the caller's delay.
    pub fn old_enough(&self, time_ms: Option<i64>) -> bool {
        match self.redaction() {
            Some(r) if r.delay_min > 0 => {
                time_ms.is_some_and(|t| t <= self.now_ms - i64::from(r.delay_min) * 60_000)
            }
            _ => true,
        }
    }

    /// The caller's redaction (none for the operator).
    pub fn redaction(&self) -> Option<&Redaction> {
        self.caller.partner().map(|p| &p.redact)
    }

    /// A position as the caller may see it.
    pub fn position(&self, lat: f64, lon: f64) -> (f64, f64) {
        match self.redaction() {
            Some(r) if r.coarsen_m > 0 => coarsen(lat, lon, r.coarsen_m),
            _ => (lat, lon),
        }
    }

    /// Applies the caller's redaction to a JSON item (`lat`/`lon` members coarsened; `evidence`
    /// and `source` removed when stations are dropped or positions coarsened).
    pub fn redact_json(&self, v: &mut Value) {
        let Some(r) = self.redaction() else { return };
        let Some(obj) = v.as_object_mut() else { return };
        if r.drop_station || r.coarsen_m > 0 {
            obj.remove("evidence");
            obj.remove("source");
        }
        if r.coarsen_m > 0 {
            if let (Some(lat), Some(lon)) = (
                obj.get("lat").and_then(Value::as_f64),
                obj.get("lon").and_then(Value::as_f64),
            ) {
                let (lat, lon) = coarsen(lat, lon, r.coarsen_m);
                obj.insert("lat".into(), lat.into());
                obj.insert("lon".into(), lon.into());
            }
        }
    }
}

/// `(lat, lon)` rounded to a grid of about `m` metres.
pub fn coarsen(lat: f64, lon: f64, m: u32) -> (f64, f64) {
    let step_lat = f64::from(m) / 111_320.0;
    let lat = (lat / step_lat).round() * step_lat;
    let step_lon = step_lat / lat.to_radians().cos().abs().max(0.01);
    let lon = (lon / step_lon).round() * step_lon;
    (
        round6(lat.clamp(-90.0, 90.0)),
        round6(lon.clamp(-180.0, 180.0)),
    )
}

fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}
