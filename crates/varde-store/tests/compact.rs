//! Schema v3's compact storage, through the `Store` API: the journal across block boundaries,
//! tracks across sealed chunks and the tail, a v2 store migrated, and retention giving pages back.

mod common;

use common::{position, raw};
use varde_store::sqlite::{DEFAULT_FILE_NAME, SCHEMA_VERSION};
use varde_store::{Batch, SqliteStore, Store};

/// Schema v1 + v2 as released (the tables a v2 store holds).
const V2_SCHEMA: &str = "
CREATE TABLE raw (seq INTEGER PRIMARY KEY, time_ms INTEGER NOT NULL, source TEXT NOT NULL,
    line TEXT NOT NULL);
CREATE INDEX raw_time ON raw (time_ms, seq);
CREATE TABLE positions (mmsi INTEGER NOT NULL, time_ms INTEGER NOT NULL, lat REAL NOT NULL,
    lon REAL NOT NULL, sog_kn REAL, cog_deg REAL, heading_deg REAL, nav_status INTEGER, source TEXT,
    PRIMARY KEY (mmsi, time_ms)) WITHOUT ROWID;
CREATE INDEX positions_time ON positions (time_ms);
CREATE TABLE vessels (mmsi INTEGER PRIMARY KEY, name TEXT, callsign TEXT, imo INTEGER,
    ship_type INTEGER, flag TEXT, length_m REAL, beam_m REAL, draught_m REAL, destination TEXT,
    lat REAL, lon REAL, sog_kn REAL, cog_deg REAL, heading_deg REAL, nav_status INTEGER,
    last_seen_ms INTEGER NOT NULL);
CREATE INDEX vessels_pos ON vessels (lat, lon);
CREATE INDEX vessels_seen ON vessels (last_seen_ms);
CREATE TABLE alerts (id TEXT PRIMARY KEY, kind TEXT NOT NULL, mmsi INTEGER NOT NULL,
    start_ms INTEGER NOT NULL, end_ms INTEGER, open INTEGER NOT NULL, zone TEXT, asset TEXT,
    lat REAL NOT NULL, lon REAL NOT NULL, json TEXT NOT NULL, revision INTEGER NOT NULL);
CREATE INDEX alerts_start ON alerts (start_ms);
CREATE INDEX alerts_kind ON alerts (kind, start_ms);
CREATE INDEX alerts_mmsi ON alerts (mmsi, start_ms);
CREATE INDEX alerts_open ON alerts (start_ms) WHERE open = 1;
CREATE INDEX alerts_end ON alerts (end_ms) WHERE open = 0;
CREATE TABLE alert_revisions (id TEXT NOT NULL, revision INTEGER NOT NULL, kind TEXT NOT NULL,
    mmsi INTEGER NOT NULL, start_ms INTEGER NOT NULL, end_ms INTEGER, open INTEGER NOT NULL,
    zone TEXT, asset TEXT, lat REAL NOT NULL, lon REAL NOT NULL, json TEXT NOT NULL,
    UNIQUE (id, revision));
CREATE TABLE sources (name TEXT PRIMARY KEY, kind TEXT NOT NULL, state TEXT NOT NULL,
    reports INTEGER NOT NULL, rejects INTEGER NOT NULL, last_report_ms INTEGER);
CREATE TABLE snapshots (seq INTEGER PRIMARY KEY, created_ms INTEGER NOT NULL, state BLOB NOT NULL);
PRAGMA user_version = 2;
";

#[test]
fn the_journal_reads_in_arrival_order_across_sealed_and_plain_blocks() {
    let mut s = SqliteStore::open_in_memory().unwrap();
    // 25,000 lines in batches of 700: three sealed blocks and plain ones after; times go back
    // now and then (late lines).
    let mut n = 0usize;
    while n < 25_000 {
        let mut b = Batch::new();
        for _ in 0..700 {
            let t = if n % 97 == 0 { 5 } else { n as i64 * 10 };
            b.raw.push(raw(t, n));
            n += 1;
        }
        s.write_batch(&b).unwrap();
    }
    assert_eq!(s.counts().unwrap().raw, 25_200);
    assert_eq!(s.journal_end().unwrap(), Some((25_200, 25_199 * 10)));
    let mut after = 0;
    let mut seen = 0usize;
    // Pages that end inside blocks.
    loop {
        let page = s.journal_after(after, 3_333).unwrap();
        let Some(last) = page.last() else { break };
        for (i, j) in page.iter().enumerate() {
            assert_eq!(j.seq, after + 1 + i as i64);
            assert_eq!(
                j.record,
                raw(if seen % 97 == 0 { 5 } else { seen as i64 * 10 }, seen)
            );
            seen += 1;
        }
        after = last.seq;
    }
    assert_eq!(seen, 25_200);
    // The first line at or after a time, in arrival order.
    assert_eq!(s.journal_seq_before_time(200_000).unwrap(), 20_000);
    assert_eq!(s.journal_seq_before_time(6).unwrap(), 1);
    let since = s.raw_since(251_990, 10).unwrap();
    assert_eq!(since, vec![raw(251_990, 25_199)]);
}

