//! `ais_gap`: a vessel stops reporting where it should be heard. Reported when it reappears, with the
//! distance covered and the implied speed; a late report inside a reported gap revises it.
//!
//! Live (`live_near_assets`, off by default): a watched vessel that falls silent within `asset_radius_nm`
//! of infrastructure does not wait for its reappearance. The engine's clock ([`sweep_dark`], every minute
//! of event time) opens the alert (end null) once the silence passes the threshold; reappearance then
//! closes the same alert, or retracts it when the silence turns out shorter than the threshold (a feed
//! that lagged).
//!
//! Coverage-aware: the threshold is max(`min_gap_s`, `interval_factor` × the expected reporting interval
//! for the vessel's class, status and speed) under terrestrial coverage, and `satellite_missed_passes` ×
//! `satellite_interval_s` where only satellites hear.
//!
//! Heard without a position is not silent: a vessel whose GNSS receiver lost its fix (jamming) keeps
//! transmitting reports with position unavailable ([`crate::ReportKind::NoFix`]). Its silence starts at
//! the last of those reports that followed its last fix without a silence over the threshold
//! ([`silent_since`]), so a jammed vessel is not a dark one.

use super::ctx::asset_info;
use super::text::{ident, kn, nm};
use super::{Ctx, Detector, Receivers};
use crate::alert::{AlertBook, Draft, Kind, Severity};
use crate::config::{AisGapConfig, Config};
use crate::geo::{distance_m, implied_speed_kn, Coverage, Geo, NM_M};
use crate::picture::motion::expected_interval_ms;
use crate::picture::{Picture, Timed, Update, Vessel};
use crate::report::{RawLines, StationClass};
use crate::time::{duration, hhmm, rfc3339};

/// The `ais_gap` detector.
#[derive(Debug, Clone, Copy)]
pub struct AisGap;

impl Detector for AisGap {
    fn kind(&self) -> Kind {
        Kind::AisGap
    }

    fn doc(&self) -> &'static str {
        "Silence where the vessel should be heard: longer than max(`min_gap_s` 15 min, `interval_factor` 5 × \
         the expected reporting interval) under terrestrial coverage, or `satellite_missed_passes` (3) × 90 min \
         where only satellites hear (by the geography, or because the last fix came through a satellite \
         receiver listed in `satellite_sources`: ORBCOMM, exactEarth, NorSat ids). Reported on reappearance with distance and implied speed; raised to \
         high severity when the gap starts within `asset_radius_nm` (10 nm) of infrastructure; there, with \
         `live_near_assets` on, the alert opens while the vessel is still silent and closes when it reappears. \
         Class A only by default; not in port. A late report inside a reported gap revises or retracts it. \
         The part of the silence during which the vessel's last receiving station (or the untagged feed) \
         was itself down does not count: an outage is not N dark vessels (see the coverage model below). \
         A vessel heard without a position (reports with lat 91/lon 181: its GNSS receiver lost the fix, \
         as under jamming) is transmitting, not dark: its silence starts at the last such report that \
         followed its last fix with no silence over the threshold between them, on reappearance and live \
         (`gnss_interference` reports the jamming)."
    }

    fn enabled(&self, cfg: &Config) -> bool {
        cfg.ais_gap.enabled
    }

    fn on_report(&self, cx: &mut Ctx<'_>) {
        match cx.update {
            Update::Advance { prev } => reappeared(cx, prev),
            Update::Late => late(cx),
            _ => {}
        }
        if cx.accepted_fix().is_some() {
            cx.vessel.watch.via_satellite = cx.via_satellite_source();
            let same = match (&cx.vessel.watch.last_station, &cx.report.source) {
                (Some(a), Some(b)) => std::sync::Arc::ptr_eq(a, b),
                (None, None) => true,
                _ => false,
            };
            if !same {
                cx.vessel.watch.last_station = cx.report.source.clone();
            }
        }
    }
}

/// The silence after `last` that counts as a gap, ms. `via_satellite`: `last` was heard through a
/// satellite receiver, so only satellites hear the vessel there, whatever the geography assumes.
pub fn threshold_ms(c: &AisGapConfig, geo: &dyn Geo, last: &Timed, via_satellite: bool) -> i64 {
    let floor = i64::from(c.min_gap_s) * 1000;
    let coverage = if via_satellite {
        Coverage::Satellite
    } else {
        geo.coverage(last.fix.lat, last.fix.lon)
    };
    match coverage {
        Coverage::Satellite => floor
            .max(i64::from(c.satellite_interval_s) * i64::from(c.satellite_missed_passes) * 1000),
        Coverage::Terrestrial => {
            let every = expected_interval_ms(last.fix.class, last.fix.nav_status, last.fix.sog_kn);
            floor.max((every as f64 * c.interval_factor) as i64)
        }
    }
}

