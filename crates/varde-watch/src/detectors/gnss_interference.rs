//! `gnss_interference`: several vessels' fixes pulled into one small area within minutes (circle or
//! airport spoofing) are one area alert, not a storm of per-vessel jumps, conflicts and fixes on land;
//! several vessels losing their positions in one wide area within minutes (jamming, [`jamming`]) are one
//! area alert too, not N dark vessels.
//!
//! Engine-wide state ([`Interference`], in [`super::Shared`]): the recent anomalous fixes (a jump or
//! second stream, or a sudden fix on land) and the open episodes with their victims. The detector runs
//! before the per-vessel integrity detectors, so a victim is known as one before they look at its report;
//! the first victims, heard before the area was known, have their alerts settled when the episode opens
//! (see [`settle`]). Nothing is allocated per report unless a fix is anomalous.

use super::{identity_conflict, Ctx, Detector};
use crate::alert::{AlertBook, AlertKey, Kind, Severity};
use crate::area::{AreaChange, AreaEffect, AreaMode};
use crate::config::{Config, GnssInterferenceConfig};
use crate::geo::{distance_m, implied_speed_kn, NM_M};
use crate::picture::{FxMap, Timed, Update};
use crate::report::{RawLines, StationClass};
use crate::time::{duration, hhmm};
use std::collections::VecDeque;

/// Anomalous fixes remembered at most (the oldest are dropped first).
const MAX_RECENT: usize = 256;
/// Episodes' quiet time is checked this often, event time.
const CHECK_EVERY_MS: i64 = 60_000;
/// A victim's report into the area is added as evidence at most this often per episode.
const EVIDENCE_EVERY_MS: i64 = 60_000;

/// Bit in a victim's record: its one `position_on_land` of the episode has been raised.
pub const RAISED_LAND: u8 = 1;

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
struct Candidate {
    /// Jamming (a position lost, at its last known fix) rather than spoofing (a fix pulled away).
    jam: bool,
    mmsi: u32,
    /// The first anomalous fix of this vessel's run (its jump), Unix ms.
    first_ms: i64,
    time_ms: i64,
    lat: f64,
    lon: f64,
    raw: RawLines,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
struct Episode {
    /// Jamming (positions lost) rather than spoofing (positions pulled).
    jam: bool,
    id: u32,
    key: AlertKey,
    start_ms: i64,
    last_ms: i64,
    last_evidence_ms: i64,
    lat: f64,
    lon: f64,
    victims: Vec<u32>,
}

/// A victim of an open episode: which one, and what it has already raised in it.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
struct VictimOf {
    episode: u32,
    raised: u8,
}

/// Engine-wide interference state: recent anomalous fixes, open episodes, victims.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Interference {
    recent: VecDeque<Candidate>,
    episodes: Vec<Episode>,
    victims: FxMap<u32, VictimOf>,
    /// Victims of open jamming episodes: MMSI → episode id. Their fixes are their own (nothing is
    /// withheld); their reports without a position keep the episode open.
    jammed: FxMap<u32, u32>,
    next_id: u32,
    next_check_ms: i64,
    /// Detect, record or follow ([`AreaMode`]); a setting, not state.
    #[serde(skip)]
    mode: AreaMode,
    /// Effects recorded since the caller last took them ([`AreaMode::Record`]).
    #[serde(skip)]
    effects: Vec<AreaChange>,
    /// Effects of the report being processed not yet applied ([`AreaMode::Follow`]).
    #[serde(skip)]
    staged: VecDeque<AreaEffect>,
}

impl Interference {
    /// What a victim already raised in its episode ([`RAISED_LAND`]); 0 when not a victim.
    pub fn raised(&self, mmsi: u32) -> u8 {
        self.victims.get(&mmsi).map_or(0, |v| v.raised)
    }

    /// Notes that a victim raised something in its episode.
    pub fn set_raised(&mut self, mmsi: u32, bit: u8) {
        if let Some(v) = self.victims.get_mut(&mmsi) {
            v.raised |= bit;
        }
    }

    /// Number of open episodes.
    pub fn open_episodes(&self) -> usize {
        self.episodes.len()
    }

