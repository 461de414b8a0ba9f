//! Restart brings back exactly the picture that was lost: a service stopped mid-feed (by SIGTERM, or
//! by SIGKILL after its last snapshot) and started again on the same store reaches the state of a run
//! that never stopped — same alerts, ids, revisions, open or closed — also when lines arrive out of
//! event-time order. And one line stamped years ahead does not wipe the picture.

mod serve_harness;

use serve_harness::{position_line, wait_until, Serve, TOKEN};
use std::path::{Path, PathBuf};
use std::process::Command;
use varde_store::{AlertFilter, SqliteStore, Store};

/// A simulated stretch of traffic with scripted incidents, with some single-sentence lines moved
/// later (they arrive out of event-time order, as merged feeds do).
fn traffic(dir: &Path) -> Vec<String> {
    let out = Command::new(env!("CARGO_BIN_EXE_varde"))
        .args([
            "sim",
            "--vessels",
            "80",
            "--hours",
            "3",
            "--scenario",
            "builtin:all",
        ])
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut lines: Vec<String> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect();
    let mut late = 0;
    let mut i = 0;
    while i + 30 < lines.len() {
        if lines[i].contains("VDM,1,1,") {
            let l = lines.remove(i);
            lines.insert(i + 25, l);
            late += 1;
        }
        i += 97;
    }
    assert!(late > 100, "{late} lines moved");
    lines
}

fn write_lines(path: &Path, lines: &[String]) {
    std::fs::write(path, lines.join("\n") + "\n").unwrap();
}

fn config(dir: &Path, data: &Path, feed: Option<&Path>) -> PathBuf {
    let mut c = format!(
        "[serve]\nlisten = \"127.0.0.1:0\"\ntoken = \"{TOKEN}\"\ndata_dir = \"{}\"\nsnapshot_every_s = 1\n",
        data.display()
    );
    if let Some(f) = feed {
        c += &format!(
            "\n[[serve.sources]]\nname = \"file\"\nkind = \"file\"\npath = \"{}\"\nspeed = 0\n",
            f.display()
        );
    }
    let p = dir.join(format!("config-{}.toml", rand_suffix()));
    std::fs::write(&p, c).unwrap();
    p
}

fn rand_suffix() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos()
}

/// Waits until the file source is done and everything it read is committed.
fn drain(s: &Serve) {
    wait_until("the file to be read", 300, || {
        s.get("/api/sources")
            .as_array()
            .is_some_and(|a| a.iter().all(|x| x["state"] == "done"))
    });
    // Every line the sources read has been through the engine (a quiet spell alone is no proof of
    // that on a loaded machine), the writer holds nothing pending and its commits have stopped.
    let read: u64 = s
        .get("/api/sources")
        .as_array()
        .map(|a| a.iter().filter_map(|x| x["lines"].as_u64()).sum())
        .unwrap_or(0);
    let mut last = u64::MAX;
    wait_until("the engine and the store to catch up", 120, || {
        let handled = s.metric("varde_lines_total").unwrap_or(0);
        let committed = s.metric("varde_reports_committed_total").unwrap_or(0);
        let backlog = s.metric("varde_store_backlog_items").unwrap_or(1);
        let settled = handled >= read && backlog == 0 && committed == last;
        last = committed;
        std::thread::sleep(std::time::Duration::from_millis(500));
        settled
    });
}

/// An alert as compared: id, revision, open, end, kind.
type AlertState = (String, u32, bool, Option<i64>, String);

/// Every alert's (id, revision, open, end, kind) and the vessels' count, read from the store.
fn state(data: &Path) -> (Vec<AlertState>, u64) {
    let store = SqliteStore::open_reader(data).unwrap();
    let mut alerts: Vec<_> = store
        .alerts(&AlertFilter::default())
        .unwrap()
        .into_iter()
        .map(|a| (a.id, a.revision, a.open, a.end_ms, a.kind))
        .collect();
    alerts.sort();
    (alerts, store.counts().unwrap().vessels)
}

