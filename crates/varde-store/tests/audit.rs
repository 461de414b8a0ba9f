//! The audit log of releases to partners: appended through batches, verified end to end, and
//! every kind of tampering with the file found at the right entry.

mod common;

use common::raw;
use proptest::prelude::*;
use rusqlite::{params, Connection};
use std::path::Path;
use tempfile::TempDir;
use varde_store::sqlite::audit::{entry_hash, GENESIS};
use varde_store::sqlite::{DEFAULT_FILE_NAME, SCHEMA_VERSION};
use varde_store::{
    AuditBreak, AuditEntry, AuditFilter, AuditVerdict, Batch, BreakKind, ReleaseRecord, Retention,
    SqliteStore, Store, StoreError,
};

fn release(i: usize) -> ReleaseRecord {
    ReleaseRecord {
        time_ms: 1_700_000_000_000 + i as i64 * 1_000,
        partner: ["NOR", "SWE", "EU"][i % 3].into(),
        feed: ["cot", "ogc", "geojson-sse", "nmea"][i % 4].into(),
        item_id: format!("{}", 257_000_000 + i),
        label: format!("NATO UNCLASSIFIED REL NOR,SWE #{i}"),
    }
}

/// A file store holding `n` releases written in batches of 4, each with a journal line too.
fn store_with(n: usize) -> (TempDir, SqliteStore) {
    let dir = tempfile::tempdir().unwrap();
    let mut s = SqliteStore::open(dir.path()).unwrap();
    for start in (0..n).step_by(4) {
        let mut b = Batch::new();
        b.raw.push(raw(start as i64, start));
        b.releases = (start..n.min(start + 4)).map(release).collect();
        s.write_batch(&b).unwrap();
    }
    (dir, s)
}

fn entries(s: &SqliteStore, filter: &AuditFilter) -> Vec<AuditEntry> {
    let mut out = Vec::new();
    s.audit_for_each(filter, |e| {
        out.push(e.clone());
        Ok::<_, StoreError>(())
    })
    .unwrap();
    out
}

fn tamper(dir: &Path, sql: &str) {
    let conn = Connection::open(dir.join(DEFAULT_FILE_NAME)).unwrap();
    conn.execute_batch(sql).unwrap();
}

fn broken(s: &SqliteStore) -> AuditBreak {
    match s.audit_verify().unwrap() {
        AuditVerdict::Broken(b) => b,
        intact => panic!("tampering not detected: {intact:?}"),
    }
}

#[test]
fn releases_chain_across_batches_and_verify() {
    let (_dir, s) = store_with(10);
    let all = entries(&s, &AuditFilter::default());
    assert_eq!(all.len(), 10);
    let mut prev = GENESIS;
    for (i, e) in all.iter().enumerate() {
        assert_eq!(e.seq, i as i64 + 1);
        assert_eq!(e.release, release(i));
        assert_eq!(e.prev_hash, prev);
        assert_eq!(e.hash, entry_hash(&prev, e.seq, &e.release));
        prev = e.hash;
    }
    assert_eq!(
        s.audit_verify().unwrap(),
        AuditVerdict::Intact {
            entries: 10,
            head: Some(prev)
        }
    );
    // The journal lines of the same batches went in too.
    assert_eq!(s.counts().unwrap().raw, 3);
}

#[test]
fn an_empty_log_is_intact() {
    let s = SqliteStore::open_in_memory().unwrap();
    assert_eq!(
        s.audit_verify().unwrap(),
        AuditVerdict::Intact {
            entries: 0,
            head: None
        }
    );
}

#[test]
fn a_reader_verifies_while_the_writer_appends() {
    let (dir, mut s) = store_with(5);
    let reader = SqliteStore::open_reader(dir.path()).unwrap();
    assert!(matches!(
        reader.audit_verify().unwrap(),
        AuditVerdict::Intact { entries: 5, .. }
    ));
    s.write_batch(&Batch {
        releases: vec![release(5)],
        ..Batch::default()
    })
    .unwrap();
    assert!(matches!(
        reader.audit_verify().unwrap(),
        AuditVerdict::Intact { entries: 6, .. }
    ));
}

