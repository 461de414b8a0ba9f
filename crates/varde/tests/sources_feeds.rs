//! Source health through the real `varde serve`: a TCP feed that is connected but silent, or
//! trickles bytes without ending a line, is marked `stale` and reconnected; a feed that accepts
//! and closes at once is retried with a growing back-off; over-long lines, evicted fragments and
//! kernel UDP drops are counted in `/api/sources` and `/metrics`; each source logs its throughput.

mod serve_harness;

use serve_harness::{nmea, position_line, wait_until, Serve};
use std::io::Write;
use std::net::{TcpListener, TcpStream, UdpSocket};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

fn write_config(dir: &std::path::Path, body: &str) -> std::path::PathBuf {
    let path = dir.join("varde.toml");
    std::fs::write(&path, format!("[serve]\nlisten = \"127.0.0.1:0\"\n{body}")).unwrap();
    path
}

/// A feed server that runs `each` on every accepted connection (on its own thread) and counts
/// connections.
fn feed_server(each: impl Fn(TcpStream) + Send + Sync + 'static) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let count = Arc::new(AtomicUsize::new(0));
    let (n, each) = (count.clone(), Arc::new(each));
    std::thread::spawn(move || {
        for stream in listener.incoming().map_while(Result::ok) {
            n.fetch_add(1, Ordering::SeqCst);
            let each = each.clone();
            std::thread::spawn(move || each(stream));
        }
    });
    (addr, count)
}

#[test]
fn silent_and_trickling_feeds_are_marked_stale_and_reconnected() {
    // Accepts and says nothing; keeps the connection open.
    let (silent, silent_connects) = feed_server(|s| {
        std::thread::sleep(Duration::from_secs(120));
        drop(s);
    });
    // Accepts and trickles a byte every 200 ms, never ending a line.
    let (trickle, trickle_connects) = feed_server(|mut s| {
        while s.write_all(b"!").is_ok() {
            std::thread::sleep(Duration::from_millis(200));
        }
    });
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(
        dir.path(),
        &format!(
            "[[serve.sources]]\nname = \"silent\"\nkind = \"tcp\"\naddress = \"{silent}\"\nidle_timeout_s = 1\n\n\
             [[serve.sources]]\nname = \"trickle\"\nkind = \"tcp\"\naddress = \"{trickle}\"\nidle_timeout_s = 1\n"
        ),
    );
    let server = Serve::start(&config, &[]);
    for (name, connects) in [("silent", &silent_connects), ("trickle", &trickle_connects)] {
        wait_until(&format!("{name} stale and reconnected"), 30, || {
            let s = server.source(name);
            s["state"] == "stale"
                && s["stale"].as_u64() >= Some(1)
                && connects.load(Ordering::SeqCst) >= 2
        });
        assert!(
            server
                .metric(&format!("varde_source_stale_total{{source=\"{name}\"}}"))
                .unwrap()
                >= 1
        );
        assert_eq!(
            server.metric(&format!("varde_source_stale{{source=\"{name}\"}}")),
            Some(1)
        );
    }
    assert!(
        server.logged(&["stale", "silent"]),
        "a log line names the stale feed"
    );
}

#[test]
fn a_feed_that_accepts_and_closes_at_once_is_retried_with_growing_backoff() {
    let accepts = Arc::new(Mutex::new(Vec::<Instant>::new()));
    let seen = accepts.clone();
    let (addr, _) = feed_server(move |s| {
        seen.lock().unwrap().push(Instant::now());
        drop(s);
    });
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(
        dir.path(),
        &format!("[[serve.sources]]\nname = \"flappy\"\nkind = \"tcp\"\naddress = \"{addr}\"\n"),
    );
    let _server = Serve::start(&config, &[]);
    wait_until("a first connection", 30, || {
        !accepts.lock().unwrap().is_empty()
    });
    std::thread::sleep(Duration::from_secs(7));
    let times = accepts.lock().unwrap().clone();
    // Back-off 0.2, 0.4, 0.8, 1.6, 3.2 s: about 6 connections in 7 s. Resetting the back-off on
    // every connect would make about 35.
    assert!(
        (3..=12).contains(&times.len()),
        "{} connections in 7 s",
        times.len()
    );
    let gaps: Vec<Duration> = times.windows(2).map(|w| w[1] - w[0]).collect();
    assert!(gaps.last().unwrap() > &(gaps[0] * 2), "gaps grow: {gaps:?}");
}

#[test]
fn overlong_lines_evicted_fragments_and_udp_drops_are_counted_and_throughput_is_logged() {
    let (addr, _) = feed_server(|mut s| {
        let mut send = |b: &[u8]| {
            s.write_all(b).unwrap();
            s.flush().unwrap();
            std::thread::sleep(Duration::from_millis(100));
        };
        send(format!("{}\n", position_line(257_000_001, 1_764_000_000, 60.0, 4.0)).as_bytes());
        // A line of 9,000 bytes in three reads, then a good one.
        for _ in 0..3 {
            send(&[b'x'; 3000]);
        }
        send(
            format!(
                "\n{}\n",
                position_line(257_000_001, 1_764_000_010, 60.01, 4.0)
            )
            .as_bytes(),
        );
        // First parts of 300 two-part messages under distinct keys (talker, sequence id): more
        // than the reassembler holds, so the oldest are evicted.
        let mut burst = String::new();
        for i in 0..300u32 {
            let talker = format!(
                "{}{}",
                (b'A' + (i / 10 % 26) as u8) as char,
                (b'A' + (i / 260) as u8) as char
            );
            burst += &nmea(&format!(
                "{talker}VDM,2,1,{},A,55NBJP01mtGIL@CW;SM<D60P5Ld000000000000,0",
                i % 10
            ));
            burst.push('\n');
        }
        send(burst.as_bytes());
        std::thread::sleep(Duration::from_secs(120));
    });
    let udp_port = UdpSocket::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(
        dir.path(),
        &format!(
            "throughput_log_s = 1\n\n\
             [[serve.sources]]\nname = \"feed\"\nkind = \"tcp\"\naddress = \"{addr}\"\n\n\
             [[serve.sources]]\nname = \"shore\"\nkind = \"udp\"\nbind = \"127.0.0.1:{udp_port}\"\n"
        ),
    );
    let server = Serve::start(&config, &[]);
    wait_until("the feed's lines", 30, || {
        server.source("feed")["lines"].as_u64() >= Some(302)
    });
    let feed = server.source("feed");
    assert_eq!(feed["overlong"], 1, "{feed}");
    assert_eq!(feed["reports"], 2, "{feed}");
    assert_eq!(
        server.metric("varde_source_overlong_total{source=\"feed\"}"),
        Some(1)
    );
    wait_until("evictions counted", 10, || {
        server.metric("varde_fragments_evicted_total").unwrap_or(0) >= 1
    });
    let shore = server.source("shore");
    assert_eq!(shore["kernel_drops"], 0, "{shore}");
    assert_eq!(
        server.metric("varde_source_kernel_drops_total{source=\"shore\"}"),
        Some(0)
    );
    wait_until("a throughput log line", 10, || {
        server.logged(&["throughput", "feed", "lines"])
    });
}
