//! Drives the real `varde serve` binary for the sources and store tests: starts it on a TOML
//! configuration, finds its address, reads the API and collects its log.

#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The API token every test uses.
pub const TOKEN: &str = "harness-token";

/// A running `varde serve`.
pub struct Serve {
    pub child: Child,
    pub base: String,
    /// Every stderr line so far.
    pub log: Arc<Mutex<Vec<String>>>,
}

impl Serve {
    /// Starts `varde serve --config CONFIG EXTRA…` with `RUST_LOG=info` and waits until it listens.
    pub fn start(config: &Path, extra: &[&str]) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_varde"))
            .args([
                "serve",
                "--config",
                config.to_str().unwrap(),
                "--token",
                TOKEN,
            ])
            .args(extra)
            .env("RUST_LOG", "info")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("varde serve starts");
        let log = Arc::new(Mutex::new(Vec::new()));
        let err = BufReader::new(child.stderr.take().unwrap());
        let sink = log.clone();
        std::thread::spawn(move || {
            for l in err.lines().map_while(Result::ok) {
                sink.lock().unwrap().push(l);
            }
        });
        let mut out = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        let deadline = Instant::now() + Duration::from_secs(60);
        while !line.contains("Open http://") {
            line.clear();
            if out.read_line(&mut line).unwrap() == 0 {
                std::thread::sleep(Duration::from_millis(200));
                panic!("server exited before listening: {:?}", log.lock().unwrap());
            }
            assert!(Instant::now() < deadline, "server did not start");
        }
        let url = line
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .unwrap();
        let base = url.split("/?").next().unwrap().to_owned();
        std::thread::spawn(move || for _ in out.lines() {});
        Self { child, base, log }
    }

    /// GET `path` as JSON.
    pub fn get(&self, path: &str) -> serde_json::Value {
        let body = ureq::get(&format!("{}{path}", self.base))
            .set("Authorization", &format!("Bearer {TOKEN}"))
            .call()
            .unwrap_or_else(|e| panic!("GET {path}: {e}"))
            .into_string()
            .unwrap();
        serde_json::from_str(&body).unwrap_or_else(|e| panic!("GET {path}: {e}: {body}"))
    }

    /// `method path` with `token` and a JSON `body` if any: the status and the answer (JSON when
    /// it parses, else a string); error statuses are answers too.
    pub fn call(
        &self,
        method: &str,
        token: &str,
        path: &str,
        body: Option<serde_json::Value>,
    ) -> (u16, serde_json::Value) {
        let req = ureq::request(method, &format!("{}{path}", self.base))
            .set("Authorization", &format!("Bearer {token}"));
        let res = match body {
            Some(b) => req
                .set("Content-Type", "application/json")
                .send_string(&b.to_string()),
            None => req.call(),
        };
        let (code, r) = match res {
            Ok(r) => (r.status(), r),
            Err(ureq::Error::Status(code, r)) => (code, r),
            Err(e) => panic!("{method} {path}: {e}"),
        };
        let text = r.into_string().unwrap();
        (
            code,
            serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text)),
        )
    }

    /// `/metrics` as text.
    pub fn metrics(&self) -> String {
        ureq::get(&format!("{}/metrics", self.base))
            .set("Authorization", &format!("Bearer {TOKEN}"))
            .call()
            .unwrap()
            .into_string()
            .unwrap()
    }

    /// The value of one metric line (`name` including labels), if present.
    pub fn metric(&self, name: &str) -> Option<u64> {
        self.metrics()
            .lines()
            .find_map(|l| l.strip_prefix(&format!("{name} ")))
            .map(|v| v.trim().parse().unwrap())
    }

    /// `/healthz`: status and body.
    pub fn healthz(&self) -> (u16, String) {
        match ureq::get(&format!("{}/healthz", self.base)).call() {
            Ok(r) => (r.status(), r.into_string().unwrap()),
            Err(ureq::Error::Status(code, r)) => (code, r.into_string().unwrap()),
            Err(e) => panic!("healthz: {e}"),
        }
    }

    /// The `/api/sources` entry of one source.
    pub fn source(&self, name: &str) -> serde_json::Value {
        self.get("/api/sources")
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["name"] == name)
            .unwrap_or_else(|| panic!("source {name} listed"))
            .clone()
    }

    /// Sends SIGTERM and waits at most `limit` for the process to exit.
    pub fn terminate(&mut self, limit: Duration) -> Option<ExitStatus> {
        let pid = self.child.id().to_string();
        Command::new("kill").args(["-TERM", &pid]).status().unwrap();
        let deadline = Instant::now() + limit;
        while Instant::now() < deadline {
            if let Some(s) = self.child.try_wait().unwrap() {
                return Some(s);
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        None
    }

    /// Whether a log line contains every one of `words`.
    pub fn logged(&self, words: &[&str]) -> bool {
        self.log
            .lock()
            .unwrap()
            .iter()
            .any(|l| words.iter().all(|w| l.contains(w)))
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Polls `f` every 100 ms until it holds; panics after `secs`.
pub fn wait_until(what: &str, secs: u64, mut f: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(secs);
    while !f() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// An NMEA sentence with its checksum: `body` is what goes between `!` and `*`.
pub fn nmea(body: &str) -> String {
    let cs = body.bytes().fold(0u8, |a, b| a ^ b);
    format!("!{body}*{cs:02X}")
}

/// A position report of `mmsi` at unix second `t_s`, as a tagged line.
pub fn position_line(mmsi: u32, t_s: i64, lat: f64, lon: f64) -> String {
    use varde_ais::message::PositionReport;
    use varde_ais::nmea::{encode_sentences, EncodeOptions};
    let p = PositionReport {
        msg_type: 1,
        mmsi,
        speed: 100,
        lat: (lat * 600_000.0) as i32,
        lon: (lon * 600_000.0) as i32,
        second: (t_s % 60) as u8,
        ..PositionReport::default()
    };
    let opts = EncodeOptions {
        tag_time_s: Some(t_s),
        station: Some("2573999".into()),
        channel: b'A',
        ..EncodeOptions::default()
    };
    encode_sentences(&varde_ais::AisMessage::Position(p).encode(), &opts).remove(0)
}

/// The `token_sha256 = "…"` line `varde operator hash-token` prints for `token` (read on stdin),
/// checked for its shape.
pub fn hash_line(token: &str) -> String {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_varde"))
        .args(["operator", "hash-token"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    writeln!(child.stdin.take().unwrap(), "{token}").unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let line = String::from_utf8(out.stdout).unwrap().trim().to_owned();
    assert!(line.starts_with("token_sha256 = \""), "{line}");
    assert_eq!(line.len(), "token_sha256 = \"\"".len() + 64, "{line}");
    line
}

/// Fills a store: `varde serve` replays the recording `rec` (one file source at full speed) into
/// `data` with the watch list `watchlist`, until `reports` reports are committed, and stops cleanly.
/// The configuration is written into `dir`.
pub fn fill_store(dir: &Path, rec: &Path, data: &Path, watchlist: &Path, reports: u64) {
    let cfg = dir.join("varde.toml");
    std::fs::write(
        &cfg,
        format!(
            "[serve]\nlisten = \"127.0.0.1:0\"\n[[serve.sources]]\nname = \"rec\"\nkind = \"file\"\n\
             path = \"{}\"\nspeed = 0\n",
            rec.display()
        ),
    )
    .unwrap();
    let mut serve = Serve::start(
        &cfg,
        &[
            "--data-dir",
            data.to_str().unwrap(),
            "--watchlist",
            watchlist.to_str().unwrap(),
        ],
    );
    wait_until("every report committed", 60, || {
        serve.metric("varde_reports_committed_total") == Some(reports)
    });
    serve.terminate(Duration::from_secs(20)).expect("stops");
}
