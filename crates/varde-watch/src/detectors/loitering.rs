//! `loitering`: slow or confined inside the territorial sea, where passage must be continuous and
//! expeditious (UNCLOS 18(2), 19(2)(c),(k)).
//!
//! Two clocks run per vessel: *slow* since the first fix below `max_speed_kn` (ended only when the median
//! of the speeds since then reaches it, so noise around the threshold cannot reset it), and *confined*
//! since the vessel last left a `confine_radius_nm` circle around an anchor point (which catches circling
//! at speed). Either clock past its duration is loitering.
//!
//! Internal waters count for vessels of interest (no right of passage there at all). A vessel of interest
//! that relabels itself at sea (declared ship type changed to fishing or pleasure) is judged by the type
//! it had, and the change is told in the alert.

use super::ctx::{listed, zone_info};
use super::speed_window::{slow_run, SpeedWindow};
use super::text::{relabel_note, who};
use super::zone_entry::Interest;
use super::{Ctx, Detector};
use crate::alert::{Kind, Severity};
use crate::config::Config;
use crate::geo::{distance_m, ZoneRef, NM_M};
use crate::picture::Timed;
use crate::time::{duration, hhmm};

/// A loitering run being timed.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct LoiterRun {
    /// Slow since, Unix ms.
    pub slow_since: Option<i64>,
    /// Anchor of the confinement circle: time (Unix ms), lat, lon.
    pub anchor: (i64, f64, f64),
    /// Speeds since the slow run began, tenths of a knot (capped at 25.5 kn), one a minute at most.
    window: SpeedWindow,
}

impl LoiterRun {
    fn new(now: i64, lat: f64, lon: f64) -> Self {
        Self {
            slow_since: None,
            anchor: (now, lat, lon),
            window: SpeedWindow::default(),
        }
    }
}

/// The `loitering` detector.
#[derive(Debug, Clone, Copy)]
pub struct Loitering;

impl Detector for Loitering {
    fn kind(&self) -> Kind {
        Kind::Loitering
    }

    fn doc(&self) -> &'static str {
        "Slow (< `max_speed_kn` 2 kn for `min_duration_s` 30 min, judged by the median of the last \
         `speed_window` (8) one-minute samples, so a fix or two above 2 kn does not reset it) or confined \
         (within `confine_radius_nm` 2 nm for 60 min, e.g. circling) inside the territorial sea, or inside \
         internal waters by a vessel of interest (foreign state or research vessel, watch-listed: no right \
         of passage there), by a foreign vessel that is not fishing, sailing, pleasure craft, pilot, SAR, tug or port tender (a \
         vessel of interest that relabelled itself as one at sea is judged by its earlier type, and the \
         alert says so), not in a port or anchorage, and not reporting not-under-command, aground, fishing \
         or AIS-SART status (a vessel of interest is excused by neither its ship type nor its own status \
         labels, only by aground or AIS-SART: `interest_exempt_nav_status`). Closed when the vessel moves \
         on or leaves."
    }

    fn enabled(&self, cfg: &Config) -> bool {
        cfg.loitering.enabled
    }

    fn on_report(&self, cx: &mut Ctx<'_>) {
        let Some(t) = cx.accepted_fix() else { return };
        match applicable_zone(cx, &t) {
            Some(zone) => timed(cx, &t, &zone),
            None => {
                cx.vessel.watch.loiter = None;
                cx.close(Kind::Loitering, 0, t.time_ms);
            }
        }
    }
}

/// The territorial-sea zone where the rule applies to this vessel now, if any.
fn applicable_zone(cx: &mut Ctx<'_>, t: &Timed) -> Option<ZoneRef> {
    let cfg = cx.cfg;
    let c = &cfg.loitering;
    if c.foreign_only && !cx.foreign() {
        return None;
    }
    // A vessel of interest (state, research, watch-listed) is not excused by a label it sets itself: its
    // ship type or a status such as "fishing" or "not under command" (S8: "engine problems" near assets).
    let of_interest = cx.vessel.watch.interest == Interest::Yes;
    let declared = cx.declared_ship_type();
    if !of_interest && declared.is_some_and(|s| listed(&c.exempt_ship_types, s)) {
        return None;
    }
    let exempt_status = if of_interest {
        &c.interest_exempt_nav_status
    } else {
        &c.exempt_nav_status
    };
    if t.fix.nav_status.is_some_and(|s| listed(exempt_status, s)) {
        return None;
    }
    let zone = cx.find_zone(&c.zone_kinds, |z| {
        of_interest || !c.interest_only_zone_kinds.iter().any(|k| **k == *z.kind)
    })?;
    cx.in_port().is_none().then_some(zone)
}

fn timed(cx: &mut Ctx<'_>, t: &Timed, zone: &ZoneRef) {
    let c = &cx.cfg.loitering;
    let (lat, lon, now) = (t.fix.lat, t.fix.lon, t.time_ms);
    let run = cx
        .vessel
        .watch
        .loiter
        .get_or_insert_with(|| Box::new(LoiterRun::new(now, lat, lon)));
    let sog = t.fix.sog_kn.unwrap_or(f32::MAX);
    // One fast fix is noise; the run ends when the window's median says the vessel moves on.
    slow_run(
        &mut run.slow_since,
        &mut run.window,
        now,
        sog,
        c.max_speed_kn,
        c.speed_window,
    );
    if distance_m(run.anchor.1, run.anchor.2, lat, lon) > c.confine_radius_nm * NM_M {
        run.anchor = (now, lat, lon);
    }
    let slow_from = run
        .slow_since
        .filter(|s| now - s >= i64::from(c.min_duration_s) * 1000);
    let confined_from =
        Some(run.anchor.0).filter(|a| now - a >= i64::from(c.confine_min_duration_s) * 1000);
    let Some(since) = [slow_from, confined_from].into_iter().flatten().min() else {
        if cx.is_open(Kind::Loitering, 0) {
            // The episode is over: its time must not count again towards the confinement clock.
            cx.vessel.watch.loiter = Some(Box::new(LoiterRun::new(now, lat, lon)));
            cx.close(Kind::Loitering, 0, now);
        }
        return;
    };
    let how = match slow_from {
        Some(_) => format!("slow (under {} kn)", c.max_speed_kn),
        None => format!("circling or holding within {} nm", c.confine_radius_nm),
    };
    let open = cx.book.get(&cx.key(Kind::Loitering, 0)).map(|a| a.start);
    let start = open.unwrap_or(since);
    let passage = if &*zone.kind == "internal_waters" {
        "no right of passage in internal waters"
    } else {
        "not continuous and expeditious passage"
    };
    let s = format!(
        "{} has been {how} in {} for {} since {}: {passage}{}",
        who(cx.vessel, !cx.foreign()),
        zone.name,
        duration(now - start),
        hhmm(start),
        relabel_note(cx.vessel),
    );
    if open.is_some() {
        return cx.revise(Kind::Loitering, 0, false, s);
    }
    let state = cx
        .vessel
        .ship_type()
        .is_some_and(|t| cx.cfg.interest.high_severity_ship_types.contains(&t))
        || cx.vessel.rare().watch.relabel.is_some()
        || &*zone.kind == "internal_waters";
    let mut d = cx.draft(
        if state {
            Severity::High
        } else {
            Severity::Medium
        },
        since,
        s,
    );
    d.zone = Some(zone_info(zone));
    d.prior_evidence = cx.relabel_evidence();
    cx.open(Kind::Loitering, 0, d);
}

#[cfg(test)]
mod tests;
