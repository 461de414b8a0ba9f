//! `infrastructure_loiter`: slow or stopped within the buffer of a cable, pipeline or platform, or a
//! trawler criss-crossing a cable (UNCLOS 21(1)(c), 113; Yi Peng 3, the Svalbard cable).

use super::ctx::asset_info;
use super::speed_window::{slow_run, SpeedWindow};
use super::text::{ident, nm};
use super::zone_entry::Interest;
use super::{Ctx, Detector};
use crate::alert::{Kind, Severity};
use crate::config::Config;
use crate::geo::{AssetRef, NM_M};
use crate::picture::Timed;
use crate::time::{duration, hhmm};
use std::sync::Arc;

/// Sub-keys: slow near an asset, repeated crossings.
const SLOW: u64 = 0;
const CROSSING: u64 = 1;

/// Per-vessel infrastructure state, allocated only near assets.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct InfraWatch {
    /// Slow within the buffer since, Unix ms.
    pub slow_since: Option<i64>,
    /// The linear asset whose buffer the vessel is inside.
    pub inside: Option<Arc<str>>,
    /// Entries into the buffer of `crossing_asset`, Unix ms, oldest first.
    pub crossings: Vec<i64>,
    /// The asset being crossed.
    pub crossing_asset: Option<Arc<str>>,
    /// Speed dip within a buffer since, Unix ms (`infrastructure_speed_anomaly`).
    pub dip_since: Option<i64>,
    /// Speeds of the slow run (noise above the threshold does not end it).
    window: SpeedWindow,
}

impl InfraWatch {
    /// Heap bytes owned.
    pub fn heap_bytes(&self) -> usize {
        std::mem::size_of::<Self>() + self.crossings.capacity() * 8
    }

    fn idle(&self) -> bool {
        self.slow_since.is_none()
            && self.inside.is_none()
            && self.crossings.is_empty()
            && self.dip_since.is_none()
    }
}

/// The `infrastructure_loiter` detector.
#[derive(Debug, Clone, Copy)]
pub struct InfrastructureLoiter;

impl Detector for InfrastructureLoiter {
    fn kind(&self) -> Kind {
        Kind::InfrastructureLoiter
    }

    fn doc(&self) -> &'static str {
        "Slow (< `max_speed_kn` 3 kn, judged by the median of the last `speed_window` (8) one-minute \
         samples, so a fix or two above it does not reset the clock) for `min_duration_s` (30 min) within \
         `radius_nm` (1 nm) of a cable (telecom, power, HVDC), pipeline or platform, not in a port or \
         anchorage (a berth at a pipeline landfall terminal) and not alongside a platform (within \
         `platform_service_m`, 500 m: its safety zone, where vessels service it); fishing vessels \
         (`slow_exempt_ship_types` 30, status 7) are left to the crossing rule unless they are of \
         interest; or a trawling vessel (ship type 30 or status 7) entering a cable or pipeline buffer \
         `crossings` (3) times within `crossing_window_s` (6 h)."
    }

    fn enabled(&self, cfg: &Config) -> bool {
        cfg.infrastructure_loiter.enabled
    }

    fn on_report(&self, cx: &mut Ctx<'_>) {
        let Some(t) = cx.accepted_fix() else { return };
        let near = cx.assets(cx.cfg.infrastructure_loiter.radius_nm * NM_M);
        if near.is_empty() && cx.vessel.watch.infra.is_none() {
            return;
        }
        cx.vessel.watch.infra.get_or_insert_with(Box::default);
        let excused = !near.is_empty()
            && (fishing(cx, &t) || cx.servicing_platform() || cx.in_port().is_some());
        slow_near(cx, &t, near.first().filter(|_| !excused));
        crossings(cx, &t, near.iter().find(|a| a.is_linear()));
        if near.is_empty() && cx.vessel.watch.infra.as_ref().is_some_and(|w| w.idle()) {
            cx.vessel.watch.infra = None;
        }
    }
}

