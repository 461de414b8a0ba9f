//! Shared by the cluster tests: a simulated recording with scripted incidents (and the layer and
//! watch list its incidents need), what `varde replay` makes of it, and a JetStream client of a
//! test cluster.

#![allow(dead_code)]

use async_nats::jetstream;
use serde_json::Value;
use std::path::PathBuf;
use std::process::Command;
use varde_testdata::nats::NatsCluster;
use varde_testdata::sim::Recording;

/// A simulated recording and what `varde replay` makes of it.
pub struct Fixture {
    pub dir: tempfile::TempDir,
    /// The recording (NMEA with tag blocks).
    pub sim: PathBuf,
    /// Replay's alert lines, parsed.
    pub alerts: Vec<Value>,
    /// The recording's files.
    pub recording: Recording,
}

impl Fixture {
    /// `--layer … --watchlist …`: the rules the recording's incidents need.
    pub fn rule_args(&self) -> Vec<String> {
        self.recording.rule_args()
    }
}

/// `vessels` vessels for `hours` with every built-in scenario, starting `hours` + 1 before now
/// (so the service keeps every vessel: none is older than its retention).
pub fn fixture(vessels: u32, hours: u32) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let p = |n: &str| dir.path().join(n);
    let start = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        - u64::from(hours + 1) * 3600;
    let recording = Recording::write(
        env!("CARGO_BIN_EXE_varde"),
        dir.path(),
        vessels,
        hours,
        &["--start", &start.to_string()],
    );
    let out = Command::new(env!("CARGO_BIN_EXE_varde"))
        .arg("replay")
        .arg(&recording.nmea)
        .args(["--alerts", p("alerts.jsonl").to_str().unwrap()])
        .args(recording.rule_args())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let alerts: Vec<Value> = std::fs::read_to_string(p("alerts.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    Fixture {
        sim: recording.nmea.clone(),
        alerts,
        recording,
        dir,
    }
}

/// A JetStream client of `cluster`.
pub async fn connect(cluster: &NatsCluster) -> jetstream::Context {
    let addrs: Vec<async_nats::ServerAddr> = cluster
        .urls()
        .split(',')
        .map(|u| u.parse().unwrap())
        .collect();
    let client = async_nats::ConnectOptions::new()
        .connect(addrs)
        .await
        .unwrap();
    jetstream::new(client)
}

/// Spawns `cmd` with its stdout discarded and its stderr (the log) collected, line by line, into
/// the returned string as the process writes it.
pub fn spawn_logged(
    cmd: &mut Command,
) -> (
    std::process::Child,
    std::sync::Arc<std::sync::Mutex<String>>,
) {
    use std::io::{BufRead, BufReader};
    let mut child = cmd
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let log = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
    let (err, l) = (child.stderr.take().unwrap(), log.clone());
    std::thread::spawn(move || {
        for line in BufReader::new(err).lines().map_while(Result::ok) {
            let mut l = l.lock().unwrap();
            l.push_str(&line);
            l.push('\n');
        }
    });
    (child, log)
}