    /// Sets what the engine does about episodes.
    pub fn set_mode(&mut self, mode: AreaMode) {
        self.mode = mode;
    }

    /// The mode in use.
    pub fn mode(&self) -> AreaMode {
        self.mode
    }

    /// Takes the effects recorded so far (empty unless recording).
    pub fn take_effects(&mut self) -> Vec<AreaChange> {
        std::mem::take(&mut self.effects)
    }

    /// Effects the recording engine had at the report being processed (follow mode), applied
    /// by the engine between detectors and by `gnss_interference` in its own slot.
    pub fn staged_mut(&mut self) -> &mut std::collections::VecDeque<AreaEffect> {
        &mut self.staged
    }

    /// Closes episodes no victim has reported into for `quiet_s`.
    fn expire(&mut self, c: &GnssInterferenceConfig, now_ms: i64, book: &mut AlertBook) {
        if self.episodes.is_empty() || now_ms < self.next_check_ms {
            return;
        }
        self.next_check_ms = now_ms + CHECK_EVERY_MS;
        let quiet = i64::from(c.quiet_s) * 1000;
        let Self {
            episodes,
            victims,
            jammed,
            mode,
            effects,
            ..
        } = self;
        episodes.retain(|e| {
            if now_ms - e.last_ms <= quiet {
                return true;
            }
            if *mode == AreaMode::Record && !e.jam {
                effects.push(AreaChange::Closed { id: e.id });
            }
            book.close(&e.key, e.last_ms);
            victims.retain(|_, v| v.episode != e.id);
            jammed.retain(|_, id| *id != e.id);
            false
        });
    }

    /// The open episode of the kind (`jam`: jamming, else spoofing) whose area holds (lat, lon).
    fn episode_at(
        &self,
        c: &GnssInterferenceConfig,
        jam: bool,
        lat: f64,
        lon: f64,
    ) -> Option<usize> {
        let r = area_radius_m(c, jam);
        self.episodes
            .iter()
            .position(|e| e.jam == jam && near(e.lat, e.lon, lat, lon, r))
    }

    /// Remembers an anomalous fix (or, `cand.jam`, a lost position at its last fix); returns the cluster
    /// of its kind it completes (≥ `min_vessels` MMSIs within `radius_nm`, or `jamming_radius_nm`, of
    /// it and `window_s` before it), taken out of the recent ones.
    fn offer(&mut self, c: &GnssInterferenceConfig, mut cand: Candidate) -> Option<Vec<Candidate>> {
        let window = i64::from(c.window_s) * 1000;
        let (now, jam, mmsi) = (cand.time_ms, cand.jam, cand.mmsi);
        let same = move |x: &Candidate| x.mmsi == mmsi && x.jam == jam;
        // A vessel's run of anomalous fixes is one entry: the newest place, the first time.
        if let Some(x) = self.recent.iter().find(|x| same(x)) {
            cand.first_ms = cand.first_ms.min(x.first_ms);
        }
        self.recent
            .retain(|x| !same(x) && now - x.time_ms <= window);
        if self.recent.len() >= MAX_RECENT {
            self.recent.pop_front();
        }
        let (lat, lon) = (cand.lat, cand.lon);
        self.recent.push_back(cand);
        let r = area_radius_m(c, jam);
        let close =
            |x: &Candidate| x.jam == jam && near(x.lat, x.lon, lat, lon, r) && x.time_ms <= now;
        let n = self.recent.iter().filter(|x| close(x)).count();
        if n < c.min_vessels as usize {
            return None;
        }
        let mut cluster = Vec::with_capacity(n);
        self.recent.retain(|x| {
            if close(x) {
                cluster.push(x.clone());
                false
            } else {
                true
            }
        });
        Some(cluster)
    }
}

/// The radius of an area of the kind, metres: `jamming_radius_nm` for jamming, `radius_nm` for spoofing.
fn area_radius_m(c: &GnssInterferenceConfig, jam: bool) -> f64 {
    if jam {
        c.jamming_radius_nm * NM_M
    } else {
        c.radius_nm * NM_M
    }
}

