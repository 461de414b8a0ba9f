//! The positions an engine node publishes to `VARDE_POSITIONS` (`varde.pos.<partition>`): every
//! accepted position report, with the vessel's record in the picture after it, for the API nodes
//! (`varde serve --cluster`) to store and show.
//!
//! Each position is a [`PositionMsg`]: the track point exactly as the embedded service stores it
//! (`position`) and the vessel's record as its store and map hold it (`vessel`). A message carries
//! a JSON array of them, the positions of one partition from consecutive raw frames: at most
//! [`BATCH`], sent once full, once the oldest has waited [`MAX_AGE`] ([`Outbox::tick`]) and before
//! every engine snapshot ([`Outbox::flush`]). One message per position cost the engine node as
//! much CPU as reading the raw frame (the NATS client's work per message dominates both), halving
//! its throughput; batches make it a few per cent.
//!
//! The message id is `<partition>:<first raw seq>-<last raw seq>`. An engine node resuming from a
//! snapshot starts a fresh batch at the snapshot's sequence, so the batches it re-publishes after a
//! restart or take-over mostly carry the ids of the first run and are stored once (within the
//! stream's duplicate window); a batch cut at another place is stored again, and an API node
//! stores its track points once anyway (one per vessel and millisecond, see
//! [`crate::cluster::api`]).
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
const IN_FLIGHT: usize = 256;

/// Positions in one message at most.
pub const BATCH: usize = 128;

/// Longest a position waits in a partly filled message.
pub const MAX_AGE: Duration = Duration::from_millis(100);

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
    /// The message for report `r` once the engine has processed it: `None` for a report without
    /// a position (static data, a lost fix) or of a vessel the picture refused.
    pub fn of<G: varde_watch::Geo>(r: &Report, engine: &Engine<G>, source: &str) -> Option<Self> {
        let ReportKind::Position(p) = &r.kind else {
            return None;
        };
        let v = engine.picture().get(r.mmsi)?;
        Some(Self {
            position: crate::serve::pipeline::position_record(
                r,
                p,
                (!source.is_empty()).then_some(source),
            ),
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

/// The positions of one partition not yet sent.
struct Buffer {
    /// `[` and the JSON of each position, comma-separated.
    json: Vec<u8>,
    count: usize,
    first_seq: u64,
    last_seq: u64,
    since: std::time::Instant,
}

/// The positions publisher of one engine node.
pub struct Outbox {
    js: jetstream::Context,
    partitions: u32,
    buffers: std::collections::BTreeMap<u32, Buffer>,
    pending: VecDeque<(Outgoing, PublishAckFuture)>,
    /// Positions sent.
    pub sent: u64,
    /// Messages sent.
    pub messages: u64,
}

impl Outbox {
    /// A publisher for a raw stream of `partitions` partitions in all.
    pub fn new(js: jetstream::Context, partitions: u32) -> Self {
        Self {
            js,
            partitions,
            buffers: Default::default(),
            pending: VecDeque::new(),
            sent: 0,
            messages: 0,
        }
    }

    /// Adds a position of the frame at raw sequence `raw_seq` to its partition's message, which
    /// is sent once full.
    pub async fn publish(&mut self, m: &PositionMsg, raw_seq: u64) -> Result<()> {
        let partition = partition_of(m.position.mmsi, self.partitions);
        let b = self.buffers.entry(partition).or_insert_with(|| Buffer {
            json: Vec::with_capacity(BATCH * 400),
            count: 0,
            first_seq: raw_seq,
            last_seq: raw_seq,
            since: std::time::Instant::now(),
        });
        if b.count == 0 {
            b.json.push(b'[');
            b.first_seq = raw_seq;
            b.since = std::time::Instant::now();
        } else {
            b.json.push(b',');
        }
        serde_json::to_writer(&mut b.json, m).context("encoding a position")?;
        b.count += 1;
        b.last_seq = raw_seq;
        self.sent += 1;
        if b.count >= BATCH {
            self.send_partition(partition).await?;
        }
        Ok(())
    }

    /// Sends the messages whose oldest position has waited [`MAX_AGE`] (call it often, also while
    /// no frame arrives).
    pub async fn tick(&mut self) -> Result<()> {
        let due: Vec<u32> = self
            .buffers
            .iter()
            .filter(|(_, b)| b.count > 0 && b.since.elapsed() >= MAX_AGE)
            .map(|(p, _)| *p)
            .collect();
        for p in due {
            self.send_partition(p).await?;
        }
        Ok(())
    }

    /// Sends partition `p`'s message (if it holds a position).
    async fn send_partition(&mut self, p: u32) -> Result<()> {
        let Some(b) = self.buffers.get_mut(&p) else {
            return Ok(());
        };
        if b.count == 0 {
            return Ok(());
        }
        b.json.push(b']');
        let payload = bytes::Bytes::copy_from_slice(&b.json);
        let id = format!("{p}:{}-{}", b.first_seq, b.last_seq);
        b.json.clear();
        b.count = 0;
        let mut headers = HeaderMap::new();
        headers.insert("Nats-Msg-Id", id.as_str());
        let out = Outgoing {
            subject: positions_subject(p),
            headers,
            payload,
        };
        self.messages += 1;
        match self.send(&out).await {
            Ok(ack) => self.pending.push_back((out, ack)),
            Err(e) => {
                tracing::warn!(error = %e, "publishing positions failed; retrying");
                self.await_acks().await?;
                self.send_acked(&out).await?;
            }
        }
        if self.pending.len() >= IN_FLIGHT {
            self.await_acks().await?;
        }
        Ok(())
    }

    /// Sends every partly filled message and waits until the stream holds every position
    /// published so far.
    pub async fn flush(&mut self) -> Result<()> {
        let parts: Vec<u32> = self.buffers.keys().copied().collect();
        for p in parts {
            self.send_partition(p).await?;
        }
        self.await_acks().await
    }

    /// Waits until the stream holds every message sent so far (one that was not acknowledged is
    /// sent again, with those after it, in order).
    async fn await_acks(&mut self) -> Result<()> {
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
        assert!(
            !json.contains("cog_deg"),
            "absent fields are left out: {json}"
        );
    }
}
