//! `varde history export` through the real binary, on a store filled by `varde serve` from a
//! recording (tracks of 12 vessels, a watch-list alert):
//! - CSV, whole and filtered (time, box, MMSI), read back with a CSV reader: its rows are the
//!   store's track rows for the filter; alerts and vessels too.
//! - GeoParquet read back by Python's `pyarrow` (the test-peer virtualenv of `scripts/py-peers`):
//!   row count, row groups of the size asked, the `geo` metadata, and every WKB point decoded
//!   equal to the store's position.
//! - From PostgreSQL (after `history copy`): the same bytes as from SQLite (needs
//!   `VARDE_TEST_PG`; skipped without it, except under `CI=true`).

mod serve_harness;
mod share_support;

use serve_harness::{fill_store, position_line};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use varde_store::{AlertFilter, PositionRecord, SqliteStore, Store, VesselFilter};

const T0: i64 = 1_764_000_000;
const WATCHED: u32 = 273_999_999;
const POINTS: i64 = 30;

fn mmsi_of(v: u32) -> u32 {
    if v == 0 {
        WATCHED
    } else {
        257_000_000 + v
    }
}

/// A store filled by `varde serve` from a recording: 12 vessels, one every 0.1° of longitude
/// from 4°E, 30 reports each, 10 s apart; vessel 0 is watch-listed.
struct Filled {
    dir: tempfile::TempDir,
    data: PathBuf,
}

fn fill() -> Filled {
    let dir = tempfile::tempdir().unwrap();
    let rec = dir.path().join("rec.nmea");
    {
        let mut f = std::io::BufWriter::new(std::fs::File::create(&rec).unwrap());
        for i in 0..POINTS {
            for v in 0..12u32 {
                let lat = 60.0 + f64::from(v) * 0.01 + i as f64 * 0.0005;
                let lon = 4.0 + f64::from(v) * 0.1;
                writeln!(f, "{}", position_line(mmsi_of(v), T0 + i * 10, lat, lon)).unwrap();
            }
        }
    }
    let watchlist = dir.path().join("watch.txt");
    std::fs::write(&watchlist, format!("{WATCHED}\n")).unwrap();
    let data = dir.path().join("data");
    fill_store(dir.path(), &rec, &data, &watchlist, 12 * POINTS as u64);
    Filled { dir, data }
}

fn varde(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_varde"))
        .args(args)
        .output()
        .unwrap()
}

/// `varde history export --out OUT ARGS…`; panics unless it succeeds.
fn export(out: &Path, args: &[&str]) -> String {
    let mut all = vec!["history", "export", "--out", out.to_str().unwrap()];
    all.extend_from_slice(args);
    let o = varde(&all);
    let stdout = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(
        o.status.success(),
        "{all:?}: {stdout}{}",
        String::from_utf8_lossy(&o.stderr)
    );
    stdout
}

/// Every track point of the store, by MMSI then time.
fn store_points(store: &dyn Store) -> Vec<PositionRecord> {
    let mut vessels: Vec<u32> = store
        .vessels(&VesselFilter::default())
        .unwrap()
        .iter()
        .map(|v| v.mmsi)
        .collect();
    vessels.sort_unstable();
    vessels
        .into_iter()
        .flat_map(|m| store.track(m, i64::MIN, i64::MAX, usize::MAX).unwrap())
        .collect()
}

/// The CSV file's header and records.
fn read_csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::Reader::from_path(path).unwrap();
    let header = r.headers().unwrap().iter().map(str::to_owned).collect();
    let rows = r
        .records()
        .map(|rec| rec.unwrap().iter().map(str::to_owned).collect())
        .collect();
    (header, rows)
}

/// A store point as the CSV row it must be.
fn csv_row(p: &PositionRecord) -> Vec<String> {
    let opt = |v: Option<f64>| v.map_or(String::new(), |v| v.to_string());
    vec![
        p.mmsi.to_string(),
        varde_ais::time::rfc3339_ms(p.time_ms),
        p.lat.to_string(),
        p.lon.to_string(),
        opt(p.sog_kn),
        opt(p.cog_deg),
        opt(p.heading_deg),
        p.nav_status.map_or(String::new(), |s| s.to_string()),
        p.source.clone().unwrap_or_default(),
    ]
}