#[test]
fn a_restarted_service_reaches_the_state_of_one_that_never_stopped() {
    let dir = tempfile::tempdir().unwrap();
    let lines = traffic(dir.path());
    let cut = lines.len() * 3 / 5;
    // Never split a multi-sentence message.
    let cut = (cut..lines.len())
        .find(|&i| lines[i].contains("VDM,1,1,"))
        .unwrap();
    let (all, first, second) = (
        dir.path().join("all.nmea"),
        dir.path().join("first.nmea"),
        dir.path().join("second.nmea"),
    );
    write_lines(&all, &lines);
    write_lines(&first, &lines[..cut]);
    write_lines(&second, &lines[cut..]);

    // The run that never stopped.
    let whole = dir.path().join("whole");
    let mut s = Serve::start(&config(dir.path(), &whole, Some(&all)), &[]);
    drain(&s);
    assert!(stop(&mut s));
    let expected = state(&whole);
    assert!(expected.0.len() >= 5, "{:?}", expected.0);
    assert!(expected.0.iter().any(|a| a.2), "some alert open at the end");
    assert!(expected.0.iter().any(|a| a.1 > 1), "some alert revised");

    // Stopped by SIGTERM after the first part, started again for the second.
    let parted = dir.path().join("sigterm");
    let mut s = Serve::start(&config(dir.path(), &parted, Some(&first)), &[]);
    drain(&s);
    assert!(stop(&mut s));
    let mut s = Serve::start(&config(dir.path(), &parted, Some(&second)), &[]);
    drain(&s);
    assert_eq!(
        s.metric("varde_restored_lines_total").unwrap_or(0),
        0,
        "a clean stop leaves a snapshot of all"
    );
    assert!(stop(&mut s));
    assert_eq!(state(&parted), expected, "after SIGTERM and restart");

    // Killed (SIGKILL) after the first part: the lines after the last snapshot come from the journal.
    let killed = dir.path().join("sigkill");
    let s = Serve::start(&config(dir.path(), &killed, Some(&first)), &[]);
    drain(&s);
    drop(s); // SIGKILL: no chance to flush or snapshot
    let mut s = Serve::start(&config(dir.path(), &killed, Some(&second)), &[]);
    drain(&s);
    assert!(stop(&mut s));
    assert_eq!(state(&killed), expected, "after SIGKILL and restart");

    // With no snapshot at all (a store from before snapshots), the journal's last hours are replayed
    // in arrival order, and alerts the replay does not hold open are closed, not left dangling.
    let bare = dir.path().join("bare");
    let s = Serve::start(&config(dir.path(), &bare, Some(&first)), &[]);
    drain(&s);
    drop(s); // SIGKILL: no chance to flush or snapshot
             // Whatever snapshots the run took (one a second while lines came; the file may be read in less)
             // are deleted: the store holds none.
    rusqlite_free_snapshots(&bare);
    assert_eq!(rusqlite_free_snapshots(&bare), 0, "no snapshot is left");
    let mut s = Serve::start(&config(dir.path(), &bare, None), &[]);
    wait_until("the API", 60, || s.get("/api/vessels").as_array().is_some());
    assert!(s.metric("varde_restored_lines_total").unwrap_or(0) > 0);
    let vessels = s.get("/api/vessels?limit=100000");
    assert!(
        vessels.as_array().unwrap().len() >= 80,
        "the picture is back"
    );
    assert!(stop(&mut s));
}

