//! The command line as a newcomer meets it, through the binary: `sim --help` lists the built-in
//! incidents, `sim --hours` is the length of what comes out, and every error names the file and
//! what is wrong with it (a directory given as input, a truncated `.gz` whose lines before the
//! fault are still replayed and summarised, a bad `--layer`, a `--data-dir` that is a file).

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn varde(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_varde"))
        .args(args)
        .env("RUST_LOG", "warn")
        .output()
        .expect("varde runs")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Simulated traffic, `hours` long, as NMEA lines.
fn sim(vessels: &str, hours: &str, scenario: &str) -> Output {
    let o = varde(&[
        "sim",
        "--vessels",
        vessels,
        "--hours",
        hours,
        "--scenario",
        scenario,
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    o
}

/// Event times (tag block `c:`, unix seconds) of the lines.
fn times(stdout: &[u8]) -> Vec<i64> {
    String::from_utf8_lossy(stdout)
        .lines()
        .filter_map(|l| l.split("c:").nth(1)?.get(..10)?.parse().ok())
        .collect()
}

#[test]
fn sim_help_lists_every_built_in_incident() {
    let o = varde(&["sim", "--help"]);
    assert!(o.status.success());
    let help = String::from_utf8_lossy(&o.stdout);
    assert!(help.contains("Built-in incidents"), "{help}");
    for name in varde_sim::builtin_names() {
        assert!(
            help.lines()
                .any(|l| l.trim_start().starts_with(&format!("{name} "))),
            "{name} listed: {help}"
        );
    }
    assert!(help.contains("builtin:all"), "{help}");
}

#[test]
fn sim_hours_is_how_long_the_output_runs_and_a_cut_incident_is_named() {
    const START: i64 = 1_721_088_000; // the default --start
    let o = sim("2", "3", "builtin:all");
    let t = times(&o.stdout);
    let last = *t.iter().max().unwrap();
    assert!(last - START <= 3 * 3600, "ends {} s in", last - START);
    assert!(last - START > 2 * 3600, "ends {} s in", last - START);
    let err = stderr(&o);
    // Some incidents need longer than 3 hours: said, with the hours that would hold them.
    assert!(err.contains("--hours 3 cuts"), "{err}");
    assert!(err.contains("satellite_waters_gap"), "{err}");
    assert!(err.contains("holds them all"), "{err}");
    // A scenario that fits says nothing.
    let o = sim("2", "3", "builtin:spoofed_fix");
    assert!(stderr(&o).is_empty(), "{}", stderr(&o));
    assert!(times(&o.stdout).iter().all(|&t| t - START <= 3 * 3600));
    let o = varde(&["sim", "--hours", "0"]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("--hours must be a positive number"),
        "{}",
        stderr(&o)
    );
}

/// A gzip file of the first minutes of simulated traffic cut in half: `(path, lines in full)`.
fn truncated_gz(dir: &Path) -> (String, usize) {
    let o = sim("30", "0.5", "builtin:watchlisted");
    let lines = String::from_utf8_lossy(&o.stdout).lines().count();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&o.stdout).unwrap();
    let bytes = gz.finish().unwrap();
    let path = dir.join("cut.nmea.gz");
    std::fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
    (path.to_str().unwrap().to_owned(), lines)
}

#[test]
fn a_truncated_gz_is_replayed_up_to_the_fault_summarised_and_reported() {
    let dir = tempfile::tempdir().unwrap();
    let (gz, full) = truncated_gz(dir.path());
    let alerts = dir.path().join("alerts.jsonl");
    for threads in ["1", "2"] {
        let o = varde(&[
            "replay",
            &gz,
            "--threads",
            threads,
            "--alerts",
            alerts.to_str().unwrap(),
        ]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{err}");
        // The summary of what was read comes first.
        let replayed: usize = err
            .lines()
            .find_map(|l| l.strip_prefix("replay: ")?.split(' ').next()?.parse().ok())
            .unwrap_or_else(|| panic!("summary: {err}"));
        assert!(
            replayed > full / 10 && replayed < full,
            "{replayed} of {full}: {err}"
        );
        assert!(
            err.contains(&format!("cannot read {gz} after line {replayed}")),
            "{err}"
        );
        assert!(err.contains("the file is truncated"), "{err}");
        assert!(err.contains("were replayed"), "{err}");
        assert!(alerts.exists());
    }
    // decode: the records before the fault come out, then the error.
    let o = varde(&["decode", &gz]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stdout).lines().count() > 100);
    let err = stderr(&o);
    assert!(
        err.contains(&format!("cannot read {gz} after line")),
        "{err}"
    );
    assert!(err.contains("the file is truncated"), "{err}");
}

#[test]
fn a_directory_given_as_input_is_named_as_one() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    let alerts = dir.path().join("alerts.jsonl");
    for args in [
        vec!["decode", d],
        vec!["replay", d, "--alerts", alerts.to_str().unwrap()],
    ] {
        let o = varde(&args);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{args:?}: {err}");
        assert!(
            err.contains(&format!("{d} is a directory, not a file of NMEA lines")),
            "{args:?}: {err}"
        );
    }
    // A missing file is named too.
    let missing = dir.path().join("nope.nmea");
    let o = varde(&["decode", missing.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains(&format!("cannot open {}", missing.display())),
        "{}",
        stderr(&o)
    );
}

/// `varde serve` with `args` on a free port; it must fail at start (within 30 s: a server that
/// starts instead is killed and the test fails).
fn serve_fails(args: &[&str]) -> String {
    let mut child = Command::new(env!("CARGO_BIN_EXE_varde"))
        .args(["serve", "--listen", "127.0.0.1:0", "--token", "t"])
        .args(args)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("serve {args:?} started instead of failing");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let o = child.wait_with_output().unwrap();
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{args:?}: {err}");
    err
}

#[test]
fn serve_names_a_bad_layer_and_a_data_dir_that_is_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let data = data.to_str().unwrap();
    // A file where the store directory should be.
    let file = dir.path().join("store.txt");
    std::fs::write(&file, "not a directory").unwrap();
    let f = file.to_str().unwrap();
    let err = serve_fails(&["--data-dir", f]);
    assert!(
        err.contains(&format!("data directory {f} is a file, not a directory")),
        "{err}"
    );
    // A layer that is missing, a directory, or not GeoJSON.
    let missing = dir.path().join("missing.geojson");
    let err = serve_fails(&["--data-dir", data, "--layer", missing.to_str().unwrap()]);
    assert!(err.contains(&missing.display().to_string()), "{err}");
    assert!(err.contains("No such file"), "{err}");
    let d = dir.path().to_str().unwrap();
    let err = serve_fails(&["--data-dir", data, "--layer", d]);
    assert!(err.contains(&format!("layer {d}")), "{err}");
    assert!(err.contains("directory"), "{err}");
    let bad = dir.path().join("bad.geojson");
    std::fs::write(&bad, "{\"type\": \"FeatureCollection\", \"features\": [").unwrap();
    let b = bad.to_str().unwrap();
    let err = serve_fails(&["--data-dir", data, "--layer", b]);
    assert!(err.contains(&format!("layer {b}: not GeoJSON")), "{err}");
    // A kind that is none of the known ones.
    let good = dir.path().join("good.geojson");
    std::fs::write(&good, "{\"type\": \"FeatureCollection\", \"features\": []}").unwrap();
    let typo = format!("{}:cabel", good.display());
    let err = serve_fails(&["--data-dir", data, "--layer", &typo]);
    assert!(
        err.contains(&format!(
            "layer {typo}: \"cabel\" is not a kind of asset (known: cable, "
        )),
        "{err}"
    );
}
