//! The engine loop: lines from every source → codec → engine → live bus
//! and store. Runs on its own OS thread: the engine is synchronous and
//! CPU-bound, and owning it on one thread keeps it lock-free.

use super::journal_block::JournalBlock;
use super::live::{ItemMeta, LiveBus, PositionData};
use super::metrics::{Counter, Metrics};
use super::source::{Input, SourceHealth};
use super::writer::StoreItem;
use crate::adapt::geo::GeoAdapter;
use crate::adapt::report::{reports, Stations};
use crate::stats::decode_cause;
use std::collections::HashSet;
use std::sync::atomic::Ordering;
use std::sync::mpsc::SyncSender;
use std::sync::Arc;
use tokio::sync::mpsc;
use varde_ais::{AisMessage, Decoder, Output};
use varde_store::{AlertRecord, PositionRecord, RawRecord, VesselRecord};
use varde_watch::snapshot::SnapshotError;
use varde_watch::{AlertEvent, Engine, Report, ReportKind};

mod revisions;
pub(crate) mod saved;

pub use revisions::AlertRevisions;

/// The engine and what it talks to.
pub struct Pipeline {
    /// The watch engine.
    pub engine: Engine<GeoAdapter>,
    decoder: Decoder,
    reports: Vec<Report>,
    stations: Stations,
    revisions: AlertRevisions,
    since_drain: u32,
    /// Lines handled since the last snapshot: a quiet service takes no snapshot of nothing new.
    since_snapshot: u64,
    /// How often the engine's state is snapshotted to the store (wall clock); `None`: never.
    pub snapshot_every: Option<std::time::Duration>,
    last_snapshot: std::time::Instant,
    /// When the changed vessels' records were last handed to the store (see [`VESSELS_EVERY`]).
    last_vessels: std::time::Instant,
    /// When the changed vessels' records were last published to the API's view (see
    /// [`VIEW_EVERY`]).
    last_view: std::time::Instant,
    /// Vessels whose records the store has not had since they changed: published to the view
    /// already, stored with the next [`Pipeline::flush_vessels`]. Also the vessels replayed from
    /// the journal at restore: their records go to the store with the first live hand-off (the
    /// store may have lost them with the lines after the last snapshot).
    unstored: HashSet<u32, std::hash::BuildHasherDefault<varde_watch::picture::FxHasher>>,
    /// How far ahead of its receive time a line's own time may be before it is refused, ms.
    pub future_tolerance_ms: i64,
    /// How far behind its receive time a line's own time may be before it is refused, ms.
    pub past_tolerance_ms: i64,
    /// Where store items go, [`STORE_CHUNK`] at a time (`None` while restoring from the store
    /// itself).
    pub store: Option<SyncSender<Vec<StoreItem>>>,
    /// Store items not yet handed to the writer.
    pending: Vec<StoreItem>,
    /// Journal lines not yet handed to the writer (they go with `pending`, in one buffer: see
    /// [`super::journal_block`]).
    journal: JournalBlock,
    /// The line being handled, for the journal (a buffer reused from line to line).
    line: String,
    /// Vessels changed since their records were last published to the view.
    dirty: HashSet<u32, std::hash::BuildHasherDefault<varde_watch::picture::FxHasher>>,
    /// Live subscribers.
    pub live: LiveBus,
    /// Source health, by source index.
    pub sources: Vec<Arc<SourceHealth>>,
    /// Service counters.
    pub metrics: Arc<Metrics>,
    /// Where each vessel's record goes for the API's in-memory view.
    pub view: super::view::Publisher,
    /// Labels the items by their sources (`serve::share`); `None`: items are not labelled.
    pub share: Option<super::share::tracker::LabelTracker>,
}

impl Pipeline {
    /// A pipeline around an engine.
    pub fn new(
        engine: Engine<GeoAdapter>,
        live: LiveBus,
        sources: Vec<Arc<SourceHealth>>,
        metrics: Arc<Metrics>,
    ) -> Self {
        Self {
            engine,
            decoder: Decoder::new(),
            reports: Vec::new(),
            stations: Stations::default(),
            revisions: AlertRevisions::default(),
            since_drain: 0,
            since_snapshot: 0,
            snapshot_every: None,
            last_snapshot: std::time::Instant::now(),
            last_vessels: std::time::Instant::now(),
            last_view: std::time::Instant::now(),
            unstored: HashSet::default(),
            future_tolerance_ms: i64::MAX,
            past_tolerance_ms: i64::MAX,
            store: None,
            pending: Vec::new(),
            journal: JournalBlock::new(sources.iter().map(|h| h.name.clone()).collect()),
            line: String::new(),
            dirty: HashSet::default(),
            live,
            sources,
            metrics,
            view: super::view::Publisher::default(),
            share: None,
        }
    }

