//! The open alerts by key, behind a counting filter. Most reports ask about a key under which nothing
//! is open (a detector closing what it did not open, or looking for a live alert to withdraw); the
//! filter, a count of open keys per slot of (kind, MMSI), answers those with one multiply and one load
//! instead of hashing the key into the map. Exact: a slot's count is the number of open keys in it, so
//! a zero is a sure "nothing open" and anything else asks the map.

use super::AlertKey;
use crate::picture::FxMap;

/// Slots of the filter (a power of two): 16 KiB for the engine, not per vessel.
const SLOTS: usize = 4_096;

/// Open alerts: key → index into the book's alerts.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[serde(from = "OpenMap", into = "OpenMap")]
pub(super) struct OpenAlerts {
    map: FxMap<AlertKey, usize>,
    /// Open keys per slot.
    counts: Box<[u32]>,
}

impl Default for OpenAlerts {
    fn default() -> Self {
        Self {
            map: FxMap::default(),
            counts: vec![0; SLOTS].into_boxed_slice(),
        }
    }
}

/// The open keys alone (a snapshot's form: the filter is rebuilt from them).
type OpenMap = FxMap<AlertKey, usize>;

impl From<OpenMap> for OpenAlerts {
    fn from(map: OpenMap) -> Self {
        let mut open = Self::default();
        for (key, i) in map {
            open.insert(key, i);
        }
        open
    }
}

impl From<OpenAlerts> for OpenMap {
    fn from(open: OpenAlerts) -> Self {
        open.map
    }
}

/// The filter slot of a key: its kind and MMSI (every sub-key of one vessel and kind shares it).
fn slot(key: &AlertKey) -> usize {
    let k = u64::from(key.1) ^ ((key.0 as u64) << 32);
    (k.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - SLOTS.trailing_zeros())) as usize
}

impl OpenAlerts {
    fn maybe(&self, key: &AlertKey) -> bool {
        self.counts[slot(key)] != 0
    }

    /// Whether an alert is open under `key`.
    pub(super) fn contains_key(&self, key: &AlertKey) -> bool {
        self.maybe(key) && self.map.contains_key(key)
    }

    /// The index of the alert open under `key`.
    pub(super) fn get(&self, key: &AlertKey) -> Option<&usize> {
        if !self.maybe(key) {
            return None;
        }
        self.map.get(key)
    }

    /// Opens `key` at index `i` (replacing the index if it is already open).
    pub(super) fn insert(&mut self, key: AlertKey, i: usize) {
        if self.map.insert(key, i).is_none() {
            self.counts[slot(&key)] += 1;
        }
    }

    /// Closes `key`; returns the index it had.
    pub(super) fn remove(&mut self, key: &AlertKey) -> Option<usize> {
        if !self.maybe(key) {
            return None;
        }
        let i = self.map.remove(key)?;
        self.counts[slot(key)] -= 1;
        Some(i)
    }

    /// Keeps only the keys for which `keep` holds.
    pub(super) fn retain(&mut self, mut keep: impl FnMut(&AlertKey, &mut usize) -> bool) {
        let counts = &mut self.counts;
        self.map.retain(|k, i| {
            let kept = keep(k, i);
            if !kept {
                counts[slot(k)] -= 1;
            }
            kept
        });
    }

    /// Every open key, in no particular order.
    pub(super) fn keys(&self) -> impl Iterator<Item = &AlertKey> {
        self.map.keys()
    }

    /// Every open alert's index, to renumber.
    pub(super) fn values_mut(&mut self) -> impl Iterator<Item = &mut usize> {
        self.map.values_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::alert::Kind;

    #[test]
    fn the_filter_follows_the_map_through_insert_remove_and_retain() {
        let mut o = OpenAlerts::default();
        let a = (Kind::Loitering, 257_000_001, 0);
        let b = (Kind::Loitering, 257_000_001, 7);
        let c = (Kind::AisGap, 257_000_002, 3);
        assert!(!o.contains_key(&a) && o.get(&a).is_none() && o.remove(&a).is_none());
        o.insert(a, 1);
        o.insert(a, 2); // re-opened under the same key: still one key
        o.insert(b, 3);
        o.insert(c, 4);
        assert_eq!(o.get(&a), Some(&2));
        assert_eq!(o.remove(&a), Some(2));
        assert!(!o.contains_key(&a));
        assert!(
            o.contains_key(&b),
            "another sub-key of the same slot stays open"
        );
        o.retain(|_, i| *i != 3);
        assert!(!o.contains_key(&b));
        assert!(o.contains_key(&c));
        assert_eq!(o.remove(&c), Some(4));
        assert!(o.counts.iter().all(|&n| n == 0), "every count back to zero");
        // Many keys: every one found, none found after removal.
        let keys: Vec<AlertKey> = (0..10_000u32)
            .map(|m| {
                (
                    Kind::ALL[m as usize % Kind::ALL.len()],
                    200_000_000 + m,
                    u64::from(m % 3),
                )
            })
            .collect();
        for (i, k) in keys.iter().enumerate() {
            o.insert(*k, i);
        }
        assert!(keys.iter().enumerate().all(|(i, k)| o.get(k) == Some(&i)));
        for k in &keys {
            assert!(o.remove(k).is_some());
        }
        assert!(keys.iter().all(|k| !o.contains_key(k)));
        assert!(o.counts.iter().all(|&n| n == 0));
    }
}
