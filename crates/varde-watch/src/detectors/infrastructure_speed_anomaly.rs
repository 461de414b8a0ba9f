//! `infrastructure_speed_anomaly`: the anchor-drag signature — speed falls well below the vessel's own
//! recent median over a cable or pipeline while the course holds and the status still says "under way"
//! (Eagle S 2024, Newnew Polar Bear 2023).

use super::ctx::{asset_info, listed};
use super::text::{ident, kn, nm};
use super::{Ctx, Detector};
use crate::alert::{Kind, Severity};
use crate::config::{Config, InfrastructureSpeedAnomalyConfig};
use crate::geo::{angle_diff_deg, NM_M};
use crate::picture::{Timed, Vessel};
use crate::time::{duration, hhmm};

/// The `infrastructure_speed_anomaly` detector.
#[derive(Debug, Clone, Copy)]
pub struct InfrastructureSpeedAnomaly;

/// The speed a vessel kept before a sustained drop, held while the drop lasts: the reference an anchor
/// drag is measured against however long it has gone on (the recent median adopts the drag speed within
/// an hour).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SpeedRef {
    /// Speed before the drop, tenths of a knot.
    pub dkn: u16,
    /// When the drop began, Unix seconds.
    pub since_s: u32,
}

impl SpeedRef {
    fn kn(self) -> f32 {
        f32::from(self.dkn) / 10.0
    }

    fn since_ms(self) -> i64 {
        i64::from(self.since_s) * 1000
    }
}

impl Detector for InfrastructureSpeedAnomaly {
    fn kind(&self) -> Kind {
        Kind::InfrastructureSpeedAnomaly
    }

    fn doc(&self) -> &'static str {
        "Speed at least `min_drop_fraction` (15 %) or `min_drop_kn` (1.5 kn) below the vessel's usual speed \
         for `min_duration_s` (3 min) within `radius_nm` (1 nm) of a cable (telecom, power, HVDC) or \
         pipeline, course within `max_course_change_deg` (10°) of the course before the slow-down, status \
         still under way, not in or within `port_approach_m` (3 nm) of a port and not alongside a platform \
         (`infrastructure_loiter.platform_service_m`, 500 m: a vessel stopping there is servicing it) nor \
         within `platform_approach_m` (1 km) of one (arriving at it): the \
         anchor-drag signature. The usual speed is the recent median (2 h, 5-min samples); once a drop \
         of at least `hold_min_drop_fraction` (20 %) begins, the speed before it is held as the reference for as long as the drop lasts (up to \
         `hold_reference_s`, 24 h), so a drag that began 100 km before the asset still counts (not for \
         `hold_exempt_ship_types`: fishing, towing, dredging, pilot, SAR, tug, tender). High severity \
         when the drop has lasted `sustained_s` (30 min) or the vessel nearly stops (< 1 kn)."
    }

    fn enabled(&self, cfg: &Config) -> bool {
        cfg.infrastructure_speed_anomaly.enabled
    }

    fn on_report(&self, cx: &mut Ctx<'_>) {
        let Some(t) = cx.accepted_fix() else { return };
        let Some(sog) = t.fix.sog_kn else { return };
        let c = &cx.cfg.infrastructure_speed_anomaly;
        // Worked out once: both the reference and the fallback below need it.
        let median = usual_speed(c, cx);
        let held = hold_reference(c, cx, &t, sog, median);
        let Some(usual) = held.map(SpeedRef::kn).or(median) else {
            return;
        };
        if !dropped(c, usual, sog) {
            cx.vessel.watch.cog_ref_ddeg = t.fix.cog_deg.map(|d| (d * 10.0) as u16);
            return end_dip(cx, t.time_ms);
        }
        let long =
            held.is_some_and(|h| t.time_ms - h.since_ms() >= i64::from(c.sustained_s) * 1000);
        if !(explained(c, cx, &t, long) || cx.in_port().is_some() || cx.servicing_platform()) {
            // Only cables and pipelines: an anchor dragged along the sea floor is what cuts them; a vessel
            // slowing near a platform is arriving at it (`infrastructure_loiter` watches it holding there).
            let linear = cx
                .assets(c.radius_nm * NM_M)
                .into_iter()
                .find(|a| a.is_linear());
            if let Some(asset) = linear {
                if !approaching_port(c, cx, &t) && !approaching_platform(c, cx, &t) {
                    return dipping(cx, &t, usual, held, &asset);
                }
            }
        }
        end_dip(cx, t.time_ms);
    }
}

