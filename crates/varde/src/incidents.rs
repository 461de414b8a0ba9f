//! Incidents as a view: alerts grouped by their `incident` id (assigned by the engine: same vessel or
//! pair and place within a window), one object per incident, for `varde replay --incidents` and
//! `/api/incidents`.

use serde_json::{json, Value};
use std::collections::BTreeMap;

/// Severity order of the alert contract.
fn rank(s: &str) -> u8 {
    match s {
        "info" => 0,
        "low" => 1,
        "medium" => 2,
        "high" => 3,
        _ => 0,
    }
}

/// Groups alert JSON objects into incidents, ordered by start then id. Each incident has `id`,
/// `severity` (the highest), `mmsi` (every vessel involved), `kinds`, `start`, `end` (null while any
/// alert is open), `lat`/`lon` of its newest alert, `alerts` (ids, by start) and a `summary` (the
/// first alert's, with the count of the rest). Alerts without an incident form their own.
pub fn group<'a>(alerts: impl IntoIterator<Item = &'a Value>) -> Vec<Value> {
    let mut by_id: BTreeMap<String, Vec<&Value>> = BTreeMap::new();
    for a in alerts {
        let id = a["incident"].as_str().or(a["id"].as_str()).unwrap_or("");
        by_id.entry(id.to_owned()).or_default().push(a);
    }
    let mut out: Vec<Value> = by_id.into_iter().map(|(id, v)| one(&id, v)).collect();
    out.sort_by(|a, b| {
        let key = |v: &Value| {
            (
                v["start"].as_str().unwrap_or("").to_owned(),
                v["id"].to_string(),
            )
        };
        key(a).cmp(&key(b))
    });
    out
}

fn one(id: &str, mut alerts: Vec<&Value>) -> Value {
    let text = |a: &Value, k: &str| a[k].as_str().unwrap_or("").to_owned();
    alerts.sort_by_key(|a| (text(a, "start"), text(a, "id")));
    let mut mmsi: Vec<u64> = alerts
        .iter()
        .flat_map(|a| {
            let related = a["related_mmsi"].as_array().cloned().unwrap_or_default();
            std::iter::once(a["mmsi"].clone()).chain(related)
        })
        .filter_map(|m| m.as_u64())
        .collect();
    mmsi.sort_unstable();
    mmsi.dedup();
    let mut kinds: Vec<String> = alerts.iter().map(|a| text(a, "kind")).collect();
    kinds.sort();
    kinds.dedup();
    let severity = alerts
        .iter()
        .map(|a| text(a, "severity"))
        .max_by_key(|s| rank(s))
        .unwrap_or_default();
    let open = alerts.iter().any(|a| a["end"].is_null());
    let end = (!open)
        .then(|| alerts.iter().map(|a| text(a, "end")).max())
        .flatten();
    let newest = alerts.last().copied().unwrap_or(&Value::Null);
    let first = alerts.first().copied().unwrap_or(&Value::Null);
    let more = match alerts.len() {
        1 => String::new(),
        n => format!(" (+{} more alerts: {})", n - 1, kinds.join(", ")),
    };
    json!({
        "id": id,
        "severity": severity,
        "mmsi": mmsi,
        "kinds": kinds,
        "start": first["start"],
        "end": end,
        "lat": newest["lat"],
        "lon": newest["lon"],
        "alerts": alerts.iter().map(|a| a["id"].clone()).collect::<Vec<_>>(),
        "summary": format!("{}{more}", text(first, "summary")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alerts_of_one_incident_are_one_story() {
        let a = [
            json!({"id":"a1","incident":"a1","kind":"infrastructure_speed_anomaly","severity":"medium",
                   "mmsi":1,"related_mmsi":[],"start":"2024-12-25T10:00:00Z","end":"2024-12-25T10:30:00Z",
                   "lat":58.0,"lon":10.0,"summary":"slowed"}),
            json!({"id":"a2","incident":"a1","kind":"ais_gap","severity":"high","mmsi":1,
                   "related_mmsi":[],"start":"2024-12-25T10:40:00Z","end":null,"lat":58.1,"lon":10.0,
                   "summary":"silent"}),
            json!({"id":"b1","incident":"b1","kind":"rendezvous","severity":"high","mmsi":2,
                   "related_mmsi":[3],"start":"2024-12-25T09:00:00Z","end":"2024-12-25T11:00:00Z",
                   "lat":60.0,"lon":4.0,"summary":"pair"}),
        ];
        let g = group(a.iter());
        assert_eq!(g.len(), 2);
        assert_eq!(
            (g[0]["id"].as_str(), g[0]["mmsi"].clone()),
            (Some("b1"), json!([2, 3]))
        );
        let i = &g[1];
        assert_eq!(i["alerts"], json!(["a1", "a2"]));
        assert_eq!(i["severity"], "high");
        assert!(i["end"].is_null(), "one alert still open");
        assert_eq!(i["lat"], 58.1);
        assert_eq!(
            i["summary"],
            "slowed (+1 more alerts: ais_gap, infrastructure_speed_anomaly)"
        );
    }
}
