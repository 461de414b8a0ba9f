//! The audit log: every item released to a partner, append-only and hash-chained.
//!
//! # Layout
//! - `audit (seq, time_ms, partner, feed, item_id, label, prev_hash, hash)`: one row per
//!   [`ReleaseRecord`], `seq` 1, 2, 3, … in write order, no gaps.
//! - `audit_head (id = 1, seq, hash)`: the last entry's `seq` and `hash`, moved in the same
//!   transaction as the entries, so that removing entries at the end of the log (which leaves a
//!   perfectly valid shorter chain) is detected too.
//!
//! # The chain
//! `hash = SHA-256("varde-audit-v1" ‖ prev_hash ‖ seq ‖ time_ms ‖ partner ‖ feed ‖ item_id ‖
//! label)`, where `seq` and `time_ms` are 8 bytes big-endian and each text is its length (8 bytes
//! big-endian) followed by its UTF-8 bytes, so no two different entries encode alike.
//! `prev_hash` is the previous entry's `hash`; the first entry's is 32 zero bytes. Entries are
//! appended through [`Batch::releases`](crate::Batch::releases), in the batch's transaction.
//!
//! [`SqliteStore::audit_verify`] walks the log in `seq` order (one row in memory at a time) and
//! names the first entry that is missing, altered, out of place or unreadable.
//!
//! # What it protects against
//! Any change to a stored entry, any entry removed (in the middle or at the end), entries swapped,
//! and a head out of step with the log. It is not a signature: someone with write access to the
//! file can rebuild the whole chain. Against that, keep the head `verify` prints (`seq` and hash)
//! somewhere else, and compare later ([`SqliteStore::audit_entry`], `varde audit verify --head`):
//! every later log extends it.
//!
//! # Retention
//! Retention ([`Retention`](crate::Retention)) never touches the audit log: a release record
//! outlives the data it was about. It grows by about 90 bytes plus the four texts per release.

use rusqlite::types::ValueRef;
use rusqlite::{params, OptionalExtension, Transaction};
use sha2::{Digest, Sha256};

use super::SqliteStore;
use crate::error::Result;
use crate::record::ReleaseRecord;

/// A SHA-256 digest of the chain.
pub type AuditHash = [u8; 32];

/// The previous hash of the first entry.
pub const GENESIS: AuditHash = [0; 32];

/// Domain separation: this layout, version 1.
const DOMAIN: &[u8] = b"varde-audit-v1";

const INSERT: &str = "INSERT INTO audit
    (seq, time_ms, partner, feed, item_id, label, prev_hash, hash)
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";

const SET_HEAD: &str = "INSERT INTO audit_head (id, seq, hash) VALUES (1, ?1, ?2)
    ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash";

const COLS: &str = "seq, time_ms, partner, feed, item_id, label, prev_hash, hash";

/// One stored entry of the audit log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    /// Position in the log, from 1.
    pub seq: i64,
    /// What was released.
    pub release: ReleaseRecord,
    /// The previous entry's hash ([`GENESIS`] for the first).
    pub prev_hash: AuditHash,
    /// This entry's hash.
    pub hash: AuditHash,
}

/// Which entries [`SqliteStore::audit_for_each`] hands over. `Default` is all of them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AuditFilter {
    /// Only releases to this partner (exact match).
    pub partner: Option<String>,
    /// Only releases at or after this time, ms since the epoch.
    pub since_ms: Option<i64>,
    /// Only releases before this time, ms since the epoch.
    pub until_ms: Option<i64>,
}

/// What [`SqliteStore::audit_verify`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuditVerdict {
    /// Every entry is in place and unaltered, and the head matches the last one.
    Intact {
        /// Entries in the log.
        entries: u64,
        /// The last entry's hash; `None` for an empty log.
        head: Option<AuditHash>,
    },
    /// The first problem found, walking from the start.
    Broken(AuditBreak),
}