/// A snapshot written by a build with another engine state format (an upgrade) is not loaded: the
/// service says so in its log and rebuilds the picture from the journal instead, to the same state.
#[test]
fn a_snapshot_of_an_older_format_is_skipped_and_the_journal_replayed() {
    use varde_watch::snapshot::{FORMAT_VERSION, MAGIC};
    let dir = tempfile::tempdir().unwrap();
    let lines = traffic(dir.path());
    let feed = dir.path().join("all.nmea");
    write_lines(&feed, &lines);
    let data = dir.path().join("older");
    let mut s = Serve::start(&config(dir.path(), &data, Some(&feed)), &[]);
    drain(&s);
    let vessels = s.get("/api/vessels?limit=100000").as_array().unwrap().len();
    assert!(stop(&mut s));
    let before = state(&data);
    assert!(vessels >= 80 && !before.0.is_empty(), "{vessels} vessels");

    // Every stored snapshot now says the format before this build's wrote it.
    let older = FORMAT_VERSION - 1;
    let mut store = SqliteStore::open(&data).unwrap();
    let snaps = store.snapshots().unwrap();
    assert!(!snaps.is_empty(), "a clean stop leaves a snapshot");
    store.delete_snapshots().unwrap();
    for snap in snaps.iter().rev() {
        let mut blob = snap.state.clone();
        let at = blob
            .windows(MAGIC.len())
            .position(|w| w == MAGIC)
            .expect("the engine's snapshot in the service's");
        blob[at + 8..at + 12].copy_from_slice(&older.to_le_bytes());
        store.put_snapshot(snap.created_ms, &blob).unwrap();
    }
    drop(store);

    let mut s = Serve::start(&config(dir.path(), &data, None), &[]);
    wait_until("the API", 60, || s.get("/api/vessels").as_array().is_some());
    let why = format!("snapshot format {older}, this build reads {FORMAT_VERSION}");
    assert!(s.logged(&["snapshot not used", &why]), "logged: {why}");
    assert!(
        s.metric("varde_restored_lines_total").unwrap_or(0) > 0,
        "the journal replayed"
    );
    let back = s.get("/api/vessels?limit=100000").as_array().unwrap().len();
    assert_eq!(back, vessels, "the picture is back");
    assert!(stop(&mut s));
    assert_eq!(state(&data), before, "alerts as they were");
}

/// Deletes the stored snapshots (as a store written before snapshots existed); returns how many.
fn rusqlite_free_snapshots(data: &Path) -> usize {
    let mut store = SqliteStore::open(data).unwrap();
    store.delete_snapshots().unwrap()
}

#[test]
fn one_line_stamped_years_ahead_does_not_wipe_the_picture() {
    let dir = tempfile::tempdir().unwrap();
    let mut lines = traffic(dir.path());
    // One position line restamped five years ahead, in the middle of the recording.
    let mid = lines.len() / 2;
    let i = (mid..lines.len())
        .find(|&i| lines[i].starts_with("\\") && lines[i].contains("VDM,1,1,"))
        .unwrap();
    lines[i] = restamp(&lines[i], 5 * 365 * 86_400);
    // And one three days behind, refused under a 24 h limit.
    let j = (i + 1..lines.len())
        .find(|&j| lines[j].starts_with("\\") && lines[j].contains("VDM,1,1,"))
        .unwrap();
    lines[j] = restamp(&lines[j], -3 * 86_400);
    let feed = dir.path().join("feed.nmea");
    write_lines(&feed, &lines);
    let data = dir.path().join("data");
    let cfg = config(dir.path(), &data, Some(&feed));
    let text = std::fs::read_to_string(&cfg).unwrap();
    std::fs::write(
        &cfg,
        text.replacen("[serve]\n", "[serve]\npast_tolerance_hours = 24\n", 1),
    )
    .unwrap();
    let mut s = Serve::start(&cfg, &[]);
    drain(&s);
    assert_eq!(
        s.metric("varde_rejects_total{cause=\"time_ahead_of_receipt\"}"),
        Some(1),
        "the line is refused and counted"
    );
    assert_eq!(
        s.metric("varde_rejects_total{cause=\"time_behind_receipt\"}"),
        Some(1),
        "the line three days behind is refused and counted"
    );
    let vessels = s.get("/api/vessels?limit=100000");
    assert!(
        vessels.as_array().unwrap().len() >= 80,
        "the picture is intact"
    );
    let newest = vessels
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|v| v["last_seen"].as_str().map(str::to_owned))
        .max()
        .unwrap();
    assert!(
        newest.as_str() < "2030",
        "nothing stored in the future: {newest}"
    );
    assert!(stop(&mut s));
}

