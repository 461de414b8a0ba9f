//! One vessel's state: latest fix, a second position stream if the MMSI is seen in two places, merged
//! static data, track and motion statistics, and the detectors' per-vessel state.

use super::motion::SpeedHistory;
use super::track::Track;
use super::Timed;
use crate::detectors::{RareWatch, VesselWatch};
use crate::report::StaticInfo;

/// A second stream of positions for the same MMSI, incompatible with the primary one.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct AltStream {
    /// The stream's latest fix.
    pub latest: Timed,
    /// Whether the primary stream reported again after this stream last did (the streams interleave).
    pub primary_since: bool,
}

/// The name and call sign a vessel used before its latest change of either (kept only after a change).
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Former {
    /// Name before the change.
    pub name: Option<Box<str>>,
    /// Call sign before the change.
    pub callsign: Option<Box<str>>,
    /// When the change was heard, Unix ms.
    pub changed_ms: i64,
}

/// What merging a static report changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Merged {
    /// The previous IMO number, when a known IMO changed.
    pub imo_changed_from: Option<u32>,
    /// Whether a known name or call sign changed (the old ones are in [`Vessel::former`]).
    pub renamed: bool,
}

/// The parts of a vessel's state few vessels hold at any one time, in one box
/// ([`Vessel::rare`]) so that the common vessel's `Box<Vessel>` fits jemalloc's 320-byte size
/// class (384 with these inline). Every field's default means "none": an absent box reads as
/// [`Rare::NONE`], and [`Vessel::tidy`] drops a box that is back to it.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Rare {
    /// A competing stream, while one is active.
    pub alt: Option<Box<AltStream>>,
    /// Name and call sign before the latest change, once one has changed.
    pub former: Option<Box<Former>>,
    /// When the last forgotten second stream was last heard, Unix s (0: none yet): the end of a
    /// two-transmitter episode.
    pub alt_last_s: u32,
    /// Longest silence, seconds, from the latest fix through the no-fix reports since it (0 when none
    /// since it): whether the vessel kept transmitting while its position was unknown (`ais_gap`).
    pub nofix_silence_s: u32,
    /// Event time of the latest report without a position (GNSS lost, [`crate::ReportKind::NoFix`]),
    /// Unix ms; 0 when none.
    pub nofix_ms: i64,
    /// The detectors' rarely set per-vessel state.
    pub watch: RareWatch,
}

impl Rare {
    /// Nothing held: what a vessel without the box reads.
    pub const NONE: Rare = Rare {
        alt: None,
        former: None,
        alt_last_s: 0,
        nofix_silence_s: 0,
        nofix_ms: 0,
        watch: RareWatch::NONE,
    };

    /// Whether every field is at its default (the box can go).
    pub fn is_none(&self) -> bool {
        self.alt.is_none()
            && self.former.is_none()
            && self.alt_last_s == 0
            && self.nofix_silence_s == 0
            && self.nofix_ms == 0
            && self.watch.is_none()
    }

    /// Heap bytes owned, the box itself included.
    pub fn heap_bytes(&self) -> usize {
        let alt = self
            .alt
            .as_ref()
            .map_or(0, |_| std::mem::size_of::<AltStream>());
        let former = self.former.as_ref().map_or(0, |f| {
            std::mem::size_of::<Former>()
                + f.name.as_ref().map_or(0, |s| s.len())
                + f.callsign.as_ref().map_or(0, |s| s.len())
        });
        std::mem::size_of::<Self>() + alt + former + self.watch.heap_bytes()
    }
}

/// Everything known about one MMSI.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Vessel {
    /// The vessel's MMSI.
    pub mmsi: u32,
    /// Latest accepted fix (the primary stream's newest).
    pub latest: Option<Timed>,
    /// Static data merged from type 5/24/19 reports.
    pub statics: Option<Box<StaticInfo>>,
    /// What few vessels hold (a second stream, former names, a no-fix spell, the detectors' rare
    /// state), boxed once for all of it; `None` while all of it is at its default ([`Vessel::rare`]).
    pub rare: Option<Box<Rare>>,
    /// Compressed history.
    pub track: Track,
    /// Recent speeds, for the median.
    pub speeds: SpeedHistory,
    /// Highest reported speed over ground, tenths of a knot.
    pub max_sog_dkn: u16,
    /// Event time of the first report, Unix ms.
    pub first_seen_ms: i64,
    /// Event time of the newest report of any kind, Unix ms.
    pub last_seen_ms: i64,
    /// Event time of the first and of the newest position report, Unix ms (`[i64::MAX, i64::MIN]`, first
    /// after last, before any).
    pub position_span_ms: [i64; 2],
    /// Time observed, seconds: the sum of the gaps between consecutive position reports, each capped at
    /// [`super::OBSERVED_GAP_MS`] (a vessel unheard for longer was not observed meanwhile).
    pub observed_s: u32,
    /// Raw sentences of the latest accepted position (evidence for the start of a gap). A boxed
    /// slice, not a `Vec`: 8 bytes less puts `Vessel` in a smaller allocator size class (384 B,
    /// not 448), and it holds no spare capacity.
    pub last_raw: Option<Box<[u8]>>,
    /// Detector state.
    pub watch: VesselWatch,
}

impl Vessel {
    /// A vessel first seen at `time_ms`.
    pub fn new(mmsi: u32, time_ms: i64) -> Self {
        Self {
            mmsi,
            first_seen_ms: time_ms,
            last_seen_ms: time_ms,
            position_span_ms: [i64::MAX, i64::MIN],
            ..Self::default()
        }
    }

