//! Which vessels are "of interest".

use super::check::Errors;
use super::zones::strings;
use serde::{Deserialize, Serialize};

/// Which vessels are "of interest" for `zone_entry`: any rule matching makes a vessel of interest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct InterestConfig {
    /// Flags of interest by MID (e.g. `[273]` for every Russian-flagged vessel). Default none.
    pub mids: Vec<u16>,
    /// AIS ship types of interest. Default 35 (military) and 55 (law enforcement): state vessels.
    pub ship_types: Vec<u8>,
    /// Name patterns, case-insensitive, `*` matches any run of characters. Default `AKADEMIK *` and
    /// `PROFESSOR *`: the naming of Russian state research vessels (Akademik B. Petrov 2022), which
    /// AIS has no ship type for.
    pub name_patterns: Vec<String>,
    /// Apply `ship_types` and `name_patterns` to foreign (non-home MID) vessels only. Default true.
    pub foreign_only: bool,
    /// Watch-listed vessels are of interest. Default true.
    pub watchlisted: bool,
    /// Ship types whose `zone_entry` and `loitering` alerts are high severity (state vessels). Default
    /// 35 (military) and 55 (law enforcement).
    pub high_severity_ship_types: Vec<u8>,
}

impl Default for InterestConfig {
    fn default() -> Self {
        Self {
            mids: Vec::new(),
            ship_types: vec![35, 55],
            name_patterns: strings(&["AKADEMIK *", "PROFESSOR *"]),
            foreign_only: true,
            watchlisted: true,
            high_severity_ship_types: vec![35, 55],
        }
    }
}

impl InterestConfig {
    pub(crate) fn check(&self, e: &mut Errors) {
        self.mids.iter().for_each(|&m| e.mid("interest.mids", m));
        e.ship_types("interest.ship_types", &self.ship_types);
        e.ship_types(
            "interest.high_severity_ship_types",
            &self.high_severity_ship_types,
        );
    }
}