/// Whether `sog` is far enough below `usual` to count as a drop.
fn dropped(c: &InfrastructureSpeedAnomalyConfig, usual: f32, sog: f32) -> bool {
    let drop = f64::from(usual - sog);
    drop >= f64::from(usual) * c.min_drop_fraction || drop >= c.min_drop_kn
}

/// Keeps the speed from before a drop while the drop lasts; returns it while held. Starts when the fix
/// drops below the recent median of an eligible vessel under way; ends when the speed recovers to within
/// half the drop threshold, the vessel anchors or moors, or after `hold_reference_s`. `median`: the
/// vessel's [`usual_speed`].
fn hold_reference(
    c: &InfrastructureSpeedAnomalyConfig,
    cx: &mut Ctx<'_>,
    t: &Timed,
    sog: f32,
    median: Option<f32>,
) -> Option<SpeedRef> {
    let now_s = (t.time_ms / 1000).clamp(0, i64::from(u32::MAX)) as u32;
    // Whether the vessel may hold a reference at all: asked last, as most fixes show no drop.
    let eligible = |v: &Vessel| {
        let under_way = t
            .fix
            .nav_status
            .is_none_or(|s| listed(&c.under_way_status, s));
        under_way
            && !v
                .ship_type()
                .is_some_and(|s| listed(&c.hold_exempt_ship_types, s))
    };
    let held = cx.vessel.watch.speed_ref.filter(|h| {
        let recovered = f64::from(sog) >= f64::from(h.kn()) * (1.0 - c.min_drop_fraction / 2.0);
        let expired = now_s.saturating_sub(h.since_s) > c.hold_reference_s;
        !recovered && !expired && eligible(cx.vessel)
    });
    let held = held.or_else(|| {
        let median = median?;
        let deep = f64::from(median - sog) >= f64::from(median) * c.hold_min_drop_fraction;
        (deep && eligible(cx.vessel)).then(|| SpeedRef {
            dkn: (median * 10.0).round() as u16,
            since_s: now_s,
        })
    });
    cx.vessel.watch.speed_ref = held;
    held
}

/// The vessel's recent median speed, if there is enough history and it is fast enough to matter.
fn usual_speed(c: &InfrastructureSpeedAnomalyConfig, cx: &Ctx<'_>) -> Option<f32> {
    let h = &cx.vessel.speeds;
    let m = h.median_kn().filter(|_| h.len() >= c.min_median_samples)?;
    (f64::from(m) >= c.min_median_kn).then_some(m)
}

/// Whether the vessel is slowing for a platform close by (a supply vessel arriving where pipelines
/// converge), asked only of a dip already near a cable or pipeline.
fn approaching_platform(c: &InfrastructureSpeedAnomalyConfig, cx: &Ctx<'_>, t: &Timed) -> bool {
    c.platform_approach_m > 0.0
        && cx
            .geo
            .assets_within(t.fix.lat, t.fix.lon, c.platform_approach_m)
            .iter()
            .any(|a| &*a.kind == "platform")
}

/// Whether the vessel is slowing for a port or anchorage close by.
fn approaching_port(c: &InfrastructureSpeedAnomalyConfig, cx: &Ctx<'_>, t: &Timed) -> bool {
    c.port_approach_m > 0.0
        && cx
            .geo
            .port_within(t.fix.lat, t.fix.lon, c.port_approach_m)
            .is_some()
}

