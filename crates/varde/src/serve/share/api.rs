//! The partner-aware parts of the API's item endpoints: each item labelled, filtered by the
//! caller's gate before it is serialised, redacted, and each release to a partner told to the
//! release log (feed `api`).

use super::labels::{self, LabelId, FALLBACK};
use super::redact::Gate;
use super::{Caller, ShareState};
use crate::serve::view::{self, VesselView};
use serde_json::Value;
use std::collections::HashMap;
use varde_store::{AlertRecord, PositionRecord, VesselRecord};

fn gate(share: &ShareState, caller: &Caller) -> Gate {
    Gate::new(
        caller.clone(),
        share.table.clone(),
        crate::serve::source::now_ms(),
    )
}

/// What an operator's vessel page is computed from, now: the view's revision (after applying
/// what is pending) and the vessels' labels' version. Two pages of the same query and state are
/// the same bytes (the label table only grows, and the operator's gate passes everything).
pub fn page_state(view: &VesselView, share: &ShareState) -> (u64, u64) {
    let ids = share.vessels.read();
    let labels = share.vessels.version();
    let revision = view.revision();
    drop(ids);
    (revision, labels)
}

/// A page of `/api/vessels` for `caller`: the vessels it may receive, each with its `label`;
/// with the state it was computed from (as [`page_state`]).
pub fn vessel_page(
    view: &VesselView,
    share: &ShareState,
    caller: &Caller,
    q: &view::Query,
    feed: &str,
) -> (Vec<u8>, Option<u32>, (u64, u64)) {
    // The vessels' labels first: every id they hold is in the table's snapshot taken after.
    let ids = share.vessels.read();
    let labels_version = share.vessels.version();
    let mut g = gate(share, caller);
    let labels = share.table.snapshot();
    let coarsen = g.redaction().map_or(0, |r| r.coarsen_m);
    let partner = caller.partner().is_some();
    let mut entry = String::new();
    let (body, next, revision) = view.page_json_with(
        q,
        // One label lookup per vessel: `write` gets the id `admit` found.
        |r| {
            let id = ids.get(&r.mmsi).copied().unwrap_or(FALLBACK);
            g.releases(id, Some(r.last_seen_ms)).then_some(id)
        },
        |r, id, body| {
            let label = labels.get(id);
            if coarsen > 0 {
                let mut c = r.record();
                if let (Some(lat), Some(lon)) = (c.lat, c.lon) {
                    let (lat, lon) = super::redact::coarsen(lat, lon, coarsen);
                    (c.lat, c.lon) = (Some(lat), Some(lon));
                }
                entry.clear();
                labels::splice_into(&mut entry, &view::entry_json(&c), &label.json);
                body.extend_from_slice(entry.as_bytes());
            } else {
                view::json::write_entry(body, r, Some(&*label.json));
            }
            if partner {
                share.released(caller, feed, &format!("vessel:{}", r.mmsi), &label.label);
            }
        },
    );
    (body, next, (revision, labels_version))
}

/// `/api/vessels/{mmsi}` for `caller`: `None` when it may not receive the vessel.
pub fn vessel_one(share: &ShareState, caller: &Caller, v: &VesselRecord) -> Option<Value> {
    let id = share.vessels.get(v.mmsi);
    let mut g = gate(share, caller);
    if !g.releases(id, Some(v.last_seen_ms)) {
        return None;
    }
    let mut c = v.clone();
    if let (Some(lat), Some(lon)) = (c.lat, c.lon) {
        let (lat, lon) = g.position(lat, lon);
        (c.lat, c.lon) = (Some(lat), Some(lon));
    }
    let mut out = serde_json::to_value(view::json::VesselJson::detail(&c)).ok()?;
    let label = g.label(id);
    out["label"] = serde_json::from_str(&label.json).ok()?;
    share.released(caller, "api", &format!("vessel:{}", v.mmsi), &label.label);
    Some(out)
}

/// The points of a track `caller` may receive (positions redacted), in time order, and the
/// track's label: the join of theirs. For a partner, points are taken while that join stays
/// releasable to it (points releasable one by one can join to a label released to nobody when
/// their releasable-to sets are disjoint).
pub fn track(
    share: &ShareState,
    caller: &Caller,
    mmsi: u32,
    points: Vec<PositionRecord>,
) -> (Vec<PositionRecord>, Value) {
    let mut g = gate(share, caller);
    let mut joined = share.table.intern(&varde_share::Label::unclassified());
    let mut out = Vec::with_capacity(points.len());
    for mut p in points {
        let id = share.source_label(p.source.as_deref());
        if !g.releases(id, Some(p.time_ms)) {
            continue;
        }
        let next = share.table.join(joined, id);
        if !g.admits(next) {
            continue;
        }
        joined = next;
        (p.lat, p.lon) = g.position(p.lat, p.lon);
        if g.redaction().is_some_and(|r| r.drop_station) {
            p.source = None;
        }
        out.push(p);
    }
    g.refresh(joined);
    let label = g.label(joined);
    if !out.is_empty() {
        share.released(caller, "api", &format!("track:{mmsi}"), &label.label);
    }
    (
        out,
        serde_json::from_str(&label.json).unwrap_or(Value::Null),
    )
}

