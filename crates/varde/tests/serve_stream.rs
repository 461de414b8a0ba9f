//! `/api/stream` never drops an alert silently: `varde serve` is fed many positions and some
//! alerts over TCP while a fast SSE client reads everything and a slow one reads nothing for a
//! while. The fast client gets every alert event the service raised; the slow one gets each alert
//! event or is told of it by `event: lagged` with the right count; a client resuming with
//! `Last-Event-ID` gets the alert events after that one.

mod serve_harness;

use serve_harness::{position_line, wait_until, Serve, TOKEN};
use std::collections::{BTreeSet, HashMap};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::mpsc;
use std::time::Duration;

const T0: i64 = 1_764_000_000; // event time of the first report, unix s

/// Vessels steaming north at 10 kn off the west coast, `steps` reports each 10 s apart, and
/// `watched` watch-listed vessels first heard in the second half (one alert each at least).
fn feed(vessels: u32, steps: i64, watched: &[u32]) -> Vec<String> {
    let mut lines = Vec::new();
    for i in 0..steps {
        for k in 0..vessels {
            let lat = 58.0 + f64::from(k % 100) * 0.04 + i as f64 * 10.0 / 60.0 / 360.0;
            let lon = 2.0 + f64::from(k / 100) * 0.1;
            lines.push(position_line(257_100_000 + k, T0 + i * 10, lat, lon));
        }
        let half = steps / 2;
        if i >= half {
            for (j, &m) in watched.iter().enumerate() {
                if (j as i64) % (steps - half) == i - half {
                    lines.push(position_line(m, T0 + i * 10, 61.0, 2.5));
                }
            }
        }
    }
    lines
}

/// One SSE event.
#[derive(Debug, Clone)]
struct Sse {
    name: String,
    data: String,
    id: Option<String>,
}

/// Reads SSE events from an open stream, one at a time.
struct Events {
    reader: BufReader<Box<dyn Read + Send + Sync>>,
}

impl Events {
    /// Opens `/api/stream` (with `Last-Event-ID` if given) and reads its `hello`.
    fn open(base: &str, last_id: Option<&str>) -> Self {
        Self::open_query(base, last_id, "")
    }

    /// [`Events::open`] with `query` (`&name=value…`) added to the URL.
    fn open_query(base: &str, last_id: Option<&str>, query: &str) -> Self {
        let agent = ureq::AgentBuilder::new()
            .timeout_read(Duration::from_secs(60))
            .build();
        let mut req = agent.get(&format!("{base}/api/stream?access_token={TOKEN}{query}"));
        if let Some(id) = last_id {
            req = req.set("Last-Event-ID", id);
        }
        let resp = req.call().expect("stream opens");
        let mut events = Self {
            reader: BufReader::new(resp.into_reader()),
        };
        assert_eq!(events.next().name, "hello");
        events
    }

    /// The next event, or `:` for a keep-alive comment (the service had nothing to send for 15 s).
    fn next(&mut self) -> Sse {
        self.try_next().expect("stream readable and open")
    }

    /// The next event, or `None` once the stream fails or ends.
    fn try_next(&mut self) -> Option<Sse> {
        let mut ev = Sse {
            name: "message".into(),
            data: String::new(),
            id: None,
        };
        let mut line = String::new();
        loop {
            line.clear();
            if self.reader.read_line(&mut line).ok()? == 0 {
                return None;
            }
            let l = line.trim_end_matches(['\r', '\n']);
            if l.is_empty() {
                if !ev.data.is_empty() || ev.name != "message" {
                    return Some(ev);
                }
            } else if l.starts_with(':') {
                ev.name = ":".into();
                return Some(ev);
            } else if let Some(v) = l.strip_prefix("event: ") {
                ev.name = v.into();
            } else if let Some(v) = l.strip_prefix("data: ") {
                ev.data.push_str(v);
            } else if let Some(v) = l.strip_prefix("id: ") {
                ev.id = Some(v.into());
            }
        }
    }
}

