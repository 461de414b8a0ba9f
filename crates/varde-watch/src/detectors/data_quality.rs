//! `data_quality`: placeholder and invalid MMSIs, unassigned MIDs, fishing-gear buoys, aids to navigation
//! and other stations that are not ships. Each vessel is marked once ([`mark`], before the detectors
//! run), counted by cause, and noted at most once at low severity; a marked vessel raises nothing else.

use super::text::ident;
use super::{Ctx, Detector};
use crate::alert::{AlertBook, Kind, Severity};
use crate::config::Config;
use crate::picture::mid::{country_of_mid, is_placeholder, mid_of, mmsi_format, MmsiFormat};
use crate::picture::Vessel;
use crate::report::{NoFix, PositionFix, Report, ReportKind, StationClass};

/// What the data say a vessel is, decided once from its MMSI and refined by station class and name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum Quality {
    /// Not looked at yet.
    #[default]
    Unchecked,
    /// A ship (or handheld, or craft of a parent ship): every detector runs.
    Clean,
    /// A ship MMSI whose MID no state has been assigned: noted; every detector still runs (a false
    /// identity is exactly what the other detectors should keep watching).
    UnassignedMid,
    /// A placeholder number (`111111111`, `123456789`, MID + zeros, bit patterns): noted, spared.
    Placeholder,
    /// A number with no ITU format: noted, spared.
    Invalid,
    /// A fishing-gear buoy (by name, or an autonomous-device number `979…`): noted by name, spared.
    GearBuoy,
    /// An aid to navigation (`99MIDxxxx` or a type 21 report): counted, spared, not noted.
    AidToNavigation,
    /// A base station, SAR aircraft or emergency beacon: counted, spared, not noted.
    NotAShip,
}

impl Quality {
    /// Whether the vessel raises no alert but its data-quality note.
    pub fn spared(self) -> bool {
        matches!(
            self,
            Self::Placeholder
                | Self::Invalid
                | Self::GearBuoy
                | Self::AidToNavigation
                | Self::NotAShip
        )
    }

    /// Every mark with a counter name.
    pub const NOTED: [Quality; 6] = [
        Self::UnassignedMid,
        Self::Placeholder,
        Self::Invalid,
        Self::GearBuoy,
        Self::AidToNavigation,
        Self::NotAShip,
    ];

    /// Counter name of the mark (`None` for clean and unchecked).
    pub fn cause(self) -> Option<&'static str> {
        Some(match self {
            Self::Unchecked | Self::Clean => return None,
            Self::UnassignedMid => "unassigned_mid",
            Self::Placeholder => "placeholder_mmsi",
            Self::Invalid => "invalid_mmsi",
            Self::GearBuoy => "gear_buoy",
            Self::AidToNavigation => "aid_to_navigation",
            Self::NotAShip => "not_a_ship",
        })
    }
}

/// A vessel's mark and whether its note was raised: two bytes in [`super::VesselWatch`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct DataMark {
    /// What the vessel is.
    pub quality: Quality,
    /// Whether the one note has been raised.
    pub noted: bool,
}

impl DataMark {
    /// Whether the vessel's other alerts are suppressed (`data_quality.suppress`).
    pub fn spared(&self, cfg: &Config) -> bool {
        cfg.data_quality.suppress && self.quality.spared()
    }
}

