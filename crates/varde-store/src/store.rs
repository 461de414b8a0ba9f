//! The storage trait the service uses, whatever the database behind it.

use crate::error::Result;
use crate::filter::{AlertFilter, Retention, VesselFilter};
use crate::record::{
    AlertRecord, Batch, Counts, PositionRecord, PruneCounts, RawRecord, SourceStats, VesselRecord,
};

/// A durable store for the picture, tracks, alerts, source counters and the
/// raw input journal.
///
/// # Contract for implementations
/// - [`write_batch`](Store::write_batch) is atomic and durable: once it
///   returns `Ok`, the whole batch survives a crash of the process (each
///   implementation documents what survives an OS crash or power loss); if
///   it fails or the process dies inside it, none of the batch is stored.
/// - Writes are idempotent, so replaying the raw journal after a restart
///   cannot duplicate anything: positions are keyed by `(mmsi, time_ms)`,
///   alert revisions by `(id, revision)`; vessel and alert upserts never go
///   back to an older `last_seen_ms` / `revision`. (The raw journal itself is
///   append-only: do not re-append replayed lines.)
/// - Reads see only committed batches.
///
/// The trait is synchronous and `Send`: the service owns one writer on a
/// dedicated thread (or `spawn_blocking`) and batches what the engine
/// accepted, e.g. every 200 ms or 5,000 rows, whichever comes first.
pub trait Store: Send {
    /// Writes every row of `batch` in one transaction.
    fn write_batch(&mut self, batch: &Batch) -> Result<()>;

    /// Latest state of the vessels matching `filter`, most recently seen
    /// first.
    fn vessels(&self, filter: &VesselFilter) -> Result<Vec<VesselRecord>>;

    /// Latest state of one vessel, if known.
    fn vessel(&self, mmsi: u32) -> Result<Option<VesselRecord>>;

    /// Track points of one vessel with `from_ms <= time_ms <= to_ms`, in
    /// ascending time. If more than `limit` match, the latest `limit` are
    /// returned (the recent end of the track).
    fn track(
        &self,
        mmsi: u32,
        from_ms: i64,
        to_ms: i64,
        limit: usize,
    ) -> Result<Vec<PositionRecord>>;

    /// The earliest `limit` track points of one vessel with `from_ms <= time_ms <= to_ms`, in
    /// ascending time: a forward page of the track. Read a long track page by page, each from
    /// one millisecond after the last point of the page before, so memory stays bounded
    /// (`varde history export`).
    fn track_page(
        &self,
        mmsi: u32,
        from_ms: i64,
        to_ms: i64,
        limit: usize,
    ) -> Result<Vec<PositionRecord>>;

    /// The vessels with at least one track point with `from_ms <= time_ms <= to_ms`, by MMSI
    /// ascending (whether or not the vessel table still holds them).
    fn tracked_vessels(&self, from_ms: i64, to_ms: i64) -> Result<Vec<u32>>;

    /// Current revision of the alerts matching `filter`, newest first.
    fn alerts(&self, filter: &AlertFilter) -> Result<Vec<AlertRecord>>;

    /// Current revision of one alert, if known.
    fn alert(&self, id: &str) -> Result<Option<AlertRecord>>;

    /// Every stored revision of one alert, in ascending revision order.
    fn alert_revisions(&self, id: &str) -> Result<Vec<AlertRecord>>;

    /// All sources and their last written counters, by name.
    fn sources(&self) -> Result<Vec<SourceStats>>;

    /// Journalled raw lines with `time_ms >= since_ms`, in ascending time
    /// (ties in the order they were written), at most `limit` of them. Used to
    /// replay accepted input on restart.
    fn raw_since(&self, since_ms: i64, limit: usize) -> Result<Vec<RawRecord>>;

    /// Removes rows older than the per-table cut-offs in `retention`. Open
    /// alerts are never removed. May commit in several steps: a crash part
    /// way leaves a partly pruned but consistent store.
    fn prune_with(&mut self, retention: &Retention) -> Result<PruneCounts>;

    /// Removes everything older than `older_than_ms` in every table (see
    /// [`Retention::all`]).
    fn prune(&mut self, older_than_ms: i64) -> Result<PruneCounts> {
        self.prune_with(&Retention::all(older_than_ms))
    }

    /// Number of rows in each table.
    fn counts(&self) -> Result<Counts>;
}

#[cfg(test)]
mod tests {
    use super::Store;
    use crate::SqliteStore;

    fn assert_send<T: Send>() {}

    #[test]
    fn sqlite_store_is_send_and_object_safe() {
        assert_send::<SqliteStore>();
        let mut store: Box<dyn Store> = Box::new(SqliteStore::open_in_memory().unwrap());
        store.write_batch(&crate::Batch::new()).unwrap();
        assert_eq!(store.counts().unwrap(), crate::Counts::default());
    }
}