fn watched(c: &AisGapConfig, last: &Timed) -> bool {
    match last.fix.class {
        StationClass::ClassA => true,
        StationClass::ClassB => c.include_class_b,
        _ => false,
    }
}

/// The part of a silence from `from_ms` to `to_ms` that counts: the time during which the station
/// that last heard the vessel (or, for untagged lines, the untagged feed) was itself up.
pub fn effective_silence_ms(
    receivers: &Receivers,
    station: Option<&str>,
    from_ms: i64,
    to_ms: i64,
) -> i64 {
    (to_ms - from_ms) - receivers.down_within(station, from_ms, to_ms)
}

fn reappeared(cx: &mut Ctx<'_>, prev: Timed) {
    let c = &cx.cfg.ais_gap;
    let Some(now) = cx.fix() else { return };
    let gap = now.time_ms - prev.time_ms;
    if gap <= i64::from(c.min_gap_s) * 1000 {
        // The common case: no threshold is below the floor (no station or coverage lookup). A live
        // alert opened while these reports were delayed is withdrawn.
        return retract_live(cx, prev);
    }
    let via_satellite = cx.vessel.watch.via_satellite;
    let station = cx.vessel.watch.last_station.as_deref();
    let threshold = threshold_ms(c, cx.geo, &prev, via_satellite);
    // Heard without a position (GNSS lost) is not silent: the silence starts at the last such report.
    let from = silent_since(cx.vessel, prev.time_ms, threshold);
    let heard_for = effective_silence_ms(cx.receivers, station, from, now.time_ms);
    // An outage of the vessel's station is not the vessel going dark: only the silence while its
    // station was up counts, on closing as on opening.
    if !watched(c, &prev) || heard_for <= threshold {
        return retract_live(cx, prev);
    }
    if cx.geo.in_port(prev.fix.lat, prev.fix.lon).is_some() {
        return;
    }
    let radius = c.asset_radius_nm * NM_M;
    let asset = cx
        .geo
        .assets_within(prev.fix.lat, prev.fix.lon, radius)
        .into_iter()
        .next();
    let d = distance_m(prev.fix.lat, prev.fix.lon, now.fix.lat, now.fix.lon);
    let near = asset.as_ref().map_or(String::new(), |a| {
        format!(" {} from {}", nm(a.distance_m), a.name)
    });
    let went = if from > prev.time_ms {
        format!(
            "lost its position at {}{near}, was heard without one until {}, then went silent for {}",
            hhmm(prev.time_ms),
            hhmm(from),
            duration(now.time_ms - from),
        )
    } else {
        format!(
            "went silent at {}{near} for {}",
            hhmm(prev.time_ms),
            duration(gap)
        )
    };
    let s = format!(
        "{} {went}; reappeared {} away at {} (implied {})",
        ident(cx.vessel),
        nm(d),
        hhmm(now.time_ms),
        kn(implied_speed_kn(d, gap)),
    );
    let severity = if asset.is_some() {
        Severity::High
    } else {
        Severity::Medium
    };
    let mut draft = cx.draft(severity, prev.time_ms, s);
    (draft.lat, draft.lon, draft.end_ms) = (prev.fix.lat, prev.fix.lon, Some(now.time_ms));
    draft.asset = asset.as_ref().map(asset_info);
    draft.prior_evidence = cx.vessel.last_raw.as_deref().map(RawLines::new);
    cx.open(Kind::AisGap, prev.time_ms as u64, draft);
}

/// When a vessel whose last fix was at `last_fix_ms` fell silent: the time of its last report without a
/// position (GNSS lost) if it sent such reports after that fix with no silence over `threshold_ms`
/// between them (it was transmitting all along), else the fix's time.
pub fn silent_since(v: &Vessel, last_fix_ms: i64, threshold_ms: i64) -> i64 {
    let r = v.rare();
    let spell = r.nofix_ms > last_fix_ms && i64::from(r.nofix_silence_s) * 1000 <= threshold_ms;
    if spell {
        r.nofix_ms
    } else {
        last_fix_ms
    }
}

/// A live alert opened while the vessel seemed silent since `prev`: its reports were only delayed (or
/// its station was down), so it is withdrawn.
fn retract_live(cx: &mut Ctx<'_>, prev: Timed) {
    let key = cx.key(Kind::AisGap, prev.time_ms as u64);
    if let Some(id) = cx.book.get(&key).map(|a| a.id.clone()) {
        cx.book.retract(&id);
    }
}

