//! The `[serve]` section: listener and its limits, token, logs, store, retention and sources.

use serde::{Deserialize, Serialize};
use std::net::SocketAddr;
use std::path::PathBuf;

/// Settings of the live service.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ServeConfig {
    /// Address of the HTTP API and web map: `host:port` (`127.0.0.1:8080`, `[::1]:8080`,
    /// `localhost:8080`), resolved when the listener binds.
    pub listen: String,
    /// Bearer token required by everything but `/healthz`. Empty: a random
    /// token is made at start and printed.
    pub token: String,
    /// Named operator accounts (`[[serve.operators]]`), each with its own token kept as a SHA-256
    /// hash. The single `token` above stays valid: it is the admin `operator`.
    pub operators: Vec<OperatorConfig>,
    /// Directory of the embedded store (`varde.sqlite`). Empty: a temporary
    /// directory, removed at exit.
    pub data_dir: Option<PathBuf>,
    /// Days of positions, raw sentences and closed alerts kept.
    pub retention_days: u32,
    /// Hours of journal replayed at start when no usable snapshot is stored
    /// (first start, or settings changed since the last one).
    pub restore_hours: u32,
    /// Seconds between snapshots of the engine's state (0: none). A restart
    /// loads the newest and replays only the journal after it.
    pub snapshot_every_s: u32,
    /// Minutes a line's own time (tag block `c:`, trailer) may be ahead of
    /// when it was received; beyond, the line is refused and counted
    /// (`time_ahead_of_receipt`). A file source's receive time is the
    /// recording's own latest time.
    pub future_tolerance_min: u32,
    /// Hours a line's own time may be behind when it was received; beyond,
    /// refused and counted (`time_behind_receipt`). 0 (the default): no
    /// limit — satellite and store-and-forward data arrive hours late, and
    /// recordings are often streamed into a TCP or UDP source; late lines
    /// never move the picture's clock.
    pub past_tolerance_hours: u32,
    /// Input feeds.
    pub sources: Vec<SourceConfig>,
    /// Seconds between the throughput log lines of each source (lines,
    /// reports, rejects, rate); 0 turns them off.
    pub throughput_log_s: u64,
    /// Largest size of the store file, MiB (`PRAGMA max_page_count`); 0 =
    /// no limit but the disk's. When it is reached writes fail as on a full
    /// disk: `/healthz` turns 503 and ingest waits.
    pub max_store_mb: u64,
    /// Most HTTP connections open at once; further clients wait in the kernel's accept queue until
    /// one closes.
    pub max_connections: usize,
    /// Seconds a client has to send a complete request head, from when the connection opens or
    /// the previous response ends (so it also bounds an idle keep-alive connection).
    pub header_timeout_s: u64,
    /// Seconds a connection may move no byte in either direction before it is closed (a stalled
    /// upload, or a stream reader that stopped reading; open event streams send a keep-alive
    /// comment every 15 s, so a live one is never idle).
    pub idle_timeout_s: u64,
    /// Serve `/metrics` without the token (for a Prometheus scraper on a trusted network).
    pub metrics_public: bool,
    /// Log lines as human-readable text (`text`, the default) or one JSON object a line (`json`).
    pub log_format: LogFormat,
    /// Position events an `/api/stream` client may fall behind before it loses the oldest (and is
    /// told so by `event: lagged`).
    pub live_position_capacity: usize,
    /// Alert events kept for `/api/stream` clients (and for `Last-Event-ID` resume); a client
    /// further behind loses the oldest and is told so by `event: lagged`.
    pub live_alert_capacity: usize,
    /// MiB of alert JSON kept for `/api/stream` clients; the oldest alert events go first beyond it.
    pub live_alert_max_mb: usize,
}

/// How log lines are written to stderr.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LogFormat {
    /// Human-readable text, coloured only when stderr is a terminal.
    #[default]
    Text,
    /// One JSON object a line.
    Json,
}

