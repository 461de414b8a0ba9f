//! The store under `varde serve`, through the real binary: a damaged store is refused at start
//! with what to do; `varde backup` copies the store while the service runs and a service started
//! on the copy serves the same vessels and alerts; a store that fills up (the `max_store_mb`
//! quota, as a full disk) turns `/healthz` into a 503 naming the cause, and SIGTERM still ends
//! the process within 10 s.

mod serve_harness;

use serve_harness::{position_line, wait_until, Serve};
use std::io::{Read, Seek, SeekFrom, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use varde_store::sqlite::DEFAULT_FILE_NAME;
use varde_store::{Batch, PositionRecord, SqliteStore, Store};

const T0: i64 = 1_764_000_000;
const WATCHED: u32 = 273_999_999;

/// A recording of `vessels` vessels, `steps` reports each, 10 s apart.
fn recording(path: &std::path::Path, vessels: u32, steps: i64) {
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    for i in 0..steps {
        for v in 0..vessels {
            let mmsi = if v == 0 { WATCHED } else { 257_000_000 + v };
            let lat = 60.0 + f64::from(v) * 0.01 + i as f64 * 0.0005;
            writeln!(f, "{}", position_line(mmsi, T0 + i * 10, lat, 4.0)).unwrap();
        }
    }
}

fn config(dir: &std::path::Path, body: &str) -> std::path::PathBuf {
    let path = dir.join("varde.toml");
    std::fs::write(&path, format!("[serve]\nlisten = \"127.0.0.1:0\"\n{body}")).unwrap();
    path
}

#[test]
fn serve_refuses_a_damaged_store_naming_the_file_and_the_remedy() {
    let data = tempfile::tempdir().unwrap();
    {
        let mut s = SqliteStore::open(data.path()).unwrap();
        for b in 0..20 {
            let batch = Batch {
                positions: (0..500)
                    .map(|i| PositionRecord {
                        mmsi: 257_000_000 + i % 50,
                        time_ms: (b * 500 + i64::from(i)) * 1000,
                        lat: 60.0,
                        lon: 4.0,
                        sog_kn: None,
                        cog_deg: None,
                        heading_deg: None,
                        nav_status: None,
                        source: None,
                    })
                    .collect(),
                ..Batch::new()
            };
            s.write_batch(&batch).unwrap();
        }
        s.checkpoint().unwrap();
    }
    let file = data.path().join(DEFAULT_FILE_NAME);
    let len = std::fs::metadata(&file).unwrap().len();
    let mut f = std::fs::OpenOptions::new().write(true).open(&file).unwrap();
    f.seek(SeekFrom::Start(len / 2 / 4096 * 4096)).unwrap();
    f.write_all(&[0xA5; 4096 * 4]).unwrap();
    drop(f);
    let mut child = Command::new(env!("CARGO_BIN_EXE_varde"))
        .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
        .arg(data.path())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("varde serve started on a damaged store");
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    assert!(!status.success(), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(err.contains("damaged"), "{err}");
    assert!(err.contains(&file.display().to_string()), "{err}");
    assert!(err.contains("restore the store from a backup"), "{err}");
}

#[test]
fn a_backup_taken_while_serving_restores_the_same_vessels_and_alerts() {
    let dir = tempfile::tempdir().unwrap();
    let rec = dir.path().join("rec.nmea");
    recording(&rec, 20, 30);
    let watchlist = dir.path().join("watch.txt");
    std::fs::write(&watchlist, format!("{WATCHED}\n")).unwrap();
    let data = dir.path().join("data");
    let cfg = config(
        dir.path(),
        &format!(
            "[[serve.sources]]\nname = \"rec\"\nkind = \"file\"\npath = \"{}\"\nspeed = 0\n",
            rec.display()
        ),
    );
    let data_arg = data.to_str().unwrap();
    let watch_arg = watchlist.to_str().unwrap();
    let mut first = Serve::start(&cfg, &["--data-dir", data_arg, "--watchlist", watch_arg]);
    wait_until("every report committed", 60, || {
        first.metric("varde_reports_committed_total") == Some(600)
    });
    let vessels = first.get("/api/vessels?limit=1000");
    let alerts = first.get("/api/alerts?limit=1000");
    assert_eq!(vessels.as_array().map(Vec::len), Some(20), "{vessels}");
    assert!(alerts.to_string().contains("watchlist"), "{alerts}");

    let backup = dir.path().join("backup");
    let out = Command::new(env!("CARGO_BIN_EXE_varde"))
        .args(["backup", backup.to_str().unwrap(), "--data-dir", data_arg])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(backup.join(DEFAULT_FILE_NAME).is_file());
    first.terminate(Duration::from_secs(20)).expect("stops");

    let empty = config(dir.path(), "");
    let second = Serve::start(&empty, &["--data-dir", backup.to_str().unwrap()]);
    let ids = |v: &serde_json::Value, key: &str| {
        let mut ids: Vec<String> = v
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x[key].to_string())
            .collect();
        ids.sort();
        ids
    };
    let vessels_after = second.get("/api/vessels?limit=1000");
    let alerts_after = second.get("/api/alerts?limit=1000");
    assert_eq!(ids(&vessels_after, "mmsi"), ids(&vessels, "mmsi"));
    assert_eq!(ids(&alerts_after, "id"), ids(&alerts, "id"));
    assert_eq!(
        second.get(&format!("/api/vessels/{WATCHED}"))["lat"],
        first_lat(&vessels)
    );
}

fn first_lat(vessels: &serde_json::Value) -> serde_json::Value {
    vessels
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["mmsi"] == WATCHED)
        .map(|v| v["lat"].clone())
        .unwrap()
}

#[test]
fn a_full_store_turns_healthz_503_and_sigterm_still_stops_within_10_s() {
    let dir = tempfile::tempdir().unwrap();
    let rec = dir.path().join("rec.nmea");
    recording(&rec, 200, 200); // 40,000 reports: several MiB of journal and track
    let cfg = config(
        dir.path(),
        &format!(
            "max_store_mb = 1\n\n[[serve.sources]]\nname = \"rec\"\nkind = \"file\"\npath = \"{}\"\nspeed = 0\n",
            rec.display()
        ),
    );
    let data = dir.path().join("data");
    let mut server = Serve::start(&cfg, &["--data-dir", data.to_str().unwrap()]);
    assert_eq!(server.healthz().0, 200);
    wait_until("/healthz degraded", 60, || server.healthz().0 == 503);
    let (_, body) = server.healthz();
    assert!(body.contains("store") && body.contains("full"), "{body}");
    assert_eq!(server.metric("varde_store_failing"), Some(1));
    server
        .terminate(Duration::from_secs(10))
        .expect("SIGTERM ends the service within 10 s while the store fails");
    assert!(
        !server.logged(&["panicked"]),
        "{:?}",
        server.log.lock().unwrap()
    );
}
