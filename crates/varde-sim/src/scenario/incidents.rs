//! One builder per incident kind: the scripted track, its negative control
//! and the expected outcome. Reference points and identities are
//! documented on each builder; every MMSI is invented (correct MID, not a
//! real ship), every IMO number invented with a valid check digit.

use super::assets::{
    point_at_lat, EUROPIPE_II, LANGELED, SKAGENFIBER_WEST, SKAGERRAK_HVDC, SVALBARD_CABLE,
};
use super::{deception, territorial, Expectation, Incident, IncidentKind};
use crate::geo::{LatLon, NM_M};
use crate::identity::{imo_check_digit, imo_is_valid, Identity};
use crate::script::{Script, Step};
use crate::SimError;

/// Fixed facts of an incident kind.
pub(super) struct Spec {
    pub name: &'static str,
    expected: &'static [&'static str],
    control_expected: &'static [&'static str],
    silent: &'static [&'static str],
    asset: Option<&'static str>,
    zone: Option<&'static str>,
    note: &'static str,
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
    &SPECS[IncidentKind::ALL
        .iter()
        .position(|k| *k == kind)
        .unwrap_or(0)]
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
            let first6 = 970_000 + mmsi % 29_999;
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
            silent_kinds: if self.inc.control { s.silent } else { &[] },
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
        IncidentKind::EagleS => eagle_s(&c),
        IncidentKind::NewnewPolarBear => newnew(&c),
        IncidentKind::YiPeng3 => yi_peng(&c),
        IncidentKind::SvalbardCableTrawler => trawler(&c),
        IncidentKind::NordStreamGap => nord_stream(&c),
        IncidentKind::ResearchVesselTerritorial => territorial::research(&c),
        IncidentKind::CirclingStateVessel => territorial::circling(&c),
        IncidentKind::SpoofedFix | IncidentKind::FixOnLand => deception::false_fix(&c),
        IncidentKind::SharedMmsi => deception::shared(&c),
        IncidentKind::StsRendezvous => deception::sts(&c),
        IncidentKind::Watchlisted => deception::watchlisted(&c),
    }
}

/// Eagle S: westbound tanker (CK flag, MMSI 518998100, 228 m, type 80)
/// crossing the Skagerrak HVDC at 57.80 N (8.40 E).
fn eagle_s(c: &Ctx<'_>) -> Result<Built, SimError> {
    let p = c
        .inc
        .at
        .unwrap_or_else(|| point_at_lat(SKAGERRAK_HVDC.line, 57.80));
    let id = ident(
        c.mmsi(518_998_100),
        c.inc.imo,
        &c.name("EAGLE SIM"),
        80,
        228,
        "E5ES1",
    )?;
    let approach = vec![
        steer(60.0, 270.0, 8.5, 8.5),
        steer(5.0, 270.0, 8.5, 6.3),
        steer(25.0, 270.0, 6.3, 6.3),
        steer(3.0, 270.0, 6.3, 0.6),
    ];
    let to_p = run_nm(&approach) + 0.6 * 4.0 / 60.0;
    let start = p.destination(90.0, to_p * NM_M);
    let steps = if c.inc.control {
        vec![steer(311.0, 270.0, 8.5, 8.5)]
    } else {
        let mut s = approach;
        s.extend([
            steer(8.0, 270.0, 0.6, 0.6),
            dark(90.0),
            Step::Jump {
                to: p.destination(270.0, 7.0 * NM_M),
            },
            steer(120.0, 270.0, 7.5, 7.5),
        ]);
        s
    };
    let e = c.expect(
        vec![id.mmsi],
        p,
        60.0,
        60.0 + 5.0 + 25.0 + 3.0 + 8.0 + 90.0 + 10.0,
    );
    Ok((vec![c.script(id, "SKAW", start, 270.0, steps)], e))
}

/// Newnew Polar Bear: westbound container ship (HK flag, MMSI 477998200,
/// 169 m, type 71) crossing Europipe II at 58.20 N.
fn newnew(c: &Ctx<'_>) -> Result<Built, SimError> {
    let p = c
        .inc
        .at
        .unwrap_or_else(|| point_at_lat(EUROPIPE_II.line, 58.20));
    let id = ident(
        c.mmsi(477_998_200),
        c.inc.imo,
        &c.name("NEWNEW SIM"),
        71,
        169,
        "VRNP1",
    )?;
    let head = vec![
        steer(60.0, 270.0, 11.0, 11.0),
        steer(1.0, 270.0, 11.0, 9.5),
        steer(2.5, 270.0, 9.5, 9.5),
    ];
    let offset_nm = if c.inc.control { 25_000.0 / NM_M } else { 0.0 };
    let start = p.destination(90.0, (run_nm(&head) + offset_nm) * NM_M);
    let steps = vec![
        steer(60.0, 270.0, 11.0, 11.0),
        steer(1.0, 270.0, 11.0, 9.5),
        steer(5.0, 270.0, 9.5, 9.5),
        steer(1.0, 270.0, 9.5, 11.0),
        steer(120.0, 270.0, 11.0, 11.0),
    ];
    let e = c.expect(vec![id.mmsi], p, 60.0, 70.0);
    Ok((vec![c.script(id, "ROTTERDAM", start, 270.0, steps)], e))
}