/// Marks the vessel before the detectors see `r`; returns the cause when the mark is new (for the
/// engine's counters). Costs a comparison per report once marked: the MMSI is judged on the first
/// report, the station class while the vessel looks like a ship, the name on static reports. A vessel
/// marked (spared) after it already raised alerts has them retracted: they were about a buoy.
pub fn mark(
    cfg: &Config,
    v: &mut Vessel,
    r: &Report,
    book: &mut AlertBook,
) -> Option<&'static str> {
    let before = v.watch.data.quality;
    let mut q = before;
    if q == Quality::Unchecked {
        q = of_mmsi(cfg, v.mmsi);
    }
    // What the station says it is refines what its number says (a buoy named as one with an invalid
    // number is a buoy).
    if matches!(
        q,
        Quality::Clean | Quality::UnassignedMid | Quality::Invalid
    ) {
        match &r.kind {
            ReportKind::Position(PositionFix { class, .. })
            | ReportKind::NoFix(NoFix { class, .. }) => match class {
                StationClass::AtoN => q = Quality::AidToNavigation,
                StationClass::BaseStation | StationClass::SarAircraft => q = Quality::NotAShip,
                _ => {}
            },
            ReportKind::Static(s) => {
                let name = s.name.as_deref().unwrap_or("");
                if cfg.data_quality.gear_names && gear_name(name) {
                    q = Quality::GearBuoy;
                }
            }
        }
    }
    if q == before {
        return None;
    }
    v.watch.data.quality = q;
    if before != Quality::Unchecked && !before.spared() && q.spared() && cfg.data_quality.suppress {
        retract_all(book, v.mmsi);
    }
    q.cause()
}

/// The mark an MMSI's number alone gives.
fn of_mmsi(cfg: &Config, mmsi: u32) -> Quality {
    if is_placeholder(mmsi) {
        return Quality::Placeholder;
    }
    match mmsi_format(mmsi) {
        MmsiFormat::Ship => {
            let assigned = mid_of(mmsi).and_then(country_of_mid).is_some();
            if assigned || !cfg.data_quality.check_mid {
                Quality::Clean
            } else {
                Quality::UnassignedMid
            }
        }
        MmsiFormat::Handheld | MmsiFormat::Craft => Quality::Clean,
        MmsiFormat::AidToNavigation => Quality::AidToNavigation,
        MmsiFormat::Autonomous => Quality::GearBuoy,
        MmsiFormat::Coast | MmsiFormat::SarAircraft | MmsiFormat::Emergency => Quality::NotAShip,
        MmsiFormat::Group | MmsiFormat::Invalid => Quality::Invalid,
    }
}

/// Every alert of the vessel but its data-quality note, withdrawn.
fn retract_all(book: &mut AlertBook, mmsi: u32) {
    let ids: Vec<String> = Kind::ALL
        .iter()
        .filter(|k| **k != Kind::DataQuality)
        .flat_map(|&k| {
            book.recent(k, mmsi)
                .map(|a| a.id.clone())
                .collect::<Vec<_>>()
        })
        .collect();
    for id in ids {
        book.retract(&id);
    }
}

/// Whether a name reads like a fishing-gear (net) buoy: these report their battery in the name, as a
/// voltage at the end (`12.5V`, `NET 13V`: 2.5–30 V, with a decimal or two digits) or a percentage
/// (`BUOY 85%`, `BREITIND BUOY [61%]`), or say `BUOY` (also misspelt `BOUY`: `NESEGUTTEN BOUY`, a
/// Norwegian capture), `BOYE`/`BOJE` (Norwegian, Danish, German), `NETBUOY` or `NETMARK`. Ship type and dimensions are not used: gear
/// buoys send anything there (0, 30 fishing, a made-up length), as do small boats.
pub fn gear_name(name: &str) -> bool {
    let n = name.trim().as_bytes();
    if n.contains(&b'%') {
        return true;
    }
    if n.last().is_some_and(|b| b.eq_ignore_ascii_case(&b'V')) && volts(&n[..n.len() - 1]) {
        return true;
    }
    name.split(|c: char| !c.is_ascii_alphanumeric()).any(|w| {
        ["BUOY", "BOUY", "BOYE", "BOJE", "NETBUOY", "NETMARK"]
            .iter()
            .any(|k| w.eq_ignore_ascii_case(k))
    })
}