    /// Runs until every source sender is dropped or the stop marker arrives; then stores a last
    /// snapshot, so the next start replays nothing. Sources hand over batches of lines: the
    /// engine thread wakes once per batch, not per line. Ticks ([`Input::tick`], from
    /// [`spawn_ticker`]) wake it while the feeds are quiet, so the changed vessels and the periodic
    /// snapshot are handed over on time without new input.
    pub fn run(mut self, mut rx: mpsc::Receiver<Input>) {
        while let Some(input) = rx.blocking_recv() {
            if input.is_stop() {
                break;
            }
            if !input.is_empty() {
                self.handle_batch(&input);
            }
            if rx.is_empty() {
                // Nothing more waiting: hand what is pending to the writer now.
                self.flush_store();
            }
            if self.since_snapshot > 0
                && self
                    .snapshot_every
                    .is_some_and(|every| self.last_snapshot.elapsed() >= every)
            {
                self.send_snapshot();
            }
        }
        if self.snapshot_every.is_some() {
            self.send_snapshot();
        }
        self.flush_vessels();
    }

    /// Handles one batch of live lines; the service counters move once per batch.
    fn handle_batch(&mut self, input: &Input) {
        let mut added = 0;
        for (line, received_ms) in input.lines() {
            added += self.handle(input.source, line, received_ms, true);
        }
        if let Some(h) = self.sources.get(input.source as usize) {
            h.reports.fetch_add(added, Ordering::Relaxed);
        }
        self.since_snapshot += input.len() as u64;
        let m = &self.metrics;
        m.add(Counter::Lines, input.len() as u64);
        m.add(Counter::Reports, added);
        m.set(Counter::Vessels, self.engine.picture().len() as u64);
        m.assembly(self.decoder.assembly_stats());
        let refused = self.engine.vessels_refused();
        if refused > m.get(Counter::VesselsRefused) {
            if m.get(Counter::VesselsRefused) == 0 {
                tracing::warn!(
                    vessels = self.engine.picture().len(),
                    "vessel cap reached (track.max_vessels): reports of further new MMSIs are dropped \
                     and counted (varde_vessels_refused_total); a flood of distinct MMSIs is likely spoofed"
                );
            }
            m.set(Counter::VesselsRefused, refused);
        }
    }

    /// Hands the engine's state (and the pipeline's own: alert revisions) to the store writer, which
    /// stores it once every journal line sent before it is committed.
    pub fn send_snapshot(&mut self) {
        self.last_snapshot = std::time::Instant::now();
        self.since_snapshot = 0;
        if let Some(t) = &mut self.share {
            // Vessels the engine forgot need no labels of their sources.
            let picture = self.engine.picture();
            t.retain(|mmsi| picture.get(mmsi).is_some());
        }
        match self.snapshot() {
            Ok(state) => {
                // Alone in its hand-off, after everything before it (every changed vessel's record
                // too): the writer stores it once that is committed.
                self.flush_vessels();
                self.send(StoreItem::Snapshot(state));
                self.flush_store();
            }
            Err(e) => tracing::error!(error = %e, "engine snapshot failed"),
        }
    }

    /// The pipeline's state as one blob.
    pub fn snapshot(&self) -> Result<Vec<u8>, SnapshotError> {
        let labels = self.share.as_ref().map(|t| t.save()).unwrap_or_default();
        saved::encode(
            &self.engine.snapshot()?,
            &self.revisions,
            self.since_drain,
            &labels,
        )
    }

