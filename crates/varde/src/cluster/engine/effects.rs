//! What an area node's pairwise detectors did that partition nodes apply (`varde engine
//! --partitions … --follow-area all`): spoofing episodes and the incidents of pairwise alerts
//! ([`varde_watch::area`]). Applied at the same point of the raw stream as the area node made them,
//! they make the partition nodes' alerts replay's, victims' settling and incidents included.
//!
//! **Published** by the area node to `VARDE_AREA`: each effect on a subject of its own
//! (`varde.area.<area>.effect.<n>`, numbered from 1 in the node's state, with the raw sequence and
//! report index it happened at), acknowledged before the next; then the node's progress (the last
//! raw sequence it handled, `varde.area.<area>.progress`; the stream keeps one message a subject,
//! so only the newest). Progress goes out at most every [`PROGRESS_EVERY`], and at the latest
//! [`PROGRESS_EVERY`] after the last frame handled (the node waits for frames no longer than that
//! while it owes one): at most 50 messages a second, and a follower waits at most that long more
//! than the area node took. An area node that resumes from a snapshot
//! publishes the effects after it again under the same numbers: same subjects, same content.
//!
//! **Followed** by a partition node: before it handles a frame of its own at sequence `s`, it
//! waits until the area node's progress is at least `s`. Every effect the area node made up to `s`
//! is in the stream by then (each was acknowledged before the progress was published), so the
//! node applies, in order, those made before each of its reports and, inside the report, those
//! made at it. The number of the last effect applied is in the node's snapshot; after a restart
//! it reads the effects again from the stream's start and skips those. The price: a partition
//! node's alerts wait for the area node, which reads every frame.

use super::lease::Lease;
use super::publish::{send_acked, Outgoing};
use anyhow::{Context, Result};
use async_nats::jetstream::{self, consumer};
use bytes::Bytes;
use futures_util::StreamExt;
use std::collections::{BTreeMap, VecDeque};
use std::time::{Duration, Instant};
use tokio::signal::unix::Signal;
use varde_nats::{area_effect_subject, area_progress_subject, AREA_PREFIX};
use varde_watch::AreaEffect;

/// Progress is published at most this often while the area node is behind the raw stream.
pub const PROGRESS_EVERY: Duration = Duration::from_millis(20);
/// A follower logs that it waits for the area node after this long.
const WAIT_LOGGED_AFTER: Duration = Duration::from_secs(10);

/// One effect where it happened.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Placed {
    /// The area node's number of the effect, from 1.
    pub number: u64,
    /// Raw-stream sequence of the frame it happened at.
    pub seq: u64,
    /// Index of the report in that frame (its sentences' reports, from 0).
    pub index: u32,
    /// What it was.
    pub effect: AreaEffect,
}

impl Placed {
    /// Where it happened: (raw sequence, report index).
    pub fn at(&self) -> (u64, u32) {
        (self.seq, self.index)
    }
}

/// The area node's publisher of effects and progress.
pub struct Publisher {
    js: jetstream::Context,
    area: String,
    progress: u64,
    progress_at: Instant,
    /// The last raw sequence handled (progress owed past [`Publisher::progress`]'s last).
    handled: u64,
    /// Effects sent.
    pub sent: u64,
}

impl Publisher {
    /// A publisher for the area `area` (its key: `all`).
    pub fn new(js: jetstream::Context, area: &str) -> Self {
        Self {
            js,
            area: area.to_string(),
            progress: 0,
            progress_at: Instant::now(),
            handled: 0,
            sent: 0,
        }
    }

    /// Whether frames were handled past the last progress published.
    pub fn owed(&self) -> bool {
        self.handled > self.progress
    }

    /// Publishes an effect; returns once the stream holds it.
    pub async fn effect(&mut self, p: &Placed) -> Result<()> {
        let out = Outgoing {
            subject: area_effect_subject(&self.area, p.number),
            headers: Default::default(),
            payload: Bytes::from(serde_json::to_vec(p)?),
        };
        send_acked(&self.js, &out, |_, e| {
            tracing::debug!(error = %e, "area effect not acknowledged; sending it again");
        })
        .await
        .context("the area stream does not accept effects")?;
        self.sent += 1;
        Ok(())
    }

    /// Publishes the progress `seq` (every effect up to it is published) when it moved and `now`
    /// is set or [`PROGRESS_EVERY`] has passed since the last one; otherwise it is owed
    /// ([`Publisher::owed`]). Not acknowledged: the next one supersedes it.
    pub async fn progress(&mut self, seq: u64, now: bool) -> Result<()> {
        self.handled = self.handled.max(seq);
        if seq <= self.progress || !(now || self.progress_at.elapsed() >= PROGRESS_EVERY) {
            return Ok(());
        }
        let subject = area_progress_subject(&self.area);
        // The acknowledgement is not awaited; a lost progress message is followed by the next.
        drop(
            self.js
                .publish(subject, Bytes::from(seq.to_string()))
                .await
                .context("publishing the area node's progress")?,
        );
        self.progress = seq;
        self.progress_at = Instant::now();
        Ok(())
    }
}

