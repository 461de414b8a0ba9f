//! `varde audit verify` and `varde audit export` on a real store: an intact log passes, a log
//! with one row changed fails naming that entry, and the export is the log as JSON Lines.

use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};
use varde_store::sqlite::audit::entry_hash;
use varde_store::sqlite::DEFAULT_FILE_NAME;
use varde_store::{Batch, ReleaseRecord, SqliteStore, Store};

/// 2024-12-09T22:07:17Z.
const T0: i64 = 1_733_782_037_000;

fn release(i: usize) -> ReleaseRecord {
    ReleaseRecord {
        time_ms: T0 + i as i64 * 60_000,
        partner: ["NOR", "SWE"][i % 2].into(),
        feed: "cot".into(),
        item_id: format!("{}", 257_000_000 + i),
        label: "NATO UNCLASSIFIED REL NOR,SWE".into(),
    }
}

/// A store with 20 releases, written in batches of 3 as the service's writer would.
fn store(dir: &Path) {
    let mut s = SqliteStore::open(dir).unwrap();
    for chunk in (0..20).collect::<Vec<_>>().chunks(3) {
        s.write_batch(&Batch {
            releases: chunk.iter().map(|&i| release(i)).collect(),
            ..Batch::default()
        })
        .unwrap();
    }
}

fn varde(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_varde"))
        .args(args)
        .output()
        .unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn verify_passes_an_intact_log_and_names_a_tampered_entry() {
    let dir = tempfile::tempdir().unwrap();
    store(dir.path());
    let data = dir.path().to_str().unwrap();

    let ok = varde(&["audit", "verify", "--data-dir", data]);
    assert!(ok.status.success(), "{}", text(&ok.stderr));
    let out = text(&ok.stdout);
    assert!(
        out.starts_with("audit log intact: 20 entries, head entry 20 hash "),
        "{out}"
    );
    assert_eq!(
        out.trim_end().rsplit(' ').next().unwrap().len(),
        64,
        "{out}"
    );

    // Someone edits who entry 12 went to.
    let conn = rusqlite::Connection::open(dir.path().join(DEFAULT_FILE_NAME)).unwrap();
    conn.execute("UPDATE audit SET partner = 'EU' WHERE seq = 12", [])
        .unwrap();
    drop(conn);

    let bad = varde(&["audit", "verify", "--data-dir", data]);
    assert_eq!(bad.status.code(), Some(3), "{}", text(&bad.stderr));
    let err = text(&bad.stderr);
    assert!(
        err.contains("audit entry 12 (partner EU, feed cot, item 257000011): hash does not match its contents"),
        "{err}"
    );
    assert!(bad.stdout.is_empty());
}

#[test]
fn verify_finds_entries_cut_from_the_end() {
    let dir = tempfile::tempdir().unwrap();
    store(dir.path());
    let conn = rusqlite::Connection::open(dir.path().join(DEFAULT_FILE_NAME)).unwrap();
    conn.execute("DELETE FROM audit WHERE seq > 17", [])
        .unwrap();
    drop(conn);
    let bad = varde(&[
        "audit",
        "verify",
        "--data-dir",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(bad.status.code(), Some(3));
    let err = text(&bad.stderr);
    assert!(err.contains("audit entry 18: missing"), "{err}");
}

#[test]
fn export_writes_json_lines_filtered_by_partner_and_time() {
    let dir = tempfile::tempdir().unwrap();
    store(dir.path());
    let data = dir.path().to_str().unwrap();

    let all = varde(&["audit", "export", "--data-dir", data]);
    assert!(all.status.success(), "{}", text(&all.stderr));
    let lines: Vec<Value> = text(&all.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 20);
    let third = &lines[2];
    assert_eq!(third["seq"], 3);
    assert_eq!(third["time"], "2024-12-09T22:09:17Z");
    assert_eq!(third["time_ms"], T0 + 120_000);
    assert_eq!(third["partner"], "NOR");
    assert_eq!(third["feed"], "cot");
    assert_eq!(third["item_id"], "257000002");
    assert_eq!(third["label"], "NATO UNCLASSIFIED REL NOR,SWE");
    // Each entry links to the one before by hash, in hex.
    assert_eq!(lines[0]["prev_hash"], "0".repeat(64));
    for pair in lines.windows(2) {
        let h = pair[0]["hash"].as_str().unwrap();
        assert_eq!(h.len(), 64);
        assert!(h.bytes().all(|b| b.is_ascii_hexdigit()));
        assert_eq!(pair[1]["prev_hash"], pair[0]["hash"]);
    }

    // Releases to Sweden from 22:10:17 (entry 4) until 22:17:17 (entry 11, excluded), into a file.
    let file = dir.path().join("swe.jsonl");
    let some = varde(&[
        "audit",
        "export",
        "--data-dir",
        data,
        "--partner",
        "SWE",
        "--since",
        "2024-12-09T22:10:17Z",
        "--until",
        "2024-12-09T23:17:17+01:00",
        "--out",
        file.to_str().unwrap(),
    ]);
    assert!(some.status.success(), "{}", text(&some.stderr));
    assert!(some.stdout.is_empty());
    assert!(
        text(&some.stderr).contains("exported 4 audit entries"),
        "{}",
        text(&some.stderr)
    );
    let got: Vec<u64> = std::fs::read_to_string(&file)
        .unwrap()
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["seq"]
                .as_u64()
                .unwrap()
        })
        .collect();
    assert_eq!(got, [4, 6, 8, 10]);
    assert!(!dir.path().join("swe.jsonl.partial").exists());
    assert_eq!(
        text(&std::fs::read(&file).unwrap()).lines().next().unwrap(),
        text(&all.stdout).lines().nth(3).unwrap()
    );
}

#[test]
fn bad_arguments_are_refused_plainly() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let none = varde(&["audit", "verify", "--data-dir", data]);
    assert_eq!(none.status.code(), Some(1));
    assert!(
        text(&none.stderr).contains("no store at"),
        "{}",
        text(&none.stderr)
    );

    store(dir.path());
    let missing = dir.path().join("no/such/dir/out.jsonl");
    let no_dir = varde(&[
        "audit",
        "export",
        "--data-dir",
        data,
        "--out",
        missing.to_str().unwrap(),
    ]);
    assert_eq!(no_dir.status.code(), Some(1));
    assert!(
        text(&no_dir.stderr).contains("cannot create"),
        "{}",
        text(&no_dir.stderr)
    );

    let bad_time = varde(&[
        "audit",
        "export",
        "--data-dir",
        data,
        "--since",
        "yesterday",
    ]);
    assert_eq!(bad_time.status.code(), Some(1));
    assert!(
        text(&bad_time.stderr).contains("cannot read time \"yesterday\""),
        "{}",
        text(&bad_time.stderr)
    );
}

