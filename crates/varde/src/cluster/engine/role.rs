//! What an engine node is responsible for: a set of MMSI partitions (`--role partitions`, the
//! default) or an area (`--role area`), and what follows from it — the key its lease and snapshot
//! are stored under, the raw frames it handles, the alerts it publishes and on which subject.
//!
//! # The area role
//! The detectors that pair vessels — `rendezvous` (two vessels side by side) and
//! `gnss_interference` (several vessels' fixes pulled into, or lost in, one area) — need every
//! vessel near one another in one engine, which a node holding some MMSI partitions does not
//! have. An area node runs them for an area; partition nodes holding fewer than all partitions
//! switch them off (`cmd::engine`). Today the only area is the whole area (`--role area`, one
//! node, standbys under the same lease); cells with an overlap halo are the scaling step after
//! ([`Area`] is where they go: a cell key, the frames of vessels in or near the cell, and the
//! alerts whose place lies in the cell proper).
//!
//! **It reads the raw stream, not `VARDE_POSITIONS`.** The raw stream is one sequence across
//! partitions, so an area node that reads every partition sees the frames in the order `varde
//! replay` sees them: its pairwise alerts are replay's by construction, and its snapshot and
//! resume point are the partition nodes' (one stream sequence). The positions stream would need a
//! deterministic merge of the partition nodes' batches (by raw sequence, with a watermark per
//! partition so that a quiet partition does not hold the merge back forever), and it holds less
//! than the pairwise detectors use: only accepted fixes, while `gnss_interference` is fed by the
//! fixes the picture *rejects* (jumps, second streams) and by reports without a position
//! (jamming), and static reports decide the data-quality marks that spare a vessel every
//! detector. The cost is reading every frame, which a partition node does not (against NATS ≥
//! 2.10 its consumer filters by its partitions' subjects: see [`super::raw`]).
//!
//! **It runs every detector and publishes only the pairwise ones' alerts.** The picture and the
//! other detectors' state decide what the pairwise detectors see: a vessel marked by
//! `data_quality` is spared every detector, a spoofed fix is skipped by `rendezvous`, and an
//! alert's `incident` is the id of the first alert about the same vessel and place within the
//! incident window *of any kind* (`varde_watch::alert::incident`), so a rendezvous alert joins the
//! incident of a zone entry raised before it. Switching the other detectors off (their
//! `cfg.watch.<detector>.enabled`) would change those fields; filtering what is published does
//! not. Alert ids are content hashes (kind, subject MMSI, start, sub-key), so the area node's
//! alerts have the ids replay gives them and never collide with a partition node's.
//!
//! **What partition nodes learn from it.** A partition node holding fewer than all partitions runs
//! no pairwise detector, yet an episode settles its victims' own alerts (a second transmitter,
//! jumps, further fixes on land and alerts placed where the spoofer put it are retracted; later
//! spoofed fixes are skipped) and a pairwise alert starts the incident the named vessels' next
//! alerts join. With `--follow-area` it applies those effects where the area node made them
//! ([`super::effects`], [`varde_watch::area`]); without, those alerts stay as raised. `ais_gap`
//! is the area node's too: a silence is judged against the receiving station's clock, which every
//! report through the station keeps. What else the engine shares across vessels (IMO numbers for
//! flag hopping) is judged on the node's own vessels either way.
//!
//! Its alerts go to their own subject (`varde.alerts.area.<area>`) with their own event numbers
//! 1..n, so the partition nodes' resume logic (the last event of their partitions' subjects,
//! [`super::publish::last_event`]) never sees them. It publishes no positions (the partition
//! nodes do).

use super::partitions::Partitions;
use varde_nats::{alerts_subject, partition_of, ALERTS_PREFIX};
use varde_watch::area::AREA_KINDS;
use varde_watch::Kind;

/// An area an area node covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Area {
    /// Everything: every partition of the raw stream.
    Whole,
}

impl Area {
    /// Parses `--area`: `all` (the only area so far).
    pub fn parse(spec: &str) -> anyhow::Result<Self> {
        match spec.trim() {
            "all" => Ok(Self::Whole),
            other => anyhow::bail!(
                "area {other:?} is not known: only `all` (one area node for everything) is supported so far"
            ),
        }
    }

    /// The area's key in subjects and object names: `all`.
    pub fn key(&self) -> &'static str {
        match self {
            Self::Whole => "all",
        }
    }
}

/// What a node is responsible for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Role {
    /// Every detector for the vessels of a partition set (the pairwise ones only when the set is
    /// every partition: see `cmd::engine`).
    Partitions(Partitions),
    /// The detectors that need every vessel ([`AREA_KINDS`]) over an area, out of every
    /// partition's frames.
    Area {
        /// The area.
        area: Area,
        /// Partitions of the raw stream in all.
        count: u32,
    },
}

impl Role {
    /// The key of the node's lease and of its snapshot object: `engine.<partition set>` (as
    /// before the area role existed) or `area.<area>`.
    pub fn key(&self) -> String {
        match self {
            Self::Partitions(p) => format!("engine.{}", p.key()),
            Self::Area { area, .. } => format!("area.{}", area.key()),
        }
    }

    /// Whether the node handles frames of `partition`.
    pub fn reads(&self, partition: u32) -> bool {
        match self {
            Self::Partitions(p) => p.contains(partition),
            Self::Area { .. } => true,
        }
    }

    /// The alert kinds the node publishes (`None`: every kind the engine raises).
    pub fn publishes(&self) -> Option<&'static [Kind]> {
        match self {
            Self::Partitions(_) => None,
            Self::Area { .. } => Some(&AREA_KINDS),
        }
    }

    /// Whether the node publishes positions to `VARDE_POSITIONS`.
    pub fn publishes_positions(&self) -> bool {
        matches!(self, Self::Partitions(_))
    }

    /// Partitions of the raw stream in all.
    pub fn partition_count(&self) -> u32 {
        match self {
            Self::Partitions(p) => p.count(),
            Self::Area { count, .. } => *count,
        }
    }

    /// The alerts-stream subject of an alert about `mmsi` published by this node.
    pub fn alerts_subject(&self, mmsi: u32) -> String {
        match self {
            Self::Partitions(p) => alerts_subject(partition_of(mmsi, p.count())),
            Self::Area { area, .. } => format!("{ALERTS_PREFIX}.area.{}", area.key()),
        }
    }

    /// Every subject the node publishes alerts on (where its last published event is looked up).
    pub fn alerts_subjects(&self) -> Vec<String> {
        match self {
            Self::Partitions(p) => p.iter().map(alerts_subject).collect(),
            Self::Area { .. } => vec![self.alerts_subject(0)],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partition_and_area_nodes_use_separate_keys_and_subjects() {
        let low = Role::Partitions(Partitions::parse("0-7", 16).unwrap());
        let area = Role::Area {
            area: Area::parse("all").unwrap(),
            count: 16,
        };
        assert_eq!(low.key(), "engine.16.0-7");
        assert_eq!(area.key(), "area.all");
        assert_eq!(low.alerts_subject(257_000_003), "varde.alerts.3");
        assert_eq!(area.alerts_subject(257_000_003), "varde.alerts.area.all");
        assert!(!low.alerts_subjects().contains(&area.alerts_subject(3)));
        assert!(low.reads(7) && !low.reads(8) && area.reads(8));
        assert_eq!(low.publishes(), None);
        assert_eq!(area.publishes(), Some(&AREA_KINDS[..]));
        assert!(low.publishes_positions() && !area.publishes_positions());
        assert!(Area::parse("cell:61.0,4.0").is_err());
    }
}