/// Whether `s` ends with a plausible battery voltage (before the `V`).
fn volts(s: &[u8]) -> bool {
    let start = s
        .iter()
        .rposition(|b| !(b.is_ascii_digit() || *b == b'.' || *b == b','))
        .map_or(0, |i| i + 1);
    let (num, before) = (&s[start..], &s[..start]);
    if num.is_empty() || !num[0].is_ascii_digit() {
        return false;
    }
    if before.last().is_some_and(u8::is_ascii_alphabetic) {
        return false; // "MK12V" is a model name, not a reading
    }
    // Digits, at most one decimal separator; read without allocating.
    let (mut v, mut scale, mut decimal) = (0.0f32, 1.0f32, false);
    for &b in num {
        if b == b'.' || b == b',' {
            if decimal {
                return false;
            }
            decimal = true;
        } else if decimal {
            scale /= 10.0;
            v += f32::from(b - b'0') * scale;
        } else {
            v = v * 10.0 + f32::from(b - b'0');
        }
    }
    (2.5..=30.0).contains(&v) && (decimal || v >= 10.0)
}

/// The `data_quality` detector.
#[derive(Debug, Clone, Copy)]
pub struct DataQuality;

impl Detector for DataQuality {
    fn kind(&self) -> Kind {
        Kind::DataQuality
    }

    fn doc(&self) -> &'static str {
        "Data that cannot be trusted as a ship's identity, marked once per vessel and counted by cause \
         (the engine's `data_quality` counters): placeholder MMSIs (one digit repeated such as \
         111111111, runs such as 123456789, a MID followed by six zeros, 30-bit patterns with three \
         bits or fewer set or clear such as 0x2A000000, 0–9), numbers with no ITU-R M.585 format \
         (below 2 000 000, `1…` other than SAR \
         aircraft `111`, `9…` other than SART/MOB/EPIRB `970/972/974`, autonomous devices `979`, craft \
         `98` and aids to navigation `99`), ship MMSIs with an unassigned MID, and fishing-gear buoys \
         (a battery voltage like `12.5V` or a percentage ending the name, or `BUOY`, `BOUY`, `BOYE`, \
         `NETMARK`; number `979…`; also when the number is invalid). At most one low-severity note per vessel, never per fix. Placeholder, invalid, gear, \
         aid-to-navigation (`99…`, type 21), base-station, SAR-aircraft and emergency-beacon stations \
         raise no other alert of any kind (`data_quality.suppress`); one marked later (a gear name) has \
         its earlier alerts retracted. Unassigned-MID ships are noted but still watched. Craft of a \
         parent ship (`98…`) and handhelds (`8…`) are watched as ships."
    }

    fn enabled(&self, cfg: &Config) -> bool {
        cfg.data_quality.enabled
    }

    fn on_report(&self, cx: &mut Ctx<'_>) {
        let m = cx.vessel.watch.data;
        if m.noted {
            return;
        }
        let mmsi = cx.vessel.mmsi;
        let s = match m.quality {
            Quality::Placeholder => format!(
                "MMSI {mmsi:09} is a placeholder number, not an assigned identity: reports counted, no alerts raised"
            ),
            Quality::Invalid => format!(
                "MMSI {mmsi:09} has no ITU number format: invalid identity, reports counted, no alerts raised"
            ),
            Quality::UnassignedMid => format!(
                "MMSI {mmsi:09} uses MID {} which no state has been assigned: false or invalid identity",
                mmsi / 1_000_000
            ),
            Quality::GearBuoy => format!(
                "{} looks like a buoy (fishing gear or a marker), not a ship: reports counted, no alerts raised",
                ident(cx.vessel)
            ),
            _ => return,
        };
        cx.vessel.watch.data.noted = true;
        let mut d = cx.draft(Severity::Low, cx.now(), s);
        d.end_ms = Some(cx.now());
        cx.open(Kind::DataQuality, 0, d);
    }
}

#[cfg(test)]
mod tests {
    use super::gear_name;
    use crate::alert::Kind;
    use crate::detectors::testkit::*;

    #[test]
    fn gear_names_and_ship_names() {
        for n in [
            "NET 12.5V",
            "LQ 7,4V",
            "BUOY 85%",
            "ZHE 3301 13V",
            "Netmark-2",
            "BUOY",
            "NESEGUTTEN BOUY",
            "BREITIND BUOY  [61%]",
        ] {
            assert!(gear_name(n), "{n}");
        }
        for n in [
            "HAVILA V", "NORNE", "SEA 2V", "MK12V", "BUOYANCY", "ARCTIC 5", "V",
        ] {
            assert!(!gear_name(n), "{n}");
        }
    }