#[test]
fn tracks_read_across_sealed_chunks_and_the_tail() {
    let mut s = SqliteStore::open_in_memory().unwrap();
    // 3 vessels × 80,000 points: two seals of the tail, the rest in it.
    for b in 0..80i64 {
        let mut batch = Batch::new();
        for i in 0..1_000 {
            let t = (b * 1_000 + i) * 10_000;
            for m in 1..=3 {
                batch.positions.push(position(m, t));
            }
        }
        s.write_batch(&batch).unwrap();
    }
    assert_eq!(s.counts().unwrap().positions, 240_000);
    let day = s.track(2, 0, 86_400_000, usize::MAX).unwrap();
    assert_eq!(day.len(), 8_641);
    assert!(day.iter().all(|p| p.mmsi == 2));
    assert_eq!(day[100], position(2, 1_000_000));
    let recent = s.track(3, 0, i64::MAX, 5).unwrap();
    let times: Vec<i64> = recent.iter().map(|p| p.time_ms).collect();
    assert_eq!(
        times,
        (79_995..80_000).map(|i| i * 10_000).collect::<Vec<_>>()
    );
    assert_eq!(recent[4], position(3, 799_990_000));
    // A point already sealed, written again: still one.
    let mut again = position(1, 1_000_000);
    again.source = Some("other".into());
    s.write_batch(&Batch {
        positions: vec![again],
        ..Batch::new()
    })
    .unwrap();
    assert_eq!(
        s.track(1, 1_000_000, 1_000_000, 10).unwrap(),
        vec![position(1, 1_000_000)]
    );
    assert_eq!(s.counts().unwrap().positions, 240_000);
}

#[test]
fn a_v2_store_is_migrated_and_reads_as_before() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(DEFAULT_FILE_NAME);
    {
        let mut conn = rusqlite::Connection::open(&file).unwrap();
        conn.execute_batch(V2_SCHEMA).unwrap();
        let conn = conn.transaction().unwrap();
        for i in 1..=10_000i64 {
            let r = raw(i * 1_000, i as usize);
            conn.execute(
                "INSERT INTO raw (seq, time_ms, source, line) VALUES (?1, ?2, ?3, ?4)",
                rusqlite::params![i, r.time_ms, r.source, r.line],
            )
            .unwrap();
            let p = position((i % 3) as u32, i * 1_000);
            conn.execute(
                "INSERT INTO positions VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                rusqlite::params![
                    p.mmsi,
                    p.time_ms,
                    p.lat,
                    p.lon,
                    p.sog_kn,
                    p.cog_deg,
                    p.heading_deg,
                    p.nav_status,
                    p.source
                ],
            )
            .unwrap();
        }
        conn.commit().unwrap();
    }
    let s = SqliteStore::open(dir.path()).unwrap();
    assert_eq!(s.schema_version().unwrap(), SCHEMA_VERSION);
    let c = s.counts().unwrap();
    assert_eq!((c.raw, c.positions), (10_000, 10_000));
    let page = s.journal_after(8_190, 5).unwrap();
    let seqs: Vec<i64> = page.iter().map(|j| j.seq).collect();
    assert_eq!(seqs, [8_191, 8_192, 8_193, 8_194, 8_195]);
    assert_eq!(page[2].record, raw(8_193_000, 8_193));
    assert_eq!(s.journal_end().unwrap(), Some((10_000, 10_000_000)));
    let track = s.track(1, 0, i64::MAX, usize::MAX).unwrap();
    assert_eq!(track.len(), 3_334);
    assert_eq!(track[0], position(1, 1_000));
    assert_eq!(track[3_333], position(1, 10_000_000));
    // New lines continue the old sequence.
    drop(s);
    let mut s = SqliteStore::open(dir.path()).unwrap();
    s.write_batch(&Batch {
        raw: vec![raw(10_001_000, 1)],
        ..Batch::new()
    })
    .unwrap();
    assert_eq!(s.journal_end().unwrap(), Some((10_001, 10_001_000)));
}

#[test]
fn retention_gives_pages_back_to_the_file_system() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = SqliteStore::open(dir.path()).unwrap();
    let mut noise = 0x2545_F491_4F6C_DD1Du64;
    for b in 0..40i64 {
        let mut batch = Batch::new();
        for i in 0..2_000i64 {
            let t = (b * 2_000 + i) * 1_000;
            let mut line = raw(t, i as usize);
            for _ in 0..4 {
                noise ^= noise << 13;
                noise ^= noise >> 7;
                noise ^= noise << 17;
                line.line.push_str(&format!("{noise:016x}"));
            }
            batch.raw.push(line);
            batch.positions.push(position((i % 100) as u32, t));
        }
        s.write_batch(&batch).unwrap();
    }
    s.checkpoint().unwrap();
    let file = dir.path().join(DEFAULT_FILE_NAME);
    let full = std::fs::metadata(&file).unwrap().len();
    let pruned = s.prune(76_000_000).unwrap();
    assert_eq!((pruned.raw, pruned.positions), (76_000, 76_000));
    s.checkpoint().unwrap();
    let after = std::fs::metadata(&file).unwrap().len();
    assert!(
        after * 4 < full,
        "95 % of the rows pruned, but the file went from {full} to only {after} bytes"
    );
    let c = s.counts().unwrap();
    assert_eq!((c.raw, c.positions), (4_000, 4_000));
}