/// Whether two points lie within `r` metres (a cheap latitude bound first).
fn near(lat1: f64, lon1: f64, lat2: f64, lon2: f64, r: f64) -> bool {
    (lat1 - lat2).abs() * 111_195.0 <= r && distance_m(lat1, lon1, lat2, lon2) <= r
}

/// The `gnss_interference` detector.
#[derive(Debug, Clone, Copy)]
pub struct GnssInterference;

impl Detector for GnssInterference {
    fn kind(&self) -> Kind {
        Kind::GnssInterference
    }

    fn doc(&self) -> &'static str {
        "GNSS spoofing of an area: at least `min_vessels` (3) different vessels whose fixes jump (an \
         impossible jump or a second position stream, or a sudden fix more than \
         `position_on_land.min_inland_m` inland) to within `radius_nm` (5 nm) of one another within \
         `window_s` (10 min). One high-severity area alert at the centre of the jumped-to fixes, the \
         victims in `related_mmsi` and their raw sentences as evidence; revised as victims join (a \
         victim's fix jumping into the open area), closed at the last report into the area once none has \
         come for `quiet_s` (30 min). Victims are not blamed one by one: while a victim, a vessel raises \
         no `identity_conflict` for its spoofed stream (and those raised in the episode's window are \
         retracted), no `position_jump` (the area alert carries it; earlier ones in the window are \
         retracted), and at most one `position_on_land` per episode; its fixes inside the area are the \
         spoofer's, so the detectors that judge a vessel by its place (zone entry, loitering, \
         rendezvous, infrastructure, gaps) skip them, and retract what the first victims raised there \
         before the area was known. GNSS jamming of an area (Finnmark): at least `min_vessels` (3) \
         vessels (Class A or B) whose reports turn to position unavailable (lat 91/lon 181: still \
         transmitting, no fix) within `window_s` (10 min) of one another, their last known fixes (at \
         most `window_s` old) within `jamming_radius_nm` (20 nm) of one another. One high-severity area \
         alert at the centre of those fixes (positions lost, not pulled), the victims in `related_mmsi` \
         and their no-fix sentences as evidence; a vessel losing its fix within `jamming_radius_nm` of \
         the centre joins it; closed at the last victim's no-fix report once none has come for \
         `quiet_s`. Nothing is withheld (a jammed vessel's fixes are its own), and `ais_gap` does not \
         count a vessel heard without a position as dark. One vessel alone without a fix is a receiver \
         fault: no alert."
    }

    fn enabled(&self, cfg: &Config) -> bool {
        cfg.gnss_interference.enabled
    }

    fn on_report(&self, cx: &mut Ctx<'_>) {
        if cx.gnss.following() {
            return follow(cx);
        }
        if let Update::NoFix { last, first } = cx.update {
            return jamming::no_fix(cx, last, first);
        }
        let Some(t) = cx.fix() else { return };
        if matches!(cx.update, Update::Late | Update::Duplicate) {
            return;
        }
        let c = &cx.cfg.gnss_interference;
        cx.gnss.expire(c, t.time_ms, cx.book);
        let mmsi = cx.vessel.mmsi;
        // Keep the vessel's flag in step with the episodes (founders learn it on their next report).
        let ep = match cx.gnss.episodes.is_empty() {
            true => None,
            false => cx.gnss.victims.get(&mmsi).map(|v| v.episode),
        };
        if ep.is_some() || cx.vessel.rare.is_some() {
            cx.vessel.rare_mut().watch.gnss_episode = ep.unwrap_or(0);
        }
        if let Some(id) = ep {
            into_area(cx, id, &t);
            return;
        }
        if !anomalous(cx, &t) {
            return;
        }
        let c = &cx.cfg.gnss_interference;
        if let Some(i) = cx.gnss.episode_at(c, false, t.fix.lat, t.fix.lon) {
            return join(cx, i, &t);
        }
        let cand = Candidate {
            jam: false,
            mmsi,
            first_ms: t.time_ms,
            time_ms: t.time_ms,
            lat: t.fix.lat,
            lon: t.fix.lon,
            raw: cx.report.raw.clone(),
        };
        if let Some(cluster) = cx.gnss.offer(c, cand) {
            open(cx, cluster);
        }
    }
}