#[test]
fn a_changed_field_is_found_at_its_entry() {
    for (column, value) in [
        ("partner", "'RUS'"),
        ("feed", "'nmea2'"),
        ("item_id", "'257999999'"),
        ("label", "'NATO UNCLASSIFIED'"),
        ("time_ms", "time_ms + 1"),
    ] {
        let (dir, s) = store_with(10);
        tamper(
            dir.path(),
            &format!("UPDATE audit SET {column} = {value} WHERE seq = 7"),
        );
        let b = broken(&s);
        assert_eq!((b.seq, &b.kind), (7, &BreakKind::HashMismatch), "{column}");
        let shown = b.entry.expect("the entry is named");
        assert_eq!(shown.seq, 7);
        let text = format!(
            "{}",
            AuditBreak {
                entry: Some(shown),
                ..b
            }
        );
        assert!(
            text.starts_with("audit entry 7 (partner ") && text.contains("hash does not match"),
            "{text}"
        );
    }
}

#[test]
fn a_changed_hash_or_link_is_found_at_its_entry() {
    let (dir, s) = store_with(10);
    tamper(
        dir.path(),
        "UPDATE audit SET hash = zeroblob(32) WHERE seq = 4",
    );
    assert_eq!(
        (broken(&s).seq, broken(&s).kind),
        (4, BreakKind::HashMismatch)
    );

    let (dir, s) = store_with(10);
    tamper(
        dir.path(),
        "UPDATE audit SET prev_hash = zeroblob(32) WHERE seq = 4",
    );
    assert_eq!(
        (broken(&s).seq, broken(&s).kind),
        (4, BreakKind::BrokenLink)
    );
}

#[test]
fn a_rewritten_entry_with_its_hash_recomputed_breaks_the_next_link() {
    let (dir, s) = store_with(10);
    let e = entries(&s, &AuditFilter::default()).remove(5);
    let forged = ReleaseRecord {
        partner: "RUS".into(),
        ..e.release.clone()
    };
    let hash = entry_hash(&e.prev_hash, e.seq, &forged);
    let conn = Connection::open(dir.path().join(DEFAULT_FILE_NAME)).unwrap();
    conn.execute(
        "UPDATE audit SET partner = 'RUS', hash = ?1 WHERE seq = ?2",
        params![&hash[..], e.seq],
    )
    .unwrap();
    let b = broken(&s);
    assert_eq!((b.seq, b.kind), (7, BreakKind::BrokenLink));
}

#[test]
fn a_deleted_middle_entry_is_missing() {
    let (dir, mut s) = store_with(10);
    tamper(dir.path(), "DELETE FROM audit WHERE seq = 5");
    assert_eq!(
        broken(&s),
        AuditBreak {
            seq: 5,
            kind: BreakKind::Missing { next: 6 },
            entry: None
        }
    );
    // The writer goes on appending (a tampered log never stops the service), and the gap stays.
    s.write_batch(&Batch {
        releases: vec![release(10)],
        ..Batch::default()
    })
    .unwrap();
    assert_eq!(broken(&s).seq, 5);
    assert_eq!(entries(&s, &AuditFilter::default()).last().unwrap().seq, 11);
}

#[test]
fn a_head_of_the_wrong_type_does_not_stop_the_writer() {
    let (dir, mut s) = store_with(10);
    tamper(dir.path(), "UPDATE audit_head SET seq = 'ten', hash = 'x'");
    assert_eq!(broken(&s).kind, BreakKind::HeadMismatch { head_seq: 0 });
    s.write_batch(&Batch {
        releases: vec![release(10)],
        ..Batch::default()
    })
    .unwrap();
    // Appended after the last entry, but not linked to it: the break stays visible.
    let b = broken(&s);
    assert_eq!((b.seq, b.kind), (11, BreakKind::BrokenLink));
}

#[test]
fn deleted_last_entries_are_found_by_the_head() {
    let (dir, s) = store_with(10);
    tamper(dir.path(), "DELETE FROM audit WHERE seq >= 9");
    assert_eq!(
        broken(&s),
        AuditBreak {
            seq: 9,
            kind: BreakKind::Truncated { head_seq: 10 },
            entry: None
        }
    );

    let (dir, s) = store_with(10);
    tamper(dir.path(), "DELETE FROM audit");
    assert_eq!(broken(&s).kind, BreakKind::Truncated { head_seq: 10 });
}

