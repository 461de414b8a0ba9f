//! Alert revision numbers: a new revision only when an alert materially changes; other updates
//! refresh the current alert under the same number (the store keeps that revision's first JSON in
//! the history and the newest as the current alert). Deterministic, so a restarted service hands
//! out the numbers an uninterrupted one would.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use varde_watch::picture::FxHasher;
use varde_watch::AlertEvent;

/// One alert's latest revision.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Revision {
    number: u32,
    /// [`material_fingerprint`] of that revision (`None`: not known, e.g. restored from a snapshot
    /// written before fingerprints were kept; the next update counts as material).
    fingerprint: Option<u64>,
}

/// Revisions handed out so far, by alert id.
#[derive(Debug, Default)]
pub struct AlertRevisions {
    by_id: HashMap<String, Revision>,
}

impl AlertRevisions {
    /// The revision number of event `e`: one more than the last when the alert is new, opened,
    /// closed, retracted or materially changed; the same otherwise.
    pub fn next(&mut self, e: &AlertEvent) -> u32 {
        let id = &e.alert().id;
        let fingerprint = material_fingerprint(e);
        let r = match self.by_id.get_mut(id) {
            Some(r) => r,
            None => self.by_id.entry(id.clone()).or_default(),
        };
        let material = r.number == 0
            || !matches!(e, AlertEvent::Updated(_))
            || r.fingerprint != Some(fingerprint);
        if material {
            r.number += 1;
            r.fingerprint = Some(fingerprint);
        }
        r.number
    }

    /// Forgets a closed alert (drained from the engine; it never changes again).
    pub fn forget(&mut self, id: &str) {
        self.by_id.remove(id);
    }

    /// Ids of every alert with a revision.
    pub fn ids(&self) -> Vec<String> {
        self.by_id.keys().cloned().collect()
    }

    /// Raises an alert's revision number to at least `stored` (after a restart: numbers never go
    /// below the stored ones).
    pub fn raise_to(&mut self, id: &str, stored: u32) {
        if let Some(r) = self.by_id.get_mut(id) {
            r.number = r.number.max(stored);
        }
    }

    /// `(id, number)` pairs sorted by id (the snapshot's form).
    pub(super) fn numbers(&self) -> Vec<(&str, u32)> {
        let mut v: Vec<(&str, u32)> = self
            .by_id
            .iter()
            .map(|(k, r)| (k.as_str(), r.number))
            .collect();
        v.sort_unstable();
        v
    }

    /// `(id, fingerprint)` pairs of the alerts whose fingerprint is known, sorted by id.
    pub(super) fn fingerprints(&self) -> Vec<(&str, u64)> {
        let mut v: Vec<(&str, u64)> = self
            .by_id
            .iter()
            .filter_map(|(k, r)| Some((k.as_str(), r.fingerprint?)))
            .collect();
        v.sort_unstable();
        v
    }

    /// The inverse of [`AlertRevisions::numbers`] and [`AlertRevisions::fingerprints`].
    pub(super) fn from_pairs(
        numbers: Vec<(String, u32)>,
        fingerprints: Vec<(String, u64)>,
    ) -> Self {
        let mut by_id: HashMap<String, Revision> = numbers
            .into_iter()
            .map(|(id, number)| {
                (
                    id,
                    Revision {
                        number,
                        fingerprint: None,
                    },
                )
            })
            .collect();
        for (id, f) in fingerprints {
            by_id.entry(id).or_default().fingerprint = Some(f);
        }
        Self { by_id }
    }
}

/// What makes an alert revision material: its kind, severity, zone, asset, related vessels,
/// incident, whether it has ended, how many evidence entries it holds, and the wording of its
/// summary with the digits left out. A moving position, a longer duration or a larger count
/// in the summary, or fresher evidence are not material: they update the current alert in
/// place. (Opening, closing and retraction are always material.) Hashed with [`FxHasher`], which
/// is fixed, so fingerprints kept in snapshots stay comparable across builds.
fn material_fingerprint(e: &AlertEvent) -> u64 {
    let a = e.alert();
    let mut h = FxHasher::default();
    a.kind.as_str().hash(&mut h);
    (a.severity as u8).hash(&mut h);
    a.zone.as_ref().map(|z| &*z.name).hash(&mut h);
    a.asset.as_ref().map(|z| &*z.name).hash(&mut h);
    a.related_mmsi.hash(&mut h);
    a.incident.hash(&mut h);
    a.end.is_some().hash(&mut h);
    a.evidence.len().hash(&mut h);
    for c in a.summary.chars().filter(|c| !c.is_ascii_digit()) {
        c.hash(&mut h);
    }
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::material_fingerprint;
    use varde_watch::alert::VesselInfo;
    use varde_watch::{Alert, AlertEvent, Kind, Severity};

    fn alert(summary: &str) -> Alert {
        Alert {
            id: "a1".into(),
            incident: "a1".into(),
            kind: Kind::Loitering,
            severity: Severity::Medium,
            mmsi: 257_000_001,
            related_mmsi: Vec::new(),
            vessel: VesselInfo::default(),
            start: 1_000,
            end: None,
            lat: 60.0,
            lon: 5.0,
            zone: None,
            asset: None,
            summary: summary.into(),
            evidence: Vec::new(),
            releasability: Vec::new().into(),
        }
    }

    #[test]
    fn moving_numbers_and_positions_are_not_material_but_wording_severity_and_ending_are() {
        let base = material_fingerprint(&AlertEvent::Updated(alert("slow for 12 min in X")));
        let mut moved = alert("slow for 47 min in X");
        (moved.lat, moved.lon) = (61.5, 6.25);
        assert_eq!(material_fingerprint(&AlertEvent::Updated(moved)), base);

        let reworded = alert("slow for 47 min in Y");
        assert_ne!(material_fingerprint(&AlertEvent::Updated(reworded)), base);
        let mut graver = alert("slow for 12 min in X");
        graver.severity = Severity::High;
        assert_ne!(material_fingerprint(&AlertEvent::Updated(graver)), base);
        let mut ended = alert("slow for 12 min in X");
        ended.end = Some(9_000);
        assert_ne!(material_fingerprint(&AlertEvent::Closed(ended)), base);
    }
}
