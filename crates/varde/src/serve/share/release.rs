//! The audit hook: every item released to a partner is told to a [`ReleaseLog`].

use std::collections::BTreeMap;
use std::sync::Mutex;
use varde_share::Label;

/// Told of every item released to a partner (an item in an API response, a stream event), to be
/// audited as `(partner, feed, item id, label banner, time)`. Called on the serving path: an
/// implementation must not block (queue and write elsewhere).
pub trait ReleaseLog: Send + Sync {
    /// `item_id` (e.g. `vessel:257000001`, `alert:<id>`) labelled `label` went to `partner` on
    /// `feed` (`api`, `stream`, `geojson`) at `time_ms` (unix ms, wall clock).
    fn released(&self, partner: &str, feed: &str, item_id: &str, label: &Label, time_ms: i64);

    /// Releases recorded and refused so far (`None`: the log does not count them).
    fn recorded_refused(&self) -> Option<(u64, u64)> {
        None
    }
}

/// A [`ReleaseLog`] that counts releases by `(partner, feed)` and keeps nothing else (the default
/// until the audit store is connected; also what tests read).
#[derive(Debug, Default)]
pub struct CountingLog {
    counts: Mutex<BTreeMap<(String, String), u64>>,
}

impl CountingLog {
    /// Releases so far by `(partner, feed)`.
    pub fn counts(&self) -> BTreeMap<(String, String), u64> {
        self.counts
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }
}

impl ReleaseLog for CountingLog {
    fn released(&self, partner: &str, feed: &str, _item_id: &str, _label: &Label, _time_ms: i64) {
        let mut c = self
            .counts
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        *c.entry((partner.to_owned(), feed.to_owned())).or_default() += 1;
    }
}
