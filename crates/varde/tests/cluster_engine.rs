//! `varde engine` against a real three-node NATS JetStream cluster: the frames of a simulated
//! recording published to the raw stream give, on the alerts stream, exactly the alerts
//! `varde replay` writes for the same recording — uninterrupted, after the engine node is killed
//! and restarted, after a standby takes over from a killed owner, with a NATS node killed, and
//! after the node's snapshot became unreadable (rebuilt from the raw stream).

mod cluster_support;
mod engine_nodes;

use engine_nodes::*;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_alerts_stream_holds_replays_alerts() {
    let Some((cluster, _d)) = cluster("cluster_engine identical") else {
        return;
    };
    let f = fixture();
    let js = connect(&cluster).await;
    raw_stream(&js).await;
    let done = Arc::new(Mutex::new(0));
    publish(js.clone(), &f.frames, 2_000, Duration::ZERO, done).await;
    let node = Node::start(&cluster, "e1", f);
    node.wait_log("caught up", Duration::from_secs(30)).await;
    assert_alerts_are_replays(&js, f).await;
    // For the record (no assertion): the node's CPU time over the whole run, per frame.
    if let Ok(stat) = std::fs::read_to_string(format!("/proc/{}/stat", node.child.id())) {
        let fields: Vec<&str> = stat
            .rsplit(')')
            .next()
            .unwrap_or("")
            .split_whitespace()
            .collect();
        let ticks: f64 = fields[11].parse::<f64>().unwrap() + fields[12].parse::<f64>().unwrap();
        let cpu_s = ticks / 100.0;
        eprintln!(
            "engine node CPU: {cpu_s:.2} s for {} frames = {:.1} us/frame (start-up included)",
            f.frames.len(),
            cpu_s * 1e6 / f.frames.len() as f64
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_engine_resumes_from_its_snapshot() {
    let Some((cluster, _d)) = cluster("cluster_engine restart") else {
        return;
    };
    let f = fixture();
    let js = connect(&cluster).await;
    raw_stream(&js).await;
    let mut node = Node::start(&cluster, "e1", f);
    node.wait_log("holding the partitions", Duration::from_secs(20))
        .await;
    let (feed, done) = paced_feed(&js);
    until_published(&done, f.frames.len() * 2 / 5).await;
    // A snapshot of the frames so far (on a loaded machine the first may take a while).
    node.wait_log("snapshot stored", Duration::from_secs(30))
        .await;
    node.kill9();
    let killed = Instant::now();
    let node = Node::start(&cluster, "e1", f);
    node.wait_log("resuming from the snapshot", Duration::from_secs(20))
        .await;
    eprintln!(
        "restarted node resumed from its snapshot {:?} after the kill",
        killed.elapsed()
    );
    let log = node.log();
    assert!(
        !log.contains(" seq=0 "),
        "resumed from a snapshot, not the start:\n{log}"
    );
    feed.await.unwrap();
    assert_alerts_are_replays(&js, f).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreadable_snapshot_is_rebuilt_from_the_raw_stream() {
    let Some((cluster, _d)) = cluster("cluster_engine old snapshot") else {
        return;
    };
    let f = fixture();
    let js = connect(&cluster).await;
    raw_stream(&js).await;
    let mut node = Node::start(&cluster, "e1", f);
    node.wait_log("holding the partitions", Duration::from_secs(20))
        .await;
    let (feed, done) = paced_feed(&js);
    until_published(&done, f.frames.len() * 2 / 5).await;
    node.wait_log("snapshot stored", Duration::from_secs(30))
        .await;
    node.kill9();
    // As a build with another snapshot format (or a damaged object) would leave it.
    let snaps = js
        .get_object_store(varde_nats::SNAPSHOTS_BUCKET)
        .await
        .unwrap();
    let mut names = Vec::new();
    let mut list = snaps.list().await.unwrap();
    while let Some(o) = futures_util::StreamExt::next(&mut list).await {
        names.push(o.unwrap().name);
    }
    assert!(!names.is_empty(), "the node stored no snapshot");
    for name in &names {
        snaps
            .put(name.as_str(), &mut &b"a snapshot of another format"[..])
            .await
            .unwrap();
    }
    let node = Node::start(&cluster, "e1", f);
    node.wait_log(
        "rebuilding the state from the raw stream",
        Duration::from_secs(20),
    )
    .await;
    feed.await.unwrap();
    node.wait_log("caught up", Duration::from_secs(30)).await;
    // Same alerts, ids and revisions as replay; none published twice (numbering 1..n checked).
    assert_alerts_are_replays(&js, f).await;

    // Once the stream's limits have removed its first frames, the state cannot be rebuilt: the
    // node refuses to go on, saying why, rather than raise different alerts under the same ids.
    let mut node = node;
    node.kill9();
    for name in &names {
        snaps
            .put(name.as_str(), &mut &b"damaged"[..])
            .await
            .unwrap();
    }
    raw_stream(&js).await.purge().sequence(100).await.unwrap();
    let mut node = Node::start(&cluster, "e1", f);
    node.wait_log("no longer holds its first frames", Duration::from_secs(20))
        .await;
    let status = node.child.wait().unwrap();
    assert!(!status.success(), "the node went on without its state");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_standby_takes_over_from_a_killed_owner() {
    let Some((cluster, _d)) = cluster("cluster_engine failover") else {
        return;
    };
    let f = fixture();
    let js = connect(&cluster).await;
    raw_stream(&js).await;
    let mut owner = Node::start(&cluster, "e1", f);
    owner
        .wait_log("holding the partitions", Duration::from_secs(20))
        .await;
    let standby = Node::start(&cluster, "e2", f);
    standby
        .wait_log("standing by", Duration::from_secs(20))
        .await;
    let (feed, done) = paced_feed(&js);
    until_published(&done, f.frames.len() * 2 / 5).await;
    owner.kill9();
    let killed = Instant::now();
    standby
        .wait_log("took over the partitions", Duration::from_secs(15))
        .await;
    let took = killed.elapsed();
    eprintln!("take-over: the standby held the lease {took:?} after the owner was killed");
    assert!(took < Duration::from_secs(15));
    feed.await.unwrap();
    standby.wait_log("caught up", Duration::from_secs(20)).await;
    assert_alerts_are_replays(&js, f).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn alerts_stay_identical_when_a_nats_node_is_killed() {
    let Some((mut cluster, _d)) = cluster("cluster_engine nats-kill") else {
        return;
    };
    let f = fixture();
    let js = connect(&cluster).await;
    raw_stream(&js).await;
    let node = Node::start(&cluster, "e1", f);
    node.wait_log("holding the partitions", Duration::from_secs(20))
        .await;
    let (feed, done) = paced_feed(&js);
    until_published(&done, f.frames.len() * 2 / 5).await;
    cluster.kill(0);
    let killed = Instant::now();
    feed.await.unwrap();
    eprintln!(
        "all frames stored {:?} after NATS node 0 was killed",
        killed.elapsed()
    );
    tokio::time::sleep(Duration::from_secs(15)).await;
    let l = node.log();
    for line in l
        .lines()
        .filter(|x| !x.starts_with(' '))
        .collect::<Vec<_>>()
        .iter()
        .rev()
        .take(25)
        .rev()
    {
        eprintln!("ENGINE| {line}");
    }
    assert_alerts_are_replays(&js, f).await;
    eprintln!("alerts identical {:?} after the kill", killed.elapsed());
}
