//! `position_on_land`: a ship reports a position further inland than the coastline tolerance.

use super::gnss_interference::RAISED_LAND;
use super::text::{ident, nm};
use super::{Ctx, Detector};
use crate::alert::{Kind, Severity};
use crate::config::Config;
use crate::picture::Update;
use crate::report::StationClass;

/// The `position_on_land` detector.
#[derive(Debug, Clone, Copy)]
pub struct PositionOnLand;

impl Detector for PositionOnLand {
    fn kind(&self) -> Kind {
        Kind::PositionOnLand
    }

    fn doc(&self) -> &'static str {
        "A ship (Class A or B) reports a position more than `min_inland_m` (500 m) inland: spoofing, GNSS \
         interference or a broken transponder. Consecutive fixes on land revise one alert; the first fix \
         at sea closes it. A victim of an open `gnss_interference` episode raises at most one per \
         episode, however often its spoofed fixes cross the coast."
    }

    fn enabled(&self, cfg: &Config) -> bool {
        cfg.position_on_land.enabled
    }

    fn on_report(&self, cx: &mut Ctx<'_>) {
        if matches!(
            cx.update,
            Update::Late | Update::Duplicate | Update::Static { .. }
        ) {
            return;
        }
        let Some(t) = cx.fix() else { return };
        if !matches!(t.fix.class, StationClass::ClassA | StationClass::ClassB) {
            return;
        }
        let depth = cx.geo.land_depth_m(t.fix.lat, t.fix.lon).unwrap_or(0.0);
        let open = cx.is_open(Kind::PositionOnLand, 0);
        // Harbour basins, quays and river ports are land in coarse coastline
        // data (the Glomma at Fredrikstad in the built-in layer): a fix inside
        // a port is not evidence of spoofing.
        let inland = depth > cx.cfg.position_on_land.min_inland_m && cx.in_port().is_none();
        if !inland {
            if open {
                cx.close(Kind::PositionOnLand, 0, t.time_ms);
            }
            return;
        }
        let s = format!(
            "{} reported a position {} inland: spoofed or faulty position",
            ident(cx.vessel),
            nm(depth)
        );
        if open {
            return cx.revise(Kind::PositionOnLand, 0, false, s);
        }
        if cx.vessel.rare().watch.gnss_episode != 0 {
            let mmsi = cx.vessel.mmsi;
            if cx.gnss.raised(mmsi) & RAISED_LAND != 0 {
                return;
            }
            cx.gnss.set_raised(mmsi, RAISED_LAND);
        }
        let d = cx.draft(Severity::Medium, t.time_ms, s);
        cx.open(Kind::PositionOnLand, 0, d);
    }
}

#[cfg(test)]
mod tests {
    use crate::alert::Kind;
    use crate::detectors::testkit::*;

    #[test]
    fn inland_fix_fires_and_coastal_fix_does_not() {
        let mut k = Kit::new(cfg(), coast());
        k.pos(257_000_001, 0, 60.5, 5.5, 0.0, 0.0); // deep inland
        k.pos(257_000_001, 10, 60.5, 4.99, 0.0, 0.0); // at sea again
        k.pos(257_000_002, 0, 60.5, 5.005, 0.0, 0.0); // 270 m inside the coastline
        let a = k.alerts_of(Kind::PositionOnLand);
        assert_eq!(a.len(), 1, "{a:#?}");
        assert_eq!(a[0].mmsi, 257_000_001);
        assert!(a[0].end.is_some(), "closed by the fix at sea");
    }

    #[test]
    fn inland_fix_inside_a_port_is_not_spoofing() {
        let geo = coast().with_port("River port", 60.5, 5.5, 3_000.0);
        let mut k = Kit::new(cfg(), geo);
        k.pos(257_000_001, 0, 60.5, 5.5, 0.0, 0.0); // inland, but in the river port
        k.pos(257_000_002, 0, 60.5, 5.7, 0.0, 0.0); // inland, outside any port
        let a = k.alerts_of(Kind::PositionOnLand);
        assert_eq!(a.len(), 1, "{a:#?}");
        assert_eq!(a[0].mmsi, 257_000_002);
    }
}
