//! The facts of each incident kind (expected and silent alert kinds,
//! asset, zone) and the helpers its builder uses: the scripted track, its
//! negative control and the expected outcome. Reference points and identities are
//! documented on each builder; every MMSI is invented (correct MID, not a
//! real ship), every IMO number invented with a valid check digit.

use super::assets::{EUROPIPE_II, LANGELED, SKAGENFIBER_WEST, SKAGERRAK_HVDC, SVALBARD_CABLE};
use super::{
    coverage, deception, evasion, infrastructure, interference, jamming, laundering, territorial,
    variants, Expectation, Incident, IncidentKind,
};
use crate::geo::LatLon;
use crate::identity::{imo_check_digit, imo_is_valid, Identity};
use crate::script::{Script, Step};
use crate::SimError;

/// Fixed facts of an incident kind.
pub(super) struct Spec {
    pub name: &'static str,
    pub expected: &'static [&'static str],
    pub control_expected: &'static [&'static str],
    /// Silent for the control.
    pub silent: &'static [&'static str],
    /// Silent for the incident itself.
    pub silent_incident: &'static [&'static str],
    pub asset: Option<&'static str>,
    pub zone: Option<&'static str>,
    pub note: &'static str,
}

const fn spec_of(
    name: &'static str,
    expected: &'static [&'static str],
    control_expected: &'static [&'static str],
    silent: &'static [&'static str],
    asset: Option<&'static str>,
    zone: Option<&'static str>,
    note: &'static str,
) -> Spec {
    Spec {
        name,
        expected,
        control_expected,
        silent,
        silent_incident: &[],
        asset,
        zone,
        note,
    }
}

const GAP: &str = "ais_gap";
const SPEED: &str = "infrastructure_speed_anomaly";
const LOITER_INFRA: &str = "infrastructure_loiter";
const TS: Option<&str> = Some("territorial_sea");

pub(super) fn spec(kind: IncidentKind) -> &'static Spec {
    static SPECS: [Spec; 12] = [
        spec_of("eagle_s", &[SPEED, GAP], &[], &[SPEED, GAP], Some(SKAGERRAK_HVDC.name), Some("eez"),
            "tanker 8.5 -> 6.3 kn 35 min before the cable, course unchanged, status 0; < 1 kn for 8 min on the cable; 90 min silent; reappears 7 nm on at 7.5 kn. Control: constant 8.5 kn on the same track"),
        spec_of("newnew_polar_bear", &[SPEED], &[], &[SPEED], Some(EUROPIPE_II.name), Some("eez"),
            "11 -> 9.5 kn (13.6 %, 1.5 kn) for 5 min centred on the pipeline: fires under the S2 rule (>= 1.5 kn or >= 12 %), not under a bare 15 % threshold. Control: the same dip 25 km east of the pipeline"),
        spec_of("yi_peng_3", &[LOITER_INFRA, GAP], &[GAP], &[LOITER_INFRA], Some(SKAGENFIBER_WEST.name), Some("eez"),
            "drift 2 kn back and forth (10 min legs) for 60 min within 1 nm of the cable, two silences of 25 and 20 min. Control: same pattern 30 km from any asset (its gaps still fire ais_gap)"),
        spec_of("svalbard_cable_trawler", &[LOITER_INFRA], &[], &[LOITER_INFRA], Some(SVALBARD_CABLE.name), Some("svalbard_fpz"),
            "fishing vessel (type 30, status 7) trawling 6 km legs at 4 kn across the cable for 12 h: ~15 crossings, the 3rd within 2.5 h. Control: same trawling 7-13 km from the cable"),
        spec_of("nord_stream_gap", &[GAP], &[], &[GAP], Some(LANGELED.name), Some("eez"),
            "silent 5 h starting 5 nm from the pipeline inside terrestrial coverage, reappears 40 nm north. Control: north of 75N with satellite-only reports every 90 min (s:rNORSAT3) and one missed pass (3 h)"),
        spec_of("research_vessel_territorial", &["zone_entry", "loitering"], &["zone_entry"], &["loitering"], None, TS,
            "RU research vessel (type 35) enters the territorial sea west of Maloy at 9 kn, drifts 1.2 kn for 45 min. Control: same vessel type at a continuous 10 kn (zone_entry is still expected)"),
        spec_of("circling_state_vessel", &["zone_entry", "loitering"], &[], &["loitering", "zone_entry"], None, TS,
            "RU state vessel (type 55) circles (r = 400 m, 1.8 kn) for 5.5 h off Sunnmore. Control: a Norwegian purse seiner, one 360 deg set then 20 min hauling"),
        spec_of("spoofed_fix", &["position_jump"], &[], &["position_jump"], None, None,
            "one report 0.5 deg of latitude north of the true track at 12 kn; the jump out and back may be one or two alerts"),
        spec_of("fix_on_land", &["position_on_land", "position_jump"], &[], &["position_on_land", "position_jump"], None, None,
            "one report at 61.636 N 8.312 E (Galdhopiggen, Jotunheimen) from a ship off Floro"),
        spec_of("shared_mmsi", &["identity_conflict"], &[], &["identity_conflict"], None, None,
            "the same MMSI off Bergen and, from 10 min later, 300 nm away off Helgeland, both at 12 kn for ~2 h. Control: second vessel with its own MMSI"),
        spec_of("sts_rendezvous", &["rendezvous"], &[], &["rendezvous"], None, Some("eez"),
            "two tankers meet 80 m apart and drift together at 0.4 kn for 3 h, ~55 km from the nearest port (Honningsvag). Control: the same pair at anchor inside Honningsvag port"),
        spec_of("watchlisted", &["watchlist"], &[], &["watchlist"], None, None,
            "put the vessel (mmsi, imo, name) on the watch list; the control is a sister tanker that is not listed"),
    ];
    let i = IncidentKind::ALL
        .iter()
        .position(|k| *k == kind)
        .unwrap_or(0);
    SPECS
        .get(i)
        .unwrap_or_else(|| variants::spec(i - SPECS.len()))
}

