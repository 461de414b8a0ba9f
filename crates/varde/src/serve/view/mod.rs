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
//! JSON is kept per vessel (keeping each list entry cost ~300 bytes a vessel, measured twice: in
//! session 6 and again with s11-api's stored entries, +17–33 MiB at 100 k vessels, against the
//! 1 KiB-a-vessel target): a page's entries are written straight from the compact records into the
//! page ([`json::write_entry`], a few hundred nanoseconds each under the read lock). Repeated
//! viewports reuse a page of the same view revision instead (`api::pages`).
//!
//! The records sit in a slab (chunks of [`CHUNK`] slots, so growing never copies them and at most
//! one chunk is partly empty); the MMSI index and the grid's cells hold slot numbers, so a box is
//! answered from its cells without a lookup per vessel.
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

/// One vessel in the view. Its grid cell is not kept (8 bytes a vessel): it is the cell of the
/// record's position ([`Slot::cell`]), where [`Inner::upsert`] placed it.
#[derive(Debug)]
struct Slot {
    record: Compact,
}

impl Slot {
    /// A slot holding `record`.
    fn new(record: Compact) -> Self {
        Self { record }
    }

    /// A slot holding no vessel (on the slab's free list).
    fn vacant() -> Self {
        Self {
            record: Compact::new(&VesselRecord::default()),
        }
    }

    /// The grid cell the vessel is filed in: its position's, when it has one.
    fn cell(&self) -> Option<u32> {
        position(&self.record).map(|(lat, lon)| grid::cell_of(lat, lon))
    }
}

/// A record's position, when it has a usable one (the grid files only those).
fn position(r: &Compact) -> Option<(f64, f64)> {
    match (r.lat(), r.lon()) {
        (Some(lat), Some(lon)) if lat.is_finite() && lon.is_finite() => Some((lat, lon)),
        _ => None,
    }
}

/// Slots per chunk of the slab.
const CHUNK: usize = 1024;

/// The vessels' slots, by slot number; freed slots are reused.
#[derive(Debug, Default)]
struct Slab {
    chunks: Vec<Vec<Slot>>,
    free: Vec<u32>,
}

impl Slab {
    fn get(&self, i: u32) -> &Slot {
        let i = i as usize;
        &self.chunks[i / CHUNK][i % CHUNK]
    }

    fn get_mut(&mut self, i: u32) -> &mut Slot {
        let i = i as usize;
        &mut self.chunks[i / CHUNK][i % CHUNK]
    }

    /// A vacant slot's number.
    fn alloc(&mut self) -> u32 {
        if let Some(i) = self.free.pop() {
            return i;
        }
        if self.chunks.last().is_none_or(|c| c.len() == CHUNK) {
            self.chunks.push(Vec::with_capacity(CHUNK));
        }
        let n = self.chunks.len() - 1;
        let chunk = &mut self.chunks[n];
        chunk.push(Slot::vacant());
        // Slot numbers stay below u32::MAX: there are fewer than 2^30 MMSIs.
        (n * CHUNK + chunk.len() - 1) as u32
    }

    /// Empties slot `i` (its texts freed) for reuse.
    fn release(&mut self, i: u32) {
        *self.get_mut(i) = Slot::vacant();
        self.free.push(i);
    }
}

/// The indexed vessels.
#[derive(Debug, Default)]
struct Inner {
    /// Slot numbers by MMSI.
    by_mmsi: BTreeMap<u32, u32>,
    slots: Slab,
    grid: grid::Grid,
    /// Bumped by every record applied and every vessel removed: two reads that find the same
    /// revision see the same vessels.
    revision: u64,
}

impl Inner {
    /// The store's upsert rule: a record replaces one seen at or before it.
    fn upsert(&mut self, slot: Slot) {
        self.revision += 1;
        let r = &slot.record;
        let found = self.by_mmsi.get(&r.mmsi).copied();
        let old_cell = match found {
            Some(i) => {
                let old = self.slots.get(i);
                if old.record.last_seen_ms > r.last_seen_ms {
                    return;
                }
                old.cell()
            }
            None => None,
        };
        let i = match found {
            Some(i) => i,
            None => {
                let i = self.slots.alloc();
                self.by_mmsi.insert(r.mmsi, i);
                i
            }
        };
        match position(r) {
            Some((lat, lon)) => {
                self.grid.place(r.mmsi, i, old_cell, lat, lon);
            }
            None => {
                if let Some(c) = old_cell {
                    self.grid.remove(r.mmsi, c);
                }
            }
        }
        *self.slots.get_mut(i) = slot;
    }

