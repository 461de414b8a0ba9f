//! `varde history copy` through the real binary: a store filled by `varde serve` from a recording
//! (tracks, a watch-list alert with its revisions, the raw journal) is copied into PostgreSQL +
//! PostGIS, and every read of the store trait answers the same from both.
//!
//! Needs `VARDE_TEST_PG` (scripts/pg start; scripts/test exports it). Without it the test says it
//! skipped, except under `CI=true`, where it fails.

mod serve_harness;

use serve_harness::{fill_store, position_line};
use std::io::Write;
use std::process::Command;
use varde_pg::PgStore;
use varde_store::{AlertFilter, SqliteStore, Store, VesselFilter};

const T0: i64 = 1_764_000_000;
const WATCHED: u32 = 273_999_999;

fn server() -> Option<String> {
    varde_testdata::pg_server("history_pg")
}

#[test]
fn a_served_store_copied_into_postgis_answers_every_read_the_same() {
    let Some(url) = server() else { return };
    let dir = tempfile::tempdir().unwrap();
    let rec = dir.path().join("rec.nmea");
    {
        let mut f = std::io::BufWriter::new(std::fs::File::create(&rec).unwrap());
        for i in 0..30i64 {
            for v in 0..12u32 {
                let mmsi = if v == 0 { WATCHED } else { 257_000_000 + v };
                let lat = 60.0 + f64::from(v) * 0.01 + i as f64 * 0.0005;
                writeln!(f, "{}", position_line(mmsi, T0 + i * 10, lat, 4.0)).unwrap();
            }
        }
    }
    let watchlist = dir.path().join("watch.txt");
    std::fs::write(&watchlist, format!("{WATCHED}\n")).unwrap();
    let data = dir.path().join("data");
    let data_arg = data.to_str().unwrap();
    fill_store(dir.path(), &rec, &data, &watchlist, 360);

    let schema = format!("history_copy_{}", std::process::id());
    let copy = |extra: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_varde"))
            .args([
                "history",
                "copy",
                "--data-dir",
                data_arg,
                "--to",
                &url,
                "--schema",
                &schema,
            ])
            .args(extra)
            .output()
            .unwrap()
    };
    let out = copy(&["--batch", "100"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("copied 360 positions, 12 vessels"),
        "{stdout}"
    );
    assert!(stdout.contains("per position"), "{stdout}");

    let lite = SqliteStore::open_reader(&data).unwrap();
    let pg = PgStore::connect_in(&url, &schema).unwrap();
    assert_eq!(pg.counts().unwrap(), lite.counts().unwrap());
    let all = VesselFilter::default();
    assert_eq!(pg.vessels(&all).unwrap(), lite.vessels(&all).unwrap());
    for v in lite.vessels(&all).unwrap() {
        assert_eq!(
            pg.track(v.mmsi, i64::MIN, i64::MAX, usize::MAX).unwrap(),
            lite.track(v.mmsi, i64::MIN, i64::MAX, usize::MAX).unwrap()
        );
    }
    let alerts = lite.alerts(&AlertFilter::default()).unwrap();
    assert!(
        alerts
            .iter()
            .any(|a| a.kind == "watchlist" && a.mmsi == WATCHED),
        "{alerts:?}"
    );
    assert_eq!(pg.alerts(&AlertFilter::default()).unwrap(), alerts);
    for a in &alerts {
        assert_eq!(
            pg.alert_revisions(&a.id).unwrap(),
            lite.alert_revisions(&a.id).unwrap()
        );
    }
    assert_eq!(
        pg.raw_since(i64::MIN, usize::MAX).unwrap(),
        lite.raw_since(i64::MIN, usize::MAX).unwrap()
    );

    // A second copy into the same database is refused: the journal would be repeated.
    let again = copy(&[]);
    assert!(!again.status.success());
    assert!(
        String::from_utf8_lossy(&again.stderr).contains("already holds Varde history"),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
}
