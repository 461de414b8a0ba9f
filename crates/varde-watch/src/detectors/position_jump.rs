//! `position_jump`: a fix no ship could reach from its previous one (spoofing, GNSS interference).
//!
//! The picture decides what is impossible (its thresholds are this detector's config), keeps the
//! offending fix out of the track, and opens a candidate second stream; this detector reports it.

use super::text::{ident, kn, nm};
use super::{Ctx, Detector};
use crate::alert::{Kind, Severity};
use crate::config::Config;
use crate::geo::{distance_m, implied_speed_kn};
use crate::picture::Update;
use crate::report::RawLines;
use crate::time::duration;

/// The `position_jump` detector.
#[derive(Debug, Clone, Copy)]
pub struct PositionJump;

impl Detector for PositionJump {
    fn kind(&self) -> Kind {
        Kind::PositionJump
    }

    fn doc(&self) -> &'static str {
        "Kinematically impossible motion: consecutive fixes more than `min_distance_nm` (2 nm) apart with an \
         implied speed above `max_speed_kn` (50 kn), or above `own_max_factor` (3) times the vessel's own \
         highest speed (floor `min_own_limit_kn`, 25 kn). One alert per offending fix; none for a victim \
         of an open `gnss_interference` episode (the area alert carries its jump), and none that a \
         second transmitter explains (`identity_conflict` retracts them)."
    }

    fn enabled(&self, cfg: &Config) -> bool {
        cfg.position_jump.enabled
    }

    fn on_report(&self, cx: &mut Ctx<'_>) {
        let Update::Jump { from } = cx.update else {
            return;
        };
        if cx.vessel.rare().watch.gnss_episode != 0 {
            return;
        }
        let Some(now) = cx.fix() else { return };
        let d = distance_m(from.fix.lat, from.fix.lon, now.fix.lat, now.fix.lon);
        let dt = now.time_ms - from.time_ms;
        // No implied speed from a gap under a second (it would print thousands of knots, or infinity).
        let when = if dt < 1000 {
            "in the same second".to_owned()
        } else {
            format!(
                "{} earlier (implied {})",
                duration(dt),
                kn(implied_speed_kn(d, dt))
            )
        };
        let s = format!(
            "{} reported a position {} from its previous fix {when}: possible spoofing or GNSS interference",
            ident(cx.vessel),
            nm(d),
        );
        let mut draft = cx.draft(Severity::Medium, now.time_ms, s);
        draft.end_ms = Some(now.time_ms);
        // The evidence shows both fixes: the last accepted one (a jump does not replace it), then this.
        draft.prior_evidence = cx.vessel.last_raw.as_deref().map(RawLines::new);
        cx.open(Kind::PositionJump, now.time_ms as u64, draft);
    }
}

#[cfg(test)]
mod tests {
    use crate::alert::Kind;
    use crate::detectors::testkit::*;

    #[test]
    fn half_degree_spoof_fires_once_and_normal_sailing_never() {
        let mut k = Kit::new(cfg(), open_sea());
        for i in 0..20 {
            let lat = 60.0 + f64::from(i) * 0.0005;
            let lat = if i == 10 { lat + 0.5 } else { lat };
            k.pos(257_000_001, i64::from(i) * 10, lat, 3.0, 10.0, 0.0);
            k.pos(
                257_000_002,
                i64::from(i) * 10,
                61.0 + f64::from(i) * 0.0005,
                3.0,
                10.0,
                0.0,
            );
        }
        let a = k.alerts_of(Kind::PositionJump);
        assert_eq!(a.len(), 1);
        assert_eq!(a[0].mmsi, 257_000_001);
        assert!(
            a[0].summary
                .contains("30.1 nm from its previous fix 10 s earlier"),
            "{}",
            a[0].summary
        );
        assert!(
            k.alerts_of(Kind::IdentityConflict).is_empty(),
            "a lone outlier is not a second transmitter"
        );
        // Evidence: the fix before (report 9, at T0 + 90 s) and the fix after (report 10).
        let lines: Vec<String> = a[0].evidence_lines().map(|l| l.into_owned()).collect();
        let at = |s: i64| format!("\\c:{},", T0 / 1000 + s);
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert!(lines[0].starts_with(&at(90)), "{lines:?}");
        assert!(lines[1].starts_with(&at(100)), "{lines:?}");
    }
}
