//! `loitering`: slow or confined inside the territorial sea, where passage must be continuous and
//! expeditious (UNCLOS 18(2), 19(2)(c),(k)).
//!
//! Two clocks run per vessel: *slow* since the first fix below `max_speed_kn` (reset by any faster fix),
//! and *confined* since the vessel last left a `confine_radius_nm` circle around an anchor point (which
//! catches circling at speed). Either clock past its duration is loitering.

use super::ctx::zone_info;
use super::text::who;
use super::{Ctx, Detector};
use crate::alert::{Kind, Severity};
use crate::config::Config;
use crate::geo::{distance_m, ZoneRef, NM_M};
use crate::picture::Timed;
use crate::time::{duration, hhmm};

/// A loitering run being timed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LoiterRun {
    /// Slow since, Unix ms.
    pub slow_since: Option<i64>,
    /// Anchor of the confinement circle: time (Unix ms), lat, lon.
    pub anchor: (i64, f64, f64),
}

/// The `loitering` detector.
#[derive(Debug, Clone, Copy)]
pub struct Loitering;

impl Detector for Loitering {
    fn kind(&self) -> Kind {
        Kind::Loitering
    }

    fn doc(&self) -> &'static str {
        "Slow (< `max_speed_kn` 2 kn for `min_duration_s` 30 min) or confined (within `confine_radius_nm` \
         2 nm for 60 min, e.g. circling) inside the territorial sea, by a foreign vessel that is not fishing, \
         pilot, SAR, tug or port tender, not in a port or anchorage, and not reporting not-under-command, \
         aground, fishing or AIS-SART status. Closed when the vessel moves on or leaves."
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
    if cx
        .vessel
        .ship_type()
        .is_some_and(|s| c.exempt_ship_types.contains(&s))
    {
        return None;
    }
    if t.fix
        .nav_status
        .is_some_and(|s| c.exempt_nav_status.contains(&s))
    {
        return None;
    }
    let zone = cx.zones_of(&c.zone_kinds).into_iter().next()?;
    cx.in_port().is_none().then_some(zone)
}

fn timed(cx: &mut Ctx<'_>, t: &Timed, zone: &ZoneRef) {
    let c = &cx.cfg.loitering;
    let (lat, lon, now) = (t.fix.lat, t.fix.lon, t.time_ms);
    let run = cx.vessel.watch.loiter.get_or_insert_with(|| {
        Box::new(LoiterRun {
            slow_since: None,
            anchor: (now, lat, lon),
        })
    });
    let slow = t.fix.sog_kn.is_some_and(|s| f64::from(s) < c.max_speed_kn);
    run.slow_since = if slow {
        Some(run.slow_since.unwrap_or(now))
    } else {
        None
    };
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
            cx.vessel.watch.loiter = Some(Box::new(LoiterRun {
                slow_since: None,
                anchor: (now, lat, lon),
            }));
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
    let s = format!(
        "{} has been {how} in {} for {} since {}: not continuous and expeditious passage",
        who(cx.vessel, !cx.foreign()),
        zone.name,
        duration(now - start),
        hhmm(start),
    );
    if open.is_some() {
        return cx.revise(Kind::Loitering, 0, false, s);
    }
    let state = matches!(cx.vessel.ship_type(), Some(35 | 55));
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
    cx.open(Kind::Loitering, 0, d);
}

#[cfg(test)]
mod tests {
    use crate::alert::Kind;
    use crate::detectors::testkit::*;

    #[test]
    fn drifting_foreign_vessel_fires_at_30_min_and_transit_does_not() {
        let mut k = Kit::new(cfg(), coast());
        k.stat(273_000_001, 0, "DRIFTER", 90);
        k.stat(273_000_002, 0, "TRANSIT", 70);
        for i in 0..40 {
            let t = i64::from(i) * 60;
            k.pos(273_000_001, t, 60.5, 4.6 + f64::from(i) * 0.0002, 1.0, 90.0);
            k.pos(273_000_002, t, 60.4, 4.4 + f64::from(i) * 0.006, 10.0, 90.0);
        }
        let a = k.alerts_of(Kind::Loitering);
        assert_eq!(a.len(), 1, "{a:#?}");
        assert_eq!((a[0].mmsi, a[0].start), (273_000_001, T0));
    }

    #[test]
    fn exemptions_fishing_port_and_not_under_command() {
        let geo = coast().with_port("Florø", 60.6, 4.6, 3_000.0);
        let mut k = Kit::new(cfg(), geo);
        k.stat(273_000_001, 0, "FISHER", 30);
        for i in 0..40 {
            let t = i64::from(i) * 60;
            k.pos(273_000_001, t, 60.5, 4.6, 1.0, 90.0);
            k.pos(273_000_002, t, 60.6, 4.6, 0.1, 0.0); // in port
            k.pos_status(273_000_003, t, 60.45, 4.6, 0.5, 2); // not under command
        }
        assert!(k.alerts_of(Kind::Loitering).is_empty());
    }
}
