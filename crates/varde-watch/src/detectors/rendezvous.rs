//! `rendezvous`: two vessels side by side at sea, both slow, for a long time, away from ports and
//! anchorages (ship-to-ship transfer, sanctions evasion; UNCLOS 19(2)(g) inside the territorial sea).
//!
//! Slow vessels sit in a uniform grid of ~556 m cells (wider than `max_distance_m`), so each fix is
//! compared only with the slow vessels in the 3 × 3 cells around it.
//!
//! A crowd is an anchorage: when at least `anchorage_min_vessels` slow vessels (fresh slots) lie in
//! those 3 × 3 cells, the fix is in an anchorage whether or not the geography knows a port there (a
//! foreign anchorage off a port the port list lacks, an open-sea waiting area), and it is compared with
//! no one. Counting stops at the threshold, so a fix in a 2,000-vessel anchorage costs about what one
//! at open sea does, and the anchorage raises no rendezvous storm.
//!
//! One party dark: a pair that parted because it fell silent is kept *dormant* (`dark_resume_s`, 12 h).
//! If both are found together again within `dark_drift_m` of where they were last seen together, and
//! neither left in between (each has lain slow there since before the silence: a vessel that reappears
//! where it went silent counts as having lain there), the meeting resumes with its first time, and the
//! alert tells the silence.

use super::text::{ident, nm};
use super::{Ctx, Detector};
use crate::alert::{AlertBook, Kind, Severity};
use crate::config::{Config, RendezvousConfig};
use crate::geo::distance_m;
use crate::picture::{FxMap, Timed, Update};
use crate::report::StationClass;
use crate::time::{duration, hhmm};
use std::collections::BTreeMap;

/// Grid cell height in degrees of latitude (~556 m); widths are scaled by latitude to about the same.
const CELL_DEG: f64 = 0.005;

/// A slow vessel in the grid.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
struct Slot {
    mmsi: u32,
    time_ms: i64,
    lat: f64,
    lon: f64,
    /// Lying slow here (in the grid) since, Unix ms.
    since_ms: i64,
}

/// A pair seen close together.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
struct PairState {
    first_ms: i64,
    last_ms: i64,
    dist_m: f64,
    /// Where they were last seen together.
    lat: f64,
    lon: f64,
    /// A silence of one party bridged: (MMSI, silent from, silent until), Unix ms.
    bridged: Option<(u32, i64, i64)>,
    /// The id of the alert the pair raised before it went dormant.
    alert: Option<[u8; 16]>,
}

/// A vessel's place in the grid.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Pairing {
    cell: (i32, i32),
    since_ms: i64,
}

impl Pairing {
    /// Heap bytes owned.
    pub fn heap_bytes(&self) -> usize {
        std::mem::size_of::<Self>()
    }
}

/// Engine-wide rendezvous state: the grid of slow vessels and the pairs being timed.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Pairs {
    grid: FxMap<(i32, i32), Vec<Slot>>,
    pairs: BTreeMap<(u32, u32), PairState>,
    /// Pairs that parted by falling silent, kept for `dark_resume_s`.
    dormant: BTreeMap<(u32, u32), PairState>,
}

/// Dormant pairs kept at most (a bound against a flood of slow vessels).
const MAX_DORMANT: usize = 65_536;

fn cell_of(lat: f64, lon: f64) -> (i32, i32) {
    let y = (lat / CELL_DEG).floor() as i32;
    (y, col(y, lon))
}

fn col(y: i32, lon: f64) -> i32 {
    let k = ((f64::from(y) + 0.5) * CELL_DEG)
        .to_radians()
        .cos()
        .max(0.01);
    (lon * k / CELL_DEG).floor() as i32
}

impl Pairs {
    fn remove(&mut self, cell: (i32, i32), mmsi: u32) {
        if let Some(v) = self.grid.get_mut(&cell) {
            v.retain(|s| s.mmsi != mmsi);
            if v.is_empty() {
                self.grid.remove(&cell);
            }
        }
    }

