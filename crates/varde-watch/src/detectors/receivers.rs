//! When each receiving station last delivered a report, and when it was down: a station that goes
//! quiet is an outage of the coverage, not its vessels going dark (`ais_gap`).
//!
//! Lines without a station (no tag block `s:`) are clocked together as one "untagged feed": a recording
//! with a hole in it is an outage of that feed.
//!
//! Only a station that was carrying more than one vessel ([`MIN_VESSELS`]) can be said to have gone
//! quiet: in a feed of one vessel (an analyst's extract by MMSI) the feed's silence is the vessel's own.

use crate::config::AisGapConfig;
use crate::picture::FxMap;
use std::sync::Arc;

/// Outages remembered per station (the newest).
const OUTAGES: usize = 4;
/// Stations remembered; past this the map is cleared (a bound, not a working size).
const MAX_STATIONS: usize = 4_096;
/// Slots of the address cache in front of the address map (a power of two; 4 KiB per engine).
const RECENT: usize = 256;
/// Distinct vessels a station must have carried for its silence to count as an outage.
pub const MIN_VESSELS: u32 = 2;

/// One station's clock.
#[derive(Debug, Clone, Copy, Default, serde::Serialize, serde::Deserialize)]
struct Clock {
    /// Newest report, Unix ms.
    last_ms: i64,
    /// The newest outages (start, end), Unix ms; unused slots are (0, 0).
    outages: [(i64, i64); OUTAGES],
    next: u8,
    /// One bit per vessel heard (MMSI hashed to 64 bits) since the last outage: how many it carries.
    vessels: u64,
    /// A satellite receiver (`ais_gap.satellite_sources`), judged once when the station is first heard.
    satellite: bool,
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
///
/// A report's station is found by the address of its shared `Arc<str>` (readers hand out one per
/// station), so the per-report path hashes one word instead of the station's text; the entry holds a
/// clone, so the address cannot be reused while it is remembered. A station met under another `Arc`
/// finds its clock by name and gets a second address entry. In front of the address map, a small
/// direct-mapped cache (address → clock) answers most reports with one compare. Each station is also
/// judged once, when first heard, as a satellite receiver or not (the glob patterns would otherwise run
/// on every fix).
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct Receivers {
    /// Index into `clocks` by station name.
    stations: FxMap<Arc<str>, usize>,
    clocks: Vec<Clock>,
    /// Index into `clocks` by the address of a station's `Arc` (a cache of `stations`).
    #[serde(skip)]
    by_address: FxMap<usize, (Arc<str>, usize)>,
    /// (address, index into `clocks`) by a hash of the address; address 0: empty. Every address in it
    /// is in `by_address` (emptied whenever that is cleared).
    #[serde(skip, default = "empty_recent")]
    recent: Box<[(usize, u32)]>,
    untagged: Clock,
    #[serde(skip)]
    quiet_ms: i64,
    /// Judges stations as satellite receivers; `None`: none is.
    #[serde(skip)]
    satellite: Option<AisGapConfig>,
    /// The station of the report heard last (its `Arc`'s address; 0 for an untagged line) and whether
    /// it is a satellite receiver. `by_address` holds a clone of that `Arc` until the next
    /// [`Receivers::heard`] (the only place it is cleared), so the address names no other station.
    #[serde(skip)]
    last: (usize, bool),
}

fn empty_recent() -> Box<[(usize, u32)]> {
    vec![(0, 0); RECENT].into_boxed_slice()
}

impl Default for Receivers {
    fn default() -> Self {
        Self::new(0)
    }
}

/// The slot of an `Arc`'s address in the cache.
fn recent_slot(at: usize) -> usize {
    ((at as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - RECENT.trailing_zeros())) as usize
}

impl Receivers {
    /// Clocks that count a station silent for more than `quiet_s` seconds as down.
    pub fn new(quiet_s: u32) -> Self {
        Self {
            stations: FxMap::default(),
            clocks: Vec::new(),
            by_address: FxMap::default(),
            recent: empty_recent(),
            untagged: Clock::default(),
            quiet_ms: i64::from(quiet_s) * 1000,
            satellite: None,
            last: (0, false),
        }
    }

    /// The clocks of `ais_gap`'s configuration: its `station_quiet_s`, and its `satellite_sources` to
    /// tell satellite receivers ([`Receivers::is_satellite`]).
    pub fn for_config(c: &AisGapConfig) -> Self {
        Self {
            satellite: Some(c.clone()),
            ..Self::new(c.station_quiet_s)
        }
    }

    /// Takes the settings of `fresh` (clocks read back from a snapshot keep their own state).
    pub fn rebind(&mut self, fresh: &Receivers) {
        self.quiet_ms = fresh.quiet_ms;
        self.satellite = fresh.satellite.clone();
    }

    /// Notes a report about `mmsi` from `station` (`None`: an untagged line) at `time_ms`.
    pub fn heard(&mut self, station: Option<&Arc<str>>, mmsi: u32, time_ms: i64) {
        let quiet = self.quiet_ms;
        let Some(station) = station else {
            self.last = (0, false);
            return self.untagged.heard(time_ms, mmsi, quiet);
        };
        let at = Arc::as_ptr(station).cast::<u8>() as usize;
        let slot = recent_slot(at);
        let i = match self.recent[slot] {
            (a, i) if a == at => i as usize,
            _ => {
                let i = match self.by_address.get(&at) {
                    Some(&(_, i)) => i,
                    None => self.index_of(station, at),
                };
                self.recent[slot] = (at, i as u32);
                i
            }
        };
        let clock = &mut self.clocks[i];
        clock.heard(time_ms, mmsi, quiet);
        self.last = (at, clock.satellite);
    }

