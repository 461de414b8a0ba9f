//! Keeping the store healthy: a damaged file or one from a newer build is refused at open with
//! what to do; an online backup is a consistent, openable copy taken while a writer commits; a
//! periodic passive checkpoint moves committed data out of the WAL; a size cap makes writes fail
//! as on a full disk.

mod common;

use common::{position, raw, vessel_at};
use std::io::{Seek, SeekFrom, Write};
use varde_store::sqlite::DEFAULT_FILE_NAME;
use varde_store::{Batch, SqliteStore, Store, StoreError};

/// A store in `dir` with `n` batches of 500 positions and journal lines.
fn filled(dir: &std::path::Path, n: i64) -> SqliteStore {
    let mut s = SqliteStore::open(dir).unwrap();
    for b in 0..n {
        let mut batch = Batch::new();
        for i in 0..500 {
            let t = (b * 500 + i) * 1000;
            batch.positions.push(position(1 + (i % 50) as u32, t));
            batch.raw.push(raw(t, i as usize));
        }
        batch.vessels.push(vessel_at(1, 60.0, 4.0, b));
        s.write_batch(&batch).unwrap();
    }
    s
}

#[test]
fn a_damaged_file_is_refused_naming_the_file_and_the_remedy() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = filled(dir.path(), 20);
    s.checkpoint().unwrap();
    drop(s);
    let file = dir.path().join(DEFAULT_FILE_NAME);
    // Damage where start-up reads: the vessels table's B-tree (SQLite checks pages, not the
    // contents of the compressed journal and track blobs, which their decoders check on read).
    let root: i64 = rusqlite::Connection::open(&file)
        .unwrap()
        .query_row(
            "SELECT rootpage FROM sqlite_schema WHERE name = 'vessels'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let mut f = std::fs::OpenOptions::new().write(true).open(&file).unwrap();
    f.seek(SeekFrom::Start((root as u64 - 1) * 4096)).unwrap();
    f.write_all(&[0xA5; 4096 * 4]).unwrap();
    drop(f);
    let err = SqliteStore::open(dir.path()).unwrap_err();
    assert!(matches!(err, StoreError::Damaged { .. }), "{err:?}");
    let msg = err.to_string();
    assert!(msg.contains(&file.display().to_string()), "{msg}");
    assert!(msg.contains("backup"), "{msg}");
}

#[test]
fn a_file_that_is_not_a_database_is_refused_as_damaged() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(DEFAULT_FILE_NAME), vec![0x42; 8192]).unwrap();
    let err = SqliteStore::open(dir.path()).unwrap_err();
    assert!(matches!(err, StoreError::Damaged { .. }), "{err:?}");
}

#[test]
fn a_store_from_a_newer_build_is_refused_with_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    drop(SqliteStore::open(dir.path()).unwrap());
    let conn = rusqlite::Connection::open(dir.path().join(DEFAULT_FILE_NAME)).unwrap();
    conn.pragma_update(None, "user_version", 99).unwrap();
    drop(conn);
    let err = SqliteStore::open(dir.path()).unwrap_err();
    assert!(
        matches!(err, StoreError::SchemaTooNew { found: 99, .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("backup"), "{err}");
}

#[test]
fn an_online_backup_taken_while_writing_is_a_consistent_copy() {
    let dir = tempfile::tempdir().unwrap();
    let writer = filled(dir.path(), 10);
    let reader = SqliteStore::open_reader(dir.path()).unwrap();
    let writing = std::thread::spawn(move || {
        let mut w = writer;
        for b in 10..40 {
            let mut batch = Batch::new();
            for i in 0..500 {
                let t = (b * 500 + i) * 1000;
                batch.positions.push(position(1 + (i % 50) as u32, t));
                batch.raw.push(raw(t, i as usize));
            }
            w.write_batch(&batch).unwrap();
        }
    });
    let out = tempfile::tempdir().unwrap();
    let copy = reader.backup_to(&out.path().join("b")).unwrap();
    writing.join().unwrap();
    assert_eq!(copy, out.path().join("b").join(DEFAULT_FILE_NAME));
    let b = SqliteStore::open(out.path().join("b")).unwrap();
    let c = b.counts().unwrap();
    // Whole batches only, at least those committed before the backup began.
    assert!(c.raw >= 5_000 && c.raw % 500 == 0, "{c:?}");
    assert_eq!(c.raw, c.positions.max(c.raw), "{c:?}");
    assert!(b.integrity_check().unwrap().is_empty());
    // A second backup into the same directory is refused.
    let again = reader.backup_to(&out.path().join("b")).unwrap_err();
    assert!(
        matches!(again, StoreError::BackupExists { .. }),
        "{again:?}"
    );
}

#[test]
fn a_passive_checkpoint_moves_committed_data_into_the_main_file() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = filled(dir.path(), 4);
    s.checkpoint_passive().unwrap();
    // Only the main file, as after losing the WAL: the data is there.
    let copy = tempfile::tempdir().unwrap();
    std::fs::copy(
        dir.path().join(DEFAULT_FILE_NAME),
        copy.path().join(DEFAULT_FILE_NAME),
    )
    .unwrap();
    let c = SqliteStore::open(copy.path()).unwrap().counts().unwrap();
    assert_eq!(c.raw, 2_000);
    drop(s);
}

#[test]
fn a_size_cap_makes_writes_fail_as_on_a_full_disk() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = SqliteStore::open(dir.path()).unwrap();
    s.set_max_size_mib(1).unwrap();
    let mut failed = None;
    let mut noise = 0x9E37_79B9_7F4A_7C15u64;
    for b in 0..100 {
        let mut batch = Batch::new();
        for i in 0..500 {
            // Lines that do not compress, as the journal is stored compressed.
            let mut line = raw((b * 500 + i) * 1000, i as usize);
            for _ in 0..8 {
                noise ^= noise << 13;
                noise ^= noise >> 7;
                noise ^= noise << 17;
                line.line.push_str(&format!("{noise:016x}"));
            }
            batch.raw.push(line);
        }
        if let Err(e) = s.write_batch(&batch) {
            failed = Some(e);
            break;
        }
    }
    let e = failed.expect("a 1 MiB store fills up");
    assert!(e.is_transient(), "disk full is transient: {e:?}");
    assert!(e.to_string().contains("full"), "{e}");
    // Lifting the cap lets writes through again.
    s.set_max_size_mib(0).unwrap();
    s.write_batch(&Batch {
        raw: vec![raw(1, 1)],
        ..Batch::new()
    })
    .unwrap();
}

#[test]
fn a_reader_on_a_store_not_yet_migrated_says_so_rather_than_too_new() {
    let dir = tempfile::tempdir().unwrap();
    let conn = rusqlite::Connection::open(dir.path().join(DEFAULT_FILE_NAME)).unwrap();
    conn.execute_batch("CREATE TABLE t (x)").unwrap();
    drop(conn);
    let err = SqliteStore::open_reader(dir.path()).unwrap_err();
    assert!(
        matches!(err, StoreError::SchemaTooOld { found: 0, .. }),
        "{err:?}"
    );
}
