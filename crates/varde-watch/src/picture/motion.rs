//! Motion statistics per vessel: recent-speed median and the expected reporting interval.

use crate::report::StationClass;

/// Samples kept for the recent-speed median.
const SPEED_SAMPLES: usize = 24;

/// A ring of speed samples, at least `spacing` apart, whose median is the vessel's recent usual speed.
///
/// With 24 samples 5 min apart the median spans two hours, so a slow-down lasting under an hour does not
/// move it (the anchor-drag signature is measured against it).
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct SpeedHistory {
    samples: [u16; SPEED_SAMPLES],
    len: u8,
    next: u8,
    median_dkn: u16,
    last_s: u32,
}

impl SpeedHistory {
    /// Offers a speed sample (knots) at event time `time_ms`; kept if `spacing_s` has passed.
    pub fn offer(&mut self, time_ms: i64, sog_kn: f32, spacing_s: u32) {
        let t = (time_ms / 1000).clamp(0, i64::from(u32::MAX)) as u32;
        if self.len > 0 && t < self.last_s.saturating_add(spacing_s) {
            return;
        }
        self.samples[usize::from(self.next)] = (sog_kn * 10.0).round().clamp(0.0, 65_000.0) as u16;
        self.next = (self.next + 1) % SPEED_SAMPLES as u8;
        self.len = (self.len + 1).min(SPEED_SAMPLES as u8);
        self.last_s = t;
        let mut sorted = self.samples;
        let v = &mut sorted[..usize::from(self.len)];
        v.sort_unstable();
        self.median_dkn = v[(v.len() - 1) / 2];
    }

    /// Number of samples held.
    pub fn len(&self) -> usize {
        usize::from(self.len)
    }

    /// Whether no sample is held.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Median speed in knots (lower median, computed when a sample is kept), or `None` with no samples.
    pub fn median_kn(&self) -> Option<f32> {
        (self.len > 0).then(|| f32::from(self.median_dkn) / 10.0)
    }
}

/// The interval at which a station of this class and state is expected to report, in milliseconds
/// (ITU-R M.1371: Class A 2–10 s under way by speed, 3 min at anchor or moored; Class B 30 s above 2 kn,
/// 3 min below; SAR aircraft 10 s; aids to navigation and base stations 3 min and 10 s).
pub fn expected_interval_ms(
    class: StationClass,
    nav_status: Option<u8>,
    sog_kn: Option<f32>,
) -> i64 {
    let sog = sog_kn.unwrap_or(0.0);
    match class {
        StationClass::ClassA if matches!(nav_status, Some(1 | 5)) || sog < 0.5 => 180_000,
        StationClass::ClassA if sog > 23.0 => 2_000,
        StationClass::ClassA if sog > 14.0 => 6_000,
        StationClass::ClassA => 10_000,
        StationClass::ClassB if sog <= 2.0 => 180_000,
        StationClass::ClassB => 30_000,
        StationClass::SarAircraft | StationClass::BaseStation => 10_000,
        StationClass::AtoN | StationClass::Other => 180_000,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_resists_a_short_dip() {
        let mut h = SpeedHistory::default();
        for i in 0..17 {
            h.offer(i * 300_000, 8.5, 300);
        }
        for i in 17..24 {
            h.offer(i * 300_000, 6.3, 300);
        }
        assert_eq!(h.median_kn(), Some(8.5));
        h.offer(24 * 300_000 + 1000, 1.0, 300);
        assert_eq!(h.len(), 24, "sample inside spacing ignored");
    }

    #[test]
    fn intervals_follow_the_standard() {
        assert_eq!(
            expected_interval_ms(StationClass::ClassA, Some(0), Some(10.0)),
            10_000
        );
        assert_eq!(
            expected_interval_ms(StationClass::ClassA, Some(1), Some(0.1)),
            180_000
        );
        assert_eq!(
            expected_interval_ms(StationClass::ClassA, Some(0), Some(25.0)),
            2_000
        );
        assert_eq!(
            expected_interval_ms(StationClass::ClassB, None, Some(6.0)),
            30_000
        );
    }
}
