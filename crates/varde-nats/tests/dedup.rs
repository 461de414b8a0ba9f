//! Against a real three-node JetStream cluster: the raw stream is replicated three times and a
//! frame published twice is stored once.

mod common;

use async_nats::jetstream;
use bytes::Bytes;
use varde_nats::{raw_subject, streams, Frame, Layout};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_frame_published_twice_is_stored_once_on_three_replicas() {
    let Some((cluster, _dir)) = varde_testdata::nats::nats_cluster("varde-nats dedup", 3) else {
        return;
    };
    let addrs: Vec<async_nats::ServerAddr> = cluster
        .urls()
        .split(',')
        .map(|u| u.parse().unwrap())
        .collect();
    let client = async_nats::connect(addrs).await.unwrap();
    let js = jetstream::new(client);
    let mut stream = js
        .get_or_create_stream(streams::raw(&Layout::default()))
        .await
        .unwrap();
    let f = Frame {
        source: "test".into(),
        received_ms: 1_700_000_000_000,
        mmsi: Some(257_000_001),
        lines: Bytes::from_static(b"!AIVDM,1,1,,A,15MgK45P3@G?fl0E`JbR0OwT0@MS,0*4E"),
    };
    for _ in 0..2 {
        let ack = common::publish_acked(&js, raw_subject(1), f.headers(), f.lines.clone()).await;
        assert_eq!(
            ack.sequence, 1,
            "the second publish is acknowledged as the first"
        );
    }
    let info = stream.info().await.unwrap();
    assert_eq!(info.state.messages, 1);
    assert_eq!(info.config.num_replicas, 3);
    let cl = info.cluster.clone().expect("cluster info");
    assert_eq!(cl.replicas.len(), 2, "a leader and two replicas: {cl:?}");
    let msg = stream.get_raw_message(1).await.unwrap();
    let back = Frame::from_message(Some(&msg.headers), msg.payload).unwrap();
    assert_eq!(back, f);
}
