//! The pipeline's snapshot blob: the engine's own snapshot plus the alert revisions and the drain
//! counter, postcard-encoded; and the sources' labels behind each vessel (`serve::share`).
//! Snapshots written before alert fingerprints or labels were kept load too.

use super::AlertRevisions;
use crate::serve::share::tracker::SavedLabels;
use varde_watch::snapshot::SnapshotError;

/// What [`encode`] writes.
#[derive(serde::Serialize)]
struct SavedRef<'a> {
    #[serde(serialize_with = "as_byte_seq")]
    engine: &'a [u8],
    revisions: Vec<(&'a str, u32)>,
    since_drain: u32,
    fingerprints: Vec<(&'a str, u64)>,
    labels: Option<&'a SavedLabels>,
}

/// What [`decode`] reads.
#[derive(serde::Deserialize)]
struct SavedOwned {
    engine: Vec<u8>,
    revisions: Vec<(String, u32)>,
    since_drain: u32,
    fingerprints: Vec<(String, u64)>,
    labels: Option<SavedLabels>,
}

/// A snapshot written before labels were kept.
#[derive(serde::Deserialize)]
struct SavedBeforeLabels {
    engine: Vec<u8>,
    revisions: Vec<(String, u32)>,
    since_drain: u32,
    fingerprints: Vec<(String, u64)>,
}

/// A snapshot written before alert fingerprints were kept.
#[derive(serde::Deserialize)]
struct SavedBeforeFingerprints {
    engine: Vec<u8>,
    revisions: Vec<(String, u32)>,
    since_drain: u32,
}

/// A decoded snapshot.
pub(crate) struct Saved {
    pub engine: Vec<u8>,
    pub revisions: AlertRevisions,
    pub since_drain: u32,
    /// `None` in a snapshot written before labels were kept.
    pub labels: Option<SavedLabels>,
}

/// The engine blob as a byte sequence (postcard writes `&[u8]` and `Vec<u8>` alike).
fn as_byte_seq<S: serde::Serializer>(b: &&[u8], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(b.iter())
}

/// Encodes the pipeline's state.
pub(crate) fn encode(
    engine: &[u8],
    revisions: &AlertRevisions,
    since_drain: u32,
    labels: &SavedLabels,
) -> Result<Vec<u8>, SnapshotError> {
    let state = SavedRef {
        engine,
        revisions: revisions.numbers(),
        since_drain,
        fingerprints: revisions.fingerprints(),
        labels: Some(labels),
    };
    postcard::to_stdvec(&state).map_err(|e| SnapshotError::Encode(e.to_string()))
}

/// Decodes what [`encode`] (or a build before fingerprints) wrote.
pub(crate) fn decode(blob: &[u8]) -> Result<Saved, SnapshotError> {
    let saved: SavedOwned = postcard::from_bytes(blob)
        .or_else(|_| {
            postcard::from_bytes::<SavedBeforeLabels>(blob).map(|s| SavedOwned {
                engine: s.engine,
                revisions: s.revisions,
                since_drain: s.since_drain,
                fingerprints: s.fingerprints,
                labels: None,
            })
        })
        .or_else(|_| {
            postcard::from_bytes::<SavedBeforeFingerprints>(blob).map(|s| SavedOwned {
                engine: s.engine,
                revisions: s.revisions,
                since_drain: s.since_drain,
                fingerprints: Vec::new(),
                labels: None,
            })
        })
        .map_err(|e| SnapshotError::Decode(e.to_string()))?;
    Ok(Saved {
        engine: saved.engine,
        revisions: AlertRevisions::from_pairs(saved.revisions, saved.fingerprints),
        since_drain: saved.since_drain,
        labels: saved.labels,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_and_fingerprints_round_trip_and_older_blobs_load() {
        let revisions = AlertRevisions::from_pairs(
            vec![("a".into(), 3), ("b".into(), 1)],
            vec![("a".into(), 42)],
        );
        let labels = SavedLabels {
            labels: vec!["{}".into()],
            vessels: vec![(257_000_001, 0, 0, 0)],
        };
        let blob = encode(&[1, 2, 3], &revisions, 7, &labels).unwrap();
        let back = decode(&blob).unwrap();
        assert_eq!(back.engine, vec![1, 2, 3]);
        assert_eq!(back.since_drain, 7);
        assert_eq!(back.labels, Some(labels));
        assert_eq!(back.revisions.fingerprints(), revisions.fingerprints());
        assert_eq!(back.revisions.numbers(), revisions.numbers());
        // A blob from before labels.
        #[derive(serde::Serialize)]
        struct Old<'a> {
            engine: Vec<u8>,
            revisions: Vec<(&'a str, u32)>,
            since_drain: u32,
            fingerprints: Vec<(&'a str, u64)>,
        }
        let old = postcard::to_stdvec(&Old {
            engine: vec![9],
            revisions: revisions.numbers(),
            since_drain: 1,
            fingerprints: revisions.fingerprints(),
        })
        .unwrap();
        let back = decode(&old).unwrap();
        assert_eq!(back.labels, None);
        assert_eq!(back.revisions.fingerprints(), revisions.fingerprints());
    }
}
