//! Input feeds. Each source runs on its own task and hands lines to the
//! pipeline through a bounded channel; a dead or slow source never stalls
//! the others.
//!
//! # Layout
//! - `tcp`: client with reconnect, exponential back-off and an idle timeout.
//! - `udp`: listener; datagrams may hold several lines; `udp_drops`: the
//!   kernel's drop counter of its socket.
//! - `lines`: bounded line splitting with an over-long line count.
//! - `throughput`: the periodic per-source throughput log line.
//! - `file`: recorded input paced by event time.
//! - `sim`: the simulator, paced, for the demo.

pub mod file;
pub mod lines;
pub mod sim;
pub mod tcp;
pub mod throughput;
pub mod udp;
pub mod udp_drops;

use super::config::{ServeConfig, SourceKind};
use std::sync::atomic::{AtomicI64, AtomicU64, AtomicU8, Ordering};
use std::sync::Arc;
use tokio::sync::mpsc;

/// One line from a source.
#[derive(Debug)]
pub struct Input {
    /// Index of the source.
    pub source: u32,
    /// The line, without its ending.
    pub line: Box<[u8]>,
    /// Wall-clock receive time, unix ms (event time when the line has none).
    pub received_ms: i64,
}

/// Source index of the [`Input::stop`] marker (no source has it).
const STOP_SOURCE: u32 = u32::MAX - 1;

impl Input {
    /// The marker the service sends at shutdown: the engine processes what was queued before it, then
    /// stops, whether or not sources (a paced file, the simulator) still hold the channel open.
    pub fn stop() -> Self {
        Self {
            source: STOP_SOURCE,
            line: Box::default(),
            received_ms: 0,
        }
    }

    /// Whether this is the [`Input::stop`] marker.
    pub fn is_stop(&self) -> bool {
        self.source == STOP_SOURCE && self.line.is_empty()
    }
}

/// Connection state of a source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum SourceState {
    /// Starting or reconnecting.
    Connecting = 0,
    /// Receiving.
    Up = 1,
    /// Failed; retrying later.
    Down = 2,
    /// Finished (a file or simulation ran out).
    Done = 3,
    /// Connected but no complete line for longer than the idle timeout;
    /// reconnecting. Stays until a line arrives again.
    Stale = 4,
}

impl SourceState {
    /// snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Connecting => "connecting",
            Self::Up => "up",
            Self::Down => "down",
            Self::Done => "done",
            Self::Stale => "stale",
        }
    }
}

/// Live counters of one source, shared with the API and metrics.
#[derive(Debug)]
pub struct SourceHealth {
    /// Configured name.
    pub name: String,
    /// Kind (`tcp`, `udp`, `file`, `sim`).
    pub kind: &'static str,
    state: AtomicU8,
    /// Lines received.
    pub lines: AtomicU64,
    /// Lines dropped because the pipeline was full (UDP only; TCP and files
    /// wait instead).
    pub dropped: AtomicU64,
    /// Reports accepted by the engine.
    pub reports: AtomicU64,
    /// Lines rejected by the decoder.
    pub rejects: AtomicU64,
    /// Connection attempts that failed.
    pub failures: AtomicU64,
    /// Unix ms of the last line.
    pub last_line_ms: AtomicI64,
    /// Connections established (TCP).
    pub connects: AtomicU64,
    /// Times the feed was found stale (connected, no complete line for the
    /// idle timeout) and dropped for a reconnect.
    pub stale: AtomicU64,
    /// Lines longer than the maximum line length, dropped whole.
    pub overlong: AtomicU64,
    /// Datagrams the kernel dropped on this source's socket because its
    /// receive buffer was full (UDP on Linux; 0 elsewhere).
    pub kernel_drops: AtomicU64,
}

impl SourceHealth {
    fn new(name: &str, kind: &'static str) -> Self {
        Self {
            name: name.to_owned(),
            kind,
            state: AtomicU8::new(SourceState::Connecting as u8),
            lines: AtomicU64::new(0),
            dropped: AtomicU64::new(0),
            reports: AtomicU64::new(0),
            rejects: AtomicU64::new(0),
            failures: AtomicU64::new(0),
            last_line_ms: AtomicI64::new(0),
            connects: AtomicU64::new(0),
            stale: AtomicU64::new(0),
            overlong: AtomicU64::new(0),
            kernel_drops: AtomicU64::new(0),
        }
    }

