//! Incidents at critical infrastructure: anchor-drag signatures (Eagle S,
//! Newnew Polar Bear), drifting near a cable (Yi Peng 3), trawling across a
//! cable (Svalbard 2022) and going dark near a pipeline (Nord Stream).

use super::assets::{
    point_at_lat, EUROPIPE_II, LANGELED, SKAGENFIBER_WEST, SKAGERRAK_HVDC, SVALBARD_CABLE,
};
use super::incidents::{dark, ident, run_nm, steer, Built, Ctx};
use crate::geo::{LatLon, NM_M};
use crate::script::Step;
use crate::SimError;

/// Eagle S: westbound tanker (CK flag, MMSI 518998100, 228 m, type 80)
/// crossing the Skagerrak HVDC at 57.80 N (8.40 E).
pub(super) fn eagle_s(c: &Ctx<'_>) -> Result<Built, SimError> {
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
pub(super) fn newnew(c: &Ctx<'_>) -> Result<Built, SimError> {
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
pub(super) fn yi_peng(c: &Ctx<'_>) -> Result<Built, SimError> {
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
pub(super) fn trawler(c: &Ctx<'_>) -> Result<Built, SimError> {
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
    // The incident starts 3 km east of the cable and trawls 6 km legs
    // across it. The control trawls the same legs 7-13 km *west* of it:
    // the schematic Longyearbyen-Harstad cable of the built-in layer runs
    // ~12 km east of this one, so a control on the east side would trawl
    // across a real (schematic) cable and rightly raise an alert.
    let start = if c.inc.control {
        p.destination(axis, 7_000.0)
    } else {
        p.destination(axis + 180.0, 3_000.0)
    };
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
pub(super) fn nord_stream(c: &Ctx<'_>) -> Result<Built, SimError> {
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
    // The gap starts at the last report heard before the dark step, one
    // reporting interval (10 s at 10 kn, Class A) before minute 60: the
    // window opens a minute early to include it.
    let e = c.expect(vec![id.mmsi], p, 59.0, 370.0);
    Ok((
        vec![c.script(id, "ALESUND", g.destination(180.0, 10.0 * NM_M), 0.0, steps)],
        e,
    ))
}
