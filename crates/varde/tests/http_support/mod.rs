//! A `varde serve` child process for the `http_*` tests: started with given arguments, its address
//! read from stdout, its stderr collected, killed on drop.

#![allow(dead_code)] // each test file uses its part

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The token every test server uses.
pub const TOKEN: &str = "http-test-token";

/// A running server.
pub struct Serve {
    child: Child,
    /// `http://host:port`.
    pub base: String,
    /// `host:port`.
    pub addr: String,
    stderr: Arc<Mutex<String>>,
}

impl Serve {
    /// Starts `varde serve ARGS` with `RUST_LOG=info` and waits until it listens.
    pub fn start(args: &[&str]) -> Self {
        let mut child = command(args).spawn().expect("varde serve starts");
        let stderr = collect(child.stderr.take().unwrap());
        let mut out = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        let deadline = Instant::now() + Duration::from_secs(60);
        while !line.contains("Open http://") {
            line.clear();
            if out.read_line(&mut line).unwrap() == 0 {
                let _ = child.wait();
                std::thread::sleep(Duration::from_millis(200));
                panic!("server exited before listening: {}", stderr.lock().unwrap());
            }
            assert!(Instant::now() < deadline, "server did not start");
        }
        std::thread::spawn(move || for _ in out.lines() {});
        let url = line
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .unwrap();
        let base = url.split("/?").next().unwrap().to_owned();
        let addr = base.trim_start_matches("http://").to_owned();
        Self {
            child,
            base,
            addr,
            stderr,
        }
    }

    /// GET `path` with the bearer token: status and body.
    pub fn get(&self, path: &str) -> (u16, String) {
        let r = ureq::get(&format!("{}{path}", self.base))
            .set("Authorization", &format!("Bearer {TOKEN}"))
            .timeout(Duration::from_secs(30))
            .call();
        match r {
            Ok(r) => (r.status(), r.into_string().unwrap()),
            Err(ureq::Error::Status(s, r)) => (s, r.into_string().unwrap()),
            Err(e) => panic!("GET {path}: {e}"),
        }
    }

    /// The value of one exact metric series.
    pub fn metric(&self, series: &str) -> Option<f64> {
        let (_, text) = self.get("/metrics");
        text.lines()
            .find_map(|l| l.strip_prefix(series)?.strip_prefix(' '))
            .map(|v| v.trim().parse().unwrap())
    }

    /// What the server wrote to stderr so far.
    pub fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// SIGTERM, then waits (at most a minute) for the exit.
    pub fn stop(&mut self) -> ExitStatus {
        let term = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(term.success());
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Some(s) = self.child.try_wait().unwrap() {
                // Let the reader thread take the last lines.
                std::thread::sleep(Duration::from_millis(200));
                return s;
            }
            assert!(Instant::now() < deadline, "no exit after SIGTERM");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `varde serve ARGS` with piped output and `RUST_LOG=info`.
pub fn command(args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_varde"));
    c.arg("serve")
        .args(args)
        .env("RUST_LOG", "info")
        .env_remove("NO_COLOR")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    c
}

/// Reads `r` to its end on a thread, into a shared string.
fn collect(mut r: impl Read + Send + 'static) -> Arc<Mutex<String>> {
    let text = Arc::new(Mutex::new(String::new()));
    let sink = text.clone();
    std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok(n) = r.read(&mut buf) {
            if n == 0 {
                break;
            }
            sink.lock()
                .unwrap()
                .push_str(&String::from_utf8_lossy(&buf[..n]));
        }
    });
    text
}

/// Writes a config file with `[serve]` lines (listen, token and a temporary store are added) and
/// returns its directory (keep it alive) and path.
pub fn config(serve_lines: &str) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("varde.toml");
    std::fs::write(
        &path,
        format!(
            "[serve]\nlisten = \"127.0.0.1:0\"\ntoken = \"{TOKEN}\"\ndata_dir = \"{}\"\n{serve_lines}\n",
            dir.path().join("store").display()
        ),
    )
    .unwrap();
    let p = path.to_str().unwrap().to_owned();
    (dir, p)
}