/// Whether the slow rule leaves the vessel to the crossing rule: a fishing vessel (by its declared type
/// before any relabelling, or its status) that is not of interest.
fn fishing(cx: &Ctx<'_>, t: &Timed) -> bool {
    let c = &cx.cfg.infrastructure_loiter;
    if cx.vessel.watch.interest == Interest::Yes {
        return false;
    }
    let declared = cx.declared_ship_type();
    declared.is_some_and(|s| c.slow_exempt_ship_types.contains(&s))
        || t.fix
            .nav_status
            .is_some_and(|s| c.slow_exempt_nav_status.contains(&s))
}

fn slow_near(cx: &mut Ctx<'_>, t: &Timed, asset: Option<&AssetRef>) {
    let c = &cx.cfg.infrastructure_loiter;
    let sog = t.fix.sog_kn.unwrap_or(f32::MAX);
    let run = match (cx.vessel.watch.infra.as_deref_mut(), asset) {
        (Some(w), Some(_)) => {
            let (max, cap) = (c.max_speed_kn, c.speed_window);
            slow_run(&mut w.slow_since, &mut w.window, t.time_ms, sog, max, cap)
        }
        _ => None,
    };
    let (Some(since), Some(asset)) = (run, asset) else {
        if let Some(w) = cx.vessel.watch.infra.as_deref_mut() {
            w.slow_since = None;
        }
        return cx.close(Kind::InfrastructureLoiter, SLOW, t.time_ms);
    };
    if t.time_ms - since < i64::from(c.min_duration_s) * 1000 {
        return;
    }
    let s = format!(
        "{} has been slow (under {} kn) within {} of {} for {} since {}",
        ident(cx.vessel),
        c.max_speed_kn,
        nm(asset.distance_m),
        asset.name,
        duration(t.time_ms - since),
        hhmm(since),
    );
    if cx.is_open(Kind::InfrastructureLoiter, SLOW) {
        return cx.revise(Kind::InfrastructureLoiter, SLOW, false, s);
    }
    let mut d = cx.draft(Severity::High, since, s);
    d.asset = Some(asset_info(asset));
    cx.open(Kind::InfrastructureLoiter, SLOW, d);
}

fn crossings(cx: &mut Ctx<'_>, t: &Timed, linear: Option<&AssetRef>) {
    let c = &cx.cfg.infrastructure_loiter;
    let trawler = cx
        .vessel
        .ship_type()
        .is_some_and(|s| c.crossing_ship_types.contains(&s))
        || t.fix
            .nav_status
            .is_some_and(|s| c.crossing_nav_status.contains(&s));
    let Some(w) = cx.vessel.watch.infra.as_deref_mut() else {
        return;
    };
    let id = linear.map(|a| a.id.clone());
    if let (Some(id), true) = (&id, trawler) {
        if w.inside.as_ref() != Some(id) {
            if w.crossing_asset.as_ref() != Some(id) {
                (w.crossing_asset, w.crossings) = (Some(id.clone()), Vec::new());
            }
            w.crossings.push(t.time_ms);
        }
    }
    w.inside = id;
    let window = i64::from(c.crossing_window_s) * 1000;
    w.crossings.retain(|&x| t.time_ms - x <= window);
    let n = w.crossings.len();
    let first = w.crossings.first().copied().unwrap_or(t.time_ms);
    match linear {
        Some(asset) if n >= c.crossings => crossed(cx, t, asset, n, first),
        _ if n < c.crossings => cx.close(Kind::InfrastructureLoiter, CROSSING, t.time_ms),
        _ => {}
    }
}

fn crossed(cx: &mut Ctx<'_>, t: &Timed, asset: &AssetRef, n: usize, first: i64) {
    let s = format!(
        "Trawling {} has crossed {} {n} times in {}: bottom gear over the {}",
        ident(cx.vessel),
        asset.name,
        duration(t.time_ms - first),
        asset.kind,
    );
    if cx.is_open(Kind::InfrastructureLoiter, CROSSING) {
        return cx.revise(Kind::InfrastructureLoiter, CROSSING, true, s);
    }
    let mut d = cx.draft(Severity::High, first, s);
    d.asset = Some(asset_info(asset));
    cx.open(Kind::InfrastructureLoiter, CROSSING, d);
}

#[cfg(test)]
mod tests;