#[test]
fn csv_rows_are_the_stores_track_rows_for_the_filter() {
    let filled = fill();
    let data = filled.data.to_str().unwrap();
    let store = SqliteStore::open_reader(&filled.data).unwrap();
    let points = store_points(&store);
    assert_eq!(points.len(), 12 * POINTS as usize);

    let all = filled.dir.path().join("all.csv");
    let said = export(&all, &["--format", "csv", "--data-dir", data]);
    assert!(said.contains("exported 360 positions"), "{said}");
    let (header, rows) = read_csv(&all);
    assert_eq!(
        header,
        [
            "mmsi",
            "time",
            "lat",
            "lon",
            "sog_kn",
            "cog_deg",
            "heading_deg",
            "nav_status",
            "source"
        ]
    );
    let want: Vec<Vec<String>> = points.iter().map(csv_row).collect();
    assert_eq!(rows, want);
    assert_eq!(rows[0][1], "2025-11-24T16:00:00Z");

    // Time, box and vessels: the box holds vessels 2..=5 (lon 4.2..4.5), the MMSI list three of
    // them and one outside it, the window reports 5..=20.
    let (since, until) = (T0 + 50, T0 + 200);
    let picked = [mmsi_of(3), mmsi_of(5), mmsi_of(9), mmsi_of(2)];
    let list = picked.map(|m| m.to_string()).join(",");
    let some = filled.dir.path().join("some.csv");
    export(
        &some,
        &[
            "--format",
            "csv",
            "--data-dir",
            data,
            "--since",
            &since.to_string(),
            "--until",
            "2025-11-24T16:03:20Z",
            "--bbox",
            "4.15,59,4.55,61",
            "--mmsi",
            &list,
        ],
    );
    let (_, rows) = read_csv(&some);
    let want: Vec<Vec<String>> = points
        .iter()
        .filter(|p| {
            picked.contains(&p.mmsi)
                && (since * 1000..=until * 1000).contains(&p.time_ms)
                && (4.15..=4.55).contains(&p.lon)
        })
        .map(csv_row)
        .collect();
    assert_eq!(want.len(), 3 * 16, "vessels 2, 3 and 5, reports 5..=20");
    assert_eq!(rows, want);

    // Alerts and vessels.
    let alerts = filled.dir.path().join("alerts.csv");
    let said = export(
        &alerts,
        &["--format", "csv", "--data-dir", data, "--what", "alerts"],
    );
    let stored = store.alerts(&AlertFilter::default()).unwrap();
    assert!(
        said.contains(&format!("exported {} alerts", stored.len())),
        "{said}"
    );
    let (header, rows) = read_csv(&alerts);
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let watch = rows
        .iter()
        .find(|r| r[col("kind")] == "watchlist")
        .expect("the watch-list alert");
    let a = stored.iter().find(|a| a.kind == "watchlist").unwrap();
    assert_eq!(watch[col("id")], a.id);
    assert_eq!(watch[col("mmsi")], WATCHED.to_string());
    assert_eq!(watch[col("json")], a.json, "the JSON column round-trips");
    assert_eq!(rows.len(), stored.len());

    let vessels = filled.dir.path().join("vessels.csv");
    export(
        &vessels,
        &[
            "--format",
            "csv",
            "--data-dir",
            data,
            "--what",
            "vessels",
            "--bbox",
            "4.15,59,4.55,61",
        ],
    );
    let (header, rows) = read_csv(&vessels);
    assert_eq!(header[0], "mmsi");
    let got: Vec<String> = rows.iter().map(|r| r[0].clone()).collect();
    assert_eq!(
        got,
        (2..=5).map(|v| mmsi_of(v).to_string()).collect::<Vec<_>>()
    );

    // Bad input: a clear error, no file.
    for (args, says) in [
        (vec!["--bbox", "4,59,5"], "expected four numbers"),
        (vec!["--since", "last tuesday"], "cannot read"),
        (
            vec!["--since", "1d", "--until", "2025-11-25T00:00:00Z"],
            "after --until",
        ),
    ] {
        let bad = filled.dir.path().join("bad.csv");
        let mut all = vec![
            "history",
            "export",
            "--format",
            "csv",
            "--data-dir",
            data,
            "--out",
            bad.to_str().unwrap(),
        ];
        all.extend(args);
        let o = varde(&all);
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(!o.status.success());
        assert!(err.contains(says), "{all:?}: {err}");
        assert!(!err.contains("panicked"), "{err}");
    }
    let o = varde(&[
        "history",
        "export",
        "--format",
        "csv",
        "--data-dir",
        filled.dir.path().join("nothing").to_str().unwrap(),
        "--out",
        some.to_str().unwrap(),
    ]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("no store at"));
}

