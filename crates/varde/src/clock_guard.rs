//! A recording's clock that one bad timestamp cannot move.
//!
//! A line stamped far ahead of the clock (a receiver with a wrong date, a corrupted tag block) is held
//! back: the clock stays where it was, so that line is refused downstream (its time is ahead of its
//! "receipt") and the lines without a time after it are not placed in the future. A real jump (a
//! recording that resumes after a gap of hours) is taken once [`CONFIRM`] timed lines in a row agree
//! with each other, all ahead of the clock.

/// Timed lines in a row, within the tolerance of each other, that confirm a jump of the clock.
pub const CONFIRM: u32 = 3;

/// The guarded clock.
#[derive(Debug, Clone)]
pub struct ClockGuard {
    tolerance_ms: i64,
    now: Option<i64>,
    /// A jump being confirmed: its first time and how many lines agree so far.
    pending: Option<(i64, u32)>,
}

/// How far ahead of the clock a time is taken at once by default.
pub const DEFAULT_TOLERANCE_MS: i64 = 5 * 60_000;

impl Default for ClockGuard {
    fn default() -> Self {
        Self::new(DEFAULT_TOLERANCE_MS)
    }
}

impl ClockGuard {
    /// A clock that takes times up to `tolerance_ms` ahead of it at once.
    pub fn new(tolerance_ms: i64) -> Self {
        Self {
            tolerance_ms,
            now: None,
            pending: None,
        }
    }

    /// The clock: the newest time taken.
    pub fn now(&self) -> Option<i64> {
        self.now
    }

    /// Offers a line's own time; true when the clock took it (the line's time can be trusted), false
    /// when it is held back as too far ahead.
    pub fn offer(&mut self, t: i64) -> bool {
        let Some(now) = self.now else {
            self.now = Some(t);
            return true;
        };
        if t <= now.saturating_add(self.tolerance_ms) {
            self.now = Some(now.max(t));
            self.pending = None;
            return true;
        }
        let pending = match self.pending {
            Some((first, n)) if (t - first).abs() <= self.tolerance_ms => (first, n + 1),
            _ => (t, 1),
        };
        if pending.1 >= CONFIRM {
            self.now = Some(t);
            self.pending = None;
            return true;
        }
        self.pending = Some(pending);
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIN: i64 = 60_000;

    #[test]
    fn one_line_years_ahead_is_held_back_and_the_clock_runs_on() {
        let mut c = ClockGuard::new(5 * MIN);
        assert!(c.offer(1_000));
        assert!(!c.offer(1_000 + 5 * 365 * 86_400_000));
        assert!(c.offer(2_000));
        assert_eq!(c.now(), Some(2_000));
        // Late lines are taken (the clock does not go back).
        assert!(c.offer(500));
        assert_eq!(c.now(), Some(2_000));
    }

    #[test]
    fn a_recording_resuming_after_hours_moves_the_clock_once_confirmed() {
        let mut c = ClockGuard::new(5 * MIN);
        assert!(c.offer(0));
        let later = 6 * 60 * MIN;
        assert!(!c.offer(later));
        assert!(!c.offer(later + 1_000));
        assert!(c.offer(later + 2_000));
        assert_eq!(c.now(), Some(later + 2_000));
        assert!(c.offer(later + 3_000));
    }

    #[test]
    fn two_bad_stamps_far_apart_confirm_nothing() {
        let mut c = ClockGuard::new(5 * MIN);
        assert!(c.offer(0));
        assert!(!c.offer(100 * 86_400_000));
        assert!(!c.offer(900 * 86_400_000));
        assert!(!c.offer(100 * 86_400_000));
        assert_eq!(c.now(), Some(0));
    }
}
