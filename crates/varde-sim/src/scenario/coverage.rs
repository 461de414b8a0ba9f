//! Silence that is not going dark: a receiving station that fails (every
//! vessel it carries falls silent at once), and waters heard only on
//! satellite passes.

use super::assets::{point_at_lat, EUROPIPE_II};
use super::incidents::{back, callsign, dark, ident, steer, Built, Ctx};
use crate::geo::{LatLon, NM_M};
use crate::script::Script;
use crate::SimError;

/// Tag-block station of the outage (no background vessel uses it).
pub const OUTAGE_STATION: &str = "2573960";
/// Tag-block station of the control, which keeps delivering.
pub const CONTROL_STATION: &str = "2573961";

/// One vessel of a station's group: MMSI, name, ship type, bearing and
/// distance (nm) from the reference point at the moment the station fails,
/// course, speed.
type Member = (u32, &'static str, u8, f64, f64, f64, f64);

/// The outage: seven vessels under way near Europipe II at 58.50 N, heard
/// only through station 2573960. Minute 60 they are within 4 nm of the
/// pipeline; the station delivers nothing for 75 min; they go on reporting
/// from where dead reckoning puts them. Control: six vessels near the
/// pipeline at 58.90 N on station 2573961; one (MMSI 257997211) is silent
/// minutes 60-120 while the other five keep reporting.
pub(super) fn station_outage(c: &Ctx<'_>) -> Result<Built, SimError> {
    let lat = if c.inc.control { 58.90 } else { 58.50 };
    let p = c
        .inc
        .at
        .unwrap_or_else(|| point_at_lat(EUROPIPE_II.line, lat));
    const OUTAGE: [Member; 7] = [
        (257_997_201, "HAVLYS SIM", 70, 0.0, 2.0, 350.0, 11.0),
        (259_997_202, "BLIKSTAD SIM", 70, 180.0, 3.0, 180.0, 12.0),
        (219_997_203, "KARINA DAN SIM", 80, 90.0, 1.0, 200.0, 10.0),
        (265_997_204, "STENA FOG SIM", 71, 270.0, 2.0, 330.0, 13.0),
        (636_997_205, "LIBRA SIM", 81, 45.0, 4.0, 270.0, 12.0),
        (538_997_206, "ORIENT SIM", 74, 225.0, 4.0, 160.0, 9.0),
        (352_997_207, "PANAMAX SIM", 70, 315.0, 3.0, 320.0, 10.0),
    ];
    const CONTROL: [Member; 6] = [
        (257_997_211, "FJORDVIK SIM", 70, 90.0, 1.0, 190.0, 11.0),
        (259_997_212, "NORDHAV SIM", 70, 0.0, 2.0, 200.0, 12.0),
        (219_997_213, "METTE DAN SIM", 80, 270.0, 2.0, 220.0, 10.0),
        (265_997_214, "BIRKA SIM", 71, 135.0, 3.0, 180.0, 13.0),
        (636_997_215, "AQUILA SIM", 81, 315.0, 3.0, 250.0, 12.0),
        (538_997_216, "EASTERN SIM", 74, 200.0, 4.0, 160.0, 9.0),
    ];
    let members: &[Member] = if c.inc.control { &CONTROL } else { &OUTAGE };
    let station = if c.inc.control {
        CONTROL_STATION
    } else {
        OUTAGE_STATION
    };
    let mut scripts = Vec::new();
    for (i, &(mmsi, name, ship_type, brg, off_nm, course, kn)) in members.iter().enumerate() {
        let mmsi = if i == 0 {
            c.inc.mmsi.unwrap_or(mmsi)
        } else {
            mmsi
        };
        let id = ident(mmsi, None, name, ship_type, 120, &callsign(mmsi))?;
        let q = p.destination(brg, off_nm * NM_M);
        let start = back(q, course, kn);
        let quiet = if c.inc.control { i == 0 } else { true };
        let steps = if quiet {
            let silent = if c.inc.control { 60.0 } else { 75.0 };
            vec![
                steer(60.0, course, kn, kn),
                dark(silent),
                steer(60.0, course, kn, kn),
            ]
        } else {
            vec![steer(180.0, course, kn, kn)]
        };
        let mut s = c.script(id, "ROTTERDAM", start, course, steps);
        s.station = Some(station.into());
        scripts.push(s);
    }
    let e = if c.inc.control {
        // The gap starts at the last report before minute 60 (10 s before).
        c.expect(vec![scripts[0].identity.mmsi], p, 59.0, 125.0)
    } else {
        let mmsis = scripts.iter().map(|s| s.identity.mmsi).collect();
        c.expect(mmsis, p, 0.0, 195.0)
    };
    Ok((scripts, e))
}

/// Satellite waters: a RU cargo ship (MMSI 273997300, type 70) northbound
/// at 10 kn along 33.5 E from 75.3 N (control 35.0 E from 75.2 N), about
/// 120 nm from Hopen and 300 nm from the mainland. Each satellite pass
/// hears it three times, 2 min apart; the lines carry no station (`s:`)
/// tag, as an aggregated feed delivers them. Incident: one pass, then
/// 7 h 12 min of silence, then a pass. Control: passes every 90 min with
/// one missed (a 2.5 h silence).
pub(super) fn satellite(c: &Ctx<'_>) -> Result<Built, SimError> {
    let default = if c.inc.control {
        LatLon::new(75.2, 35.0)
    } else {
        LatLon::new(75.3, 33.5)
    };
    let start = c.inc.at.unwrap_or(default);
    let id = ident(
        c.mmsi(273_997_300),
        c.inc.imo,
        &c.name("POLARNYY SIM"),
        70,
        130,
        &callsign(c.mmsi(273_997_300)),
    )?;
    let pass = || steer(6.0, 0.0, 10.0, 10.0);
    let steps = if c.inc.control {
        vec![
            pass(),
            dark(84.0),
            pass(),
            dark(148.0),
            pass(),
            dark(84.0),
            pass(),
        ]
    } else {
        vec![pass(), dark(430.0), pass()]
    };
    let mut s: Script = c.script(id, "LONGYEARBYEN", start, 0.0, steps);
    s.report_every_s = Some(120.0);
    s.station = Some(String::new());
    let e = if c.inc.control {
        c.expect(vec![s.identity.mmsi], start, 0.0, 340.0)
    } else {
        // The gap starts at the last report of the first pass (minute 4).
        c.expect(vec![s.identity.mmsi], start, 3.0, 442.0)
    };
    Ok((vec![s], e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{Incident, IncidentKind};
    use crate::script::Step;

    #[test]
    fn the_outage_group_shares_one_station_and_the_same_silence() {
        let inc = Incident::new(IncidentKind::StationOutage, false);
        let (scripts, e) = super::super::incidents::build(&inc).unwrap();
        assert_eq!(scripts.len(), 7);
        assert_eq!(e.mmsi.len(), 7);
        for s in &scripts {
            assert_eq!(s.station.as_deref(), Some(OUTAGE_STATION));
            assert!(matches!(s.steps[1], Step::Dark { secs } if secs == 4500.0));
        }
    }
}