/// The first bad entry of a broken log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditBreak {
    /// The entry's position in the log.
    pub seq: i64,
    /// What is wrong with it.
    pub kind: BreakKind,
    /// The entry as stored, when it exists and could be read (to name its partner and item).
    pub entry: Option<AuditEntry>,
}

/// Why an entry is bad.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BreakKind {
    /// The entry's stored hash is not the hash of its contents: a field or the hash was changed.
    HashMismatch,
    /// The entry's `prev_hash` is not the hash of the entry before it: entries were changed,
    /// swapped or put in from elsewhere.
    BrokenLink,
    /// Entries `seq` up to `next - 1` are missing (`next` is the next one present).
    Missing {
        /// The next entry present.
        next: i64,
    },
    /// The log ends before the head's entry: entries `seq` to `head_seq` were removed from the
    /// end.
    Truncated {
        /// The last entry the head records.
        head_seq: i64,
    },
    /// Entries go on past the head's entry (`seq` is the first one after it): they were added
    /// by something other than the store, or the head was moved back.
    PastHead {
        /// The last entry the head records.
        head_seq: i64,
    },
    /// The head does not match the log's last entry (`seq`, 0 for an empty log): the head was
    /// changed or removed.
    HeadMismatch {
        /// The sequence number the head records (0 when the head is missing or unreadable).
        head_seq: i64,
    },
    /// The row cannot be read as an entry (a column of the wrong type or size).
    Unreadable {
        /// The column that is wrong.
        column: &'static str,
    },
}

impl std::fmt::Display for BreakKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::HashMismatch => f.write_str("hash does not match its contents"),
            Self::BrokenLink => f.write_str("does not link to the entry before it"),
            Self::Missing { next } => write!(f, "missing (the next entry present is {next})"),
            Self::Truncated { head_seq } => {
                write!(
                    f,
                    "missing: the log was cut short (its head records entries up to {head_seq})"
                )
            }
            Self::PastHead { head_seq } => write!(
                f,
                "follows the chain head (entry {head_seq}): added by something other than varde"
            ),
            Self::HeadMismatch { head_seq: 0 } => {
                f.write_str("is the last entry but the chain head is missing or unreadable")
            }
            Self::HeadMismatch { head_seq } => write!(
                f,
                "is the last entry but the chain head (entry {head_seq}) does not match it"
            ),
            Self::Unreadable { column } => write!(f, "column {column} is not what the store wrote"),
        }
    }
}

impl std::fmt::Display for AuditBreak {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "audit entry {}", self.seq)?;
        if let Some(e) = &self.entry {
            write!(
                f,
                " (partner {}, feed {}, item {})",
                e.release.partner, e.release.feed, e.release.item_id
            )?;
        }
        write!(f, ": {}", self.kind)
    }
}

/// The hash of entry `seq` holding `r`, chained to `prev`.
pub fn entry_hash(prev: &AuditHash, seq: i64, r: &ReleaseRecord) -> AuditHash {
    let mut h = Sha256::new();
    h.update(DOMAIN);
    h.update(prev);
    h.update(seq.to_be_bytes());
    h.update(r.time_ms.to_be_bytes());
    for text in [&r.partner, &r.feed, &r.item_id, &r.label] {
        h.update((text.len() as u64).to_be_bytes());
        h.update(text.as_bytes());
    }
    h.finalize().into()
}

/// The hash in lower-case hex (64 digits), as [`to_hex`] writes it; `None` for anything else.
pub fn from_hex(hex: &str) -> Option<AuditHash> {
    if hex.len() != 64 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let mut out = [0u8; 32];
    for (o, pair) in out.iter_mut().zip(hex.as_bytes().chunks(2)) {
        let pair = std::str::from_utf8(pair).ok()?;
        *o = u8::from_str_radix(pair, 16).ok()?;
    }
    Some(out)
}

/// Lower-case hex of a hash.
pub fn to_hex(hash: &AuditHash) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(64);
    for b in hash {
        s.push(DIGITS[usize::from(b >> 4)] as char);
        s.push(DIGITS[usize::from(b & 15)] as char);
    }
    s
}

