//! Incidents: alerts about the same vessel (or pair) and place within a window are one story. Each
//! alert carries the id of its incident, which is the id of the incident's first alert, so one drifting
//! ship is one incident with several alerts, not six unrelated alarms.

use crate::geo::{distance_m, NM_M};
use crate::picture::FxMap;
use std::sync::Arc;

/// The newest incident a vessel is part of.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
struct Episode {
    id: Arc<str>,
    /// Newest time any of its alerts covered, Unix ms.
    last_ms: i64,
    lat: f64,
    lon: f64,
}

/// Which incident each vessel's alerts belong to.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Incidents {
    #[serde(skip)]
    window_ms: i64,
    #[serde(skip)]
    radius_m: f64,
    by_mmsi: FxMap<u32, Episode>,
    /// Whether the vessels whose incident changes are noted in `changed` (see [`crate::area`]).
    #[serde(skip)]
    recording: bool,
    #[serde(skip)]
    changed: Vec<u32>,
}

impl Incidents {
    /// Groups alerts no more than `window_s` apart in time and `radius_nm` apart in place.
    pub fn new(window_s: u32, radius_nm: f64) -> Self {
        Self {
            window_ms: i64::from(window_s) * 1000,
            radius_m: radius_nm * NM_M,
            by_mmsi: FxMap::default(),
            recording: false,
            changed: Vec::new(),
        }
    }

    /// Starts or stops noting which vessels' incidents change.
    pub fn set_recording(&mut self, on: bool) {
        self.recording = on;
    }

    /// The vessels whose incident changed since the last call, each with its incident now: id,
    /// newest time covered, place.
    pub fn take_changed(&mut self) -> Vec<(u32, Arc<str>, i64, f64, f64)> {
        let mut changed = std::mem::take(&mut self.changed);
        changed.sort_unstable();
        changed.dedup();
        changed
            .into_iter()
            .filter_map(|m| {
                let e = self.by_mmsi.get(&m)?;
                Some((m, e.id.clone(), e.last_ms, e.lat, e.lon))
            })
            .collect()
    }

    /// Sets a vessel's current incident (as another engine's pairwise alert left it).
    pub fn set(&mut self, mmsi: u32, id: &str, last_ms: i64, lat: f64, lon: f64) {
        let e = Episode {
            id: id.into(),
            last_ms,
            lat,
            lon,
        };
        self.by_mmsi.insert(mmsi, e);
    }

    /// Takes the settings of `fresh` (state read back from a snapshot keeps its own episodes).
    pub fn rebind(&mut self, fresh: &Incidents) {
        self.window_ms = fresh.window_ms;
        self.radius_m = fresh.radius_m;
    }

    /// The incident of a new alert `id` about `mmsis` at `start_ms` and (lat, lon): the current incident
    /// of any of the vessels, if it is recent and near enough; otherwise a new one named `id`.
    pub fn assign(
        &mut self,
        id: &str,
        mmsis: &[u32],
        start_ms: i64,
        lat: f64,
        lon: f64,
    ) -> Arc<str> {
        let near = |e: &Episode| {
            let close = !(lat.is_finite() && e.lat.is_finite())
                || distance_m(lat, lon, e.lat, e.lon) <= self.radius_m;
            start_ms - e.last_ms <= self.window_ms && close
        };
        let found = mmsis
            .iter()
            .filter_map(|m| self.by_mmsi.get(m))
            .find(|e| near(e))
            .map(|e| e.id.clone());
        let incident: Arc<str> = found.unwrap_or_else(|| id.into());
        if self.recording {
            self.changed.extend_from_slice(mmsis);
        }
        for &m in mmsis {
            let e = Episode {
                id: incident.clone(),
                last_ms: start_ms,
                lat,
                lon,
            };
            match self.by_mmsi.get_mut(&m) {
                Some(old) if old.id == incident => {
                    old.last_ms = old.last_ms.max(start_ms);
                    if lat.is_finite() {
                        (old.lat, old.lon) = (lat, lon);
                    }
                }
                _ => {
                    self.by_mmsi.insert(m, e);
                }
            }
        }
        incident
    }

    /// Notes that an alert of `incident` about `mmsi` still covers `time_ms` at (lat, lon).
    pub fn touch(&mut self, incident: &str, mmsi: u32, time_ms: i64, lat: f64, lon: f64) {
        if let Some(e) = self.by_mmsi.get_mut(&mmsi).filter(|e| &*e.id == incident) {
            if self.recording {
                self.changed.push(mmsi);
            }
            e.last_ms = e.last_ms.max(time_ms);
            if lat.is_finite() {
                (e.lat, e.lon) = (lat, lon);
            }
        }
    }

    /// Forgets incidents nothing has touched for the window before `now_ms`.
    pub fn prune(&mut self, now_ms: i64) {
        let w = self.window_ms;
        self.by_mmsi.retain(|_, e| now_ms - e.last_ms <= w);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_vessel_and_place_within_the_window_is_one_incident() {
        let mut i = Incidents::new(6 * 3600, 30.0);
        let h = 3_600_000;
        assert_eq!(&*i.assign("a1", &[1], 0, 58.0, 10.0), "a1");
        assert_eq!(
            &*i.assign("a2", &[1], h, 58.1, 10.0),
            "a1",
            "6 nm on, 1 h later"
        );
        assert_eq!(
            &*i.assign("b1", &[2], h, 58.1, 10.0),
            "b1",
            "another vessel"
        );
        assert_eq!(&*i.assign("a3", &[1], 9 * h, 58.1, 10.0), "a3", "8 h later");
        assert_eq!(&*i.assign("a4", &[1], 9 * h, 61.0, 4.0), "a4", "far away");
        // A pair joins the incident of either vessel.
        assert_eq!(&*i.assign("p1", &[2, 3], 2 * h, 58.1, 10.0), "b1");
        i.touch("b1", 3, 20 * h, 58.1, 10.0);
        assert_eq!(&*i.assign("c1", &[3], 21 * h, 58.1, 10.0), "b1");
        i.prune(40 * h);
        assert_eq!(&*i.assign("c2", &[3], 40 * h, 58.1, 10.0), "c2");
    }
}
