//! `varde serve --cluster` (an API node) against a real three-node NATS JetStream cluster fed by
//! `varde ingest` (a simulated recording) and `varde engine`: through its HTTP API it shows every
//! vessel the engine published a position of, every alert of the alerts stream — the alerts
//! `varde replay` raises on the same recording — each track point once, and position events live
//! on `/api/stream`; killed -9 mid-feed and restarted, it loses and doubles nothing; with `--store`
//! it writes PostgreSQL/PostGIS and reads its history (tracks, alerts) from there, and two such
//! nodes share the officers' actions on alerts.

#[path = "cluster_support/mod.rs"]
mod cluster_support;
#[path = "serve_harness/mod.rs"]
mod serve_harness;

use async_nats::jetstream::{self, consumer::pull::OrderedConfig};
use cluster_support::{connect, fixture, Fixture};
use futures_util::StreamExt;
use serde_json::Value;
use serve_harness::{Serve, TOKEN};
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
fn ingest(f: &Fixture, urls: &str) {
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
struct Engine(Child);

impl Engine {
    fn start(urls: &str, f: &Fixture) -> Self {
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
fn api_node_with(dir: &Path, data: &Path, urls: &str, node: &str, extra: &[&str]) -> Serve {
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

fn api_node(dir: &Path, data: &Path, urls: &str) -> Serve {
    api_node_with(dir, data, urls, "api1", &[])
}

/// Posts an officer's action on alert `id` (as the service token's admin `operator`): the status
/// and the answer.
fn act(api: &Serve, id: &str, body: Value) -> (u16, Value) {
    api.call(
        "POST",
        TOKEN,
        &format!("/api/alerts/{id}/actions"),
        Some(body),
    )
}

/// Counts the `position` events of `/api/stream` in the background.
fn count_live_positions(base: &str) -> Arc<AtomicU64> {
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
async fn published_points(js: &jetstream::Context) -> BTreeMap<u64, BTreeSet<i64>> {
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
async fn published_alerts(
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
fn alert_revision(api: &Serve, id: &str) -> Option<u64> {
    api.get(&format!("/api/alerts/{id}"))["revision"].as_u64()
}

/// The times of a vessel's track points as the API shows them.
fn track_times(api: &Serve, mmsi: u64) -> Vec<String> {
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
async fn assert_serves_the_cluster(api: &Serve, js: &jetstream::Context, f: &Fixture) {
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_api_node_serves_the_clusters_vessels_alerts_and_live_positions() {
    let Some((cluster, _d)) = varde_testdata::nats::nats_cluster("cluster_serve", 3) else {
        return;
    };
    let f = fixture(40, 2);
    let urls = cluster.urls();
    let js = connect(&cluster).await;
    ingest(&f, &urls);
    let data = tempfile::tempdir().unwrap();
    let api = api_node(f.dir.path(), data.path(), &urls);
    let live = count_live_positions(&api.base);
    let _engine = Engine::start(&urls, &f);
    assert_serves_the_cluster(&api, &js, &f).await;
    assert!(
        live.load(Ordering::Relaxed) > 0,
        "no position event on /api/stream while the engine published"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_api_node_catches_up_without_losing_or_doubling() {
    let Some((cluster, _d)) = varde_testdata::nats::nats_cluster("cluster_serve kill", 3) else {
        return;
    };
    let f = fixture(40, 2);
    let urls = cluster.urls();
    let js = connect(&cluster).await;
    ingest(&f, &urls);
    let data = tempfile::tempdir().unwrap();
    let mut api = api_node(f.dir.path(), data.path(), &urls);
    let _engine = Engine::start(&urls, &f);
    // Killed once it has stored part of what the engine publishes.
    serve_harness::wait_until("the API node stores a vessel", 30, || {
        !api.get("/api/vessels").as_array().unwrap().is_empty()
    });
    eprintln!(
        "killing the API node with {} vessels stored",
        api.get("/api/vessels").as_array().unwrap().len()
    );
    api.child.kill().unwrap();
    api.child.wait().unwrap();
    let api = api_node(f.dir.path(), data.path(), &urls);
    assert_serves_the_cluster(&api, &js, &f).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_store_api_nodes_share_postgis_history_and_officers_actions() {
    let Some(url) = varde_testdata::pg_server("cluster_serve") else {
        return;
    };
    let Some((cluster, _d)) = varde_testdata::nats::nats_cluster("cluster_serve pg", 3) else {
        return;
    };
    let schema = format!("cluster_serve_{}", std::process::id());
    let f = fixture(10, 1);
    let urls = cluster.urls();
    let js = connect(&cluster).await;
    ingest(&f, &urls);
    let data = tempfile::tempdir().unwrap();
    let shared = ["--store", url.as_str(), "--store-schema", schema.as_str()];
    let api = api_node_with(f.dir.path(), data.path(), &urls, "api1", &shared);
    let _engine = Engine::start(&urls, &f);
    assert_serves_the_cluster(&api, &js, &f).await;
    assert_eq!(api.get("/api/status")["history"], "postgresql");
    // A second API node on the same PostgreSQL.
    let data2 = tempfile::tempdir().unwrap();
    let api2 = api_node_with(f.dir.path(), data2.path(), &urls, "api2", &shared);
    assert_serves_the_cluster(&api2, &js, &f).await;
    // What the API shows, PostgreSQL holds (committed before the acknowledgement, so before the
    // API could show it).
    use varde_store::{AlertFilter, Batch, PositionRecord, Store, VesselFilter};
    let pg = {
        let (url, schema) = (url.clone(), schema.clone());
        move || varde_pg::PgStore::connect_in(&url, &schema).unwrap()
    };
    // The blocking PostgreSQL client runs on a thread of its own, outside the test's runtime.
    let (stored, vessels) = std::thread::spawn({
        let pg = pg.clone();
        move || {
            let pg = pg();
            let alerts = pg
                .alerts(&AlertFilter {
                    limit: Some(10_000),
                    ..Default::default()
                })
                .unwrap();
            let vessels = pg.vessels(&VesselFilter::default()).unwrap().len();
            (alerts, vessels)
        }
    })
    .join()
    .unwrap();
    let shown: BTreeSet<String> = api
        .get("/api/alerts?limit=10000")
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap().to_owned())
        .collect();
    let stored_ids: BTreeSet<String> = stored.iter().map(|a| a.id.clone()).collect();
    assert_eq!(stored_ids, shown, "alerts in PostgreSQL vs the API");
    assert_eq!(
        vessels,
        api.get("/api/vessels").as_array().unwrap().len(),
        "vessels in PostgreSQL vs the API"
    );

    // The API reads tracks and alerts from PostgreSQL, not from its own SQLite copy: rows that
    // only PostgreSQL holds (as another API node or `varde backfill` would write them) show.
    let points = published_points(&js).await;
    let (&mmsi, times) = points.iter().next().expect("a published vessel");
    let first = *times.iter().next().unwrap();
    let extra_ms = (first + 1..).find(|t| !times.contains(t)).unwrap();
    let mut alert = stored[0].clone();
    let extra_id = format!("{}-pg", alert.id);
    let mut json: Value = serde_json::from_str(&alert.json).unwrap();
    json["id"] = extra_id.clone().into();
    alert.id = extra_id.clone();
    alert.json = json.to_string();
    let before = track_times(&api, mmsi).len();
    std::thread::spawn({
        let pg = pg.clone();
        move || {
            let mut batch = Batch::new();
            batch.positions.push(PositionRecord {
                mmsi: mmsi as u32,
                time_ms: extra_ms,
                lat: 60.0,
                lon: 5.0,
                ..Default::default()
            });
            batch.alerts.push(alert);
            pg().write_batch(&batch).unwrap();
        }
    })
    .join()
    .unwrap();
    assert_eq!(
        track_times(&api, mmsi).len(),
        before + 1,
        "vessel {mmsi}: a track point written to PostgreSQL only is not in the API's track"
    );
    assert_eq!(
        api.get(&format!("/api/alerts/{extra_id}"))["id"],
        extra_id.as_str(),
        "an alert written to PostgreSQL only is not served"
    );
    assert!(
        api.get("/api/alerts?limit=10000")
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["id"] == extra_id.as_str()),
        "an alert written to PostgreSQL only is not listed"
    );

    // An officer's decision taken on one node holds on the other (api2, another operations
    // centre on the same PostgreSQL), which refuses what the alert's state no longer allows.
    let id = stored_ids.iter().next().unwrap().clone();
    let (code, wf) = act(
        &api,
        &id,
        serde_json::json!({"action": "dismiss", "reason": "known survey vessel"}),
    );
    assert_eq!(code, 201, "dismissing on api1: {wf}");
    let seen = api2.get(&format!("/api/alerts/{id}"))["workflow"].clone();
    assert_eq!(seen["state"], "dismissed", "api2's view of {id}: {seen}");
    assert_eq!(seen["history"][0]["reason"], "known survey vessel");
    let listed = api2.get("/api/alerts?limit=10000");
    let row = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == id.as_str())
        .unwrap();
    assert_eq!(row["workflow"]["state"], "dismissed", "api2's alert list");
    let (code, refused) = act(&api2, &id, serde_json::json!({"action": "ack"}));
    assert_eq!(
        code, 409,
        "acknowledging on api2 an alert dismissed on api1: {refused}"
    );
    let (code, wf) = act(
        &api2,
        &id,
        serde_json::json!({"action": "comment", "text": "confirmed with Bergen"}),
    );
    assert_eq!(code, 201, "{wf}");
    let history = api.get(&format!("/api/alerts/{id}"))["workflow"]["history"].clone();
    assert_eq!(
        history.as_array().map(Vec::len),
        Some(2),
        "api1 sees api2's comment: {history}"
    );
    let dismissals = api2.get("/api/alerts/dismissals");
    assert!(
        dismissals
            .as_array()
            .is_some_and(|d| d.iter().any(|r| r["alert_id"] == id.as_str())),
        "api2's dismissals export: {dismissals}"
    );

    // A node new to a site starts from the cluster's picture in PostgreSQL: a vessel only
    // PostgreSQL holds (older than what the streams keep, say) is in its view at once.
    let extra_mmsi = 257_999_001_u32;
    let seen_ms = first;
    std::thread::spawn(move || {
        let mut batch = Batch::new();
        batch.vessels.push(varde_store::VesselRecord {
            mmsi: extra_mmsi,
            name: Some("PG ONLY".into()),
            lat: Some(60.0),
            lon: Some(5.0),
            last_seen_ms: seen_ms,
            ..Default::default()
        });
        pg().write_batch(&batch).unwrap();
    })
    .join()
    .unwrap();
    let data3 = tempfile::tempdir().unwrap();
    let api3 = api_node_with(f.dir.path(), data3.path(), &urls, "api3", &shared);
    assert_eq!(
        api3.get(&format!("/api/vessels/{extra_mmsi}"))["name"],
        "PG ONLY",
        "a new API node's view lacks a vessel of the shared store"
    );
}
