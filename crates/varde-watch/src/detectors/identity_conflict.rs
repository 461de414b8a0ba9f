//! `identity_conflict`: one MMSI transmitted from two places no single ship could link (also two
//! transmitters taking turns), a changed IMO number, an IMO number taken over by another MMSI at sea
//! (flag hopping), a name or call sign changed at sea (UNCLOS 92(2), identity fraud).

use super::text::{ident, kn, nm};
use super::{Ctx, Detector};
use crate::alert::{Kind, Severity};
use crate::config::Config;
use crate::geo::{distance_m, implied_speed_kn, NM_M};
use crate::picture::mid::flag_of;
use crate::picture::{FxMap, Update};
use crate::time::{duration, hhmm};

/// Sub-keys: one open alert per cause.
const TWO_PLACES: u64 = 1;
/// A name or call sign changed at sea.
const RENAMED: u64 = 3;
/// An IMO number taken over from another MMSI (ORed with the IMO number).
const HOP: u64 = 1 << 40;

/// Words every two-places summary carries (how `gnss_interference` recognises them).
pub const TWO_PLACES_WORDS: &str = "transmitting from two places";

/// Remembered IMO numbers at most; past this, those older than the hop window are forgotten.
const MAX_IMOS: usize = 200_000;

/// Where and under which MMSI an IMO number was last heard: 44 bytes, no heap. Packed to 4-byte
/// alignment (its `i64` would pad it to 48, and its map's slots to 56 bytes, not 48: one slot per
/// IMO number, ~1.3 slots per vessel with an IMO). Serialised field by field, as before.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[repr(C, packed(4))]
struct Seen {
    mmsi: u32,
    time_ms: i64,
    lat: f32,
    lon: f32,
    name: [u8; 20],
    name_len: u8,
}

impl Seen {
    fn name(&self) -> &str {
        std::str::from_utf8(&self.name[..usize::from(self.name_len)]).unwrap_or("")
    }
}

/// Engine-wide: the MMSI each IMO number was last heard with (static reports only). Bounded.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Identities(FxMap<u32, Seen>);

impl Identities {
    fn put(&mut self, imo: u32, seen: Seen, window_ms: i64) {
        if self.0.len() >= MAX_IMOS && !self.0.contains_key(&imo) {
            self.0.retain(|_, s| seen.time_ms - s.time_ms <= window_ms);
            if self.0.len() >= MAX_IMOS {
                self.0.clear();
            }
        }
        self.0.insert(imo, seen);
    }
}

/// The `identity_conflict` detector.
#[derive(Debug, Clone, Copy)]
pub struct IdentityConflict;

impl Detector for IdentityConflict {
    fn kind(&self) -> Kind {
        Kind::IdentityConflict
    }

    fn doc(&self) -> &'static str {
        "One MMSI reported from two places that no single ship could link (implied speed above \
         `position_jump.max_speed_kn`): two interleaving position streams, or two transmitters taking \
         turns (the place a silent stream left is remembered for `stream_window_s`, 1 h, and the MMSI \
         heard there again is the two-transmitter signature, one alert revised at every switch; the \
         position jumps of the first switch are retracted). A single outlier stays a `position_jump`. \
         Victims of an open `gnss_interference` episode raise none (their spoofed stream looks like a \
         second transmitter). Also: an IMO number that changes (medium); an IMO number heard from a new \
         MMSI within `flag_hop_window_s` (6 h) of its old MMSI's last static report, from a place the \
         ship could have reached (30 kn plus 5 nm): flag hopping (high when the flag changes, medium \
         otherwise or in port), on the new MMSI; a name or call sign changed at sea with MMSI and IMO \
         kept (medium, once per vessel). When the old MMSI gives the IMO again, both vessels are alive \
         (a copied or mistyped IMO, not a hop) and the alert is withdrawn. Placeholder IMO numbers \
         (repeated digits, 1234567, bad check digit) are ignored. Unassigned MIDs are `data_quality` notes."
    }

    fn enabled(&self, cfg: &Config) -> bool {
        cfg.identity_conflict.enabled
    }

    fn on_report(&self, cx: &mut Ctx<'_>) {
        match cx.update {
            Update::Conflict { other } if cx.vessel.rare().watch.gnss_episode == 0 => {
                two_places(cx, other);
            }
            Update::Static {
                imo_changed_from,
                renamed,
            } => {
                let c = &cx.cfg.identity_conflict;
                if let (Some(old), true) = (imo_changed_from, c.check_imo_change) {
                    imo_change(cx, old);
                }
                if renamed && imo_changed_from.is_none() && c.check_renaming {
                    renaming(cx);
                }
                flag_hop(cx);
            }
            Update::Advance { .. }
                if cx.vessel.rare().alt.is_none()
                    && cx.is_open(Kind::IdentityConflict, TWO_PLACES) =>
            {
                // Ended when the other stream was last heard (forgotten `stream_window_s` later).
                let last = i64::from(cx.vessel.rare().alt_last_s) * 1000;
                let end = if last > 0 { last } else { cx.now() };
                cx.close(Kind::IdentityConflict, TWO_PLACES, end);
            }
            _ => {}
        }
    }
}