    /// Loads a blob from [`Pipeline::snapshot`]; on error nothing changed.
    pub fn load_snapshot(&mut self, blob: &[u8]) -> Result<(), SnapshotError> {
        let saved = saved::decode(blob)?;
        self.engine.load_snapshot(&saved.engine)?;
        self.revisions = saved.revisions;
        self.since_drain = saved.since_drain;
        if let Some(t) = &mut self.share {
            t.load(saved.labels.as_ref().unwrap_or(&Default::default()));
            // Vessels the snapshot holds no labels for: their sources are not known.
            for v in self.engine.picture().vessels() {
                if !t.knows(v.mmsi) {
                    t.unknown_past(v.mmsi, v.statics.is_some());
                }
            }
            t.flush();
        }
        Ok(())
    }

    /// Alert revisions handed out so far.
    pub fn revisions_mut(&mut self) -> &mut AlertRevisions {
        &mut self.revisions
    }

    /// Replays journal lines through the engine to rebuild the picture and
    /// open alerts after a restart; nothing is written or published.
    pub fn restore<'a>(&mut self, records: impl IntoIterator<Item = &'a RawRecord>) {
        let store = self.store.take();
        let mut added = 0;
        for r in records {
            if let Some(t) = &mut self.share {
                t.restoring = Some(r.source.clone());
            }
            for line in r.line.split('\n') {
                added += self.handle(u32::MAX, line.as_bytes(), r.time_ms, false);
            }
        }
        self.metrics.add(Counter::Reports, added);
        self.metrics
            .set(Counter::Vessels, self.engine.picture().len() as u64);
        if let Some(t) = &mut self.share {
            t.restoring = None;
        }
        // The view learns the restored vessels now; their records go to the store with the first
        // live hand-off (the journal lines are stored; the vessel records of the last ones may not
        // have been, their hand-off lagging by up to `VESSELS_EVERY`).
        self.unstored.extend(self.dirty.iter().copied());
        self.flush_vessels();
        self.store = store;
    }

    /// Handles one line; returns the reports it gave.
    fn handle(&mut self, source: u32, line: &[u8], received_ms: i64, live: bool) -> u64 {
        let frame = match self.decoder.feed(source, line) {
            Ok(Output::Frame(f)) => f,
            Ok(_) => return 0,
            Err(e) => {
                if let Some(h) = self.sources.get(source as usize) {
                    h.rejects.fetch_add(1, Ordering::Relaxed);
                }
                self.metrics.reject(e.cause());
                return 0;
            }
        };
        let msg = match AisMessage::decode(frame.payload) {
            Ok(m) => m,
            Err(e) => {
                self.metrics.reject(decode_cause(&e));
                return 0;
            }
        };
        // A line's own time is trusted within tolerances of when it was received: one line stamped
        // years ahead must not move the picture's clock (and wipe it as "silent"), nor be stored in
        // the future. A line without a time of its own is timed by its arrival.
        let time = match frame.time_ms {
            Some(t) if t > received_ms.saturating_add(self.future_tolerance_ms) => {
                self.metrics.reject("time_ahead_of_receipt");
                return 0;
            }
            Some(t) if t < received_ms.saturating_sub(self.past_tolerance_ms) => {
                self.metrics.reject("time_behind_receipt");
                return 0;
            }
            Some(t) => t,
            None => {
                self.metrics.add(Counter::Untimed, u64::from(live));
                received_ms
            }
        };
        self.reports.clear();
        reports(&msg, &frame, time, &mut self.stations, &mut self.reports);
        if self.reports.is_empty() {
            return 0;
        }
        // The line for the journal, copied out of the decoder's frame into a reused buffer (it
        // goes to the journal after the reports derived from it).
        let mut text = std::mem::take(&mut self.line);
        text.clear();
        text.push_str(&String::from_utf8_lossy(frame.raw.as_bytes()));
        // The source's health record, so its name can be borrowed while `self` changes (an `Arc`
        // clone, no allocation per line).
        let health = self.sources.get(source as usize).cloned();
        let source_name = health.as_deref().map(|h| h.name.as_str());
        let reports = std::mem::take(&mut self.reports);
        for r in &reports {
            let events = self.engine.process(r);
            self.after_report(r, source, source_name, live);
            for e in events {
                self.publish_alert(&e, live);
            }
        }
        self.reports = reports;
        // The journal line goes last: batches commit in channel order, so
        // once it is committed, so is everything derived from it.
        if self.store.is_some() {
            self.journal.push(time, source, &text);
            self.flush_if_full();
        }
        self.line = text;
        // Closed alerts are in the store already; a service running for
        // months must not keep them in memory.
        self.since_drain += 1;
        if self.since_drain >= 10_000 {
            self.since_drain = 0;
            for closed in self.engine.drain_closed() {
                self.revisions.forget(&closed.id);
            }
        }
        self.reports.len() as u64
    }

    fn send(&mut self, item: StoreItem) {
        if self.store.is_some() {
            if self.pending.capacity() == 0 {
                // Room for a chunk once something comes: an idle pipeline holds none.
                self.pending.reserve_exact(STORE_CHUNK);
            }
            self.pending.push(item);
            self.flush_if_full();
        }
    }

    /// Hands the pending items and journal lines to the writer once they are [`STORE_CHUNK`].
    fn flush_if_full(&mut self) {
        if self.pending.len() + self.journal.len() >= STORE_CHUNK {
            // The changed vessels go along once they are due, also while input never stops.
            self.flush_store();
        }
    }

    /// Hands the pending store items to the writer as one chunk (the writer never splits a chunk
    /// across batches, so the order inside it does not matter for durability), with the records
    /// of the vessels changed since their last hand-off once [`VESSELS_EVERY`] has passed.
    pub fn flush_store(&mut self) {
        if self.last_vessels.elapsed() >= VESSELS_EVERY {
            self.flush_vessels();
        } else {
            if self.last_view.elapsed() >= VIEW_EVERY {
                self.publish_view();
            }
            self.send_pending();
        }
    }

    /// Publishes the records of the vessels changed since the last time to the API's view (and
    /// the share labels); their store records follow with the next [`Pipeline::flush_vessels`].
    fn publish_view(&mut self) {
        self.last_view = std::time::Instant::now();
        if let Some(t) = &mut self.share {
            t.flush();
        }
        let picture = self.engine.picture();
        for mmsi in self.dirty.drain() {
            if let Some(v) = picture.get(mmsi) {
                self.view.publish(&vessel_record(v));
                self.unstored.insert(mmsi);
            }
        }
        release_idle(&mut self.dirty);
    }

    /// Hands the pending store items and the records of every vessel changed since the last
    /// hand-off (to the store and the API's view) to the writer now.
    pub fn flush_vessels(&mut self) {
        self.publish_view();
        self.last_vessels = std::time::Instant::now();
        if self.store.is_some() {
            let picture = self.engine.picture();
            // Room for the records exactly: a chunk grown by doubling past `STORE_CHUNK` items
            // would carry up to twice its items' bytes through the writer's queue.
            self.pending.reserve_exact(self.unstored.len());
            for mmsi in self.unstored.drain() {
                if let Some(v) = picture.get(mmsi) {
                    self.pending
                        .push(StoreItem::Vessel(Box::new(vessel_record(v))));
                }
            }
            release_idle(&mut self.unstored);
        }
        self.send_pending();
    }

    /// Hands the pending store items to the writer as one chunk.
    fn send_pending(&mut self) {
        let Some(tx) = &self.store else {
            self.pending.clear();
            self.journal.take();
            return;
        };
        if self.pending.is_empty() && self.journal.is_empty() {
            return;
        }
        let mut chunk = std::mem::take(&mut self.pending);
        if !self.journal.is_empty() {
            // Last in the chunk: the writer never splits a chunk, so the lines commit with what
            // was derived from them.
            chunk.push(StoreItem::Journal(self.journal.take()));
        }
        // Back-pressure: ingest waits for the store rather than losing what it accepted.
        let _ = tx.send(chunk);
    }

    fn after_report(&mut self, r: &Report, source_index: u32, source: Option<&str>, live: bool) {
        let Some(v) = self.engine.picture().get(r.mmsi) else {
            return;
        };
        self.dirty.insert(r.mmsi);
        let mut label = 0;
        if let Some(t) = &mut self.share {
            let position = matches!(r.kind, ReportKind::Position(_));
            let latest = position && v.latest.as_ref().is_some_and(|l| l.time_ms == r.time_ms);
            label = t.source(source);
            t.report(r.mmsi, label, position, latest);
        }
        // A report without a position (`ReportKind::NoFix`, GNSS lost) updates the vessel (heard) but
        // stores no position.
        if let ReportKind::Position(p) = &r.kind {
            // The source's name is filled in by the writer: no allocation per position here.
            self.send(StoreItem::Position(
                position_record(r, p, None),
                source_index,
            ));
            if live {
                let Some(v) = self.engine.picture().get(r.mmsi) else {
                    return;
                };
                let share = &self.share;
                // Built only when someone listens; serialised once for every subscriber.
                self.live.publish_labelled_position(
                    || {
                        let json = PositionData {
                            mmsi: r.mmsi,
                            lat: p.lat,
                            lon: p.lon,
                            sog: p.sog_kn,
                            cog: p.cog_deg,
                            heading: p.heading_deg,
                            name: v.name(),
                            ship_type: v.ship_type(),
                            flag: v.flag(),
                            time: varde_ais::time::rfc3339_ms(r.time_ms),
                        }
                        .to_json();
                        // The labels are read only when someone listens.
                        match share.as_ref().map(|t| t.table().snapshot()) {
                            Some(l) => super::share::labels::splice(&json, &l.get(label).json),
                            None => json,
                        }
                    },
                    || ItemMeta {
                        label,
                        mmsi: r.mmsi,
                        time_ms: Some(r.time_ms),
                    },
                );
            }
        }
    }

    fn publish_alert(&mut self, e: &AlertEvent, live: bool) {
        let a = e.alert();
        let mut json = serde_json::to_string(a).unwrap_or_default();
        // The alert's label is bound into its JSON: stored with it, streamed with it.
        let mut label = 0;
        if let Some(t) = &self.share {
            label = t.alert(std::iter::once(a.mmsi).chain(a.related_mmsi.iter().copied()));
            json = super::share::labels::splice(&json, &t.table().snapshot().get(label).json);
        }
        let revision = self.revisions.next(e);
        self.send(StoreItem::Alert(Box::new(AlertRecord {
            id: a.id.clone(),
            kind: a.kind.as_str().to_owned(),
            mmsi: a.mmsi,
            start_ms: a.start,
            end_ms: a.end,
            open: a.end.is_none() && !matches!(e, AlertEvent::Retracted(_)),
            zone: a.zone.as_ref().map(|z| z.name.to_string()),
            asset: a.asset.as_ref().map(|z| z.name.to_string()),
            // Identity alerts from static data alone have no position: the
            // JSON says null; the indexed columns hold 0.
            lat: if a.lat.is_finite() { a.lat } else { 0.0 },
            lon: if a.lon.is_finite() { a.lon } else { 0.0 },
            json: json.clone(),
            revision,
        })));
        if let Ok(mut m) = self.metrics.alerts.lock() {
            *m = self.engine.counters().alerts;
        }
        if live {
            log_alert(e);
            self.metrics.add(Counter::AlertEvents, 1);
            // Kept in the alert ring for every subscriber, never behind positions.
            let open = a.end.is_none() && !matches!(e, AlertEvent::Retracted(_));
            self.live.publish_labelled_alert(
                json.into(),
                ItemMeta {
                    label,
                    mmsi: a.mmsi,
                    time_ms: if open { None } else { a.end.or(Some(a.start)) },
                },
            );
        }
    }
}