    /// Takes vessel `mmsi` out of the indexes and frees its slot.
    fn remove(&mut self, mmsi: u32) {
        self.revision += 1;
        if let Some(i) = self.by_mmsi.remove(&mmsi) {
            if let Some(c) = self.slots.get(i).cell() {
                self.grid.remove(mmsi, c);
            }
            self.slots.release(i);
        }
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

/// Bytes reserved per vessel of a JSON page (a list entry with its label is about 330).
const ENTRY_BYTES: usize = 360;

/// Vessels picked for a page, by MMSI ascending, under the view's read lock.
struct Selection<'a, A> {
    inner: std::sync::RwLockReadGuard<'a, Inner>,
    /// Slot numbers, each with what `admit` returned for it.
    picked: Vec<(u32, A)>,
    /// More vessels match after the last one picked.
    more: bool,
}

impl<A> Selection<'_, A> {
    /// The picked slots, each with what `admit` returned for it.
    fn iter(&self) -> impl Iterator<Item = (&Slot, A)> + '_
    where
        A: Copy,
    {
        self.picked
            .iter()
            .map(|&(i, a)| (self.inner.slots.get(i), a))
    }
}

/// The shared in-memory view; cheap to clone.
#[derive(Debug, Clone, Default)]
pub struct VesselView {
    inner: Arc<RwLock<Inner>>,
    pending: Arc<Mutex<HashMap<u32, Slot>>>,
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
                inner.upsert(Slot::new(Compact::new(&r)));
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
    fn apply(inner: &mut Inner, pending: &Mutex<HashMap<u32, Slot>>) -> usize {
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
        let old: Vec<u32> = inner
            .by_mmsi
            .iter()
            .filter(|(_, &i)| inner.slots.get(i).record.last_seen_ms < cutoff_ms)
            .map(|(&mmsi, _)| mmsi)
            .collect();
        for mmsi in &old {
            inner.remove(*mmsi);
        }
        old
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
        let inner = self.read();
        let record = inner
            .by_mmsi
            .get(&mmsi)
            .map(|&i| inner.slots.get(i).record.record());
        record.map(Arc::new)
    }

    /// The view's revision after applying what is pending (as a read does): the same revision,
    /// the same vessels.
    pub fn revision(&self) -> u64 {
        self.catch_up();
        self.read().revision
    }

