//! What an API node makes of the messages it consumes: the store batch (alert revisions, track
//! points, vessel records) and the live events (map, `/api/stream`), as the embedded pipeline
//! makes them from the reports it processes itself. A message that cannot be read is refused
//! with an error (the node counts and skips it: the engine node wrote it, so it is a version
//! mismatch or damage, never a reason to stop).

use crate::cluster::engine::positions::PositionMsg;
use crate::cmd::replay::time::parse_time_ms;
use crate::serve::live::{ItemMeta, LiveHub, PositionData};
use crate::serve::view::Publisher;
use async_nats::HeaderMap;
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::Arc;
use varde_nats::{EVENT_KIND_HEADER, REVISION_HEADER};
use varde_store::{AlertRecord, Batch, VesselRecord};

/// The fields of an alert's JSON the store indexes.
#[derive(Deserialize)]
struct AlertHead {
    id: String,
    kind: String,
    mmsi: u32,
    /// RFC 3339, as the alert JSON writes it (whole seconds).
    start: String,
    end: Option<String>,
    lat: Option<f64>,
    lon: Option<f64>,
    zone: Option<Named>,
    asset: Option<Named>,
}

#[derive(Deserialize)]
struct Named {
    name: String,
}

/// One batch being gathered: what goes to the store and, once it is committed, to the live bus.
#[derive(Default)]
pub struct Pending {
    /// Alert revisions and track points (vessel records are added by [`Pending::take_batch`]).
    batch: Batch,
    /// The latest record of each vessel in the batch.
    vessels: HashMap<u32, VesselRecord>,
    alerts_live: Vec<(Arc<str>, ItemMeta)>,
    positions_live: Vec<PositionMsg>,
    /// Alert revisions and positions taken into the batch.
    pub len: usize,
}

impl Pending {
    /// Adds an alert message (headers and the alert JSON).
    pub fn alert(&mut self, headers: Option<&HeaderMap>, payload: &[u8]) -> anyhow::Result<()> {
        let header = |n: &str| {
            headers
                .and_then(|h| h.get(n))
                .map(|v| v.as_str().to_owned())
        };
        let revision = header(REVISION_HEADER)
            .and_then(|r| r.parse::<u32>().ok())
            .ok_or_else(|| anyhow::anyhow!("an alert message without a revision header"))?;
        let retracted = header(EVENT_KIND_HEADER).as_deref() == Some("retracted");
        let a: AlertHead = serde_json::from_slice(payload)?;
        let start = parse_time_ms(&a.start)?;
        let end = a.end.as_deref().map(parse_time_ms).transpose()?;
        let json: Arc<str> = String::from_utf8_lossy(payload).into();
        let open = end.is_none() && !retracted;
        self.alerts_live.push((
            json.clone(),
            ItemMeta {
                label: 0,
                mmsi: a.mmsi,
                time_ms: if open { None } else { end.or(Some(start)) },
            },
        ));
        self.batch.alerts.push(AlertRecord {
            id: a.id,
            kind: a.kind,
            mmsi: a.mmsi,
            start_ms: start,
            end_ms: end,
            open,
            zone: a.zone.map(|z| z.name),
            asset: a.asset.map(|z| z.name),
            // As the embedded pipeline stores them: identity alerts have no position (null in the
            // JSON, 0 in the indexed columns).
            lat: a.lat.filter(|v| v.is_finite()).unwrap_or(0.0),
            lon: a.lon.filter(|v| v.is_finite()).unwrap_or(0.0),
            json: json.to_string(),
            revision,
        });
        self.len += 1;
        Ok(())
    }

    /// Adds a positions message (a JSON array of [`PositionMsg`]).
    pub fn positions(&mut self, payload: &[u8]) -> anyhow::Result<()> {
        let batch: Vec<PositionMsg> = serde_json::from_slice(payload)?;
        self.len += batch.len();
        for m in batch {
            self.position(m);
        }
        Ok(())
    }

    fn position(&mut self, m: PositionMsg) {
        self.batch.positions.push(m.position.clone());
        match self.vessels.get_mut(&m.vessel.mmsi) {
            Some(old) if old.last_seen_ms > m.vessel.last_seen_ms => {}
            Some(old) => *old = m.vessel.clone(),
            None => {
                self.vessels.insert(m.vessel.mmsi, m.vessel.clone());
            }
        }
        self.positions_live.push(m);
    }

    /// The batch to store (vessel records in MMSI order); the live events stay for
    /// [`Pending::publish`].
    pub fn take_batch(&mut self) -> Batch {
        let mut vessels: Vec<VesselRecord> = self.vessels.values().cloned().collect();
        vessels.sort_by_key(|v| v.mmsi);
        let mut batch = std::mem::take(&mut self.batch);
        batch.vessels = vessels;
        batch
    }

    /// Once the batch is stored: the vessels to the API's view, the positions and alerts to the
    /// live bus. Returns (positions, alerts) published.
    pub fn publish(&mut self, view: &Publisher, live: &LiveHub) -> (u64, u64) {
        for v in self.vessels.values() {
            view.publish(v);
        }
        let positions = self.positions_live.len() as u64;
        for m in self.positions_live.drain(..) {
            let (p, v) = (&m.position, &m.vessel);
            live.publish_labelled_position(
                || {
                    PositionData {
                        mmsi: p.mmsi,
                        lat: p.lat,
                        lon: p.lon,
                        sog: p.sog_kn.map(|x| x as f32),
                        cog: p.cog_deg.map(|x| x as f32),
                        heading: p.heading_deg.map(|x| x as u16),
                        name: v.name.as_deref(),
                        ship_type: v.ship_type,
                        flag: v.flag.as_deref(),
                        time: varde_ais::time::rfc3339_ms(p.time_ms),
                    }
                    .to_json()
                },
                || ItemMeta {
                    label: 0,
                    mmsi: p.mmsi,
                    time_ms: Some(p.time_ms),
                },
            );
        }
        let alerts = self.alerts_live.len() as u64;
        for (json, meta) in self.alerts_live.drain(..) {
            live.publish_labelled_alert(json, meta);
        }
        self.vessels.clear();
        self.len = 0;
        (positions, alerts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_alert_message_becomes_the_stored_revision() {
        let mut h = HeaderMap::new();
        h.insert(REVISION_HEADER, "2");
        h.insert(EVENT_KIND_HEADER, "closed");
        let json = r#"{"id":"a1","kind":"zone_entry","mmsi":257000001,"start":"2024-07-16T00:30:00Z","end":"2024-07-16T00:31:00Z","lat":null,"lon":5.5,"zone":{"id":"z","name":"Zone Z","kind":"territorial_sea"},"asset":null}"#;
        let mut p = Pending::default();
        p.alert(Some(&h), json.as_bytes()).unwrap();
        let b = p.take_batch();
        let a = &b.alerts[0];
        assert_eq!((a.id.as_str(), a.revision, a.open), ("a1", 2, false));
        assert_eq!(
            (a.start_ms, a.end_ms),
            (1_721_089_800_000, Some(1_721_089_860_000))
        );
        assert_eq!(
            (a.lat, a.lon, a.zone.as_deref()),
            (0.0, 5.5, Some("Zone Z"))
        );
        assert_eq!(a.json, json);
    }

    #[test]
    fn bad_messages_are_refused_not_panicked_on() {
        let mut p = Pending::default();
        assert!(p.alert(None, b"{}").is_err());
        assert!(p.positions(b"not json").is_err());
        assert_eq!(p.len, 0);
    }
}