    fn place(&mut self, cell: (i32, i32), slot: Slot) {
        let v = self.grid.entry(cell).or_default();
        match v.iter_mut().find(|s| s.mmsi == slot.mmsi) {
            Some(s) => *s = slot,
            None => v.push(slot),
        }
    }

    /// The slots of the 3 × 3 cells around `me` (empty where a cell holds none): looked up once for
    /// both the crowd count and the neighbour search.
    fn around(&self, me: &Slot) -> [&[Slot]; 9] {
        let (y0, _) = cell_of(me.lat, me.lon);
        let mut cells: [&[Slot]; 9] = [&[]; 9];
        for (k, y) in (y0 - 1..=y0 + 1).enumerate() {
            let x0 = col(y, me.lon);
            for (j, x) in (x0 - 1..=x0 + 1).enumerate() {
                if let Some(v) = self.grid.get(&(y, x)) {
                    cells[k * 3 + j] = v;
                }
            }
        }
        cells
    }
    /// Closes pairs not seen together for `max_silence_s` and drops stale grid slots.
    pub fn sweep(&mut self, c: &RendezvousConfig, now_ms: i64, book: &mut AlertBook) {
        let fresh = i64::from(c.max_silence_s) * 1000;
        let mut parted = Vec::new();
        self.pairs.retain(|&(a, b), p| {
            let alive = now_ms - p.last_ms <= fresh;
            if !alive {
                let key = (Kind::Rendezvous, a, u64::from(b));
                p.alert = book.get(&key).map(|al| id_bytes(&al.id));
                book.close(&key, p.last_ms);
                parted.push(((a, b), *p));
            }
            alive
        });
        let keep = i64::from(c.dark_resume_s) * 1000;
        self.dormant.retain(|_, p| now_ms - p.last_ms <= keep);
        for (pair, p) in parted {
            if self.dormant.len() < MAX_DORMANT {
                self.dormant.insert(pair, p);
            }
        }
        self.grid.retain(|_, v| {
            v.retain(|s| now_ms - s.time_ms <= fresh);
            !v.is_empty()
        });
    }
}

/// Whether at least `c.anchorage_min_vessels` fresh slow vessels (`me` included) lie in `cells`: an
/// anchorage. Stops counting at the threshold.
fn crowded(c: &RendezvousConfig, cells: &[&[Slot]; 9], me: &Slot) -> bool {
    let need = c.anchorage_min_vessels as usize;
    if need == 0 {
        return false;
    }
    let fresh = i64::from(c.max_silence_s) * 1000;
    let mut n = 0;
    for s in cells.iter().copied().flatten() {
        n += usize::from(me.time_ms - s.time_ms <= fresh);
        if n >= need {
            return true;
        }
    }
    false
}

/// Fresh slow neighbours of `me` in `cells` within the distance.
fn near(c: &RendezvousConfig, cells: &[&[Slot]; 9], me: &Slot) -> Vec<(Slot, f64)> {
    let fresh = i64::from(c.max_silence_s) * 1000;
    let mut out = Vec::new();
    for s in cells.iter().copied().flatten() {
        if s.mmsi == me.mmsi || me.time_ms - s.time_ms > fresh {
            continue;
        }
        let d = distance_m(me.lat, me.lon, s.lat, s.lon);
        if d <= c.max_distance_m {
            out.push((*s, d));
        }
    }
    out
}

/// The `rendezvous` detector.
#[derive(Debug, Clone, Copy)]
pub struct Rendezvous;

impl Detector for Rendezvous {
    fn kind(&self) -> Kind {
        Kind::Rendezvous
    }

