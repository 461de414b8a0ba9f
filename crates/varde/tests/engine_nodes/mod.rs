//! The engine-node harness of the cluster tests: the shared recording and its frames, a
//! `varde engine` process with its log, the alerts stream read back and compared with replay's
//! alerts, and a paced feed of the raw stream.

#![allow(dead_code)]

use async_nats::jetstream::{self, stream::Stream};
use serde_json::Value;
use std::collections::{BTreeMap, HashSet};
use std::process::{Child, Command};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};
use varde_ais::{AisMessage, Decoder, Output};
use varde_nats::{
    partition_of, raw_subject, Frame, ALERTS_STREAM, EVENT_HEADER, EVENT_KIND_HEADER,
    REVISION_HEADER,
};
use varde_testdata::nats::NatsCluster;

pub use crate::cluster_support::connect;

/// The shared simulated recording (40 vessels, 2 h, every built-in scenario) and its frames.
pub struct Fixture {
    pub base: crate::cluster_support::Fixture,
    pub frames: Vec<Frame>,
}

impl Fixture {
    pub fn rule_args(&self) -> Vec<String> {
        self.base.rule_args()
    }

    /// Replay's alert lines, parsed.
    pub fn alerts(&self) -> &[Value] {
        &self.base.alerts
    }
}

pub fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let base = crate::cluster_support::fixture(40, 2);
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
pub fn frames_of(nmea: &[u8]) -> Vec<Frame> {
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
pub async fn publish(
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

pub async fn raw_stream(js: &jetstream::Context) -> Stream {
    js.get_or_create_stream(varde_nats::streams::raw(&varde_nats::Layout::default()))
        .await
        .unwrap()
}

/// One `varde engine` process; its stderr (the log) is collected.
pub struct Node {
    pub child: Child,
    pub log: Arc<Mutex<String>>,
}

impl Node {
    pub fn start(cluster: &NatsCluster, name: &str, f: &Fixture) -> Self {
        Self::start_with(cluster, name, f, &[])
    }

    /// A node with `extra` arguments (`--partitions 0-7`, `--role area`).
    pub fn start_with(cluster: &NatsCluster, name: &str, f: &Fixture, extra: &[&str]) -> Self {
        let (child, log) = crate::cluster_support::spawn_logged(
            Command::new(env!("CARGO_BIN_EXE_varde"))
                .args(["engine", "--nats", &cluster.urls(), "--node", name])
                .args(["--snapshot-every", "0.5", "--lease-ttl", "3"])
                .args(extra)
                .args(f.rule_args())
                // `snapshot stored` is logged at debug.
                .env("RUST_LOG", "info,varde::cluster::engine=debug"),
        );
        Self { child, log }
    }

    pub fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    /// Waits until the log holds `what` (panics with the log after `within`).
    pub async fn wait_log(&self, what: &str, within: Duration) {
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

    /// SIGTERM, then waits until the node logged its stop (last snapshot, counters, lease
    /// released) and exited.
    pub async fn stop(&mut self) {
        let term = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(term.success(), "kill -TERM");
        self.wait_log("stopped: lease released", Duration::from_secs(30))
            .await;
        let start = Instant::now();
        while self.child.try_wait().unwrap().is_none() {
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "the node did not exit after SIGTERM:\n{}",
                self.log()
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// The number logged as `key=<n>` on the first log line holding `line` (panics with the log
    /// when there is none).
    pub fn logged_number(&self, line: &str, key: &str) -> u64 {
        let log = self.log();
        let found = log.lines().find(|l| l.contains(line)).and_then(|l| {
            l.split_whitespace()
                .find_map(|w| w.strip_prefix(&format!("{key}=")))
                .and_then(|v| v.parse().ok())
        });
        found.unwrap_or_else(|| panic!("no {key}=<n> on a {line:?} line:\n{log}"))
    }

    /// SIGKILL.
    pub fn kill9(&mut self) {
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
pub struct Published {
    pub subject: String,
    pub event: u64,
    pub revision: u32,
    pub msg_id: String,
    pub what: String,
    pub alert: Value,
}

pub async fn read_alerts(js: &jetstream::Context) -> Vec<Published> {
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
pub fn latest(published: &[Published]) -> BTreeMap<String, Value> {
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
pub fn event_fields(a: &Value) -> Value {
    let mut a = a.clone();
    if let Some(o) = a.as_object_mut() {
        for k in ["evidence", "lat", "lon"] {
            o.remove(k);
        }
    }
    a
}

pub fn replay_by_id(f: &Fixture) -> BTreeMap<String, Value> {
    f.alerts()
        .iter()
        .map(|a| (a["id"].as_str().unwrap().to_owned(), event_fields(a)))
        .collect()
}

/// How the stream's latest alert states differ from replay's alerts, by id.
#[derive(Default)]
pub struct Differences {
    pub missing: Vec<String>,
    pub extra: Vec<String>,
    pub differ: Vec<String>,
}

impl Differences {
    pub fn none(&self) -> bool {
        self.missing.is_empty() && self.extra.is_empty() && self.differ.is_empty()
    }
}

pub fn differences(got: &BTreeMap<String, Value>, want: &BTreeMap<String, Value>) -> Differences {
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
pub async fn assert_alerts_are_replays(js: &jetstream::Context, f: &Fixture) {
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
pub fn assert_numbering(published: &[&Published]) {
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

/// Starts node `e1`, feeds the recording paced, and kills the node -9 once 40 % of the frames are
/// published and it has stored a snapshot (on a loaded machine the first may take a while).
/// Returns the feed, still running.
pub async fn killed_after_a_snapshot(
    cluster: &NatsCluster,
    js: &jetstream::Context,
    f: &Fixture,
) -> tokio::task::JoinHandle<()> {
    let mut node = Node::start(cluster, "e1", f);
    node.wait_log("holding the partitions", Duration::from_secs(20))
        .await;
    let (feed, done) = paced_feed(js);
    until_published(&done, f.frames.len() * 2 / 5).await;
    node.wait_log("snapshot stored", Duration::from_secs(30))
        .await;
    node.kill9();
    feed
}

/// Waits until `done` reaches `n` frames.
pub async fn until_published(done: &Arc<Mutex<usize>>, n: usize) {
    let start = Instant::now();
    while *done.lock().unwrap() < n {
        assert!(
            start.elapsed() < Duration::from_secs(40),
            "publishing stalled"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

pub fn cluster(name: &str) -> Option<(NatsCluster, varde_testdata::nats::TempDir)> {
    varde_testdata::nats::nats_cluster(name, 3)
}

/// Publishes the fixture's frames in the background, 500 every 100 ms; the counter says how many
/// are stored so far.
pub fn paced_feed(js: &jetstream::Context) -> (tokio::task::JoinHandle<()>, Arc<Mutex<usize>>) {
    let done = Arc::new(Mutex::new(0));
    let feed = tokio::spawn({
        let (js, done) = (js.clone(), done.clone());
        async move { publish(js, &fixture().frames, 500, Duration::from_millis(100), done).await }
    });
    (feed, done)
}