/// What one client saw.
#[derive(Debug, Default)]
struct Seen {
    /// Alert events: (SSE id, alert id).
    alerts: Vec<(String, String)>,
    positions: u64,
    /// Sums of the `lagged` notices.
    lost_alerts: u64,
    lost_positions: u64,
    notices: Vec<serde_json::Value>,
}

impl Seen {
    fn take(&mut self, ev: Sse) {
        match ev.name.as_str() {
            "alert" => {
                let a: serde_json::Value = serde_json::from_str(&ev.data).unwrap();
                let id = a["id"].as_str().expect("alert has an id").to_owned();
                self.alerts
                    .push((ev.id.expect("alert event has an SSE id"), id));
            }
            "position" => self.positions += 1,
            ":" => {}
            "lagged" => {
                let n: serde_json::Value = serde_json::from_str(&ev.data).unwrap();
                self.lost_alerts += n["alerts"].as_u64().expect("alerts counted");
                self.lost_positions += n["positions"].as_u64().expect("positions counted");
                assert_eq!(n["reason"], "slow_client", "{n}");
                self.notices.push(n);
            }
            other => panic!("unexpected event {other}: {}", ev.data),
        }
    }

    /// Alert events delivered or told lost.
    fn accounted(&self) -> u64 {
        self.alerts.len() as u64 + self.lost_alerts
    }

    fn alert_ids(&self) -> BTreeSet<String> {
        self.alerts.iter().map(|(_, id)| id.clone()).collect()
    }
}

/// Reads `events` until every one of `total` alert events is delivered or told lost.
fn read_until_accounted(events: &mut Events, seen: &mut Seen, total: u64) {
    while seen.accounted() < total {
        seen.take(events.next());
    }
    assert_eq!(seen.accounted(), total, "more alert events than raised");
}

/// A service with a TCP feed it connects to, configured with `extra` `[serve]` lines.
struct Setup {
    _dir: tempfile::TempDir,
    serve: Serve,
    feed: TcpListener,
}

fn start(extra: &str, watched: &[u32]) -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let feed = TcpListener::bind("127.0.0.1:0").unwrap();
    let config = dir.path().join("varde.toml");
    std::fs::write(
        &config,
        format!(
            "[serve]\nlisten = \"127.0.0.1:0\"\ndata_dir = \"{}\"\n{extra}\n\n\
             [[serve.sources]]\nname = \"feed\"\nkind = \"tcp\"\naddress = \"{}\"\n",
            dir.path().join("store").display(),
            feed.local_addr().unwrap()
        ),
    )
    .unwrap();
    let watchlist = dir.path().join("watch.txt");
    let list: Vec<String> = watched.iter().map(u32::to_string).collect();
    std::fs::write(&watchlist, list.join("\n")).unwrap();
    let serve = Serve::start(&config, &["--watchlist", watchlist.to_str().unwrap()]);
    Setup {
        _dir: dir,
        serve,
        feed,
    }
}

impl Setup {
    /// Sends `lines` to the service and waits until its engine has handled them all.
    fn push(&self, lines: &[String]) -> std::net::TcpStream {
        let (mut conn, _) = self.feed.accept().unwrap();
        let mut buf = lines.join("\n");
        buf.push('\n');
        conn.write_all(buf.as_bytes()).unwrap();
        let n = lines.len() as u64;
        wait_until("every line handled", 300, || {
            self.serve.metric("varde_lines_total") == Some(n)
        });
        conn
    }

    /// Alert ids in the store, once it holds `n`.
    fn stored_alerts(&self, n: usize) -> BTreeSet<String> {
        let mut ids = BTreeSet::new();
        wait_until("alerts committed", 60, || {
            let list = self.serve.get("/api/alerts?state=all&limit=10000");
            ids = list
                .as_array()
                .unwrap()
                .iter()
                .map(|a| a["id"].as_str().unwrap().to_owned())
                .collect();
            ids.len() >= n
        });
        ids
    }
}