    fn doc(&self) -> &'static str {
        "Two vessels within `max_distance_m` (250 m), both below `max_speed_kn` (2 kn), for `min_duration_s` \
         (30 min), at least `min_port_distance_m` (10 km) from any port or anchorage and not in a crowd: \
         `anchorage_min_vessels` (6) slow vessels heard in the ~1.7 km square of ~556 m cells around the \
         fix (every one within 556 m counts) are an anchorage, whether the port list knows it or not. \
         Possible ship-to-ship transfer. One alert per pair, closed when they part. A meeting with one party dark for most of it \
         counts: a vessel that falls silent beside another and reappears beside it (within `dark_drift_m`, \
         3 km, of where they were last together, within `dark_resume_s`, 12 h), while the other lay there \
         throughout, was there all along; the alert tells the silence and its evidence shows it. \
         Known limit: a transfer hidden inside an anchorage (near a port, or inside a crowd) is not a \
         rendezvous. What still sees its parties there: `ais_gap` (an anchorage outside a port's circle \
         is not \"in port\", so an anchored Class A that goes dark is a gap), `watchlist`, and in Norwegian \
         waters `zone_entry` and `loitering`; a pair that leaves the crowd together and lies together at \
         sea is timed from then. A draught change at sea is not detected yet."
    }

    fn enabled(&self, cfg: &Config) -> bool {
        cfg.rendezvous.enabled
    }

    fn on_report(&self, cx: &mut Ctx<'_>) {
        let Some(t) = cx.accepted_fix() else { return };
        let c = &cx.cfg.rendezvous;
        let ship = matches!(t.fix.class, StationClass::ClassA | StationClass::ClassB);
        let slow = t.fix.sog_kn.is_some_and(|s| f64::from(s) < c.max_speed_kn);
        let away = || {
            cx.geo
                .port_within(t.fix.lat, t.fix.lon, c.min_port_distance_m)
                .is_none()
        };
        if !(ship && slow && away()) {
            if let Some(p) = cx.vessel.watch.pairing.take() {
                cx.pairs.remove(p.cell, cx.vessel.mmsi);
            }
            return;
        }
        let cell = cell_of(t.fix.lat, t.fix.lon);
        let since_ms = lying_since(c, cx.update, cx.vessel.watch.pairing.as_deref(), &t);
        let me = Slot {
            mmsi: cx.vessel.mmsi,
            time_ms: t.time_ms,
            lat: t.fix.lat,
            lon: t.fix.lon,
            since_ms,
        };
        match cx.vessel.watch.pairing.as_deref_mut() {
            Some(p) => {
                if p.cell != cell {
                    cx.pairs.remove(p.cell, me.mmsi);
                    p.cell = cell;
                }
                p.since_ms = since_ms;
            }
            None => cx.vessel.watch.pairing = Some(Box::new(Pairing { cell, since_ms })),
        }
        cx.pairs.place(cell, me);
        let cells = cx.pairs.around(&me);
        if crowded(c, &cells, &me) {
            return;
        }
        for (other, d) in near(c, &cells, &me) {
            together(cx, &t, &me, &other, d);
        }
    }
}

/// Since when the vessel has lain slow where it is: kept while it stays in the grid; after a silence
/// longer than `max_silence_s`, kept only if it reappears within `dark_drift_m` of where it fell silent
/// (it lay there dark), else from now.
fn lying_since(c: &RendezvousConfig, update: Update, pairing: Option<&Pairing>, t: &Timed) -> i64 {
    let Some(p) = pairing else {
        return t.time_ms;
    };
    match update {
        Update::Advance { prev }
            if t.time_ms - prev.time_ms > i64::from(c.max_silence_s) * 1000 =>
        {
            let stayed =
                distance_m(prev.fix.lat, prev.fix.lon, t.fix.lat, t.fix.lon) <= c.dark_drift_m;
            if stayed {
                p.since_ms
            } else {
                t.time_ms
            }
        }
        _ => p.since_ms,
    }
}

/// The first 16 bytes of an alert id (ids are 16 hex digits).
fn id_bytes(id: &str) -> [u8; 16] {
    let mut b = [0u8; 16];
    let n = id.len().min(16);
    b[..n].copy_from_slice(&id.as_bytes()[..n]);
    b
}

