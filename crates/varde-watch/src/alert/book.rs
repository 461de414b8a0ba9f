//! The alert book: every alert raised, which are open, and the events to hand out.
//!
//! Detectors address an open alert by [`AlertKey`] (kind, MMSI, sub-key such as a zone), so a late or
//! repeated report revises the open alert instead of raising a second one.

use super::incident::Incidents;
use super::{Alert, AlertEvent, AssetInfo, Kind, Severity, VesselInfo, ZoneInfo};
use crate::area::AreaChange;
use crate::config::AlertConfig;
use crate::picture::Vessel;
use crate::report::RawLines;
use crate::time::Fnv64;
use open::OpenAlerts;
use std::collections::VecDeque;
use std::sync::Arc;

mod open;

/// Addresses an open alert: (kind, MMSI, sub-key). The sub-key tells apart alerts of one kind on one
/// vessel that may be open together (a hash of the zone or asset id, or the counterpart MMSI).
pub type AlertKey = (Kind, u32, u64);

/// What a detector knows when it opens an alert.
#[derive(Debug, Clone)]
pub struct Draft {
    /// Severity.
    pub severity: Severity,
    /// Start of the behaviour, Unix ms.
    pub start_ms: i64,
    /// End, if the behaviour is already over (gaps are reported on reappearance).
    pub end_ms: Option<i64>,
    /// Position, degrees.
    pub lat: f64,
    /// Position, degrees.
    pub lon: f64,
    /// Zone concerned.
    pub zone: Option<ZoneInfo>,
    /// Asset concerned.
    pub asset: Option<AssetInfo>,
    /// Counterpart MMSIs.
    pub related: Vec<u32>,
    /// One human sentence.
    pub summary: String,
    /// Evidence from before the triggering report (the last report before a gap).
    pub prior_evidence: Option<RawLines>,
}

/// Book-keeping per alert that is not part of the contract.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
struct Meta {
    first: Vec<RawLines>,
    last: VecDeque<RawLines>,
    last_emit_ms: i64,
    retracted: bool,
}

/// Every alert raised so far.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct AlertBook {
    #[serde(skip)]
    cfg: AlertConfig,
    #[serde(skip)]
    labels: Arc<[String]>,
    #[serde(with = "crate::snapshot::alerts")]
    alerts: Vec<Alert>,
    meta: Vec<Meta>,
    open: OpenAlerts,
    #[serde(skip)]
    events: Vec<AlertEvent>,
    by_kind: [u64; Kind::ALL.len()],
    incidents: Incidents,
}

impl AlertBook {
    /// An empty book.
    pub fn new(cfg: &AlertConfig) -> Self {
        Self {
            cfg: cfg.clone(),
            labels: cfg.releasability.clone().into(),
            incidents: Incidents::new(cfg.incident_window_s, cfg.incident_radius_nm),
            ..Self::default()
        }
    }

    /// Takes the configuration of `fresh` (a book built from the current configuration) after a
    /// snapshot was read back: the snapshot holds state, not settings.
    pub fn rebind(&mut self, fresh: &AlertBook) {
        self.cfg = fresh.cfg.clone();
        self.labels = fresh.labels.clone();
        self.incidents.rebind(&fresh.incidents);
    }

    /// Whether an alert is open under this key.
    pub fn is_open(&self, key: &AlertKey) -> bool {
        self.open.contains_key(key)
    }

    /// The open alert under this key.
    pub fn get(&self, key: &AlertKey) -> Option<&Alert> {
        self.open.get(key).map(|&i| &self.alerts[i])
    }

