//! The vessels as the API sees them, in memory: the latest record of every vessel the store holds,
//! indexed by MMSI (for pages) and by a grid of cells (for boxes), so the vessel endpoints never
//! wait for SQLite.
//!
//! The engine owns the picture on its own thread. For each report the pipeline hands the vessel's
//! record to a [`Publisher`], which keeps the newest record per MMSI in a small pending map
//! (readers only look into it). Every [`APPLY_EVERY`] an applier moves the pending records into
//! the view under a write lock held for the batch only; a reader that finds the write lock free
//! applies them first itself, so an answer is as fresh as the engine's last report.
//!
//! Memory: the view is a second copy of every vessel, so each is kept compact ([`compact::Compact`]:
//! numbers in fixed fields, the four texts in one allocation, about 100 bytes plus the texts) and no
//! JSON is cached (a page's entries are serialised straight from the compact records, which costs
//! about a microsecond each under the read lock; caching them cost ~350 bytes per vessel).
//!
//! The view mirrors the store's `vessels` table: it is loaded from the store at start, applies
//! the same rule as the store's upsert (a record replaces an older or equal `last_seen`), and
//! drops what the store's retention drops.
//!
//! # Layout
//! - `grid`: the spatial index.
//! - `json`: the vessel's JSON form (list entry and detail).
//! - `compact`: the record as the view keeps it.

pub mod compact;
mod grid;
pub mod json;

#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, HashMap};
use std::ops::Bound;
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;
use varde_store::{BBox, VesselRecord};

/// How often pending records are applied to the view (the view's staleness, at most).
pub const APPLY_EVERY: Duration = Duration::from_millis(25);

pub use compact::Compact;

/// One vessel in the view.
#[derive(Debug)]
struct Slot {
    record: Compact,
    /// Its grid cell, when it has a position.
    cell: Option<u32>,
}

/// The indexed vessels.
#[derive(Debug, Default)]
struct Inner {
    by_mmsi: BTreeMap<u32, Slot>,
    grid: grid::Grid,
}

impl Inner {
    /// The store's upsert rule: a record replaces one seen at or before it.
    fn upsert(&mut self, r: Compact) {
        let old = self.by_mmsi.get(&r.mmsi);
        if old.is_some_and(|o| o.record.last_seen_ms > r.last_seen_ms) {
            return;
        }
        let old_cell = old.and_then(|o| o.cell);
        let cell = match (r.lat(), r.lon()) {
            (Some(lat), Some(lon)) if lat.is_finite() && lon.is_finite() => {
                Some(self.grid.place(r.mmsi, old_cell, lat, lon))
            }
            _ => {
                if let Some(c) = old_cell {
                    self.grid.remove(r.mmsi, c);
                }
                None
            }
        };
        self.by_mmsi.insert(r.mmsi, Slot { record: r, cell });
    }
}

/// What a vessel list asks for.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Query {
    /// Only vessels whose position lies in this box (edges included).
    pub bbox: Option<BBox>,
    /// Only vessels seen at or after this time, unix ms.
    pub since_ms: Option<i64>,
    /// Only MMSIs above this one (the cursor of the next page).
    pub after: Option<u32>,
    /// Most vessels in the page.
    pub limit: usize,
}

/// One page of the vessel list, by MMSI ascending.
#[cfg(test)]
#[derive(Debug, Default)]
pub struct Page {
    /// The vessels.
    pub vessels: Vec<Arc<VesselRecord>>,
    /// More vessels match after the last one of this page.
    pub more: bool,
}

/// The shared in-memory view; cheap to clone.
#[derive(Debug, Clone, Default)]
pub struct VesselView {
    inner: Arc<RwLock<Inner>>,
    pending: Arc<Mutex<HashMap<u32, Compact>>>,
}

impl VesselView {
    /// An empty view.
    pub fn new() -> Self {
        Self::default()
    }

    /// A view holding `records` (the store's vessels at start).
    pub fn with(records: impl IntoIterator<Item = VesselRecord>) -> Self {
        let view = Self::new();
        {
            let mut inner = view.write();
            for r in records {
                inner.upsert(Compact::new(&r));
            }
        }
        view
    }

    /// The handle the engine thread publishes with.
    pub fn publisher(&self) -> Publisher {
        Publisher {
            pending: Some(self.pending.clone()),
        }
    }

