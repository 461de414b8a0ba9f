//! A slow run judged over a window: the speeds since the run began, one a minute at most, whose median
//! decides when it has ended, so noise around a speed threshold (a fix or two above it) cannot reset a
//! loitering clock (`loitering`, `infrastructure_loiter`).

/// Largest window (`loitering.speed_window`, `infrastructure_loiter.speed_window`).
pub const SPEED_WINDOW_MAX: usize = 16;

/// The newest speed samples of a slow run.
#[derive(Debug, Clone, Copy, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct SpeedWindow {
    dkn: [u8; SPEED_WINDOW_MAX],
    /// Samples held.
    pub len: u8,
    next: u8,
    last_s: u32,
}

impl SpeedWindow {
    /// Adds a speed sample (knots) at event time `time_ms`; kept if a minute has passed since the last.
    pub fn push(&mut self, time_ms: i64, sog_kn: f32, cap: usize) {
        let t = (time_ms / 1000).clamp(0, i64::from(u32::MAX)) as u32;
        if self.len > 0 && t < self.last_s.saturating_add(60) {
            return;
        }
        let cap = cap.clamp(1, SPEED_WINDOW_MAX);
        self.dkn[usize::from(self.next) % cap] = (sog_kn * 10.0).round().clamp(0.0, 255.0) as u8;
        self.next = ((usize::from(self.next) + 1) % cap) as u8;
        self.len = (usize::from(self.len) + 1).min(cap) as u8;
        self.last_s = t;
    }

    /// Lower median in knots: a run ends only when most of its window is fast.
    pub fn median_kn(&self) -> f64 {
        let mut v = self.dkn;
        let v = &mut v[..usize::from(self.len)];
        v.sort_unstable();
        v.get(v.len().saturating_sub(1) / 2)
            .map_or(0.0, |&d| f64::from(d) / 10.0)
    }
}

/// Times a slow run: starts at the first fix below `max_kn`, ends only when a fix at or above it comes
/// with the window's median (of at least three samples) at or above it too. Returns the run's start.
pub fn slow_run(
    since: &mut Option<i64>,
    window: &mut SpeedWindow,
    now: i64,
    sog: f32,
    max_kn: f64,
    cap: usize,
) -> Option<i64> {
    match *since {
        None if f64::from(sog) < max_kn => {
            *since = Some(now);
            *window = SpeedWindow::default();
            window.push(now, sog, cap);
        }
        None => {}
        Some(_) => {
            window.push(now, sog, cap);
            let fast_now = f64::from(sog) >= max_kn;
            if fast_now && window.len >= 3 && window.median_kn() >= max_kn {
                *since = None;
            }
        }
    }
    *since
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fast_fix_in_a_slow_run_is_noise_a_fast_minute_run_ends_it() {
        let (mut since, mut w) = (None, SpeedWindow::default());
        let mut at = |t: i64, v: f32| slow_run(&mut since, &mut w, t * 60_000, v, 2.0, 8);
        assert_eq!(at(0, 1.0), Some(0));
        assert_eq!(at(1, 2.6), Some(0), "one fast fix");
        assert_eq!(at(2, 1.2), Some(0));
        assert_eq!(at(3, 3.0), Some(0), "two of four fast: still slow");
        assert_eq!(at(4, 3.0), None, "three of five fast: moving on");
        assert_eq!(at(5, 3.0), None);
        assert_eq!(at(6, 1.0), Some(6 * 60_000), "a new run");
    }
}