/// Longest a changed vessel's record waits before it is handed to the store: a vessel reporting
/// many times within it is written once.
/// At full ingest (~50,000 lines/s of national traffic) 100 ms held a record for most vessels of the
/// fleet, about one for every two lines, each built, published and upserted; 500 ms hold one for
/// about every ten lines (an upsert costs ~19,000 instructions on the writer).
pub const VESSELS_EVERY: std::time::Duration = std::time::Duration::from_millis(500);

/// Longest a changed vessel's record waits before it is published to the API's in-memory view
/// (which lags the stream by at most this much; building and publishing a record costs the engine
/// thread about a quarter of what storing it costs the writer).
pub const VIEW_EVERY: std::time::Duration = std::time::Duration::from_millis(100);

/// How often the engine thread is woken while the feeds are quiet (see [`spawn_ticker`]).
pub const TICK_EVERY: std::time::Duration = std::time::Duration::from_millis(50);

/// Wakes the engine thread every [`TICK_EVERY`] with an empty [`Input::tick`] (dropped when the queue
/// is full: the engine is busy then anyway), so the vessels' records and the periodic snapshot are
/// handed over while no line arrives. Holds no sender of its own: it ends once the sources and the
/// stop handle are gone or the engine thread has stopped.
pub fn spawn_ticker(rt: &tokio::runtime::Runtime, tx: &mpsc::Sender<Input>) {
    let weak = tx.downgrade();
    drop(rt.spawn(async move {
        let mut every = tokio::time::interval(TICK_EVERY);
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            every.tick().await;
            let Some(tx) = weak.upgrade() else { return };
            if let Err(mpsc::error::TrySendError::Closed(_)) = tx.try_send(Input::tick()) {
                return;
            }
        }
    }));
}

