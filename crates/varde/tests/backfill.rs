//! `varde backfill` through the real binary: a store filled by `varde serve` from a recording under
//! the live rules (one vessel watch-listed), then new rules (another vessel watch-listed) run over
//! the stored journal. The backfill raises the alert the live run did not, its alerts file is byte
//! for byte what `varde replay` writes for the same recording and rules, and the store's live
//! alerts are unchanged. From PostgreSQL (after `history copy`) the backfill writes the same file
//! (needs `VARDE_TEST_PG`; skipped without it, except under `CI=true`).

mod serve_harness;

use serve_harness::{fill_store, position_line};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use varde_store::{AlertFilter, AlertRecord, SqliteStore, Store};

const T0: i64 = 1_764_000_000;
const LIVE_WATCHED: u32 = 273_999_999;
const NEW_WATCHED: u32 = 257_000_007;

struct Filled {
    dir: tempfile::TempDir,
    rec: PathBuf,
    data: PathBuf,
    rules: PathBuf,
}

fn fill() -> Filled {
    let dir = tempfile::tempdir().unwrap();
    let rec = dir.path().join("rec.nmea");
    {
        let mut f = std::io::BufWriter::new(std::fs::File::create(&rec).unwrap());
        for i in 0..40i64 {
            for v in 0..10u32 {
                let mmsi = if v == 0 {
                    LIVE_WATCHED
                } else {
                    257_000_000 + v
                };
                let lat = 60.0 + f64::from(v) * 0.01 + i as f64 * 0.0005;
                writeln!(f, "{}", position_line(mmsi, T0 + i * 10, lat, 4.0)).unwrap();
            }
        }
    }
    let watchlist = dir.path().join("watch.txt");
    std::fs::write(&watchlist, format!("{LIVE_WATCHED}\n")).unwrap();
    let rules = dir.path().join("new-rules.toml");
    std::fs::write(
        &rules,
        format!("[watch.watchlist]\nmmsi = [{NEW_WATCHED}]\n"),
    )
    .unwrap();
    let data = dir.path().join("data");
    fill_store(dir.path(), &rec, &data, &watchlist, 400);
    Filled {
        dir,
        rec,
        data,
        rules,
    }
}

fn varde(args: &[&str]) -> Output {
    let o = Command::new(env!("CARGO_BIN_EXE_varde"))
        .args(args)
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "{args:?}: {}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    o
}

/// Every alert of the store with all its revisions.
fn live_alerts(data: &Path) -> Vec<(AlertRecord, Vec<AlertRecord>)> {
    let store = SqliteStore::open_reader(data).unwrap();
    store
        .alerts(&AlertFilter::default())
        .unwrap()
        .into_iter()
        .map(|a| {
            let revs = store.alert_revisions(&a.id).unwrap();
            (a, revs)
        })
        .collect()
}

fn alerts_of(path: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// `varde replay` of the recording under the new rules.
fn replayed(f: &Filled) -> Vec<u8> {
    let out = f.dir.path().join("replay.jsonl");
    varde(&[
        "replay",
        f.rec.to_str().unwrap(),
        "--config",
        f.rules.to_str().unwrap(),
        "--alerts",
        out.to_str().unwrap(),
        "--quiet",
    ]);
    std::fs::read(out).unwrap()
}

#[test]
fn new_rules_over_the_stored_journal_raise_what_replay_raises_and_leave_live_alerts_alone() {
    let f = fill();
    let data = f.data.to_str().unwrap();
    let before = live_alerts(&f.data);
    assert!(
        before
            .iter()
            .any(|(a, _)| a.mmsi == LIVE_WATCHED && a.kind == "watchlist"),
        "{before:?}"
    );
    assert!(!before.iter().any(|(a, _)| a.mmsi == NEW_WATCHED));

    let out = f.dir.path().join("backfill.jsonl");
    let o = varde(&[
        "backfill",
        "--data-dir",
        data,
        "--since",
        "2025-11-24T00:00:00Z",
        "--config",
        f.rules.to_str().unwrap(),
        "--alerts-out",
        out.to_str().unwrap(),
    ]);
    let said = String::from_utf8_lossy(&o.stdout);
    assert!(said.contains("backfill: 400 journal lines"), "{said}");

    let got = alerts_of(&out);
    let new: Vec<_> = got
        .iter()
        .filter(|a| a["kind"] == "watchlist" && a["mmsi"] == NEW_WATCHED)
        .collect();
    assert_eq!(new.len(), 1, "{got:?}");
    assert!(
        !got.iter()
            .any(|a| a["mmsi"] == LIVE_WATCHED && a["kind"] == "watchlist"),
        "the live rule is not among the new ones"
    );
    assert!(
        said.contains(&format!("alerts: {} written", got.len())),
        "{said}"
    );
    assert_eq!(
        std::fs::read(&out).unwrap(),
        replayed(&f),
        "the backfill's alerts are replay's, byte for byte"
    );
    assert_eq!(live_alerts(&f.data), before, "live alerts untouched");

    // A window after the recording: nothing to run over, an empty set.
    let late = f.dir.path().join("late.jsonl");
    let o = varde(&[
        "backfill",
        "--data-dir",
        data,
        "--since",
        "2025-11-25T00:00:00Z",
        "--config",
        f.rules.to_str().unwrap(),
        "--alerts-out",
        late.to_str().unwrap(),
    ]);
    assert!(String::from_utf8_lossy(&o.stdout).contains("backfill: 0 journal lines"));
    assert!(std::fs::read(&late).unwrap().is_empty());
}

#[test]
fn backfill_from_postgres_writes_the_same_alerts() {
    let Some(url) = varde_testdata::pg_server("backfill") else {
        return;
    };
    let f = fill();
    let data = f.data.to_str().unwrap();
    let schema = format!("backfill_{}", std::process::id());
    varde(&[
        "history",
        "copy",
        "--data-dir",
        data,
        "--to",
        &url,
        "--schema",
        &schema,
    ]);
    let out = f.dir.path().join("pg.jsonl");
    varde(&[
        "backfill",
        "--from",
        &url,
        "--schema",
        &schema,
        "--since",
        "2025-11-24T00:00:00Z",
        "--config",
        f.rules.to_str().unwrap(),
        "--alerts-out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(std::fs::read(&out).unwrap(), replayed(&f));
}
