//! The synchronous heart of an engine node: frames of the raw stream in, numbered alert
//! revisions out, and the state (snapshot) that lets another node carry on exactly where this one
//! stopped.
//!
//! Each frame's sentences go through the same decoding, [`reports`] adaptation and
//! [`varde_watch::Engine`] as `varde replay`, with the frame's receive time as the event time of a
//! message without a time of its own. Every alert event gets the revision number the live service
//! gives it ([`AlertRevisions`]) and a number of its own, counted from the first frame of the
//! stream: the node publishes it as `Nats-Msg-Id` and never publishes a number twice.
//!
//! An area node's worker runs the same engine with every detector and numbers only the events of
//! the kinds it publishes ([`Worker::publishing`]); the others still change the engine's state
//! exactly as in `varde replay` (see [`super::role`]).

use super::effects::Placed;
use crate::adapt::geo::GeoAdapter;
use crate::adapt::report::{reports, Stations};
use crate::serve::pipeline::{saved, AlertRevisions};
use crate::serve::share::tracker::SavedLabels;
use anyhow::Context;
use std::collections::VecDeque;
use varde_ais::{AisMessage, Decoder, Output};
use varde_nats::Frame;
use varde_watch::{AlertEvent, AreaMode, Engine, Kind, Report};

/// Messages between two drains of closed alerts (as in the live pipeline): a node running for
/// months keeps only the open alerts in memory.
const DRAIN_EVERY: u32 = 10_000;

/// One alert revision to publish.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertOut {
    /// The alert's id.
    pub id: String,
    /// Its revision number (as the live service numbers them).
    pub revision: u32,
    /// The event's number among every alert event of the node's partitions, from 1.
    pub event: u64,
    /// What happened: `opened`, `updated`, `closed` or `retracted`.
    pub what: &'static str,
    /// The MMSI the alert is about (its partition is the alert's subject).
    pub mmsi: u32,
    /// The alert as JSON, the line `varde replay` writes for it.
    pub json: String,
}

impl AlertOut {
    /// The de-duplication id: `<alert id>:<revision>:<event>`. The event number is part of it
    /// because updates that are not material keep the revision number; with `<id>:<revision>`
    /// alone the stream would keep only the first state of each revision.
    pub fn msg_id(&self) -> String {
        format!("{}:{}:{}", self.id, self.revision, self.event)
    }
}

/// What the state of a node covers, kept in its snapshot.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
struct Envelope {
    /// The last raw-stream sequence the state includes.
    seq: u64,
    /// Alert events numbered so far.
    events: u64,
    /// Frames handled so far.
    frames: u64,
    /// Area effects numbered (an area node) or applied (a follower) so far.
    area: u64,
    /// The pipeline's snapshot blob (`serve::pipeline::saved`): engine, revisions, drain counter.
    state: Vec<u8>,
}

/// The engine with everything that decides which alerts it raises and how they are numbered.
pub struct Worker {
    engine: Engine<GeoAdapter>,
    decoder: Decoder,
    stations: Stations,
    revisions: AlertRevisions,
    since_drain: u32,
    events: u64,
    frames: u64,
    /// The last raw-stream sequence handled.
    pub seq: u64,
    reports: Vec<Report>,
    alert_events: Vec<AlertEvent>,
    /// The positions of the frames handled since the node last took them (see [`super::positions`]).
    pub positions: Vec<super::positions::PositionMsg>,
    /// The alert kinds numbered and handed out (`None`: every kind).
    kinds: Option<&'static [Kind]>,
    /// Whether positions are collected in [`Worker::positions`].
    with_positions: bool,
    /// Alone, recording (an area node) or following one ([`varde_watch::area`]).
    area_mode: AreaMode,
    /// Area effects numbered (recording) or applied (following) so far.
    area: u64,
    /// The effects of the frames handled since the node last took them (recording).
    pub area_out: Vec<Placed>,
}

impl Worker {
    /// A worker around a fresh engine.
    pub fn new(engine: Engine<GeoAdapter>) -> Self {
        Self {
            engine,
            decoder: Decoder::new(),
            stations: Stations::default(),
            revisions: AlertRevisions::default(),
            since_drain: 0,
            events: 0,
            frames: 0,
            seq: 0,
            reports: Vec::new(),
            alert_events: Vec::new(),
            positions: Vec::new(),
            kinds: None,
            with_positions: true,
            area_mode: AreaMode::Alone,
            area: 0,
            area_out: Vec::new(),
        }
    }

    /// Records the area effects for partition nodes (an area node) or applies an area node's
    /// (a partition node following one): see [`super::effects`].
    pub fn area_mode(mut self, mode: AreaMode) -> Self {
        self.area_mode = mode;
        self.engine.set_area_mode(mode);
        self
    }

    /// Area effects numbered (recording) or applied (following) so far.
    pub fn area_effects(&self) -> u64 {
        self.area
    }

