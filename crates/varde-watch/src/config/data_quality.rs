//! Configuration of the `data_quality` notes and of what marked vessels are spared.

use super::check::Errors;
use serde::{Deserialize, Serialize};

/// `data_quality`: placeholder and invalid MMSIs, unassigned MIDs, fishing-gear buoys, aids to navigation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DataQualityConfig {
    /// Raise the low-severity note (at most one per vessel). Marking and counting happen either way.
    pub enabled: bool,
    /// Vessels marked as placeholder, invalid, gear, aid to navigation or not a ship raise no other
    /// alert of any kind. Default true.
    pub suppress: bool,
    /// Note ship MMSIs whose MID no state has been assigned (the vessel's other alerts still run).
    /// Default true.
    pub check_mid: bool,
    /// Mark vessels whose name reads like a fishing-gear buoy (a battery voltage such as `12.5V` or a
    /// percentage at the end, or the word `BUOY`/`NETMARK`). Default true.
    pub gear_names: bool,
}

impl DataQualityConfig {
    /// The defaults.
    pub const fn new() -> Self {
        Self {
            enabled: true,
            suppress: true,
            check_mid: true,
            gear_names: true,
        }
    }

    pub(crate) fn check(&self, _e: &mut Errors) {}
}

impl Default for DataQualityConfig {
    fn default() -> Self {
        Self::new()
    }
}
