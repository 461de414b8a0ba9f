//! Engine snapshots: the picture, the alert book and every detector's state, written as one versioned
//! binary blob, so a service restarts from its last snapshot plus the input since, instead of replaying
//! its whole history.
//!
//! The blob is `MAGIC`, the format version (u32, little-endian), a fingerprint of the configuration
//! the state was built under (u64), then the state in [postcard](https://docs.rs/postcard) (compact,
//! serde-based, no schema evolution: a blob of another version is refused, and the caller falls back
//! to replaying its journal). Settings are never in a snapshot: they come from the engine the state is
//! loaded into. Caches (the stations' address cache, the open-alert filter) are rebuilt on load.

use crate::alert::{Alert, AssetInfo, Kind, Severity, VesselInfo, ZoneInfo};
use crate::detectors::data_quality::Quality;
use crate::report::RawLines;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::BTreeMap;
use std::sync::Arc;

/// First bytes of every snapshot.
pub const MAGIC: &[u8; 8] = b"VARDESNP";
/// Version of the snapshot format; bump on any change to the state types.
pub const FORMAT_VERSION: u32 = 3;

/// Why a snapshot cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum SnapshotError {
    /// Not a snapshot (too short, or another file's bytes).
    #[error("not a Varde snapshot")]
    NotASnapshot,
    /// Written by a build with another state format.
    #[error("snapshot format {found}, this build reads {expected}")]
    Version {
        /// Version in the blob.
        found: u32,
        /// Version this build writes.
        expected: u32,
    },
    /// Built under other settings: its state may not hold under these.
    #[error("snapshot taken under another configuration")]
    ConfigChanged,
    /// The state could not be written.
    #[error("snapshot state does not encode: {0}")]
    Encode(String),
    /// The state itself does not decode (truncated or damaged).
    #[error("snapshot state does not decode: {0}")]
    Decode(String),
}

/// Splits a blob into its header and state; checks magic, version and configuration fingerprint.
pub(crate) fn open(bytes: &[u8], fingerprint: u64) -> Result<&[u8], SnapshotError> {
    if bytes.len() < 20 || &bytes[..8] != MAGIC {
        return Err(SnapshotError::NotASnapshot);
    }
    let found = u32::from_le_bytes([bytes[8], bytes[9], bytes[10], bytes[11]]);
    if found != FORMAT_VERSION {
        return Err(SnapshotError::Version {
            found,
            expected: FORMAT_VERSION,
        });
    }
    let mut fp = [0u8; 8];
    fp.copy_from_slice(&bytes[12..20]);
    if u64::from_le_bytes(fp) != fingerprint {
        return Err(SnapshotError::ConfigChanged);
    }
    Ok(&bytes[20..])
}

/// The header of a blob.
pub(crate) fn header(fingerprint: u64) -> Vec<u8> {
    let mut out = Vec::with_capacity(1 << 16);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    out.extend_from_slice(&fingerprint.to_le_bytes());
    out
}

/// An alert as a snapshot holds it: the JSON contract's fields in their in-memory form.
#[derive(Serialize, Deserialize)]
struct AlertState {
    id: String,
    incident: Arc<str>,
    kind: Kind,
    severity: Severity,
    mmsi: u32,
    related_mmsi: Vec<u32>,
    name: Option<String>,
    imo: Option<u32>,
    callsign: Option<String>,
    flag: Option<String>,
    ship_type: Option<u8>,
    start: i64,
    end: Option<i64>,
    lat: f64,
    lon: f64,
    zone: Option<ZoneInfo>,
    asset: Option<AssetInfo>,
    summary: String,
    evidence: Vec<RawLines>,
    releasability: Arc<[String]>,
}

impl From<&Alert> for AlertState {
    fn from(a: &Alert) -> Self {
        Self {
            id: a.id.clone(),
            incident: a.incident.clone(),
            kind: a.kind,
            severity: a.severity,
            mmsi: a.mmsi,
            related_mmsi: a.related_mmsi.clone(),
            name: a.vessel.name.clone(),
            imo: a.vessel.imo,
            callsign: a.vessel.callsign.clone(),
            flag: a.vessel.flag.map(str::to_owned),
            ship_type: a.vessel.ship_type,
            start: a.start,
            end: a.end,
            lat: a.lat,
            lon: a.lon,
            zone: a.zone.clone(),
            asset: a.asset.clone(),
            summary: a.summary.clone(),
            evidence: a.evidence.clone(),
            releasability: a.releasability.clone(),
        }
    }
}

impl From<AlertState> for Alert {
    fn from(a: AlertState) -> Self {
        Self {
            id: a.id,
            incident: a.incident,
            kind: a.kind,
            severity: a.severity,
            mmsi: a.mmsi,
            related_mmsi: a.related_mmsi,
            vessel: VesselInfo {
                name: a.name,
                imo: a.imo,
                callsign: a.callsign,
                flag: a.flag.as_deref().and_then(crate::picture::mid::intern_flag),
                ship_type: a.ship_type,
            },
            start: a.start,
            end: a.end,
            lat: a.lat,
            lon: a.lon,
            zone: a.zone,
            asset: a.asset,
            summary: a.summary,
            evidence: a.evidence,
            releasability: a.releasability,
        }
    }
}

/// `#[serde(with)]` for the alert book's alerts.
pub(crate) mod alerts {
    use super::*;

    pub fn serialize<S: Serializer>(alerts: &[Alert], s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(alerts.iter().map(AlertState::from))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Alert>, D::Error> {
        let v: Vec<AlertState> = Deserialize::deserialize(d)?;
        Ok(v.into_iter().map(Alert::from).collect())
    }
}

fn counts<'de, D: Deserializer<'de>>(
    d: D,
    names: impl Fn(&str) -> Option<&'static str>,
) -> Result<BTreeMap<&'static str, u64>, D::Error> {
    let m: BTreeMap<String, u64> = Deserialize::deserialize(d)?;
    Ok(m.into_iter()
        .filter_map(|(k, n)| names(&k).map(|k| (k, n)))
        .collect())
}

/// Writes counts by name as a map (JSON and snapshots alike).
pub(crate) fn ser_counts<S: Serializer>(
    m: &BTreeMap<&'static str, u64>,
    s: S,
) -> Result<S::Ok, S::Error> {
    m.serialize(s)
}

/// Reads alert counts by kind name.
pub(crate) fn de_alert_counts<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<BTreeMap<&'static str, u64>, D::Error> {
    counts(d, |k| {
        Kind::ALL.iter().map(|k| k.as_str()).find(|n| *n == k)
    })
}

/// Reads data-quality counts by cause name.
pub(crate) fn de_quality_counts<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<BTreeMap<&'static str, u64>, D::Error> {
    counts(d, |k| {
        Quality::NOTED
            .iter()
            .filter_map(|q| q.cause())
            .find(|n| *n == k)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_blob_of_another_format_is_refused_by_version() {
        let mut blob = header(42);
        blob.extend_from_slice(b"state");
        assert_eq!(open(&blob, 42).unwrap(), b"state");
        blob[8..12].copy_from_slice(&(FORMAT_VERSION - 1).to_le_bytes());
        match open(&blob, 42) {
            Err(SnapshotError::Version { found, expected }) => {
                assert_eq!((found, expected), (FORMAT_VERSION - 1, FORMAT_VERSION));
            }
            other => panic!("{other:?}"),
        }
    }
}
