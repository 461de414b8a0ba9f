//! `zone_entry`: a vessel of interest enters a watched zone (UNCLOS 2–4, 60(5); the Norwegian
//! regulation on foreign state vessels, which requires clearance).
//!
//! Zone stays are tracked for every vessel that is or may become of interest, so an entry made before
//! the vessel's static data arrived is back-filled to the time it entered.

use super::ctx::{sub_of, zone_info};
use super::text::{relabel_note, who};
use super::{Ctx, Detector};
use crate::alert::{Kind, Severity};
use crate::config::Config;
use crate::geo::ZoneRef;
use crate::picture::{Update, Vessel};
use crate::report::RawLines;
use crate::time::{duration, hhmm};
use std::sync::Arc;

/// Whether a vessel is of interest for zone entry.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Interest {
    /// Not decided yet (no report classified it).
    #[default]
    Unknown,
    /// Could become of interest when static data arrives.
    Maybe,
    /// Of interest.
    Yes,
    /// Not of interest.
    No,
}

/// A vessel of interest that changed its declared ship type at sea to one that would not be of interest
/// (a state vessel turned "fishing" or "pleasure craft"): it stays of interest, and the change is
/// evidence.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Relabel {
    /// The ship type it declared before (the first of the chain, if it changed again).
    pub from: u8,
    /// The ship type it declares now.
    pub to: u8,
    /// When the change was heard, Unix ms.
    pub time_ms: i64,
    /// The static report that carried it.
    pub raw: RawLines,
}

/// One stay inside a watched zone.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ZoneStay {
    /// The zone.
    pub zone: ZoneRef,
    /// When the vessel was first seen inside, Unix ms.
    pub entered_ms: i64,
    /// When it was last seen leaving, while it may come back within `reentry_grace_s`.
    pub left_ms: Option<i64>,
    /// The alert closed when it left, reopened if it comes back within the grace.
    pub alert: Option<Arc<str>>,
}

/// The `zone_entry` detector.
#[derive(Debug, Clone, Copy)]
pub struct ZoneEntry;

impl Detector for ZoneEntry {
    fn kind(&self) -> Kind {
        Kind::ZoneEntry
    }

    fn doc(&self) -> &'static str {
        "A vessel of interest enters a watched zone (default: territorial sea, internal waters, platform \
         safety zones, user zones). Of interest by default: foreign vessels of ship type 35 (military) or \
         55 (law enforcement), research vessels by name (`AKADEMIK *`, `PROFESSOR *`), and watch-listed \
         vessels; also configurable by flag (MID) and name pattern. A vessel of interest stays of interest \
         when it relabels its ship type at sea (e.g. to fishing or pleasure craft); the change is told in \
         its alerts and its static report is evidence. Fires on the first position inside; back-filled \
         when static data arrives later; closed on exit."
    }

    fn enabled(&self, cfg: &Config) -> bool {
        cfg.zone_entry.enabled
    }

    fn on_report(&self, cx: &mut Ctx<'_>) {
        if matches!(cx.update, Update::First | Update::Static { .. }) {
            let was = cx.vessel.watch.interest;
            let (old_type, new_type) = (
                cx.vessel.watch.known_type,
                cx.vessel.ship_type().unwrap_or(0),
            );
            cx.vessel.watch.known_type = new_type;
            let now = interest(cx.cfg, cx.vessel);
            if was == Interest::Yes && now != Interest::Yes && old_type != 0 && new_type != old_type
            {
                relabelled(cx, old_type, new_type);
            } else if cx.vessel.rare().watch.relabel.is_none() {
                cx.vessel.watch.interest = now;
                if was != Interest::Yes && now == Interest::Yes {
                    backfill(cx);
                }
            }
        }
        match cx.vessel.watch.interest {
            Interest::No => cx.vessel.watch.zones = Vec::new(),
            _ if cx.accepted_fix().is_some() => moved(cx),
            _ => {}
        }
    }
}

/// Decides whether a vessel is of interest from its identity and static data.
pub fn interest(cfg: &Config, v: &Vessel) -> Interest {
    let c = &cfg.interest;
    let listed = c.watchlisted && cfg.watchlist.matches(v.mmsi, v.imo(), v.name()).is_some();
    let by_flag = crate::picture::mid::mid_of(v.mmsi).is_some_and(|m| c.mids.contains(&m));
    if listed || by_flag {
        return Interest::Yes;
    }
    if c.foreign_only && cfg.is_home(v.mmsi) {
        return Interest::No;
    }
    let by_type = v.ship_type().is_some_and(|t| c.ship_types.contains(&t));
    let by_name = v
        .name()
        .is_some_and(|n| c.name_patterns.iter().any(|p| glob(p, n)));
    match (by_type || by_name, v.statics.is_some()) {
        (true, _) => Interest::Yes,
        (false, false) if !c.ship_types.is_empty() || !c.name_patterns.is_empty() => {
            Interest::Maybe
        }
        _ => Interest::No,
    }
}

/// Case-insensitive match with `*` for any run of characters.
///
/// Runs on every fix (satellite station ids) and every static report (name
/// patterns): ASCII input, the usual case, is matched without allocating.
pub fn glob(pattern: &str, text: &str) -> bool {
    let text = text.trim();
    if pattern.is_ascii() && text.is_ascii() {
        return glob_parts(pattern.as_bytes(), text.as_bytes(), |a, b| {
            a.eq_ignore_ascii_case(b)
        });
    }
    let (p, t) = (pattern.to_uppercase(), text.to_uppercase());
    glob_parts(p.as_bytes(), t.as_bytes(), |a, b| a == b)
}

