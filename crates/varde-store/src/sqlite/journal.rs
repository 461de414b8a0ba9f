//! The raw journal in arrival order, and engine snapshots: what a restart reads.
//!
//! `raw.seq` is the order lines were accepted (the writer is the only one appending). A restart loads
//! the newest snapshot and replays the lines after the one it covers, page by page
//! ([`SqliteStore::journal_after`]), so memory does not grow with the journal.

use rusqlite::{params, OptionalExtension};

use super::SqliteStore;
use crate::error::Result;
use crate::record::RawRecord;

/// Snapshots kept: the newest and the one before (in case the newest cannot be read).
const SNAPSHOTS_KEPT: i64 = 2;

/// One journal line with its place in arrival order.
#[derive(Debug, Clone, PartialEq)]
pub struct JournalLine {
    /// Arrival order (`raw.seq`).
    pub seq: i64,
    /// The line as journalled.
    pub record: RawRecord,
}

/// A stored engine snapshot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot {
    /// The last journal line the state has seen.
    pub seq: i64,
    /// When it was taken (wall clock), Unix ms.
    pub created_ms: i64,
    /// The state, as the service wrote it.
    pub state: Vec<u8>,
}

impl SqliteStore {
    /// Up to `limit` journal lines after `after_seq`, in arrival order.
    pub fn journal_after(&self, after_seq: i64, limit: usize) -> Result<Vec<JournalLine>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT seq, time_ms, source, line FROM raw WHERE seq > ?1 ORDER BY seq LIMIT ?2",
        )?;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let rows = stmt.query_map(params![after_seq, limit], |r| {
            Ok(JournalLine {
                seq: r.get(0)?,
                record: RawRecord {
                    time_ms: r.get(1)?,
                    source: r.get(2)?,
                    line: r.get(3)?,
                },
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// The newest journal line's event time, and its `seq`; `None` for an empty journal.
    pub fn journal_end(&self) -> Result<Option<(i64, i64)>> {
        Ok(self
            .conn
            .query_row(
                "SELECT seq, time_ms FROM raw ORDER BY seq DESC LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?)
    }

    /// The `seq` just before the first journal line with event time at or after `since_ms`, in
    /// arrival order (0 when that is the first line): where a restart without a snapshot replays from.
    pub fn journal_seq_before_time(&self, since_ms: i64) -> Result<i64> {
        let first: Option<i64> = self
            .conn
            .query_row(
                "SELECT MIN(seq) FROM raw WHERE time_ms >= ?1",
                [since_ms],
                |r| r.get(0),
            )
            .optional()?
            .flatten();
        Ok(first.map_or(i64::MAX, |s| s - 1))
    }

    /// Stores a snapshot covering every journal line appended so far; keeps the newest two.
    pub fn put_snapshot(&mut self, created_ms: i64, state: &[u8]) -> Result<i64> {
        let tx = self.conn.transaction()?;
        let seq: i64 = tx.query_row("SELECT COALESCE(MAX(seq), 0) FROM raw", [], |r| r.get(0))?;
        tx.execute(
            "INSERT OR REPLACE INTO snapshots (seq, created_ms, state) VALUES (?1, ?2, ?3)",
            params![seq, created_ms, state],
        )?;
        tx.execute(
            "DELETE FROM snapshots WHERE seq NOT IN
             (SELECT seq FROM snapshots ORDER BY seq DESC LIMIT ?1)",
            [SNAPSHOTS_KEPT],
        )?;
        tx.commit()?;
        Ok(seq)
    }

    /// Deletes every stored snapshot (the next start replays the journal); returns how many.
    pub fn delete_snapshots(&mut self) -> Result<usize> {
        Ok(self.conn.execute("DELETE FROM snapshots", [])?)
    }

    /// Stored snapshots, newest first.
    pub fn snapshots(&self) -> Result<Vec<Snapshot>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT seq, created_ms, state FROM snapshots ORDER BY seq DESC")?;
        let rows = stmt.query_map([], |r| {
            Ok(Snapshot {
                seq: r.get(0)?,
                created_ms: r.get(1)?,
                state: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }
}

#[cfg(test)]
mod tests {
    use crate::{Batch, RawRecord, SqliteStore, Store};

    fn line(t: i64, text: &str) -> RawRecord {
        RawRecord {
            time_ms: t,
            source: "s".into(),
            line: text.into(),
        }
    }

    #[test]
    fn the_journal_reads_back_in_arrival_order_in_pages_and_snapshots_cover_what_came_before() {
        let mut s = SqliteStore::open_in_memory().unwrap();
        let mut b = Batch::new();
        // Event times out of order: a late line arrives third.
        for (t, l) in [(1_000, "a"), (3_000, "b"), (2_000, "late"), (4_000, "c")] {
            b.raw.push(line(t, l));
        }
        s.write_batch(&b).unwrap();
        let all: Vec<_> = s
            .journal_after(0, 10)
            .unwrap()
            .into_iter()
            .map(|j| j.record.line)
            .collect();
        assert_eq!(all, ["a", "b", "late", "c"]);
        let page = s.journal_after(2, 1).unwrap();
        assert_eq!(page.len(), 1);
        assert_eq!(page[0].record.line, "late");
        assert_eq!(s.journal_end().unwrap(), Some((4, 4_000)));
        assert_eq!(s.journal_seq_before_time(2_500).unwrap(), 1);
        assert_eq!(s.journal_seq_before_time(9_000).unwrap(), i64::MAX);

        assert_eq!(s.put_snapshot(7, b"one").unwrap(), 4);
        let mut b = Batch::new();
        b.raw.push(line(5_000, "d"));
        s.write_batch(&b).unwrap();
        assert_eq!(s.put_snapshot(8, b"two").unwrap(), 5);
        assert_eq!(s.put_snapshot(9, b"three").unwrap(), 5);
        let kept = s.snapshots().unwrap();
        assert_eq!(kept.len(), 2);
        assert_eq!((kept[0].seq, kept[0].state.as_slice()), (5, &b"three"[..]));
        assert_eq!((kept[1].seq, kept[1].state.as_slice()), (4, &b"one"[..]));
    }
}
