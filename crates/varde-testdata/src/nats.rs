//! A throw-away NATS JetStream cluster on loopback for the cluster tests: real `nats-server`
//! processes (Debian's package; `scripts/test` installs it), one per node, each with its own
//! JetStream store under a temporary folder. A test owns its cluster, so it may kill -9 and
//! restart nodes without disturbing other tests; a three-node cluster starts in about a second.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
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
            "CI=true but nats-server is not installed ({user} needs it: apt-get install nats-server)"
        );
        crate::record_skip(Path::new("nats-server"), user, &crate::skips_file());
    }
    found
}

/// One node's ports and process.
#[derive(Debug)]
struct Node {
    name: String,
    client: u16,
    cluster: u16,
    monitor: u16,
    child: Option<Child>,
}

/// A running JetStream cluster; its nodes are killed when it is dropped.
#[derive(Debug)]
pub struct NatsCluster {
    bin: PathBuf,
    dir: PathBuf,
    nodes: Vec<Node>,
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

impl NatsCluster {
    /// Starts `nodes` JetStream nodes (1 = a single server, 3 = an R3-capable cluster) with their
    /// stores under `dir`, and waits until every node reports JetStream healthy.
    pub fn start(bin: &Path, dir: &Path, nodes: usize) -> std::io::Result<Self> {
        // Free ports are found by binding and releasing them, so another test may take one before
        // the node binds it (the node then exits): start again on fresh ports, three times at most.
        let mut last = None;
        for attempt in 0..3 {
            let c = Self::try_start(bin, &dir.join(format!("try{attempt}")), nodes);
            match c {
                Ok(c) => return Ok(c),
                Err(e) => last = Some(e),
            }
        }
        Err(last.expect("an attempt was made"))
    }

    fn try_start(bin: &Path, dir: &Path, nodes: usize) -> std::io::Result<Self> {
        let nodes = (0..nodes)
            .map(|i| Node {
                name: format!("n{}", i + 1),
                client: free_port(),
                cluster: free_port(),
                monitor: free_port(),
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

    fn config(&self, i: usize) -> String {
        let n = &self.nodes[i];
        let store = self.dir.join(&n.name);
        let mut s = format!(
            "server_name: {name}\nlisten: 127.0.0.1:{client}\nhttp: 127.0.0.1:{monitor}\n\
             jetstream {{ store_dir: \"{store}\", max_memory_store: 256MB, max_file_store: 4GB }}\n",
            name = n.name,
            client = n.client,
            monitor = n.monitor,
            store = store.display()
        );
        if self.nodes.len() > 1 {
            let routes: Vec<String> = self
                .nodes
                .iter()
                .map(|o| format!("nats-route://127.0.0.1:{}", o.cluster))
                .collect();
            s.push_str(&format!(
                "cluster {{ name: varde, listen: 127.0.0.1:{}, routes: [{}] }}\n",
                n.cluster,
                routes.join(", ")
            ));
        }
        s
    }

    fn spawn(&mut self, i: usize) -> std::io::Result<()> {
        std::fs::create_dir_all(&self.dir)?;
        let conf = self.dir.join(format!("{}.conf", self.nodes[i].name));
        std::fs::write(&conf, self.config(i))?;
        let log = std::fs::File::create(self.dir.join(format!("{}.log", self.nodes[i].name)))?;
        let child = Command::new(&self.bin)
            .arg("-c")
            .arg(&conf)
            .stdin(Stdio::null())
            .stdout(log.try_clone()?)
            .stderr(log)
            .spawn()?;
        self.nodes[i].child = Some(child);
        Ok(())
    }

    fn wait_healthy(&mut self, i: usize, limit: Duration) -> std::io::Result<()> {
        let start = Instant::now();
        loop {
            if healthz(self.nodes[i].monitor) {
                return Ok(());
            }
            if let Some(Ok(Some(status))) = self.nodes[i].child.as_mut().map(Child::try_wait) {
                return Err(std::io::Error::other(format!(
                    "nats node {} exited with {status} (log: {})",
                    self.nodes[i].name,
                    self.dir
                        .join(format!("{}.log", self.nodes[i].name))
                        .display()
                )));
            }
            if start.elapsed() > limit {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::TimedOut,
                    format!(
                        "nats node {} not healthy after {limit:?} (log: {})",
                        self.nodes[i].name,
                        self.dir
                            .join(format!("{}.log", self.nodes[i].name))
                            .display()
                    ),
                ));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Client URL of node `i` (`nats://127.0.0.1:PORT`).
    pub fn url(&self, i: usize) -> String {
        format!("nats://127.0.0.1:{}", self.nodes[i].client)
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

    /// Starts node `i` again on its old ports and store, and waits until it is healthy.
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
/// returned guard; it is removed when the guard drops.
pub fn nats_cluster(user: &str, nodes: usize) -> Option<(NatsCluster, TempDir)> {
    let bin = nats_server_bin(user)?;
    let dir = TempDir::new(user);
    let c = NatsCluster::start(&bin, &dir.0, nodes).expect("start the NATS cluster");
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
        let d = base.join(format!("{safe}-{}-{}", std::process::id(), free_port()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).expect("create the NATS test folder");
        Self(d)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
