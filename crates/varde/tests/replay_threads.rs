//! `varde replay` on two threads (reading and decoding on one, the engine on the other, the default
//! on a machine with two cores) writes the same alerts, incidents and summary, byte for byte, as on
//! one (`--threads 1`): on real captures (plain and gzipped, several files in one run, timed and
//! untimed) and on a simulated scenario with every incident, plain and gzipped.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use varde_testdata::sim::Recording;

/// What one replay wrote: alerts, incidents, the summary on stderr, the exit status.
#[derive(Debug, PartialEq, Eq)]
struct Outcome {
    alerts: Vec<u8>,
    incidents: Vec<u8>,
    stderr: String,
    status: Option<i32>,
}

fn replay(dir: &Path, inputs: &[PathBuf], extra: &[&str]) -> Outcome {
    let alerts = dir.join("alerts.jsonl");
    let incidents = dir.join("incidents.jsonl");
    let _ = std::fs::remove_file(&alerts);
    let _ = std::fs::remove_file(&incidents);
    let out = Command::new(env!("CARGO_BIN_EXE_varde"))
        .arg("replay")
        .args(inputs)
        .arg("--alerts")
        .arg(&alerts)
        .arg("--incidents")
        .arg(&incidents)
        .args(extra)
        .env("RUST_BACKTRACE", "0")
        .env("RUST_LIB_BACKTRACE", "0")
        .output()
        .expect("varde runs");
    Outcome {
        alerts: std::fs::read(&alerts).unwrap_or_default(),
        incidents: std::fs::read(&incidents).unwrap_or_default(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        status: out.status.code(),
    }
}

/// Replays `inputs` with `--threads 1` and `--threads 2`; both must agree byte for byte. Returns
/// the one-thread outcome.
fn same_on_one_and_two_threads(dir: &Path, inputs: &[PathBuf], extra: &[&str]) -> Outcome {
    let one = replay(dir, inputs, &[extra, &["--threads", "1"]].concat());
    let two = replay(dir, inputs, &[extra, &["--threads", "2"]].concat());
    assert_eq!(
        String::from_utf8_lossy(&one.alerts),
        String::from_utf8_lossy(&two.alerts),
        "alerts of {inputs:?} {extra:?}"
    );
    assert_eq!(one, two, "{inputs:?} {extra:?}");
    one
}

fn gzip(path: &Path) -> PathBuf {
    let gz = path.with_extension("nmea.gz");
    let mut enc = flate2::write::GzEncoder::new(
        std::fs::File::create(&gz).unwrap(),
        flate2::Compression::fast(),
    );
    enc.write_all(&std::fs::read(path).unwrap()).unwrap();
    enc.finish().unwrap();
    gz
}

/// The number before `word` in the summary's first line (`replay: N lines, …, N reports …`).
fn summary_count(stderr: &str, word: &str) -> u64 {
    let line = stderr
        .lines()
        .find(|l| l.starts_with("replay: "))
        .unwrap_or_default();
    line.split(&format!(" {word}"))
        .next()
        .and_then(|s| s.rsplit(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

#[test]
fn simulated_incidents_replay_the_same_on_two_threads_plain_and_gzipped() {
    let dir = tempfile::tempdir().unwrap();
    let rec = Recording::write(env!("CARGO_BIN_EXE_varde"), dir.path(), 60, 3, &[]);
    let plain = rec.nmea.clone();
    let gz = gzip(&plain);
    let extra = ["--layer", rec.layer.to_str().unwrap()];
    let a = same_on_one_and_two_threads(dir.path(), std::slice::from_ref(&plain), &extra);
    let b = same_on_one_and_two_threads(dir.path(), &[gz], &extra);
    assert_eq!(a, b, "the gzipped file replays as the plain one");
    // Without --threads: two threads on a machine with two cores, one on one; the same either way.
    assert_eq!(a, replay(dir.path(), &[plain], &extra), "without --threads");
    assert_eq!(a.status, Some(0), "{}", a.stderr);
    // Far more reports than one hand-off holds, and incidents of several kinds: the comparison
    // covers batches, recycled buffers and alerts with evidence.
    assert!(summary_count(&a.stderr, "reports") > 50_000, "{}", a.stderr);
    let kinds: std::collections::BTreeSet<String> = String::from_utf8_lossy(&a.alerts)
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["kind"].to_string())
        .collect();
    assert!(kinds.len() >= 5, "alerts of several kinds: {kinds:?}");
}

#[test]
fn real_captures_replay_the_same_on_two_threads() {
    let Some(root) = varde_testdata::shared("ais", "varde replay_threads") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    // Timed captures, gzipped and plain, multi-part messages and tag blocks, in one run: the decoder
    // and the clock carry state from file to file.
    let timed: Vec<PathBuf> = [
        "dma-aisabnormal/ais-sample.txt.gz",
        "kystverket-aisnet/Ais1000Lines.nm4",
        "kystverket-gpsd-timestamp/norwegian.raw",
        "aisdb/test_data_20211101.nm4",
        "amsa-risky/exact-earth-with-tag-block.txt",
        "amsa-risky/nmea-timestamped.txt",
        "dma-aislib/stream_example.txt",
        "libais/tagblock.nmea",
        "pyais/timestamped.ais",
    ]
    .iter()
    .map(|f| root.join(f))
    .collect();
    let all = same_on_one_and_two_threads(dir.path(), &timed, &[]);
    assert_eq!(all.status, Some(0), "{}", all.stderr);
    assert!(
        summary_count(&all.stderr, "reports") > 10_000,
        "{}",
        all.stderr
    );
    // The gzipped capture alone (its lines decompressed on the reader thread).
    same_on_one_and_two_threads(dir.path(), &timed[..1], &[]);
    // Untimed captures: skipped (exit status 3) or placed on an assumed clock, the same either way.
    let untimed = [
        root.join("dma-aislib/ais250.txt"),
        root.join("pyais/nmea_data_sample.txt"),
    ];
    let skipped = same_on_one_and_two_threads(dir.path(), &untimed, &[]);
    assert_eq!(skipped.status, Some(3), "{}", skipped.stderr);
    let placed = same_on_one_and_two_threads(dir.path(), &untimed, &["--assume-rate", "20"]);
    assert_eq!(placed.status, Some(0), "{}", placed.stderr);
    assert!(
        summary_count(&placed.stderr, "vessels") > 0,
        "{}",
        placed.stderr
    );
    // A missing file fails the same way on both paths.
    let missing = [
        root.join("kystverket-aisnet/Ais1000Lines.nm4"),
        dir.path().join("absent.nmea"),
    ];
    let failed = same_on_one_and_two_threads(dir.path(), &missing, &[]);
    assert_eq!(failed.status, Some(1), "{}", failed.stderr);
    assert!(failed.stderr.contains("absent.nmea"), "{}", failed.stderr);
}