const READ_PARQUET: &str = r#"
import json, struct, sys
import pyarrow.parquet as pq
f = pq.ParquetFile(sys.argv[1])
t = f.read()
geo = json.loads(f.schema_arrow.metadata[b"geo"])
rows = []
for mmsi, time, lat, lon, geom in zip(*(t.column(c).to_pylist() for c in ["mmsi", "time", "lat", "lon", "geometry"])):
    order, kind, x, y = struct.unpack("<BIdd", geom)
    assert order == 1 and kind == 1 and len(geom) == 21
    rows.append([mmsi, round(time.timestamp() * 1000), lat, lon, x, y])
print(json.dumps({
    "rows": t.num_rows,
    "row_groups": f.num_row_groups,
    "group_rows": [f.metadata.row_group(i).num_rows for i in range(f.num_row_groups)],
    "time_type": str(t.schema.field("time").type),
    "geo": geo,
    "points": rows,
}))
"#;

#[test]
fn geoparquet_reads_back_in_pyarrow() {
    let Some(venv) = share_support::py_peers("history_export geoparquet", Some("pyarrow")) else {
        return;
    };
    let filled = fill();
    let data = filled.data.to_str().unwrap();
    let store = SqliteStore::open_reader(&filled.data).unwrap();
    let points = store_points(&store);
    let out = filled.dir.path().join("positions.parquet");
    let said = export(
        &out,
        &[
            "--format",
            "geoparquet",
            "--data-dir",
            data,
            "--row-group",
            "100",
        ],
    );
    assert!(said.contains("exported 360 positions"), "{said}");
    let o = Command::new(venv.join("bin/python"))
        .args(["-c", READ_PARQUET, out.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let got: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(got["rows"], 360);
    assert_eq!(got["group_rows"], serde_json::json!([100, 100, 100, 60]));
    assert_eq!(got["time_type"], "timestamp[ms, tz=UTC]");
    let geo = &got["geo"];
    assert_eq!(geo["version"], "1.0.0");
    assert_eq!(geo["primary_column"], "geometry");
    let g = &geo["columns"]["geometry"];
    assert_eq!(g["encoding"], "WKB");
    assert_eq!(g["geometry_types"], serde_json::json!(["Point"]));
    assert!(g.get("crs").is_none(), "OGC:CRS84 by omission");
    let lons = points.iter().map(|p| p.lon);
    let lats = points.iter().map(|p| p.lat);
    let want_bbox = [
        lons.clone().fold(f64::INFINITY, f64::min),
        lats.clone().fold(f64::INFINITY, f64::min),
        lons.fold(f64::NEG_INFINITY, f64::max),
        lats.fold(f64::NEG_INFINITY, f64::max),
    ];
    assert_eq!(g["bbox"], serde_json::json!(want_bbox));
    let rows = got["points"].as_array().unwrap();
    assert_eq!(rows.len(), points.len());
    for (row, p) in rows.iter().zip(&points) {
        let want = serde_json::json!([p.mmsi, p.time_ms, p.lat, p.lon, p.lon, p.lat]);
        assert_eq!(row, &want);
    }
}

#[test]
fn postgres_export_gives_the_same_bytes() {
    let Some(url) = varde_testdata::pg_server("history_export") else {
        return;
    };
    let filled = fill();
    let data = filled.data.to_str().unwrap();
    let schema = format!("history_export_{}", std::process::id());
    let o = varde(&[
        "history",
        "copy",
        "--data-dir",
        data,
        "--to",
        &url,
        "--schema",
        &schema,
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    for (what, format, extra) in [
        ("positions", "csv", vec![]),
        (
            "positions",
            "csv",
            vec!["--bbox", "4.15,59,4.55,61", "--since", "1764000100"],
        ),
        ("positions", "geoparquet", vec![]),
        ("alerts", "csv", vec![]),
        ("vessels", "csv", vec![]),
    ] {
        let lite = filled.dir.path().join("lite.out");
        let pg = filled.dir.path().join("pg.out");
        let mut args = vec!["--format", format, "--what", what];
        args.extend(extra.iter().copied());
        let mut a = args.clone();
        a.extend(["--data-dir", data]);
        export(&lite, &a);
        let mut b = args.clone();
        b.extend(["--from", url.as_str(), "--schema", schema.as_str()]);
        export(&pg, &b);
        let (x, y) = (std::fs::read(&lite).unwrap(), std::fs::read(&pg).unwrap());
        assert!(x.len() > 200, "{what} {format}: {} bytes", x.len());
        assert!(
            x == y,
            "{what} {format} {extra:?}: the two stores' files differ"
        );
    }
}
