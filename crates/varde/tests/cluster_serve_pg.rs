//! `varde serve --cluster --store postgres://…` against a real three-node NATS JetStream cluster
//! and a throw-away PostgreSQL/PostGIS: API nodes write the shared history and read tracks and
//! alerts from it, and share the officers' actions on alerts (a dismissal at one is the other's).

#[path = "cluster_api/mod.rs"]
mod cluster_api;
#[path = "cluster_support/mod.rs"]
mod cluster_support;
#[path = "serve_harness/mod.rs"]
mod serve_harness;

use cluster_api::*;
use cluster_support::{connect, fixture};
use serde_json::Value;
use std::collections::BTreeSet;

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