#[test]
fn verify_checks_the_log_still_extends_a_kept_head() {
    let dir = tempfile::tempdir().unwrap();
    store(dir.path());
    let data = dir.path().to_str().unwrap();
    let first = text(&varde(&["audit", "verify", "--data-dir", data]).stdout);
    let hash = first.trim_end().rsplit(' ').next().unwrap().to_owned();
    let kept = format!("20:{hash}");

    // More releases later: the log still extends the kept head.
    {
        let mut s = SqliteStore::open(dir.path()).unwrap();
        s.write_batch(&Batch {
            releases: vec![release(20), release(21)],
            ..Batch::default()
        })
        .unwrap();
    }
    let ok = varde(&["audit", "verify", "--data-dir", data, "--head", &kept]);
    assert!(ok.status.success(), "{}", text(&ok.stderr));
    let out = text(&ok.stdout);
    assert!(out.starts_with("audit log intact: 22 entries"), "{out}");
    assert!(out.trim_end().ends_with("; extends head entry 20"), "{out}");

    // Someone rewrites entry 5 and rebuilds the whole chain after it, head included: the chain
    // alone is intact again, the kept head shows the rewrite.
    let conn = rusqlite::Connection::open(dir.path().join(DEFAULT_FILE_NAME)).unwrap();
    conn.execute("UPDATE audit SET item_id = '999' WHERE seq = 5", [])
        .unwrap();
    let mut prev: Vec<u8> = conn
        .query_row("SELECT hash FROM audit WHERE seq = 4", [], |r| r.get(0))
        .unwrap();
    for seq in 5..=22i64 {
        let r: ReleaseRecord = conn
            .query_row(
                "SELECT time_ms, partner, feed, item_id, label FROM audit WHERE seq = ?1",
                [seq],
                |r| {
                    Ok(ReleaseRecord {
                        time_ms: r.get(0)?,
                        partner: r.get(1)?,
                        feed: r.get(2)?,
                        item_id: r.get(3)?,
                        label: r.get(4)?,
                    })
                },
            )
            .unwrap();
        let h = entry_hash(&prev.clone().try_into().unwrap(), seq, &r);
        conn.execute(
            "UPDATE audit SET prev_hash = ?1, hash = ?2 WHERE seq = ?3",
            rusqlite::params![prev, &h[..], seq],
        )
        .unwrap();
        prev = h.to_vec();
    }
    conn.execute("UPDATE audit_head SET hash = ?1", [&prev])
        .unwrap();
    drop(conn);
    assert!(varde(&["audit", "verify", "--data-dir", data])
        .status
        .success());
    let bad = varde(&["audit", "verify", "--data-dir", data, "--head", &kept]);
    assert_eq!(bad.status.code(), Some(3));
    let err = text(&bad.stderr);
    assert!(
        err.contains("audit entry 20 (partner SWE, feed cot, item 257000019): hash ")
            && err.contains(&format!("differs from the kept head {hash}")),
        "{err}"
    );

    // A kept head past the end of the log.
    let gone = varde(&[
        "audit",
        "verify",
        "--data-dir",
        data,
        "--head",
        &format!("30:{hash}"),
    ]);
    assert_eq!(gone.status.code(), Some(3));
    assert!(text(&gone.stderr).contains("audit entry 30: missing"));
    // A malformed one is a usage error.
    let usage = varde(&["audit", "verify", "--data-dir", data, "--head", "20:abc"]);
    assert_eq!(usage.status.code(), Some(2));
    assert!(text(&usage.stderr).contains("is not SEQ:HASH"));
}