    /// Moves every pending record into the view (one write lock for the batch); returns how many.
    pub fn apply_pending(&self) -> usize {
        Self::apply(&mut self.write(), &self.pending)
    }

    /// Before a read: applies what is pending when the write lock is free right now (no reader
    /// ever waits for it), so an answer includes every report the engine had handed over by then
    /// unless other readers are busy (then the applier catches up within [`APPLY_EVERY`]).
    fn catch_up(&self) {
        if lock(&self.pending).is_empty() {
            return;
        }
        if let Ok(mut inner) = self.inner.try_write() {
            Self::apply(&mut inner, &self.pending);
        }
    }

    /// Takes the pending records while holding the write lock: a reader that finds nothing
    /// pending either has nothing to wait for or waits for this batch on its read lock.
    fn apply(inner: &mut Inner, pending: &Mutex<HashMap<u32, Compact>>) -> usize {
        let batch = std::mem::take(&mut *lock(pending));
        let n = batch.len();
        for r in batch.into_values() {
            inner.upsert(r);
        }
        n
    }

    /// Drops vessels last seen before `cutoff_ms` (the store's retention); returns their MMSIs.
    pub fn prune_before(&self, cutoff_ms: i64) -> Vec<u32> {
        let mut inner = self.write();
        let old: Vec<(u32, Option<u32>)> = inner
            .by_mmsi
            .values()
            .filter(|s| s.record.last_seen_ms < cutoff_ms)
            .map(|s| (s.record.mmsi, s.cell))
            .collect();
        for (mmsi, cell) in &old {
            inner.by_mmsi.remove(mmsi);
            if let Some(c) = cell {
                inner.grid.remove(*mmsi, *c);
            }
        }
        old.into_iter().map(|(mmsi, _)| mmsi).collect()
    }

    /// Applies pending records every [`APPLY_EVERY`] and prunes by `retention_days` every
    /// minute, on a thread of its own, until the last other handle to the view is gone; hands
    /// the MMSIs it pruned to `forgotten` (what else is kept per vessel for the API goes too).
    pub fn spawn_applier(
        &self,
        retention_days: u32,
        forgotten: impl Fn(&[u32]) + Send + 'static,
    ) -> std::io::Result<()> {
        let weak_inner = Arc::downgrade(&self.inner);
        let weak_pending = Arc::downgrade(&self.pending);
        std::thread::Builder::new()
            .name("vessel-view".into())
            .spawn(move || {
                let mut last_prune = std::time::Instant::now();
                loop {
                    std::thread::sleep(APPLY_EVERY);
                    let (Some(inner), Some(pending)) =
                        (weak_inner.upgrade(), weak_pending.upgrade())
                    else {
                        return;
                    };
                    let view = VesselView { inner, pending };
                    view.apply_pending();
                    if retention_days > 0 && last_prune.elapsed() >= Duration::from_secs(60) {
                        last_prune = std::time::Instant::now();
                        let day = 86_400_000;
                        let gone = view.prune_before(
                            super::source::now_ms() - i64::from(retention_days) * day,
                        );
                        if !gone.is_empty() {
                            forgotten(&gone);
                        }
                    }
                }
            })
            .map(|_| ())
    }

    /// One vessel (its record rebuilt from the compact form).
    pub fn get(&self, mmsi: u32) -> Option<Arc<VesselRecord>> {
        self.catch_up();
        let record = self.read().by_mmsi.get(&mmsi).map(|s| s.record.record());
        record.map(Arc::new)
    }