#[test]
fn swapped_entries_are_found_at_the_first() {
    let (dir, s) = store_with(10);
    tamper(
        dir.path(),
        "UPDATE audit SET seq = -1 WHERE seq = 3;
         UPDATE audit SET seq = 3 WHERE seq = 4;
         UPDATE audit SET seq = 4 WHERE seq = -1;",
    );
    let b = broken(&s);
    assert_eq!((b.seq, b.kind), (3, BreakKind::BrokenLink));
    assert_eq!(b.entry.unwrap().release, release(3));
}

#[test]
fn a_changed_or_missing_head_is_found() {
    let (dir, s) = store_with(10);
    tamper(dir.path(), "UPDATE audit_head SET hash = zeroblob(32)");
    assert_eq!(
        (broken(&s).seq, broken(&s).kind),
        (10, BreakKind::HeadMismatch { head_seq: 10 })
    );

    let (dir, s) = store_with(10);
    tamper(dir.path(), "DELETE FROM audit_head");
    assert_eq!(
        (broken(&s).seq, broken(&s).kind),
        (10, BreakKind::HeadMismatch { head_seq: 0 })
    );
}

#[test]
fn entries_past_the_head_are_found() {
    let (dir, s) = store_with(10);
    tamper(dir.path(), "UPDATE audit_head SET seq = 8");
    let b = broken(&s);
    assert_eq!((b.seq, b.kind), (9, BreakKind::PastHead { head_seq: 8 }));
    assert_eq!(b.entry.unwrap().release, release(8));
}

#[test]
fn an_unreadable_row_is_named() {
    let (dir, s) = store_with(10);
    tamper(dir.path(), "UPDATE audit SET hash = 'x' WHERE seq = 2");
    assert_eq!(
        broken(&s),
        AuditBreak {
            seq: 2,
            kind: BreakKind::Unreadable { column: "hash" },
            entry: None
        }
    );
    let mut seen = 0;
    let err = s
        .audit_for_each(&AuditFilter::default(), |_| {
            seen += 1;
            Ok::<_, StoreError>(())
        })
        .unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::Corrupt {
                field: "hash",
                value: 2
            }
        ),
        "{err}"
    );
    assert_eq!(seen, 1);
}

#[test]
fn entries_filter_by_partner_and_time() {
    let (_dir, s) = store_with(12);
    let swe = entries(
        &s,
        &AuditFilter {
            partner: Some("SWE".into()),
            ..AuditFilter::default()
        },
    );
    let seqs: Vec<i64> = swe.iter().map(|e| e.seq).collect();
    assert_eq!(seqs, [2, 5, 8, 11]);
    let window = entries(
        &s,
        &AuditFilter {
            partner: None,
            since_ms: Some(release(3).time_ms),
            until_ms: Some(release(6).time_ms),
        },
    );
    let seqs: Vec<i64> = window.iter().map(|e| e.seq).collect();
    assert_eq!(seqs, [4, 5, 6]);
}

#[test]
fn retention_never_prunes_the_audit_log() {
    let (_dir, mut s) = store_with(6);
    let pruned = s.prune_with(&Retention::all(i64::MAX)).unwrap();
    assert!(pruned.raw > 0, "{pruned:?}");
    assert!(matches!(
        s.audit_verify().unwrap(),
        AuditVerdict::Intact { entries: 6, .. }
    ));
}

#[test]
fn a_v3_store_is_migrated_to_an_empty_log() {
    let dir = tempfile::tempdir().unwrap();
    {
        let mut s = SqliteStore::open(dir.path()).unwrap();
        s.write_batch(&Batch {
            raw: vec![raw(1_000, 1)],
            ..Batch::default()
        })
        .unwrap();
    }
    // Back to what a v3 store is: the same tables without the audit log.
    tamper(
        dir.path(),
        "DROP TABLE audit; DROP TABLE audit_head; DROP TABLE alert_actions; PRAGMA user_version = 3;",
    );
    assert!(matches!(
        SqliteStore::open_reader(dir.path()),
        Err(StoreError::SchemaTooOld { found: 3, .. })
    ));
    let mut s = SqliteStore::open(dir.path()).unwrap();
    assert_eq!(s.schema_version().unwrap(), SCHEMA_VERSION);
    assert_eq!(SCHEMA_VERSION, 7);
    assert_eq!(s.raw_since(0, 10).unwrap(), vec![raw(1_000, 1)]);
    assert!(matches!(
        s.audit_verify().unwrap(),
        AuditVerdict::Intact { entries: 0, .. }
    ));
    s.write_batch(&Batch {
        releases: vec![release(0)],
        ..Batch::default()
    })
    .unwrap();
    assert!(matches!(
        s.audit_verify().unwrap(),
        AuditVerdict::Intact { entries: 1, .. }
    ));
}