    /// Opens an alert (or, if one is open under the key, revises its summary); closes it at once if
    /// `end_ms` is set.
    pub fn open(&mut self, key: AlertKey, d: Draft, v: &Vessel, raw: &RawLines) {
        if self.open.contains_key(&key) {
            let end = d.end_ms;
            self.revise(key, d.start_ms, v, raw, true, |a| a.summary = d.summary);
            if let Some(end) = end {
                self.close(&key, end);
            }
            return;
        }
        let sub = key.2;
        let id = Fnv64::default()
            .field(key.0.as_str().as_bytes())
            .field(&key.1.to_le_bytes());
        let id = id
            .field(&d.start_ms.to_le_bytes())
            .field(&sub.to_le_bytes())
            .hex();
        let mut involved = vec![key.1];
        involved.extend_from_slice(&d.related);
        if !involved.contains(&v.mmsi) {
            involved.push(v.mmsi);
        }
        let incident = self.incidents.assign(
            &id,
            &involved,
            d.start_ms.max(d.end_ms.unwrap_or(i64::MIN)),
            d.lat,
            d.lon,
        );
        let alert = Alert {
            id,
            incident,
            kind: key.0,
            severity: d.severity,
            // The key names the subject (the lower MMSI of a pair, whichever vessel's report opened
            // it), so the alert does not depend on arrival order; its identity is filled in when the
            // subject itself reports.
            mmsi: key.1,
            related_mmsi: d.related,
            vessel: if key.1 == v.mmsi {
                VesselInfo::of(v)
            } else {
                VesselInfo::default()
            },
            start: d.start_ms,
            end: None,
            lat: d.lat,
            lon: d.lon,
            zone: d.zone,
            asset: d.asset,
            summary: d.summary,
            evidence: d.prior_evidence.iter().chain([raw]).cloned().collect(),
            releasability: self.labels.clone(),
        };
        let meta = Meta {
            first: alert.evidence.clone(),
            last_emit_ms: d.start_ms,
            ..Meta::default()
        };
        self.by_kind[key.0 as usize] += 1;
        self.alerts.push(alert);
        self.meta.push(meta);
        let i = self.alerts.len() - 1;
        self.open.insert(key, i);
        self.emit(i, AlertEvent::Opened);
        if let Some(end) = d.end_ms {
            self.close(&key, end);
        }
    }

    /// Revises an open alert at event time `now_ms` with `edit`, adds the report as evidence, and emits
    /// `Updated` if `material` or the update interval has passed. No-op if nothing is open under the key.
    pub fn revise(
        &mut self,
        key: AlertKey,
        now_ms: i64,
        v: &Vessel,
        raw: &RawLines,
        material: bool,
        edit: impl FnOnce(&mut Alert),
    ) {
        let Some(&i) = self.open.get(&key) else {
            return;
        };
        self.add_evidence(i, raw);
        let a = &mut self.alerts[i];
        edit(a);
        if a.mmsi == v.mmsi {
            a.vessel = VesselInfo::of(v);
        }
        self.incidents
            .touch(&a.incident, v.mmsi, now_ms, a.lat, a.lon);
        let due =
            now_ms - self.meta[i].last_emit_ms >= i64::from(self.cfg.update_interval_s) * 1000;
        if material || due {
            self.meta[i].last_emit_ms = now_ms;
            self.emit(i, AlertEvent::Updated);
        }
    }

    /// Adds a report as evidence to the open alert under the key, without an event (the next one
    /// carries it). No-op if nothing is open under the key.
    pub fn attach(&mut self, key: &AlertKey, raw: &RawLines) {
        if let Some(&i) = self.open.get(key) {
            self.add_evidence(i, raw);
        }
    }

    /// Closes the open alert under the key with `end_ms`.
    pub fn close(&mut self, key: &AlertKey, end_ms: i64) {
        if let Some(i) = self.open.remove(key) {
            let a = &mut self.alerts[i];
            a.end = Some(end_ms.max(a.start));
            self.emit(i, AlertEvent::Closed);
        }
    }

    /// Revises a closed or open alert found by its id; used when late data changes a past alert.
    pub fn amend(&mut self, id: &str, edit: impl FnOnce(&mut Alert)) -> bool {
        let Some(i) = self.alerts.iter().rposition(|a| a.id == id) else {
            return false;
        };
        edit(&mut self.alerts[i]);
        let ev = if self.alerts[i].end.is_some() {
            AlertEvent::Closed
        } else {
            AlertEvent::Updated
        };
        self.emit(i, ev);
        true
    }

    /// Opens again, under `key`, a closed alert found by its id (a meeting that resumes after one party
    /// was dark). Returns false if the alert is no longer in the book or is retracted.
    pub fn reopen(&mut self, key: AlertKey, id: &str) -> bool {
        let Some(i) = self.alerts.iter().rposition(|a| a.id == id) else {
            return false;
        };
        if self.meta[i].retracted {
            return false;
        }
        self.alerts[i].end = None;
        self.open.insert(key, i);
        self.emit(i, AlertEvent::Updated);
        true
    }

    /// Withdraws an alert found by its id; it no longer appears in [`AlertBook::alerts`].
    pub fn retract(&mut self, id: &str) {
        if let Some(i) = self.alerts.iter().rposition(|a| a.id == id) {
            self.meta[i].retracted = true;
            self.open.retain(|_, &mut j| j != i);
            self.emit(i, AlertEvent::Retracted);
        }
    }

    /// Most recent alerts of one vessel and kind, newest first (for revisions by late data).
    pub fn recent(&self, kind: Kind, mmsi: u32) -> impl Iterator<Item = &Alert> {
        let live = |i: &usize| !self.meta[*i].retracted;
        let idx = (0..self.alerts.len()).rev().filter(live);
        idx.map(|i| &self.alerts[i])
            .filter(move |a| a.kind == kind && a.mmsi == mmsi)
    }