/// Store items per hand-off to the writer: one channel message (and at most one wake-up) per
/// this many, instead of one per item.
pub const STORE_CHUNK: usize = 1_024;

/// One log line when an alert opens, closes or is retracted (revisions are not logged: the API and
/// the stream carry them).
fn log_alert(e: &AlertEvent) {
    let a = e.alert();
    let (kind, severity, mmsi) = (a.kind.as_str(), format!("{:?}", a.severity), a.mmsi);
    match e {
        AlertEvent::Opened(_) => {
            tracing::info!(id = %a.id, kind, severity, mmsi, summary = %a.summary, "alert opened");
        }
        AlertEvent::Closed(_) => tracing::info!(id = %a.id, kind, mmsi, "alert closed"),
        AlertEvent::Retracted(_) => tracing::info!(id = %a.id, kind, mmsi, "alert retracted"),
        AlertEvent::Updated(_) => {}
    }
}

/// MMSIs a drained set of changed vessels keeps room for (see [`release_idle`]).
const SET_KEEP: usize = 1_024;

/// Gives back the room a drained set of changed vessels grew to in a burst (every vessel of a
/// large fleet changed within one hand-off: 5 bytes a slot, ~130 k slots at 100 k vessels, held
/// for good); growing it again is a few reallocations per hand-off.
fn release_idle(
    set: &mut HashSet<u32, std::hash::BuildHasherDefault<varde_watch::picture::FxHasher>>,
) {
    if set.is_empty() && set.capacity() > 4 * SET_KEEP {
        set.shrink_to(SET_KEEP);
    }
}

