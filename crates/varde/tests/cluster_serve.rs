//! `varde serve --cluster` (an API node) against a real three-node NATS JetStream cluster fed by
//! `varde ingest` (a simulated recording) and `varde engine`: through its HTTP API it shows every
//! vessel the engine published a position of, every alert of the alerts stream — the alerts
//! `varde replay` raises on the same recording — each track point once, and position events live
//! on `/api/stream`; killed -9 mid-feed and restarted, it loses and doubles nothing. With
//! PostgreSQL/PostGIS: `tests/cluster_serve_pg.rs`.

#[path = "cluster_api/mod.rs"]
mod cluster_api;
#[path = "cluster_support/mod.rs"]
mod cluster_support;
#[path = "serve_harness/mod.rs"]
mod serve_harness;

use cluster_api::*;
use cluster_support::{connect, fixture};
use std::sync::atomic::Ordering;

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
