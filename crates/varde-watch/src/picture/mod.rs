//! The recognised picture: every vessel's state, updated report by report in event time.
//!
//! [`Picture::observe`] classifies each report ([`Update`]) before any detector runs, so that detectors
//! agree on what is new, late, duplicated, a jump, or a second stream of the same MMSI.

pub mod mid;
pub mod motion;
mod observation;
pub mod track;
pub mod vessel;

use crate::config::Config;
use crate::geo::{distance_m, implied_speed_kn, NM_M};
use crate::report::{PositionFix, Report, ReportKind};
use observation::observe_position;
pub use observation::{Observation, OBSERVED_GAP_MS};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
pub use vessel::{AltStream, Former, Merged, Rare, Vessel};

/// A position fix with its event time.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Timed {
    /// Event time, Unix ms.
    pub time_ms: i64,
    /// The fix.
    pub fix: PositionFix,
}

/// How a report relates to what the picture already held.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Update {
    /// The vessel's first position.
    First,
    /// A newer position consistent with the previous one (`prev`).
    Advance {
        /// The latest fix before this one.
        prev: Timed,
    },
    /// Older than the latest fix: added to history, latest unchanged.
    Late,
    /// Same time and place as the latest fix (heard by two stations): ignored.
    Duplicate,
    /// Kinematically impossible from the latest fix; latest unchanged, a candidate second stream opened.
    Jump {
        /// The latest accepted fix.
        from: Timed,
    },
    /// Continues a second stream that interleaves with the primary: two transmitters share the MMSI.
    Conflict {
        /// The primary stream's latest fix.
        other: Timed,
    },
    /// Continues the second stream while the primary was heard within [`REORDER_MS`]: too soon to tell a
    /// primary that fell silent from reports arriving out of order. Latest unchanged; no detector fires.
    AltContinues,
    /// A position report without a position ([`ReportKind::NoFix`]: GNSS lost): the vessel was heard
    /// ([`Vessel::last_seen_ms`], [`Rare::nofix_ms`]), its track and latest fix are unchanged.
    NoFix {
        /// The latest fix (the last known position), if any.
        last: Option<Timed>,
        /// Whether this is the first no-fix report after that fix (not one out of order before it): the
        /// vessel has just lost its position. False when there is no fix.
        first: bool,
    },
    /// Static data merged.
    Static {
        /// The previous IMO number, when a known IMO changed.
        imo_changed_from: Option<u32>,
        /// Whether a known name or call sign changed ([`Vessel::former`] holds the old ones).
        renamed: bool,
    },
}

/// A small, fixed (hence deterministic) hasher for integer keys (the Firefox/rustc "Fx" hash).
#[derive(Debug, Default, Clone, Copy)]
pub struct FxHasher(u64);

