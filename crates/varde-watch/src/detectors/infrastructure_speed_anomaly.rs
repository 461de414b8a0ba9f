//! `infrastructure_speed_anomaly`: the anchor-drag signature — speed falls well below the vessel's own
//! recent median over a cable or pipeline while the course holds and the status still says "under way"
//! (Eagle S 2024, Newnew Polar Bear 2023).

use super::ctx::asset_info;
use super::text::{ident, kn, nm};
use super::{Ctx, Detector};
use crate::alert::{Kind, Severity};
use crate::config::{Config, InfrastructureSpeedAnomalyConfig};
use crate::geo::{angle_diff_deg, NM_M};
use crate::picture::Timed;
use crate::time::hhmm;

/// The `infrastructure_speed_anomaly` detector.
#[derive(Debug, Clone, Copy)]
pub struct InfrastructureSpeedAnomaly;

impl Detector for InfrastructureSpeedAnomaly {
    fn kind(&self) -> Kind {
        Kind::InfrastructureSpeedAnomaly
    }

    fn doc(&self) -> &'static str {
        "Speed at least `min_drop_fraction` (15 %) or `min_drop_kn` (1.5 kn) below the vessel's own recent \
         median (2 h, 5-min samples) for `min_duration_s` (3 min) within `radius_nm` (1 nm) of a cable or \
         pipeline, \
         course within `max_course_change_deg` (10°) of the course before the slow-down, status still \
         under way, not in port and not alongside a platform (`infrastructure_loiter.platform_service_m`, \
         500 m: a vessel stopping there is servicing it): the anchor-drag signature."
    }

    fn enabled(&self, cfg: &Config) -> bool {
        cfg.infrastructure_speed_anomaly.enabled
    }

    fn on_report(&self, cx: &mut Ctx<'_>) {
        let Some(t) = cx.accepted_fix() else { return };
        let Some(sog) = t.fix.sog_kn else { return };
        let c = &cx.cfg.infrastructure_speed_anomaly;
        let Some(median) = usual_speed(c, cx) else {
            return;
        };
        let drop = median - sog;
        let dipped = f64::from(drop) >= f64::from(median) * c.min_drop_fraction
            || f64::from(drop) >= c.min_drop_kn;
        if !dipped {
            cx.vessel.watch.cog_ref_ddeg = t.fix.cog_deg.map(|d| (d * 10.0) as u16);
            return end_dip(cx, t.time_ms);
        }
        if !(explained(c, cx, &t) || cx.in_port().is_some() || cx.servicing_platform()) {
            // Only cables and pipelines: an anchor dragged along the sea floor is what cuts them; a vessel
            // slowing near a platform is arriving at it (`infrastructure_loiter` watches it holding there).
            let linear = cx
                .assets(c.radius_nm * NM_M)
                .into_iter()
                .find(|a| a.is_linear());
            if let Some(asset) = linear {
                return dipping(cx, &t, median, &asset);
            }
        }
        end_dip(cx, t.time_ms);
    }
}

/// The vessel's recent median speed, if there is enough history and it is fast enough to matter.
fn usual_speed(c: &InfrastructureSpeedAnomalyConfig, cx: &Ctx<'_>) -> Option<f32> {
    let h = &cx.vessel.speeds;
    let m = h.median_kn().filter(|_| h.len() >= c.min_median_samples)?;
    (f64::from(m) >= c.min_median_kn).then_some(m)
}

/// Whether the dip has an innocent explanation: a status other than under way, or a change of course.
fn explained(c: &InfrastructureSpeedAnomalyConfig, cx: &Ctx<'_>, t: &Timed) -> bool {
    if t.fix
        .nav_status
        .is_some_and(|s| !c.under_way_status.contains(&s))
    {
        return true;
    }
    let moving = t.fix.sog_kn.unwrap_or(0.0) >= 2.0;
    let reference = cx.vessel.watch.cog_ref_ddeg.map(|r| f32::from(r) / 10.0);
    let turn = |(r, now): (f32, f32)| f64::from(angle_diff_deg(r, now)) > c.max_course_change_deg;
    moving && reference.zip(t.fix.cog_deg).is_some_and(turn)
}

fn end_dip(cx: &mut Ctx<'_>, now: i64) {
    if let Some(w) = cx.vessel.watch.infra.as_deref_mut() {
        w.dip_since = None;
    }
    cx.close(Kind::InfrastructureSpeedAnomaly, 0, now);
}

fn dipping(cx: &mut Ctx<'_>, t: &Timed, median: f32, asset: &crate::geo::AssetRef) {
    let c = &cx.cfg.infrastructure_speed_anomaly;
    let w = cx.vessel.watch.infra.get_or_insert_with(Box::default);
    let since = *w.dip_since.get_or_insert(t.time_ms);
    if t.time_ms - since < i64::from(c.min_duration_s) * 1000 {
        return;
    }
    let sog = t.fix.sog_kn.unwrap_or(0.0);
    let pct = ((1.0 - sog / median) * 100.0).round();
    let s = format!(
        "{} slowed to {} from its usual {} (-{pct} %) without changing course, status under way, {} from {} \
         since {}: anchor-drag signature",
        ident(cx.vessel),
        kn(f64::from(sog)),
        kn(f64::from(median)),
        nm(asset.distance_m),
        asset.name,
        hhmm(since),
    );
    let severity = if sog < 1.0 {
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
    let mut d = cx.draft(severity, since, s);
    d.asset = Some(asset_info(asset));
    cx.open(Kind::InfrastructureSpeedAnomaly, 0, d);
}

#[cfg(test)]
mod tests;
