//! `varde engine` against a real three-node NATS JetStream cluster: the frames of a simulated
//! recording published to the raw stream give, on the alerts stream, exactly the alerts
//! `varde replay` writes for the same recording — uninterrupted, after the engine node is killed
//! and restarted, after a standby takes over from a killed owner, and with a NATS node killed.

use async_nats::jetstream::{self, stream::Stream};
use serde_json::Value;
use std::collections::{BTreeMap, HashSet};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};
use varde_ais::{AisMessage, Decoder, Output};
use varde_nats::{
    partition_of, raw_subject, Frame, ALERTS_STREAM, EVENT_HEADER, EVENT_KIND_HEADER,
    REVISION_HEADER,
};
use varde_testdata::nats::NatsCluster;

mod cluster_support;

use cluster_support::connect;

/// The shared simulated recording (40 vessels, 2 h, every built-in scenario) and its frames.
struct Fixture {
    base: cluster_support::Fixture,
    frames: Vec<Frame>,
}

impl Fixture {
    fn rule_args(&self) -> Vec<String> {
        self.base.rule_args()
    }

    /// Replay's alert lines, parsed.
    fn alerts(&self) -> &[Value] {
        &self.base.alerts
    }
}

fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let base = cluster_support::fixture(40, 2);
        let frames = frames_of(&std::fs::read(&base.sim).unwrap());
        let f = Fixture { base, frames };
        let kinds: HashSet<&str> = f
            .alerts()
            .iter()
            .filter_map(|a| a["kind"].as_str())
            .collect();
        assert!(
            kinds.len() >= 3,
            "the scenario raises several kinds of alert: {kinds:?}"
        );
        f
    })
}

/// The recording's messages as an ingest node frames them: the sentences of each message, its
/// MMSI, and the receive time = the message's tag-block time (a message without one takes the
/// latest time before it, as `varde replay` times it).
fn frames_of(nmea: &[u8]) -> Vec<Frame> {
    let mut decoder = Decoder::new();
    let mut latest = None;
    let mut frames = Vec::new();
    for line in nmea.split(|b| *b == b'\n') {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let Ok(Output::Frame(f)) = decoder.feed(0, line) else {
            continue;
        };
        let Ok(msg) = AisMessage::decode(f.payload) else {
            continue;
        };
        latest = f.time_ms.or(latest);
        let Some(t) = latest else { continue };
        frames.push(Frame {
            source: "sim".into(),
            received_ms: t,
            mmsi: Some(msg.mmsi()),
            lines: bytes::Bytes::copy_from_slice(f.raw.as_bytes()),
        });
    }
    frames
}