pub(super) fn ident(
    mmsi: u32,
    imo: Option<u32>,
    name: &str,
    ship_type: u8,
    length_m: u16,
    callsign: &str,
) -> Result<Identity, SimError> {
    if !(200_000_000..=799_999_999).contains(&mmsi) {
        return Err(SimError::InvalidMmsi(mmsi));
    }
    let imo = match imo {
        Some(i) if !imo_is_valid(i) => return Err(SimError::InvalidImo(i)),
        Some(i) => i,
        None => {
            // Spread over 900000-999999 by a multiplicative hash: the
            // MMSIs differ mostly in their MID, which a plain remainder
            // mapped onto one IMO number for unrelated vessels.
            let first6 = 900_000 + (((u64::from(mmsi) * 2_654_435_761) >> 16) % 100_000) as u32;
            first6 * 10 + imo_check_digit(first6)
        }
    };
    let mut name = name.to_ascii_uppercase();
    name.truncate(20);
    Ok(Identity {
        mmsi,
        imo,
        name,
        callsign: callsign.into(),
        ship_type,
        length_m,
        beam_m: (f64::from(length_m) * 0.16) as u8,
        draught_dm: (f64::from(length_m) * 0.5).min(250.0) as u8,
        class_b: false,
        service_kn: 12.0,
    })
}

/// A call sign for an invented vessel: the ITU prefix of its flag (`X`
/// when the simulator does not know the MID) and the MMSI's last digits,
/// so no two incident vessels share one by accident.
pub(super) fn callsign(mmsi: u32) -> String {
    let mid = crate::identity::mid(mmsi);
    let prefix = crate::identity::FLAGS
        .iter()
        .find(|(_, mids, _)| mids.contains(&mid))
        .map_or("X", |f| f.2);
    format!("{prefix}{:04}", mmsi % 10_000)
}

pub(super) fn steer(min: f64, course: f64, from_kn: f64, to_kn: f64) -> Step {
    Step::Steer {
        secs: min * 60.0,
        course,
        from_kn,
        to_kn,
    }
}

pub(super) fn dark(min: f64) -> Step {
    Step::Dark { secs: min * 60.0 }
}

/// Distance covered by the `Steer` steps, nautical miles.
pub(super) fn run_nm(steps: &[Step]) -> f64 {
    steps
        .iter()
        .map(|s| match s {
            Step::Steer {
                secs,
                from_kn,
                to_kn,
                ..
            } => (from_kn + to_kn) / 2.0 * secs / 3600.0,
            _ => 0.0,
        })
        .sum()
}

