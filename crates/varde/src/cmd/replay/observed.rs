//! Vessel-hours observed in a replay: the denominator of alert rates on real
//! captures.
//!
//! For each vessel, the time between its consecutive position reports, each
//! gap counted up to [`MAX_GAP_MS`] (a vessel unheard for longer was not
//! observed meanwhile; a stale report days older than the rest, as some
//! satellite captures hold, does not count its days). Late reports (older
//! than the vessel's newest) add nothing. The plain first-to-last span is
//! kept as well.

use varde_watch::picture::FxMap;

/// The longest gap between two reports of a vessel counted as observed.
pub const MAX_GAP_MS: i64 = 3_600_000;

/// Per-vessel observation time.
#[derive(Debug, Default)]
pub struct Observed {
    /// MMSI → (first, newest report time, observed ms).
    vessels: FxMap<u32, (i64, i64, i64)>,
}

impl Observed {
    /// Counts one position report.
    #[inline]
    pub fn position(&mut self, mmsi: u32, time_ms: i64) {
        let e = self.vessels.entry(mmsi).or_insert((time_ms, time_ms, 0));
        if time_ms > e.1 {
            e.2 += (time_ms - e.1).min(MAX_GAP_MS);
            e.1 = time_ms;
        }
        e.0 = e.0.min(time_ms);
    }

    /// Vessel-hours observed (gaps capped).
    pub fn hours(&self) -> f64 {
        self.vessels.values().map(|v| v.2).sum::<i64>() as f64 / 3_600_000.0
    }

    /// Vessel-hours from each vessel's first to its newest report.
    pub fn span_hours(&self) -> f64 {
        self.vessels.values().map(|v| v.1 - v.0).sum::<i64>() as f64 / 3_600_000.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gaps_are_capped_and_late_reports_add_nothing() {
        let mut o = Observed::default();
        o.position(1, 0);
        o.position(1, 1_800_000);
        o.position(1, 900_000); // late
        o.position(1, 1_800_000 + 10 * 3_600_000); // ten hours unheard: one counted
        o.position(2, 5_000);
        assert!((o.hours() - 1.5).abs() < 1e-9, "{}", o.hours());
        assert!((o.span_hours() - 10.5).abs() < 1e-9, "{}", o.span_hours());
    }
}