/// `gnss_interference` in an engine that follows another's episodes: the effects the recording
/// engine had at this report are applied first (as it did them, before the per-vessel integrity
/// detectors), then the vessel's flag is kept in step and a victim's fix inside its episode's
/// area is marked as the spoofer's, as in [`GnssInterference::on_report`].
fn follow(cx: &mut Ctx<'_>) {
    let mmsi = cx.vessel.mmsi;
    let mut joined = false;
    // This detector's slot, looked up once (the detector list is fixed).
    static SLOT: std::sync::OnceLock<u8> = std::sync::OnceLock::new();
    let below = *SLOT.get_or_init(|| crate::area::slot_of(Kind::GnssInterference)) + 1;
    crate::area::apply_staged(cx.cfg, cx.book, cx.gnss, below, |c| {
        joined |= matches!(c, AreaChange::Victim { mmsi: m, .. } if *m == mmsi);
    });
    if matches!(cx.update, Update::NoFix { .. }) {
        return;
    }
    let Some(t) = cx.fix() else { return };
    if matches!(cx.update, Update::Late | Update::Duplicate) {
        return;
    }
    let ep = match cx.gnss.episodes.is_empty() {
        true => None,
        false => cx.gnss.victims.get(&mmsi).map(|v| v.episode),
    };
    if ep.is_some() || cx.vessel.rare.is_some() {
        cx.vessel.rare_mut().watch.gnss_episode = ep.unwrap_or(0);
    }
    match ep {
        Some(_) if joined => cx.spoofed = true,
        Some(id) if cx.gnss.in_area(cx.cfg, id, t.fix.lat, t.fix.lon) => cx.spoofed = true,
        _ => {}
    }
}

/// Whether the fix was pulled away: a jump or second stream, or a sudden fix on land (more than
/// `min_inland_m` from the previous fix at over `min_own_limit_kn`, and inland beyond the tolerance,
/// outside ports). Only Class A and B ships count.
fn anomalous(cx: &mut Ctx<'_>, t: &Timed) -> bool {
    if !matches!(t.fix.class, StationClass::ClassA | StationClass::ClassB) {
        return false;
    }
    let prev = match cx.update {
        Update::Jump { .. } | Update::Conflict { .. } | Update::AltContinues => return true,
        Update::Advance { prev } => prev,
        _ => return false,
    };
    let inland = cx.cfg.position_on_land.min_inland_m;
    // Cheap bound first (no trigonometry): both differences well inside the distance.
    let (dlat, dlon) = (
        (t.fix.lat - prev.fix.lat).abs(),
        (t.fix.lon - prev.fix.lon).abs(),
    );
    if dlat.max(dlon) * 111_195.0 < inland * 0.5 {
        return false;
    }
    let d = distance_m(prev.fix.lat, prev.fix.lon, t.fix.lat, t.fix.lon);
    if d <= inland
        || implied_speed_kn(d, t.time_ms - prev.time_ms) <= cx.cfg.position_jump.min_own_limit_kn
    {
        return false;
    }
    let depth = cx.geo.land_depth_m(t.fix.lat, t.fix.lon).unwrap_or(0.0);
    depth > inland && cx.in_port().is_none()
}

/// A victim's report: into the area keeps the episode open (and is evidence now and then).
fn into_area(cx: &mut Ctx<'_>, id: u32, t: &Timed) {
    let r = cx.cfg.gnss_interference.radius_nm * NM_M;
    let Some(e) = cx.gnss.episodes.iter_mut().find(|e| e.id == id) else {
        return;
    };
    if !near(e.lat, e.lon, t.fix.lat, t.fix.lon, r) {
        return;
    }
    cx.spoofed = true;
    e.last_ms = e.last_ms.max(t.time_ms);
    if t.time_ms - e.last_evidence_ms < EVIDENCE_EVERY_MS {
        return;
    }
    e.last_evidence_ms = t.time_ms;
    let key = e.key;
    cx.book
        .revise(key, t.time_ms, cx.vessel, &cx.report.raw, false, |_| {});
}