/// A partition node's reader of an area node's effects.
pub struct Follower {
    stream: jetstream::stream::Stream,
    area: String,
    messages: Option<consumer::pull::Ordered>,
    /// The area node's progress: the last raw sequence it handled.
    pub progress: u64,
    /// The highest effect number queued or applied.
    last: u64,
    /// Effects not yet applied, in order.
    pub queue: VecDeque<Placed>,
    /// Effects read before one with a lower number.
    early: BTreeMap<u64, Placed>,
    waiting: Option<(u64, Instant)>,
}

impl Follower {
    /// A follower of area `area` that has applied the effects up to number `applied`.
    pub fn new(stream: jetstream::stream::Stream, area: &str, applied: u64) -> Self {
        Self {
            stream,
            area: area.to_string(),
            messages: None,
            progress: 0,
            last: applied,
            queue: VecDeque::new(),
            early: BTreeMap::new(),
            waiting: None,
        }
    }

    /// Reads the area stream for at most `within` or until the area node has handled the frame at
    /// `seq`; returns whether it has.
    pub async fn ready(&mut self, seq: u64, within: Duration) -> Result<bool> {
        let deadline = tokio::time::Instant::now() + within;
        while self.progress < seq {
            if self.messages.is_none() {
                self.messages = Some(self.open().await?);
            }
            let Some(messages) = self.messages.as_mut() else {
                continue;
            };
            let next = match tokio::time::timeout_at(deadline, messages.next()).await {
                Ok(n) => n,
                Err(_) => {
                    self.log_wait(seq);
                    return Ok(false);
                }
            };
            match next {
                Some(Ok(msg)) => self.take(&msg.subject, &msg.payload)?,
                Some(Err(e)) => {
                    tracing::warn!(error = %e, "area stream consumer: retrying");
                }
                None => self.messages = None,
            }
        }
        if let Some((&n, _)) = self.early.first_key_value() {
            tracing::warn!(
                next = self.last + 1,
                read = n,
                "the area stream misses effects the area node's progress covers: this node's \
                 alerts may differ from replay's"
            );
        }
        if let Some((_, since)) = self.waiting.take() {
            if since.elapsed() >= WAIT_LOGGED_AFTER {
                tracing::info!(
                    seq,
                    waited_ms = since.elapsed().as_millis() as u64,
                    "the area node has caught up"
                );
            }
        }
        Ok(true)
    }

    /// Waits until the area node has handled the frame at `seq`; `false` when the node is told to
    /// stop first (SIGINT, SIGTERM), an error when its lease is lost meanwhile.
    pub async fn wait(&mut self, seq: u64, term: &mut Signal, lease: &Lease) -> Result<bool> {
        loop {
            let ready = tokio::select! {
                _ = tokio::signal::ctrl_c() => return Ok(false),
                _ = term.recv() => return Ok(false),
                r = self.ready(seq, Duration::from_millis(200)) => r?,
            };
            if ready {
                return Ok(true);
            }
            anyhow::ensure!(
                !lease.is_lost(),
                "lease of the partitions lost while waiting for the area node: stopping without publishing more"
            );
        }
    }

    fn log_wait(&mut self, seq: u64) {
        let (_, since) = *self.waiting.get_or_insert((seq, Instant::now()));
        if since.elapsed() >= WAIT_LOGGED_AFTER {
            tracing::warn!(
                seq,
                area_progress = self.progress,
                "waiting for the area node (--follow-area) to handle the frame"
            );
            self.waiting = Some((seq, Instant::now()));
        }
    }

    /// Takes one message of the area stream.
    fn take(&mut self, subject: &str, payload: &[u8]) -> Result<()> {
        if subject.ends_with(".progress") {
            let p = std::str::from_utf8(payload)
                .ok()
                .and_then(|s| s.trim().parse::<u64>().ok())
                .with_context(|| {
                    format!("an area progress message that is not a number: {subject}")
                })?;
            self.progress = self.progress.max(p);
            return Ok(());
        }
        let placed: Placed = serde_json::from_slice(payload)
            .with_context(|| format!("an area effect that cannot be read: {subject}"))?;
        if placed.number <= self.last {
            // Published again by an area node that resumed from a snapshot, or applied before.
            return Ok(());
        }
        // Effects published again move to the stream's end, so from the start they may come out
        // of order; all of them are in before the progress message that covers them.
        self.early.insert(placed.number, placed);
        while let Some(p) = self.early.remove(&(self.last + 1)) {
            self.last = p.number;
            self.queue.push_back(p);
        }
        Ok(())
    }

    /// An ordered consumer of the area's subjects from the stream's start (effects are few; those
    /// applied are skipped by number).
    async fn open(&self) -> Result<consumer::pull::Ordered> {
        let consumer = self
            .stream
            .create_consumer(consumer::pull::OrderedConfig {
                filter_subject: format!("{AREA_PREFIX}.{}.>", self.area),
                deliver_policy: consumer::DeliverPolicy::All,
                ..Default::default()
            })
            .await
            .context("creating the area stream consumer")?;
        consumer.messages().await.context("reading the area stream")
    }
}
