//! The raw journal in arrival order, and engine snapshots: what a restart reads.
//!
//! Each line has a `seq`: the order lines were accepted (the writer is the only one appending).
//! Lines live many to a row in `raw_blocks` (schema v3; encoding in `codec`): each batch appends one
//! plain block, and once the plain blocks hold [`SEAL_LINES`] lines they are sealed into one zstd
//! block in the same transaction. A restart loads the newest snapshot and replays the lines after
//! the one it covers, page by page ([`SqliteStore::journal_after`]), so memory does not grow with
//! the journal.

use std::collections::HashMap;

use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};

use super::codec::{self, Entry};
use super::names::{self, SourceIds};
use super::SqliteStore;
use crate::error::{Result, StoreError};
use crate::record::RawRecord;

/// Lines of plain blocks sealed into one compressed block.
pub const SEAL_LINES: i64 = 8_192;

/// Columns of a block, in the order [`block_row`] reads them.
const BLOCK_COLS: &str = "first_seq, min_time_ms, packed, data";

/// One block as read: `(first_seq, min_time_ms, packed, data)`.
type BlockRow = (i64, i64, bool, Vec<u8>);

fn block_row(r: &Row<'_>) -> rusqlite::Result<BlockRow> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
}

/// The lines of one block.
fn entries((first_seq, min_time, packed, data): &BlockRow) -> Result<Vec<Entry>> {
    if *packed {
        codec::decode_lines(&codec::decompress(data)?, *first_seq, *min_time)
    } else {
        codec::decode_lines(data, *first_seq, *min_time)
    }
}

fn record(names: &HashMap<i64, String>, (_, time_ms, source, line): Entry) -> RawRecord {
    RawRecord {
        time_ms,
        source: names.get(&source).cloned().unwrap_or_default(),
        line,
    }
}

/// The newest line's `seq`, 0 for an empty journal.
fn last_seq(conn: &Connection) -> Result<i64> {
    Ok(conn
        .prepare_cached("SELECT last_seq FROM raw_blocks ORDER BY first_seq DESC LIMIT 1")?
        .query_row([], |r| r.get(0))
        .optional()?
        .unwrap_or(0))
}

/// Writes `entries` (ascending `seq`, not empty) as one block.
fn insert_block(conn: &Connection, entries: &[Entry], packed: bool) -> Result<()> {
    let lines: Vec<Line<'_>> = entries
        .iter()
        .map(|e| (e.0, e.1, e.2, e.3.as_str()))
        .collect();
    insert_lines(conn, &lines, packed)
}

/// One line to write: `(seq, time_ms, source id, line)`.
type Line<'a> = (i64, i64, i64, &'a str);

