//! Compressed, bounded track history.
//!
//! A point is kept when dead reckoning from the last kept point (its speed and course) misses the actual
//! position by more than a tolerance (turns, speed changes, stops), when the vessel stops or starts, when
//! a reporting gap opens, or on a heartbeat. The fix *before* the deviation is the one kept, so turn
//! points are real fixes. The oldest points fall off when the track is full.

use crate::config::TrackConfig;
use crate::geo::NM_M;

/// Metres per degree of latitude.
const M_PER_DEG: f64 = 111_195.0;
use crate::picture::Timed;
use std::collections::VecDeque;

/// Slots a track holds after its first point.
const TRACK_FIRST_SLOTS: usize = 4;

/// One kept point: 16 bytes.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct TrackPoint {
    /// Event time in Unix seconds.
    pub time_s: u32,
    /// Latitude, degrees (f32: ~0.5 m resolution at 60° N).
    pub lat: f32,
    /// Longitude, degrees.
    pub lon: f32,
    /// Speed over ground in tenths of a knot; `u16::MAX` when unknown.
    pub sog_dkn: u16,
    /// Course over ground in tenths of a degree; `u16::MAX` when unknown.
    pub cog_ddeg: u16,
}

impl TrackPoint {
    /// Compresses a fix into a track point.
    pub fn from_timed(t: &Timed) -> Self {
        let q =
            |v: Option<f32>| v.map_or(u16::MAX, |v| (v * 10.0).round().clamp(0.0, 65_534.0) as u16);
        Self {
            time_s: (t.time_ms.div_euclid(1000)).clamp(0, i64::from(u32::MAX)) as u32,
            lat: t.fix.lat as f32,
            lon: t.fix.lon as f32,
            sog_dkn: q(t.fix.sog_kn),
            cog_ddeg: q(t.fix.cog_deg),
        }
    }

    /// Speed in knots, if known.
    pub fn sog_kn(&self) -> Option<f32> {
        (self.sog_dkn != u16::MAX).then(|| f32::from(self.sog_dkn) / 10.0)
    }

    fn time_ms(&self) -> i64 {
        i64::from(self.time_s) * 1000
    }

    /// The point as a fix (Class A, no heading or status), for comparisons with fixes.
    pub fn to_timed(&self) -> Timed {
        Timed {
            time_ms: self.time_ms(),
            fix: crate::report::PositionFix {
                lat: f64::from(self.lat),
                lon: f64::from(self.lon),
                sog_kn: self.sog_kn(),
                cog_deg: (self.cog_ddeg != u16::MAX).then(|| f32::from(self.cog_ddeg) / 10.0),
                heading_deg: None,
                nav_status: None,
                class: crate::report::StationClass::ClassA,
            },
        }
    }
}

/// A vessel's compressed history, oldest first.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Track {
    points: VecDeque<TrackPoint>,
    /// Dead-reckoning unit vector of the last kept point (east, north) and metres per degree of
    /// longitude there, cached so the per-fix check needs no trigonometry.
    dr: [f32; 3],
}

impl Track {
    /// The kept points, oldest first.
    pub fn points(&self) -> impl Iterator<Item = &TrackPoint> {
        self.points.iter()
    }

    /// Number of kept points.
    pub fn len(&self) -> usize {
        self.points.len()
    }

    /// Whether no point is kept.
    pub fn is_empty(&self) -> bool {
        self.points.is_empty()
    }

    /// Heap bytes held.
    pub fn heap_bytes(&self) -> usize {
        self.points.capacity() * std::mem::size_of::<TrackPoint>()
    }

    /// Feeds an in-order fix; `prev` is the vessel's latest fix before it.
    pub fn advance(&mut self, cfg: &TrackConfig, prev: Option<&Timed>, fix: &Timed) {
        let Some(last) = self.points.back().copied() else {
            return self.push(cfg, TrackPoint::from_timed(fix));
        };
        let Some(prev) = prev else { return };
        let gap = fix.time_ms - prev.time_ms > cfg.gap_s as i64 * 1000;
        if gap || self.deviates(cfg, &last, fix) || Self::stop_change(&last, fix) {
            let p = TrackPoint::from_timed(prev);
            if p.time_s > last.time_s {
                self.push(cfg, p);
            }
            if gap {
                self.push(cfg, TrackPoint::from_timed(fix));
            }
        }
    }

