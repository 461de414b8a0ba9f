//! Noise that is not a threat: several vessels' GNSS receivers pulled onto
//! one circle at once (circle spoofing, as in the Gulf of Finland and
//! Finnmark), and transponders with placeholder MMSIs or on fishing gear.

use super::incidents::{back, callsign, ident, steer, Built, Ctx};
use crate::geo::{LatLon, NM_M};
use crate::identity::Identity;
use crate::script::{Script, Spoof, Step};
use crate::SimError;

/// Kirkenes airport (Høybuktmoen), 10 km from the Russian border.
pub const KIRKENES_AIRPORT: LatLon = LatLon::new(69.7256, 29.8913);
/// Vardø airport (Svartnes).
pub const VARDO_AIRPORT: LatLon = LatLon::new(70.355, 31.045);
/// Radius of the spoofed circle, metres (1 nm).
pub const SPOOF_RADIUS_M: f64 = 1852.0;

/// One victim: MMSI, name, ship type, bearing and distance (nm) from the
/// reference point at its onset, course, speed, onset delay (min), bearing
/// of its first spoofed fix from the circle's centre.
type Victim = (u32, &'static str, u8, f64, f64, f64, f64, f64, f64);

const VICTIMS: [Victim; 5] = [
    (
        257_997_401,
        "POLARLYS SIM",
        70,
        0.0,
        0.0,
        270.0,
        12.0,
        0.0,
        0.0,
    ),
    (
        273_997_402,
        "KAPITAN SIM",
        70,
        0.0,
        6.0,
        90.0,
        10.0,
        2.0,
        72.0,
    ),
    (
        636_997_403,
        "NORDIC SIM",
        80,
        225.0,
        5.0,
        315.0,
        13.0,
        4.0,
        144.0,
    ),
    (
        230_997_404,
        "FINNSUN SIM",
        70,
        90.0,
        8.0,
        200.0,
        9.0,
        7.0,
        216.0,
    ),
    (
        538_997_405,
        "MARSHALL SIM",
        74,
        315.0,
        4.0,
        30.0,
        11.0,
        9.0,
        288.0,
    ),
];

/// Minute of the first victim's onset.
const ONSET_MIN: f64 = 45.0;
/// How long each victim is spoofed, minutes.
const SPOOFED_MIN: f64 = 25.0;

/// Circle spoofing: five vessels (NO, RU, LR, FI, MH) under way within
/// 12 nm of 70.95 N 31.40 E, 35 nm north of Vardø. From minute 45, within
/// 9 min, each one's reported position leaves its true track and runs
/// round a 1 nm circle centred on Kirkenes airport (~75 nm away) at its
/// own speed; 25 min later it is back on its true track. The true heading
/// is still reported (it comes from the gyro). Control: a lone vessel
/// (MMSI 257997411) 30 nm north of Berlevåg with one fix on Vardø airport.
pub(super) fn spoofing_circle(c: &Ctx<'_>) -> Result<Built, SimError> {
    if c.inc.control {
        let start = c.inc.at.unwrap_or(LatLon::new(71.3, 30.0));
        let mmsi = c.inc.mmsi.unwrap_or(257_997_411);
        let id = ident(
            mmsi,
            c.inc.imo,
            &c.name("VARANGER SIM"),
            70,
            95,
            &callsign(mmsi),
        )?;
        let steps = vec![
            steer(90.0, 280.0, 12.0, 12.0),
            Step::FalseFix { at: VARDO_AIRPORT },
            steer(90.0, 280.0, 12.0, 12.0),
        ];
        let e = c.expect(vec![mmsi], VARDO_AIRPORT, 89.0, 92.0);
        return Ok((vec![c.script(id, "TROMSO", start, 280.0, steps)], e));
    }
    let p = c.inc.at.unwrap_or(LatLon::new(70.95, 31.40));
    let mut scripts = Vec::new();
    for (i, &(mmsi, name, ship_type, brg, off_nm, course, kn, delay, deg)) in
        VICTIMS.iter().enumerate()
    {
        let mmsi = if i == 0 {
            c.inc.mmsi.unwrap_or(mmsi)
        } else {
            mmsi
        };
        let id = ident(mmsi, None, name, ship_type, 140, &callsign(mmsi))?;
        let onset = ONSET_MIN + delay;
        let q = p.destination(brg, off_nm * NM_M);
        let start = back(q, course, kn * onset / 60.0);
        let spoof = Spoof {
            centre: KIRKENES_AIRPORT,
            radius_m: SPOOF_RADIUS_M,
            start_deg: deg,
        };
        let steps = vec![
            steer(onset, course, kn, kn),
            Step::Spoof(Some(spoof)),
            steer(SPOOFED_MIN, course, kn, kn),
            Step::Spoof(None),
            steer(120.0 - onset - SPOOFED_MIN, course, kn, kn),
        ];
        scripts.push(c.script(id, "MURMANSK", start, course, steps));
    }
    let mmsis = scripts.iter().map(|s| s.identity.mmsi).collect();
    let e = c.expect(mmsis, KIRKENES_AIRPORT, ONSET_MIN - 1.0, ONSET_MIN + 35.0);
    Ok((scripts, e))
}

/// An identity as an unconfigured transponder or a gear buoy sends it: any
/// MMSI (no range check), no IMO number.
fn raw(mmsi: u32, name: &str, ship_type: u8, class_b: bool, length_m: u16) -> Identity {
    Identity {
        mmsi,
        imo: 0,
        name: name.into(),
        callsign: String::new(),
        ship_type,
        length_m,
        beam_m: (length_m / 4).max(1) as u8,
        draught_dm: 0,
        class_b,
        service_kn: 8.0,
    }
}

/// One placeholder transmitter: identity, start, course, speed, minutes.
type Placeholder = (Identity, LatLon, f64, f64, f64);

/// Placeholders: 111111111 on two boats 134 nm apart (Vestfjorden and off
/// Helgeland, Class B), 222222222 (Class A, off Stad), 123456789 (Class B,
/// off Bergen), 000000001 (Class A, off Frøya), two net buoys `NET 12.5V`
/// and `NET 12.4V` (MMSI 045678912/3, Class B, 2.2 km apart, drifting
/// 0.2 kn in the territorial sea off Sørøya for 4 h) and a buoy
/// `BUOY 45%` with a ship-like MMSI (257997945) off Senja. Control: a
/// properly identified Class B fishing boat (MMSI 258997990, type 30)
/// hauling nets at 1 kn for 40 min north of Ingøy, then heading out.
pub(super) fn placeholders(c: &Ctx<'_>) -> Result<Built, SimError> {
    if c.inc.control {
        let start = c.inc.at.unwrap_or(LatLon::new(71.2, 25.0));
        let mmsi = c.inc.mmsi.unwrap_or(258_997_990);
        let mut id = ident(mmsi, None, &c.name("NORDFISK SIM"), 30, 14, &callsign(mmsi))?;
        id.class_b = true;
        id.imo = 0;
        let steps = vec![
            steer(40.0, 270.0, 1.0, 1.0),
            steer(2.0, 330.0, 1.0, 8.0),
            steer(60.0, 330.0, 8.0, 8.0),
        ];
        let e = c.expect(vec![mmsi], start, 0.0, 102.0);
        return Ok((vec![c.script(id, "HAMMERFEST", start, 270.0, steps)], e));
    }
    let net = LatLon::new(70.75, 22.0);
    let list: [Placeholder; 8] = [
        (
            raw(111_111_111, "", 37, true, 10),
            LatLon::new(67.85, 14.2),
            45.0,
            7.0,
            150.0,
        ),
        (
            raw(111_111_111, "", 30, true, 12),
            LatLon::new(66.0, 11.0),
            0.0,
            8.0,
            150.0,
        ),
        (
            raw(222_222_222, "", 70, false, 80),
            LatLon::new(62.3, 4.6),
            20.0,
            10.0,
            150.0,
        ),
        (
            raw(123_456_789, "", 37, true, 9),
            LatLon::new(60.5, 4.4),
            200.0,
            5.0,
            150.0,
        ),
        (
            raw(1, "", 0, false, 60),
            LatLon::new(64.2, 8.5),
            45.0,
            12.0,
            150.0,
        ),
        (
            raw(45_678_912, "NET 12.5V", 0, true, 1),
            net,
            45.0,
            0.2,
            240.0,
        ),
        (
            raw(45_678_913, "NET 12.4V", 0, true, 1),
            net.destination(60.0, 2200.0),
            45.0,
            0.2,
            240.0,
        ),
        (
            raw(257_997_945, "BUOY 45%", 0, true, 1),
            LatLon::new(69.9, 17.6),
            90.0,
            0.1,
            240.0,
        ),
    ];
    let scripts: Vec<Script> = list
        .into_iter()
        .map(|(id, start, course, kn, min)| {
            let steps = vec![Step::Drift {
                secs: min * 60.0,
                axis: course,
                kn,
                leg_s: 0.0,
            }];
            c.script(id, "", start, course, steps)
        })
        .collect();
    let mut mmsis: Vec<u32> = scripts.iter().map(|s| s.identity.mmsi).collect();
    mmsis.dedup();
    let e = c.expect(mmsis, net, 0.0, 240.0);
    Ok((scripts, e))
}