/// Writes `entries` (ascending `seq`, not empty) as one block.
fn insert_lines(conn: &Connection, entries: &[Line<'_>], packed: bool) -> Result<()> {
    let (Some(first), Some(last)) = (entries.first(), entries.last()) else {
        return Ok(());
    };
    let min = entries.iter().map(|e| e.1).min().unwrap_or(0);
    let max = entries.iter().map(|e| e.1).max().unwrap_or(0);
    let mut plain = Vec::with_capacity(entries.iter().map(|e| e.3.len() + 8).sum());
    codec::encode_lines(entries.iter().copied(), first.0, min, &mut plain);
    let data = if packed {
        codec::compress(&plain)?
    } else {
        plain
    };
    conn.prepare_cached(
        "INSERT INTO raw_blocks (first_seq, last_seq, min_time_ms, max_time_ms, lines, packed, data)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![first.0, last.0, min, max, entries.len() as i64, packed, data])?;
    Ok(())
}

/// Appends a batch's lines as one plain block, and seals the plain blocks once they hold
/// [`SEAL_LINES`] lines; true if it sealed.
pub fn append(tx: &Transaction<'_>, raw: &[RawRecord], ids: &mut SourceIds) -> Result<bool> {
    if raw.is_empty() {
        return Ok(false);
    }
    let mut seq = last_seq(tx)?;
    let mut block = Vec::with_capacity(raw.len());
    for r in raw {
        seq += 1;
        let source = ids.id(tx, &r.source)?;
        block.push((seq, r.time_ms, source, r.line.as_str()));
    }
    insert_lines(tx, &block, false)?;
    let plain: i64 = tx
        .prepare_cached("SELECT COALESCE(SUM(lines), 0) FROM raw_blocks WHERE packed = 0")?
        .query_row([], |r| r.get(0))?;
    if plain >= SEAL_LINES {
        seal(tx)?;
    }
    Ok(plain >= SEAL_LINES)
}

/// Merges every plain block into one compressed block.
pub fn seal(conn: &Connection) -> Result<()> {
    let rows: Vec<BlockRow> = {
        let sql =
            format!("SELECT {BLOCK_COLS} FROM raw_blocks WHERE packed = 0 ORDER BY first_seq");
        let mut stmt = conn.prepare_cached(&sql)?;
        let rows = stmt.query_map([], block_row)?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    let mut all = Vec::new();
    for row in &rows {
        all.extend(entries(row)?);
    }
    conn.prepare_cached("DELETE FROM raw_blocks WHERE packed = 0")?
        .execute([])?;
    insert_block(conn, &all, true)
}

/// Moves v2's `raw` rows into sealed blocks of [`SEAL_LINES`] lines.
pub fn migrate_v2(tx: &Transaction<'_>) -> Result<()> {
    let mut ids = SourceIds::default();
    let mut stmt = tx.prepare("SELECT seq, time_ms, source, line FROM raw ORDER BY seq")?;
    let mut rows = stmt.query([])?;
    let mut block: Vec<Entry> = Vec::new();
    while let Some(r) = rows.next()? {
        let source: String = r.get(2)?;
        block.push((r.get(0)?, r.get(1)?, ids.id(tx, &source)?, r.get(3)?));
        if block.len() as i64 >= SEAL_LINES {
            insert_block(tx, &block, true)?;
            block.clear();
        }
    }
    insert_block(tx, &block, true)
}

/// Journal lines with `time_ms >= since_ms`, ascending by time then `seq`, at most `limit`.
pub fn raw_since(conn: &Connection, since_ms: i64, limit: usize) -> Result<Vec<RawRecord>> {
    let names = names::all(conn)?;
    let sql = format!("SELECT {BLOCK_COLS} FROM raw_blocks WHERE max_time_ms >= ?1");
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([since_ms], block_row)?;
    let mut found = Vec::new();
    for row in rows {
        found.extend(entries(&row?)?.into_iter().filter(|e| e.1 >= since_ms));
    }
    found.sort_unstable_by_key(|e| (e.1, e.0));
    found.truncate(limit);
    Ok(found.into_iter().map(|e| record(&names, e)).collect())
}

/// Lines in the journal (`SUM(lines)`).
pub fn count(conn: &Connection) -> Result<u64> {
    let n: i64 = conn.query_row("SELECT COALESCE(SUM(lines), 0) FROM raw_blocks", [], |r| {
        r.get(0)
    })?;
    u64::try_from(n).map_err(|_| StoreError::Corrupt {
        field: "raw_blocks.lines",
        value: n,
    })
}

/// Removes lines with `time_ms < before_ms`, except the newest line (`seq` continues from it, so
/// arrival order never restarts from 1 after a long idle spell). Whole blocks are deleted; a block
/// holding lines on both sides is rewritten with the newer ones. Returns the lines removed.
pub fn prune(conn: &mut Connection, before_ms: i64) -> Result<u64> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let newest = last_seq(&tx)?;
    let whole = "FROM raw_blocks WHERE max_time_ms < ?1 AND last_seq < ?2";
    let mut removed: i64 = tx.query_row(
        &format!("SELECT COALESCE(SUM(lines), 0) {whole}"),
        params![before_ms, newest],
        |r| r.get(0),
    )?;
    tx.execute(&format!("DELETE {whole}"), params![before_ms, newest])?;
    let straddling: Vec<(BlockRow, i64)> = {
        let sql = format!("SELECT {BLOCK_COLS}, lines FROM raw_blocks WHERE min_time_ms < ?1");
        let mut stmt = tx.prepare(&sql)?;
        let rows = stmt.query_map([before_ms], |r| Ok((block_row(r)?, r.get(4)?)))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    for (row, lines) in straddling {
        let kept: Vec<Entry> = entries(&row)?
            .into_iter()
            .filter(|e| e.1 >= before_ms || e.0 == newest)
            .collect();
        removed += lines - kept.len() as i64;
        tx.execute("DELETE FROM raw_blocks WHERE first_seq = ?1", [row.0])?;
        insert_block(&tx, &kept, row.2)?;
    }
    tx.commit()?;
    Ok(removed.max(0) as u64)
}

/// Snapshots kept: the newest and the one before (in case the newest cannot be read).
const SNAPSHOTS_KEPT: i64 = 2;

/// One journal line with its place in arrival order.
#[derive(Debug, Clone, PartialEq)]
pub struct JournalLine {
    /// Arrival order (`seq`).
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
        let names = names::all(&self.conn)?;
        let sql = format!(
            "SELECT {BLOCK_COLS} FROM raw_blocks WHERE first_seq >=
             COALESCE((SELECT MAX(first_seq) FROM raw_blocks WHERE first_seq <= ?1), ?1)
             ORDER BY first_seq"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query([after_seq])?;
        let mut out = Vec::new();
        while out.len() < limit {
            let Some(r) = rows.next()? else { break };
            for e in entries(&block_row(r)?)? {
                if e.0 > after_seq && out.len() < limit {
                    out.push(JournalLine {
                        seq: e.0,
                        record: record(&names, e),
                    });
                }
            }
        }
        Ok(out)
    }

    /// The newest journal line's event time, and its `seq`; `None` for an empty journal.
    pub fn journal_end(&self) -> Result<Option<(i64, i64)>> {
        let sql = format!("SELECT {BLOCK_COLS} FROM raw_blocks ORDER BY first_seq DESC LIMIT 1");
        let Some(row) = self
            .conn
            .prepare_cached(&sql)?
            .query_row([], block_row)
            .optional()?
        else {
            return Ok(None);
        };
        Ok(entries(&row)?.pop().map(|e| (e.0, e.1)))
    }

    /// The `seq` just before the first journal line with event time at or after `since_ms`, in
    /// arrival order (0 when that is the first line): where a restart without a snapshot replays from.
    pub fn journal_seq_before_time(&self, since_ms: i64) -> Result<i64> {
        let sql = format!(
            "SELECT {BLOCK_COLS} FROM raw_blocks WHERE max_time_ms >= ?1 ORDER BY first_seq LIMIT 1"
        );
        let row = self
            .conn
            .prepare_cached(&sql)?
            .query_row([since_ms], block_row)
            .optional()?;
        let first = match row {
            Some(row) => entries(&row)?.into_iter().find(|e| e.1 >= since_ms),
            None => None,
        };
        Ok(first.map_or(i64::MAX, |e| e.0 - 1))
    }

    /// Stores a snapshot covering every journal line appended so far; keeps the newest two.
    pub fn put_snapshot(&mut self, created_ms: i64, state: &[u8]) -> Result<i64> {
        let tx = self.conn.transaction()?;
        let seq = last_seq(&tx)?;
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
