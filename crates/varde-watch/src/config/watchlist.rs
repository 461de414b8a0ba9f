//! The watch list: vessels to alert on whenever seen, by MMSI, IMO number or name.
//!
//! Text format, one entry a line, `#` starts a comment: a 9-digit number is an MMSI, `IMO` followed by
//! 7 digits (or a bare 7-digit number) is an IMO number, anything else is a vessel name (matched
//! case-insensitively with runs of spaces collapsed).

use super::check::Errors;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use thiserror::Error;

/// A parse error in a watch-list file.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum WatchlistError {
    /// A line that is all digits but neither 9 (MMSI) nor 7 (IMO) long.
    #[error("line {line}: {text:?} is neither a 9-digit MMSI nor a 7-digit IMO number")]
    BadNumber {
        /// 1-based line number.
        line: usize,
        /// The entry.
        text: String,
    },
}

/// Listed vessels.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Watchlist {
    /// Listed MMSIs.
    pub mmsi: BTreeSet<u32>,
    /// Listed IMO numbers.
    pub imo: BTreeSet<u32>,
    /// Listed names, normalised with [`normalize_name`].
    pub names: BTreeSet<String>,
}

/// Upper-cases a name, trims it and collapses runs of whitespace (AIS pads names with spaces and `@`).
pub fn normalize_name(name: &str) -> String {
    let cleaned = name.trim_end_matches('@').to_uppercase();
    cleaned.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl Watchlist {
    /// Parses the text format; returns every bad line at once.
    pub fn parse(text: &str) -> Result<Self, Vec<WatchlistError>> {
        let mut list = Self::default();
        let mut errors = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let entry = line.split('#').next().unwrap_or("").trim();
            if entry.is_empty() {
                continue;
            }
            if let Err(e) = list.add(entry, i + 1) {
                errors.push(e);
            }
        }
        if errors.is_empty() {
            Ok(list)
        } else {
            Err(errors)
        }
    }

    fn add(&mut self, entry: &str, line: usize) -> Result<(), WatchlistError> {
        let imo_tail = entry
            .get(..3)
            .filter(|p| p.eq_ignore_ascii_case("imo"))
            .map(|_| entry[3..].trim());
        let digits = imo_tail.unwrap_or(entry);
        if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
            let n: u32 = digits.parse().unwrap_or(0);
            match digits.len() {
                9 if imo_tail.is_none() => self.mmsi.insert(n),
                7 => self.imo.insert(n),
                _ => {
                    return Err(WatchlistError::BadNumber {
                        line,
                        text: entry.to_owned(),
                    })
                }
            };
            return Ok(());
        }
        self.names.insert(normalize_name(entry));
        Ok(())
    }

    /// Whether nothing is listed.
    pub fn is_empty(&self) -> bool {
        self.mmsi.is_empty() && self.imo.is_empty() && self.names.is_empty()
    }

    /// What matched, if the vessel is listed: `"MMSI"`, `"IMO"` or `"name"`.
    pub fn matches(&self, mmsi: u32, imo: Option<u32>, name: Option<&str>) -> Option<&'static str> {
        if self.mmsi.contains(&mmsi) {
            return Some("MMSI");
        }
        if imo.is_some_and(|i| self.imo.contains(&i)) {
            return Some("IMO");
        }
        let by_name =
            name.is_some_and(|n| !self.names.is_empty() && self.names.contains(&normalize_name(n)));
        by_name.then_some("name")
    }
}

/// `watchlist`: a listed vessel is seen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WatchlistConfig {
    /// Run this detector.
    pub enabled: bool,
    /// A sighting this long after the previous one starts a new alert, seconds. Default 21 600 (6 h).
    pub episode_gap_s: u32,
}

impl WatchlistConfig {
    /// The defaults.
    pub const fn new() -> Self {
        Self {
            enabled: true,
            episode_gap_s: 21_600,
        }
    }

    pub(crate) fn check(&self, e: &mut Errors) {
        e.positive(
            "watchlist_alerts.episode_gap_s",
            f64::from(self.episode_gap_s),
        );
    }
}

impl Default for WatchlistConfig {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_all_three_kinds_and_comments() {
        let text = "# sanctions list\n273345000\nIMO 9329760  # Eagle S\n9254927\n  eagle   s \n\n";
        let w = Watchlist::parse(text).unwrap();
        assert!(w.mmsi.contains(&273_345_000));
        assert!(w.imo.contains(&9_329_760) && w.imo.contains(&9_254_927));
        assert!(w.names.contains("EAGLE S"));
        assert_eq!(w.matches(1, None, Some("Eagle  S@@")), Some("name"));
        assert_eq!(w.matches(1, Some(9_329_760), None), Some("IMO"));
        assert_eq!(w.matches(2, None, Some("Other")), None);
    }

    #[test]
    fn reports_every_bad_line() {
        let errs = Watchlist::parse("12345\nok name\nIMO 12\n").unwrap_err();
        assert_eq!(errs.len(), 2);
        assert!(matches!(errs[1], WatchlistError::BadNumber { line: 3, .. }));
    }
}
