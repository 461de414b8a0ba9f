//! `varde serve` end to end through real sockets: a TCP feed server and a
//! UDP sender feed real NMEA; the test reads the HTTP API and the live SSE
//! stream; then the server is killed with SIGKILL mid-feed and restarted on
//! the same store, and nothing it had committed is missing. A feed that
//! refuses connections does not stall the others, and a dropped feed is
//! reconnected.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, UdpSocket};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};
use varde_ais::message::PositionReport;
use varde_ais::nmea::{encode_sentences, EncodeOptions};
use varde_ais::AisMessage;

const TOKEN: &str = "e2e-token";
const T0: i64 = 1_764_000_000; // event time of the first report, unix s

/// One position report as a tagged NMEA line.
fn position_line(mmsi: u32, t_s: i64, lat: f64, lon: f64, channel: u8) -> String {
    let p = PositionReport {
        msg_type: 1,
        mmsi,
        speed: 100,
        lat: (lat * 600_000.0) as i32,
        lon: (lon * 600_000.0) as i32,
        course: 0,
        heading: 0,
        second: (t_s % 60) as u8,
        ..PositionReport::default()
    };
    let opts = EncodeOptions {
        tag_time_s: Some(t_s),
        station: Some("2573999".into()),
        channel,
        ..EncodeOptions::default()
    };
    encode_sentences(&AisMessage::Position(p).encode(), &opts).remove(0)
}

/// A vessel steaming north at 10 kn off the Norwegian west coast.
fn track_point(mmsi: u32, i: i64) -> String {
    let lat = 60.0 + (mmsi % 10) as f64 * 0.05 + i as f64 * 10.0 / 60.0 / 360.0; // 10 s per step
    position_line(mmsi, T0 + i * 10, lat, 3.5, b'A')
}

struct Server {
    child: Child,
    base: String,
}