/// A dormant meeting of this pair that the two, found together again, resume: both still within
/// `dark_drift_m` of where they were last together and each lying there since before it went quiet.
fn resumed(
    c: &RendezvousConfig,
    pairs: &mut Pairs,
    pair: (u32, u32),
    me: &Slot,
    other: &Slot,
) -> Option<PairState> {
    let d = *pairs.dormant.get(&pair)?;
    let slack = i64::from(c.max_silence_s) * 1000;
    let stayed = |s: &Slot| {
        s.since_ms <= d.last_ms + slack && distance_m(d.lat, d.lon, s.lat, s.lon) <= c.dark_drift_m
    };
    if !(stayed(me) && stayed(other)) {
        return None;
    }
    let mut p = pairs.dormant.remove(&pair)?;
    // Who was silent: the one whose latest fix before now is oldest relative to the pair's last time.
    let dark = if me.time_ms - d.last_ms >= other.time_ms - d.last_ms {
        me.mmsi
    } else {
        other.mmsi
    };
    p.bridged = Some((dark, d.last_ms, me.time_ms.min(other.time_ms)));
    Some(p)
}

/// Times a pair seen together; "together" holds up to the older of the two fixes.
fn together(cx: &mut Ctx<'_>, t: &Timed, me: &Slot, other: &Slot, d: f64) {
    let c = &cx.cfg.rendezvous;
    let pair = (me.mmsi.min(other.mmsi), me.mmsi.max(other.mmsi));
    let key = (Kind::Rendezvous, pair.0, u64::from(pair.1));
    let now = t.time_ms;
    let seen_ms = other.time_ms.min(now);
    let fresh = PairState {
        first_ms: seen_ms,
        last_ms: seen_ms,
        dist_m: d,
        lat: t.fix.lat,
        lon: t.fix.lon,
        bridged: None,
        alert: None,
    };
    let expired = cx
        .pairs
        .pairs
        .get(&pair)
        .is_none_or(|p| now - p.last_ms > i64::from(c.max_silence_s) * 1000);
    if expired {
        if let Some(p) = cx.pairs.pairs.get(&pair) {
            let last = p.last_ms;
            cx.book.close(&key, last);
        }
        let start = resumed(c, cx.pairs, pair, me, other).unwrap_or(fresh);
        cx.pairs.pairs.insert(pair, start);
        if let Some(id) = start.alert {
            let id = String::from_utf8_lossy(&id).into_owned();
            cx.book.reopen(key, &id);
        }
    }
    let Some(p) = cx.pairs.pairs.get_mut(&pair) else {
        return;
    };
    p.last_ms = p.last_ms.max(seen_ms);
    p.dist_m = p.dist_m.min(d);
    (p.lat, p.lon) = (t.fix.lat, t.fix.lon);
    let (first, closest, bridged) = (p.first_ms, p.dist_m, p.bridged);
    if now - first < i64::from(c.min_duration_s) * 1000 {
        return;
    }
    let dark = bridged.map_or(String::new(), |(m, from, to)| {
        format!(
            "; MMSI {m:09} was silent beside it from {} for {} and reappeared there",
            hhmm(from),
            duration(to - from)
        )
    });
    let s = format!(
        "{} and MMSI {:09} have lain within {} of each other at under {} kn for {} since {}, \
         more than {} from any port or anchorage{dark}: possible ship-to-ship transfer",
        ident(cx.vessel),
        other.mmsi,
        nm(closest),
        c.max_speed_kn,
        duration(now - first),
        hhmm(first),
        nm(c.min_port_distance_m),
    );
    if cx.book.is_open(&key) {
        let pos = (t.fix.lat, t.fix.lon);
        return cx.book.revise(
            key,
            now,
            cx.vessel,
            &cx.report.raw,
            bridged.is_some(),
            |a| {
                (a.lat, a.lon, a.summary) = (pos.0, pos.1, s);
            },
        );
    }
    let mut draft = cx.draft(Severity::High, first, s);
    draft.related = vec![pair.1];
    // The evidence shows the gap: the silent vessel's last report before it, when that is this one.
    if bridged.is_some_and(|(m, _, _)| m == me.mmsi) {
        draft.prior_evidence = cx
            .vessel
            .last_raw
            .as_deref()
            .map(crate::report::RawLines::new);
    }
    cx.book.open(key, draft, cx.vessel, &cx.report.raw);
}

#[cfg(test)]
mod tests;