    /// Keys of all open alerts, sorted (deterministic).
    pub fn open_keys(&self) -> Vec<AlertKey> {
        let mut keys: Vec<AlertKey> = self.open.keys().copied().collect();
        keys.sort_unstable();
        keys
    }

    /// Takes the events emitted since the last call.
    pub fn drain_events(&mut self) -> std::vec::Drain<'_, AlertEvent> {
        self.events.drain(..)
    }

    /// Moves the events emitted since the last call to the end of `out` (nothing to do, and no
    /// iterator to build, in the common case of none).
    pub fn move_events_into(&mut self, out: &mut Vec<AlertEvent>) {
        if !self.events.is_empty() {
            out.append(&mut self.events);
        }
    }

    /// Final state of every alert not retracted, ordered by start time then id.
    pub fn alerts(&self) -> Vec<&Alert> {
        let mut out: Vec<&Alert> = (0..self.alerts.len())
            .filter(|&i| !self.meta[i].retracted)
            .map(|i| &self.alerts[i])
            .collect();
        out.sort_by(|a, b| a.start.cmp(&b.start).then_with(|| a.id.cmp(&b.id)));
        out
    }

    /// Removes every retracted alert and every alert closed more than `alerts.keep_closed_s` before
    /// `now_ms` from the book and returns the closed ones, ordered by start then id. For
    /// long-running (live) use: persist what this returns; a late report can no longer revise or
    /// retract an alert once drained (replay never drains, so the hold is what keeps a live picture
    /// equal to replay's).
    pub fn drain_closed(&mut self, now_ms: i64) -> Vec<Alert> {
        let before = now_ms.saturating_sub(i64::from(self.cfg.keep_closed_s) * 1000);
        let (alerts, meta) = (
            std::mem::take(&mut self.alerts),
            std::mem::take(&mut self.meta),
        );
        let mut new_index = vec![usize::MAX; alerts.len()];
        let mut closed = Vec::new();
        for (i, (a, m)) in alerts.into_iter().zip(meta).enumerate() {
            if !m.retracted && a.end.is_none_or(|end| end >= before) {
                new_index[i] = self.alerts.len();
                self.alerts.push(a);
                self.meta.push(m);
            } else if !m.retracted {
                closed.push(a);
            }
        }
        self.open.values_mut().for_each(|i| *i = new_index[*i]);
        closed.sort_by(|a, b| a.start.cmp(&b.start).then_with(|| a.id.cmp(&b.id)));
        closed
    }

    /// Starts or stops noting whose incidents change ([`crate::area`]).
    pub fn set_incident_recording(&mut self, on: bool) {
        self.incidents.set_recording(on);
    }

    /// The incident changes noted since the last call, as [`AreaChange::Incident`]s.
    pub fn take_incident_changes(&mut self) -> impl Iterator<Item = AreaChange> + '_ {
        self.incidents
            .take_changed()
            .into_iter()
            .map(|(mmsi, id, last_ms, lat, lon)| AreaChange::Incident {
                mmsi,
                id: id.to_string(),
                last_ms,
                lat,
                lon,
            })
    }

    /// Sets a vessel's current incident as another engine's pairwise alert left it.
    pub fn set_incident(&mut self, mmsi: u32, id: &str, last_ms: i64, lat: f64, lon: f64) {
        self.incidents.set(mmsi, id, last_ms, lat, lon);
    }

    /// Forgets incidents untouched for the incident window before `now_ms` (bounded memory).
    pub fn prune_incidents(&mut self, now_ms: i64) {
        self.incidents.prune(now_ms);
    }

    /// Alerts raised per kind, in [`Kind`] order.
    pub fn counts(&self) -> [u64; Kind::ALL.len()] {
        self.by_kind
    }

    fn add_evidence(&mut self, i: usize, raw: &RawLines) {
        let m = &mut self.meta[i];
        if m.first
            .iter()
            .chain(m.last.iter())
            .any(|r| RawLines::ptr_eq(r, raw))
        {
            return;
        }
        if m.first.len() < self.cfg.evidence_first {
            m.first.push(raw.clone());
        } else if self.cfg.evidence_last > 0 {
            if m.last.len() == self.cfg.evidence_last {
                m.last.pop_front();
            }
            m.last.push_back(raw.clone());
        }
        let ev = &mut self.alerts[i].evidence;
        ev.clear();
        ev.extend(m.first.iter().chain(m.last.iter()).cloned());
    }

    fn emit(&mut self, i: usize, ev: fn(Alert) -> AlertEvent) {
        self.events.push(ev(self.alerts[i].clone()));
    }
}
