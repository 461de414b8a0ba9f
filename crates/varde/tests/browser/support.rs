//! Processes for the real-browser test: Debian's `chromedriver` (driving Debian's `chromium`) and a
//! `varde serve --demo`, each started by the test on a loopback port and stopped when its guard
//! drops, also when the test panics.

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Where Debian's `chromium-driver` package puts the driver.
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
/// Where Debian's `chromium` package puts the browser.
pub const CHROMIUM: &str = "/usr/bin/chromium";

/// The driver and browser to use (`CHROMEDRIVER` / `CHROMIUM` in the environment override the
/// Debian paths), or why the test cannot run.
pub fn tools() -> Result<(PathBuf, PathBuf), String> {
    let driver = PathBuf::from(std::env::var("CHROMEDRIVER").unwrap_or(CHROMEDRIVER.into()));
    let browser = PathBuf::from(std::env::var("CHROMIUM").unwrap_or(CHROMIUM.into()));
    let missing: Vec<String> = [(&driver, "chromium-driver"), (&browser, "chromium")]
        .iter()
        .filter(|(p, _)| !p.is_file())
        .map(|(p, pkg)| format!("{} (Debian package {pkg})", p.display()))
        .collect();
    if missing.is_empty() {
        Ok((driver, browser))
    } else {
        Err(format!(
            "not installed: {}; `apt-get install -y chromium chromium-driver` (scripts/test does)",
            missing.join(", ")
        ))
    }
}

/// True when running under CI (`CI=true`), where a test that cannot run must fail, not skip.
pub fn under_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v.eq_ignore_ascii_case("true") || v == "1")
}

/// Stops a process group: SIGTERM, then SIGKILL if it is still there after a grace period. Uses
/// `sh`'s `kill` builtin (the crate forbids unsafe code, so no libc call).
fn kill_group(pgid: u32, child: &mut Child) {
    let signal = |sig: &str| {
        let _ = Command::new("sh")
            .args(["-c", &format!("kill -s {sig} -- -{pgid} 2>/dev/null")])
            .status();
    };
    signal("TERM");
    let deadline = Instant::now() + Duration::from_secs(5);
    while Instant::now() < deadline {
        if matches!(child.try_wait(), Ok(Some(_))) {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    // The group may hold the browser even after the driver itself has gone.
    signal("KILL");
    let _ = child.kill();
    let _ = child.wait();
}

/// A running `chromedriver` on a free loopback port, in its own process group so that the browser
/// it starts goes with it.
pub struct Chromedriver {
    child: Child,
    /// `http://127.0.0.1:PORT`.
    pub url: String,
}

impl Chromedriver {
    /// Starts the driver and waits until `/status` says it is ready. `log` receives its log.
    pub fn start(driver: &Path, log: &Path) -> Self {
        let mut last = String::new();
        // A free port found by binding can be taken again before the driver binds it: retry.
        for _ in 0..3 {
            let port = TcpListener::bind("127.0.0.1:0")
                .and_then(|l| l.local_addr())
                .expect("a free loopback port")
                .port();
            let child = Command::new(driver)
                .arg(format!("--port={port}"))
                .arg(format!("--log-path={}", log.display()))
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .process_group(0)
                .spawn()
                .unwrap_or_else(|e| panic!("starting {}: {e}", driver.display()));
            let mut this = Self {
                child,
                url: format!("http://127.0.0.1:{port}"),
            };
            let deadline = Instant::now() + Duration::from_secs(60);
            while Instant::now() < deadline {
                if let Ok(Some(status)) = this.child.try_wait() {
                    last = format!("chromedriver exited with {status}; see {}", log.display());
                    break;
                }
                let ready = ureq::get(&format!("{}/status", this.url))
                    .timeout(Duration::from_secs(5))
                    .call()
                    .ok()
                    .and_then(|r| r.into_string().ok())
                    .and_then(|b| serde_json::from_str::<serde_json::Value>(&b).ok())
                    .is_some_and(|v| v["value"]["ready"] == true);
                if ready {
                    return this;
                }
                last = format!("chromedriver on port {port} not ready within 60 s");
                std::thread::sleep(Duration::from_millis(100));
            }
            drop(this);
        }
        panic!("{last}");
    }
}

impl Drop for Chromedriver {
    fn drop(&mut self) {
        let pgid = self.child.id();
        kill_group(pgid, &mut self.child);
    }
}

/// A running `varde serve --demo` (the built binary) on a free loopback port.
pub struct Demo {
    child: Child,
    /// The page's URL with its token, as the server printed it.
    pub url: String,
}

impl Demo {
    /// Starts the demo with `token` and waits until it prints its URL.
    pub fn start(token: &str) -> Self {
        Self::start_with(token, &[])
    }

    /// Starts the demo with `token` and the further arguments `extra` (e.g. `--config FILE`).
    pub fn start_with(token: &str, extra: &[&str]) -> Self {
        let mut args: Vec<std::ffi::OsString> = ["serve", "--demo", "--listen", "127.0.0.1:0"]
            .iter()
            .map(Into::into)
            .collect();
        args.extend(["--token", token].iter().map(Into::into));
        args.extend(extra.iter().map(Into::into));
        Self::spawn(&args).unwrap_or_else(|e| panic!("{e}"))
    }

    /// Runs `varde ARGS` (a `serve` that prints its URL) and waits until it prints its URL
    /// (120 s at most); it is stopped when the returned value drops.
    pub fn spawn(args: &[std::ffi::OsString]) -> Result<Self, String> {
        let mut child = Command::new(env!("CARGO_BIN_EXE_varde"))
            .args(args)
            .env("RUST_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| format!("varde {args:?}: {e}"))?;
        let mut out = BufReader::new(child.stdout.take().expect("piped stdout"));
        // Read in a thread: a server that hangs before printing must not hang the test.
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            loop {
                line.clear();
                match out.read_line(&mut line) {
                    Ok(0) | Err(_) => return,
                    Ok(_) => {
                        if let Some(url) =
                            line.split_whitespace().find(|w| w.starts_with("http://"))
                        {
                            let _ = tx.send(url.to_owned());
                            break;
                        }
                    }
                }
            }
            for _ in out.lines() {}
        });
        let mut this = Self {
            child,
            url: String::new(),
        };
        match rx.recv_timeout(Duration::from_secs(120)) {
            Ok(url) => this.url = url,
            Err(_) => {
                let status = this.child.try_wait().ok().flatten();
                return Err(format!(
                    "varde {args:?} did not print its URL within 120 s (exit: {status:?})"
                ));
            }
        }
        Ok(this)
    }
}

impl Drop for Demo {
    fn drop(&mut self) {
        // SIGTERM first so the store closes cleanly; SIGKILL if it has not stopped within 20 s.
        let pid = self.child.id();
        let _ = Command::new("sh")
            .args(["-c", &format!("kill -s TERM {pid} 2>/dev/null")])
            .status();
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if matches!(self.child.try_wait(), Ok(Some(_))) {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