/// Live going-dark check, run by the engine's clock at event time `now_ms`: opens an `ais_gap` alert (end
/// null) for every watched vessel that has been silent longer than its threshold since a fix within
/// `asset_radius_nm` of infrastructure, outside ports. A vessel last heard through a receiving station
/// that has delivered nothing since its threshold ran out is not counted: that is an outage of the
/// receiver, not a vessel going dark. Vessels in MMSI order, so replays are identical.
pub fn sweep_dark(
    cfg: &Config,
    geo: &dyn Geo,
    picture: &Picture,
    receivers: &Receivers,
    book: &mut AlertBook,
    now_ms: i64,
) {
    let c = &cfg.ais_gap;
    if !cfg.ais_gap.enabled || !c.live_near_assets {
        return;
    }
    let floor = i64::from(c.min_gap_s) * 1000;
    let mut silent: Vec<&Vessel> = picture
        .vessels()
        .filter(|v| v.latest.is_some_and(|l| now_ms - l.time_ms > floor))
        .collect();
    silent.sort_unstable_by_key(|v| v.mmsi);
    for v in silent {
        let (Some(last), Some(raw)) = (v.latest, v.last_raw.as_ref()) else {
            continue;
        };
        let key = (Kind::AisGap, v.mmsi, last.time_ms as u64);
        if book.is_open(&key) || !watched(c, &last) || v.watch.data.spared(cfg) {
            continue;
        }
        let threshold = threshold_ms(c, geo, &last, v.watch.via_satellite);
        // Heard without a position (GNSS lost) is not silent.
        let from = silent_since(v, last.time_ms, threshold);
        let silence = now_ms - from;
        let station = v.watch.last_station.as_deref();
        let heard_for = effective_silence_ms(receivers, station, from, now_ms);
        if heard_for <= threshold
            || silence <= threshold
            || geo.in_port(last.fix.lat, last.fix.lon).is_some()
        {
            continue;
        }
        let radius = c.asset_radius_nm * NM_M;
        let Some(asset) = geo
            .assets_within(last.fix.lat, last.fix.lon, radius)
            .into_iter()
            .next()
        else {
            continue;
        };
        let unplaced = if from > last.time_ms {
            format!(" (position unavailable since {})", hhmm(last.time_ms))
        } else {
            String::new()
        };
        let summary = format!(
            "{} went silent at {} {} from {}{unplaced} and has not been heard for {}",
            ident(v),
            hhmm(from),
            nm(asset.distance_m),
            asset.name,
            duration(silence),
        );
        let draft = Draft {
            severity: Severity::High,
            start_ms: last.time_ms,
            end_ms: None,
            lat: last.fix.lat,
            lon: last.fix.lon,
            zone: None,
            asset: Some(asset_info(&asset)),
            related: Vec::new(),
            summary,
            prior_evidence: None,
        };
        book.open(key, draft, v, &RawLines::new(raw));
    }
}

/// A late fix inside a reported gap splits it: the first part keeps the alert's id (shortened, or
/// retracted if it no longer qualifies), the rest becomes its own gap if it still qualifies.
fn late(cx: &mut Ctx<'_>) {
    let Some(late) = cx.fix() else { return };
    let t = late.time_ms;
    let inside = |a: &&crate::alert::Alert| a.start < t && a.end.is_some_and(|e| t < e);
    let hit = cx
        .book
        .recent(Kind::AisGap, cx.vessel.mmsi)
        .take(8)
        .find(inside);
    let Some((id, start, end)) = hit.map(|a| (a.id.clone(), a.start, a.end.unwrap_or(t))) else {
        return;
    };
    let via_satellite = cx.via_satellite_source();
    let thr = threshold_ms(&cx.cfg.ais_gap, cx.geo, &late, via_satellite);
    if t - start <= thr {
        cx.book.retract(&id);
    } else {
        let note = format!(" (revised: heard at {} in a late report)", rfc3339(t));
        cx.book.amend(&id, |a| {
            a.end = Some(t);
            a.summary.push_str(&note);
        });
    }
    if end - t > thr {
        let s = format!(
            "{} was silent from {} (late report) for {}",
            ident(cx.vessel),
            hhmm(t),
            duration(end - t)
        );
        let mut draft = cx.draft(Severity::Medium, t, s);
        draft.end_ms = Some(end);
        cx.open(Kind::AisGap, t as u64, draft);
    }
}

#[cfg(test)]
mod nofix_tests;
#[cfg(test)]
mod tests;
