//! Query filters and retention settings.
//!
//! Every field that is `None` does not filter. Times are milliseconds since
//! the Unix epoch, UTC; coordinates are WGS 84 decimal degrees.

/// A latitude/longitude box, edges included.
///
/// If `min_lon > max_lon` the box crosses the antimeridian (180°) and covers
/// `lon >= min_lon || lon <= max_lon`.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct BBox {
    /// Southern edge, degrees.
    pub min_lat: f64,
    /// Western edge, degrees.
    pub min_lon: f64,
    /// Northern edge, degrees.
    pub max_lat: f64,
    /// Eastern edge, degrees.
    pub max_lon: f64,
}

impl BBox {
    /// A box from its south-west and north-east corners, degrees.
    pub const fn new(min_lat: f64, min_lon: f64, max_lat: f64, max_lon: f64) -> Self {
        Self {
            min_lat,
            min_lon,
            max_lat,
            max_lon,
        }
    }

    /// True if the point lies inside the box (edges included).
    pub fn contains(&self, lat: f64, lon: f64) -> bool {
        let lat_ok = lat >= self.min_lat && lat <= self.max_lat;
        let lon_ok = if self.min_lon <= self.max_lon {
            lon >= self.min_lon && lon <= self.max_lon
        } else {
            lon >= self.min_lon || lon <= self.max_lon
        };
        lat_ok && lon_ok
    }
}

/// Which vessels [`Store::vessels`](crate::Store::vessels) returns.
///
/// Results are ordered most recently seen first (`last_seen_ms` descending,
/// then `mmsi`).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct VesselFilter {
    /// Only vessels whose last position lies in this box (vessels without a
    /// position, or with AIS's 91/181 "not available", are left out when a box
    /// is given).
    pub bbox: Option<BBox>,
    /// Only vessels seen at or after this time.
    pub since_ms: Option<i64>,
    /// At most this many vessels.
    pub limit: Option<usize>,
}

/// Open, closed or all alerts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AlertState {
    /// Only alerts still open.
    Open,
    /// Only alerts that have ended.
    Closed,
    /// Both.
    #[default]
    All,
}

/// Which alerts [`Store::alerts`](crate::Store::alerts) returns (their
/// current revision).
///
/// Results are ordered newest first (`start_ms` descending, then `id`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AlertFilter {
    /// Only alerts of this detector kind.
    pub kind: Option<String>,
    /// Only alerts about this zone.
    pub zone: Option<String>,
    /// Only alerts about this vessel.
    pub mmsi: Option<u32>,
    /// Only alerts about this asset (its name).
    pub asset: Option<String>,
    /// Only alerts of one of these severities (`info`, `low`, `medium`, `high`); empty: any.
    pub severity: Vec<String>,
    /// Only alerts still active at or after this time: `end_ms` is `None`
    /// or `>= from_ms`.
    pub from_ms: Option<i64>,
    /// Only alerts that started at or before this time: `start_ms <= to_ms`.
    /// With `from_ms`, this selects alerts that overlap `[from_ms, to_ms]`.
    pub to_ms: Option<i64>,
    /// Open, closed or all.
    pub state: AlertState,
    /// At most this many alerts.
    pub limit: Option<usize>,
}

/// Per-table retention cut-offs for
/// [`Store::prune_with`](crate::Store::prune_with). `None` keeps the table.
///
/// Open alerts are never pruned, whatever their age. Nor is the audit log of releases to partners
/// (`sqlite::audit`): a release record outlives the data it was about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Retention {
    /// Remove raw lines with `time_ms` before this.
    pub raw_before_ms: Option<i64>,
    /// Remove track points with `time_ms` before this.
    pub positions_before_ms: Option<i64>,
    /// Remove vessels with `last_seen_ms` before this.
    pub vessels_before_ms: Option<i64>,
    /// Remove closed alerts (and all their revisions) with `end_ms` before
    /// this.
    pub alerts_before_ms: Option<i64>,
}

impl Retention {
    /// The same cut-off for every table.
    pub const fn all(before_ms: i64) -> Self {
        Self {
            raw_before_ms: Some(before_ms),
            positions_before_ms: Some(before_ms),
            vessels_before_ms: Some(before_ms),
            alerts_before_ms: Some(before_ms),
        }
    }
}

/// Converts an optional row limit to SQLite's `LIMIT` (`-1` = no limit).
pub(crate) fn sql_limit(limit: Option<usize>) -> i64 {
    limit.map_or(-1, |n| i64::try_from(n).unwrap_or(i64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bbox_contains_plain_and_antimeridian() {
        let b = BBox::new(58.0, 4.0, 62.0, 8.0);
        assert!(b.contains(60.0, 5.0));
        assert!(b.contains(58.0, 8.0));
        assert!(!b.contains(57.9, 5.0));
        assert!(!b.contains(60.0, 8.1));
        let w = BBox::new(-10.0, 170.0, 10.0, -170.0);
        assert!(w.contains(0.0, 175.0));
        assert!(w.contains(0.0, -175.0));
        assert!(!w.contains(0.0, 0.0));
    }

    #[test]
    fn limits() {
        assert_eq!(sql_limit(None), -1);
        assert_eq!(sql_limit(Some(5)), 5);
        assert_eq!(sql_limit(Some(usize::MAX)), i64::MAX);
    }
}
