//! Writing the engine's state to a snapshot and reading it back ([`crate::snapshot`] has the format).

use super::{Counters, Engine};
use crate::alert::AlertBook;
use crate::detectors::Shared;
use crate::geo::Geo;
use crate::picture::Picture;
use crate::snapshot::{self, SnapshotError};
use crate::time::Fnv64;
use serde::{Deserialize, Serialize};

/// The state, borrowed for writing.
#[derive(Serialize)]
struct StateRef<'a> {
    picture: &'a Picture,
    book: &'a AlertBook,
    shared: &'a Shared,
    counters: &'a Counters,
    latest_ms: i64,
    next_sweep_ms: i64,
    next_dark_ms: i64,
}

/// The state, owned, as read back.
#[derive(Deserialize)]
struct State {
    picture: Picture,
    book: AlertBook,
    shared: Shared,
    counters: Counters,
    latest_ms: i64,
    next_sweep_ms: i64,
    next_dark_ms: i64,
}

impl<G: Geo> Engine<G> {
    /// A fingerprint of the settings the state depends on: every setting but the watch list (a
    /// changed watch list applies to a loaded snapshot at once: matches are judged again on load).
    pub fn config_fingerprint(&self) -> u64 {
        let mut cfg = self.cfg.clone();
        cfg.watchlist = Default::default();
        let json = serde_json::to_vec(&cfg).unwrap_or_default();
        Fnv64::default().field(&json).value()
    }

    /// The whole state (picture, alerts, detectors, counters) as a snapshot blob. Alert events not yet
    /// taken are not part of it: take them first.
    pub fn snapshot(&self) -> Result<Vec<u8>, SnapshotError> {
        let out = snapshot::header(self.config_fingerprint());
        let state = StateRef {
            picture: &self.picture,
            book: &self.book,
            shared: &self.shared,
            counters: &self.counters,
            latest_ms: self.latest_ms,
            next_sweep_ms: self.next_sweep_ms,
            next_dark_ms: self.next_dark_ms,
        };
        postcard::to_extend(&state, out).map_err(|e| SnapshotError::Encode(e.to_string()))
    }

    /// Replaces this engine's state with a snapshot's. The engine keeps its own settings and
    /// geography; the snapshot must have been taken under the same settings (bar the watch list).
    /// On error the engine is unchanged.
    pub fn load_snapshot(&mut self, bytes: &[u8]) -> Result<(), SnapshotError> {
        let body = snapshot::open(bytes, self.config_fingerprint())?;
        let State {
            mut picture,
            mut book,
            mut shared,
            counters,
            latest_ms,
            next_sweep_ms,
            next_dark_ms,
        } = postcard::from_bytes(body).map_err(|e| SnapshotError::Decode(e.to_string()))?;
        book.rebind(&self.book);
        shared.rebind(&self.shared);
        let list = &self.cfg.watchlist;
        for v in picture.vessels_mut() {
            let listed = list.matches(v.mmsi, v.imo(), v.name());
            if listed.is_some() || v.rare.is_some() {
                v.rare_mut().watch.listed = listed;
            }
            v.tidy();
        }
        self.picture = picture;
        self.book = book;
        self.shared = shared;
        self.counters = counters;
        self.latest_ms = latest_ms;
        self.next_sweep_ms = next_sweep_ms;
        self.next_dark_ms = next_dark_ms;
        Ok(())
    }
}