/// A new victim jumps into an open episode's area.
fn join(cx: &mut Ctx<'_>, i: usize, t: &Timed) {
    let mmsi = cx.vessel.mmsi;
    let window = i64::from(cx.cfg.gnss_interference.window_s) * 1000;
    let e = &mut cx.gnss.episodes[i];
    e.victims.push(mmsi);
    e.last_ms = e.last_ms.max(t.time_ms);
    let (id, key, since) = (e.id, e.key, e.start_ms - window);
    let s = summary(e, t.time_ms);
    let mut related: Vec<u32> = e.victims.iter().copied().filter(|&m| m != key.1).collect();
    related.sort_unstable();
    let area = (e.lat, e.lon);
    cx.gnss.record(AreaChange::Victim {
        id,
        mmsi,
        since_ms: since,
    });
    let raised = settle(cx.cfg, cx.book, mmsi, since, area);
    cx.spoofed = true;
    cx.gnss.victims.insert(
        mmsi,
        VictimOf {
            episode: id,
            raised,
        },
    );
    cx.vessel.rare_mut().watch.gnss_episode = id;
    cx.book
        .revise(key, t.time_ms, cx.vessel, &cx.report.raw, true, |a| {
            a.summary = s;
            a.related_mmsi = related;
        });
}

/// Opens an episode on a completed cluster; the current report is its newest member.
fn open(cx: &mut Ctx<'_>, mut cluster: Vec<Candidate>) {
    let c = &cx.cfg.gnss_interference;
    let window = i64::from(c.window_s) * 1000;
    let (lat, lon, start_ms) = centre(&mut cluster);
    let now = cx.now();
    let (id, key) = cx.gnss.new_episode(cx.vessel.mmsi, lat, lon, start_ms);
    let mut e = Episode {
        jam: false,
        id,
        key,
        start_ms,
        last_ms: now,
        last_evidence_ms: now,
        lat,
        lon,
        victims: cluster.iter().map(|x| x.mmsi).collect(),
    };
    let s = summary(&e, now);
    cx.gnss.record(AreaChange::Opened { id, lat, lon });
    for x in &cluster {
        cx.gnss.record(AreaChange::Victim {
            id,
            mmsi: x.mmsi,
            since_ms: start_ms - window,
        });
        let raised = settle(cx.cfg, cx.book, x.mmsi, start_ms - window, (lat, lon));
        cx.gnss.victims.insert(
            x.mmsi,
            VictimOf {
                episode: id,
                raised,
            },
        );
    }
    cx.vessel.rare_mut().watch.gnss_episode = id;
    cx.spoofed = true;
    let mut d = cx.draft(Severity::High, start_ms, s);
    (d.lat, d.lon) = (lat, lon);
    d.related = e.victims.iter().copied().filter(|&m| m != key.1).collect();
    d.related.sort_unstable();
    d.prior_evidence = cluster
        .first()
        .filter(|x| x.mmsi != key.1)
        .map(|x| x.raw.clone());
    cx.book.open(key, d, cx.vessel, &cx.report.raw);
    for x in cluster.iter().skip(1).filter(|x| x.mmsi != key.1) {
        cx.book.attach(&key, &x.raw);
    }
    e.victims.sort_unstable();
    cx.gnss.episodes.push(e);
    cx.gnss.next_check_ms = cx.gnss.next_check_ms.min(now + CHECK_EVERY_MS);
}

/// Sorts a completed cluster by time and returns its centre and start (the first member's first
/// anomalous report).
fn centre(cluster: &mut [Candidate]) -> (f64, f64, i64) {
    cluster.sort_by_key(|x| (x.time_ms, x.mmsi));
    let n = cluster.len().max(1) as f64;
    let lat = cluster.iter().map(|x| x.lat).sum::<f64>() / n;
    let lon = cluster.iter().map(|x| x.lon).sum::<f64>() / n;
    let start_ms = cluster.iter().map(|x| x.first_ms).min().unwrap_or(0);
    (lat, lon, start_ms)
}

