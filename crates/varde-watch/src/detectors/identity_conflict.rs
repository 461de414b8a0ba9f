//! `identity_conflict`: one MMSI transmitted from two places no single ship could link, an unassigned
//! MID on a ship MMSI, or a changed IMO number (UNCLOS 92(2), identity fraud).

use super::text::{ident, kn, nm};
use super::{Ctx, Detector};
use crate::alert::{Kind, Severity};
use crate::config::Config;
use crate::geo::{distance_m, implied_speed_kn};
use crate::picture::mid::{country_of_mid, is_ship_mmsi, mid_of};
use crate::picture::Update;
use crate::time::{duration, hhmm};

/// Sub-keys: one open alert per cause.
const TWO_PLACES: u64 = 1;
const BAD_MID: u64 = 2;

/// The `identity_conflict` detector.
#[derive(Debug, Clone, Copy)]
pub struct IdentityConflict;

impl Detector for IdentityConflict {
    fn kind(&self) -> Kind {
        Kind::IdentityConflict
    }

    fn doc(&self) -> &'static str {
        "One MMSI reported from two places that no single ship could link (two interleaving position \
         streams, implied speed above `position_jump.max_speed_kn`), a ship MMSI whose MID is not \
         assigned, or an IMO number that changes."
    }

    fn enabled(&self, cfg: &Config) -> bool {
        cfg.identity_conflict.enabled
    }

    fn on_report(&self, cx: &mut Ctx<'_>) {
        if !cx.vessel.watch.identity_checked {
            cx.vessel.watch.identity_checked = true;
            bad_mid(cx);
        }
        match cx.update {
            Update::Conflict { other } => two_places(cx, other),
            Update::Static {
                imo_changed_from: Some(old),
            } if cx.cfg.identity_conflict.check_imo_change => {
                imo_change(cx, old);
            }
            Update::Advance { .. }
                if cx.vessel.alt.is_none() && cx.is_open(Kind::IdentityConflict, TWO_PLACES) =>
            {
                cx.close(Kind::IdentityConflict, TWO_PLACES, cx.now());
            }
            _ => {}
        }
    }
}

fn two_places(cx: &mut Ctx<'_>, other: crate::picture::Timed) {
    let Some(now) = cx.fix() else { return };
    let d = distance_m(other.fix.lat, other.fix.lon, now.fix.lat, now.fix.lon);
    let dt = (now.time_ms - other.time_ms).abs();
    let s = format!(
        "{} is transmitting from two places {} apart {} apart in time (implied {}): two transmitters share the MMSI",
        ident(cx.vessel),
        nm(d),
        duration(dt.max(60_000)),
        kn(implied_speed_kn(d, dt.max(1))),
    );
    if cx.is_open(Kind::IdentityConflict, TWO_PLACES) {
        return cx.revise(Kind::IdentityConflict, TWO_PLACES, false, s);
    }
    let d = cx.draft(Severity::High, other.time_ms.min(now.time_ms), s);
    cx.open(Kind::IdentityConflict, TWO_PLACES, d);
}

fn bad_mid(cx: &mut Ctx<'_>) {
    let mmsi = cx.vessel.mmsi;
    if !cx.cfg.identity_conflict.check_mid || !is_ship_mmsi(mmsi) {
        return;
    }
    if mid_of(mmsi).and_then(country_of_mid).is_some() {
        return;
    }
    let s = format!(
        "MMSI {mmsi:09} uses MID {} which no state has been assigned: false or invalid identity",
        mmsi / 1_000_000
    );
    let mut d = cx.draft(Severity::Low, cx.now(), s);
    d.end_ms = Some(cx.now());
    cx.open(Kind::IdentityConflict, BAD_MID, d);
}

fn imo_change(cx: &mut Ctx<'_>, old: u32) {
    let new = cx.vessel.imo().unwrap_or(0);
    let s = format!(
        "{} changed its IMO number from {old} to {new} at {}",
        ident(cx.vessel),
        hhmm(cx.now())
    );
    let mut d = cx.draft(Severity::Medium, cx.now(), s);
    d.end_ms = Some(cx.now());
    cx.open(
        Kind::IdentityConflict,
        u64::from(new) << 32 | u64::from(old),
        d,
    );
}

#[cfg(test)]
mod tests {
    use crate::alert::Kind;
    use crate::detectors::testkit::*;

    #[test]
    fn two_interleaving_streams_conflict_but_one_stream_does_not() {
        let mut k = Kit::new(cfg(), open_sea());
        for i in 0..6 {
            k.pos(257_000_001, i * 300, 60.0, 3.0, 10.0, 0.0);
            k.pos(257_000_001, i * 300 + 150, 65.0, 3.0, 10.0, 0.0);
            k.pos(257_000_002, i * 300, 61.0, 3.0, 10.0, 0.0);
        }
        let a = k.alerts_of(Kind::IdentityConflict);
        assert_eq!(a.len(), 1, "one revised alert, not one per fix");
        assert_eq!(a[0].mmsi, 257_000_001);
        assert!(a[0].summary.contains("two places"), "{}", a[0].summary);
    }

    #[test]
    fn out_of_order_streams_revise_one_conflict_and_one_jump() {
        let mut k = Kit::new(cfg(), open_sea());
        // Two transmitters every 10 s, 5 s apart; neighbouring reports arrive swapped throughout.
        let mut feed = Vec::new();
        for i in 0..60 {
            feed.push((i * 10, 60.0 + i as f64 * 0.0005));
            feed.push((i * 10 + 5, 65.0 + i as f64 * 0.0005));
        }
        for pair in feed.chunks_mut(4) {
            pair.swap(1, 2); // A0 B0 A1 B1 -> A0 A1 B0 B1: B0 arrives after A1 (late), A1 twice in a row
        }
        for (t, lat) in feed {
            k.pos(257_000_001, t, lat, 3.0, 10.0, 0.0);
        }
        assert_eq!(k.alerts_of(Kind::IdentityConflict).len(), 1);
        assert_eq!(k.alerts_of(Kind::PositionJump).len(), 1);
    }

    #[test]
    fn unassigned_mid_and_imo_change() {
        let mut k = Kit::new(cfg(), open_sea());
        k.pos(217_000_001, 0, 60.0, 3.0, 10.0, 0.0);
        k.stat_imo(257_000_003, 0, 9_329_760);
        k.stat_imo(257_000_003, 60, 9_329_761);
        k.stat_imo(257_000_003, 120, 9_329_761);
        let a = k.alerts_of(Kind::IdentityConflict);
        assert_eq!(a.len(), 2, "{a:#?}");
        assert!(a.iter().any(|a| a.summary.contains("MID 217")));
        assert!(a
            .iter()
            .any(|a| a.summary.contains("IMO number from 9329760 to 9329761")));
    }
}