fn two_places(cx: &mut Ctx<'_>, other: crate::picture::Timed) {
    let Some(now) = cx.fix() else { return };
    let d = distance_m(other.fix.lat, other.fix.lon, now.fix.lat, now.fix.lon);
    let dt = (now.time_ms - other.time_ms).abs();
    let when = if dt < 1000 {
        "in the same second".to_owned()
    } else {
        format!(
            "heard {} apart (implied {})",
            duration(dt),
            kn(implied_speed_kn(d, dt))
        )
    };
    let s = format!(
        "{} is {TWO_PLACES_WORDS} {} apart, {when}: two transmitters share the MMSI",
        ident(cx.vessel),
        nm(d),
    );
    if cx.is_open(Kind::IdentityConflict, TWO_PLACES) {
        return cx.revise(Kind::IdentityConflict, TWO_PLACES, false, s);
    }
    // The jumps of this MMSI in the stream window were the other transmitter: one story, not several.
    let since = now.time_ms - i64::from(cx.cfg.identity_conflict.stream_window_s) * 1000;
    let jumps: Vec<String> = cx
        .book
        .recent(Kind::PositionJump, cx.vessel.mmsi)
        .filter(|a| a.start >= since)
        .map(|a| a.id.clone())
        .collect();
    for id in jumps {
        cx.book.retract(&id);
    }
    let d = cx.draft(Severity::High, other.time_ms.min(now.time_ms), s);
    cx.open(Kind::IdentityConflict, TWO_PLACES, d);
}

fn imo_change(cx: &mut Ctx<'_>, old: u32) {
    let new = cx.vessel.imo().unwrap_or(0);
    let s = format!(
        "{} changed its IMO number from {old} to {new} at {}",
        ident(cx.vessel),
        hhmm(cx.now())
    );
    let mut d = cx.draft(Severity::Medium, cx.now(), s);
    d.end_ms = Some(cx.now());
    cx.open(
        Kind::IdentityConflict,
        u64::from(new) << 32 | u64::from(old),
        d,
    );
}

/// Whether an IMO number is plausibly a real one: seven digits, a valid check digit, not a run or one
/// digit repeated.
pub fn real_imo(imo: u32) -> bool {
    if !(1_000_000..=9_999_999).contains(&imo) || [1_234_567, 7_654_321].contains(&imo) {
        return false;
    }
    let d: [u32; 7] = std::array::from_fn(|i| imo / 10u32.pow(6 - i as u32) % 10);
    if d.iter().all(|&x| x == d[0]) {
        return false;
    }
    let sum: u32 = d[..6].iter().zip((2..=7).rev()).map(|(a, w)| a * w).sum();
    sum % 10 == d[6]
}

/// A name or call sign changed at sea, MMSI and IMO kept: noted once per vessel.
fn renaming(cx: &mut Ctx<'_>) {
    let (Some(imo), Some(at), Some(former)) = (
        cx.vessel.imo(),
        cx.vessel.latest,
        cx.vessel.rare().former.as_deref(),
    ) else {
        return;
    };
    if cx.vessel.watch.identity_checked || cx.geo.in_port(at.fix.lat, at.fix.lon).is_some() {
        return;
    }
    let statics = cx.vessel.statics.as_deref();
    let change = |what: &str, old: Option<&str>, new: Option<&str>| match (old, new) {
        (Some(o), Some(n)) if o != n => Some(format!("{what} {o} → {n}")),
        _ => None,
    };
    let changes: Vec<String> = [
        change(
            "name",
            former.name.as_deref(),
            statics.and_then(|s| s.name.as_deref()),
        ),
        change(
            "call sign",
            former.callsign.as_deref(),
            statics.and_then(|s| s.callsign.as_deref()),
        ),
    ]
    .into_iter()
    .flatten()
    .collect();
    if changes.is_empty() {
        return;
    }
    cx.vessel.watch.identity_checked = true;
    let s = format!(
        "{} changed its identity at sea at {} ({}) keeping MMSI {:09} and IMO {imo}",
        ident(cx.vessel),
        hhmm(cx.now()),
        changes.join(", "),
        cx.vessel.mmsi,
    );
    let mut d = cx.draft(Severity::Medium, cx.now(), s);
    d.end_ms = Some(cx.now());
    cx.open(Kind::IdentityConflict, RENAMED, d);
}

