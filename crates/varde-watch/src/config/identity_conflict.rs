//! Configuration of the `identity_conflict` detector.

use super::check::Errors;
use serde::{Deserialize, Serialize};

/// `identity_conflict`: one MMSI in two places (also taking turns), an IMO change, an IMO taken over by
/// another MMSI (flag hopping), a name or call sign changed at sea. (Unassigned MIDs: `data_quality`.)
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct IdentityConflictConfig {
    /// Run this detector.
    pub enabled: bool,
    /// A second position stream is forgotten after this long without the two interleaving, seconds.
    /// Default 3600.
    pub stream_window_s: u32,
    /// Alert when a vessel's IMO number changes. Default true.
    pub check_imo_change: bool,
    /// An IMO number heard from a new MMSI within this long of its old MMSI's last static report, from a
    /// place the ship could have reached (at 30 kn, plus 5 nm), is one ship that changed MMSI (and flag)
    /// at sea: flag hopping. Seconds; 0 switches it off. Default 21 600 (6 h).
    pub flag_hop_window_s: u32,
    /// Note (medium) a name or call sign that changes at sea while MMSI and IMO stay. Default true.
    pub check_renaming: bool,
}

impl IdentityConflictConfig {
    /// The defaults.
    pub const fn new() -> Self {
        Self {
            enabled: true,
            stream_window_s: 3600,
            check_imo_change: true,
            flag_hop_window_s: 21_600,
            check_renaming: true,
        }
    }

    pub(crate) fn check(&self, e: &mut Errors) {
        e.positive(
            "identity_conflict.stream_window_s",
            f64::from(self.stream_window_s),
        );
    }
}

impl Default for IdentityConflictConfig {
    fn default() -> Self {
        Self::new()
    }
}
