//! Deception and evasion: false fixes (spoofing), a shared MMSI, a
//! ship-to-ship rendezvous far from any anchorage, a watch-listed vessel.

use super::incidents::{ident, steer, Built, Ctx};
use crate::geo::{LatLon, NM_M};
use crate::identity::Identity;
use crate::scenario::IncidentKind;
use crate::script::{Script, Step};
use crate::SimError;

/// Galdhøpiggen, Jotunheimen: well inland, 2 469 m above sea level.
pub const JOTUNHEIMEN: LatLon = LatLon::new(61.636, 8.312);

/// Spoofed fix / fix on land: Norwegian coaster (MMSI 257998800 or
/// 258998900, 90 m, type 70) northbound on the lane off Sotra (spoof) or
/// off Florø (on land); 30 min in, one report is false.
pub(super) fn false_fix(c: &Ctx<'_>) -> Result<Built, SimError> {
    let on_land = c.inc.kind == IncidentKind::FixOnLand;
    let (default_mmsi, name, start, course) = if on_land {
        (258_998_900, "FJORDLAND SIM", LatLon::new(61.35, 4.47), 15.0)
    } else {
        (257_998_800, "COASTER SIM", LatLon::new(60.30, 4.62), 355.0)
    };
    let start = c.inc.at.unwrap_or(start);
    let id = ident(
        c.mmsi(default_mmsi),
        c.inc.imo,
        &c.name(name),
        70,
        90,
        "LCOS8",
    )?;
    let true_pos = start.destination(course, 6.0 * NM_M);
    let fake = if on_land {
        JOTUNHEIMEN
    } else {
        LatLon::new(true_pos.lat + 0.5, true_pos.lon)
    };
    let mut steps = vec![steer(30.0, course, 12.0, 12.0)];
    if !c.inc.control {
        steps.push(Step::FalseFix { at: fake });
    }
    steps.push(steer(60.0, course, 12.0, 12.0));
    let e = c.expect(vec![id.mmsi], fake, 30.0, 32.0);
    Ok((vec![c.script(id, "TRONDHEIM", start, course, steps)], e))
}

/// Shared MMSI: cargo ship (NO flag, MMSI 259998000, 120 m, type 70) off
/// Bergen, and from 10 min later the same identity 300 nm away (bearing
/// 30°) off Helgeland. Control: the second ship has MMSI + 1.
pub(super) fn shared(c: &Ctx<'_>) -> Result<Built, SimError> {
    let a0 = c.inc.at.unwrap_or(LatLon::new(60.40, 4.60));
    let mmsi = c
        .inc
        .mmsi
        .unwrap_or(259_998_000 + 2 * u32::from(c.inc.control));
    let id = ident(
        mmsi,
        c.inc.imo,
        &c.inc.name.clone().unwrap_or_else(|| "TWIN SIM".into()),
        70,
        120,
        "LCTW9",
    )?;
    let mut twin = id.clone();
    if c.inc.control {
        twin = ident(mmsi + 1, None, "TWIN SIM OTHER", 70, 120, "LCTW8")?;
    }
    let b0 = a0.destination(30.0, 300.0 * NM_M);
    let a = c.script(
        id,
        "TRONDHEIM",
        a0,
        355.0,
        vec![steer(120.0, 355.0, 12.0, 12.0)],
    );
    let mut b = c.script(twin, "BODO", b0, 0.0, vec![steer(110.0, 0.0, 12.0, 12.0)]);
    b.start_s += 600.0;
    let e = c.expect(
        if c.inc.control {
            vec![mmsi, mmsi + 1]
        } else {
            vec![mmsi]
        },
        b0,
        10.0,
        12.0,
    );
    Ok((vec![a, b], e))
}

fn tanker(c: &Ctx<'_>, mmsi: u32, name: &str, callsign: &str) -> Result<Identity, SimError> {
    ident(
        mmsi,
        if mmsi == c.mmsi(0) { c.inc.imo } else { None },
        name,
        80,
        183,
        callsign,
    )
}

