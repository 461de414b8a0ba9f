//! The engine: reports in, alert events out, in event time. Pure and deterministic.

use crate::alert::{Alert, AlertBook, AlertEvent, Kind};
use crate::area::{AreaEffect, AreaMode, AREA_KINDS, BEFORE_DETECTORS};
use crate::config::{Config, ConfigErrors};
use crate::detectors::{
    data_quality, gnss_interference, sweep_dark, Ctx, Detector, Shared, DETECTORS,
};
use crate::geo::Geo;
use crate::picture::{Picture, Update};
use crate::report::Report;
use serde::Serialize;
use std::collections::BTreeMap;

mod state;

/// Housekeeping (stale pairs, silent vessels) runs every this many ms of event time.
const SWEEP_EVERY_MS: i64 = 10 * 60_000;
/// Vessels gone dark near infrastructure are looked for every this many ms of event time.
const DARK_EVERY_MS: i64 = 60_000;

/// What the engine has seen and raised.
#[derive(Debug, Clone, Default, PartialEq, Serialize, serde::Deserialize)]
pub struct Counters {
    /// Reports processed.
    pub reports: u64,
    /// Position reports.
    pub positions: u64,
    /// Static reports.
    pub statics: u64,
    /// Position reports without a position (GNSS lost: lat 91°/lon 181°); counted in `positions` too.
    pub no_fix: u64,
    /// Reports older than the vessel's latest (added to history only).
    pub late: u64,
    /// Reports heard twice (same time and place): ignored.
    pub duplicates: u64,
    /// Fixes rejected as jumps or second streams.
    pub rejected_fixes: u64,
    /// Vessels currently tracked.
    pub vessels: usize,
    /// Alerts raised, by kind.
    #[serde(
        serialize_with = "crate::snapshot::ser_counts",
        deserialize_with = "crate::snapshot::de_alert_counts"
    )]
    pub alerts: BTreeMap<&'static str, u64>,
    /// Vessels marked by `data_quality`, by cause (`placeholder_mmsi`, `gear_buoy`, ...).
    #[serde(
        serialize_with = "crate::snapshot::ser_counts",
        deserialize_with = "crate::snapshot::de_quality_counts"
    )]
    pub data_quality: BTreeMap<&'static str, u64>,
    /// Reports from vessels spared every alert but the data-quality note.
    pub spared_reports: u64,
    /// Reports of new MMSIs dropped because the picture held `track.max_vessels` vessels.
    pub vessels_refused: u64,
}

/// The watch engine over a geography `G`.
pub struct Engine<G: Geo> {
    cfg: Config,
    geo: G,
    picture: Picture,
    book: AlertBook,
    shared: Shared,
    /// The detectors the configuration switches on, in [`DETECTORS`] order.
    enabled: Vec<Enabled>,
    /// Alone, recording or following ([`crate::area`]).
    area_mode: AreaMode,
    /// Effects recorded and not yet taken ([`AreaMode::Record`]).
    recorded: Vec<AreaEffect>,
    counters: Counters,
    latest_ms: i64,
    next_sweep_ms: i64,
    next_dark_ms: i64,
}

impl<G: Geo> Engine<G> {
    /// An engine with a validated configuration.
    pub fn new(cfg: Config, geo: G) -> Result<Self, ConfigErrors> {
        cfg.validate()?;
        let book = AlertBook::new(&cfg.alerts);
        let shared = Shared::new(&cfg);
        let enabled = Enabled::list(&cfg, AreaMode::Alone);
        let (picture, counters) = (Picture::default(), Counters::default());
        Ok(Self {
            cfg,
            geo,
            picture,
            book,
            shared,
            enabled,
            area_mode: AreaMode::Alone,
            recorded: Vec::new(),
            counters,
            latest_ms: i64::MIN,
            next_sweep_ms: i64::MIN,
            next_dark_ms: i64::MIN,
        })
    }

    /// Processes one report; returns the alert events it caused (usually none, and then no allocation).
    pub fn process(&mut self, r: &Report) -> Vec<AlertEvent> {
        let mut out = Vec::new();
        self.process_into(r, &mut out);
        out
    }

