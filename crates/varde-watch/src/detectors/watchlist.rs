//! `watchlist`: a listed vessel (by MMSI, IMO number or name) is seen. One alert per sighting episode.

use super::text::ident;
use super::{Ctx, Detector};
use crate::alert::{Kind, Severity};
use crate::config::Config;
use crate::picture::Update;
use crate::time::{duration, hhmm};

/// The `watchlist` detector.
#[derive(Debug, Clone, Copy)]
pub struct Watchlisted;

impl Detector for Watchlisted {
    fn kind(&self) -> Kind {
        Kind::Watchlist
    }

    fn doc(&self) -> &'static str {
        "A vessel on the watch list (by MMSI, IMO number or name) is seen. One alert per sighting episode; \
         a sighting more than `episode_gap_s` (6 h) after the previous one starts a new alert."
    }

    fn enabled(&self, cfg: &Config) -> bool {
        cfg.watchlist_alerts.enabled && !cfg.watchlist.is_empty()
    }

    fn on_report(&self, cx: &mut Ctx<'_>) {
        if matches!(cx.update, Update::First | Update::Static { .. }) {
            let v = &*cx.vessel;
            let listed = cx.cfg.watchlist.matches(v.mmsi, v.imo(), v.name());
            if listed.is_some() || cx.vessel.rare.is_some() {
                cx.vessel.rare_mut().watch.listed = listed;
            }
        }
        let Some(by) = cx.vessel.rare().watch.listed else {
            return;
        };
        if matches!(
            cx.update,
            Update::Late | Update::Jump { .. } | Update::Conflict { .. }
        ) {
            return;
        }
        let now = cx.now();
        let last = cx.vessel.rare().watch.listed_last_ms;
        let gap_ms = i64::from(cx.cfg.watchlist_alerts.episode_gap_s) * 1000;
        if cx.is_open(Kind::Watchlist, 0) && now - last > gap_ms {
            cx.close(Kind::Watchlist, 0, last);
        }
        cx.vessel.rare_mut().watch.listed_last_ms = now;
        if cx.is_open(Kind::Watchlist, 0) {
            let start = cx
                .book
                .get(&cx.key(Kind::Watchlist, 0))
                .map_or(now, |a| a.start);
            let s = format!(
                "Watch-listed {} (listed by {by}) in sight since {}, {} so far",
                ident(cx.vessel),
                hhmm(start),
                duration(now - start)
            );
            return cx.revise(Kind::Watchlist, 0, false, s);
        }
        let s = format!(
            "Watch-listed {} (listed by {by}) seen at {}",
            ident(cx.vessel),
            hhmm(now)
        );
        let d = cx.draft(Severity::High, now, s);
        cx.open(Kind::Watchlist, 0, d);
    }
}

#[cfg(test)]
mod tests {
    use crate::alert::Kind;
    use crate::detectors::testkit::*;

    #[test]
    fn listed_vessel_alerts_once_per_episode_and_unlisted_never() {
        let mut cfg = cfg();
        cfg.watchlist.mmsi.insert(273_000_001);
        let mut k = Kit::new(cfg, open_sea());
        for i in 0..10 {
            k.pos(273_000_001, i * 60, 70.0, 20.0, 10.0, 0.0);
            k.pos(273_000_002, i * 60, 70.1, 20.0, 10.0, 0.0);
        }
        k.pos(273_000_001, 10 * 3600, 70.0, 20.0, 10.0, 0.0);
        let w = k.alerts_of(Kind::Watchlist);
        assert_eq!(w.len(), 2, "two episodes");
        assert!(w.iter().all(|a| a.mmsi == 273_000_001));
        assert_eq!(w[0].end, Some(9 * 60_000 + T0));
    }

    #[test]
    fn listed_by_name_from_static_data() {
        let mut cfg = cfg();
        cfg.watchlist.names.insert("EAGLE S".into());
        let mut k = Kit::new(cfg, open_sea());
        k.pos(518_998_000, 0, 60.0, 25.0, 8.5, 90.0);
        assert!(k.alerts_of(Kind::Watchlist).is_empty());
        k.stat(518_998_000, 10, "Eagle S", 80);
        assert_eq!(k.alerts_of(Kind::Watchlist).len(), 1);
    }
}
