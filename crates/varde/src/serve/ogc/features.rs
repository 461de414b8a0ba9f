//! The features of each collection that a caller may receive: labelled, filtered by the caller's
//! gate before they are serialised, and redacted (positions coarsened, stations and evidence
//! dropped) as `serve::share::redact` describes.

use super::OgcError;
use crate::serve::api::AppState;
use crate::serve::share::labels::{self, FALLBACK};
use crate::serve::share::redact::Gate;
use crate::serve::share::{Caller, ShareState};
use crate::serve::view;
use serde_json::{Map, Value};
use varde_share::ogc::Collection;
use varde_share::{Label, VesselItem};
use varde_store::AlertFilter;

/// Most alerts read from the store for one request.
const MAX_ALERTS: usize = 100_000;

/// One feature released to the caller: its GeoJSON, its audit id and label.
#[derive(Debug)]
pub struct Released(pub Value, String, Label);

impl Released {
    /// Tells the release log this feature went to `caller` (feed `ogc`).
    pub fn release(&self, state: &AppState, caller: &Caller) {
        state.share.released(caller, "ogc", &self.1, &self.2);
    }
}

/// A feature's id as it appears in its path.
pub fn id_text(feature: &Value) -> String {
    match &feature["id"] {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn gate(share: &ShareState, caller: &Caller) -> Gate {
    Gate::new(
        caller.clone(),
        share.table.clone(),
        crate::serve::source::now_ms(),
    )
}

/// Every feature of `c` the caller may receive, in a stable order (vessels by MMSI, alerts newest
/// first, layer features in file order).
pub async fn collect(
    state: &AppState,
    caller: &Caller,
    c: Collection,
) -> Result<Vec<Released>, OgcError> {
    Ok(match c {
        Collection::Vessels => vessels(state, caller),
        Collection::Alerts => {
            let filter = AlertFilter {
                limit: Some(MAX_ALERTS),
                ..AlertFilter::default()
            };
            let alerts = crate::serve::api::with_history(state, move |s| s.alerts(&filter))
                .await
                .map_err(|e| OgcError::Store(format!("{e:?}")))?;
            alerts_of(&state.share, caller, &alerts)
        }
        Collection::Zones => layer(state, caller, "zones"),
        Collection::Infrastructure => layer(state, caller, "infrastructure"),
    })
}

fn vessels(state: &AppState, caller: &Caller) -> Vec<Released> {
    let share = &state.share;
    let ids = share.vessels.read();
    let mut g = gate(share, caller);
    let labels = share.table.snapshot();
    let id_of = |mmsi: u32| ids.get(&mmsi).copied().unwrap_or(FALLBACK);
    let coarsen = g.redaction().map_or(0, |r| r.coarsen_m);
    let q = view::Query {
        limit: usize::MAX,
        ..view::Query::default()
    };
    let mut out = Vec::new();
    state.view.for_each(
        &q,
        |r| g.releases(id_of(r.mmsi), Some(r.last_seen_ms)),
        |c| {
            let r = &c.record();
            let label = labels.get(id_of(r.mmsi)).label.clone();
            let (lat, lon) = match (r.lat, r.lon) {
                (Some(lat), Some(lon)) if coarsen > 0 => {
                    let (lat, lon) = crate::serve::share::redact::coarsen(lat, lon, coarsen);
                    (Some(lat), Some(lon))
                }
                other => other,
            };
            let item = VesselItem {
                mmsi: r.mmsi,
                name: r.name.clone(),
                callsign: r.callsign.clone(),
                imo: r.imo,
                ship_type: r.ship_type,
                flag: r.flag.clone(),
                lat,
                lon,
                sog_kn: r.sog_kn,
                cog_deg: r.cog_deg,
                heading_deg: r.heading_deg,
                nav_status: r.nav_status,
                time_ms: r.last_seen_ms,
                station: None,
                precision_m: (coarsen > 0).then_some(f64::from(coarsen)),
                label: label.clone(),
            };
            out.push(Released(
                varde_share::geojson::vessel_feature(&item),
                format!("vessel:{}", r.mmsi),
                label,
            ));
        },
    );
    out
}

/// Alerts as features: the stored JSON (with the `label` it was stored with, read back under
/// this configuration; the fallback label when unreadable), gated on that label and the alert's
/// end, redacted; `lat`/`lon` become the Point geometry.
fn alerts_of(
    share: &ShareState,
    caller: &Caller,
    alerts: &[varde_store::AlertRecord],
) -> Vec<Released> {
    let mut g = gate(share, caller);
    let policies = &share.labels_config().policies;
    let mut out = Vec::new();
    for a in alerts {
        let Ok(mut v) = serde_json::from_str::<Value>(&a.json) else {
            continue;
        };
        let id = v
            .get("label")
            .and_then(|l| labels::from_json(l, policies))
            .map_or(FALLBACK, |l| share.table.intern(&l));
        if !g.releases(id, if a.open { None } else { a.end_ms }) {
            continue;
        }
        g.redact_json(&mut v);
        let entry = g.label(id);
        v["label"] = serde_json::from_str(&entry.json).unwrap_or(Value::Null);
        let label = entry.label.clone();
        out.push(Released(
            crate::serve::share::geojson::feature(&a.id, "alert", &v),
            format!("alert:{}", a.id),
            label,
        ));
    }
    out
}

/// A map layer's features, each with the layer's label in its properties; none when the caller
/// may not receive the layer. A feature without an `id` gets its index in the file.
fn layer(state: &AppState, caller: &Caller, id: &str) -> Vec<Released> {
    let share = &state.share;
    let lid = share.layer_label(id);
    let mut g = gate(share, caller);
    if !g.admits(lid) {
        return Vec::new();
    }
    let entry = g.label(lid);
    let label_json: Value = serde_json::from_str(&entry.json).unwrap_or(Value::Null);
    let Some(body) = state.layers.body(id) else {
        return Vec::new();
    };
    let Ok(Value::Object(mut fc)) = serde_json::from_slice::<Value>(body) else {
        return Vec::new();
    };
    let Some(Value::Array(features)) = fc.remove("features") else {
        return Vec::new();
    };
    features
        .into_iter()
        .enumerate()
        .map(|(i, mut f)| {
            let fid = match f.get("id") {
                Some(Value::String(s)) => Value::String(s.clone()),
                Some(Value::Number(n)) => Value::Number(n.clone()),
                _ => Value::String(format!("{id}-{i}")),
            };
            let mut props = match f.get_mut("properties").map(Value::take) {
                Some(Value::Object(m)) => m,
                _ => Map::new(),
            };
            props.insert("label".into(), label_json.clone());
            let feature = serde_json::json!({
                "type": "Feature",
                "id": fid,
                "geometry": f.get_mut("geometry").map_or(Value::Null, Value::take),
                "properties": props,
            });
            let item = format!("{id}:{}", id_text(&feature));
            Released(feature, item, entry.label.clone())
        })
        .collect()
}