/// A client reading the stream as fast as it comes, on a thread.
struct FastClient {
    rx: mpsc::Receiver<Sse>,
}

impl FastClient {
    fn start(mut events: Events) -> Self {
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            while let Some(ev) = events.try_next() {
                if tx.send(ev).is_err() {
                    return;
                }
            }
        });
        Self { rx }
    }

    /// What it saw once every one of `total` alert events is delivered or told lost.
    fn seen(self, total: u64) -> Seen {
        let mut seen = Seen::default();
        while seen.accounted() < total {
            let ev = self
                .rx
                .recv_timeout(Duration::from_secs(60))
                .unwrap_or_else(|e| panic!("fast client: {e}; saw {seen:?} of {total}"));
            seen.take(ev);
        }
        assert_eq!(seen.accounted(), total, "more alert events than raised");
        seen
    }
}

#[test]
fn a_slow_client_gets_each_alert_or_is_told_it_lost_it_and_a_fast_one_gets_every_alert() {
    let watched: Vec<u32> = (0..40).map(|i| 273_100_000 + i).collect();
    // Few positions held per subscriber, so the slow client falls behind quickly.
    let s = start("live_position_capacity = 256", &watched);
    let lines = feed(400, 100, &watched);
    let mut slow = Events::open(&s.serve.base, None);
    let fast = FastClient::start(Events::open(&s.serve.base, None));
    let alerts_only = FastClient::start(Events::open_query(&s.serve.base, None, "&events=alerts"));
    let _conn = s.push(&lines);
    let total = s.serve.metric("varde_alert_events_total").unwrap();
    assert!(total >= watched.len() as u64, "{total} alert events");
    let fast = fast.seen(total);
    // The fast client: every alert event, in order, none lost.
    assert_eq!(fast.alerts.len() as u64, total, "{:?}", fast.notices);
    assert_eq!(fast.lost_alerts, 0);
    let stored = s.stored_alerts(fast.alert_ids().len());
    assert_eq!(fast.alert_ids(), stored, "the fast client saw every alert");
    assert!(fast.positions > 0, "the fast client saw positions");
    // `events=alerts`: the same alert events, in order, and not one position nor notice.
    let only = alerts_only.seen(total);
    assert_eq!(only.alerts, fast.alerts, "alerts-only client");
    assert_eq!(only.positions, 0, "alerts-only client got positions");
    assert!(only.notices.is_empty(), "{:?}", only.notices);
    let bad = ureq::get(&format!(
        "{}/api/stream?access_token={TOKEN}&events=ships",
        s.serve.base
    ))
    .call();
    assert!(
        matches!(bad, Err(ureq::Error::Status(400, _))),
        "events=ships: {:?}",
        bad.map(|r| r.status())
    );
    // The slow client read nothing so far: now it reads until every alert event is accounted for.
    let mut seen = Seen::default();
    read_until_accounted(&mut slow, &mut seen, total);
    // Alerts overtake positions: the notice of lost positions may come after them. Read on until
    // it does, or the stream is drained (a keep-alive comment: nothing to send for 15 s).
    while seen.lost_positions == 0 {
        let ev = slow.next();
        if ev.name == ":" {
            break;
        }
        seen.take(ev);
    }
    assert!(
        seen.lost_positions > 0,
        "the slow client fell behind: {seen:?}"
    );
    // With the default alert ring it lost positions only; every alert reached it.
    assert_eq!(seen.lost_alerts, 0, "{:?}", seen.notices);
    assert_eq!(seen.alerts, fast.alerts, "same alert events, same order");
    assert_eq!(
        s.serve.metric("varde_live_alerts_lagged_total"),
        Some(0),
        "no alert lost"
    );
    assert!(s.serve.metric("varde_live_lagged_total").unwrap() >= seen.lost_positions);

    // Resume: after the 10th alert event the stream continues with the 11th.
    let mut resumed = Events::open(&s.serve.base, Some(&fast.alerts[9].0));
    for want in &fast.alerts[10..] {
        let ev = resumed.next();
        assert_eq!(ev.name, "alert");
        assert_eq!(ev.id.as_ref(), Some(&want.0));
    }
    // An id from another run of the service: the client is told to resynchronise.
    let mut foreign = Events::open(&s.serve.base, Some("0.5"));
    let ev = foreign.next();
    assert_eq!(ev.name, "lagged");
    let n: serde_json::Value = serde_json::from_str(&ev.data).unwrap();
    assert_eq!(n["reason"], "unknown_resume_point", "{n}");
    assert!(n["alerts"].is_null(), "{n}");
}

