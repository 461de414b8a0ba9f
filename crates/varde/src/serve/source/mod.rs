//! Input feeds. Each source runs on its own task and hands lines to the
//! pipeline through a bounded channel, in batches ([`Input`]: the complete
//! lines of one read, up to [`BATCH_LINES`]); a dead or slow source never
//! stalls the others.
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

/// Lines of one source in one hand-off to the engine thread at most: sources send all the complete
/// lines of one socket read, datagram burst or file stretch together (up to this many), so the
/// engine wakes once per batch, not once per line.
pub const BATCH_LINES: usize = 1024;

/// Batches queued for the engine at most (back-pressure: TCP, files and the simulator wait, UDP
/// drops and counts). 32 full batches are ~33,000 lines (about a second of ingest at full speed,
/// ~3 MB). 128 (~13 MB) before: a fast feed keeps the queue full, and the allocator keeps what it
/// held after it drains (`bench/memory/run`); 1,024 let an overloaded service queue a million lines
/// (370 MB, 13 s behind) before TCP pushed back.
pub const QUEUED_BATCHES: usize = 32;

/// Lines from one source, with their receive times, handed to the engine thread in one message.
#[derive(Debug, Default)]
pub struct Input {
    /// Index of the source.
    pub source: u32,
    /// The lines' bytes, one after another, without line endings.
    bytes: Vec<u8>,
    /// Each line's end in `bytes` and its receive time (unix ms; event time when the line has none).
    lines: Vec<(u32, i64)>,
}

/// Source index of the [`Input::stop`] marker (no source has it).
const STOP_SOURCE: u32 = u32::MAX - 1;
/// Source index of the [`Input::tick`] marker (no source has it).
const TICK_SOURCE: u32 = u32::MAX - 2;

impl Input {
    /// An empty batch for `source`.
    pub fn new(source: u32) -> Self {
        Self {
            source,
            ..Self::default()
        }
    }

    /// Adds a line (without its ending) received at `received_ms`.
    pub fn push(&mut self, line: &[u8], received_ms: i64) {
        self.bytes.extend_from_slice(line);
        self.lines.push((self.bytes.len() as u32, received_ms));
    }

    /// Lines held.
    pub fn len(&self) -> usize {
        self.lines.len()
    }

    /// Whether no line is held.
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// Whether the batch is full ([`BATCH_LINES`]).
    pub fn is_full(&self) -> bool {
        self.lines.len() >= BATCH_LINES
    }

    /// The lines with their receive times, in arrival order.
    pub fn lines(&self) -> impl Iterator<Item = (&[u8], i64)> {
        let mut start = 0;
        self.lines.iter().map(move |&(end, t)| {
            let line = &self.bytes[start..end as usize];
            start = end as usize;
            (line, t)
        })
    }

    /// The marker the service sends at shutdown: the engine processes what was queued before it, then
    /// stops, whether or not sources (a paced file, the simulator) still hold the channel open.
    pub fn stop() -> Self {
        Self::new(STOP_SOURCE)
    }

    /// The marker that wakes the engine thread while no line arrives (it holds no line).
    pub fn tick() -> Self {
        Self::new(TICK_SOURCE)
    }

    /// Whether this is the [`Input::stop`] marker.
    pub fn is_stop(&self) -> bool {
        self.source == STOP_SOURCE && self.lines.is_empty()
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
    /// Fresh counters of a source named `name` of kind `kind`.
    pub fn new(name: &str, kind: &'static str) -> Self {
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
    /// An empty batch of this source.
    pub fn batch(&self) -> Input {
        Input::new(self.id)
    }

    /// Counts and sends a batch, waiting while the pipeline is full. Returns false once the
    /// pipeline has shut down. An empty batch is not sent.
    pub async fn send(&self, batch: Input) -> bool {
        if batch.is_empty() {
            return true;
        }
        self.count(&batch);
        self.tx.send(batch).await.is_ok()
    }

    /// Counts and offers a batch without waiting: dropped (its lines counted) when the pipeline
    /// is full. Returns false once the pipeline has shut down.
    pub fn offer(&self, batch: Input) -> bool {
        if batch.is_empty() {
            return true;
        }
        self.count(&batch);
        match self.tx.try_send(batch) {
            Ok(()) => true,
            Err(mpsc::error::TrySendError::Full(b)) => {
                self.health
                    .dropped
                    .fetch_add(b.len() as u64, Ordering::Relaxed);
                true
            }
            Err(mpsc::error::TrySendError::Closed(_)) => false,
        }
    }

    /// Counts and sends a batch from a blocking thread (files, the simulator), waiting while the
    /// pipeline is full. Returns false once the pipeline has shut down.
    pub fn send_blocking(&self, batch: Input) -> bool {
        if batch.is_empty() {
            return true;
        }
        self.count(&batch);
        self.tx.blocking_send(batch).is_ok()
    }

    fn count(&self, batch: &Input) {
        self.health
            .lines
            .fetch_add(batch.len() as u64, Ordering::Relaxed);
        self.health.last_line_ms.store(now_ms(), Ordering::Relaxed);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_batch_gives_back_its_lines_with_their_times_in_order() {
        let mut b = Input::new(3);
        assert!(b.is_empty() && !b.is_stop());
        b.push(b"!AIVDM,1,1,,A,x,0*00", 10);
        b.push(b"", 11);
        b.push(b"\\c:1*00\\!AIVDM,1,1,,B,y,0*00", 12);
        let got: Vec<(Vec<u8>, i64)> = b.lines().map(|(l, t)| (l.to_vec(), t)).collect();
        assert_eq!(
            got,
            [
                (b"!AIVDM,1,1,,A,x,0*00".to_vec(), 10),
                (Vec::new(), 11),
                (b"\\c:1*00\\!AIVDM,1,1,,B,y,0*00".to_vec(), 12),
            ]
        );
        assert_eq!((b.len(), b.source), (3, 3));
        assert!(Input::stop().is_stop());
        for _ in 3..BATCH_LINES - 1 {
            b.push(b"z", 0);
        }
        assert!(!b.is_full());
        b.push(b"z", 0);
        assert!(b.is_full());
    }
}