/// The line with its tag block's `c:` moved `by_s` seconds, checksum recomputed.
fn restamp(line: &str, by_s: i64) -> String {
    let close = line[1..].find('\\').unwrap() + 1;
    let (tag, sentence) = (&line[1..close], &line[close + 1..]);
    let fields = tag.split('*').next().unwrap();
    let fields: Vec<String> = fields
        .split(',')
        .map(|f| match f.strip_prefix("c:") {
            Some(t) => format!("c:{}", t.parse::<i64>().unwrap() + by_s),
            None => f.to_owned(),
        })
        .collect();
    let fields = fields.join(",");
    let sum = fields.bytes().fold(0u8, |a, b| a ^ b);
    format!("\\{fields}*{sum:02X}\\{sentence}")
}

/// SIGTERM; whether the service stopped cleanly within a minute.
fn stop(s: &mut Serve) -> bool {
    s.terminate(std::time::Duration::from_secs(60))
        .is_some_and(|status| status.success())
}

/// A feed that goes quiet still gets its periodic snapshot: the last lines before the quiet are
/// covered by a snapshot taken on the timer, without waiting for more input.
#[test]
fn a_feed_that_goes_quiet_gets_a_snapshot_of_its_last_lines() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let feed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let cfg = dir.path().join("quiet.toml");
    std::fs::write(
        &cfg,
        format!(
            "[serve]\nlisten = \"127.0.0.1:0\"\ntoken = \"{TOKEN}\"\ndata_dir = \"{}\"\n\
             snapshot_every_s = 1\n\n[[serve.sources]]\nname = \"feed\"\nkind = \"tcp\"\n\
             address = \"{}\"\n",
            data.display(),
            feed.local_addr().unwrap()
        ),
    )
    .unwrap();
    let s = Serve::start(&cfg, &[]);
    let (mut conn, _) = feed.accept().unwrap();
    let now_s = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let mut send = |from: u32, n: u32| {
        let text: String = (from..from + n)
            .map(|i| {
                position_line(257_000_000 + i, now_s - 60, 60.0, 5.0 + f64::from(i) * 0.01) + "\n"
            })
            .collect();
        conn.write_all(text.as_bytes()).unwrap();
    };
    // A first part; past the snapshot interval one line (a snapshot could be taken as it arrives);
    // right after it is handled the last lines, then nothing: they arrive within the interval of
    // whatever snapshot came before them, so only a timer can cover them.
    send(0, 20);
    wait_until("the first lines", 60, || {
        s.metric("varde_lines_total").unwrap_or(0) >= 20
    });
    std::thread::sleep(std::time::Duration::from_millis(1_200));
    send(20, 1);
    wait_until("the next line", 60, || {
        s.metric("varde_lines_total").unwrap_or(0) >= 21
    });
    send(21, 4);
    wait_until("the last lines", 60, || {
        s.metric("varde_lines_total").unwrap_or(0) >= 25
    });
    let end = |store: &SqliteStore| store.journal_end().unwrap().map(|(seq, _)| seq);
    wait_until("every line in the journal", 30, || {
        end(&SqliteStore::open_reader(&data).unwrap()) == Some(25)
    });
    // The newest snapshot comes to cover the last journal line while the feed stays quiet (the
    // connection stays open, nothing more is sent).
    wait_until("a snapshot of the last lines", 30, || {
        let store = SqliteStore::open_reader(&data).unwrap();
        store.snapshots().unwrap().first().map(|s| s.seq) == end(&store)
    });
    drop(conn);
}
