//! `varde engine` against a real three-node NATS JetStream cluster: the frames of a simulated
//! recording published to the raw stream give, on the alerts stream, exactly the alerts
//! `varde replay` writes for the same recording — uninterrupted, after the engine node is killed
//! and restarted, after a standby takes over from a killed owner, with a NATS node killed, and
//! after the node's snapshot became unreadable (rebuilt from the raw stream); and a node of some
//! partitions is delivered only their frames (NATS >= 2.10) and handles each once when the NATS
//! node holding its consumer is killed.

mod cluster_support;
mod engine_nodes;

use engine_nodes::*;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use varde_nats::partition_of;

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
    let feed = killed_after_a_snapshot(&cluster, &js, f).await;
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
    let feed = killed_after_a_snapshot(&cluster, &js, f).await;
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

/// A node of partitions 0-7 on a raw stream holding frames of all 16: against NATS >= 2.10 its
/// consumer filters by its partitions' subjects, so it is delivered exactly its partitions' frames
/// and skips none (the counters it logs at stop); against NATS 2.9 it reads the whole stream and
/// skips the others' frames, and says so. Either way it handles exactly its partitions' frames.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_partition_node_is_delivered_only_its_partitions_frames() {
    let Some((cluster, _d)) = cluster("cluster_engine own partitions") else {
        return;
    };
    let f = fixture();
    let own = f
        .frames
        .iter()
        .filter(|fr| partition_of(fr.mmsi.unwrap_or(0), 16) < 8)
        .count() as u64;
    let others = f.frames.len() as u64 - own;
    assert!(
        own > 0 && others > 0,
        "frames of both halves: {own} + {others}"
    );
    let js = connect(&cluster).await;
    raw_stream(&js).await;
    publish(
        js.clone(),
        &f.frames,
        2_000,
        Duration::ZERO,
        Arc::new(Mutex::new(0)),
    )
    .await;
    let mut node = Node::start_with(&cluster, "low", f, &["--partitions", "0-7"]);
    node.wait_log("caught up", Duration::from_secs(30)).await;
    node.stop().await;
    let stopped = "stopped: lease released";
    let version = js.client().server_info().version;
    let log = node.log();
    let (received, skipped) = if filters_many(&version) {
        assert!(
            log.contains("reading the raw stream: own partitions only"),
            "NATS {version} filters by several subjects: the node must use it\n{log}"
        );
        (own, 0)
    } else {
        eprintln!("NATS {version} has no multi-subject filters: the node reads the whole stream");
        assert!(
            log.contains("reading the raw stream: whole stream, other partitions' frames skipped"),
            "{log}"
        );
        (own + others, others)
    };
    assert_eq!(
        node.logged_number(stopped, "skipped_other_partitions"),
        skipped,
        "frames of partitions 8-15 delivered to the node of 0-7 (NATS {version})\n{log}"
    );
    assert_eq!(
        node.logged_number(stopped, "frames_received"),
        received,
        "{log}"
    );
    assert_eq!(node.logged_number(stopped, "frames_handled"), own, "{log}");
    eprintln!(
        "NATS {version}: the node of partitions 0-7 was delivered {received} frames of the \
         stream's {} ({own} its own)",
        f.frames.len()
    );
    // Its alerts are about its partitions only.
    let alerts = read_alerts(&js).await;
    assert!(!alerts.is_empty(), "the node raised alerts");
    for a in &alerts {
        let p: u32 = a.subject.rsplit('.').next().unwrap().parse().unwrap();
        assert!(p < 8, "{} on {}", a.msg_id, a.subject);
    }
}

