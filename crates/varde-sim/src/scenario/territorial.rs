//! Incidents in the territorial sea: a foreign research vessel that stops,
//! and a state vessel that circles.
//!
//! Both reference points lie inside the mainland territorial sea of
//! `shared/data/geo/zones/osm_norway_territorial_waters.geojson` (checked
//! in `tests/at_sea.rs`); the tracks enter from the open sea to the west.

use super::incidents::{ident, steer, Built, Ctx};
use crate::geo::{LatLon, NM_M};
use crate::script::Step;
use crate::SimError;

/// Research vessel (RU flag, MMSI 273998600, 104 m, type 35) entering the
/// territorial sea west of Måløy; drift point 61.95 N 4.45 E, about 6 nm
/// inside the 12 nm limit.
pub(super) fn research(c: &Ctx<'_>) -> Result<Built, SimError> {
    let p = c.inc.at.unwrap_or(LatLon::new(61.95, 4.45));
    let id = ident(
        c.mmsi(273_998_600),
        c.inc.imo,
        &c.name("AKADEMIK SIM"),
        35,
        104,
        "UBAK6",
    )?;
    let start = p.destination(270.0, 12.0 * NM_M);
    let steps = if c.inc.control {
        vec![
            steer(72.0, 90.0, 10.0, 10.0),
            steer(60.0, 0.0, 10.0, 10.0),
            steer(60.0, 270.0, 10.0, 10.0),
        ]
    } else {
        vec![
            steer(80.0, 90.0, 9.0, 9.0),
            steer(4.0, 90.0, 9.0, 1.2),
            Step::Drift {
                secs: 45.0 * 60.0,
                axis: 0.0,
                kn: 1.2,
                leg_s: 900.0,
            },
            steer(5.0, 270.0, 1.2, 10.0),
            steer(90.0, 270.0, 10.0, 10.0),
        ]
    };
    let e = c.expect(vec![id.mmsi], p, 0.0, 80.0 + 4.0 + 45.0 + 10.0);
    Ok((vec![c.script(id, "MURMANSK", start, 90.0, steps)], e))
}

/// State vessel (RU flag, MMSI 273998700, 60 m, type 55) circling off
/// Sunnmøre at 62.40 N 5.20 E. Control: Norwegian purse seiner (MMSI
/// 273998701 unless set, type 30) with one 360° set at the same place.
pub(super) fn circling(c: &Ctx<'_>) -> Result<Built, SimError> {
    let p = c.inc.at.unwrap_or(LatLon::new(62.40, 5.20));
    let start = p.destination(270.0, 15.0 * NM_M);
    if c.inc.control {
        let mmsi = c.inc.mmsi.unwrap_or(257_998_701);
        let id = ident(
            mmsi,
            c.inc.imo,
            &c.inc.name.clone().unwrap_or_else(|| "SEINER SIM".into()),
            30,
            70,
            "LCSN7",
        )?;
        let steps = vec![
            steer(100.0, 90.0, 9.0, 9.0),
            steer(3.0, 90.0, 9.0, 3.0),
            Step::Circle {
                secs: 14.0 * 60.0,
                radius_m: 200.0,
                kn: 3.0,
            },
            steer(5.0, 270.0, 3.0, 0.5),
            steer(20.0, 270.0, 0.5, 0.5),
            steer(5.0, 270.0, 0.5, 9.0),
            steer(90.0, 270.0, 9.0, 9.0),
        ];
        let mut s = c.script(id, "ALESUND", start, 90.0, steps);
        s.status = 0;
        let e = c.expect(vec![mmsi], p, 0.0, 240.0);
        return Ok((vec![s], e));
    }
    let id = ident(
        c.mmsi(273_998_700),
        c.inc.imo,
        &c.name("CHIKER SIM"),
        55,
        60,
        "UBCH7",
    )?;
    let steps = vec![
        steer(90.0, 90.0, 10.0, 10.0),
        steer(5.0, 90.0, 10.0, 1.8),
        Step::Circle {
            secs: 330.0 * 60.0,
            radius_m: 400.0,
            kn: 1.8,
        },
        steer(5.0, 270.0, 1.8, 10.0),
        steer(90.0, 270.0, 10.0, 10.0),
    ];
    let e = c.expect(vec![id.mmsi], p, 0.0, 95.0 + 60.0);
    Ok((vec![c.script(id, "MURMANSK", start, 90.0, steps)], e))
}