    /// Vessels in the view.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.read().by_mmsi.len()
    }

    /// A page of the vessels `q` selects, by MMSI ascending.
    #[cfg(test)]
    pub fn page(&self, q: &Query) -> Page {
        let sel = self.select(q, |_| Some(()));
        let vessels = sel
            .iter()
            .map(|(s, ())| Arc::new(s.record.record()))
            .collect();
        Page {
            vessels,
            more: sel.more,
        }
    }

    /// The same page as a JSON array of list entries; with the MMSI of its last vessel when more
    /// vessels match after it.
    #[cfg(test)]
    pub fn page_json(&self, q: &Query) -> (Vec<u8>, Option<u32>) {
        let (body, next, _) = self.page_json_with(
            q,
            |_| Some(()),
            |r, (), body| json::write_entry(body, r, None),
        );
        (body, next)
    }

    /// Calls `each` for the vessels `q` selects that `admit` keeps, by MMSI ascending (no JSON
    /// written: for callers that build their own items, e.g. OGC API features).
    pub fn for_each(
        &self,
        q: &Query,
        mut admit: impl FnMut(&Compact) -> bool,
        mut each: impl FnMut(&Compact),
    ) {
        let sel = self.select(q, |r| admit(r).then_some(()));
        for (s, ()) in sel.iter() {
            each(&s.record);
        }
    }

    /// Calls `each` for every vessel in the view, by MMSI ascending (search, arrivals, status).
    pub fn for_every(&self, each: impl FnMut(&Compact)) {
        let all = Query {
            limit: usize::MAX,
            ..Query::default()
        };
        self.for_each(&all, |_| true, each);
    }

    /// A page of the vessels `q` selects that `admit` keeps (returning what `write` needs of
    /// it, e.g. its label), each written by `write` into the JSON array; with the MMSI of its
    /// last vessel when more vessels match after it, and the view's [`VesselView::revision`] it
    /// was read at (e.g. with [`json::write_entry`]). (Sharing: a partner's page is filtered and
    /// labelled.)
    pub fn page_json_with<A: Copy>(
        &self,
        q: &Query,
        admit: impl FnMut(&Compact) -> Option<A>,
        mut write: impl FnMut(&Compact, A, &mut Vec<u8>),
    ) -> (Vec<u8>, Option<u32>, u64) {
        let sel = self.select(q, admit);
        // Room for the whole page at once: a box of thousands of vessels is megabytes, and
        // growing it step by step copied it several times.
        let mut body = Vec::with_capacity(2 + sel.picked.len() * ENTRY_BYTES);
        body.push(b'[');
        let mut last = None;
        for (s, a) in sel.iter() {
            if last.is_some() {
                body.push(b',');
            }
            write(&s.record, a, &mut body);
            last = Some(s.record.mmsi);
        }
        body.push(b']');
        (body, last.filter(|_| sel.more), sel.inner.revision)
    }

    /// The first `q.limit` vessels `q` selects and `admit` keeps, by MMSI ascending, with the read
    /// lock held until the selection is dropped.
    ///
    /// Two passes: this one only filters (a tight loop whose memory reads, a slot and perhaps a
    /// label per vessel scattered over megabytes, overlap one another), the caller's then finds
    /// those slots in the cache; one pass that wrote each vessel's JSON between two reads waited
    /// for each read in turn.
    fn select<A>(
        &self,
        q: &Query,
        mut admit: impl FnMut(&Compact) -> Option<A>,
    ) -> Selection<'_, A> {
        self.catch_up();
        let inner = self.read();
        let mut picked = Vec::new();
        let mut more = false;
        // False once the page is full.
        let mut visit = |i: u32| {
            let s = inner.slots.get(i);
            if q.since_ms.is_some_and(|t| s.record.last_seen_ms < t) {
                return true;
            }
            let Some(a) = admit(&s.record) else {
                return true;
            };
            if picked.len() == q.limit {
                more = true;
                return false;
            }
            picked.push((i, a));
            true
        };
        match &q.bbox {
            None => {
                let from = q.after.map_or(Bound::Unbounded, Bound::Excluded);
                for (_, &i) in inner.by_mmsi.range((from, Bound::Unbounded)) {
                    if !visit(i) {
                        break;
                    }
                }
            }
            Some(b) => {
                // (MMSI, slot) of the vessels in the box, by MMSI.
                let mut found = Vec::new();
                let at =
                    |i: u32| position(&inner.slots.get(i).record).unwrap_or((f64::NAN, f64::NAN));
                inner.grid.within(b, at, &mut found);
                found.retain(|(m, _)| q.after.is_none_or(|a| *m > a));
                found.sort_unstable();
                for &(_, i) in &found {
                    if !visit(i) {
                        break;
                    }
                }
            }
        }
        Selection {
            inner,
            picked,
            more,
        }
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
    pending: Option<Arc<Mutex<HashMap<u32, Slot>>>>,
}

impl Publisher {
    /// Hands over a vessel's current record (bounded: one pending record per vessel), with its
    /// list entry written here, outside the view's lock and off the request path.
    pub fn publish(&self, record: &VesselRecord) {
        if let Some(p) = &self.pending {
            let slot = Slot::new(Compact::new(record));
            let mut p = lock(p);
            match p.get_mut(&record.mmsi) {
                Some(old) if old.record.last_seen_ms > record.last_seen_ms => {}
                Some(old) => *old = slot,
                None => {
                    p.insert(record.mmsi, slot);
                }
            }
        }
    }
}