/// Appends `releases` after the current head, in order, and moves the head. Part of the batch's
/// transaction.
///
/// Chains from the head row; should the table hold entries past it (written by something other
/// than the store), the new entries go after them, so a tampered log never stops the writer (and
/// `audit_verify` reports the tampering).
pub(super) fn append(tx: &Transaction<'_>, releases: &[ReleaseRecord]) -> Result<()> {
    if releases.is_empty() {
        return Ok(());
    }
    // Read leniently: a head or row altered to another type must not stop the writer.
    let seq_hash = |r: &rusqlite::Row<'_>| -> rusqlite::Result<(i64, AuditHash)> {
        let seq = r.get_ref(0)?.as_i64().unwrap_or(0);
        let hash = match r.get_ref(1)? {
            ValueRef::Blob(b) => AuditHash::try_from(b).unwrap_or(GENESIS),
            _ => GENESIS,
        };
        Ok((seq, hash))
    };
    let head = tx
        .prepare_cached("SELECT seq, hash FROM audit_head WHERE id = 1")?
        .query_row([], seq_hash)
        .optional()?;
    let last_row = tx
        .prepare_cached("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1")?
        .query_row([], seq_hash)
        .optional()?;
    let (mut seq, mut prev) = match (head, last_row) {
        (Some((h, hash)), Some((l, _))) => (h.max(l), hash),
        (Some(head), None) => head,
        (None, Some(last)) => last,
        (None, None) => (0, GENESIS),
    };
    let mut insert = tx.prepare_cached(INSERT)?;
    for r in releases {
        seq = seq.checked_add(1).ok_or(crate::StoreError::Corrupt {
            field: "audit seq",
            value: seq,
        })?;
        let hash = entry_hash(&prev, seq, r);
        insert.execute(params![
            seq,
            r.time_ms,
            r.partner,
            r.feed,
            r.item_id,
            r.label,
            &prev[..],
            &hash[..]
        ])?;
        prev = hash;
    }
    tx.prepare_cached(SET_HEAD)?
        .execute(params![seq, &prev[..]])?;
    Ok(())
}

/// A row's `seq`, and the row read as an entry or the column that could not be read.
fn read_entry(
    row: &rusqlite::Row<'_>,
) -> rusqlite::Result<(i64, Result<AuditEntry, &'static str>)> {
    let seq: i64 = row.get(0)?;
    Ok((seq, decode(row, seq)))
}

/// The row as an entry, or the first column that is not what the store writes.
fn decode(row: &rusqlite::Row<'_>, seq: i64) -> Result<AuditEntry, &'static str> {
    let get = |i: usize, column: &'static str| row.get_ref(i).map_err(|_| column);
    let text = |i: usize, column: &'static str| match get(i, column)? {
        ValueRef::Text(t) => std::str::from_utf8(t)
            .map(str::to_owned)
            .map_err(|_| column),
        _ => Err(column),
    };
    let hash = |i: usize, column: &'static str| match get(i, column)? {
        ValueRef::Blob(b) => AuditHash::try_from(b).map_err(|_| column),
        _ => Err(column),
    };
    let ValueRef::Integer(time_ms) = get(1, "time_ms")? else {
        return Err("time_ms");
    };
    Ok(AuditEntry {
        seq,
        release: ReleaseRecord {
            time_ms,
            partner: text(2, "partner")?,
            feed: text(3, "feed")?,
            item_id: text(4, "item_id")?,
            label: text(5, "label")?,
        },
        prev_hash: hash(6, "prev_hash")?,
        hash: hash(7, "hash")?,
    })
}

fn broken(seq: i64, kind: BreakKind, entry: Option<AuditEntry>) -> AuditVerdict {
    AuditVerdict::Broken(AuditBreak { seq, kind, entry })
}