    /// The kept points just before (or at) and just after `time_ms`.
    pub fn around(&self, time_ms: i64) -> (Option<TrackPoint>, Option<TrackPoint>) {
        let t = time_ms.div_euclid(1000);
        let at = self.points.partition_point(|q| i64::from(q.time_s) <= t);
        let before = at.checked_sub(1).and_then(|i| self.points.get(i)).copied();
        (before, self.points.get(at).copied())
    }

    /// Inserts a late (out-of-order) fix at its place in time (never appended out of order); a fix in
    /// the same second as a kept point is not kept twice.
    pub fn insert_late(&mut self, cfg: &TrackConfig, fix: &Timed) {
        let p = TrackPoint::from_timed(fix);
        let mut at = self.points.partition_point(|q| q.time_s <= p.time_s);
        if at > 0 && self.points[at - 1].time_s == p.time_s {
            return;
        }
        if self.points.len() >= cfg.max_points {
            if at == 0 {
                return; // older than everything we keep
            }
            self.points.pop_front(); // make room first: the buffer never grows past its capacity
            at -= 1;
        }
        self.reserve_one(cfg);
        if at == self.points.len() {
            self.aim(&p);
        }
        self.points.insert(at, p);
    }

    /// Whether the fix is beyond the dead-reckoning tolerance or the heartbeat.
    fn deviates(&self, cfg: &TrackConfig, last: &TrackPoint, fix: &Timed) -> bool {
        let dt_ms = fix.time_ms - last.time_ms();
        if dt_ms > cfg.heartbeat_s as i64 * 1000 {
            return true;
        }
        // Dead reckoning in a local flat projection: exact enough over the tolerance's few hundred metres.
        let run = f64::from(last.sog_kn().unwrap_or(0.0)) * NM_M * dt_ms as f64 / 3_600_000.0;
        let [east, north, m_per_deg_lon] = self.dr.map(f64::from);
        let dy = (fix.fix.lat - f64::from(last.lat)) * M_PER_DEG - run * north;
        let dx = (fix.fix.lon - f64::from(last.lon)) * m_per_deg_lon - run * east;
        dx * dx + dy * dy > cfg.tolerance_m * cfg.tolerance_m
    }

    /// Whether the vessel stopped or started moving (0.5 kn hysteresis point).
    fn stop_change(last: &TrackPoint, fix: &Timed) -> bool {
        let was = last.sog_kn().unwrap_or(0.0) < 0.5;
        let is = fix.fix.sog_kn.unwrap_or(0.0) < 0.5;
        was != is
    }

    fn push(&mut self, cfg: &TrackConfig, p: TrackPoint) {
        while self.points.len() >= cfg.max_points {
            self.points.pop_front();
        }
        self.reserve_one(cfg);
        self.aim(&p);
        self.points.push_back(p);
    }

    /// Room for one more point, grown in small exact steps (4, 8, 16, then `max_points`): most
    /// vessels keep few points, and a full track never holds more than `max_points` slots (a
    /// doubling `VecDeque` would hold 32 for the default 20, 512 bytes).
    fn reserve_one(&mut self, cfg: &TrackConfig) {
        let (len, cap) = (self.points.len(), self.points.capacity());
        if len < cap {
            return;
        }
        let want = (len * 2)
            .max(TRACK_FIRST_SLOTS)
            .min(cfg.max_points)
            .max(len + 1);
        self.points.reserve_exact(want - len);
    }