    #[test]
    fn placeholder_mmsi_gets_one_low_note_and_no_jump_alerts() {
        let mut k = Kit::new(cfg(), coast());
        // Two devices both using 111111111, 100 nm apart, and a third on land.
        for i in 0..30 {
            k.pos(111_111_111, i * 10, 58.0, 3.0, 10.0, 0.0);
            k.pos(111_111_111, i * 10 + 5, 59.6, 3.0, 10.0, 0.0);
            k.pos(111_111_111, i * 10 + 7, 60.5, 5.5, 0.0, 0.0);
            k.pos(257_000_001, i * 10, 58.5, 3.0, 10.0, 0.0);
        }
        let all = k.engine.alerts();
        assert!(
            all.iter()
                .all(|a| a.mmsi != 111_111_111 || a.kind == Kind::DataQuality),
            "{all:#?}"
        );
        let notes = k.alerts_of(Kind::DataQuality);
        assert_eq!(
            notes.len(),
            1,
            "one note per vessel, not per fix: {notes:#?}"
        );
        assert_eq!(notes[0].mmsi, 111_111_111);
        assert_eq!(notes[0].severity, crate::alert::Severity::Low);
        let c = k.engine.counters();
        assert_eq!(c.data_quality.get("placeholder_mmsi"), Some(&1));
    }

    #[test]
    fn control_real_ship_with_the_same_behaviour_still_alerts() {
        let mut k = Kit::new(cfg(), coast());
        for i in 0..30 {
            k.pos(257_123_456, i * 10, 58.0, 3.0, 10.0, 0.0);
            k.pos(257_123_456, i * 10 + 5, 59.6, 3.0, 10.0, 0.0);
        }
        assert!(!k.alerts_of(Kind::IdentityConflict).is_empty());
        assert!(k.alerts_of(Kind::DataQuality).is_empty());
        assert!(k.engine.counters().data_quality.is_empty());
    }

    #[test]
    fn gear_buoy_named_later_has_its_alerts_retracted() {
        let mut k = Kit::new(cfg(), coast());
        k.pos(257_900_001, 0, 60.5, 5.5, 0.0, 0.0); // on land: position_on_land
        assert_eq!(k.alerts_of(Kind::PositionOnLand).len(), 1);
        k.stat(257_900_001, 30, "LQ 3301 12.6V", 30);
        k.pos(257_900_001, 60, 60.5, 5.6, 0.0, 0.0);
        assert!(k.alerts_of(Kind::PositionOnLand).is_empty());
        let n = k.alerts_of(Kind::DataQuality);
        assert_eq!(n.len(), 1);
        assert!(
            n[0].summary.contains("looks like a buoy"),
            "{}",
            n[0].summary
        );
    }

    #[test]
    fn unassigned_mid_is_noted_low_and_still_watched() {
        let mut k = Kit::new(cfg(), coast());
        k.pos(217_000_001, 0, 60.5, 5.5, 0.0, 0.0);
        k.pos(217_000_001, 10, 60.5, 5.5, 0.0, 0.0);
        let n = k.alerts_of(Kind::DataQuality);
        assert_eq!(n.len(), 1, "{n:#?}");
        assert!(n[0].summary.contains("MID 217"));
        assert_eq!(k.alerts_of(Kind::PositionOnLand).len(), 1);
    }

    #[test]
    fn aids_to_navigation_are_counted_not_noted() {
        let mut k = Kit::new(cfg(), coast());
        k.pos(992_576_001, 0, 60.5, 5.5, 0.0, 0.0);
        k.pos(992_576_001, 10, 58.0, 3.0, 0.0, 0.0);
        assert!(k.engine.alerts().is_empty());
        assert_eq!(
            k.engine.counters().data_quality.get("aid_to_navigation"),
            Some(&1)
        );
    }
}