/// `*`-glob over bytes with the given equality of runs.
fn glob_parts(pattern: &[u8], text: &[u8], eq: impl Fn(&[u8], &[u8]) -> bool) -> bool {
    let mut parts = pattern.split(|&c| c == b'*');
    let first = parts.next().unwrap_or(&[]);
    if text.len() < first.len() || !eq(&text[..first.len()], first) {
        return false;
    }
    let mut rest = &text[first.len()..];
    let mut parts = parts.peekable();
    while let Some(part) = parts.next() {
        if rest.len() < part.len() {
            return false;
        }
        if parts.peek().is_none() {
            return eq(&rest[rest.len() - part.len()..], part);
        }
        match (0..=rest.len() - part.len()).find(|&at| eq(&rest[at..at + part.len()], part)) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    rest.is_empty()
}

fn moved(cx: &mut Ctx<'_>) {
    let now = cx.now();
    let cfg = cx.cfg;
    let grace = i64::from(cfg.zone_entry.reentry_grace_s) * 1000;
    let here = cx.zones_of(&cfg.zone_entry.zone_kinds);
    let mut stays = std::mem::take(&mut cx.vessel.watch.zones);
    stays.retain_mut(|s| {
        if s.left_ms.is_some_and(|t| now - t > grace) {
            return false; // gone long enough: coming back is a new entry
        }
        if here.iter().any(|z| z.id == s.zone.id) {
            return true;
        }
        if s.left_ms.is_none() {
            let key = cx.key(Kind::ZoneEntry, sub_of(&s.zone.id));
            s.alert = cx.book.get(&key).map(|a| a.id.as_str().into());
            cx.close(Kind::ZoneEntry, sub_of(&s.zone.id), now);
            s.left_ms = Some(now);
        }
        true
    });
    for z in here {
        match stays.iter_mut().find(|s| s.zone.id == z.id) {
            Some(s) => {
                if s.left_ms.take().is_some() {
                    // Back within the grace (sailing along the limit): the same alert, not a new one.
                    let key = cx.key(Kind::ZoneEntry, sub_of(&s.zone.id));
                    let reopened = s.alert.take().is_some_and(|id| cx.book.reopen(key, &id));
                    if !reopened && cx.vessel.watch.interest == Interest::Yes {
                        raise(cx, s);
                    }
                }
                still_inside(cx, s);
            }
            None => {
                let stay = ZoneStay {
                    zone: z,
                    entered_ms: now,
                    left_ms: None,
                    alert: None,
                };
                if cx.vessel.watch.interest == Interest::Yes {
                    raise(cx, &stay);
                }
                stays.push(stay);
            }
        }
    }
    cx.vessel.watch.zones = stays;
}

/// Keeps the vessel of interest and revises its open zone alerts with the change.
fn relabelled(cx: &mut Ctx<'_>, from: u8, to: u8) {
    let first = cx
        .vessel
        .rare()
        .watch
        .relabel
        .as_ref()
        .map_or(from, |r| r.from);
    cx.vessel.rare_mut().watch.relabel = Some(Box::new(Relabel {
        from: first,
        to,
        time_ms: cx.now(),
        raw: RawLines::new(cx.report.raw.as_bytes()),
    }));
    for s in cx.vessel.watch.zones.clone() {
        let sub = sub_of(&s.zone.id);
        if s.left_ms.is_some() {
            continue;
        }
        if cx.is_open(Kind::ZoneEntry, sub) {
            let summary = sentence(cx, &s);
            cx.revise(Kind::ZoneEntry, sub, true, summary);
        }
    }
}

fn still_inside(cx: &mut Ctx<'_>, s: &ZoneStay) {
    let sub = sub_of(&s.zone.id);
    if cx.is_open(Kind::ZoneEntry, sub) {
        let summary = format!(
            "{} — inside for {}",
            sentence(cx, s),
            duration(cx.now() - s.entered_ms)
        );
        cx.revise(Kind::ZoneEntry, sub, false, summary);
    }
}

fn backfill(cx: &mut Ctx<'_>) {
    let stays = cx.vessel.watch.zones.clone();
    for s in stays.iter().filter(|s| s.left_ms.is_none()) {
        raise(cx, s);
    }
}

fn raise(cx: &mut Ctx<'_>, s: &ZoneStay) {
    let state = cx
        .vessel
        .ship_type()
        .is_some_and(|t| cx.cfg.interest.high_severity_ship_types.contains(&t))
        || cx.vessel.rare().watch.relabel.is_some();
    let severity = if state {
        Severity::High
    } else {
        Severity::Medium
    };
    let mut d = cx.draft(severity, s.entered_ms, sentence(cx, s));
    d.zone = Some(zone_info(&s.zone));
    d.prior_evidence = cx.relabel_evidence();
    cx.open(Kind::ZoneEntry, sub_of(&s.zone.id), d);
}

fn sentence(cx: &Ctx<'_>, s: &ZoneStay) -> String {
    let zone: &Arc<str> = &s.zone.name;
    format!(
        "{} entered {zone} at {}{}",
        who(cx.vessel, !cx.foreign()),
        hhmm(s.entered_ms),
        relabel_note(cx.vessel),
    )
}

#[cfg(test)]
mod tests;