/// An IMO number heard from a new MMSI soon after, and near where, its old MMSI last said it.
fn flag_hop(cx: &mut Ctx<'_>) {
    let window = i64::from(cx.cfg.identity_conflict.flag_hop_window_s) * 1000;
    let Some(imo) = cx.vessel.imo().filter(|&i| real_imo(i)) else {
        return;
    };
    if window == 0 {
        return;
    }
    let (now, mmsi, at) = (cx.now(), cx.vessel.mmsi, cx.vessel.latest);
    if let Some(old) = cx
        .identities
        .0
        .get(&imo)
        .copied()
        .filter(|o| o.mmsi != mmsi)
    {
        // Judged once the new MMSI has a position; the old entry stays until then.
        let Some(at) = at else { return };
        let dt = now - old.time_ms;
        let gap = if old.lat.is_nan() {
            0.0
        } else {
            distance_m(
                f64::from(old.lat),
                f64::from(old.lon),
                at.fix.lat,
                at.fix.lon,
            )
        };
        let reach = 30.0 * NM_M * dt as f64 / 3_600_000.0 + 5.0 * NM_M;
        if clash(cx, imo, &old) {
            // Both MMSIs are still giving the IMO: two live vessels claim it (a copied or mistyped
            // number), not one that changed identity. The hop raised for the other is withdrawn.
        } else if (0..=window).contains(&dt) && gap <= reach {
            hopped(cx, imo, &old, dt, gap, at);
        }
    }
    let mut seen = Seen {
        mmsi,
        time_ms: now,
        lat: at.map_or(f32::NAN, |t| t.fix.lat as f32),
        lon: at.map_or(f32::NAN, |t| t.fix.lon as f32),
        name: [0; 20],
        name_len: 0,
    };
    let name = cx.vessel.name().unwrap_or("").as_bytes();
    let n = name.len().min(20);
    seen.name[..n].copy_from_slice(&name[..n]);
    seen.name_len = n as u8;
    cx.identities.put(imo, seen, window);
}

/// Whether `old` (the MMSI that last gave the IMO) was itself flagged as having taken it over from this
/// vessel: the two alternate, so both are alive. Retracts that flag-hopping alert.
fn clash(cx: &mut Ctx<'_>, imo: u32, old: &Seen) -> bool {
    let key = (Kind::IdentityConflict, old.mmsi, HOP | u64::from(imo));
    let me = cx.vessel.mmsi;
    let Some(id) = cx
        .book
        .get(&key)
        .filter(|a| a.related_mmsi == [me])
        .map(|a| a.id.clone())
    else {
        return false;
    };
    cx.book.retract(&id);
    true
}

fn hopped(cx: &mut Ctx<'_>, imo: u32, old: &Seen, dt: i64, gap: f64, at: crate::picture::Timed) {
    let sub = HOP | u64::from(imo);
    let (from, to) = (
        flag_of(old.mmsi).unwrap_or("?"),
        cx.vessel.flag().unwrap_or("?"),
    );
    let new_name = cx.vessel.name().unwrap_or("?");
    let names = match old.name() {
        "" => format!("name {new_name}"),
        o if o == new_name => format!("name {o} kept"),
        o => format!("name {o} → {new_name}"),
    };
    let flag = if from == to {
        format!("flag {to} kept")
    } else {
        format!("flag {from} → {to}")
    };
    let s = format!(
        "MMSI {:09} took over IMO {imo} from MMSI {:09} ({flag}, {names}) {} after the old MMSI last gave it, {} away: flag hopping",
        cx.vessel.mmsi,
        old.mmsi,
        duration(dt.max(60_000)),
        nm(gap),
    );
    if cx.is_open(Kind::IdentityConflict, sub) {
        return cx.revise(Kind::IdentityConflict, sub, false, s);
    }
    let in_port = cx.geo.in_port(at.fix.lat, at.fix.lon).is_some();
    let severity = if from != to && !in_port {
        Severity::High
    } else {
        Severity::Medium
    };
    let mut d = cx.draft(severity, cx.now(), s);
    d.related = vec![old.mmsi];
    cx.open(Kind::IdentityConflict, sub, d);
}

#[cfg(test)]
mod tests;