impl SqliteStore {
    /// Walks the whole audit log in order and checks every entry's hash, its link to the entry
    /// before it, that no `seq` is missing, and that the head matches the last entry. Reads one
    /// consistent snapshot (a read transaction), a row at a time, so memory stays constant and a
    /// writer may go on meanwhile. Stops at the first bad entry.
    pub fn audit_verify(&self) -> Result<AuditVerdict> {
        let tx = self.conn.unchecked_transaction()?;
        // A head of the wrong type or size reads as `None` parts: it matches nothing.
        let head: Option<(Option<i64>, Option<AuditHash>)> = tx
            .query_row("SELECT seq, hash FROM audit_head WHERE id = 1", [], |r| {
                let seq = r.get_ref(0)?.as_i64().ok();
                let hash = match r.get_ref(1)? {
                    ValueRef::Blob(b) => AuditHash::try_from(b).ok(),
                    _ => None,
                };
                Ok((seq, hash))
            })
            .optional()?;
        let mut stmt = tx.prepare(&format!("SELECT {COLS} FROM audit ORDER BY seq"))?;
        let mut rows = stmt.query([])?;
        let head_seq = head.and_then(|(s, _)| s);
        let mut expected = 1i64;
        let mut prev = GENESIS;
        let mut last: Option<AuditEntry> = None;
        let mut past_head: Option<AuditEntry> = None;
        while let Some(row) = rows.next()? {
            let (seq, entry) = read_entry(row)?;
            if seq != expected {
                return Ok(broken(expected, BreakKind::Missing { next: seq }, None));
            }
            let entry = match entry {
                Ok(e) => e,
                Err(column) => return Ok(broken(seq, BreakKind::Unreadable { column }, None)),
            };
            if entry.prev_hash != prev {
                return Ok(broken(seq, BreakKind::BrokenLink, Some(entry)));
            }
            if entry_hash(&prev, seq, &entry.release) != entry.hash {
                return Ok(broken(seq, BreakKind::HashMismatch, Some(entry)));
            }
            prev = entry.hash;
            expected += 1;
            if head_seq.and_then(|h| h.checked_add(1)) == Some(seq) {
                past_head = Some(entry.clone());
            }
            last = Some(entry);
        }
        let last_seq = expected - 1;
        let (head_seq, head_hash) = match head {
            None if last.is_none() => {
                return Ok(AuditVerdict::Intact {
                    entries: 0,
                    head: None,
                })
            }
            Some((Some(seq), hash)) => (seq, hash),
            // Entries without a head, or a head of the wrong type.
            _ => {
                let kind = BreakKind::HeadMismatch { head_seq: 0 };
                return Ok(broken(last_seq, kind, last));
            }
        };
        Ok(if head_seq > last_seq {
            broken(last_seq + 1, BreakKind::Truncated { head_seq }, None)
        } else if head_seq < last_seq {
            broken(head_seq + 1, BreakKind::PastHead { head_seq }, past_head)
        } else {
            match last {
                Some(last) if head_hash == Some(last.hash) => AuditVerdict::Intact {
                    entries: u64::try_from(last_seq).unwrap_or(0),
                    head: Some(last.hash),
                },
                last => broken(last_seq, BreakKind::HeadMismatch { head_seq }, last),
            }
        })
    }