    /// Processes one report, appending the alert events it caused to `out`.
    pub fn process_into(&mut self, r: &Report, out: &mut Vec<AlertEvent>) {
        self.shared
            .receivers
            .heard(r.source.as_ref(), r.mmsi, r.time_ms);
        match self.area_mode {
            AreaMode::Alone => self.tick(r.time_ms),
            AreaMode::Record => {
                // Dark vessels raised on the clock start incidents too.
                self.book.set_incident_recording(true);
                self.tick(r.time_ms);
                let slot = BEFORE_DETECTORS;
                let changes = self.book.take_incident_changes();
                self.recorded
                    .extend(changes.map(|change| AreaEffect { slot, change }));
                self.book.set_incident_recording(false);
            }
            AreaMode::Follow => {
                let gnss = &mut self.shared.gnss;
                let below = BEFORE_DETECTORS + 1;
                crate::area::apply_staged(&self.cfg, &mut self.book, gnss, below, |_| {});
                self.tick(r.time_ms);
            }
        }
        if self.picture.len() >= self.cfg.track.max_vessels && self.picture.get(r.mmsi).is_none() {
            self.counters.vessels_refused += 1;
            return;
        }
        let (vessel, update) = self.picture.observe(&self.cfg, r);
        count(&mut self.counters, update);
        if let Some(cause) = data_quality::mark(&self.cfg, vessel, r, &mut self.book) {
            *self.counters.data_quality.entry(cause).or_default() += 1;
        }
        let spared = vessel.watch.data.spared(&self.cfg);
        self.counters.spared_reports += u64::from(spared);
        if update != Update::Duplicate {
            let mut cx = Ctx::new(
                &self.cfg,
                &self.geo,
                r,
                update,
                &mut *vessel,
                &mut self.book,
                &mut self.shared,
            );
            for &Enabled {
                slot,
                area,
                detector: d,
            } in &self.enabled
            {
                match self.area_mode {
                    AreaMode::Alone => {}
                    AreaMode::Follow => {
                        crate::area::apply_staged(cx.cfg, cx.book, cx.gnss, slot, |_| {})
                    }
                    AreaMode::Record => cx.book.set_incident_recording(area),
                }
                if (!spared || d.kind() == Kind::DataQuality)
                    && (!cx.spoofed || gnss_interference::sees_spoofed(d.kind()))
                {
                    d.on_report(&mut cx);
                }
                if self.area_mode == AreaMode::Record && area {
                    let changes = cx.gnss.take_effects().into_iter();
                    let changes = changes.chain(cx.book.take_incident_changes());
                    self.recorded
                        .extend(changes.map(|change| AreaEffect { slot, change }));
                    cx.book.set_incident_recording(false);
                }
            }
            vessel.tidy();
            if matches!(update, Update::First | Update::Advance { .. }) {
                // Copied into the vessel's own buffer (no allocation while the sentences keep their
                // length, as a vessel's position reports do), so the report's bytes stay free for
                // the reader to reuse.
                let raw = r.raw.as_bytes();
                match &mut vessel.last_raw {
                    Some(last) if last.len() == raw.len() => last.copy_from_slice(raw),
                    last => *last = Some(raw.into()),
                }
            }
        }
        self.book.move_events_into(out);
    }

    /// Sets what the engine does about the pairwise detectors' outcomes ([`crate::area`]): run
    /// alone (the default), record them for engines that see fewer vessels, or follow a recording
    /// engine's. Kept across [`Engine::load_snapshot`].
    pub fn set_area_mode(&mut self, mode: AreaMode) {
        self.area_mode = mode;
        self.shared.gnss.set_mode(mode);
        self.enabled = Enabled::list(&self.cfg, mode);
    }

    /// Takes the effects recorded by the last reports ([`AreaMode::Record`]): call after each
    /// report to know which report they belong to.
    pub fn take_area_effects(&mut self) -> Vec<AreaEffect> {
        std::mem::take(&mut self.recorded)
    }

    /// Follow mode: applies effects the recording engine had at reports this engine does not
    /// see, appending the alert events they cause (retractions) to `out`.
    pub fn apply_area_effects_into(
        &mut self,
        effects: impl IntoIterator<Item = AreaEffect>,
        out: &mut Vec<AlertEvent>,
    ) {
        for e in effects {
            crate::area::apply(&self.cfg, &mut self.book, &mut self.shared.gnss, e.change);
        }
        self.book.move_events_into(out);
    }

    /// Follow mode: processes a report at which the recording engine had `effects`; each is
    /// applied in its detector slot, where the recording engine made it.
    pub fn process_with_area_effects_into(
        &mut self,
        r: &Report,
        effects: Vec<AreaEffect>,
        out: &mut Vec<AlertEvent>,
    ) {
        self.shared.gnss.staged_mut().extend(effects);
        self.process_into(r, out);
        // Those of slots after the last detector that ran (a refused vessel's report runs none).
        let gnss = &mut self.shared.gnss;
        crate::area::apply_staged(&self.cfg, &mut self.book, gnss, u8::MAX, |_| {});
        self.book.move_events_into(out);
    }

    /// Ends the input at `end_ms`: closes alerts of vessels silent too long and returns the last events.
    /// Alerts whose behaviour is still going on at `end_ms` stay open (`end` null).
    pub fn finish(&mut self, end_ms: i64) -> Vec<AlertEvent> {
        let end = end_ms.max(self.latest_ms);
        self.sweep_dark(end);
        self.sweep(end);
        self.book.drain_events().collect()
    }

    /// Final state of every alert, ordered by start time then id.
    pub fn alerts(&self) -> Vec<&Alert> {
        self.book.alerts()
    }

    /// Removes alerts closed longer ago than `alerts.keep_closed_s` on the engine's clock from memory
    /// and returns them (live use; see [`AlertBook::drain_closed`]).
    pub fn drain_closed(&mut self) -> Vec<Alert> {
        self.book.drain_closed(self.latest_ms)
    }

