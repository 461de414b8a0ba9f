//! Durability across processes: a child process writes batches in a loop and
//! is killed with SIGKILL mid-stream; the parent reopens the database and
//! checks that every batch the child reported committed is fully present and
//! that no batch is half present. Repeated over several kill/reopen rounds.
//!
//! The child is this same test binary, re-executed with [`CHILD_ENV`] set and
//! filtered to [`crash_child`], which is a no-op in an ordinary run.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

use varde_store::{
    AlertFilter, AlertRecord, Batch, PositionRecord, RawRecord, SourceStats, SqliteStore, Store,
    VesselFilter, VesselRecord,
};

/// Set to the database path in the child process.
const CHILD_ENV: &str = "VARDE_STORE_CRASH_CHILD";
/// Rows of each kind per batch: large enough that a kill often lands inside a
/// transaction.
const ROWS: u32 = 400;

/// Batch `k`: every row carries `k`, so the parent can tell batches apart.
fn batch(k: i64) -> Batch {
    let mut b = Batch::new();
    for m in 1..=ROWS {
        b.raw.push(RawRecord {
            time_ms: k,
            source: "child".into(),
            line: format!("!AIVDM,1,1,,A,batch{k}row{m},0*00"),
        });
        b.positions.push(PositionRecord {
            mmsi: m,
            time_ms: k,
            lat: 60.0,
            lon: 5.0,
            ..PositionRecord::default()
        });
        b.vessels.push(VesselRecord {
            mmsi: m,
            last_seen_ms: k,
            ..VesselRecord::default()
        });
    }
    let rev = |id: String, revision: u32| AlertRecord {
        id,
        kind: "crash".into(),
        json: format!("{{\"batch\":{k}}}"),
        revision,
        ..AlertRecord::default()
    };
    b.alerts.push(rev("current".into(), k as u32));
    b.alerts.push(rev(format!("a{k}"), 1));
    b.sources.push(SourceStats {
        name: "child".into(),
        reports: k as u64,
        ..SourceStats::default()
    });
    b
}

/// The child: continue after the last stored batch, print after each commit.
#[test]
fn crash_child() {
    let Ok(path) = std::env::var(CHILD_ENV) else {
        return; // an ordinary run: nothing to do
    };
    let mut store = SqliteStore::open(&path).unwrap();
    let first = store
        .alert("current")
        .unwrap()
        .map_or(0, |a| a.revision + 1);
    let out = std::io::stdout();
    let deadline = Instant::now() + Duration::from_secs(60); // never outlive a lost parent
    for k in i64::from(first).. {
        store.write_batch(&batch(k)).unwrap();
        writeln!(out.lock(), "committed {k}").unwrap();
        out.lock().flush().unwrap();
        assert!(Instant::now() < deadline, "child ran too long");
    }
}

