//! GNSS jamming: several vessels whose reports turn to position unavailable (lat 91°/lon 181°) within
//! minutes, their last known fixes in one wide area, are one `gnss_interference` area alert.
//!
//! A jammed transponder keeps transmitting; only its position is gone ([`Update::NoFix`]). A vessel
//! whose first report without a position follows a recent fix is a candidate at that fix (the spoofing
//! detector's recent list, its own kind); `min_vessels` candidates within `jamming_radius_nm` and
//! `window_s` open an episode. Victims' later reports without a position keep it open (and are
//! evidence now and then); a vessel losing its fix within the radius of an open episode joins it. A
//! jammed vessel's fixes are its own: nothing is withheld from the other detectors. Nothing is
//! allocated per report but at a vessel's turn to no fix.

use super::{centre, summary, Candidate, Ctx, Episode, CHECK_EVERY_MS, EVIDENCE_EVERY_MS};
use crate::alert::Severity;
use crate::picture::Timed;
use crate::report::StationClass;

/// A report without a position: `last` is the vessel's latest fix, `first` whether the report is its
/// first without a position since that fix.
pub(super) fn no_fix(cx: &mut Ctx<'_>, last: Option<Timed>, first: bool) {
    let now = cx.now();
    let c = &cx.cfg.gnss_interference;
    cx.gnss.expire(c, now, cx.book);
    let mmsi = cx.vessel.mmsi;
    if let Some(&id) = cx.gnss.jammed.get(&mmsi) {
        return heard(cx, id);
    }
    let Some(last) = last else { return };
    let ship = cx
        .report
        .no_fix()
        .is_some_and(|n| matches!(n.class, StationClass::ClassA | StationClass::ClassB));
    // A turn to no fix, from a fix recent enough to say where the vessel was.
    if !first || !ship || now - last.time_ms > i64::from(c.window_s) * 1000 {
        return;
    }
    if let Some(i) = cx.gnss.episode_at(c, true, last.fix.lat, last.fix.lon) {
        return join(cx, i);
    }
    let cand = Candidate {
        jam: true,
        mmsi,
        first_ms: now,
        time_ms: now,
        lat: last.fix.lat,
        lon: last.fix.lon,
        raw: cx.report.raw.clone(),
    };
    if let Some(cluster) = cx.gnss.offer(c, cand) {
        open(cx, cluster);
    }
}

/// A victim heard without a position again: the jamming goes on (evidence and the summary's
/// duration now and then).
fn heard(cx: &mut Ctx<'_>, id: u32) {
    let now = cx.now();
    let Some(e) = cx.gnss.episodes.iter_mut().find(|e| e.id == id) else {
        return;
    };
    e.last_ms = e.last_ms.max(now);
    if now - e.last_evidence_ms < EVIDENCE_EVERY_MS {
        return;
    }
    e.last_evidence_ms = now;
    let (key, s) = (e.key, summary(e, now));
    cx.book
        .revise(key, now, cx.vessel, &cx.report.raw, false, |a| {
            a.summary = s
        });
}

/// A vessel loses its position inside an open jamming episode's area.
fn join(cx: &mut Ctx<'_>, i: usize) {
    let (mmsi, now) = (cx.vessel.mmsi, cx.now());
    let e = &mut cx.gnss.episodes[i];
    if let Err(at) = e.victims.binary_search(&mmsi) {
        e.victims.insert(at, mmsi);
    }
    e.last_ms = e.last_ms.max(now);
    let (id, key) = (e.id, e.key);
    let s = summary(e, now);
    let related: Vec<u32> = e.victims.iter().copied().filter(|&m| m != key.1).collect();
    cx.gnss.jammed.insert(mmsi, id);
    cx.book
        .revise(key, now, cx.vessel, &cx.report.raw, true, |a| {
            a.summary = s;
            a.related_mmsi = related;
        });
}

/// Opens a jamming episode on a completed cluster; the current report is its newest member.
fn open(cx: &mut Ctx<'_>, mut cluster: Vec<Candidate>) {
    let (lat, lon, start_ms) = centre(&mut cluster);
    let now = cx.now();
    let (id, key) = cx.gnss.new_episode(cx.vessel.mmsi, lat, lon, start_ms);
    let mut victims: Vec<u32> = cluster.iter().map(|x| x.mmsi).collect();
    victims.sort_unstable();
    victims.dedup();
    let e = Episode {
        jam: true,
        id,
        key,
        start_ms,
        last_ms: now,
        last_evidence_ms: now,
        lat,
        lon,
        victims,
    };
    for &m in &e.victims {
        cx.gnss.jammed.insert(m, id);
    }
    let mut d = cx.draft(Severity::High, start_ms, summary(&e, now));
    (d.lat, d.lon) = (lat, lon);
    d.related = e.victims.iter().copied().filter(|&m| m != key.1).collect();
    d.prior_evidence = cluster
        .first()
        .filter(|x| x.mmsi != key.1)
        .map(|x| x.raw.clone());
    cx.book.open(key, d, cx.vessel, &cx.report.raw);
    for x in cluster.iter().skip(1).filter(|x| x.mmsi != key.1) {
        cx.book.attach(&key, &x.raw);
    }
    cx.gnss.episodes.push(e);
    cx.gnss.next_check_ms = cx.gnss.next_check_ms.min(now + CHECK_EVERY_MS);
}

#[cfg(test)]
mod tests;