/// The store's track point for position report `r` (`p` its position), heard from `source`.
pub fn position_record(
    r: &Report,
    p: &varde_watch::PositionFix,
    source: Option<&str>,
) -> PositionRecord {
    PositionRecord {
        mmsi: r.mmsi,
        time_ms: r.time_ms,
        lat: p.lat,
        lon: p.lon,
        sog_kn: p.sog_kn.map(f64::from),
        cog_deg: p.cog_deg.map(f64::from),
        heading_deg: p.heading_deg.map(f64::from),
        nav_status: p.nav_status,
        source: source.map(str::to_owned),
    }
}

/// The store's view of one vessel from the engine's picture.
pub fn vessel_record(v: &varde_watch::picture::Vessel) -> VesselRecord {
    let s = v.statics.as_deref();
    let fix = v.latest.as_ref().map(|t| t.fix);
    VesselRecord {
        mmsi: v.mmsi,
        name: v.name().map(str::to_owned),
        callsign: s.and_then(|s| s.callsign.as_deref()).map(str::to_owned),
        imo: v.imo(),
        ship_type: v.ship_type(),
        flag: v.flag().map(str::to_owned),
        length_m: s.and_then(|s| s.length_m).map(f64::from),
        beam_m: s.and_then(|s| s.beam_m).map(f64::from),
        draught_m: s.and_then(|s| s.draught_m).map(f64::from),
        destination: s.and_then(|s| s.destination.as_deref()).map(str::to_owned),
        eta_ms: s
            .and_then(|s| s.eta_min)
            .map(|m| i64::from(m.get()) * 60_000),
        lat: fix.map(|f| f.lat),
        lon: fix.map(|f| f.lon),
        sog_kn: fix.and_then(|f| f.sog_kn).map(f64::from),
        cog_deg: fix.and_then(|f| f.cog_deg).map(f64::from),
        heading_deg: fix.and_then(|f| f.heading_deg).map(f64::from),
        nav_status: fix.and_then(|f| f.nav_status),
        last_seen_ms: v.last_seen_ms,
    }
}
