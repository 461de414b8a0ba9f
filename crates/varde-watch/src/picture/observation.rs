//! Vessel-time observed by position reports: the denominator of alert rates on real captures.

use super::Vessel;

/// The longest gap between two position reports of a vessel counted as observed time.
pub const OBSERVED_GAP_MS: i64 = 3_600_000;

/// Vessel-time observed: the denominator of alert rates on real captures.
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Observation {
    /// Vessel-milliseconds between consecutive position reports, each gap capped at
    /// [`OBSERVED_GAP_MS`]; late reports (older than the vessel's newest) add nothing.
    pub observed_ms: i64,
    /// Vessel-milliseconds from each vessel's first to its newest position report.
    pub span_ms: i64,
}

impl Observation {
    pub(super) fn add(&mut self, v: &Vessel) {
        self.observed_ms = self
            .observed_ms
            .saturating_add(i64::from(v.observed_s) * 1000);
        let [first, last] = v.position_span_ms;
        if first <= last {
            self.span_ms = self.span_ms.saturating_add(last.saturating_sub(first));
        }
    }

    /// Observed vessel-hours (gaps capped).
    pub fn hours(&self) -> f64 {
        self.observed_ms as f64 / 3_600_000.0
    }

    /// Vessel-hours from first to newest position report.
    pub fn span_hours(&self) -> f64 {
        self.span_ms as f64 / 3_600_000.0
    }
}

/// Counts one position report heard at `time_ms` into the vessel's observed time.
#[inline]
pub(super) fn observe_position(v: &mut Vessel, time_ms: i64) {
    let [first, last] = &mut v.position_span_ms;
    if *first > *last {
        (*first, *last) = (time_ms, time_ms);
    } else if time_ms > *last {
        let gap_s = (time_ms.saturating_sub(*last).min(OBSERVED_GAP_MS) / 1000) as u32;
        v.observed_s = v.observed_s.saturating_add(gap_s);
        *last = time_ms;
    } else if time_ms < *first {
        *first = time_ms;
    }
}