impl Server {
    fn start(config: &std::path::Path, watchlist: &std::path::Path) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_varde"))
            .args([
                "serve",
                "--config",
                config.to_str().unwrap(),
                "--watchlist",
                watchlist.to_str().unwrap(),
            ])
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("varde serve starts");
        let mut out = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        let deadline = Instant::now() + Duration::from_secs(60);
        while !line.contains("Open http://") {
            line.clear();
            assert!(
                out.read_line(&mut line).unwrap() > 0,
                "server exited before listening"
            );
            assert!(Instant::now() < deadline, "server did not start");
        }
        let url = line
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .unwrap();
        let base = url.split("/?").next().unwrap().to_owned();
        std::thread::spawn(move || for _ in out.lines() {});
        Self { child, base }
    }

    fn get(&self, path: &str) -> serde_json::Value {
        let body = ureq::get(&format!("{}{path}", self.base))
            .set("Authorization", &format!("Bearer {TOKEN}"))
            .call()
            .unwrap_or_else(|e| panic!("GET {path}: {e}"))
            .into_string()
            .unwrap();
        serde_json::from_str(&body).unwrap_or_else(|e| panic!("GET {path}: {e}: {body}"))
    }

    fn metric(&self, name: &str) -> u64 {
        let text = ureq::get(&format!("{}/metrics", self.base))
            .set("Authorization", &format!("Bearer {TOKEN}"))
            .call()
            .unwrap()
            .into_string()
            .unwrap();
        text.lines()
            .find_map(|l| l.strip_prefix(&format!("{name} ")))
            .map_or(0, |v| v.trim().parse().unwrap())
    }

    fn track_len(&self, mmsi: u32) -> usize {
        // One time per position (the geometry is a Point for one position, null for none).
        self.get(&format!("/api/vessels/{mmsi}/track?limit=100000"))["properties"]["times"]
            .as_array()
            .map_or(0, Vec::len)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn wait_until(what: &str, secs: u64, mut f: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(secs);
    while !f() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn free_udp_port() -> u16 {
    UdpSocket::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[test]
fn feeds_in_api_and_stream_out_dead_feed_isolated_reconnects_and_nothing_committed_is_lost_across_kill_9(
) {
    let dir = tempfile::tempdir().unwrap();
    let feed = TcpListener::bind("127.0.0.1:0").unwrap();
    // A feed that refuses connections: it must not stall the others.
    let dead = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let udp_port = free_udp_port();
    let config = dir.path().join("varde.toml");
    std::fs::write(
        &config,
        format!(
            "[serve]\nlisten = \"127.0.0.1:0\"\ntoken = \"{TOKEN}\"\ndata_dir = \"{}\"\nrestore_hours = 1000000\n\n\
             [[serve.sources]]\nname = \"coastal-tcp\"\nkind = \"tcp\"\naddress = \"{}\"\n\n\
             [[serve.sources]]\nname = \"shore-udp\"\nkind = \"udp\"\nbind = \"127.0.0.1:{udp_port}\"\n\n\
             [[serve.sources]]\nname = \"dead-feed\"\nkind = \"tcp\"\naddress = \"{dead}\"\n",
            dir.path().join("store").display(),
            feed.local_addr().unwrap()
        ),
    )
    .unwrap();
    let watchlist = dir.path().join("watch.txt");
    std::fs::write(&watchlist, "# sanctioned\n273999999\n").unwrap();

    let server = Server::start(&config, &watchlist);
    // Live stream, read on a thread.
    let (sse_tx, sse_rx) = mpsc::channel::<String>();
    let stream_url = format!("{}/api/stream?access_token={TOKEN}", server.base);
    std::thread::spawn(move || {
        let resp = ureq::get(&stream_url).call().expect("stream opens");
        for line in BufReader::new(resp.into_reader()).lines() {
            let Ok(line) = line else { return };
            if sse_tx.send(line).is_err() {
                return;
            }
        }
    });

    let subscribed = sse_rx
        .recv_timeout(Duration::from_secs(30))
        .expect("stream says hello");
    assert_eq!(subscribed, "event: hello");
    // The TCP feed: the server connects to us.
    let (mut conn, _) = feed.accept().unwrap();
    let vessels = [257_000_001u32, 257_000_002, 257_000_003];
    let mut sent = 0;
    for i in 0..50 {
        for &m in &vessels {
            writeln!(conn, "{}", track_point(m, i)).unwrap();
            sent += 1;
        }
    }
    // A junk line and a bad checksum in the middle of the feed are counted, not fatal.
    writeln!(conn, "garbage\u{1}\u{2}").unwrap();
    writeln!(conn, "!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4B").unwrap();
    conn.flush().unwrap();
    // UDP: a watch-listed Russian vessel, once the source has bound its port (a datagram sent
    // before that is lost, as on any UDP feed).
    wait_until("the UDP source bound", 30, || {
        server.get("/api/sources").as_array().is_some_and(|a| {
            a.iter()
                .any(|s| s["name"] == "shore-udp" && s["state"] == "up")
        })
    });
    let udp = UdpSocket::bind("127.0.0.1:0").unwrap();
    let datagram = format!(
        "{}\n{}\n",
        position_line(273_999_999, T0 + 5, 61.0, 4.0, b'B'),
        position_line(273_999_999, T0 + 15, 61.001, 4.0, b'B')
    );
    udp.send_to(datagram.as_bytes(), ("127.0.0.1", udp_port))
        .unwrap();

    wait_until("all reports committed", 60, || {
        server.metric("varde_reports_committed_total") >= sent + 2
    });
    // The API's view takes the changed vessels from the engine every few tens of milliseconds,
    // so it may trail the store's commit by that much.
    let listed = || -> Vec<u64> {
        server
            .get("/api/vessels")
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["mmsi"].as_u64().unwrap())
            .collect()
    };
    let all = || {
        let mmsis = listed();
        vessels
            .iter()
            .chain(&[273_999_999])
            .all(|m| mmsis.contains(&u64::from(*m)))
    };
    wait_until("every vessel listed", 10, all);
    let mmsis = listed();
    for m in vessels.iter().chain(&[273_999_999]) {
        assert!(mmsis.contains(&u64::from(*m)), "vessel {m} in {mmsis:?}");
    }
    let one = server.get("/api/vessels/273999999");
    assert_eq!(one["flag"], "RU");
    assert_eq!(server.track_len(257_000_001), 50);
    let alerts = server.get("/api/alerts?kind=watchlist");
    let alert = &alerts.as_array().unwrap()[0];
    assert_eq!(alert["mmsi"], 273_999_999);
    assert!(alert["evidence"].to_string().contains("VDM"), "{alert}");
    let alert_id = alert["id"].as_str().unwrap().to_owned();
    // Its incident: the watch-listed vessel's alerts as one story, listed by /api/incidents.
    assert_eq!(
        alert["incident"], alert["id"],
        "the first alert names its incident"
    );
    let incidents = server.get("/api/incidents?mmsi=273999999");
    let incident = incidents
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == alert["incident"])
        .unwrap_or_else(|| panic!("incident of {alert_id} listed: {incidents}"));
    assert!(
        incident["alerts"].to_string().contains(&alert_id),
        "{incident}"
    );
    assert_eq!(incident["mmsi"], serde_json::json!([273_999_999]));
    assert!(
        incident["kinds"].to_string().contains("watchlist"),
        "{incident}"
    );
    assert!(server.metric("varde_rejects_total{cause=\"bad_checksum\"}") >= 1);
    let sources = server.get("/api/sources");
    assert_eq!(sources[0]["state"], "up");
    assert_eq!(sources[1]["name"], "shore-udp");
    assert_eq!(sources[2]["name"], "dead-feed");
    assert_ne!(sources[2]["state"], "up");
    assert!(
        sources[2]["connect_failures"].as_u64().unwrap() >= 1,
        "{sources}"
    );
    // The live stream carried positions and the alert.
    let mut seen_position = false;
    let mut seen_alert = false;
    let deadline = Instant::now() + Duration::from_secs(20);
    while !(seen_position && seen_alert) && Instant::now() < deadline {
        if let Ok(l) = sse_rx.recv_timeout(Duration::from_millis(200)) {
            seen_position |= l == "event: position";
            seen_alert |= l == "event: alert";
        }
    }
    assert!(
        seen_position && seen_alert,
        "SSE position {seen_position} alert {seen_alert}"
    );
    // Unauthenticated requests are refused with the stable error body.
    let err = ureq::get(&format!("{}/api/vessels", server.base))
        .call()
        .unwrap_err();
    let ureq::Error::Status(401, resp) = err else {
        panic!("expected 401")
    };
    assert!(resp
        .into_string()
        .unwrap()
        .contains("\"code\":\"unauthorized\""));

    // The feed drops the connection: Varde reconnects with back-off.
    drop(conn);
    let (mut conn, _) = feed.accept().expect("varde reconnects to the feed");
    // Mid-feed SIGKILL: stream more reports, kill while they flow.
    let feeder = std::thread::spawn(move || {
        for i in 50..100_000 {
            if writeln!(conn, "{}", track_point(257_000_004, i)).is_err() {
                return;
            }
            if i % 50 == 0 {
                std::thread::sleep(Duration::from_millis(5));
            }
        }
    });
    wait_until("some of the second feed committed", 60, || {
        server.metric("varde_reports_committed_total") >= sent + 2 + 300
    });
    let committed_before_kill = server.metric("varde_reports_committed_total") - (sent + 2);
    drop(server); // SIGKILL
    let _ = feeder.join();

    let server = Server::start(&config, &watchlist);
    let kept = server.track_len(257_000_004) as u64;
    assert!(
        kept >= committed_before_kill,
        "after kill -9: {kept} stored < {committed_before_kill} committed"
    );
    assert_eq!(server.track_len(257_000_001), 50, "earlier tracks intact");
    let alert_after = server.get(&format!("/api/alerts/{alert_id}"));
    assert_eq!(alert_after["id"], alert_id.as_str());
    // The picture came back from the journal before any new input.
    assert!(server.metric("varde_vessels") >= 5, "picture restored");
}

/// SIGTERM stops the service although the simulator never closes its feed
/// and an event stream is open: the process ends by itself, successfully,
/// and what it committed is there on the next start.
#[test]
fn sigterm_stops_the_demo_with_the_simulator_running_and_a_stream_open() {
    let dir = tempfile::tempdir().unwrap();
    let start = || {
        Command::new(env!("CARGO_BIN_EXE_varde"))
            .args([
                "serve",
                "--demo",
                "--listen",
                "127.0.0.1:0",
                "--token",
                TOKEN,
            ])
            .arg("--data-dir")
            .arg(dir.path())
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("varde serve starts")
    };
    let base_of = |child: &mut Child| {
        let mut out = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        while !line.contains("Open http://") {
            line.clear();
            assert!(out.read_line(&mut line).unwrap() > 0, "server exited");
        }
        std::thread::spawn(move || for _ in out.lines() {});
        let url = line.split_whitespace().find(|w| w.starts_with("http://"));
        url.unwrap().split("/?").next().unwrap().to_owned()
    };
    let get = |base: &str, path: &str| -> serde_json::Value {
        let r = ureq::get(&format!("{base}{path}"))
            .set("Authorization", &format!("Bearer {TOKEN}"))
            .call()
            .unwrap();
        serde_json::from_str(&r.into_string().unwrap()).unwrap()
    };

    // Killed on drop, so that a failing assertion leaves no server behind.
    struct Reaped(Child);
    impl Drop for Reaped {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    let mut child = Reaped(start());
    let base = base_of(&mut child.0);
    wait_until("demo vessels", 60, || {
        get(&base, "/api/vessels")
            .as_array()
            .is_some_and(|v| v.len() > 10)
    });
    let stream = ureq::get(&format!("{base}/api/stream"))
        .set("Authorization", &format!("Bearer {TOKEN}"))
        .call()
        .unwrap();
    let mut events = BufReader::new(stream.into_reader());
    let mut first = String::new();
    events.read_line(&mut first).unwrap();
    assert!(first.starts_with("event:"), "stream open: {first}");

    let term = Command::new("kill")
        .args(["-TERM", &child.0.id().to_string()])
        .status()
        .unwrap();
    assert!(term.success());
    let mut status = None;
    wait_until("varde serve to exit after SIGTERM", 60, || {
        status = child.0.try_wait().unwrap();
        status.is_some()
    });
    assert!(status.unwrap().success(), "clean exit: {status:?}");
    drop(events);

    let mut again = Reaped(start());
    let base = base_of(&mut again.0);
    let restored = get(&base, "/api/vessels").as_array().map_or(0, Vec::len);
    drop(again);
    assert!(
        restored > 10,
        "the picture comes back from the store: {restored} vessels"
    );
}