pub(super) struct Ctx<'a> {
    pub inc: &'a Incident,
    pub t0: f64,
}

impl Ctx<'_> {
    pub fn mmsi(&self, default: u32) -> u32 {
        self.inc
            .mmsi
            .unwrap_or(default + u32::from(self.inc.control))
    }

    pub fn name(&self, default: &str) -> String {
        self.inc.name.clone().unwrap_or_else(|| {
            if self.inc.control {
                format!("{default} C")
            } else {
                default.into()
            }
        })
    }

    pub fn script(
        &self,
        identity: Identity,
        dest: &str,
        start: LatLon,
        course: f64,
        steps: Vec<Step>,
    ) -> Script {
        Script {
            identity,
            destination: dest.into(),
            start_s: self.t0,
            start,
            course,
            status: 0,
            steps,
            report_every_s: None,
            station: None,
        }
    }

    pub fn expect(&self, mmsi: Vec<u32>, at: LatLon, from_min: f64, to_min: f64) -> Expectation {
        let s = spec(self.inc.kind);
        Expectation {
            incident: s.name,
            control: self.inc.control,
            mmsi,
            expected_kinds: if self.inc.control {
                s.control_expected
            } else {
                s.expected
            },
            silent_kinds: if self.inc.control {
                s.silent
            } else {
                s.silent_incident
            },
            window: (
                (self.t0 + from_min * 60.0) as i64,
                (self.t0 + to_min * 60.0) as i64,
            ),
            asset: s.asset,
            zone: s.zone,
            at,
            watchlist: self.inc.kind == IncidentKind::Watchlisted && !self.inc.control,
            note: s.note,
        }
    }
}

pub(super) type Built = (Vec<Script>, Expectation);

/// Builds the scripts and expectation of one incident.
pub(super) fn build(inc: &Incident) -> Result<Built, SimError> {
    let c = Ctx {
        inc,
        t0: inc.start_min * 60.0,
    };
    match inc.kind {
        IncidentKind::EagleS => infrastructure::eagle_s(&c),
        IncidentKind::NewnewPolarBear => infrastructure::newnew(&c),
        IncidentKind::YiPeng3 => infrastructure::yi_peng(&c),
        IncidentKind::SvalbardCableTrawler => infrastructure::trawler(&c),
        IncidentKind::NordStreamGap => infrastructure::nord_stream(&c),
        IncidentKind::ResearchVesselTerritorial => territorial::research(&c),
        IncidentKind::CirclingStateVessel => territorial::circling(&c),
        IncidentKind::SpoofedFix | IncidentKind::FixOnLand => deception::false_fix(&c),
        IncidentKind::SharedMmsi => deception::shared(&c),
        IncidentKind::StsRendezvous => deception::sts(&c),
        IncidentKind::Watchlisted => deception::watchlisted(&c),
        IncidentKind::LongAnchorDrag => evasion::long_drag(&c),
        IncidentKind::StationOutage => coverage::station_outage(&c),
        IncidentKind::SatelliteWatersGap => coverage::satellite(&c),
        IncidentKind::GnssSpoofingCircle => interference::spoofing_circle(&c),
        IncidentKind::NoisyLoiter => evasion::noisy_loiter(&c),
        IncidentKind::InternalWatersStateVessel => evasion::internal_waters(&c),
        IncidentKind::RelabelledVessel => evasion::relabelled(&c),
        IncidentKind::DarkStsPartner => laundering::dark_sts(&c),
        IncidentKind::AlternatingTransmitters => laundering::alternating(&c),
        IncidentKind::FlagHop => laundering::flag_hop(&c),
        IncidentKind::PlaceholderMmsi => interference::placeholders(&c),
        IncidentKind::GnssJamming => jamming::gnss_jamming(&c),
    }
}

/// The start of a straight track that reaches `to` on `course` after
/// `nm` nautical miles, following the same constant-course steps the
/// script runner takes (so the track really passes through `to`).
pub(super) fn back(to: LatLon, course: f64, nm: f64) -> LatLon {
    let total = nm * crate::geo::NM_M;
    let n = (total / 500.0).ceil().max(1.0);
    (0..n as usize).fold(to, |p, _| p.step(course + 180.0, total / n))
}
