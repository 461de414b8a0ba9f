//! `rendezvous`: two vessels side by side at sea, both slow, for a long time, away from ports and
//! anchorages (ship-to-ship transfer, sanctions evasion; UNCLOS 19(2)(g) inside the territorial sea).
//!
//! Slow vessels sit in a uniform grid of ~556 m cells (wider than `max_distance_m`), so each fix is
//! compared only with the slow vessels in the 3 × 3 cells around it.

use super::text::{ident, nm};
use super::{Ctx, Detector};
use crate::alert::{AlertBook, Kind, Severity};
use crate::config::{Config, RendezvousConfig};
use crate::geo::distance_m;
use crate::picture::{FxMap, Timed};
use crate::report::StationClass;
use crate::time::{duration, hhmm};
use std::collections::BTreeMap;

/// Grid cell height in degrees of latitude (~556 m); widths are scaled by latitude to about the same.
const CELL_DEG: f64 = 0.005;

/// A slow vessel in the grid.
#[derive(Debug, Clone, Copy)]
struct Slot {
    mmsi: u32,
    time_ms: i64,
    lat: f64,
    lon: f64,
}

/// A pair seen close together.
#[derive(Debug, Clone, Copy)]
struct PairState {
    first_ms: i64,
    last_ms: i64,
    dist_m: f64,
}

/// A vessel's place in the grid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pairing {
    cell: (i32, i32),
}

impl Pairing {
    /// Heap bytes owned.
    pub fn heap_bytes(&self) -> usize {
        std::mem::size_of::<Self>()
    }
}

/// Engine-wide rendezvous state: the grid of slow vessels and the pairs being timed.
#[derive(Debug, Default)]
pub struct Pairs {
    grid: FxMap<(i32, i32), Vec<Slot>>,
    pairs: BTreeMap<(u32, u32), PairState>,
}

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

    /// Fresh slow neighbours within the distance: (MMSI, time of their fix, distance in metres).
    fn near(&self, c: &RendezvousConfig, me: &Slot) -> Vec<(u32, i64, f64)> {
        let (y0, _) = cell_of(me.lat, me.lon);
        let fresh = i64::from(c.max_silence_s) * 1000;
        let mut out = Vec::new();
        for y in y0 - 1..=y0 + 1 {
            let x0 = col(y, me.lon);
            for x in x0 - 1..=x0 + 1 {
                for s in self.grid.get(&(y, x)).into_iter().flatten() {
                    if s.mmsi == me.mmsi || me.time_ms - s.time_ms > fresh {
                        continue;
                    }
                    let d = distance_m(me.lat, me.lon, s.lat, s.lon);
                    if d <= c.max_distance_m {
                        out.push((s.mmsi, s.time_ms, d));
                    }
                }
            }
        }
        out
    }

    /// Closes pairs not seen together for `max_silence_s` and drops stale grid slots.
    pub fn sweep(&mut self, c: &RendezvousConfig, now_ms: i64, book: &mut AlertBook) {
        let fresh = i64::from(c.max_silence_s) * 1000;
        self.pairs.retain(|&(a, b), p| {
            let alive = now_ms - p.last_ms <= fresh;
            if !alive {
                book.close(&(Kind::Rendezvous, a, u64::from(b)), p.last_ms);
            }
            alive
        });
        self.grid.retain(|_, v| {
            v.retain(|s| now_ms - s.time_ms <= fresh);
            !v.is_empty()
        });
    }
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
         (30 min), at least `min_port_distance_m` (10 km) from any port or anchorage: possible ship-to-ship \
         transfer. One alert per pair, closed when they part."
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
        let me = Slot {
            mmsi: cx.vessel.mmsi,
            time_ms: t.time_ms,
            lat: t.fix.lat,
            lon: t.fix.lon,
        };
        let cell = cell_of(me.lat, me.lon);
        match cx.vessel.watch.pairing.as_deref_mut() {
            Some(p) if p.cell == cell => {}
            Some(p) => {
                cx.pairs.remove(p.cell, me.mmsi);
                p.cell = cell;
            }
            None => cx.vessel.watch.pairing = Some(Box::new(Pairing { cell })),
        }
        cx.pairs.place(cell, me);
        for (other, seen_ms, d) in cx.pairs.near(c, &me) {
            together(cx, &t, other, seen_ms, d);
        }
    }
}

/// Times a pair seen together; "together" holds up to the older of the two fixes (`seen_ms`).
fn together(cx: &mut Ctx<'_>, t: &Timed, other: u32, seen_ms: i64, d: f64) {
    let c = &cx.cfg.rendezvous;
    let me = cx.vessel.mmsi;
    let pair = (me.min(other), me.max(other));
    let key = (Kind::Rendezvous, pair.0, u64::from(pair.1));
    let now = t.time_ms;
    let fresh = PairState {
        first_ms: seen_ms,
        last_ms: seen_ms,
        dist_m: d,
    };
    let p = cx.pairs.pairs.entry(pair).or_insert(fresh);
    if now - p.last_ms > i64::from(c.max_silence_s) * 1000 {
        cx.book.close(&key, p.last_ms);
        *p = fresh;
    }
    p.last_ms = p.last_ms.max(seen_ms);
    p.dist_m = p.dist_m.min(d);
    let (first, closest) = (p.first_ms, p.dist_m);
    if now - first < i64::from(c.min_duration_s) * 1000 {
        return;
    }
    let s = format!(
        "{} and MMSI {other:09} have lain within {closest:.0} m of each other at under {} kn for {} since {}, \
         more than {} from any port or anchorage: possible ship-to-ship transfer",
        ident(cx.vessel),
        c.max_speed_kn,
        duration(now - first),
        hhmm(first),
        nm(c.min_port_distance_m),
    );
    if cx.book.is_open(&key) {
        let pos = (t.fix.lat, t.fix.lon);
        return cx
            .book
            .revise(key, now, cx.vessel, &cx.report.raw, false, |a| {
                (a.lat, a.lon, a.summary) = (pos.0, pos.1, s);
            });
    }
    let mut draft = cx.draft(Severity::High, first, s);
    draft.related = vec![other];
    cx.book.open(key, draft, cx.vessel, &cx.report.raw);
}

#[cfg(test)]
mod tests;
