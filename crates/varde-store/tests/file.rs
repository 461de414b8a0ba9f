//! The on-disk store: paths, reopening, readers, schema versions.

mod common;

use common::*;
use varde_store::sqlite::{DEFAULT_FILE_NAME, SCHEMA_VERSION};
use varde_store::{Batch, SqliteOptions, SqliteStore, Store, StoreError, Synchronous};

fn one_of_each() -> Batch {
    Batch {
        raw: vec![raw(1_000, 0)],
        positions: vec![position(1, 1_000)],
        vessels: vec![full_vessel(1, 1_000)],
        alerts: vec![alert("x", 1, 1_000, None)],
        sources: vec![source("s", 5)],
        ..Batch::default()
    }
}

#[test]
fn directory_gets_default_file_and_data_survives_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let nested = dir.path().join("a/b/");
    {
        let mut s = SqliteStore::open(&nested).unwrap();
        assert_eq!(s.path(), Some(nested.join(DEFAULT_FILE_NAME).as_path()));
        s.write_batch(&one_of_each()).unwrap();
    } // dropped without checkpoint: the data is in the WAL
    let s = SqliteStore::open(&nested).unwrap();
    assert_eq!(s.vessel(1).unwrap(), Some(full_vessel(1, 1_000)));
    assert_eq!(s.alert("x").unwrap(), Some(alert("x", 1, 1_000, None)));
    assert_eq!(s.track(1, 0, 2_000, 10).unwrap(), vec![position(1, 1_000)]);
    assert_eq!(s.raw_since(0, 10).unwrap(), vec![raw(1_000, 0)]);
    assert_eq!(s.sources().unwrap(), vec![source("s", 5)]);
    assert_eq!(s.schema_version().unwrap(), SCHEMA_VERSION);
    assert!(s.integrity_check().unwrap().is_empty());
}

#[test]
fn full_sync_and_checkpoint() {
    let dir = tempfile::tempdir().unwrap();
    let opts = SqliteOptions {
        synchronous: Synchronous::Full,
        ..SqliteOptions::default()
    };
    let mut s = SqliteStore::open_with(dir.path().join("f.db"), &opts).unwrap();
    s.write_batch(&one_of_each()).unwrap();
    s.checkpoint().unwrap();
    assert_eq!(s.counts().unwrap().positions, 1);
}

#[test]
fn reader_sees_committed_batches_and_cannot_write() {
    let dir = tempfile::tempdir().unwrap();
    let mut w = SqliteStore::open(dir.path()).unwrap();
    let mut r = SqliteStore::open_reader(dir.path()).unwrap();
    assert_eq!(r.counts().unwrap().vessels, 0);
    w.write_batch(&one_of_each()).unwrap();
    assert_eq!(r.vessel(1).unwrap(), Some(full_vessel(1, 1_000)));
    let err = r.write_batch(&one_of_each()).unwrap_err();
    assert!(matches!(err, StoreError::ReadOnly));
    assert!(matches!(r.prune(0), Err(StoreError::ReadOnly)));
}

#[test]
fn refuses_newer_schema() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v.db");
    drop(SqliteStore::open(&path).unwrap());
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
        .unwrap();
    drop(conn);
    match SqliteStore::open(&path) {
        Err(StoreError::SchemaTooNew { found, supported }) => {
            assert_eq!((found, supported), (SCHEMA_VERSION + 1, SCHEMA_VERSION));
        }
        other => panic!("expected SchemaTooNew, got {other:?}"),
    }
}

#[test]
fn reopening_does_not_rerun_migrations() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = SqliteStore::open(dir.path()).unwrap();
    s.write_batch(&one_of_each()).unwrap();
    drop(s);
    // A second migration run would fail on CREATE TABLE or lose data.
    let s = SqliteStore::open(dir.path()).unwrap();
    assert_eq!(s.counts().unwrap().raw, 1);
}

#[test]
fn open_fails_on_unusable_path() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("plain-file");
    std::fs::write(&file, "not a database\n".repeat(512)).unwrap();
    // A regular file where a directory is needed.
    let err = SqliteStore::open(file.join("sub/db.sqlite3")).unwrap_err();
    assert!(matches!(err, StoreError::Io { .. }), "{err}");
    // A file that is not a database: refused as damaged.
    let err = SqliteStore::open(&file).unwrap_err();
    assert!(matches!(err, StoreError::Damaged { .. }), "{err}");
    assert!(!err.is_transient());
}