#[test]
fn a_slow_client_past_the_alert_ring_is_told_how_many_alerts_it_lost() {
    let watched: Vec<u32> = (0..60).map(|i| 273_200_000 + i).collect();
    let s = start(
        "live_position_capacity = 256\nlive_alert_capacity = 8",
        &watched,
    );
    // 160,000 positions before the first alert (the watched vessels come in the second half): the
    // slow client's socket buffers (a few MB on loopback) are full before the alerts begin, even
    // when a busy machine makes its writer fall behind the position channel and skip positions
    // (which writes less). With 20,000 they sometimes were not, and every alert got through.
    let lines = feed(400, 800, &watched);
    let mut slow = Events::open(&s.serve.base, None);
    let fast = FastClient::start(Events::open(&s.serve.base, None));
    let _conn = s.push(&lines);
    let total = s.serve.metric("varde_alert_events_total").unwrap();
    let fast = fast.seen(total);
    let mut seen = Seen::default();
    read_until_accounted(&mut slow, &mut seen, total);
    assert!(seen.lost_alerts > 0, "the ring of 8 overflowed: {seen:?}");
    assert!(seen.alerts.len() >= 8, "the newest 8 delivered: {seen:?}");
    // Every alert the service raised was delivered, or the client was told of its loss: the alert
    // events it did get are the newest ones, in order, after exactly `lost_alerts` it did not.
    let stored = s.stored_alerts(fast.alert_ids().len().max(watched.len()));
    let delivered = seen.alert_ids();
    assert!(delivered.is_subset(&stored));
    let missing = stored.difference(&delivered).count() as u64;
    assert!(
        missing <= seen.lost_alerts,
        "{missing} alerts neither delivered nor announced (lost {})",
        seen.lost_alerts
    );
    let seqs: Vec<u64> = seen
        .alerts
        .iter()
        .map(|(sse, _)| sse.rsplit('.').next().unwrap().parse().unwrap())
        .collect();
    assert!(seqs.windows(2).all(|w| w[1] > w[0]), "in order: {seqs:?}");
    // Lost alerts show on /metrics, with the fast client's losses if it had any.
    let by_clients = seen.lost_alerts + fast.lost_alerts;
    assert_eq!(
        s.serve.metric("varde_live_alerts_lagged_total"),
        Some(by_clients)
    );
    // Resuming from the first alert event: told how many of the later ones are gone, then the
    // newest 8.
    let first = &fast
        .alerts
        .first()
        .or(seen.alerts.first())
        .expect("an alert event")
        .0;
    let first_seq: u64 = first.rsplit('.').next().unwrap().parse().unwrap();
    let mut resumed = Events::open(&s.serve.base, Some(first));
    let ev = resumed.next();
    assert_eq!(ev.name, "lagged", "{ev:?}");
    let n: serde_json::Value = serde_json::from_str(&ev.data).unwrap();
    assert_eq!(n["reason"], "resume", "{n}");
    assert_eq!(n["alerts"].as_u64(), Some(total - first_seq - 8), "{n}");
    let mut count: HashMap<String, u64> = HashMap::new();
    for _ in 0..8 {
        *count.entry(resumed.next().name).or_default() += 1;
    }
    assert_eq!(count.get("alert"), Some(&8), "{count:?}");
}
