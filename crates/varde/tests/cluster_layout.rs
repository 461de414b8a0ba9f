//! The cluster's layout through the CLI, against a real three-node NATS JetStream cluster: the
//! first node records the partition count in the KV bucket `varde_layout`; ingest and engine nodes
//! started with another count refuse with an error naming both counts; `varde engine` reads
//! `[cluster]` from `--config` (NATS servers, partition count) and its flags override it.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use varde_nats::{LAYOUT_BUCKET, LAYOUT_PARTITIONS_KEY};

mod cluster_support;

fn varde() -> Command {
    Command::new(env!("CARGO_BIN_EXE_varde"))
}

/// A short simulated recording in `dir`.
fn recording(dir: &Path) -> PathBuf {
    let out = varde()
        .args(["sim", "--vessels", "5", "--hours", "0.1"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let path = dir.join("sim.nmea");
    std::fs::write(&path, out.stdout).unwrap();
    path
}

/// `varde ingest` of `file` with `--partitions partitions`, to its end.
fn ingest(dir: &Path, file: &Path, urls: &str, partitions: Option<u32>) -> Output {
    let cfg = dir.join("ingest.toml");
    std::fs::write(
        &cfg,
        format!(
            "[[serve.sources]]\nname = \"feed\"\nkind = \"file\"\npath = \"{}\"\nspeed = 0\n",
            file.display()
        ),
    )
    .unwrap();
    let mut cmd = varde();
    cmd.args(["ingest", "--config"])
        .arg(&cfg)
        .args(["--nats", urls]);
    if let Some(p) = partitions {
        cmd.args(["--partitions", &p.to_string()]);
    }
    cmd.output().unwrap()
}

/// A `varde engine` node with `args`; its log is collected; killed when dropped.
struct Engine {
    child: Child,
    log: Arc<Mutex<String>>,
}

impl Engine {
    fn start(args: &[&str]) -> Self {
        let (child, log) =
            cluster_support::spawn_logged(varde().arg("engine").args(args).env("RUST_LOG", "info"));
        Self { child, log }
    }

    fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    /// Waits until the node exits (with its status) or its log holds `what` (`None`); panics
    /// after `within`.
    fn exit_or_log(&mut self, what: &str, within: Duration) -> Option<std::process::ExitStatus> {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                // Let the reader thread take the last lines.
                std::thread::sleep(Duration::from_millis(200));
                return Some(status);
            }
            if self.log().contains(what) {
                return None;
            }
            assert!(
                start.elapsed() < within,
                "neither an exit nor {what:?} within {within:?}:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Engine {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The partition count recorded in the cluster, if any.
async fn recorded(cluster: &varde_testdata::nats::NatsCluster) -> Option<String> {
    let js = cluster_support::connect(cluster).await;
    let kv = js.get_key_value(LAYOUT_BUCKET).await.ok()?;
    let v = kv.get(LAYOUT_PARTITIONS_KEY).await.unwrap()?;
    Some(String::from_utf8_lossy(&v).into_owned())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_first_node_records_the_partition_count_and_nodes_with_another_refuse() {
    let Some((cluster, dir)) = varde_testdata::nats::nats_cluster("cluster_layout", 3) else {
        return;
    };
    let urls = cluster.urls();
    assert_eq!(
        recorded(&cluster).await,
        None,
        "a new cluster has no layout"
    );
    let file = recording(&dir.0);

    let first = ingest(&dir.0, &file, &urls, Some(8));
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    assert_eq!(recorded(&cluster).await.as_deref(), Some("8"));

    // An ingest node with the default count (16) refuses, before publishing anything.
    let other = ingest(&dir.0, &file, &urls, None);
    let err = String::from_utf8_lossy(&other.stderr);
    assert!(
        !other.status.success(),
        "ingest with 16 partitions ran:\n{err}"
    );
    assert!(
        err.contains("has 8 MMSI partitions") && err.contains("started with 16"),
        "{err}"
    );
    assert!(err.contains("--partitions 8"), "{err}");
    assert!(!err.contains("published"), "{err}");

    // So does an engine node (flags only, default count).
    let mut engine = Engine::start(&["--nats", &urls, "--node", "e-flags", "--replicas", "3"]);
    let status = engine.exit_or_log("holding the partitions", Duration::from_secs(60));
    assert!(
        status.is_some_and(|s| !s.success()),
        "the engine ran with 16 partitions:\n{}",
        engine.log()
    );
    let log = engine.log();
    assert!(
        log.contains("has 8 MMSI partitions") && log.contains("--partition-count 8"),
        "{log}"
    );

    // An engine node configured by `[cluster]` alone (servers and count) runs.
    let servers: Vec<String> = urls.split(',').map(|u| format!("{u:?}")).collect();
    let cfg = dir.0.join("engine.toml");
    std::fs::write(
        &cfg,
        format!(
            "[cluster]\nnats = [{}]\npartitions = 8\n",
            servers.join(", ")
        ),
    )
    .unwrap();
    let cfg = cfg.to_string_lossy().into_owned();
    let mut engine = Engine::start(&["--config", &cfg, "--node", "e-config"]);
    let status = engine.exit_or_log("holding the partitions", Duration::from_secs(60));
    assert!(
        status.is_none(),
        "the engine configured by [cluster] stopped:\n{}",
        engine.log()
    );
    assert!(engine.log().contains("8.all"), "{}", engine.log());
    drop(engine);

    // The flag overrides the configuration's count: refused again.
    let mut engine = Engine::start(&[
        "--config",
        &cfg,
        "--node",
        "e-override",
        "--partition-count",
        "16",
    ]);
    let status = engine.exit_or_log("holding the partitions", Duration::from_secs(60));
    assert!(
        status.is_some_and(|s| !s.success()),
        "the engine ran with --partition-count 16:\n{}",
        engine.log()
    );
    assert!(engine.log().contains("started with 16"), "{}", engine.log());
    assert_eq!(recorded(&cluster).await.as_deref(), Some("8"), "unchanged");
}
