//! How an engine node reads the raw stream: one ordered consumer from a stream sequence, on the
//! node's own partitions' subjects where the server can filter by several subjects (NATS ≥ 2.10,
//! `filter_subjects`), else on the whole stream (`varde.raw.>`, one subject filter, as NATS 2.9
//! allows) with the other partitions' frames skipped by the node.
//!
//! Which one a node asks for ([`Reader::wanted`]): a node holding some partitions asks for its
//! partitions' subjects (`varde.raw.<p>` each); a node holding every partition, and an area node,
//! read everything anyway and keep `varde.raw.>`. Which one it gets ([`Reading`]) is decided at
//! each consumer it creates: the filter is asked for when the server it is connected to reports
//! 2.10 or later, and kept only when the created consumer's configuration, as the server returns
//! it, holds the same subjects (a server that does not know the field ignores it and would
//! deliver everything); otherwise the consumer is created again on the whole stream. The choice
//! is logged when it is first made and whenever it changes.

use super::role::Role;
use anyhow::{Context, Result};
use async_nats::jetstream::{self, consumer, stream::LastRawMessageErrorKind};
use std::time::{Duration, Instant};
use varde_nats::{raw_subject, RAW_PREFIX};

/// How long the node tries to create its raw stream consumer before it gives up (and exits).
const REOPEN_FOR: Duration = Duration::from_secs(60);

/// What the current consumer delivers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reading {
    /// Only the node's partitions' frames (`filter_subjects`): stream sequences have gaps where
    /// other partitions' frames are.
    Own,
    /// Every frame of the stream, in contiguous sequences; the node skips other partitions'.
    Whole,
}

impl Reading {
    /// How it is written in the log.
    pub fn name(self) -> &'static str {
        match self {
            Self::Own => "own partitions",
            Self::Whole => "whole stream",
        }
    }
}

/// The raw stream and how the node reads it.
pub struct Reader {
    js: jetstream::Context,
    stream: jetstream::stream::Stream,
    /// The node's own subjects when it holds some partitions only (`None`: it reads everything).
    own: Option<Vec<String>>,
    /// What the last consumer created delivers (`None` before the first).
    reading: Option<Reading>,
}

impl Reader {
    /// A reader of `stream` for a node of `role`.
    pub fn new(js: jetstream::Context, stream: jetstream::stream::Stream, role: &Role) -> Self {
        Self {
            js,
            stream,
            own: Self::wanted(role),
            reading: None,
        }
    }

    /// The subjects a node of `role` asks for: its partitions' (`varde.raw.<p>`), or `None` when
    /// it reads every partition (all partitions, or an area node).
    pub fn wanted(role: &Role) -> Option<Vec<String>> {
        match role {
            Role::Partitions(p) if !p.is_all() => Some(p.iter().map(raw_subject).collect()),
            _ => None,
        }
    }

    /// What the current consumer delivers ([`Reading::Whole`] before the first is created).
    pub fn reading(&self) -> Reading {
        self.reading.unwrap_or(Reading::Whole)
    }

    /// An ordered consumer from `start` (a stream sequence), as a message stream. Ordered
    /// consumers are cheap and hold no server state worth keeping: the engine's snapshot holds the
    /// position, so a new one can start wherever the engine is.
    ///
    /// While the stream cannot be reached (electing a leader after a NATS node died) it is tried
    /// again, for [`REOPEN_FOR`] at most.
    pub async fn open(&mut self, start: u64) -> Result<consumer::pull::Ordered> {
        let begun = Instant::now();
        loop {
            match self.try_open(start).await {
                Ok(m) => return Ok(m),
                Err(e) if begun.elapsed() < REOPEN_FOR => {
                    tracing::warn!(error = %format!("{e:#}"), start, "raw stream consumer not created; retrying");
                    tokio::time::sleep(Duration::from_millis(250)).await;
                }
                Err(e) => return Err(e),
            }
        }
    }

    async fn try_open(&mut self, start: u64) -> Result<consumer::pull::Ordered> {
        let version = self.js.client().server_info().version;
        if let Some(own) = self.own.clone().filter(|_| filters_many(&version)) {
            let consumer = self.create(String::new(), own.clone(), start).await?;
            if consumer.cached_info().config.filter_subjects == own {
                self.chose(Reading::Own, &version);
                return consumer.messages().await.context("reading the raw stream");
            }
            tracing::warn!(
                version,
                "the raw stream consumer came back without its subject filters (a server before \
                 NATS 2.10 holds the stream?): reading the whole stream instead"
            );
        }
        let consumer = self
            .create(format!("{RAW_PREFIX}.>"), Vec::new(), start)
            .await?;
        self.chose(Reading::Whole, &version);
        consumer.messages().await.context("reading the raw stream")
    }