/// Publishes every frame in order, `chunk` at a time with `pause` between chunks; a failed
/// publish is sent again (its `Nats-Msg-Id` stores it once). `done` counts the frames stored.
async fn publish(
    js: jetstream::Context,
    frames: &[Frame],
    chunk: usize,
    pause: Duration,
    done: Arc<Mutex<usize>>,
) {
    for (i, part) in frames.chunks(chunk).enumerate() {
        if i > 0 {
            tokio::time::sleep(pause).await;
        }
        let mut acks = Vec::new();
        for f in part {
            let subject = raw_subject(partition_of(f.mmsi.unwrap_or(0), 16));
            acks.push(
                js.publish_with_headers(subject, f.headers(), f.lines.clone())
                    .await,
            );
        }
        for (f, ack) in part.iter().zip(acks) {
            let ok = match ack {
                Ok(a) => a.await.is_ok(),
                Err(_) => false,
            };
            if !ok {
                // Resent one by one, in order, until stored.
                let subject = raw_subject(partition_of(f.mmsi.unwrap_or(0), 16));
                let start = Instant::now();
                loop {
                    let r = async {
                        js.publish_with_headers(subject.clone(), f.headers(), f.lines.clone())
                            .await?
                            .await
                            .map_err(async_nats::Error::from)
                    };
                    if r.await.is_ok() {
                        break;
                    }
                    assert!(
                        start.elapsed() < Duration::from_secs(30),
                        "the raw stream took no frame for 30 s"
                    );
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            }
        }
        *done.lock().unwrap() += part.len();
    }
}

async fn raw_stream(js: &jetstream::Context) -> Stream {
    js.get_or_create_stream(varde_nats::streams::raw(&varde_nats::Layout::default()))
        .await
        .unwrap()
}

/// One `varde engine` process; its stderr (the log) is collected.
struct Node {
    child: Child,
    log: Arc<Mutex<String>>,
}

impl Node {
    fn start(cluster: &NatsCluster, name: &str, f: &Fixture) -> Self {
        Self::start_with(cluster, name, f, &[])
    }

    /// A node with `extra` arguments (`--partitions 0-7`, `--role area`).
    fn start_with(cluster: &NatsCluster, name: &str, f: &Fixture, extra: &[&str]) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_varde"))
            .args(["engine", "--nats", &cluster.urls(), "--node", name])
            .args(["--snapshot-every", "0.5", "--lease-ttl", "3"])
            .args(extra)
            .args(f.rule_args())
            // `snapshot stored` is logged at debug.
            .env("RUST_LOG", "info,varde::cluster::engine=debug")
            .stderr(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        let log = Arc::new(Mutex::new(String::new()));
        let (err, l) = (child.stderr.take().unwrap(), log.clone());
        std::thread::spawn(move || {
            for line in BufReader::new(err).lines().map_while(Result::ok) {
                let mut l = l.lock().unwrap();
                l.push_str(&line);
                l.push('\n');
            }
        });
        Self { child, log }
    }

    fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    /// Waits until the log holds `what` (panics with the log after `within`).
    async fn wait_log(&self, what: &str, within: Duration) {
        let start = Instant::now();
        while !self.log().contains(what) {
            assert!(
                start.elapsed() < within,
                "no {what:?} in the log within {within:?}:\n{}",
                self.log()
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// SIGKILL.
    fn kill9(&mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One message of the alerts stream.
#[derive(Debug, Clone)]
struct Published {
    subject: String,
    event: u64,
    revision: u32,
    msg_id: String,
    what: String,
    alert: Value,
}

async fn read_alerts(js: &jetstream::Context) -> Vec<Published> {
    let Ok(stream) = js.get_stream(ALERTS_STREAM).await else {
        return Vec::new();
    };
    let last = stream.get_info().await.unwrap().state.last_sequence;
    let mut out = Vec::new();
    for seq in 1..=last {
        // A message the stream no longer holds is skipped; any other error (a request that timed
        // out on the loaded machine) is asked again: a reader that skipped those would see gaps
        // that are not in the stream.
        let start = Instant::now();
        let m = loop {
            match stream.get_raw_message(seq).await {
                Ok(m) => break Some(m),
                Err(e)
                    if e.kind() == jetstream::stream::LastRawMessageErrorKind::NoMessageFound =>
                {
                    break None
                }
                Err(e) => {
                    assert!(
                        start.elapsed() < Duration::from_secs(20),
                        "reading alert {seq}: {e}"
                    );
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            }
        };
        let Some(m) = m else { continue };
        let h = |n: &str| m.headers.get(n).unwrap().as_str().to_owned();
        out.push(Published {
            subject: m.subject.to_string(),
            event: h(EVENT_HEADER).parse().unwrap(),
            revision: h(REVISION_HEADER).parse().unwrap(),
            msg_id: h("Nats-Msg-Id"),
            what: h(EVENT_KIND_HEADER),
            alert: serde_json::from_slice(&m.payload).unwrap(),
        });
    }
    out
}

/// The latest state of each alert in the stream, by id, without the alerts retracted (replay
/// leaves those out), and with only the fields an alert event always carries up to date (see
/// [`event_fields`]).
fn latest(published: &[Published]) -> BTreeMap<String, Value> {
    let mut by_id = BTreeMap::new();
    for p in published {
        let id = p.alert["id"].as_str().unwrap().to_owned();
        if p.what == "retracted" {
            by_id.remove(&id);
        } else {
            by_id.insert(id, event_fields(&p.alert));
        }
    }
    by_id
}

/// An alert without its evidence and position. The engine refreshes an open alert's evidence
/// window and position in place without an event (they are not material: see
/// `serve::pipeline::revisions`), so the last event of a still-open alert can hold older evidence
/// than the alert's final state that `varde replay` writes; every other field changes only with an
/// event.
fn event_fields(a: &Value) -> Value {
    let mut a = a.clone();
    if let Some(o) = a.as_object_mut() {
        for k in ["evidence", "lat", "lon"] {
            o.remove(k);
        }
    }
    a
}

fn replay_by_id(f: &Fixture) -> BTreeMap<String, Value> {
    f.alerts()
        .iter()
        .map(|a| (a["id"].as_str().unwrap().to_owned(), event_fields(a)))
        .collect()
}

/// How the stream's latest alert states differ from replay's alerts, by id.
#[derive(Default)]
struct Differences {
    missing: Vec<String>,
    extra: Vec<String>,
    differ: Vec<String>,
}

impl Differences {
    fn none(&self) -> bool {
        self.missing.is_empty() && self.extra.is_empty() && self.differ.is_empty()
    }
}

fn differences(got: &BTreeMap<String, Value>, want: &BTreeMap<String, Value>) -> Differences {
    let missing = want
        .keys()
        .filter(|k| !got.contains_key(*k))
        .cloned()
        .collect();
    let extra = got
        .keys()
        .filter(|k| !want.contains_key(*k))
        .cloned()
        .collect();
    // Known engine behaviour as well: a rendezvous alert's summary is reworded in place (which
    // vessel is named first) without an event. Every other field must be identical.
    let without_summary = |a: &Value| {
        let mut a = a.clone();
        a.as_object_mut().unwrap().remove("summary");
        a
    };
    let differ = want
        .keys()
        .filter(|k| {
            got.get(*k).is_some_and(|g| {
                g != &want[*k]
                    && (g["kind"] != "rendezvous"
                        || without_summary(g) != without_summary(&want[*k]))
            })
        })
        .cloned()
        .collect();
    Differences {
        missing,
        extra,
        differ,
    }
}

/// Waits until the alerts stream's latest states are replay's alerts (the node may still be
/// publishing the last events when the feed ends: an open alert's last update can be the very
/// last event), then checks them and the stream's numbering: events 1..N each once (no
/// duplicate, no gap), each alert's revisions starting at 1 and rising by at most one.
async fn assert_alerts_are_replays(js: &jetstream::Context, f: &Fixture) {
    let want = replay_by_id(f);
    let start = Instant::now();
    let (published, got, diff) = loop {
        let published = read_alerts(js).await;
        let got = latest(&published);
        let diff = differences(&got, &want);
        if diff.none() || start.elapsed() > Duration::from_secs(40) {
            break (published, got, diff);
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    };
    let Differences {
        missing,
        extra,
        differ,
    } = diff;
    let gaps: Vec<String> = published
        .windows(2)
        .filter(|w| w[1].event != w[0].event + 1)
        .map(|w| format!("{}→{}", w[0].event, w[1].event))
        .collect();
    let history: Vec<String> = differ
        .first()
        .map(|k| {
            published
                .iter()
                .filter(|p| p.alert["id"] == k.as_str())
                .map(|p| {
                    format!(
                        "{} {} r{}: {}",
                        p.event, p.what, p.revision, p.alert["summary"]
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    assert!(
        missing.is_empty() && extra.is_empty() && differ.is_empty(),
        "alerts stream vs replay: missing {missing:?}, extra {extra:?}, different {differ:?}\nfirst different: {:?}\nvs replay's {:?}\nits events:\n{}\nnumbering gaps: {gaps:?}",
        differ.first().map(|k| &got[k]),
        differ.first().map(|k| &want[k]),
        history.join("\n"),
    );
    assert_numbering(&published.iter().collect::<Vec<_>>());
    eprintln!(
        "alerts stream: {} revisions of {} alerts, latest states identical to replay's",
        published.len(),
        want.len()
    );
}

/// The numbering of one publisher's alerts: events 1..N each once (no duplicate, no gap), each
/// alert's revisions starting at 1 and rising by at most one.
fn assert_numbering(published: &[&Published]) {
    let events: Vec<u64> = published.iter().map(|p| p.event).collect();
    let n = events.len() as u64;
    assert_eq!(
        events,
        (1..=n).collect::<Vec<_>>(),
        "every event once, in order"
    );
    let ids: HashSet<&str> = published.iter().map(|p| p.msg_id.as_str()).collect();
    assert_eq!(ids.len(), published.len(), "no message id twice");
    let mut rev: BTreeMap<&str, u32> = BTreeMap::new();
    for p in published {
        let r = rev.entry(p.alert["id"].as_str().unwrap()).or_insert(0);
        assert!(
            p.revision == *r || p.revision == *r + 1,
            "revision {} after {} of {}",
            p.revision,
            r,
            p.msg_id
        );
        assert!(p.revision >= 1);
        *r = p.revision;
    }
}

/// Waits until `done` reaches `n` frames.
async fn until_published(done: &Arc<Mutex<usize>>, n: usize) {
    let start = Instant::now();
    while *done.lock().unwrap() < n {
        assert!(
            start.elapsed() < Duration::from_secs(40),
            "publishing stalled"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

fn cluster(name: &str) -> Option<(NatsCluster, varde_testdata::nats::TempDir)> {
    varde_testdata::nats::nats_cluster(name, 3)
}

/// Publishes the fixture's frames in the background, 500 every 100 ms; the counter says how many
/// are stored so far.
fn paced_feed(js: &jetstream::Context) -> (tokio::task::JoinHandle<()>, Arc<Mutex<usize>>) {
    let done = Arc::new(Mutex::new(0));
    let feed = tokio::spawn({
        let (js, done) = (js.clone(), done.clone());
        async move { publish(js, &fixture().frames, 500, Duration::from_millis(100), done).await }
    });
    (feed, done)
}

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

/// The area node's alert subject (`--role area`, the whole area).
const AREA_SUBJECT: &str = "varde.alerts.area.all";

/// Alerts only an engine that sees every vessel raises (what an area node publishes).
fn pairwise(a: &Value) -> bool {
    matches!(
        a["kind"].as_str(),
        Some("rendezvous") | Some("gnss_interference")
    )
}

/// Two partition nodes (0-7 and 8-15) and an area node (with a standby that takes over when the
/// owner is killed) on the live feed: the area node's alerts are replay's pairwise alerts, fields
/// and all (as compared everywhere in this file); the partition nodes' alerts are replay's others
/// except those of GNSS-interference victims in their episodes ([`settled_victim_alert`]); each
/// node numbers its own events 1..n.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn partition_nodes_and_an_area_node_raise_replays_alerts() {
    let Some((cluster, _d)) = cluster("cluster_engine area") else {
        return;
    };
    let f = fixture();
    let count = |kind: &str| f.alerts().iter().filter(|a| a["kind"] == kind).count();
    let (rendezvous, gnss) = (count("rendezvous"), count("gnss_interference"));
    eprintln!("replay: {rendezvous} rendezvous and {gnss} GNSS interference alerts");
    assert!(
        rendezvous > 0 && gnss > 0,
        "the recording holds pairwise incidents"
    );
    let js = connect(&cluster).await;
    raw_stream(&js).await;
    let low = Node::start_with(&cluster, "p-low", f, &["--partitions", "0-7"]);
    let high = Node::start_with(&cluster, "p-high", f, &["--partitions", "8-15"]);
    let mut area = Node::start_with(&cluster, "area-1", f, &["--role", "area"]);
    for n in [&low, &high, &area] {
        n.wait_log("holding the partitions", Duration::from_secs(20))
            .await;
    }
    let standby = Node::start_with(&cluster, "area-2", f, &["--role", "area"]);
    standby
        .wait_log("standing by", Duration::from_secs(20))
        .await;
    let (feed, done) = paced_feed(&js);
    until_published(&done, f.frames.len() * 2 / 5).await;
    // A snapshot of the frames so far (on a loaded machine the first may take a while).
    area.wait_log("snapshot stored", Duration::from_secs(30))
        .await;
    area.kill9();
    standby
        .wait_log("took over the partitions", Duration::from_secs(15))
        .await;
    assert!(
        !standby.log().contains(" seq=0 "),
        "the standby resumed from the area snapshot:\n{}",
        standby.log()
    );
    feed.await.unwrap();

    let want: BTreeMap<String, Value> = replay_by_id(f);
    let (want_pairs, want_rest): (BTreeMap<_, _>, BTreeMap<_, _>) =
        want.into_iter().partition(|(_, a)| pairwise(a));
    let episodes: Vec<&Value> = f
        .alerts()
        .iter()
        .filter(|a| a["kind"] == "gnss_interference")
        .collect();
    // The nodes may still be publishing the last updates of open alerts: read until both parts
    // match (or 40 s have passed), then check.
    let start = Instant::now();
    let (published, pair_diff, rest_diff) = loop {
        let published = read_alerts(&js).await;
        let (area_msgs, rest): (Vec<Published>, Vec<Published>) = published
            .iter()
            .cloned()
            .partition(|p| p.subject == AREA_SUBJECT);
        let pair_diff = differences(&latest(&area_msgs), &want_pairs);
        let rest_diff = split_differences(&latest(&rest), &want_rest, &episodes);
        let done = pair_diff.none() && rest_diff.1.is_empty();
        if done || start.elapsed() > Duration::from_secs(40) {
            break (published, pair_diff, rest_diff);
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    };
    assert!(
        pair_diff.none(),
        "area node vs replay's pairwise alerts: missing {:?}, extra {:?}, different {:?}",
        pair_diff.missing,
        pair_diff.extra,
        pair_diff.differ
    );
    let (explained, unexplained) = rest_diff;
    assert!(
        unexplained.is_empty(),
        "partition nodes' alerts differ from replay's beyond GNSS-interference victims' settling:\n{}",
        unexplained.join("\n")
    );
    eprintln!(
        "partition nodes vs replay's other alerts: {} differences, all GNSS-interference victims' \
         alerts in their episodes (extra or in another incident)",
        explained
    );
    for p in &published {
        assert_eq!(
            p.subject == AREA_SUBJECT,
            pairwise(&p.alert),
            "pairwise alerts come from the area node only: {} on {}",
            p.msg_id,
            p.subject
        );
    }
    let publisher = |p: &Published| match p.subject.rsplit('.').next() {
        Some("all") => 2,
        Some(n) if n.parse::<u32>().unwrap() < 8 => 0,
        _ => 1,
    };
    for who in 0..3 {
        let mine: Vec<&Published> = published.iter().filter(|p| publisher(p) == who).collect();
        assert!(!mine.is_empty(), "publisher {who} published alerts");
        assert_numbering(&mine);
    }
    eprintln!(
        "area node: {} pairwise alerts identical to replay's",
        want_pairs.len()
    );
}

/// How the partition nodes' latest states (`got`) differ from replay's non-pairwise alerts
/// (`want`): the number of differences [`settled_victim_alert`] explains (an extra alert, or one
/// that differs in its `incident` only), and a description of each other one.
fn split_differences(
    got: &BTreeMap<String, Value>,
    want: &BTreeMap<String, Value>,
    episodes: &[&Value],
) -> (usize, Vec<String>) {
    let d = differences(got, want);
    let mut explained = 0;
    let mut unexplained: Vec<String> = d
        .missing
        .iter()
        .map(|k| format!("missing {}", want[k]))
        .collect();
    for k in &d.extra {
        if settled_victim_alert(&got[k], episodes) {
            explained += 1;
        } else {
            unexplained.push(format!("extra {}", got[k]));
        }
    }
    for k in &d.differ {
        let incident_only = without(&got[k], "incident") == without(&want[k], "incident");
        if incident_only && settled_victim_alert(&got[k], episodes) {
            explained += 1;
        } else {
            unexplained.push(format!("different {}\n   replay's {}", got[k], want[k]));
        }
    }
    (explained, unexplained)
}

/// An alert replay settles and partition nodes cannot: partition nodes holding fewer than all
/// partitions run no `gnss_interference` (its episodes gather victims across partitions), so the
/// alerts a victim raises in its episode — a second transmitter (`identity_conflict`), jumps,
/// fixes on land, alerts placed where the spoofer put it — stay as raised: those replay retracts
/// are extra, and those it keeps may join another incident. True for an alert of a victim of one
/// of replay's `episodes` (its subject or related MMSIs) that starts within the episode (from
/// `window_s`, 10 min, before its start to its end) and of a kind the settling touches.
fn settled_victim_alert(a: &Value, episodes: &[&Value]) -> bool {
    let secs = |v: &Value| {
        v.as_str()
            .map(|t| unix_seconds(t).unwrap_or_else(|| panic!("a time: {t}")))
    };
    let settled_kind = !matches!(
        a["kind"].as_str(),
        Some("data_quality") | Some("watchlist") | Some("gnss_interference") | Some("rendezvous")
    );
    let start = secs(&a["start"]).unwrap();
    settled_kind
        && episodes.iter().any(|e| {
            let victim = e["mmsi"] == a["mmsi"]
                || e["related_mmsi"]
                    .as_array()
                    .is_some_and(|r| r.contains(&a["mmsi"]));
            let from = secs(&e["start"]).unwrap() - 600;
            let to = secs(&e["end"]).unwrap_or(i64::MAX);
            victim && (from..=to).contains(&start)
        })
}

/// Seconds since the epoch of an RFC 3339 UTC time `YYYY-MM-DDTHH:MM:SSZ` (as alerts write it).
fn unix_seconds(t: &str) -> Option<i64> {
    let n = |r: std::ops::Range<usize>| t.get(r)?.parse::<i64>().ok();
    let (y, mo, d) = (n(0..4)?, n(5..7)?, n(8..10)?);
    let (h, mi, s) = (n(11..13)?, n(14..16)?, n(17..19)?);
    // Days from the civil date (Howard Hinnant's algorithm).
    let y = if mo <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if mo > 2 { mo - 3 } else { mo + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(days * 86_400 + h * 3600 + mi * 60 + s)
}

/// `a` without field `k`.
fn without(a: &Value, k: &str) -> Value {
    let mut a = a.clone();
    if let Some(o) = a.as_object_mut() {
        o.remove(k);
    }
    a
}