    /// The rarely set parts of its state ([`Rare::NONE`] when it holds none).
    pub fn rare(&self) -> &Rare {
        static NONE: Rare = Rare::NONE;
        self.rare.as_deref().unwrap_or(&NONE)
    }

    /// The rarely set parts of its state, to change; boxes them if the vessel held none.
    pub fn rare_mut(&mut self) -> &mut Rare {
        self.rare.get_or_insert_with(Box::default)
    }

    /// Drops the box of rarely set state once all of it is back to its default (the engine calls it
    /// after every report).
    pub fn tidy(&mut self) {
        if self.rare.as_ref().is_some_and(|r| r.is_none()) {
            self.rare = None;
        }
    }

    /// Name, if known.
    pub fn name(&self) -> Option<&str> {
        self.statics.as_ref()?.name.as_deref()
    }

    /// IMO number, if known.
    pub fn imo(&self) -> Option<u32> {
        self.statics.as_ref()?.imo
    }

    /// AIS ship type, if known.
    pub fn ship_type(&self) -> Option<u8> {
        self.statics.as_ref()?.ship_type
    }

    /// Flag from the MMSI's MID.
    pub fn flag(&self) -> Option<&'static str> {
        super::mid::flag_of(self.mmsi)
    }

    /// Highest speed seen, knots.
    pub fn max_sog_kn(&self) -> f32 {
        f32::from(self.max_sog_dkn) / 10.0
    }

    /// Merges static data; returns the previous IMO if a known IMO changed.
    pub fn merge_static(&mut self, s: &StaticInfo) -> Option<u32> {
        let t = self.last_seen_ms;
        self.merge_static_at(s, t).imo_changed_from
    }

    /// Merges static data heard at `time_ms`; says whether a known IMO, name or call sign changed.
    pub fn merge_static_at(&mut self, s: &StaticInfo, time_ms: i64) -> Merged {
        let cur = self.statics.get_or_insert_with(Box::default);
        let old_imo = cur.imo;
        let differs = |old: &Option<Box<str>>, new: &Option<Box<str>>| {
            let new = new.as_deref().map(str::trim).filter(|v| !v.is_empty());
            matches!((old.as_deref(), new), (Some(o), Some(n)) if o != n)
        };
        let renamed = differs(&cur.name, &s.name) || differs(&cur.callsign, &s.callsign);
        if renamed {
            let former = Some(Box::new(Former {
                name: cur.name.clone(),
                callsign: cur.callsign.clone(),
                changed_ms: time_ms,
            }));
            // (The field, not `rare_mut`: `cur` borrows the statics meanwhile.)
            self.rare.get_or_insert_with(Box::default).former = former;
        }
        let text = |dst: &mut Option<Box<str>>, src: &Option<Box<str>>| {
            if let Some(v) = src.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
                // The same text again (most static reports repeat it) keeps the allocation.
                if dst.as_deref() != Some(v) {
                    *dst = Some(v.into());
                }
            }
        };
        text(&mut cur.name, &s.name);
        text(&mut cur.callsign, &s.callsign);
        text(&mut cur.destination, &s.destination);
        // A voyage report (it names a destination or an ETA) replaces the ETA, clearing one the
        // crew no longer gives; a type 24 part carries neither and keeps it.
        if s.eta_min.is_some() || s.destination.is_some() {
            cur.eta_min = s.eta_min;
        }
        cur.imo = s.imo.filter(|&i| i != 0).or(cur.imo);
        cur.ship_type = s.ship_type.filter(|&t| t != 0).or(cur.ship_type);
        cur.length_m = s.length_m.or(cur.length_m);
        cur.beam_m = s.beam_m.or(cur.beam_m);
        cur.draught_m = s.draught_m.or(cur.draught_m);
        Merged {
            imo_changed_from: old_imo.filter(|&o| cur.imo != Some(o)),
            renamed,
        }
    }

    /// Approximate heap bytes owned (track, statics and their strings, last raw sentences, the rare
    /// state's box, boxed detector state); allocator overhead not included.
    pub fn heap_bytes(&self) -> usize {
        let statics = self.statics.as_ref().map_or(0, |s| {
            let str_cap = |v: &Option<Box<str>>| v.as_ref().map_or(0, |s| s.len());
            std::mem::size_of::<StaticInfo>()
                + str_cap(&s.name)
                + str_cap(&s.callsign)
                + str_cap(&s.destination)
        });
        let raw = self.last_raw.as_ref().map_or(0, |r| r.len());
        let rare = self.rare.as_ref().map_or(0, |r| r.heap_bytes());
        self.track.heap_bytes() + statics + raw + rare + self.watch.heap_bytes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_boxed_vessel_fits_the_320_byte_size_class() {
        // jemalloc's size classes around it: 256, 320, 384. One field more may cost 64 bytes a vessel.
        assert!(
            std::mem::size_of::<Vessel>() <= 320,
            "{}",
            std::mem::size_of::<Vessel>()
        );
    }

    #[test]
    fn rare_state_is_boxed_only_while_held() {
        let mut v = Vessel::new(257_000_001, 0);
        assert_eq!(v.rare().nofix_ms, 0);
        assert!(v.rare.is_none(), "reading boxes nothing");
        v.rare_mut().watch.gnss_episode = 7;
        v.tidy();
        assert_eq!(v.rare().watch.gnss_episode, 7, "kept while set");
        v.rare_mut().watch.gnss_episode = 0;
        v.tidy();
        assert!(v.rare.is_none(), "dropped once back to none");
    }
}