impl Interference {
    /// A fresh episode id and the alert key of an episode about `mmsi` at (lat, lon) from `start_ms`.
    fn new_episode(&mut self, mmsi: u32, lat: f64, lon: f64, start_ms: i64) -> (u32, AlertKey) {
        self.next_id = self.next_id.wrapping_add(1).max(1);
        let cell = (((lat * 10.0).floor() as i64 as u64 & 0xffff) << 16)
            | ((lon * 10.0).floor() as i64 as u64 & 0xffff);
        let key = (
            Kind::GnssInterference,
            mmsi,
            cell << 32 | (start_ms / 1000) as u64 & 0xffff_ffff,
        );
        (self.next_id, key)
    }
}

/// `GNSS interference: 3 vessels' positions pulled into one area ...` (or, jamming, `GNSS jamming:
/// 4 vessels lost their positions ...`).
fn summary(e: &Episode, now_ms: i64) -> String {
    let (ns, ew) = (
        if e.lat >= 0.0 { 'N' } else { 'S' },
        if e.lon >= 0.0 { 'E' } else { 'W' },
    );
    if e.jam {
        return format!(
            "GNSS jamming: {} vessels lost their positions in one area around {:.3}{ns} {:.3}{ew} (their last \
             known fixes) since {} (over {}): still transmitting with position unavailable, positions lost, \
             not pulled; not the vessels' own doing, and not vessels gone dark",
            e.victims.len(),
            e.lat.abs(),
            e.lon.abs(),
            hhmm(e.start_ms),
            duration((now_ms - e.start_ms).max(60_000)),
        );
    }
    format!(
        "GNSS interference: {} vessels' positions pulled into one area around {:.3}{ns} {:.3}{ew} since {} \
         (over {}): spoofing, not the vessels' own doing; their per-vessel jump and identity alerts are withheld",
        e.victims.len(),
        e.lat.abs(),
        e.lon.abs(),
        hhmm(e.start_ms),
        duration((now_ms - e.start_ms).max(60_000)),
    )
}

/// Whether a detector still sees a victim's fix inside the area (the position is the spoofer's): the
/// integrity detectors, which handle victims themselves, and those that judge identity, not place.
pub fn sees_spoofed(kind: Kind) -> bool {
    matches!(
        kind,
        Kind::DataQuality
            | Kind::Watchlist
            | Kind::GnssInterference
            | Kind::IdentityConflict
            | Kind::PositionJump
            | Kind::PositionOnLand
    )
}

/// Settles a victim's own alerts raised since `since_ms`, now that the area is known: its second
/// transmitter (`identity_conflict` two places) and `position_jump`s are retracted (the area alert
/// explains them); of its `position_on_land`s the first is kept and the rest retracted; alerts of the
/// detectors that judge a vessel by its place (zone entry, loitering, rendezvous, infrastructure,
/// gaps) whose position lies in the area came from spoofed fixes and are retracted too. Returns the
/// victim's raised bits. Rare (when an episode opens or a victim joins): scans the alert list.
fn settle(cfg: &Config, book: &mut AlertBook, mmsi: u32, since_ms: i64, area: (f64, f64)) -> u8 {
    let mut drop = Vec::new();
    let r = cfg.gnss_interference.radius_nm * NM_M;
    for k in Kind::ALL.into_iter().filter(|&k| !sees_spoofed(k)) {
        let spoofed = book
            .recent(k, mmsi)
            .filter(|a| a.start >= since_ms && near(area.0, area.1, a.lat, a.lon, r));
        drop.extend(spoofed.map(|a| a.id.clone()));
    }
    let recent = |k| book.recent(k, mmsi).filter(move |a| a.start >= since_ms);
    for a in recent(Kind::IdentityConflict) {
        if a.summary.contains(identity_conflict::TWO_PLACES_WORDS) {
            drop.push(a.id.clone());
        }
    }
    drop.extend(recent(Kind::PositionJump).map(|a| a.id.clone()));
    let lands: Vec<String> = recent(Kind::PositionOnLand).map(|a| a.id.clone()).collect();
    let raised = if lands.is_empty() { 0 } else { RAISED_LAND };
    drop.extend(lands.into_iter().rev().skip(1));
    for id in drop {
        book.retract(&id);
    }
    raised
}

mod episodes;
mod jamming;
#[cfg(test)]
mod tests;