/// An alert's JSON with its label id: the `label` it was stored with, read back under this
/// configuration's policies; the fallback (and a `label` member saying so) when it has none or one
/// this configuration cannot read.
fn labelled_alert(share: &ShareState, a: &AlertRecord) -> Option<(Value, LabelId)> {
    let mut v: Value = serde_json::from_str(&a.json).ok()?;
    let policies = &share.labels_config().policies;
    let id = v
        .get("label")
        .and_then(|l| labels::from_json(l, policies))
        .map_or(FALLBACK, |l| share.table.intern(&l));
    if id == FALLBACK {
        let snap = share.table.snapshot();
        v["label"] = serde_json::from_str(&snap.get(FALLBACK).json).unwrap_or(Value::Null);
    }
    Some((v, id))
}

/// The alerts `caller` may receive, labelled and redacted (an alert's time for the delay is its
/// end: an open alert is withheld from a delayed partner).
pub fn alert_items(share: &ShareState, caller: &Caller, alerts: &[AlertRecord]) -> Vec<Value> {
    let mut g = gate(share, caller);
    let mut out = Vec::with_capacity(alerts.len());
    for a in alerts {
        let Some((mut v, id)) = labelled_alert(share, a) else {
            continue;
        };
        if !g.releases(id, if a.open { None } else { a.end_ms }) {
            continue;
        }
        g.redact_json(&mut v);
        share.released(
            caller,
            "api",
            &format!("alert:{}", a.id),
            &g.label(id).label,
        );
        out.push(v);
    }
    out
}

/// The incidents of `alerts` (grouped as `/api/incidents` does) that `caller` may receive, each
/// labelled with the join of its alerts' labels, newest first.
pub fn incident_items(share: &ShareState, caller: &Caller, alerts: &[AlertRecord]) -> Vec<Value> {
    let mut g = gate(share, caller);
    let labelled: Vec<(Value, LabelId, Option<i64>)> = alerts
        .iter()
        .filter_map(|a| {
            let (v, id) = labelled_alert(share, a)?;
            Some((v, id, if a.open { None } else { a.end_ms }))
        })
        .collect();
    let by_alert: HashMap<&str, (LabelId, Option<i64>)> = labelled
        .iter()
        .filter_map(|(v, id, end)| Some((v["id"].as_str()?, (*id, *end))))
        .collect();
    let parsed: Vec<Value> = labelled.iter().map(|(v, _, _)| v.clone()).collect();
    let mut incidents = crate::incidents::group(&parsed);
    incidents.reverse();
    let bottom = share.table.intern(&varde_share::Label::unclassified());
    let mut out = Vec::with_capacity(incidents.len());
    for mut inc in incidents {
        let members: Vec<(LabelId, Option<i64>)> = inc["alerts"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(|a| by_alert.get(a).copied().unwrap_or((FALLBACK, None)))
            .collect();
        let id = members
            .iter()
            .fold(bottom, |acc, (l, _)| share.table.join(acc, *l));
        // Ended when every alert has: at the last end.
        let end = members
            .iter()
            .try_fold(i64::MIN, |acc, (_, e)| e.map(|e| acc.max(e)));
        if !g.releases(id, end) {
            continue;
        }
        g.redact_json(&mut inc);
        let label = g.label(id);
        inc["label"] = serde_json::from_str(&label.json).unwrap_or(Value::Null);
        share.released(
            caller,
            "api",
            &format!("incident:{}", inc["id"].as_str().unwrap_or("")),
            &label.label,
        );
        out.push(inc);
    }
    out
}

/// The label JSON of map layer `id`, if `caller` may receive it.
pub fn layer_label(share: &ShareState, caller: &Caller, layer: &str) -> Option<Value> {
    let id = share.layer_label(layer);
    let mut g = gate(share, caller);
    if !g.admits(id) {
        return None;
    }
    let label = g.label(id);
    share.released(caller, "api", &format!("layer:{layer}"), &label.label);
    serde_json::from_str(&label.json).ok()
}

/// A layer's GeoJSON body with `label` added to the FeatureCollection.
pub fn labelled_layer(body: &[u8], label: &Value) -> Vec<u8> {
    let text = String::from_utf8_lossy(body);
    labels::splice(&text, &label.to_string()).into_bytes()
}
