//! The NATS test harness (`varde_testdata::nats`) as the cluster tests use it: two clusters side
//! by side get ports of their own, and a killed node restarted comes back at the URL its clients
//! hold, with its JetStream data.

mod common;

use async_nats::jetstream;
use bytes::Bytes;
use std::time::{Duration, Instant};
use varde_nats::{raw_subject, streams, Layout};

async fn js(url: &str) -> jetstream::Context {
    let addrs: Vec<async_nats::ServerAddr> = url.split(',').map(|u| u.parse().unwrap()).collect();
    jetstream::new(async_nats::connect(addrs).await.unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restarted_node_comes_back_at_its_url_with_its_data() {
    let Some((mut a, _da)) = varde_testdata::nats::nats_cluster("varde-nats harness a", 3) else {
        return;
    };
    let Some((b, _db)) = varde_testdata::nats::nats_cluster("varde-nats harness b", 1) else {
        return;
    };
    let urls: Vec<String> = a.urls().split(',').map(str::to_owned).collect();
    assert_eq!(urls.len(), 3);
    assert!(
        !urls.contains(&b.urls()),
        "clusters side by side share no port: {urls:?} vs {}",
        b.urls()
    );
    let js_all = js(&a.urls()).await;
    js_all
        .get_or_create_stream(streams::raw(&Layout::default()))
        .await
        .unwrap();
    common::publish_acked(
        &js_all,
        raw_subject(1),
        Default::default(),
        Bytes::from_static(b"one"),
    )
    .await;

    let before = a.url(1);
    a.kill(1);
    a.restart(1).unwrap();
    assert_eq!(a.url(1), before, "the restarted node keeps its client URL");
    // Through the restarted node alone: it is back in the cluster and the stream is there with
    // its message. Until the node has rejoined, an answer through it may come from a replica
    // still catching up (0 messages) or be an error, so it is asked again for up to 20 s.
    let js1 = js(&a.url(1)).await;
    let start = Instant::now();
    loop {
        let last = match js1.get_stream(varde_nats::RAW_STREAM).await {
            Ok(mut s) => match s.info().await {
                Ok(i) if i.state.messages == 1 => break,
                Ok(i) => format!("{} messages", i.state.messages),
                Err(e) => e.to_string(),
            },
            Err(e) => e.to_string(),
        };
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "the stream through the restarted node, after 20 s: {last}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
