//! Engines that see only some vessels (a cluster's partition nodes) beside one that sees them all
//! (its area node). The detectors whose judgement needs every vessel ([`AREA_KINDS`]) run only in
//! the engine that sees them all; what they did that changes how the others judge their own
//! vessels is recorded there ([`AreaMode::Record`]) and applied by the others at the same point of
//! the input ([`AreaMode::Follow`]), so that between them their alerts are a single engine's.
//!
//! Which detectors need every vessel: `rendezvous` and `gnss_interference` pair vessels;
//! `ais_gap` judges a silence against the receiving station's clock, which every report through
//! the station keeps. Not here, so still judged on a follower's own vessels: `identity_conflict`'s
//! flag hopping across MMSIs that share an IMO number (the detector also retracts its own
//! vessel's jumps that a second transmitter explains, which a follower must do itself).
//!
//! Two things cross vessels from them:
//! - **Spoofing episodes** (`gnss_interference`): a victim's second transmitter, jumps and fixes on
//!   land raised before the area was known are retracted, and its later fixes inside the area are
//!   the spoofer's. Jamming episodes change nothing of a vessel's judgement and are not shared.
//! - **Incidents**: an alert of those kinds joins or starts the incident of every vessel it names,
//!   and a vessel's next alerts join that incident.
//!
//! Each effect carries the slot it happened in — the engine's clock before the detectors
//! ([`BEFORE_DETECTORS`]: dark vessels near infrastructure), or a detector (its index in
//! [`crate::DETECTORS`] plus one) — so a follower applies it between the same two detectors when
//! the report is its own.

use crate::alert::AlertBook;
use crate::config::Config;
use crate::detectors::Interference;
use crate::Kind;

/// The detectors whose judgement needs every vessel: a follower does not run them
/// (`gnss_interference` runs only to apply the recorded episodes).
pub const AREA_KINDS: [Kind; 3] = [Kind::Rendezvous, Kind::GnssInterference, Kind::AisGap];

/// The slot of effects made on the engine's clock before the detectors look at a report.
pub const BEFORE_DETECTORS: u8 = 0;

/// What an engine does about the pairwise detectors' outcomes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum AreaMode {
    /// Sees every vessel it watches and runs every detector (the default).
    #[default]
    Alone,
    /// As `Alone`, and records the [`AreaEffect`]s for engines that follow this one.
    Record,
    /// Runs no pairwise detector's detection: applies the effects a recording engine handed in.
    Follow,
}

/// One recorded effect and the detector slot it happened in.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct AreaEffect {
    /// Where it happened: [`BEFORE_DETECTORS`], or the index in [`crate::DETECTORS`] plus one of
    /// the detector that caused it.
    pub slot: u8,
    /// What changed.
    pub change: AreaChange,
}

/// What changed, in the order the recording engine changed it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum AreaChange {
    /// A spoofing episode opened around (lat, lon).
    Opened {
        /// Its id (unique among the recording engine's episodes).
        id: u32,
        /// Centre of the area, degrees.
        lat: f64,
        /// Centre of the area, degrees.
        lon: f64,
    },
    /// A vessel became a victim of episode `id`: its own alerts since `since_ms` are settled.
    Victim {
        /// The episode.
        id: u32,
        /// The victim.
        mmsi: u32,
        /// Its alerts raised from this time (Unix ms) on are settled.
        since_ms: i64,
    },
    /// Episode `id` closed: its victims are judged by their own fixes again.
    Closed {
        /// The episode.
        id: u32,
    },
    /// A vessel's current incident as a pairwise alert left it.
    Incident {
        /// The vessel.
        mmsi: u32,
        /// The incident's id.
        id: String,
        /// Newest time its alerts covered, Unix ms.
        last_ms: i64,
        /// Where, degrees.
        lat: f64,
        /// Where, degrees.
        lon: f64,
    },
}

/// The slot of a detector kind: its index in [`crate::DETECTORS`] plus one.
pub fn slot_of(kind: Kind) -> u8 {
    crate::DETECTORS
        .iter()
        .position(|d| d.kind() == kind)
        .map_or(u8::MAX, |i| i as u8 + 1)
}

/// Follow mode: applies, in order, the staged effects of the report being processed whose slot
/// is below `below`; `seen` is shown each change first.
pub(crate) fn apply_staged(
    cfg: &Config,
    book: &mut AlertBook,
    gnss: &mut Interference,
    below: u8,
    mut seen: impl FnMut(&AreaChange),
) {
    while gnss.staged_mut().front().is_some_and(|e| e.slot < below) {
        if let Some(e) = gnss.staged_mut().pop_front() {
            seen(&e.change);
            apply(cfg, book, gnss, e.change);
        }
    }
}

/// Applies one change a recording engine made (follow mode): an episode's to the episodes, an
/// incident to the alert book.
pub(crate) fn apply(
    cfg: &Config,
    book: &mut AlertBook,
    gnss: &mut Interference,
    change: AreaChange,
) {
    match change {
        AreaChange::Incident {
            mmsi,
            id,
            last_ms,
            lat,
            lon,
        } => book.set_incident(mmsi, &id, last_ms, lat, lon),
        episode => gnss.apply(cfg, book, episode),
    }
}