/// Any text, including empty and non-ASCII.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![Just(String::new()), "[A-Z]{1,4}", "\\PC{0,24}"]
}

fn any_release() -> impl Strategy<Value = ReleaseRecord> {
    (any::<i64>(), text(), text(), text(), text()).prop_map(
        |(time_ms, partner, feed, item_id, label)| ReleaseRecord {
            time_ms,
            partner,
            feed,
            item_id,
            label,
        },
    )
}

const COLUMNS: [&str; 7] = [
    "time_ms",
    "partner",
    "feed",
    "item_id",
    "label",
    "prev_hash",
    "hash",
];

/// Changes byte `at` (modulo the length) of `column` in entry `seq`, by `xor` (not 0).
fn flip_byte(conn: &Connection, seq: i64, column: &str, at: usize, xor: u8) -> bool {
    let sql = format!("SELECT CAST({column} AS BLOB), typeof({column}) FROM audit WHERE seq = ?1");
    let (mut bytes, kind): (Vec<u8>, String) = conn
        .query_row(&sql, [seq], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap();
    let update = format!("UPDATE audit SET {column} = ?1 WHERE seq = ?2");
    if kind == "integer" {
        let v: i64 = conn
            .query_row(
                &format!("SELECT {column} FROM audit WHERE seq = ?1"),
                [seq],
                |r| r.get(0),
            )
            .unwrap();
        let mut b = v.to_be_bytes();
        b[at % 8] ^= xor;
        conn.execute(&update, params![i64::from_be_bytes(b), seq])
            .unwrap();
        return true;
    }
    if bytes.is_empty() {
        return false;
    }
    let i = at % bytes.len();
    bytes[i] ^= xor;
    if kind == "text" {
        // Stored as text again (valid UTF-8 or not: either way it is no longer what was hashed).
        conn.execute(
            &format!("UPDATE audit SET {column} = CAST(?1 AS TEXT) WHERE seq = ?2"),
            params![bytes, seq],
        )
        .unwrap();
    } else {
        conn.execute(&update, params![bytes, seq]).unwrap();
    }
    true
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn any_single_byte_change_is_found_at_its_entry(
        releases in prop::collection::vec(any_release(), 1..40),
        cuts in prop::collection::vec(1usize..8, 1..40),
        target in any::<prop::sample::Index>(),
        column in 0usize..COLUMNS.len(),
        at in any::<usize>(),
        xor in 1u8..=255,
    ) {
        let dir = tempfile::tempdir().unwrap();
        let mut s = SqliteStore::open(dir.path()).unwrap();
        // Written in batches of random sizes.
        let mut rest = &releases[..];
        let mut cuts = cuts.iter().cycle();
        while !rest.is_empty() {
            let n = (*cuts.next().unwrap()).min(rest.len());
            s.write_batch(&Batch { releases: rest[..n].to_vec(), ..Batch::default() }).unwrap();
            rest = &rest[n..];
        }
        let n = releases.len();
        let verdict = s.audit_verify().unwrap();
        prop_assert!(
            matches!(verdict, AuditVerdict::Intact { entries, .. } if entries == n as u64),
            "{verdict:?}"
        );
        let stored = entries(&s, &AuditFilter::default());
        prop_assert_eq!(stored.iter().map(|e| e.release.clone()).collect::<Vec<_>>(), releases);

        let seq = target.index(n) as i64 + 1;
        let conn = Connection::open(dir.path().join(DEFAULT_FILE_NAME)).unwrap();
        if flip_byte(&conn, seq, COLUMNS[column], at, xor) {
            let b = broken(&s);
            prop_assert_eq!(b.seq, seq, "{:?}", b);
        }
    }
}
