//! Configuration of the `zone_entry` detector.

use super::check::Errors;
use super::zones::{strings, zone_kinds};
use serde::{Deserialize, Serialize};

/// `zone_entry`: a vessel of interest enters a watched zone. Fires on the first position inside (or, when
/// the vessel becomes "of interest" later, back-filled to the time it entered).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ZoneEntryConfig {
    /// Run this detector.
    pub enabled: bool,
    /// Zone kinds watched. Default territorial sea, internal waters, platform safety zones, user zones.
    pub zone_kinds: Vec<String>,
    /// A vessel back inside a zone within this long of leaving it continues the same alert, seconds.
    /// Default 1800.
    pub reentry_grace_s: u32,
}

impl Default for ZoneEntryConfig {
    fn default() -> Self {
        let kinds = strings(&[
            "territorial_sea",
            "internal_waters",
            "platform_safety_zone",
            "user",
        ]);
        Self {
            enabled: true,
            zone_kinds: kinds,
            reentry_grace_s: 1800,
        }
    }
}

impl ZoneEntryConfig {
    pub(crate) fn check(&self, e: &mut Errors) {
        zone_kinds(e, "zone_entry.zone_kinds", &self.zone_kinds);
    }
}