    async fn create(
        &self,
        filter_subject: String,
        filter_subjects: Vec<String>,
        start: u64,
    ) -> Result<consumer::Consumer<consumer::pull::OrderedConfig>> {
        self.stream
            .create_consumer(consumer::pull::OrderedConfig {
                filter_subject,
                filter_subjects,
                deliver_policy: consumer::DeliverPolicy::ByStartSequence {
                    start_sequence: start,
                },
                ..Default::default()
            })
            .await
            .context("creating the raw stream consumer")
    }

    fn chose(&mut self, now: Reading, version: &str) {
        if self.reading == Some(now) {
            return;
        }
        self.reading = Some(now);
        match (now, &self.own) {
            (Reading::Own, Some(own)) => tracing::info!(
                nats = version,
                subjects = own.len(),
                "reading the raw stream: own partitions only (filter_subjects)"
            ),
            (_, Some(_)) => tracing::info!(
                nats = version,
                "reading the raw stream: whole stream, other partitions' frames skipped (no \
                 multi-subject filters before NATS 2.10)"
            ),
            (_, None) => tracing::info!(nats = version, "reading the raw stream: whole stream"),
        }
    }

    /// Whether the stream holds frames after `seq` that the current consumer should deliver (so a
    /// quiet consumer is a stalled one): on the whole stream, its last sequence; on the node's
    /// own subjects, the last message of each (the stream's last sequence may be another
    /// partition's frame, which this consumer never delivers).
    pub async fn stalled(&mut self, seq: u64) -> bool {
        match (&self.own, self.reading()) {
            (Some(own), Reading::Own) => {
                for subject in own {
                    match self.stream.get_last_raw_message_by_subject(subject).await {
                        Ok(m) if m.sequence > seq => return true,
                        Ok(_) => {}
                        Err(e) if e.kind() == LastRawMessageErrorKind::NoMessageFound => {}
                        Err(e) => {
                            tracing::debug!(error = %e, subject, "last raw frame of a partition");
                            return false;
                        }
                    }
                }
                false
            }
            _ => match self.stream.info().await {
                Ok(info) => info.state.last_sequence > seq,
                Err(e) => {
                    tracing::debug!(error = %e, "raw stream info");
                    false
                }
            },
        }
    }
}

/// Whether a server of `version` (`2.10.4`, `v2.14.6-beta`) takes a list of subject filters on a
/// consumer (NATS 2.10 and later).
pub fn filters_many(version: &str) -> bool {
    let mut parts = version
        .trim()
        .trim_start_matches('v')
        .split(|c: char| !c.is_ascii_digit())
        .map(|p| p.parse::<u32>().ok());
    match (parts.next().flatten(), parts.next().flatten()) {
        (Some(major), Some(minor)) => (major, minor) >= (2, 10),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::engine::{partitions::Partitions, role::Area};

    #[test]
    fn multi_subject_filters_from_nats_2_10() {
        for (v, want) in [
            ("2.9.10", false),
            ("2.10.0", true),
            ("2.14.6", true),
            ("v2.11.0-RC.1", true),
            ("3.0.0", true),
            ("1.4.1", false),
            ("", false),
            ("dev", false),
        ] {
            assert_eq!(filters_many(v), want, "{v:?}");
        }
    }

    #[test]
    fn only_nodes_of_some_partitions_filter() {
        let some = Role::Partitions(Partitions::parse("0-2,9", 16).unwrap());
        assert_eq!(
            Reader::wanted(&some),
            Some(vec![
                "varde.raw.0".to_string(),
                "varde.raw.1".into(),
                "varde.raw.2".into(),
                "varde.raw.9".into()
            ])
        );
        let all = Role::Partitions(Partitions::parse("all", 16).unwrap());
        assert_eq!(Reader::wanted(&all), None);
        let area = Role::Area {
            area: Area::parse("all").unwrap(),
            count: 16,
        };
        assert_eq!(Reader::wanted(&area), None);
    }
}
