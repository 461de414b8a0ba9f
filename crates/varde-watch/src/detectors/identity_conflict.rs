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

/// Where and under which MMSI an IMO number was last heard: 44 bytes, no heap.
#[derive(Debug, Clone, Copy)]
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
#[derive(Debug, Default)]
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
            Update::Conflict { other } if cx.vessel.watch.gnss_episode == 0 => {
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
                if cx.vessel.alt.is_none() && cx.is_open(Kind::IdentityConflict, TWO_PLACES) =>
            {
                // Ended when the other stream was last heard (forgotten `stream_window_s` later).
                let last = i64::from(cx.vessel.alt_last_s) * 1000;
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
        cx.vessel.former.as_deref(),
    ) else {
        return;
    };
    if cx.vessel.watch.identity_checked || cx.geo.in_port(at.fix.lat, at.fix.lon).is_some() {
        return;
    }
    let statics = cx.vessel.statics.as_deref();
    let change = |what: &str, old: &Option<String>, new: Option<&String>| match (old, new) {
        (Some(o), Some(n)) if o != n => Some(format!("{what} {o} → {n}")),
        _ => None,
    };
    let changes: Vec<String> = [
        change("name", &former.name, statics.and_then(|s| s.name.as_ref())),
        change(
            "call sign",
            &former.callsign,
            statics.and_then(|s| s.callsign.as_ref()),
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
mod tests {
    use crate::alert::{Kind, Severity};
    use crate::detectors::testkit::*;

    #[test]
    fn two_interleaving_streams_conflict_but_one_stream_does_not() {
        let mut k = Kit::new(cfg(), open_sea());
        for i in 0..6 {
            k.pos(257_000_001, i * 300, 60.0, 3.0, 10.0, 0.0);
            k.pos(257_000_001, i * 300 + 150, 65.0, 3.0, 10.0, 0.0);
            k.pos(257_000_002, i * 300, 61.0, 3.0, 10.0, 0.0);
        }
        let a = k.alerts_of(Kind::IdentityConflict);
        assert_eq!(a.len(), 1, "one revised alert, not one per fix");
        assert_eq!(a[0].mmsi, 257_000_001);
        assert!(a[0].summary.contains("two places"), "{}", a[0].summary);
    }

    #[test]
    fn out_of_order_streams_revise_one_conflict_and_retract_the_jump() {
        let mut k = Kit::new(cfg(), open_sea());
        // Two transmitters every 10 s, 5 s apart; neighbouring reports arrive swapped throughout.
        let mut feed = Vec::new();
        for i in 0..60 {
            feed.push((i * 10, 60.0 + i as f64 * 0.0005));
            feed.push((i * 10 + 5, 65.0 + i as f64 * 0.0005));
        }
        for pair in feed.chunks_mut(4) {
            pair.swap(1, 2); // A0 B0 A1 B1 -> A0 A1 B0 B1: B0 arrives after A1 (late), A1 twice in a row
        }
        for (t, lat) in feed {
            k.pos(257_000_001, t, lat, 3.0, 10.0, 0.0);
        }
        assert_eq!(k.alerts_of(Kind::IdentityConflict).len(), 1);
        assert!(
            k.alerts_of(Kind::PositionJump).is_empty(),
            "the first jump was the other transmitter"
        );
    }

    /// A for 10 min, then B 120 nm away for 10 min, and so on; every 10 s.
    fn turns(k: &mut Kit, mmsi: u32, legs: i64) {
        for leg in 0..legs {
            let lat = if leg % 2 == 0 { 60.0 } else { 62.0 };
            for j in 0..60 {
                let t = leg * 600 + j * 10;
                k.pos(mmsi, t, lat + t as f64 * 0.000_03, 3.0, 10.0, 0.0);
            }
        }
    }

    #[test]
    fn two_transmitters_taking_turns_are_one_conflict_not_a_series_of_jumps() {
        let mut k = Kit::new(cfg(), open_sea());
        turns(&mut k, 257_000_001, 6);
        // Then only A, for over the stream window: the episode ended with B's last fix.
        for j in 0..450 {
            let t = 3600 + j * 10;
            k.pos(257_000_001, t, 60.0 + t as f64 * 0.000_03, 3.0, 10.0, 0.0);
        }
        let a = k.alerts_of(Kind::IdentityConflict);
        assert_eq!(a.len(), 1, "{a:#?}");
        assert_eq!(a[0].end, Some(T0 + 3_590_000), "closed at B's last fix");
        assert_eq!(a[0].severity, Severity::High);
        assert!(a[0].summary.contains("two places"), "{}", a[0].summary);
        assert!(
            k.alerts_of(Kind::PositionJump).is_empty(),
            "{:#?}",
            k.alerts_of(Kind::PositionJump)
        );
    }

    #[test]
    fn control_one_outlier_stays_a_position_jump_and_a_move_after_the_window_is_not_a_return() {
        let mut k = Kit::new(cfg(), open_sea());
        for j in 0..120 {
            let lat = if j == 60 {
                62.0
            } else {
                60.0 + j as f64 * 0.000_3
            };
            k.pos(257_000_001, j * 10, lat, 3.0, 10.0, 0.0);
        }
        assert_eq!(k.alerts_of(Kind::PositionJump).len(), 1);
        assert!(k.alerts_of(Kind::IdentityConflict).is_empty());
    }

    fn identity(k: &mut Kit, mmsi: u32, t: i64, name: &str, imo: u32) {
        k.stat(mmsi, t, name, 80);
        k.stat_imo(mmsi, t, imo);
    }

    #[test]
    fn imo_taken_over_by_a_new_mmsi_at_sea_is_flag_hopping() {
        let mut k = Kit::new(cfg(), open_sea());
        for j in 0..30 {
            k.pos(273_000_001, j * 60, 60.0 + j as f64 * 0.003, 3.0, 10.0, 0.0);
            if j % 6 == 0 {
                identity(&mut k, 273_000_001, j * 60, "OLD NAME", 9_329_760);
            }
        }
        // Silent 20 min, then the same ship under a Liberian MMSI a few nm on.
        for j in 50..80 {
            k.pos(636_000_001, j * 60, 60.0 + j as f64 * 0.003, 3.0, 10.0, 0.0);
            if j % 6 == 2 {
                identity(&mut k, 636_000_001, j * 60, "NEW NAME", 9_329_760);
            }
        }
        let a = k.alerts_of(Kind::IdentityConflict);
        assert_eq!(a.len(), 1, "{a:#?}");
        assert_eq!(a[0].mmsi, 636_000_001);
        assert_eq!(a[0].related_mmsi, [273_000_001]);
        assert_eq!(a[0].severity, Severity::High);
        assert!(
            a[0].summary.contains(
                "took over IMO 9329760 from MMSI 273000001 (flag RU → LR, name OLD NAME → NEW NAME)"
            ),
            "{}",
            a[0].summary
        );
        assert!(a[0].summary.contains("flag hopping"));
    }

    #[test]
    fn two_live_vessels_giving_one_imo_in_turn_is_not_flag_hopping() {
        // Two ships 4 nm apart both send static data with the same IMO every 6 minutes. Each time one
        // gives it after the other it looks like a hop; when the other gives it again, it is not.
        let mut k = Kit::new(cfg(), open_sea());
        for j in 0..61 {
            k.pos(538_000_001, j * 60, 60.0 + j as f64 * 0.003, 3.0, 10.0, 0.0);
            k.pos(
                257_000_001,
                j * 60,
                60.0 + j as f64 * 0.003,
                3.13,
                10.0,
                0.0,
            );
            if j % 6 == 0 {
                identity(&mut k, 538_000_001, j * 60, "NAVIG8 ONE", 9_003_172);
            }
            if j % 6 == 3 {
                identity(&mut k, 257_000_001, j * 60, "FAR ONE", 9_003_172);
            }
        }
        let a = k.alerts_of(Kind::IdentityConflict);
        assert!(a.is_empty(), "{a:#?}");
    }

    #[test]
    fn control_same_imo_far_away_or_days_later_or_a_placeholder_imo_is_not_flag_hopping() {
        let mut k = Kit::new(cfg(), open_sea());
        k.pos(273_000_001, 0, 60.0, 3.0, 10.0, 0.0);
        identity(&mut k, 273_000_001, 0, "A", 9_329_760);
        k.pos(636_000_001, 600, 68.0, 3.0, 10.0, 0.0); // 480 nm away 10 min later
        identity(&mut k, 636_000_001, 600, "B", 9_329_760);
        k.pos(636_000_002, 3 * 86_400, 68.0, 3.0, 10.0, 0.0); // two days later
        identity(&mut k, 636_000_002, 3 * 86_400, "C", 9_329_760);
        for (i, m) in [636_000_003u32, 636_000_004].into_iter().enumerate() {
            k.pos(m, 100 + i as i64, 61.0, 3.0, 10.0, 0.0);
            identity(&mut k, m, 100 + i as i64, "D", 1_234_567);
        }
        assert!(k.alerts_of(Kind::IdentityConflict).is_empty());
    }

    #[test]
    fn renamed_at_sea_is_a_medium_note_once_and_in_port_is_not() {
        let geo = open_sea().with_port("Port", 59.0, 3.0, 3_000.0);
        let mut k = Kit::new(cfg(), geo);
        for (m, lat, imo) in [
            (257_000_001u32, 60.0, 9_329_760),
            (257_000_002, 59.0, 9_074_729),
        ] {
            k.pos(m, 0, lat, 3.0, 10.0, 0.0);
            identity(&mut k, m, 0, "FIRST", imo);
            identity(&mut k, m, 360, "SECOND", imo);
            identity(&mut k, m, 720, "THIRD", imo);
        }
        let a = k.alerts_of(Kind::IdentityConflict);
        let renamed: Vec<_> = a
            .iter()
            .filter(|a| a.summary.contains("changed its identity"))
            .collect();
        assert_eq!(renamed.len(), 1, "{a:#?}");
        assert_eq!(renamed[0].mmsi, 257_000_001);
        assert_eq!(renamed[0].severity, Severity::Medium);
        assert!(
            renamed[0].summary.contains("name FIRST → SECOND"),
            "{}",
            renamed[0].summary
        );
    }

    #[test]
    fn imo_change() {
        let mut k = Kit::new(cfg(), open_sea());
        k.stat_imo(257_000_003, 0, 9_329_760);
        k.stat_imo(257_000_003, 60, 9_329_761);
        k.stat_imo(257_000_003, 120, 9_329_761);
        let a = k.alerts_of(Kind::IdentityConflict);
        assert_eq!(a.len(), 1, "{a:#?}");
        assert!(a[0].summary.contains("IMO number from 9329760 to 9329761"));
    }

    #[test]
    fn real_imo_numbers() {
        assert!(super::real_imo(9_329_760));
        assert!(super::real_imo(9_074_729));
        for i in [1_234_567, 9_999_999, 9_329_761, 123, 0] {
            assert!(!super::real_imo(i), "{i}");
        }
    }
}