impl Hasher for FxHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        // Eight bytes a round; the tail (with its length, so "a" and "a\0" differ) in one more.
        let mut words = bytes.chunks_exact(8);
        for w in &mut words {
            let mut b = [0u8; 8];
            b.copy_from_slice(w);
            self.write_u64(u64::from_le_bytes(b));
        }
        let tail = words.remainder();
        if !tail.is_empty() {
            let mut b = [0u8; 8];
            b[..tail.len()].copy_from_slice(tail);
            b[7] = tail.len() as u8;
            self.write_u64(u64::from_le_bytes(b));
        }
    }
    fn write_u8(&mut self, n: u8) {
        self.write_u64(u64::from(n));
    }
    fn write_u32(&mut self, n: u32) {
        self.write_u64(u64::from(n));
    }
    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }
    fn write_isize(&mut self, n: isize) {
        self.write_u64(n as u64);
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

/// A `HashMap` with [`FxHasher`]: iteration order depends only on the inserted keys, never on a seed.
pub type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

/// All vessels, keyed by MMSI. Each vessel is boxed: the table's slots stay one word, so memory per
/// vessel does not depend on how full the table happens to be (a table just past a power of two holds
/// up to twice the slots it needs; with the vessel inline that was up to ~370 idle bytes per vessel).
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Picture {
    vessels: FxMap<u32, Box<Vessel>>,
    /// What vessels forgotten since the start were observed ([`Picture::observation`]).
    forgotten: Observation,
}

impl Picture {
    /// Updates the picture with one report and says how it relates to what was known.
    pub fn observe(&mut self, cfg: &Config, r: &Report) -> (&mut Vessel, Update) {
        let v = self
            .vessels
            .entry(r.mmsi)
            .or_insert_with(|| Box::new(Vessel::new(r.mmsi, r.time_ms)));
        let v: &mut Vessel = v;
        v.last_seen_ms = v.last_seen_ms.max(r.time_ms);
        let update = match &r.kind {
            ReportKind::Static(s) => {
                let m = v.merge_static_at(s, r.time_ms);
                Update::Static {
                    imo_changed_from: m.imo_changed_from,
                    renamed: m.renamed,
                }
            }
            ReportKind::Position(fix) => {
                observe_position(v, r.time_ms);
                position(
                    cfg,
                    v,
                    Timed {
                        time_ms: r.time_ms,
                        fix: *fix,
                    },
                )
            }
            ReportKind::NoFix(_) => no_fix(v, r.time_ms),
        };
        (v, update)
    }

    /// The vessel with this MMSI.
    pub fn get(&self, mmsi: u32) -> Option<&Vessel> {
        self.vessels.get(&mmsi).map(|v| &**v)
    }

    /// Every tracked vessel, in no particular order.
    pub fn vessels(&self) -> impl Iterator<Item = &Vessel> {
        self.vessels.values().map(|v| &**v)
    }

    /// Every tracked vessel, mutable, in no particular order.
    pub fn vessels_mut(&mut self) -> impl Iterator<Item = &mut Vessel> {
        self.vessels.values_mut().map(|v| &mut **v)
    }

    /// Number of tracked vessels.
    pub fn len(&self) -> usize {
        self.vessels.len()
    }

    /// Whether no vessel is tracked.
    pub fn is_empty(&self) -> bool {
        self.vessels.is_empty()
    }

    /// Forgets vessels silent since before `cutoff_ms`; returns how many.
    pub fn forget_silent(&mut self, cutoff_ms: i64) -> usize {
        let before = self.vessels.len();
        let forgotten = &mut self.forgotten;
        self.vessels.retain(|_, v| {
            let keep = v.last_seen_ms >= cutoff_ms;
            if !keep {
                forgotten.add(v);
            }
            keep
        });
        before - self.vessels.len()
    }

    /// Vessel-time observed by position reports, over every vessel since the start (forgotten ones
    /// included).
    pub fn observation(&self) -> Observation {
        let mut o = self.forgotten;
        for v in self.vessels.values() {
            o.add(v);
        }
        o
    }

    /// Approximate bytes used per vessel: the map slot, the boxed vessel and what it owns on the heap
    /// (`tests/allocated.rs` checks it against a counting allocator).
    pub fn bytes_per_vessel(&self) -> f64 {
        let slot = std::mem::size_of::<(u32, Box<Vessel>)>() + 1;
        let table = self.vessels.capacity() * slot;
        let boxed = std::mem::size_of::<Vessel>();
        let heap: usize = self.vessels.values().map(|v| boxed + v.heap_bytes()).sum();
        (table + heap) as f64 / self.vessels.len().max(1) as f64
    }
}

/// Reports from different receivers and feeds arrive out of order by up to this much: the primary stream
/// is only taken to have fallen silent (and the second stream adopted) after this long without it.
pub const REORDER_MS: i64 = 60_000;

/// Classifies and applies a position report.
fn position(cfg: &Config, v: &mut Vessel, now: Timed) -> Update {
    let Some(latest) = v.latest else {
        accept(cfg, v, None, now);
        return Update::First;
    };
    if now.time_ms < latest.time_ms {
        // A late fix of the second stream must not enter the primary's track; it may advance the stream.
        if compatible(cfg, v, &now, &latest) {
            if fits_track(cfg, v, &now, &latest) {
                v.track.insert_late(&cfg.track, &now);
            }
        } else if let Some(alt) = v.rare().alt.as_deref().map(|a| a.latest) {
            if now.time_ms > alt.time_ms && compatible(cfg, v, &alt, &now) {
                if let Some(a) = v.rare_mut().alt.as_deref_mut() {
                    a.latest = now;
                }
            }
        }
        return Update::Late;
    }
    if now.time_ms == latest.time_ms
        && now.fix.lat == latest.fix.lat
        && now.fix.lon == latest.fix.lon
    {
        return Update::Duplicate;
    }
    if compatible(cfg, v, &latest, &now) {
        if let Some(r) = v.rare.as_deref_mut() {
            if let Some(alt) = r.alt.as_mut() {
                alt.primary_since = true;
                let window = cfg.identity_conflict.stream_window_s as i64 * 1000;
                if now.time_ms - alt.latest.time_ms > window {
                    r.alt_last_s = (alt.latest.time_ms / 1000).clamp(0, i64::from(u32::MAX)) as u32;
                    r.alt = None;
                }
            }
        }
        accept(cfg, v, Some(latest), now);
        return Update::Advance { prev: latest };
    }
    second_stream(cfg, v, latest, now)
}

/// Notes a report without a position: [`Rare::nofix_ms`] and the longest silence of the spell since
/// the latest fix ([`Rare::nofix_silence_s`]); the track and latest fix are untouched.
fn no_fix(v: &mut Vessel, time_ms: i64) -> Update {
    let last = v.latest;
    let since = last.map_or(i64::MIN, |l| l.time_ms);
    // A report older than the latest fix (out of order), or of a vessel never fixed, starts no spell.
    let in_spell = last.is_some() && time_ms >= since;
    let r = v.rare_mut();
    let first = in_spell && r.nofix_ms <= since;
    if in_spell {
        // Silence since the latest fix (first of the spell) or the spell's previous no-fix report; one
        // out of order within the spell leaves it as it was.
        let heard = if first { since } else { r.nofix_ms };
        if first {
            r.nofix_silence_s = 0;
        }
        let s = ((time_ms - heard).max(0) / 1000).min(i64::from(u32::MAX)) as u32;
        r.nofix_silence_s = r.nofix_silence_s.max(s);
    }
    r.nofix_ms = r.nofix_ms.max(time_ms);
    Update::NoFix { last, first }
}

/// Handles a fix incompatible with the primary stream.
fn second_stream(cfg: &Config, v: &mut Vessel, latest: Timed, now: Timed) -> Update {
    let Some(alt) = v.rare().alt.as_deref().cloned() else {
        v.rare_mut().alt = Some(Box::new(AltStream {
            latest: now,
            primary_since: false,
        }));
        return Update::Jump { from: latest };
    };
    if !compatible(cfg, v, &alt.latest, &now) {
        v.rare_mut().alt = Some(Box::new(AltStream {
            latest: now,
            primary_since: false,
        }));
        return Update::Jump { from: latest };
    }
    if alt.primary_since {
        v.rare_mut().alt = Some(Box::new(AltStream {
            latest: now,
            primary_since: false,
        }));
        return Update::Conflict { other: latest };
    }
    if now.time_ms - latest.time_ms <= REORDER_MS {
        if let Some(a) = v.rare_mut().alt.as_deref_mut() {
            a.latest = now;
        }
        return Update::AltContinues;
    }
    // The primary fell silent and the other stream continues: the vessel really is there. The place it
    // left is remembered as the second stream (for `identity_conflict.stream_window_s`): if the MMSI is
    // heard there again, two transmitters are taking turns (identity laundering), not jumping back.
    v.rare_mut().alt = Some(Box::new(AltStream {
        latest,
        primary_since: false,
    }));
    accept(cfg, v, Some(alt.latest), now);
    Update::Advance { prev: alt.latest }
}

/// Whether a late fix belongs between its neighbours in the track (the kept points around it, or the
/// latest fix): physically compatible with both, and each leg no faster than the vessel could sail (a
/// quarter above the fastest of its reported speeds, its highest speed seen and the straight line
/// between the neighbours, plus 1 kn and twice the track tolerance for GNSS noise). A stale fix stamped
/// out of place would zig-zag the track: dropped.
fn fits_track(cfg: &Config, v: &Vessel, now: &Timed, latest: &Timed) -> bool {
    let (before, after) = v.track.around(now.time_ms);
    let after = after.map_or(*latest, |p| p.to_timed());
    if !compatible(cfg, v, now, &after) {
        return false;
    }
    let Some(before) = before.map(|p| p.to_timed()) else {
        return true;
    };
    if !compatible(cfg, v, &before, now) {
        return false;
    }
    let d = |a: &Timed, b: &Timed| distance_m(a.fix.lat, a.fix.lon, b.fix.lat, b.fix.lon);
    let hours = |a: &Timed, b: &Timed| (b.time_ms - a.time_ms).max(0) as f64 / 3_600_000.0;
    let line_kn = d(&before, &after) / NM_M / hours(&before, &after).max(1e-6);
    let sog = [&before, now, &after]
        .iter()
        .filter_map(|t| t.fix.sog_kn)
        .fold(v.max_sog_kn(), f32::max);
    let kn = f64::from(sog).max(line_kn) * 1.25 + 1.0;
    let leg =
        |a: &Timed, b: &Timed| d(a, b) <= kn * NM_M * hours(a, b) + 2.0 * cfg.track.tolerance_m;
    leg(&before, now) && leg(now, &after)
}

/// Whether `now` can follow `from` physically (the `position_jump` thresholds).
pub fn compatible(cfg: &Config, v: &Vessel, from: &Timed, now: &Timed) -> bool {
    let c = &cfg.position_jump;
    let min_m = c.min_distance_nm * NM_M;
    // Cheap bound first (no trigonometry; cos(lat) <= 1): both differences well inside the minimum jump.
    let (dlat, dlon) = (
        (now.fix.lat - from.fix.lat).abs(),
        (now.fix.lon - from.fix.lon).abs(),
    );
    if dlat * 111_195.0 < min_m * 0.5 && dlon * 111_195.0 < min_m * 0.5 {
        return true;
    }
    let d = distance_m(from.fix.lat, from.fix.lon, now.fix.lat, now.fix.lon);
    if d <= min_m {
        return true;
    }
    let reported = from
        .fix
        .sog_kn
        .unwrap_or(0.0)
        .max(now.fix.sog_kn.unwrap_or(0.0));
    let own = f64::from(v.max_sog_kn().max(reported)) * c.own_max_factor;
    let limit = own.clamp(c.min_own_limit_kn, c.max_speed_kn);
    implied_speed_kn(d, now.time_ms - from.time_ms) <= limit
}

/// Makes `now` the latest fix and feeds the history.
fn accept(cfg: &Config, v: &mut Vessel, prev: Option<Timed>, now: Timed) {
    v.track.advance(&cfg.track, prev.as_ref(), &now);
    if let Some(sog) = now.fix.sog_kn.filter(|s| (0.0..=102.2).contains(s)) {
        v.speeds.offer(now.time_ms, sog, cfg.track.speed_sample_s);
        v.max_sog_dkn = v.max_sog_dkn.max((sog * 10.0) as u16);
    }
    v.latest = Some(now);
}

#[cfg(test)]
mod tests;
