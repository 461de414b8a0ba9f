//! Hiding who is where: a ship-to-ship meeting with one tanker dark, one
//! MMSI used by two transmitters taking turns, and a flag hop at sea.

use super::incidents::{back, callsign, dark, ident, run_nm, steer, Built, Ctx};
use crate::geo::{LatLon, KN_MS};
use crate::script::Step;
use crate::SimError;

/// Axis of the pair's drift.
const DRIFT_AXIS: f64 = 45.0;
/// Speed of the pair's drift, knots.
const DRIFT_KN: f64 = 0.3;

fn drift(min: f64) -> Step {
    Step::Drift {
        secs: min * 60.0,
        axis: DRIFT_AXIS,
        kn: DRIFT_KN,
        leg_s: 0.0,
    }
}

/// Dark STS partner: tanker B (PA, MMSI 352997810) drifts 0.3 kn for
/// 4.5 h at 68.90 N 11.50 E, 50 nm west of Lofoten and far from any port;
/// tanker A (LR, MMSI 636997800) arrives from the west at minute 70 and
/// lies 80 m beside it, heard for 5 min, silent for 150 min (drifting with
/// B), heard again beside it for 10 min, then leaves westward at 11 kn.
/// Control (B 352997811 at 67.00 N 8.50 E, A 636997801): A is heard 5 min
/// beside B, falls silent and sails off south-south-west at 9 kn, and is
/// heard again 40 km away.
pub(super) fn dark_sts(c: &Ctx<'_>) -> Result<Built, SimError> {
    let default = if c.inc.control {
        LatLon::new(67.0, 8.5)
    } else {
        LatLon::new(68.9, 11.5)
    };
    let pb = c.inc.at.unwrap_or(default);
    let (ma, mb) = (c.mmsi(636_997_800), c.mmsi(352_997_810));
    let a_id = ident(
        ma,
        c.inc.imo,
        &c.name("CALYPSO SIM A"),
        80,
        183,
        &callsign(ma),
    )?;
    let b_id = ident(mb, None, &c.name("CALYPSO SIM B"), 80, 250, &callsign(mb))?;
    let b_steps = vec![
        drift(270.0),
        steer(5.0, 180.0, DRIFT_KN, 11.0),
        steer(30.0, 180.0, 11.0, 11.0),
    ];
    let arrive_min = 70.0;
    let b_then = pb.step(DRIFT_AXIS, DRIFT_KN * KN_MS * arrive_min * 60.0);
    let at = b_then.destination(DRIFT_AXIS - 90.0, 80.0);
    let mut a_steps = vec![
        steer(60.0, 90.0, 11.0, 11.0),
        steer(10.0, 90.0, 11.0, DRIFT_KN),
    ];
    let a_start = back(at, 90.0, run_nm(&a_steps));
    a_steps.push(drift(5.0));
    if c.inc.control {
        a_steps.extend([
            Step::Mute(true),
            steer(4.0, 200.0, DRIFT_KN, 9.0),
            steer(146.0, 200.0, 9.0, 9.0),
            Step::Mute(false),
            steer(30.0, 200.0, 9.0, 9.0),
        ]);
    } else {
        a_steps.extend([
            dark(150.0),
            drift(10.0),
            steer(5.0, 270.0, DRIFT_KN, 11.0),
            steer(60.0, 270.0, 11.0, 11.0),
        ]);
    }
    let a = c.script(a_id, "FOR ORDERS", a_start, 90.0, a_steps);
    let b = c.script(b_id, "FOR ORDERS", pb, DRIFT_AXIS, b_steps);
    let e = if c.inc.control {
        c.expect(vec![ma, mb], pb, 0.0, 305.0)
    } else {
        // A is below 2 kn beside B from about minute 68.
        c.expect(vec![ma, mb], pb, 60.0, 240.0)
    };
    Ok((vec![a, b], e))
}