/// Ship-to-ship rendezvous: tankers A (LR, MMSI 636998100) and B (PA,
/// MMSI 352998110) meet at 71.50 N 26.50 E, 80 m apart, and drift together
/// at 0.4 kn for 3 h. Control: the same pair anchored (status 1) in
/// Honningsvåg port at 70.975 N 25.945 E.
pub(super) fn sts(c: &Ctx<'_>) -> Result<Built, SimError> {
    let (ma, mb) = (c.mmsi(636_998_100), c.mmsi(352_998_110));
    let a_id = tanker(c, ma, &c.name("SHADOW SIM A"), "5LSA1")?;
    let b_id = tanker(c, mb, &c.name("SHADOW SIM B"), "3ESB1")?;
    if c.inc.control {
        let p = c.inc.at.unwrap_or(LatLon::new(70.975, 25.945));
        let drift = || {
            vec![Step::Drift {
                secs: 3.0 * 3600.0,
                axis: 45.0,
                kn: 0.1,
                leg_s: 0.0,
            }]
        };
        let mut a = c.script(a_id, "HONNINGSVAG", p, 45.0, drift());
        let mut b = c.script(b_id, "HONNINGSVAG", p.destination(0.0, 80.0), 45.0, drift());
        a.status = 1;
        b.status = 1;
        let e = c.expect(vec![ma, mb], p, 0.0, 180.0);
        return Ok((vec![a, b], e));
    }
    let p = c.inc.at.unwrap_or(LatLon::new(71.50, 26.50));
    let drift = Step::Drift {
        secs: 3.0 * 3600.0,
        axis: 90.0,
        kn: 0.4,
        leg_s: 0.0,
    };
    let head_a = vec![steer(50.0, 90.0, 10.0, 10.0), steer(10.0, 90.0, 10.0, 0.4)];
    let head_b = vec![
        steer(50.0, 270.0, 11.0, 11.0),
        steer(10.0, 270.0, 11.0, 0.4),
    ];
    let pb = p.destination(0.0, 80.0);
    let a_start = p.destination(270.0, super::incidents::run_nm(&head_a) * NM_M);
    let b_start = pb.destination(90.0, super::incidents::run_nm(&head_b) * NM_M);
    let tail = |course: f64| {
        [
            steer(10.0, course, 0.4, 11.0),
            steer(60.0, course, 11.0, 11.0),
        ]
    };
    let mut sa = head_a;
    sa.push(drift.clone());
    sa.extend(tail(270.0));
    let mut sb = head_b;
    sb.push(drift);
    sb.extend(tail(90.0));
    // The rule (both < 2 kn, <= 250 m apart) is met during the final
    // slow-down, before the drift step: A is below 2 kn from minute 58.3,
    // B from 58.5, then ~140 m apart. The window opens with that slow-down
    // (minute 50), not with the drift.
    let e = c.expect(vec![ma, mb], p, 50.0, 60.0 + 180.0);
    Ok((
        vec![
            c.script(a_id, "FOR ORDERS", a_start, 90.0, sa),
            c.script(b_id, "FOR ORDERS", b_start, 270.0, sb),
        ],
        e,
    ))
}

/// Watch-listed tanker (LR flag, MMSI 636998200, 183 m, type 80) east-bound
/// off Sørøya at 70.90 N 22.30 E; the control is an unlisted sister.
pub(super) fn watchlisted(c: &Ctx<'_>) -> Result<Built, SimError> {
    let start = c.inc.at.unwrap_or(LatLon::new(70.90, 22.30));
    let id = tanker(
        c,
        c.mmsi(636_998_200),
        &c.name(if c.inc.control {
            "UNLISTED SIM"
        } else {
            "SANCTIONED SIM"
        }),
        "5LWL2",
    )?;
    let course = start.bearing_deg(LatLon::new(71.05, 23.60));
    let s: Script = c.script(
        id,
        "MURMANSK",
        start,
        course,
        vec![steer(120.0, course, 12.0, 12.0)],
    );
    let e = c.expect(vec![s.identity.mmsi], start, 0.0, 5.0);
    Ok((vec![s], e))
}