/// Checks the store against the last batch the child reported committed.
/// Returns the last batch present, or what is wrong.
fn verify(store: &SqliteStore, reported: Option<i64>) -> Result<Option<i64>, String> {
    let problems = store.integrity_check().map_err(|e| e.to_string())?;
    if !problems.is_empty() {
        return Err(format!("integrity_check: {problems:?}"));
    }
    let err = |e: varde_store::StoreError| e.to_string();
    let mut per_batch: BTreeMap<i64, [u32; 3]> = BTreeMap::new();
    for m in 1..=ROWS {
        for p in store
            .track(m, i64::MIN, i64::MAX, usize::MAX)
            .map_err(err)?
        {
            per_batch.entry(p.time_ms).or_default()[0] += 1;
        }
    }
    for r in store.raw_since(i64::MIN, usize::MAX).map_err(err)? {
        per_batch.entry(r.time_ms).or_default()[1] += 1;
    }
    let filter = AlertFilter {
        kind: Some("crash".into()),
        ..AlertFilter::default()
    };
    for a in store.alerts(&filter).map_err(err)? {
        if let Some(k) = a.id.strip_prefix('a') {
            per_batch.entry(k.parse().unwrap()).or_default()[2] += 1;
        }
    }
    let last = per_batch.keys().next_back().copied();
    for (i, (k, n)) in per_batch.iter().enumerate() {
        if *k != i as i64 || *n != [ROWS, ROWS, 1] {
            return Err(format!(
                "batch {k} (#{i}) is partial or out of sequence: {n:?}"
            ));
        }
    }
    if reported > last {
        return Err(format!(
            "reported {reported:?} committed, store ends at {last:?}"
        ));
    }
    if last > reported.map(|r| r + 1).or(Some(0)) {
        return Err(format!(
            "store has {last:?}, more than one past {reported:?}"
        ));
    }
    let Some(last) = last else { return Ok(None) };
    // The upserted rows must be those of the last batch.
    let vessels = store.vessels(&VesselFilter::default()).map_err(err)?;
    let stale = vessels.iter().filter(|v| v.last_seen_ms != last).count();
    let current = store.alert("current").map_err(err)?.map(|a| a.revision);
    let revisions = store.alert_revisions("current").map_err(err)?.len() as i64;
    let reports = store.sources().map_err(err)?.first().map(|s| s.reports);
    if vessels.len() != ROWS as usize || stale != 0 {
        return Err(format!(
            "{} vessels, {stale} not at batch {last}",
            vessels.len()
        ));
    }
    if current != Some(last as u32) || revisions != last + 1 || reports != Some(last as u64) {
        return Err(format!(
            "alert {current:?}/{revisions} or source {reports:?} != {last}"
        ));
    }
    Ok(Some(last))
}

/// Runs the child until it has reported `target` more commits, SIGKILLs it,
/// and returns the last batch it reported.
fn run_and_kill(path: &Path, target: usize) -> Option<i64> {
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(["crash_child", "--exact", "--nocapture", "--test-threads=1"])
        .env(CHILD_ENV, path)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut reported = None;
    let mut seen = 0;
    while seen < target {
        let line = lines
            .next()
            .expect("child stopped before it was killed")
            .unwrap();
        if let Some(k) = line.strip_prefix("committed ") {
            reported = Some(k.parse::<i64>().unwrap());
            seen += 1;
        }
    }
    // Jitter so the kill lands at different points of a transaction.
    let nanos = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    std::thread::sleep(Duration::from_micros(u64::from(nanos % 5_000)));
    child.kill().unwrap(); // SIGKILL on Unix
    child.wait().unwrap();
    // Lines already in the pipe were committed before the kill.
    for line in lines {
        if let Some(k) = line.unwrap().strip_prefix("committed ") {
            reported = Some(k.parse().unwrap());
        }
    }
    reported
}

#[test]
fn survives_sigkill_mid_stream() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crash.sqlite3");
    let mut reported = None;
    for round in 0..4 {
        let now = run_and_kill(&path, 15 + round * 7);
        assert!(now > reported, "round {round}: child made no progress");
        reported = now;
        let store = SqliteStore::open(&path).unwrap();
        match verify(&store, reported) {
            Ok(last) => eprintln!("round {round}: reported {reported:?}, stored {last:?}"),
            Err(e) => panic!("round {round}: {e}"),
        }
    }
}

#[test]
fn verify_detects_partial_and_missing_batches() {
    let mut s = SqliteStore::open_in_memory().unwrap();
    for k in 0..3 {
        s.write_batch(&batch(k)).unwrap();
    }
    assert_eq!(verify(&s, Some(2)), Ok(Some(2)));
    assert_eq!(
        verify(&s, Some(1)),
        Ok(Some(2)),
        "one unreported commit is fine"
    );
    assert!(verify(&s, Some(3)).is_err(), "a reported batch is missing");
    assert!(verify(&s, Some(0)).is_err(), "two unreported batches");
    // Half of a batch: its positions without the rest.
    let mut half = batch(3);
    half.raw.clear();
    half.alerts.clear();
    s.write_batch(&half).unwrap();
    assert!(verify(&s, Some(3)).is_err(), "batch 3 is half present");
}