    /// Entry `seq` as stored (unchecked), or `None` if there is none. With a head kept from an
    /// earlier [`audit_verify`](Self::audit_verify), shows whether the log still extends it.
    /// A row that cannot be read as an entry fails with
    /// [`StoreError::Corrupt`](crate::StoreError::Corrupt).
    pub fn audit_entry(&self, seq: i64) -> Result<Option<AuditEntry>> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!("SELECT {COLS} FROM audit WHERE seq = ?1"))?;
        let mut rows = stmt.query([seq])?;
        let Some(row) = rows.next()? else {
            return Ok(None);
        };
        match read_entry(row)? {
            (_, Ok(e)) => Ok(Some(e)),
            (seq, Err(field)) => Err(crate::StoreError::Corrupt { field, value: seq }),
        }
    }

    /// Hands every entry of the audit log that `filter` lets through to `f`, in `seq` order, one
    /// at a time from one consistent snapshot (memory stays constant), until `f` fails. Entries
    /// are handed over as stored, unchecked: run [`audit_verify`](Self::audit_verify) to check
    /// them. A row that cannot be read as an entry fails with
    /// [`StoreError::Corrupt`](crate::StoreError::Corrupt).
    pub fn audit_for_each<E: From<crate::StoreError>>(
        &self,
        filter: &AuditFilter,
        mut f: impl FnMut(&AuditEntry) -> Result<(), E>,
    ) -> Result<(), E> {
        let tx = self
            .conn
            .unchecked_transaction()
            .map_err(crate::StoreError::from)?;
        let sql = format!(
            "SELECT {COLS} FROM audit
             WHERE (?1 IS NULL OR partner = ?1) AND (?2 IS NULL OR time_ms >= ?2)
               AND (?3 IS NULL OR time_ms < ?3)
             ORDER BY seq"
        );
        let mut stmt = tx.prepare(&sql).map_err(crate::StoreError::from)?;
        let mut rows = stmt
            .query(params![filter.partner, filter.since_ms, filter.until_ms])
            .map_err(crate::StoreError::from)?;
        while let Some(row) = rows.next().map_err(crate::StoreError::from)? {
            let (seq, entry) = read_entry(row).map_err(crate::StoreError::from)?;
            match entry {
                Ok(e) => f(&e)?,
                Err(field) => {
                    return Err(crate::StoreError::Corrupt { field, value: seq }.into());
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn release(i: u32) -> ReleaseRecord {
        ReleaseRecord {
            time_ms: 1_000 * i64::from(i),
            partner: "SWE".into(),
            feed: "cot".into(),
            item_id: format!("{}", 257_000_000 + i),
            label: "NATO UNCLASSIFIED REL NOR,SWE".into(),
        }
    }

    #[test]
    fn hex_round_trips_and_refuses_other_text() {
        let h: AuditHash = std::array::from_fn(|i| (i * 37) as u8);
        assert_eq!(from_hex(&to_hex(&h)), Some(h));
        assert_eq!(from_hex(&to_hex(&h).to_uppercase()), Some(h));
        assert_eq!(from_hex(&to_hex(&h)[1..]), None);
        assert_eq!(from_hex(&"g".repeat(64)), None);
        assert_eq!(from_hex(&"+1".repeat(32)), None);
        assert_eq!(from_hex(&"é".repeat(32)), None);
    }

    #[test]
    fn the_encoding_tells_field_boundaries_apart() {
        let a = ReleaseRecord {
            partner: "AB".into(),
            feed: "C".into(),
            ..release(1)
        };
        let b = ReleaseRecord {
            partner: "A".into(),
            feed: "BC".into(),
            ..release(1)
        };
        assert_ne!(entry_hash(&GENESIS, 1, &a), entry_hash(&GENESIS, 1, &b));
        assert_ne!(entry_hash(&GENESIS, 1, &a), entry_hash(&GENESIS, 2, &a));
        assert_ne!(entry_hash(&GENESIS, 1, &a), entry_hash(&[1; 32], 1, &a));
    }

    #[test]
    fn hashes_are_sha256_of_the_documented_layout() {
        let r = release(3);
        let mut bytes = Vec::new();
        bytes.extend_from_slice(b"varde-audit-v1");
        bytes.extend_from_slice(&[7; 32]);
        bytes.extend_from_slice(&5i64.to_be_bytes());
        bytes.extend_from_slice(&3_000i64.to_be_bytes());
        for t in [&r.partner, &r.feed, &r.item_id, &r.label] {
            bytes.extend_from_slice(&(t.len() as u64).to_be_bytes());
            bytes.extend_from_slice(t.as_bytes());
        }
        let want: AuditHash = Sha256::digest(&bytes).into();
        assert_eq!(entry_hash(&[7; 32], 5, &r), want);
        assert_eq!(
            to_hex(&Sha256::digest(b"abc").into()),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