    /// Caches the dead-reckoning terms of `p`, the new last kept point.
    fn aim(&mut self, p: &TrackPoint) {
        let (sin, cos) = (f64::from(p.cog_ddeg.min(3600)) / 10.0)
            .to_radians()
            .sin_cos();
        let m_per_deg_lon = M_PER_DEG * f64::from(p.lat).to_radians().cos();
        self.dr = [sin as f32, cos as f32, m_per_deg_lon as f32];
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geo::destination;
    use crate::report::{PositionFix, StationClass};

    fn at(t_s: i64, lat: f64, lon: f64, sog: f32, cog: f32) -> Timed {
        let fix = PositionFix {
            lat,
            lon,
            sog_kn: Some(sog),
            cog_deg: Some(cog),
            heading_deg: None,
            nav_status: Some(0),
            class: StationClass::ClassA,
        };
        Timed {
            time_ms: t_s * 1000,
            fix,
        }
    }

    fn sail(track: &mut Track, cfg: &TrackConfig, fixes: &[Timed]) {
        let mut prev: Option<Timed> = None;
        for f in fixes {
            track.advance(cfg, prev.as_ref(), f);
            prev = Some(*f);
        }
    }

    #[test]
    fn straight_line_keeps_few_points_and_a_turn_is_kept() {
        let cfg = TrackConfig {
            heartbeat_s: 7200,
            ..TrackConfig::default()
        };
        let mut fixes = Vec::new();
        let (mut lat, mut lon) = (60.0, 4.0);
        for i in 0..360 {
            let cog = if i < 180 { 0.0 } else { 90.0 };
            fixes.push(at(i * 10, lat, lon, 10.0, cog));
            (lat, lon) = destination(lat, lon, f64::from(cog), 10.0 * NM_M / 360.0);
        }
        let mut t = Track::default();
        sail(&mut t, &cfg, &fixes);
        assert!(t.len() <= 3, "kept {}", t.len());
        let near_turn = t.points().any(|p| (1800..1860).contains(&p.time_s));
        assert!(
            near_turn,
            "a point within tolerance of the turn: {:?}",
            t.points().collect::<Vec<_>>()
        );
    }

    #[test]
    fn a_short_track_holds_few_slots() {
        let cfg = TrackConfig::default();
        let mut t = Track::default();
        t.push(&cfg, TrackPoint::from_timed(&at(0, 60.0, 4.0, 0.0, 0.0)));
        assert_eq!(t.heap_bytes(), TRACK_FIRST_SLOTS * 16);
        // A track restored from a snapshot holds exactly its points; the next one grows it within
        // the bound.
        let mut restored: Track =
            serde_json::from_str(&serde_json::to_string(&t).unwrap()).unwrap();
        for i in 1..100 {
            restored.push(
                &cfg,
                TrackPoint::from_timed(&at(i * 100, 60.0, 4.0, 0.0, 0.0)),
            );
            assert!(restored.points.capacity() <= cfg.max_points);
        }
        let tiny = TrackConfig {
            max_points: 2,
            ..TrackConfig::default()
        };
        let mut t = Track::default();
        for i in 0..5 {
            t.push(
                &tiny,
                TrackPoint::from_timed(&at(i * 100, 60.0, 4.0, 0.0, 0.0)),
            );
        }
        assert_eq!(t.len(), 2);
        assert!(t.points.capacity() <= TRACK_FIRST_SLOTS);
    }

    #[test]
    fn late_fix_is_inserted_in_order_and_size_is_bounded() {
        let cfg = TrackConfig::default();
        let mut t = Track::default();
        for i in 0..100 {
            t.push(
                &cfg,
                TrackPoint::from_timed(&at(i * 100, 60.0, 4.0, 0.0, 0.0)),
            );
        }
        assert_eq!(t.len(), cfg.max_points);
        assert_eq!(
            t.points.capacity(),
            cfg.max_points,
            "grown in exact steps to the bound, never past it"
        );
        assert_eq!(
            t.heap_bytes(),
            cfg.max_points * 16,
            "bounded: capacity never grows"
        );
        t.insert_late(&cfg, &at(9_850, 60.0, 4.0, 0.0, 0.0));
        let times: Vec<u32> = t.points().map(|p| p.time_s).collect();
        assert!(times.windows(2).all(|w| w[0] <= w[1]));
        assert!(times.contains(&9_850));
    }
}