impl Default for ServeConfig {
    fn default() -> Self {
        Self {
            listen: "127.0.0.1:8080".into(),
            token: String::new(),
            operators: Vec::new(),
            data_dir: None,
            retention_days: 30,
            restore_hours: 24,
            snapshot_every_s: 300,
            future_tolerance_min: 5,
            past_tolerance_hours: 0,
            sources: Vec::new(),
            throughput_log_s: 60,
            max_store_mb: 0,
            max_connections: 1024,
            header_timeout_s: 10,
            idle_timeout_s: 60,
            metrics_public: false,
            log_format: LogFormat::Text,
            live_position_capacity: 16_384,
            live_alert_capacity: 16_384,
            live_alert_max_mb: 32,
        }
    }
}

/// One named operator account (`[[serve.operators]]`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OperatorConfig {
    /// Shown as who acted in an alert's history; unique.
    pub name: String,
    /// What the account may do.
    pub role: Role,
    /// Hex SHA-256 of the account's bearer token (`varde operator hash-token` prints it); the
    /// token itself is never stored.
    pub token_sha256: String,
}

/// What an operator account may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Reads the picture and alerts; acts on nothing.
    Viewer,
    /// Also works alerts: acknowledge, assign, comment, dismiss, escalate.
    Operator,
    /// Everything (the service's own `token` is an admin).
    Admin,
}

impl Role {
    /// The configuration and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Viewer => "viewer",
            Self::Operator => "operator",
            Self::Admin => "admin",
        }
    }
}

/// The operator accounts checked: names unique and non-empty, hashes 64 hex digits (lower-cased
/// in the result). An error names the account at fault.
pub fn check_operators(ops: &[OperatorConfig]) -> anyhow::Result<Vec<OperatorConfig>> {
    let mut out: Vec<OperatorConfig> = Vec::with_capacity(ops.len());
    for (i, o) in ops.iter().enumerate() {
        let name = o.name.trim();
        anyhow::ensure!(
            !name.is_empty(),
            "[[serve.operators]] #{}: name is empty",
            i + 1
        );
        anyhow::ensure!(
            !out.iter().any(|p| p.name == name),
            "[[serve.operators]] {name:?} is configured twice"
        );
        let hash = o.token_sha256.trim().to_ascii_lowercase();
        anyhow::ensure!(
            hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit()),
            "[[serve.operators]] {name:?}: token_sha256 must be 64 hex digits (the SHA-256 of the \
             token; `varde operator hash-token` prints it)"
        );
        out.push(OperatorConfig {
            name: name.to_owned(),
            role: o.role,
            token_sha256: hash,
        });
    }
    Ok(out)
}

/// One input feed.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SourceConfig {
    /// Name shown in source health and metrics.
    pub name: String,
    /// What to read.
    #[serde(flatten)]
    pub kind: SourceKind,
}

/// The kinds of input feed.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum SourceKind {
    /// TCP client to a raw NMEA feed (e.g. the Norwegian Coastal
    /// Administration's `153.44.253.27:5631`), reconnecting with back-off.
    Tcp {
        /// `host:port` of the feed.
        address: String,
        /// Seconds without a complete line after which a connected feed is
        /// marked `stale` and reconnected.
        #[serde(default = "idle_timeout_s")]
        idle_timeout_s: u64,
    },
    /// UDP listener (what shipborne and shore receivers send).
    Udp {
        /// Local address to bind, e.g. `0.0.0.0:10110`.
        bind: SocketAddr,
    },
    /// A recorded file replayed by its event times.
    File {
        /// The file (plain or .gz).
        path: PathBuf,
        /// Playback speed: 1 = real time, 60 = a minute a second, 0 = as
        /// fast as possible.
        #[serde(default = "one")]
        speed: f64,
    },
    /// Simulated traffic with scripted incidents (the demo).
    Sim {
        /// Vessels simulated.
        #[serde(default = "demo_vessels")]
        vessels: usize,
        /// Playback speed over real time.
        #[serde(default = "demo_speed")]
        speed: f64,
    },
}

const fn idle_timeout_s() -> u64 {
    120
}

const fn one() -> f64 {
    1.0
}

const fn demo_vessels() -> usize {
    300
}

const fn demo_speed() -> f64 {
    20.0
}

impl SourceKind {
    /// Short name of the kind.
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Tcp { .. } => "tcp",
            Self::Udp { .. } => "udp",
            Self::File { .. } => "file",
            Self::Sim { .. } => "sim",
        }
    }
}
