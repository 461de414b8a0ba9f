//! What the API-node tests share (`tests/cluster_serve.rs`, `tests/cluster_serve_pg.rs`): an
//! ingest run, an engine node, API nodes, and the checks of what an API node serves against the
//! cluster's streams and `varde replay`.

#![allow(dead_code)]

use crate::cluster_support::Fixture;
use crate::serve_harness::{Serve, TOKEN};
use async_nats::jetstream::{self, consumer::pull::OrderedConfig};
use futures_util::StreamExt;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use varde_nats::{
    ALERTS_STREAM, EVENT_KIND_HEADER, POSITIONS_PREFIX, POSITIONS_STREAM, REVISION_HEADER,
};

/// Runs `varde ingest` on the recording to its end.
pub fn ingest(f: &Fixture, urls: &str) {
    let cfg = f.dir.path().join("ingest.toml");
    std::fs::write(
        &cfg,
        format!(
            "[[serve.sources]]\nname = \"feed\"\nkind = \"file\"\npath = \"{}\"\nspeed = 0\n",
            f.sim.display()
        ),
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_varde"))
        .args(["ingest", "--config"])
        .arg(&cfg)
        .args(["--nats", urls])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "varde ingest failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A `varde engine` node (killed when dropped).
pub struct Engine(Child);

impl Engine {
    pub fn start(urls: &str, f: &Fixture) -> Self {
        let child = Command::new(env!("CARGO_BIN_EXE_varde"))
            .args(["engine", "--nats", urls, "--node", "e1"])
            .args(["--snapshot-every", "0.5"])
            .args(f.rule_args())
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(f.dir.path().join("engine.log")).unwrap())
            .spawn()
            .unwrap();
        Self(child)
    }
}

impl Drop for Engine {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// An API node on `data` reading the cluster as `node`, with `extra` arguments.
pub fn api_node_with(dir: &Path, data: &Path, urls: &str, node: &str, extra: &[&str]) -> Serve {
    let cfg = dir.join("api.toml");
    std::fs::write(&cfg, "[serve]\nlisten = \"127.0.0.1:0\"\n").unwrap();
    let mut args = vec![
        "--cluster",
        "--nats",
        urls,
        "--node",
        node,
        "--data-dir",
        data.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    Serve::start(&cfg, &args)
}

pub fn api_node(dir: &Path, data: &Path, urls: &str) -> Serve {
    api_node_with(dir, data, urls, "api1", &[])
}

/// Posts an officer's action on alert `id` (as the service token's admin `operator`): the status
/// and the answer.
pub fn act(api: &Serve, id: &str, body: Value) -> (u16, Value) {
    api.call(
        "POST",
        TOKEN,
        &format!("/api/alerts/{id}/actions"),
        Some(body),
    )
}

/// Counts the `position` events of `/api/stream` in the background.
pub fn count_live_positions(base: &str) -> Arc<AtomicU64> {
    let n = Arc::new(AtomicU64::new(0));
    let resp = ureq::AgentBuilder::new()
        .timeout_read(Duration::from_secs(60))
        .build()
        .get(&format!("{base}/api/stream?access_token={TOKEN}"))
        .call()
        .expect("the stream opens");
    let seen = n.clone();
    std::thread::spawn(move || {
        let mut name = String::new();
        for line in BufReader::new(resp.into_reader()).lines() {
            let Ok(line) = line else { return };
            if let Some(e) = line.strip_prefix("event: ") {
                name = e.to_owned();
            } else if let Some(d) = line.strip_prefix("data: ") {
                if name == "position" {
                    let v: Value = serde_json::from_str(d).unwrap();
                    assert!(v["mmsi"].as_u64().is_some() && v["lat"].as_f64().is_some());
                    seen.fetch_add(1, Ordering::Relaxed);
                }
            }
        }
    });
    n
}

/// What the positions stream holds: track points by vessel (each `(mmsi, time)` once: the
/// stream de-duplicates by that id).
pub async fn published_points(js: &jetstream::Context) -> BTreeMap<u64, BTreeSet<i64>> {
    let mut by_mmsi: BTreeMap<u64, BTreeSet<i64>> = BTreeMap::new();
    // Created by the first node that starts.
    let Ok(stream) = js.get_stream(POSITIONS_STREAM).await else {
        return by_mmsi;
    };
    let last = stream.get_info().await.unwrap().state.last_sequence;
    if last == 0 {
        return by_mmsi;
    }
    let mut msgs = stream
        .create_consumer(OrderedConfig {
            filter_subject: format!("{POSITIONS_PREFIX}.>"),
            ..Default::default()
        })
        .await
        .unwrap()
        .messages()
        .await
        .unwrap();
    while let Some(m) = msgs.next().await {
        let m = m.unwrap();
        let batch: Vec<Value> = serde_json::from_slice(&m.payload).unwrap();
        for v in batch {
            let p = &v["position"];
            by_mmsi
                .entry(p["mmsi"].as_u64().unwrap())
                .or_default()
                .insert(p["time_ms"].as_i64().unwrap());
        }
        if m.info().unwrap().stream_sequence >= last {
            break;
        }
    }
    by_mmsi
}

/// The alerts stream: each id's highest revision and last state, and the ids whose last event is
/// a retraction.
pub async fn published_alerts(
    js: &jetstream::Context,
) -> (BTreeMap<String, (u64, Value)>, BTreeSet<String>) {
    let (mut by_id, mut retracted) = (BTreeMap::new(), BTreeSet::new());
    let Ok(stream) = js.get_stream(ALERTS_STREAM).await else {
        return (by_id, retracted);
    };
    let last = stream.get_info().await.unwrap().state.last_sequence;
    for seq in 1..=last {
        let m = stream.get_raw_message(seq).await.unwrap();
        let a: Value = serde_json::from_slice(&m.payload).unwrap();
        let id = a["id"].as_str().unwrap().to_owned();
        let h = |n: &str| m.headers.get(n).unwrap().as_str().to_owned();
        let rev: u64 = h(REVISION_HEADER).parse().unwrap();
        if h(EVENT_KIND_HEADER) == "retracted" {
            retracted.insert(id.clone());
        } else {
            retracted.remove(&id);
        }
        let e = by_id.entry(id).or_insert((0, Value::Null));
        *e = (rev.max(e.0), a);
    }
    (by_id, retracted)
}

/// An alert's revision as the API shows it.
pub fn alert_revision(api: &Serve, id: &str) -> Option<u64> {
    api.get(&format!("/api/alerts/{id}"))["revision"].as_u64()
}

/// The times of a vessel's track points as the API shows them.
pub fn track_times(api: &Serve, mmsi: u64) -> Vec<String> {
    let t = api.get(&format!("/api/vessels/{mmsi}/track?limit=100000"));
    t["properties"]["times"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|t| t.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// Waits until the API shows every alert of the stream at its highest revision and every vessel
/// of the positions stream; then checks them against the streams and replay.
pub async fn assert_serves_the_cluster(api: &Serve, js: &jetstream::Context, f: &Fixture) {
    let start = Instant::now();
    let (mut revs, mut retracted, mut points);
    loop {
        (revs, retracted) = published_alerts(js).await;
        points = published_points(js).await;
        let alerts = api.get("/api/alerts?limit=10000");
        let shown: BTreeMap<String, Value> = alerts
            .as_array()
            .unwrap()
            .iter()
            .map(|a| (a["id"].as_str().unwrap().to_owned(), a.clone()))
            .collect();
        let vessels: BTreeSet<u64> = api
            .get("/api/vessels")
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["mmsi"].as_u64().unwrap())
            .collect();
        let want_vessels: BTreeSet<u64> = points.keys().copied().collect();
        let replay_ids: BTreeSet<&str> =
            f.alerts.iter().map(|a| a["id"].as_str().unwrap()).collect();
        let done = !want_vessels.is_empty()
            && vessels == want_vessels
            && shown.keys().map(String::as_str).collect::<BTreeSet<_>>()
                == revs.keys().map(String::as_str).collect()
            && revs.iter().all(|(id, (_, a))| shown[id]["end"] == a["end"])
            && replay_ids.iter().all(|id| shown.contains_key(*id))
            // The engine may still be publishing: wait for the sampled alerts' last revisions and
            // the sampled vessels' last points too (checked once more after the wait).
            && revs
                .iter()
                .take(20)
                .all(|(id, (rev, _))| alert_revision(api, id) == Some(*rev))
            && points
                .iter()
                .take(5)
                .all(|(mmsi, times)| track_times(api, *mmsi).len() == times.len());
        if done {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(40),
            "the API node did not show the cluster's state within 40 s: {} of {} vessels, {} of {} alerts, replay ids missing: {:?}\nAPI node log: {:#?}\nengine log: {}",
            vessels.len(),
            want_vessels.len(),
            shown.len(),
            revs.len(),
            replay_ids.iter().filter(|id| !shown.contains_key(**id)).collect::<Vec<_>>(),
            api.log.lock().unwrap(),
            std::fs::read_to_string(f.dir.path().join("engine.log")).unwrap_or_default(),
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    // Each alert at the stream's highest revision (a sample: one request each).
    for (id, (rev, _)) in revs.iter().take(20) {
        assert_eq!(alert_revision(api, id), Some(*rev), "alert {id}: revision");
    }
    // Alerts the stream holds beyond replay's final list: retracted ones (replay leaves them out)
    // and a known engine behaviour (see cluster_engine.rs): a position jump explained later, closed
    // without a retraction.
    let replay_ids: BTreeSet<&str> = f.alerts.iter().map(|a| a["id"].as_str().unwrap()).collect();
    let alerts = api.get("/api/alerts?limit=10000");
    let extra: Vec<&Value> = alerts
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| !replay_ids.contains(a["id"].as_str().unwrap()))
        .filter(|a| !retracted.contains(a["id"].as_str().unwrap()))
        .filter(|a| a["kind"] != "position_jump" || a["end"].is_null())
        .collect();
    assert!(extra.is_empty(), "alerts replay does not raise: {extra:?}");
    // Every track point once: a few vessels' tracks, point by point.
    for (mmsi, times) in points.iter().take(5) {
        let got = track_times(api, *mmsi);
        assert_eq!(
            got.len(),
            times.len(),
            "vessel {mmsi}: track points stored vs published"
        );
    }
    eprintln!(
        "API node: {} vessels, {} alerts ({} in replay), {} track points published",
        points.len(),
        revs.len(),
        replay_ids.len(),
        points.values().map(BTreeSet::len).sum::<usize>()
    );
}