    /// Every alert as JSON Lines, in [`Engine::alerts`] order: the replay output.
    pub fn alerts_jsonl(&self) -> String {
        self.alerts().iter().map(|a| a.to_json() + "\n").collect()
    }

    /// The engine's clock: the newest event time processed, Unix ms (`None` before any report).
    pub fn latest_ms(&self) -> Option<i64> {
        (self.latest_ms != i64::MIN).then_some(self.latest_ms)
    }

    /// Reports of new MMSIs dropped at the vessel cap (`track.max_vessels`) so far.
    pub fn vessels_refused(&self) -> u64 {
        self.counters.vessels_refused
    }

    /// Counters so far.
    pub fn counters(&self) -> Counters {
        let mut c = self.counters.clone();
        c.vessels = self.picture.len();
        let counts = self.book.counts();
        c.alerts = Kind::ALL
            .iter()
            .map(|k| (k.as_str(), counts[*k as usize]))
            .filter(|(_, n)| *n > 0)
            .collect();
        c
    }

    /// The picture.
    pub fn picture(&self) -> &Picture {
        &self.picture
    }

    /// The configuration in use.
    pub fn config(&self) -> &Config {
        &self.cfg
    }

    fn tick(&mut self, now_ms: i64) {
        self.latest_ms = self.latest_ms.max(now_ms);
        if self.next_dark_ms == i64::MIN {
            self.next_dark_ms = now_ms + DARK_EVERY_MS;
        } else if self.latest_ms >= self.next_dark_ms {
            self.sweep_dark(self.latest_ms);
            self.next_dark_ms = self.latest_ms + DARK_EVERY_MS;
        }
        if self.next_sweep_ms == i64::MIN {
            self.next_sweep_ms = now_ms + SWEEP_EVERY_MS;
        } else if self.latest_ms >= self.next_sweep_ms {
            self.sweep(self.latest_ms);
            self.next_sweep_ms = self.latest_ms + SWEEP_EVERY_MS;
        }
    }

    fn sweep_dark(&mut self, now_ms: i64) {
        if self.area_mode == AreaMode::Follow {
            // `ais_gap` is the recording engine's ([`AREA_KINDS`]).
            return;
        }
        let geo: &dyn Geo = &self.geo;
        let receivers = &self.shared.receivers;
        sweep_dark(
            &self.cfg,
            geo,
            &self.picture,
            receivers,
            &mut self.book,
            now_ms,
        );
    }

    /// Closes stale pairs and alerts of silent vessels, then forgets long-silent vessels. A vessel gone
    /// dark keeps its `ais_gap` alert open until it reappears or is forgotten.
    fn sweep(&mut self, now_ms: i64) {
        self.shared
            .pairs
            .sweep(&self.cfg.rendezvous, now_ms, &mut self.book);
        let cutoff = now_ms - i64::from(self.cfg.alerts.close_after_silence_s) * 1000;
        let forget = now_ms - i64::from(self.cfg.track.forget_after_s) * 1000;
        for key in self.book.open_keys() {
            let last = self.picture.get(key.1).map_or(i64::MIN, |v| v.last_seen_ms);
            if key.0 == Kind::AisGap {
                if last < forget {
                    self.book.close(&key, now_ms);
                }
            } else if last < cutoff {
                let end = self
                    .book
                    .get(&key)
                    .map_or(cutoff, |a| a.end.unwrap_or(last.max(a.start)));
                self.book.close(&key, end);
            }
        }
        self.picture.forget_silent(forget);
        self.book.prune_incidents(now_ms);
    }
}

/// An enabled detector, its slot ([`crate::area::slot_of`]) and whether it needs every vessel.
#[derive(Clone, Copy)]
struct Enabled {
    slot: u8,
    area: bool,
    detector: &'static dyn Detector,
}

impl Enabled {
    /// The detectors `cfg` switches on; a follower runs none of [`AREA_KINDS`] (the recording
    /// engine does) but `gnss_interference`, which applies the episodes in its slot.
    fn list(cfg: &Config, mode: AreaMode) -> Vec<Self> {
        DETECTORS
            .iter()
            .enumerate()
            .filter(|(_, d)| d.enabled(cfg))
            .filter(|(_, d)| {
                let k = d.kind();
                mode != AreaMode::Follow || k == Kind::GnssInterference || !AREA_KINDS.contains(&k)
            })
            .map(|(i, &detector)| Self {
                slot: i as u8 + 1,
                area: AREA_KINDS.contains(&detector.kind()),
                detector,
            })
            .collect()
    }
}

fn count(c: &mut Counters, update: Update) {
    c.reports += 1;
    match update {
        Update::Static { .. } => c.statics += 1,
        Update::Late => c.late += 1,
        Update::Duplicate => c.duplicates += 1,
        Update::Jump { .. } | Update::Conflict { .. } | Update::AltContinues => {
            c.rejected_fixes += 1
        }
        Update::NoFix { .. } => c.no_fix += 1,
        Update::First | Update::Advance { .. } => {}
    }
    if !matches!(update, Update::Static { .. }) {
        c.positions += 1;
    }
}