    /// Vessels in the view.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.read().by_mmsi.len()
    }

    /// A page of the vessels `q` selects, by MMSI ascending.
    #[cfg(test)]
    pub fn page(&self, q: &Query) -> Page {
        let mut vessels = Vec::new();
        let more = self.select(q, |_| true, |s| vessels.push(Arc::new(s.record.record())));
        Page { vessels, more }
    }

    /// The same page as a JSON array of list entries; with the MMSI of its last vessel when more
    /// vessels match after it.
    #[cfg(test)]
    pub fn page_json(&self, q: &Query) -> (Vec<u8>, Option<u32>) {
        self.page_json_with(
            q,
            |_| true,
            |_, json, body| body.extend_from_slice(json.as_bytes()),
        )
    }

    /// Calls `each` for the vessels `q` selects that `admit` keeps, by MMSI ascending (no JSON
    /// written: for callers that build their own items, e.g. OGC API features).
    pub fn for_each(
        &self,
        q: &Query,
        admit: impl FnMut(&Compact) -> bool,
        mut each: impl FnMut(&Compact),
    ) {
        self.select(q, admit, |s| each(&s.record));
    }

    /// Calls `each` for every vessel in the view, by MMSI ascending (search, arrivals, status).
    pub fn for_every(&self, each: impl FnMut(&Compact)) {
        let all = Query {
            limit: usize::MAX,
            ..Query::default()
        };
        self.for_each(&all, |_| true, each);
    }

    /// A page of the vessels `q` selects that `admit` keeps, each written by `write` (given the
    /// record and its list entry's JSON) into the JSON array; with the MMSI of its last vessel
    /// when more vessels match after it. (Sharing: a partner's page is filtered and labelled.)
    pub fn page_json_with(
        &self,
        q: &Query,
        admit: impl FnMut(&Compact) -> bool,
        mut write: impl FnMut(&Compact, &str, &mut Vec<u8>),
    ) -> (Vec<u8>, Option<u32>) {
        let mut body = Vec::with_capacity(64 * 1024);
        let mut entry = Vec::with_capacity(512);
        body.push(b'[');
        let mut last = None;
        let more = self.select(q, admit, |s| {
            if last.is_some() {
                body.push(b',');
            }
            entry.clear();
            // Writing to a Vec cannot fail, nor can serialising these fields.
            let _ = serde_json::to_writer(&mut entry, &json::VesselJson::entry(&s.record));
            write(
                &s.record,
                std::str::from_utf8(&entry).unwrap_or_default(),
                &mut body,
            );
            last = Some(s.record.mmsi);
        });
        body.push(b']');
        (body, last.filter(|_| more))
    }

    /// Calls `each` for the first `q.limit` vessels `q` selects, by MMSI ascending, under the read
    /// lock; true when more match.
    fn select(
        &self,
        q: &Query,
        mut admit: impl FnMut(&Compact) -> bool,
        mut each: impl FnMut(&Slot),
    ) -> bool {
        self.catch_up();
        let inner = self.read();
        let mut keep =
            |s: &&Slot| q.since_ms.is_none_or(|t| s.record.last_seen_ms >= t) && admit(&s.record);
        let mut n = 0usize;
        let mut more = false;
        let mut visit = |s: &Slot| {
            if n == q.limit {
                more = true;
                return false;
            }
            each(s);
            n += 1;
            true
        };
        match &q.bbox {
            None => {
                let from = q.after.map_or(Bound::Unbounded, Bound::Excluded);
                for (_, s) in inner.by_mmsi.range((from, Bound::Unbounded)) {
                    if keep(&s) && !visit(s) {
                        break;
                    }
                }
            }
            Some(b) => {
                let mut mmsis = Vec::new();
                inner.grid.within(b, &mut mmsis);
                mmsis.retain(|m| q.after.is_none_or(|a| *m > a));
                mmsis.sort_unstable();
                for s in mmsis.iter().filter_map(|m| inner.by_mmsi.get(m)) {
                    if keep(&s) && !visit(s) {
                        break;
                    }
                }
            }
        }
        more
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, Inner> {
        self.inner
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, Inner> {
        self.inner
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// A vessel's list entry as JSON (of a full record: e.g. a partner's coarsened copy).
pub fn entry_json(r: &VesselRecord) -> Box<str> {
    serde_json::to_string(&json::VesselJson::list(r))
        .unwrap_or_default()
        .into_boxed_str()
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The engine thread's side of the view: keeps the newest record of each vessel until the
/// applier takes them. A default `Publisher` is not connected and drops what it is given.
#[derive(Debug, Default)]
pub struct Publisher {
    pending: Option<Arc<Mutex<HashMap<u32, Compact>>>>,
}

impl Publisher {
    /// Hands over a vessel's current record (bounded: one pending record per vessel).
    pub fn publish(&self, record: &VesselRecord) {
        if let Some(p) = &self.pending {
            let mut p = lock(p);
            match p.get_mut(&record.mmsi) {
                Some(old) if old.last_seen_ms > record.last_seen_ms => {}
                Some(old) => *old = Compact::new(record),
                None => {
                    p.insert(record.mmsi, Compact::new(record));
                }
            }
        }
    }
}