    /// Current state.
    pub fn state(&self) -> SourceState {
        match self.state.load(Ordering::Relaxed) {
            1 => SourceState::Up,
            2 => SourceState::Down,
            3 => SourceState::Done,
            4 => SourceState::Stale,
            _ => SourceState::Connecting,
        }
    }

    /// Sets the state.
    pub fn set_state(&self, s: SourceState) {
        self.state.store(s as u8, Ordering::Relaxed);
    }
}

/// What a source task needs.
#[derive(Clone)]
pub struct SourceCtx {
    /// Index of this source.
    pub id: u32,
    /// Its counters.
    pub health: Arc<SourceHealth>,
    /// The pipeline's input.
    pub tx: mpsc::Sender<Input>,
}

impl SourceCtx {
    /// Counts and sends one line, waiting while the pipeline is full.
    /// Returns false once the pipeline has shut down.
    pub async fn send(&self, line: &[u8]) -> bool {
        let input = self.input(line);
        self.tx.send(input).await.is_ok()
    }

    /// Counts and offers one line without waiting: dropped (and counted)
    /// when the pipeline is full.
    pub fn offer(&self, line: &[u8]) -> bool {
        match self.tx.try_send(self.input(line)) {
            Ok(()) => true,
            Err(mpsc::error::TrySendError::Full(_)) => {
                self.health.dropped.fetch_add(1, Ordering::Relaxed);
                true
            }
            Err(mpsc::error::TrySendError::Closed(_)) => false,
        }
    }

    /// Counts and sends one line from a blocking thread (files, the
    /// simulator), stamped with `event_ms` when given instead of the wall
    /// clock. Returns false once the pipeline has shut down.
    pub fn send_blocking(&self, line: &[u8], event_ms: Option<i64>) -> bool {
        let mut input = self.input(line);
        input.received_ms = event_ms.unwrap_or(input.received_ms);
        self.tx.blocking_send(input).is_ok()
    }

    fn input(&self, line: &[u8]) -> Input {
        let now = now_ms();
        self.health.lines.fetch_add(1, Ordering::Relaxed);
        self.health.last_line_ms.store(now, Ordering::Relaxed);
        Input {
            source: self.id,
            line: line.into(),
            received_ms: now,
        }
    }
}

/// Wall-clock now in unix ms (the service edge is the only place that
/// reads the clock; the engine runs on event time).
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

/// Starts every configured source and the throughput log; returns their
/// health handles in order.
pub fn spawn_all(serve: &ServeConfig, tx: &mpsc::Sender<Input>) -> Vec<Arc<SourceHealth>> {
    let all: Vec<_> = serve
        .sources
        .iter()
        .enumerate()
        .map(|(i, cfg)| {
            let health = Arc::new(SourceHealth::new(&cfg.name, cfg.kind.as_str()));
            let ctx = SourceCtx {
                id: i as u32,
                health: health.clone(),
                tx: tx.clone(),
            };
            match cfg.kind.clone() {
                SourceKind::Tcp {
                    address,
                    idle_timeout_s,
                } => {
                    let idle = std::time::Duration::from_secs(idle_timeout_s.max(1));
                    drop(tokio::spawn(tcp::run(ctx, address, idle)));
                }
                SourceKind::Udp { bind } => drop(tokio::spawn(udp::run(ctx, bind))),
                SourceKind::File { path, speed } => drop(tokio::spawn(file::run(ctx, path, speed))),
                SourceKind::Sim { vessels, speed } => sim::spawn(ctx, vessels, speed),
            }
            health
        })
        .collect();
    if serve.throughput_log_s > 0 && !all.is_empty() {
        let every = std::time::Duration::from_secs(serve.throughput_log_s);
        drop(tokio::spawn(throughput::run(all.clone(), every)));
    }
    all
}