    /// Hands out only the alert events of `kinds` (`None`: every kind). Events of other kinds get
    /// no number, so the node's events stay `1..=n` without gaps.
    pub fn publishing(mut self, kinds: Option<&'static [Kind]>) -> Self {
        self.kinds = kinds;
        self
    }

    /// Whether the positions of the frames are collected for the positions stream.
    pub fn with_positions(mut self, on: bool) -> Self {
        self.with_positions = on;
        self
    }

    /// Frames handled so far (all nodes that carried this state).
    pub fn frames(&self) -> u64 {
        self.frames
    }

    /// Alert events numbered so far.
    pub fn events(&self) -> u64 {
        self.events
    }

    /// Handles the frame at stream sequence `seq`; appends the alert revisions it raised to `out`.
    /// A follower takes the area effects it applies from `area` (those made before each of its
    /// reports, and at it): every effect up to `seq` must be in it.
    pub fn frame(
        &mut self,
        seq: u64,
        frame: &Frame,
        mut area: Option<&mut VecDeque<Placed>>,
        out: &mut Vec<AlertOut>,
    ) {
        self.seq = seq;
        self.frames += 1;
        let mut index = 0u32;
        for line in frame.sentences() {
            let f = match self.decoder.feed(0, line) {
                Ok(Output::Frame(f)) => f,
                // A part of a multi-sentence message, a comment, or a line that is not AIS:
                // counted by the ingest node that decoded the frame.
                Ok(_) | Err(_) => continue,
            };
            let Ok(msg) = AisMessage::decode(f.payload) else {
                continue;
            };
            self.reports.clear();
            reports(
                &msg,
                &f,
                frame.received_ms,
                &mut self.stations,
                &mut self.reports,
            );
            if self.reports.is_empty() {
                continue;
            }
            for r in &self.reports {
                match (self.area_mode, area.as_deref_mut()) {
                    (AreaMode::Record, _) => {
                        self.engine.process_into(r, &mut self.alert_events);
                        for effect in self.engine.take_area_effects() {
                            self.area += 1;
                            self.area_out.push(Placed {
                                number: self.area,
                                seq,
                                index,
                                effect,
                            });
                        }
                    }
                    (AreaMode::Follow, Some(queue)) => {
                        let at = (seq, index);
                        let mut before = Vec::new();
                        while queue.front().is_some_and(|p| p.at() < at) {
                            before.extend(queue.pop_front().map(|p| p.effect));
                        }
                        let mut here = Vec::new();
                        while queue.front().is_some_and(|p| p.at() == at) {
                            here.extend(queue.pop_front().map(|p| p.effect));
                        }
                        self.area += (before.len() + here.len()) as u64;
                        self.engine
                            .apply_area_effects_into(before, &mut self.alert_events);
                        self.engine
                            .process_with_area_effects_into(r, here, &mut self.alert_events);
                    }
                    _ => self.engine.process_into(r, &mut self.alert_events),
                }
                index += 1;
                if self.with_positions {
                    let pos = super::positions::PositionMsg::of(r, &self.engine, &frame.source);
                    self.positions.extend(pos);
                }
            }
            for e in self.alert_events.drain(..) {
                let a = e.alert();
                if self.kinds.is_some_and(|k| !k.contains(&a.kind)) {
                    continue;
                }
                let revision = self.revisions.next(&e);
                self.events += 1;
                let what = match &e {
                    AlertEvent::Opened(_) => "opened",
                    AlertEvent::Updated(_) => "updated",
                    AlertEvent::Closed(_) => "closed",
                    AlertEvent::Retracted(_) => "retracted",
                };
                out.push(AlertOut {
                    what,
                    id: a.id.clone(),
                    revision,
                    event: self.events,
                    mmsi: a.mmsi,
                    json: a.to_json(),
                });
            }
            self.since_drain += 1;
            if self.since_drain >= DRAIN_EVERY {
                self.since_drain = 0;
                for closed in self.engine.drain_closed() {
                    self.revisions.forget(&closed.id);
                }
            }
        }
    }

    /// The state as one blob (the pipeline's snapshot format inside an envelope that adds the
    /// stream sequence it covers and the counters).
    pub fn snapshot(&self) -> anyhow::Result<Vec<u8>> {
        let state = saved::encode(
            &self.engine.snapshot()?,
            &self.revisions,
            self.since_drain,
            &SavedLabels::default(),
        )?;
        Ok(postcard::to_stdvec(&Envelope {
            seq: self.seq,
            events: self.events,
            frames: self.frames,
            area: self.area,
            state,
        })?)
    }

    /// Loads a blob from [`Worker::snapshot`]; on error nothing changed.
    pub fn load_snapshot(&mut self, blob: &[u8]) -> anyhow::Result<()> {
        let env: Envelope = postcard::from_bytes(blob).context("not an engine node snapshot")?;
        let saved = saved::decode(&env.state)?;
        self.engine.load_snapshot(&saved.engine)?;
        self.revisions = saved.revisions;
        self.since_drain = saved.since_drain;
        self.seq = env.seq;
        self.events = env.events;
        self.frames = env.frames;
        self.area = env.area;
        Ok(())
    }
}