/// Yi Peng 3: bulk carrier (CN flag, MMSI 413998300, 225 m, type 70)
/// drifting at Skagenfiber West, 58.30 N 9.90 E (control 58.30 N 9.40 E).
fn yi_peng(c: &Ctx<'_>) -> Result<Built, SimError> {
    let default = if c.inc.control {
        LatLon::new(58.30, 9.40)
    } else {
        point_at_lat(SKAGENFIBER_WEST.line, 58.30)
    };
    let p = c.inc.at.unwrap_or(default);
    let id = ident(
        c.mmsi(413_998_300),
        c.inc.imo,
        &c.name("YI PENG SIM"),
        70,
        225,
        "BPYP3",
    )?;
    let d0 = p.destination(270.0, 0.7 * NM_M);
    let drift = |m: f64| Step::Drift {
        secs: m * 60.0,
        axis: 270.0,
        kn: 2.0,
        leg_s: 600.0,
    };
    let head = vec![steer(60.0, 270.0, 10.0, 10.0), steer(4.0, 270.0, 10.0, 2.0)];
    let start = d0.destination(90.0, run_nm(&head) * NM_M);
    let mut steps = head;
    steps.extend([
        drift(20.0),
        dark(25.0),
        drift(20.0),
        dark(20.0),
        drift(20.0),
        steer(6.0, 250.0, 2.0, 10.0),
        steer(90.0, 250.0, 10.0, 10.0),
    ]);
    let e = c.expect(vec![id.mmsi], p, 64.0, 64.0 + 105.0 + 10.0);
    Ok((vec![c.script(id, "SKAW", start, 270.0, steps)], e))
}

/// Svalbard cable: Russian trawler (MMSI 273998400, 50 m, type 30, status
/// 7) on the cable at 76.70 N on the slope west of Bjørnøya–Svalbard.
fn trawler(c: &Ctx<'_>) -> Result<Built, SimError> {
    let p = c
        .inc
        .at
        .unwrap_or_else(|| point_at_lat(SVALBARD_CABLE.line, 76.70));
    let id = ident(
        c.mmsi(273_998_400),
        c.inc.imo,
        &c.name("MELKART SIM"),
        30,
        50,
        "UBMK5",
    )?;
    let axis =
        (SVALBARD_CABLE.line[1].bearing_deg(SVALBARD_CABLE.line[2]) + 90.0).rem_euclid(360.0);
    let back_m = if c.inc.control { 13_000.0 } else { 3_000.0 };
    let start = p.destination(axis + 180.0, back_m);
    let steps = vec![Step::Zigzag {
        secs: 12.0 * 3600.0,
        axis,
        leg_m: 6000.0,
        kn: 4.0,
        skew: 4.0,
    }];
    let mut s = c.script(id, "TROMSO", start, axis, steps);
    s.status = 7;
    let e = c.expect(vec![s.identity.mmsi], p, 0.0, 6.0 * 60.0);
    Ok((vec![s], e))
}

/// Nord Stream: cargo ship (PA flag, MMSI 352998500, 110 m, type 70) goes
/// silent 5 nm south-east of Langeled at 61.80 N; control at 77.0 N 31.0 E.
fn nord_stream(c: &Ctx<'_>) -> Result<Built, SimError> {
    let p = c
        .inc
        .at
        .unwrap_or_else(|| point_at_lat(LANGELED.line, 61.80));
    let id = ident(
        c.mmsi(352_998_500),
        c.inc.imo,
        &c.name("NORD SIM"),
        70,
        110,
        "3ENS5",
    )?;
    if c.inc.control {
        let start = c.inc.at.unwrap_or(LatLon::new(77.0, 31.0));
        let steps = vec![
            steer(200.0, 0.0, 10.0, 10.0),
            dark(100.0),
            steer(200.0, 0.0, 10.0, 10.0),
        ];
        let mut s = c.script(id, "LONGYEARBYEN", start, 0.0, steps);
        s.report_every_s = Some(5400.0);
        s.station = Some("rNORSAT3".into());
        let e = c.expect(vec![s.identity.mmsi], start, 0.0, 500.0);
        return Ok((vec![s], e));
    }
    let g = p.destination(140.0, 5.0 * NM_M);
    let steps = vec![
        steer(60.0, 0.0, 10.0, 10.0),
        dark(300.0),
        Step::Jump {
            to: g.destination(0.0, 40.0 * NM_M),
        },
        steer(60.0, 0.0, 10.0, 10.0),
    ];
    let e = c.expect(vec![id.mmsi], p, 60.0, 370.0);
    Ok((
        vec![c.script(id, "ALESUND", g.destination(180.0, 10.0 * NM_M), 0.0, steps)],
        e,
    ))
}
