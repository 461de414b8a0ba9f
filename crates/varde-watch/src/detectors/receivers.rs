//! When each receiving station last delivered a report, and when it was down: a station that goes
//! quiet is an outage of the coverage, not its vessels going dark (`ais_gap`).
//!
//! Lines without a station (no tag block `s:`) are clocked together as one "untagged feed": a recording
//! with a hole in it is an outage of that feed.
//!
//! Only a station that was carrying more than one vessel ([`MIN_VESSELS`]) can be said to have gone
//! quiet: in a feed of one vessel (an analyst's extract by MMSI) the feed's silence is the vessel's own.

use crate::picture::FxMap;
use std::sync::Arc;

/// Outages remembered per station (the newest).
const OUTAGES: usize = 4;
/// Stations remembered; past this the map is cleared (a bound, not a working size).
const MAX_STATIONS: usize = 4_096;
/// Distinct vessels a station must have carried for its silence to count as an outage.
pub const MIN_VESSELS: u32 = 2;

/// One station's clock.
#[derive(Debug, Clone, Copy, Default)]
struct Clock {
    /// Newest report, Unix ms.
    last_ms: i64,
    /// The newest outages (start, end), Unix ms; unused slots are (0, 0).
    outages: [(i64, i64); OUTAGES],
    next: u8,
    /// One bit per vessel heard (MMSI hashed to 64 bits) since the last outage: how many it carries.
    vessels: u64,
}

impl Clock {
    fn busy(&self) -> bool {
        self.vessels.count_ones() >= MIN_VESSELS
    }

    fn heard(&mut self, time_ms: i64, mmsi: u32, quiet_ms: i64) {
        if self.last_ms != 0 && time_ms - self.last_ms > quiet_ms && self.busy() {
            self.outages[usize::from(self.next)] = (self.last_ms, time_ms);
            self.next = (self.next + 1) % OUTAGES as u8;
            self.vessels = 0;
        }
        let bit = (u64::from(mmsi).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 58) as u32;
        self.vessels |= 1 << bit;
        self.last_ms = self.last_ms.max(time_ms);
    }

    /// Milliseconds of (`from`, `to`) during which the station delivered nothing for longer than
    /// `quiet_ms` (closed outages, and the silence since its newest report).
    fn down_within(&self, from: i64, to: i64, quiet_ms: i64) -> i64 {
        let overlap = |(a, b): (i64, i64)| (b.min(to) - a.max(from)).max(0);
        let closed: i64 = self.outages.iter().map(|&o| overlap(o)).sum();
        let open = if to - self.last_ms > quiet_ms && self.busy() {
            overlap((self.last_ms, to))
        } else {
            0
        };
        (closed + open).min(to - from)
    }
}

/// Every receiving station's clock. Bounded: forgotten past 4,096 stations.
#[derive(Debug, Default)]
pub struct Receivers {
    stations: FxMap<Arc<str>, Clock>,
    untagged: Clock,
    quiet_ms: i64,
}

impl Receivers {
    /// Clocks that count a station silent for more than `quiet_s` seconds as down.
    pub fn new(quiet_s: u32) -> Self {
        Self {
            quiet_ms: i64::from(quiet_s) * 1000,
            ..Self::default()
        }
    }

    /// Notes a report about `mmsi` from `station` (`None`: an untagged line) at `time_ms`.
    pub fn heard(&mut self, station: Option<&Arc<str>>, mmsi: u32, time_ms: i64) {
        let quiet = self.quiet_ms;
        let Some(station) = station else {
            return self.untagged.heard(time_ms, mmsi, quiet);
        };
        if let Some(c) = self.stations.get_mut(station) {
            return c.heard(time_ms, mmsi, quiet);
        }
        if self.stations.len() >= MAX_STATIONS {
            self.stations.clear();
        }
        let mut c = Clock::default();
        c.heard(time_ms, mmsi, quiet);
        self.stations.insert(station.clone(), c);
    }

    /// When `station` last delivered a report, if it is remembered.
    pub fn last_heard(&self, station: &str) -> Option<i64> {
        self.stations.get(station).map(|c| c.last_ms)
    }

    /// Milliseconds of (`from_ms`, `to_ms`) during which `station` (`None`: the untagged feed) was down.
    /// A station never heard counts as down throughout: nothing says it was up.
    pub fn down_within(&self, station: Option<&str>, from_ms: i64, to_ms: i64) -> i64 {
        if to_ms <= from_ms {
            return 0;
        }
        let clock = match station {
            Some(s) => self.stations.get(s),
            None => Some(&self.untagged),
        };
        clock.map_or(to_ms - from_ms, |c| {
            c.down_within(from_ms, to_ms, self.quiet_ms)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_quiet_station_is_down_for_the_silence_only() {
        let mut r = Receivers::new(300);
        let s: Arc<str> = "rNO-SOTRA".into();
        for t in (0..3_600_000).step_by(10_000) {
            r.heard(Some(&s), 257_000_000 + (t / 10_000 % 7) as u32, t);
        }
        // Quiet from 1 h to 2 h 30 min, then back.
        for t in (9_000_000..10_000_000).step_by(10_000) {
            r.heard(Some(&s), 257_000_000 + (t / 10_000 % 5) as u32, t);
        }
        let down = r.down_within(Some("rNO-SOTRA"), 3_000_000, 9_600_000);
        assert_eq!(down, 9_000_000 - 3_590_000);
        assert_eq!(r.down_within(Some("rNO-SOTRA"), 0, 3_000_000), 0);
        // Still quiet now: the open silence counts.
        assert_eq!(
            r.down_within(Some("rNO-SOTRA"), 9_990_000, 11_000_000),
            11_000_000 - 9_990_000
        );
        assert_eq!(r.down_within(Some("rUNKNOWN"), 0, 1000), 1000);
    }

    #[test]
    fn untagged_lines_share_one_feed_clock() {
        let mut r = Receivers::new(300);
        for (i, t) in [0, 10_000, 20_000, 60_000, 4_000_000]
            .into_iter()
            .enumerate()
        {
            r.heard(None, 257_000_000 + i as u32, t);
        }
        assert_eq!(r.down_within(None, 0, 4_000_000), 4_000_000 - 60_000);
    }

    #[test]
    fn a_feed_of_one_vessel_never_goes_down_its_silence_is_the_vessels() {
        // (two vessels are enough: both falling silent at once is the feed, not them)
        let mut r = Receivers::new(300);
        for t in [0, 10_000, 20_000, 4_000_000] {
            r.heard(None, 257_000_001, t);
        }
        assert_eq!(r.down_within(None, 0, 4_000_000), 0);
        assert_eq!(r.down_within(None, 4_000_000, 9_000_000), 0);
    }
}
