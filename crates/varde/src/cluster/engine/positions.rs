//! The positions an engine node publishes to `VARDE_POSITIONS` (`varde.pos.<partition>`): one
//! message per accepted position report, with the vessel's record in the picture after it, for
//! the API nodes (`varde serve --cluster`) to store and show.
//!
//! The payload is JSON, [`PositionMsg`]: the track point exactly as the embedded service stores
//! it (`position`) and the vessel's record as its store and map hold it (`vessel`). The message id
//! is `<mmsi>:<time ms>` ([`PositionMsg::msg_id`]): the frames an engine node replays after a
//! restart or take-over publish the same ids, which the stream stores once within its duplicate
//! window (and an API node stores a track point once per vessel and millisecond anyway).
//!
//! Publishes are pipelined as the alerts' are: acknowledgements are awaited in batches and
//! before every engine snapshot, so a snapshot never covers a position the stream does not hold.

use anyhow::{Context, Result};
use async_nats::jetstream::{self, context::PublishAckFuture};
use async_nats::HeaderMap;
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;
use std::time::Duration;
use varde_nats::{partition_of, positions_subject};
use varde_store::{PositionRecord, VesselRecord};
use varde_watch::{Engine, Report, ReportKind};

/// Unacknowledged publishes before their acknowledgements are awaited.
const IN_FLIGHT: usize = 2_048;

/// How long a publish is retried before the node gives up.
const RETRY_FOR: Duration = Duration::from_secs(60);

/// One message of the positions stream.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PositionMsg {
    /// The track point (the report's own position and time, and the source it came from).
    #[serde(with = "PositionDef")]
    pub position: PositionRecord,
    /// The vessel's record in the engine's picture after the report.
    #[serde(with = "VesselDef")]
    pub vessel: VesselRecord,
}

impl PositionMsg {
    /// The de-duplication id: `<mmsi>:<time ms>`.
    pub fn msg_id(&self) -> String {
        format!("{}:{}", self.position.mmsi, self.position.time_ms)
    }

    /// The message for report `r` once the engine has processed it: `None` for a report without
    /// a position (static data, a lost fix) or of a vessel the picture refused.
    pub fn of<G: varde_watch::Geo>(r: &Report, engine: &Engine<G>, source: &str) -> Option<Self> {
        let ReportKind::Position(p) = &r.kind else {
            return None;
        };
        let v = engine.picture().get(r.mmsi)?;
        Some(Self {
            position: PositionRecord {
                mmsi: r.mmsi,
                time_ms: r.time_ms,
                lat: p.lat,
                lon: p.lon,
                sog_kn: p.sog_kn.map(f64::from),
                cog_deg: p.cog_deg.map(f64::from),
                heading_deg: p.heading_deg.map(f64::from),
                nav_status: p.nav_status,
                source: (!source.is_empty()).then(|| source.to_owned()),
            },
            vessel: crate::serve::pipeline::vessel_record(v),
        })
    }
}

#[derive(Serialize, Deserialize)]
#[serde(remote = "PositionRecord")]
struct PositionDef {
    mmsi: u32,
    time_ms: i64,
    lat: f64,
    lon: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    sog_kn: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    cog_deg: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    heading_deg: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    nav_status: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    source: Option<String>,
}

#[derive(Serialize, Deserialize)]
#[serde(remote = "VesselRecord")]
struct VesselDef {
    mmsi: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    callsign: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    imo: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    ship_type: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    flag: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    length_m: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    beam_m: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    draught_m: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    destination: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    eta_ms: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    lat: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    lon: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    sog_kn: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    cog_deg: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    heading_deg: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    nav_status: Option<u8>,
    last_seen_ms: i64,
}

/// One position message ready to send.
struct Outgoing {
    subject: String,
    headers: HeaderMap,
    payload: bytes::Bytes,
}

/// The positions publisher of one engine node.
pub struct Outbox {
    js: jetstream::Context,
    partitions: u32,
    pending: VecDeque<(Outgoing, PublishAckFuture)>,
    /// Positions sent.
    pub sent: u64,
}

impl Outbox {
    /// A publisher for a raw stream of `partitions` partitions in all.
    pub fn new(js: jetstream::Context, partitions: u32) -> Self {
        Self {
            js,
            partitions,
            pending: VecDeque::new(),
            sent: 0,
        }
    }

    /// Publishes one position (its acknowledgement is awaited later, see [`Outbox::flush`]).
    pub async fn publish(&mut self, m: &PositionMsg) -> Result<()> {
        let payload = serde_json::to_vec(m).context("encoding a position")?;
        let mut headers = HeaderMap::new();
        headers.insert("Nats-Msg-Id", m.msg_id().as_str());
        let out = Outgoing {
            subject: positions_subject(partition_of(m.position.mmsi, self.partitions)),
            headers,
            payload: payload.into(),
        };
        self.sent += 1;
        match self.send(&out).await {
            Ok(ack) => self.pending.push_back((out, ack)),
            Err(e) => {
                tracing::warn!(error = %e, "publishing a position failed; retrying");
                self.flush().await?;
                self.send_acked(&out).await?;
            }
        }
        if self.pending.len() >= IN_FLIGHT {
            self.flush().await?;
        }
        Ok(())
    }

    /// Waits until the stream holds every position published so far (one that was not
    /// acknowledged is sent again, with those after it, in order).
    pub async fn flush(&mut self) -> Result<()> {
        let mut redo = Vec::new();
        while let Some((out, ack)) = self.pending.pop_front() {
            if !redo.is_empty() {
                redo.push(out);
                continue;
            }
            if let Err(e) = ack.await {
                tracing::warn!(error = %e, "a position was not acknowledged; sending it again");
                redo.push(out);
            }
        }
        for out in &redo {
            self.send_acked(out).await?;
        }
        Ok(())
    }

    async fn send(&self, out: &Outgoing) -> Result<PublishAckFuture> {
        Ok(self
            .js
            .publish_with_headers(
                out.subject.clone(),
                out.headers.clone(),
                out.payload.clone(),
            )
            .await?)
    }

    async fn send_acked(&self, out: &Outgoing) -> Result<()> {
        let start = std::time::Instant::now();
        loop {
            let attempt = async { self.send(out).await?.await.map_err(anyhow::Error::from) };
            match attempt.await {
                Ok(_) => return Ok(()),
                Err(e) if start.elapsed() < RETRY_FOR => {
                    tracing::warn!(error = %e, "position publish failed; retrying");
                    tokio::time::sleep(Duration::from_millis(250)).await;
                }
                Err(e) => return Err(e).context("the positions stream does not accept positions"),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_reads_back_as_written() {
        let m = PositionMsg {
            position: PositionRecord {
                mmsi: 257_000_001,
                time_ms: 1_700_000_000_123,
                lat: 60.5,
                lon: 5.25,
                sog_kn: Some(12.5),
                cog_deg: None,
                heading_deg: Some(90.0),
                nav_status: Some(0),
                source: Some("feed".into()),
            },
            vessel: VesselRecord {
                mmsi: 257_000_001,
                name: Some("NORDLYS".into()),
                ship_type: Some(70),
                lat: Some(60.5),
                lon: Some(5.25),
                last_seen_ms: 1_700_000_000_123,
                ..Default::default()
            },
        };
        let json = serde_json::to_string(&m).unwrap();
        assert_eq!(serde_json::from_str::<PositionMsg>(&json).unwrap(), m);
        assert_eq!(m.msg_id(), "257000001:1700000000123");
        assert!(
            !json.contains("cog_deg"),
            "absent fields are left out: {json}"
        );
    }
}
