//! GNSS jamming off Finnmark: several vessels' receivers lose their fix at
//! once while their transponders keep transmitting (position unavailable,
//! lat 91° / lon 181°), as reported around Vardø and Kirkenes since 2017.

use super::incidents::{back, callsign, ident, steer, Built, Ctx};
use crate::geo::{LatLon, NM_M};
use crate::script::Step;
use crate::SimError;

/// One victim: MMSI, name, ship type, bearing and distance (nm) from the
/// reference point at its onset, course, speed, onset delay (min).
type Victim = (u32, &'static str, u8, f64, f64, f64, f64, f64);

const VICTIMS: [Victim; 5] = [
    (257_997_911, "VARDOEY SIM", 30, 0.0, 0.0, 20.0, 9.0, 0.0),
    (259_997_912, "HAVILA SIM", 60, 250.0, 4.0, 0.0, 13.0, 1.0),
    (273_997_913, "MURMAN SIM", 30, 110.0, 6.0, 60.0, 8.0, 2.5),
    (258_997_914, "BARENTS SIM", 70, 30.0, 7.0, 350.0, 11.0, 3.5),
    (636_997_915, "KOLA SIM", 80, 160.0, 5.0, 45.0, 12.0, 5.0),
];

/// Minute of the first victim's onset.
const ONSET_MIN: f64 = 20.0;
/// How long each victim is without a fix, minutes.
const JAMMED_MIN: f64 = 40.0;
/// Length of each victim's script, minutes.
const TOTAL_MIN: f64 = 110.0;

/// Jamming: five vessels (NO fishing, NO passenger, RU fishing, NO cargo,
/// LR tanker) under way within 7 nm of 70.38 N 31.45 E, 4-8 nm east of
/// Vardø. From minute 20, within 5 min, each one's reports turn to
/// position unavailable (speed and course too; the gyro heading and the
/// status stay) for 40 min while it sails on, then its fixes return on its
/// true track. Control: a lone vessel (MMSI 257997921) 30 nm north of
/// Berlevåg whose receiver fails the same way for 40 min.
pub(super) fn gnss_jamming(c: &Ctx<'_>) -> Result<Built, SimError> {
    if c.inc.control {
        let start = c.inc.at.unwrap_or(LatLon::new(71.2, 28.5));
        let mmsi = c.inc.mmsi.unwrap_or(257_997_921);
        let id = ident(
            mmsi,
            c.inc.imo,
            &c.name("BERLEVAAG SIM"),
            30,
            45,
            &callsign(mmsi),
        )?;
        let steps = vec![
            steer(ONSET_MIN, 80.0, 10.0, 10.0),
            Step::GnssLost(true),
            steer(JAMMED_MIN, 80.0, 10.0, 10.0),
            Step::GnssLost(false),
            steer(TOTAL_MIN - ONSET_MIN - JAMMED_MIN, 80.0, 10.0, 10.0),
        ];
        let e = c.expect(vec![mmsi], start, 0.0, TOTAL_MIN);
        return Ok((vec![c.script(id, "BATSFJORD", start, 80.0, steps)], e));
    }
    let p = c.inc.at.unwrap_or(LatLon::new(70.38, 31.45));
    let mut scripts = Vec::new();
    for (i, &(mmsi, name, ship_type, brg, off_nm, course, kn, delay)) in VICTIMS.iter().enumerate()
    {
        let mmsi = if i == 0 {
            c.inc.mmsi.unwrap_or(mmsi)
        } else {
            mmsi
        };
        let id = ident(mmsi, None, name, ship_type, 60, &callsign(mmsi))?;
        let onset = ONSET_MIN + delay;
        let q = p.destination(brg, off_nm * NM_M);
        let start = back(q, course, kn * onset / 60.0);
        let steps = vec![
            steer(onset, course, kn, kn),
            Step::GnssLost(true),
            steer(JAMMED_MIN, course, kn, kn),
            Step::GnssLost(false),
            steer(TOTAL_MIN - onset - JAMMED_MIN, course, kn, kn),
        ];
        scripts.push(c.script(id, "VARDO", start, course, steps));
    }
    let mmsis = scripts.iter().map(|s| s.identity.mmsi).collect();
    let e = c.expect(mmsis, p, ONSET_MIN - 1.0, ONSET_MIN + 10.0);
    Ok((scripts, e))
}
