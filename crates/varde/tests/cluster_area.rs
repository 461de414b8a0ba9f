//! `varde engine --role area` beside partition nodes on a real three-node NATS JetStream cluster:
//! the area node raises replay's pairwise alerts (rendezvous, GNSS interference), also after its
//! standby takes over from a killed owner, while the partition nodes, following the area node's
//! effects (`--follow-area all`), raise replay's others — GNSS-interference victims' settling and
//! the incidents pairwise alerts start included.

mod cluster_support;
mod engine_nodes;

use engine_nodes::*;
use serde_json::Value;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

/// The area node's alert subject (`--role area`, the whole area).
const AREA_SUBJECT: &str = "varde.alerts.area.all";

/// Alerts only an engine that sees every vessel raises (what an area node publishes:
/// `varde_watch::area::AREA_KINDS`).
fn area_kind(a: &Value) -> bool {
    matches!(
        a["kind"].as_str(),
        Some("rendezvous") | Some("gnss_interference") | Some("ais_gap")
    )
}

/// Two partition nodes (0-7 and 8-15) following an area node (with a standby that takes over when
/// the owner is killed), and one of the partition nodes killed and restarted from its snapshot,
/// on the live feed: the area node's alerts are replay's pairwise alerts, fields and all (as
/// compared everywhere in this file); the partition nodes' alerts are replay's others, the
/// GNSS-interference victims' included; each node numbers its own events 1..n.
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
    let follow = |p| ["--partitions", p, "--follow-area", "all"];
    let mut low = Node::start_with(&cluster, "p-low", f, &follow("0-7"));
    let high = Node::start_with(&cluster, "p-high", f, &follow("8-15"));
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
    // A follower killed and started again resumes from its snapshot with the effects it applied.
    until_published(&done, f.frames.len() * 3 / 5).await;
    low.wait_log("snapshot stored", Duration::from_secs(30))
        .await;
    low.kill9();
    let low2 = Node::start_with(&cluster, "p-low-2", f, &follow("0-7"));
    low2.wait_log("resuming from the snapshot", Duration::from_secs(20))
        .await;
    assert!(
        !low2.log().contains(" seq=0 "),
        "the restarted follower resumed from its snapshot:\n{}",
        low2.log()
    );
    feed.await.unwrap();

    let want: BTreeMap<String, Value> = replay_by_id(f);
    let (want_pairs, want_rest): (BTreeMap<_, _>, BTreeMap<_, _>) =
        want.into_iter().partition(|(_, a)| area_kind(a));
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
        let rest_diff = differences(&latest(&rest), &want_rest);
        let done = pair_diff.none() && rest_diff.none();
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
    assert!(
        rest_diff.none(),
        "partition nodes vs replay's other alerts: missing {:?}, extra {:?}, different {:?}",
        rest_diff.missing,
        rest_diff.extra,
        rest_diff.differ
    );
    let victims_alerts = want_rest
        .values()
        .filter(|a| victim_in_episode(a, &episodes))
        .count();
    eprintln!(
        "partition nodes: replay's {} other alerts, {victims_alerts} of them GNSS-interference \
         victims' in their episodes",
        want_rest.len()
    );
    for p in &published {
        assert_eq!(
            p.subject == AREA_SUBJECT,
            area_kind(&p.alert),
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

/// Whether `a` is an alert of a GNSS-interference victim (the subject or a related MMSI of one of
/// replay's `episodes`) raised within its episode (from `window_s`, 10 min, before its start to
/// its end), of a kind the episode's settling touches: what partition nodes got wrong before
/// they followed the area node.
fn victim_in_episode(a: &Value, episodes: &[&Value]) -> bool {
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