/// Alternating transmitters: one identity (BZ tanker, MMSI 312997900)
/// sent by a transmitter northbound at 11 kn off Stad (63.30 N 6.00 E)
/// and by another 86 nm away off Vikna (64.50 N 7.80 E), same course and
/// speed; they take turns every 10 min for 2 h (each silent while the other
/// speaks, each track consistent in itself). Control: the first ship only,
/// with its own MMSI (312997901).
pub(super) fn alternating(c: &Ctx<'_>) -> Result<Built, SimError> {
    let a0 = c.inc.at.unwrap_or(LatLon::new(63.30, 6.00));
    let b0 = LatLon::new(a0.lat + 1.2, a0.lon + 1.8);
    let mmsi = c.mmsi(312_997_900);
    let id = ident(
        mmsi,
        c.inc.imo,
        &c.name("SEA PEARL SIM"),
        80,
        160,
        &callsign(mmsi),
    )?;
    let leg = || steer(10.0, 10.0, 11.0, 11.0);
    if c.inc.control {
        let a = c.script(
            id,
            "MONGSTAD",
            a0,
            10.0,
            vec![steer(120.0, 10.0, 11.0, 11.0)],
        );
        let e = c.expect(vec![mmsi], a0, 0.0, 120.0);
        return Ok((vec![a], e));
    }
    let turns = |first_on: bool| {
        let mut v = Vec::new();
        for i in 0..12 {
            v.push(Step::Mute((i % 2 == 0) != first_on));
            v.push(leg());
        }
        v
    };
    let a = c.script(id.clone(), "MONGSTAD", a0, 10.0, turns(true));
    let b = c.script(id, "MONGSTAD", b0, 10.0, turns(false));
    let e = c.expect(vec![mmsi], b0, 9.0, 45.0);
    Ok((vec![a, b], e))
}

/// Flag hop: CK tanker (MMSI 518997950, "ARCTIC MIST SIM") westbound at
/// 12 kn 50 nm north of Sørøya; after 60 min its transponder sends a new
/// identity: Gabon MMSI 626997950, name "GABON STAR SIM", new call sign,
/// same IMO number, same track, type 5 at once. Control: tanker 518997951
/// ends its track 50 nm further north-east; 2 min later an unrelated
/// tanker (626997951, other IMO) starts 60 nm west of that point.
pub(super) fn flag_hop(c: &Ctx<'_>) -> Result<Built, SimError> {
    let course = 250.0;
    let old_mmsi = c.mmsi(518_997_950);
    let new_mmsi = 626_997_950 + u32::from(c.inc.control);
    let old = ident(
        old_mmsi,
        c.inc.imo,
        &c.name("ARCTIC MIST SIM"),
        80,
        228,
        &callsign(old_mmsi),
    )?;
    if c.inc.control {
        let s1 = c.inc.at.unwrap_or(LatLon::new(72.3, 24.0));
        let other = ident(
            new_mmsi,
            None,
            "GABON STAR SIM C",
            80,
            228,
            &callsign(new_mmsi),
        )?;
        let end1 = s1.step(course, 12.0 * crate::geo::NM_M);
        let s2 = end1.destination(270.0, 60.0 * crate::geo::NM_M);
        let a = c.script(
            old,
            "MURMANSK",
            s1,
            course,
            vec![steer(60.0, course, 12.0, 12.0)],
        );
        let mut b = c.script(
            other,
            "LOME",
            s2,
            course,
            vec![steer(90.0, course, 12.0, 12.0)],
        );
        b.start_s += 62.0 * 60.0;
        let e = c.expect(vec![old_mmsi, new_mmsi], s2, 0.0, 152.0);
        return Ok((vec![a, b], e));
    }
    let start = c.inc.at.unwrap_or(LatLon::new(71.6, 21.5));
    let new = ident(
        new_mmsi,
        Some(old.imo),
        "GABON STAR SIM",
        80,
        228,
        &callsign(new_mmsi),
    )?;
    let steps = vec![
        steer(60.0, course, 12.0, 12.0),
        Step::Identity(Box::new(new)),
        steer(90.0, course, 12.0, 12.0),
    ];
    let e = c.expect(vec![new_mmsi], start, 59.0, 90.0);
    Ok((vec![c.script(old, "MURMANSK", start, course, steps)], e))
}