/// Two partition nodes (0-7, 8-15) on the live feed while a NATS node is killed -9: their
/// consumers (on their own partitions' subjects against NATS >= 2.10) may be recreated by the
/// client or found stalled by the node, and still each node handles every frame of its
/// partitions exactly once (its counters at stop), is delivered no other partition's frame, and
/// numbers its alerts 1..n without a gap.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn partition_nodes_handle_each_of_their_frames_once_when_a_nats_node_is_killed() {
    let Some((mut cluster, _d)) = cluster("cluster_engine own partitions nats-kill") else {
        return;
    };
    let f = fixture();
    let js = connect(&cluster).await;
    let raw = raw_stream(&js).await;
    let halves = [("0-7", 0..8u32), ("8-15", 8..16u32)];
    let mut nodes: Vec<Node> = halves
        .iter()
        .map(|(set, _)| Node::start_with(&cluster, &format!("p{set}"), f, &["--partitions", set]))
        .collect();
    for n in &nodes {
        n.wait_log("holding the partitions", Duration::from_secs(20))
            .await;
    }
    let (feed, done) = paced_feed(&js);
    until_published(&done, f.frames.len() * 2 / 5).await;
    // The NATS node the 0-7 node's consumer lives on (on NATS 2.9, whose consumers do not
    // filter by several subjects, node 0): its death makes the consumer go.
    let version = js.client().server_info().version;
    let host = consumer_host(&raw, "varde.raw.0").await;
    assert!(
        host.is_some() || !filters_many(&version),
        "the 0-7 node's consumer filters by its subjects"
    );
    let host = host.unwrap_or(0);
    eprintln!("killing NATS node {host}, which holds the 0-7 node's consumer");
    cluster.kill(host);
    feed.await.unwrap();
    for (node, (set, parts)) in nodes.iter_mut().zip(&halves) {
        let own = f
            .frames
            .iter()
            .filter(|fr| parts.contains(&partition_of(fr.mmsi.unwrap_or(0), 16)))
            .count() as u64;
        // The stream sequence of the node's last frame: its snapshot reaches it (or passes it, on
        // the whole stream) once the node has handled every frame of its partitions.
        let mut last = 0;
        for p in parts.clone() {
            let m = raw
                .get_last_raw_message_by_subject(&varde_nats::raw_subject(p))
                .await
                .unwrap();
            last = last.max(m.sequence);
        }
        let start = Instant::now();
        while snapshot_seq(&node.log()) < last {
            assert!(
                start.elapsed() < Duration::from_secs(60),
                "node {set}: no snapshot at or past seq {last} within 60 s\n{}",
                node.log()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        node.stop().await;
        let stopped = "stopped: lease released";
        let log = node.log();
        assert_eq!(
            node.logged_number(stopped, "frames_handled"),
            own,
            "node {set}: every frame of its partitions once\n{log}"
        );
        if filters_many(&version) {
            assert_eq!(
                node.logged_number(stopped, "skipped_other_partitions"),
                0,
                "node {set} was delivered other partitions' frames\n{log}"
            );
        }
        let consumer_events: Vec<&str> = log
            .lines()
            .filter(|l| l.contains("raw stream consumer") || l.contains("delivered again"))
            .collect();
        eprintln!(
            "node {set}: {own} frames handled once across the NATS node's death; consumer \
             events: {consumer_events:#?}"
        );
    }
    let alerts = read_alerts(&js).await;
    for (set, parts) in &halves {
        let mine: Vec<&Published> = alerts
            .iter()
            .filter(|a| {
                let p: u32 = a.subject.rsplit('.').next().unwrap().parse().unwrap();
                parts.contains(&p)
            })
            .collect();
        assert!(!mine.is_empty(), "node {set} raised alerts");
        assert_numbering(&mine);
    }
}

/// The highest raw-stream sequence of the snapshots a node logged as stored (0: none).
fn snapshot_seq(log: &str) -> u64 {
    log.lines()
        .filter(|l| l.contains("snapshot stored"))
        .filter_map(|l| {
            l.split_whitespace()
                .find_map(|w| w.strip_prefix("seq="))
                .and_then(|v| v.parse().ok())
        })
        .max()
        .unwrap_or(0)
}

/// The index of the NATS node that leads the raw-stream consumer whose filters hold `subject`
/// (server names are `n1`, `n2`, … for nodes 0, 1, …), if one does.
async fn consumer_host(
    raw: &async_nats::jetstream::stream::Stream,
    subject: &str,
) -> Option<usize> {
    use futures_util::StreamExt;
    let mut consumers = raw.consumers();
    while let Some(info) = consumers.next().await {
        let info = info.unwrap();
        let filters = &info.config.filter_subjects;
        if filters.iter().any(|s| s == subject) {
            let leader = info.cluster.and_then(|c| c.leader).unwrap();
            return Some(leader.trim_start_matches('n').parse::<usize>().unwrap() - 1);
        }
    }
    None
}

/// Whether a NATS server of `version` (`2.14.6`) has multi-subject consumer filters (2.10+).
fn filters_many(version: &str) -> bool {
    let mut it = version.split('.').map(|p| p.parse::<u32>().unwrap_or(0));
    let (major, minor) = (it.next().unwrap_or(0), it.next().unwrap_or(0));
    (major, minor) >= (2, 10)
}
