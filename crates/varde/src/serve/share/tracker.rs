//! The engine thread's side of labelling: which sources stand behind each vessel.
//!
//! Per vessel three label ids (12 bytes), kept on the engine thread without locks:
//! - `pos`: the label of the source of its latest position (replaced when a newer position
//!   becomes the latest);
//! - `statics`: the join of the labels of every source that sent it static or voyage data (the
//!   picture merges static fields from several reports, so any of them may be in the record);
//! - `all`: the join of the labels of every source that reported it at all this run.
//!
//! A vessel's current record (position + static data) is labelled `pos ⊔ statics`. An alert is
//! labelled with the `all` of each vessel it is about (the vessel and any related one): its
//! evidence lines are reports about those vessels, so every source behind the evidence is among
//! them. This over-approximates (a vessel once heard by a national sensor keeps that label on its
//! alerts for the run) and never under-labels. The label is written into the alert's JSON when it
//! is emitted, so the stored alert keeps it across restarts.

use super::labels::{LabelId, LabelTable, VesselLabels, FALLBACK};
use std::collections::HashMap;
use std::sync::Arc;
use varde_share::config::Share;
use varde_watch::picture::FxMap;

#[derive(Debug, Clone, Copy)]
struct VesselIds {
    pos: LabelId,
    statics: LabelId,
    all: LabelId,
}

/// Tracks the sources behind each vessel on the engine thread and publishes vessels' labels.
#[derive(Debug)]
pub struct LabelTracker {
    table: Arc<LabelTable>,
    out: Arc<VesselLabels>,
    bottom: LabelId,
    by_source: HashMap<String, LabelId>,
    unknown_source: LabelId,
    vessels: FxMap<u32, VesselIds>,
    dirty: Vec<(u32, LabelId)>,
    /// The source of the journal lines being replayed (restore), by name.
    pub restoring: Option<String>,
}

impl LabelTracker {
    /// A tracker labelling by `share`'s source labels into `table`, publishing into `out`.
    pub fn new(share: &Share, table: Arc<LabelTable>, out: Arc<VesselLabels>) -> Self {
        let bottom = table.intern(&varde_share::Label::unclassified());
        let by_source = share
            .source_labels
            .iter()
            .map(|(name, l)| (name.clone(), table.intern(l)))
            .collect();
        Self {
            unknown_source: table.intern(&share.default_label),
            table,
            out,
            bottom,
            by_source,
            vessels: FxMap::default(),
            dirty: Vec::new(),
            restoring: None,
        }
    }

    /// The label of input from source `name` (a replayed line: the journal's source name; no
    /// name at all: the fallback).
    pub fn source(&self, name: Option<&str>) -> LabelId {
        match name.or(self.restoring.as_deref()) {
            Some(n) => self
                .by_source
                .get(n)
                .copied()
                .unwrap_or(self.unknown_source),
            None => FALLBACK,
        }
    }

    /// A report about `mmsi` from a source labelled `src`: `latest_position` when it is a
    /// position that became the vessel's latest, `position` when it is a position at all.
    pub fn report(&mut self, mmsi: u32, src: LabelId, position: bool, latest_position: bool) {
        let bottom = self.bottom;
        let mut new = false;
        let ids = self.vessels.entry(mmsi).or_insert_with(|| {
            new = true;
            VesselIds {
                pos: bottom,
                statics: bottom,
                all: bottom,
            }
        });
        let before = self.table.join(ids.pos, ids.statics);
        ids.all = self.table.join(ids.all, src);
        if latest_position {
            ids.pos = src;
        } else if !position {
            ids.statics = self.table.join(ids.statics, src);
        }
        let now = self.table.join(ids.pos, ids.statics);
        if new || now != before {
            self.dirty.push((mmsi, now));
        }
    }

    /// The label of the vessel's current record.
    #[cfg(test)]
    pub fn vessel(&self, mmsi: u32) -> LabelId {
        self.vessels
            .get(&mmsi)
            .map_or(FALLBACK, |v| self.table.join(v.pos, v.statics))
    }

    /// The label of an alert about these vessels.
    pub fn alert(&self, mmsis: impl IntoIterator<Item = u32>) -> LabelId {
        mmsis.into_iter().fold(self.bottom, |acc, m| {
            let all = self.vessels.get(&m).map_or(FALLBACK, |v| v.all);
            self.table.join(acc, all)
        })
    }

    /// The table the ids index.
    pub fn table(&self) -> &LabelTable {
        &self.table
    }

    /// Publishes the labels changed since the last call to the API's view.
    pub fn flush(&mut self) {
        if !self.dirty.is_empty() {
            self.out.set_all(self.dirty.drain(..));
        }
    }
}
