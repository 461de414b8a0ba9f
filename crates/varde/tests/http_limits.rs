//! The HTTP listener's limits through the real binary: a thousand idle connections (some with
//! half a request head) leave `/healthz` and the API answering and are closed by the server after
//! the header-read timeout; the connection cap holds new clients until a connection closes; a
//! connection that moves no byte for the idle timeout is closed.

mod http_support;

use http_support::{config, Serve};
use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::time::Duration;

/// Reads until the server closes the connection (EOF or reset); panics if it has not within
/// `within`.
fn assert_closed_by_server(conn: &mut TcpStream, within: Duration, what: &str) {
    conn.set_read_timeout(Some(within)).unwrap();
    let mut buf = [0u8; 1024];
    loop {
        match conn.read(&mut buf) {
            Ok(0) => return,
            Ok(_) => continue, // e.g. a 408 before the close
            Err(e) if e.kind() == ErrorKind::ConnectionReset => return,
            Err(e) => panic!("{what}: the server kept the connection open ({e})"),
        }
    }
}

#[test]
fn a_thousand_idle_connections_leave_the_service_answering_and_are_closed_after_the_header_timeout()
{
    let _ = rlimit::increase_nofile_limit(u64::MAX);
    // A TCP feed the service reads from, dropped and taken back while the idle connections are open.
    let feed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let sim = std::process::Command::new(env!("CARGO_BIN_EXE_varde"))
        .args(["sim", "--vessels", "5", "--hours", "1"])
        .output()
        .unwrap();
    let lines: Vec<String> = String::from_utf8(sim.stdout)
        .unwrap()
        .lines()
        .filter(|l| l.contains("VDM,1,1,"))
        .take(200)
        .map(str::to_owned)
        .collect();
    let (_dir, cfg) = config(&format!(
        "header_timeout_s = 8\nidle_timeout_s = 60\nmax_connections = 1100\n\n\
         [[serve.sources]]\nname = \"feed\"\nkind = \"tcp\"\naddress = \"{}\"\n",
        feed.local_addr().unwrap()
    ));
    let server = Serve::start(&["--config", &cfg]);
    let (first, _) = feed.accept().unwrap();
    let mut idle: Vec<TcpStream> = (0..1000)
        .map(|i| {
            let mut c = TcpStream::connect(&server.addr).expect("connect");
            if i % 2 == 1 {
                // Half a request head, never finished.
                c.write_all(b"GET /api/vessels HTTP/1.1\r\nHost: x\r\n")
                    .unwrap();
            }
            c
        })
        .collect();
    // Read before the header timeout (8 s) can close any of them.
    let open = server.metric("varde_http_connections").unwrap();
    assert!(open >= 1000.0, "the idle connections are open: {open}");
    let (status, body) = server.get("/healthz");
    assert_eq!((status, body.as_str()), (200, "ok\n"));
    let (status, body) = server.get("/api/vessels");
    assert_eq!(status, 200, "{body}");
    // The feed drops; the service reconnects and ingests what the new connection sends.
    drop(first);
    let (mut again, _) = feed.accept().expect("the feed is reconnected");
    for l in &lines[..100] {
        writeln!(again, "{l}").unwrap();
    }
    again.flush().unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while server.metric("varde_lines_total").unwrap_or(0.0) < 100.0 {
        assert!(
            std::time::Instant::now() < deadline,
            "lines from the reconnected feed"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    for (i, c) in idle.iter_mut().enumerate() {
        assert_closed_by_server(c, Duration::from_secs(30), &format!("idle connection {i}"));
    }
    assert_eq!(server.get("/healthz").0, 200, "still answering afterwards");
    let errors = server.metric("varde_http_connection_errors_total").unwrap();
    assert!(errors >= 1000.0, "header timeouts counted: {errors}");
}

#[test]
fn the_connection_cap_makes_new_clients_wait_until_a_connection_closes() {
    let (_dir, cfg) = config("header_timeout_s = 120\nmax_connections = 3");
    let server = Serve::start(&["--config", &cfg]);
    let mut idle: Vec<TcpStream> = (0..3)
        .map(|_| TcpStream::connect(&server.addr).unwrap())
        .collect();
    // The kernel completes the handshake; Varde does not take the connection while at its cap.
    let mut waiting = TcpStream::connect(&server.addr).unwrap();
    waiting
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .unwrap();
    waiting
        .set_read_timeout(Some(Duration::from_millis(1500)))
        .unwrap();
    let mut buf = Vec::new();
    let early = waiting.read_to_end(&mut buf);
    assert!(
        early.is_err() && buf.is_empty(),
        "a fourth connection is served while three are open: {early:?} {:?}",
        String::from_utf8_lossy(&buf)
    );
    drop(idle.pop());
    waiting
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    waiting
        .read_to_end(&mut buf)
        .expect("served once a connection closed");
    let text = String::from_utf8_lossy(&buf);
    assert!(text.starts_with("HTTP/1.1 200"), "{text}");
    assert!(text.ends_with("ok\n"), "{text}");
    drop(idle);
    let reached = server.metric("varde_http_connection_cap_reached_total");
    assert!(reached.unwrap() >= 1.0, "cap counted: {reached:?}");
    let log = server.stderr();
    assert!(log.contains("connection cap reached"), "cap logged: {log}");
}

/// With no source, the event stream is quiet between keep-alives (every 15 s): with a 2 s idle
/// timeout the server closes it, counts it and has warned about the setting at start.
#[test]
fn a_connection_that_moves_no_byte_for_the_idle_timeout_is_closed() {
    let (_dir, cfg) = config("header_timeout_s = 60\nidle_timeout_s = 2");
    let server = Serve::start(&["--config", &cfg]);
    let mut stream = TcpStream::connect(&server.addr).unwrap();
    let req = format!(
        "GET /api/stream HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {}\r\n\r\n",
        http_support::TOKEN
    );
    stream.write_all(req.as_bytes()).unwrap();
    let mut head = [0u8; 64];
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let n = stream.read(&mut head).unwrap();
    assert!(head[..n].starts_with(b"HTTP/1.1 200"), "stream opened");
    assert_closed_by_server(&mut stream, Duration::from_secs(30), "quiet stream");
    let closed = server.metric("varde_http_idle_closed_total");
    assert!(closed.unwrap() >= 1.0, "idle close counted: {closed:?}");
    let log = server.stderr();
    assert!(log.contains("quiet streams will be cut"), "{log}");
}