    /// Whether `station` is a satellite receiver (`ais_gap.satellite_sources`). Judged once per station:
    /// when it is the station of the report last passed to [`Receivers::heard`] (the engine's case), the
    /// verdict is at hand; otherwise the patterns are asked.
    pub fn is_satellite(&self, station: &Arc<str>) -> bool {
        let at = Arc::as_ptr(station).cast::<u8>() as usize;
        if self.last.0 == at {
            return self.last.1;
        }
        self.judge(station)
    }

    fn judge(&self, station: &str) -> bool {
        self.satellite
            .as_ref()
            .is_some_and(|c| c.is_satellite_source(station))
    }

    /// The clock index of `station` (found by name, or a new clock), remembered under its address `at`.
    /// Out of line: the per-report path is the address lookup.
    #[cold]
    #[inline(never)]
    fn index_of(&mut self, station: &Arc<str>, at: usize) -> usize {
        let i = match self.stations.get(station) {
            Some(&i) => i,
            None => {
                if self.stations.len() >= MAX_STATIONS {
                    self.stations.clear();
                    self.clocks.clear();
                    self.by_address.clear();
                    self.recent.fill((0, 0));
                }
                self.clocks.push(Clock {
                    satellite: self.judge(station),
                    ..Clock::default()
                });
                let i = self.clocks.len() - 1;
                self.stations.insert(station.clone(), i);
                i
            }
        };
        if self.by_address.len() >= MAX_STATIONS {
            self.by_address.clear();
            self.recent.fill((0, 0));
        }
        self.by_address.insert(at, (station.clone(), i));
        i
    }

    fn clock(&self, station: &str) -> Option<&Clock> {
        self.stations.get(station).map(|&i| &self.clocks[i])
    }

    /// When `station` last delivered a report, if it is remembered.
    pub fn last_heard(&self, station: &str) -> Option<i64> {
        self.clock(station).map(|c| c.last_ms)
    }

    /// Milliseconds of (`from_ms`, `to_ms`) during which `station` (`None`: the untagged feed) was down.
    /// A station never heard counts as down throughout: nothing says it was up.
    pub fn down_within(&self, station: Option<&str>, from_ms: i64, to_ms: i64) -> i64 {
        if to_ms <= from_ms {
            return 0;
        }
        let clock = match station {
            Some(s) => self.clock(s),
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
    fn one_station_under_two_arcs_keeps_one_clock() {
        let mut r = Receivers::new(300);
        let (a, b): (Arc<str>, Arc<str>) = ("rNO-SOTRA".into(), "rNO-SOTRA".into());
        assert!(!Arc::ptr_eq(&a, &b));
        r.heard(Some(&a), 257_000_001, 0);
        r.heard(Some(&b), 257_000_002, 10_000);
        assert_eq!(r.last_heard("rNO-SOTRA"), Some(10_000));
        // Both vessels count for the one clock: busy, so its silence is an outage.
        r.heard(Some(&a), 257_000_001, 4_000_000);
        assert_eq!(
            r.down_within(Some("rNO-SOTRA"), 0, 4_000_000),
            4_000_000 - 10_000
        );
        // A different station at whatever address is its own clock.
        let c: Arc<str> = "rNO-FEDJE".into();
        r.heard(Some(&c), 257_000_003, 20_000);
        assert_eq!(r.last_heard("rNO-FEDJE"), Some(20_000));
        assert_eq!(r.last_heard("rNO-SOTRA"), Some(4_000_000));
    }

    #[test]
    fn past_the_bound_stations_are_forgotten_and_clocked_afresh() {
        let mut r = Receivers::new(300);
        let first: Arc<str> = "s0".into();
        r.heard(Some(&first), 257_000_001, 1_000);
        for i in 1..MAX_STATIONS {
            let s: Arc<str> = format!("s{i}").into();
            r.heard(Some(&s), 257_000_001, 2_000);
        }
        assert_eq!(r.last_heard("s0"), Some(1_000));
        let one_more: Arc<str> = "s-new".into();
        r.heard(Some(&one_more), 257_000_001, 3_000);
        assert_eq!(r.last_heard("s0"), None);
        assert_eq!(r.last_heard("s-new"), Some(3_000));
        // The first station's Arc is still alive: heard again, it starts a fresh clock.
        r.heard(Some(&first), 257_000_001, 5_000);
        assert_eq!(r.last_heard("s0"), Some(5_000));
    }

    #[test]
    fn many_arcs_of_one_station_past_the_address_bound_keep_its_clock() {
        let mut r = Receivers::new(300);
        let arcs: Vec<Arc<str>> = (0..MAX_STATIONS + 10).map(|_| "rNO-VARDO".into()).collect();
        for (i, a) in arcs.iter().enumerate() {
            r.heard(Some(a), 257_000_000 + (i % 3) as u32, i as i64 * 1_000);
        }
        // Heard again through the first Arcs (their addresses forgotten, then remembered again).
        for a in &arcs[..5] {
            r.heard(Some(a), 257_000_001, 10_000_000);
        }
        assert_eq!(r.last_heard("rNO-VARDO"), Some(10_000_000));
        assert_eq!(r.clocks.len(), 1);
        assert!(r.by_address.len() <= MAX_STATIONS);
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