/// Whether the dip has an innocent explanation: a status other than under way, or a change of course.
/// In a long drop (`long`) a turn explains only the fixes around it: the new course becomes the
/// reference, since a drag can last for hours along a route with bends.
fn explained(
    c: &InfrastructureSpeedAnomalyConfig,
    cx: &mut Ctx<'_>,
    t: &Timed,
    long: bool,
) -> bool {
    if t.fix
        .nav_status
        .is_some_and(|s| !listed(&c.under_way_status, s))
    {
        return true;
    }
    let moving = f64::from(t.fix.sog_kn.unwrap_or(0.0)) >= c.turn_min_speed_kn;
    let reference = cx.vessel.watch.cog_ref_ddeg.map(|r| f32::from(r) / 10.0);
    let turn = |(r, now): (f32, f32)| f64::from(angle_diff_deg(r, now)) > c.max_course_change_deg;
    let turned = moving && reference.zip(t.fix.cog_deg).is_some_and(turn);
    if turned && long {
        cx.vessel.watch.cog_ref_ddeg = t.fix.cog_deg.map(|d| (d * 10.0) as u16);
    }
    turned
}

fn end_dip(cx: &mut Ctx<'_>, now: i64) {
    if let Some(w) = cx.vessel.watch.infra.as_deref_mut() {
        w.dip_since = None;
    }
    cx.close(Kind::InfrastructureSpeedAnomaly, 0, now);
}

fn dipping(
    cx: &mut Ctx<'_>,
    t: &Timed,
    usual: f32,
    held: Option<SpeedRef>,
    asset: &crate::geo::AssetRef,
) {
    let c = &cx.cfg.infrastructure_speed_anomaly;
    let w = cx.vessel.watch.infra.get_or_insert_with(Box::default);
    let near_since = *w.dip_since.get_or_insert(t.time_ms);
    if t.time_ms - near_since < i64::from(c.min_duration_s) * 1000 {
        return;
    }
    let since = held.map_or(near_since, |h| h.since_ms().min(near_since));
    let sustained = t.time_ms - since >= i64::from(c.sustained_s) * 1000;
    let sog = t.fix.sog_kn.unwrap_or(0.0);
    let pct = ((1.0 - sog / usual) * 100.0).round();
    let how_long = if sustained {
        format!(
            "for {} (since {}, {} before reaching it)",
            duration(t.time_ms - since),
            hhmm(since),
            duration(near_since - since),
        )
    } else {
        format!("since {}", hhmm(since))
    };
    let s = format!(
        "{} slowed to {} from its usual {} (-{pct} %) without changing course, status under way, {} from \
         {} ({}), {how_long}: anchor-drag signature",
        ident(cx.vessel),
        kn(f64::from(sog)),
        kn(f64::from(usual)),
        nm(asset.distance_m),
        asset.name,
        asset.kind,
    );
    let severity = if f64::from(sog) < c.near_stop_kn || sustained {
        Severity::High
    } else {
        Severity::Medium
    };
    if let Some(open) = cx.book.get(&cx.key(Kind::InfrastructureSpeedAnomaly, 0)) {
        let raise = severity > open.severity;
        let key = cx.key(Kind::InfrastructureSpeedAnomaly, 0);
        let pos = (t.fix.lat, t.fix.lon);
        return cx
            .book
            .revise(key, t.time_ms, cx.vessel, &cx.report.raw, raise, |a| {
                (a.lat, a.lon, a.summary) = (pos.0, pos.1, s);
                a.severity = a.severity.max(severity);
            });
    }
    // The alert is about the asset: it starts when the dip was first seen near it; the summary says
    // when the drop itself began.
    let mut d = cx.draft(severity, near_since, s);
    d.asset = Some(asset_info(asset));
    cx.open(Kind::InfrastructureSpeedAnomaly, 0, d);
}

#[cfg(test)]
mod tests;
