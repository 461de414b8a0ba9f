//! Sharing spoofing episodes between engines: an engine that sees every vessel (a cluster's area
//! node) records what its `gnss_interference` did that changes how the victims are judged
//! ([`AreaChange`]); an engine that sees only some vessels (a partition node) is handed those
//! effects in the order they happened and applies them instead of detecting episodes itself
//! ([`AreaMode::Follow`]). Applied at the same point of the input as in the recording engine,
//! they settle the follower's victims exactly as a single engine settles them: the victims' second
//! transmitters, jumps and fixes on land raised before the area was known are retracted, and
//! their later fixes inside the area are the spoofer's (skipped by the detectors that judge a
//! vessel by its place).
//!
//! Jamming episodes are not shared: a jammed vessel's fixes are its own and nothing of its
//! judgement changes, so there is nothing for a follower to apply.

use super::{near, settle, Episode, Interference, VictimOf};
use crate::alert::{AlertBook, Kind};
use crate::area::{AreaChange, AreaMode};
use crate::config::Config;
use crate::geo::NM_M;

impl Interference {
    /// Whether the engine follows another's episodes rather than detecting its own.
    pub fn following(&self) -> bool {
        self.mode == AreaMode::Follow
    }

    /// Notes an effect when recording.
    pub(super) fn record(&mut self, e: AreaChange) {
        if self.mode == AreaMode::Record {
            self.effects.push(e);
        }
    }

    /// Applies an episode's effect recorded by another engine (follow mode).
    pub(crate) fn apply(&mut self, cfg: &Config, book: &mut AlertBook, e: AreaChange) {
        match e {
            AreaChange::Opened { id, lat, lon } => {
                if self.episodes.iter().all(|x| x.id != id) {
                    self.episodes.push(Episode {
                        jam: false,
                        id,
                        key: (Kind::GnssInterference, 0, u64::from(id)),
                        start_ms: 0,
                        last_ms: 0,
                        last_evidence_ms: 0,
                        lat,
                        lon,
                        victims: Vec::new(),
                    });
                }
            }
            AreaChange::Victim { id, mmsi, since_ms } => {
                let Some(e) = self.episodes.iter().find(|x| x.id == id) else {
                    return;
                };
                let raised = settle(cfg, book, mmsi, since_ms, (e.lat, e.lon));
                self.victims.insert(
                    mmsi,
                    VictimOf {
                        episode: id,
                        raised,
                    },
                );
            }
            AreaChange::Closed { id } => {
                self.episodes.retain(|x| x.id != id);
                self.victims.retain(|_, v| v.episode != id);
            }
            // Not an episode's: [`crate::area::apply`] gives it to the alert book.
            AreaChange::Incident { .. } => {}
        }
    }

    /// Whether a follower's fix at (lat, lon) of a victim of `id` lies in the episode's area.
    pub(super) fn in_area(&self, cfg: &Config, id: u32, lat: f64, lon: f64) -> bool {
        let r = cfg.gnss_interference.radius_nm * NM_M;
        self.episodes
            .iter()
            .any(|e| e.id == id && near(e.lat, e.lon, lat, lon, r))
    }
}
