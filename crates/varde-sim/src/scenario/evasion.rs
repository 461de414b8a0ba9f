//! Incidents that the simple rules let through: an anchor drag that starts
//! long before the cable, loitering with a noisy speed, loitering in
//! internal waters, and a vessel of interest that relabels itself.

use super::assets::{point_at_lat, SKAGERRAK_HVDC};
use super::incidents::{back, callsign, ident, run_nm, steer, Built, Ctx};
use crate::geo::LatLon;
use crate::script::{SpeedNoise, Step};
use crate::SimError;

/// Course of the long drag (west-south-west through the Skagerrak).
const DRAG_COURSE: f64 = 257.0;

/// Long anchor drag: CK tanker (MMSI 518997100, 183 m, type 80) at 11 kn;
/// the anchor goes down 2 h 48 min before the Skagerrak HVDC at 57.65 N
/// (8.58 E): 11 → 6.5 kn in 3 min, course and status unchanged, 6.5 kn for
/// 165 min (17.9 nm, 33 km) to the cable and 45 min beyond, then the
/// anchor is weighed and it makes 11 kn again. Control (MMSI 518997101,
/// 90 m coaster, type 70): 6.5 kn from start to end, crossing the same
/// cable at 57.95 N.
pub(super) fn long_drag(c: &Ctx<'_>) -> Result<Built, SimError> {
    let mmsi = c.mmsi(518_997_100);
    if c.inc.control {
        let p = c
            .inc
            .at
            .unwrap_or_else(|| point_at_lat(SKAGERRAK_HVDC.line, 57.95));
        let id = ident(
            mmsi,
            c.inc.imo,
            &c.name("SLOWBOAT SIM"),
            70,
            90,
            &callsign(mmsi),
        )?;
        let start = back(p, DRAG_COURSE, 6.5 * 3.0);
        let steps = vec![steer(240.0, DRAG_COURSE, 6.5, 6.5)];
        let e = c.expect(vec![mmsi], p, 0.0, 240.0);
        return Ok((vec![c.script(id, "HAMBURG", start, DRAG_COURSE, steps)], e));
    }
    let p = c
        .inc
        .at
        .unwrap_or_else(|| point_at_lat(SKAGERRAK_HVDC.line, 57.65));
    let id = ident(
        mmsi,
        c.inc.imo,
        &c.name("DRAGLINE SIM"),
        80,
        183,
        &callsign(mmsi),
    )?;
    let mut steps = vec![
        steer(60.0, DRAG_COURSE, 11.0, 11.0),
        steer(3.0, DRAG_COURSE, 11.0, 6.5),
        steer(165.0, DRAG_COURSE, 6.5, 6.5),
    ];
    let start = back(p, DRAG_COURSE, run_nm(&steps));
    steps.extend([
        steer(45.0, DRAG_COURSE, 6.5, 6.5),
        steer(3.0, DRAG_COURSE, 6.5, 11.0),
        steer(30.0, DRAG_COURSE, 11.0, 11.0),
    ]);
    // The cable is crossed at minute 228 (the drop began at minute 60):
    // the alert is about the crossing, so it starts within 20 min before
    // it (the 1 nm buffer is entered ~9 min before) or 10 min after.
    let e = c.expect(vec![mmsi], p, 208.0, 238.0);
    Ok((
        vec![c.script(id, "SKAW FOR ORDERS", start, DRAG_COURSE, steps)],
        e,
    ))
}

/// What a drifting ship's GNSS reports: 0.5-1.8 kn, and every 5-8 min a
/// reading of 2.2-2.8 kn; the course wanders ±25°.
pub const DRIFT_NOISE: SpeedNoise = SpeedNoise {
    lo_kn: 0.5,
    hi_kn: 1.8,
    spike_kn: (2.2, 2.8),
    spike_every_s: (300.0, 480.0),
    cog_jitter_deg: 25.0,
};

/// Noisy loiter: RU research vessel (MMSI 273997500, 90 m, type 90, name
/// AKADEMIK ...) enters the territorial sea off Hustadvika at 9 kn from
/// the WNW and drifts (true 1.2 kn to the NNE) for 60 min at 63.08 N
/// 6.60 E, 6 nm inside the limit, with [`DRIFT_NOISE`] on its reported
/// speed; then leaves at 10 kn. Control: the same approach at a steady
/// 10 kn, turning NNE along the coast at the same point.
pub(super) fn noisy_loiter(c: &Ctx<'_>) -> Result<Built, SimError> {
    let p = c.inc.at.unwrap_or(LatLon::new(63.08, 6.60));
    let mmsi = c.mmsi(273_997_500);
    let id = ident(
        mmsi,
        c.inc.imo,
        &c.name("AKADEMIK SHTOKMAN SIM"),
        90,
        90,
        &callsign(mmsi),
    )?;
    let course = 110.0;
    if c.inc.control {
        let head = vec![steer(74.0, course, 10.0, 10.0)];
        let start = back(p, course, run_nm(&head));
        let mut steps = head;
        steps.push(steer(60.0, 20.0, 10.0, 10.0));
        let e = c.expect(vec![mmsi], p, 0.0, 134.0);
        return Ok((vec![c.script(id, "MURMANSK", start, course, steps)], e));
    }
    let mut steps = vec![steer(80.0, course, 9.0, 9.0), steer(4.0, course, 9.0, 1.2)];
    let start = back(p, course, run_nm(&steps));
    steps.extend([
        Step::Noise(Some(DRIFT_NOISE)),
        Step::Drift {
            secs: 3600.0,
            axis: 20.0,
            kn: 1.2,
            leg_s: 0.0,
        },
        Step::Noise(None),
        steer(5.0, 290.0, 1.2, 10.0),
        steer(60.0, 290.0, 10.0, 10.0),
    ]);
    let e = c.expect(vec![mmsi], p, 70.0, 150.0);
    Ok((vec![c.script(id, "MURMANSK", start, course, steps)], e))
}

/// Approach from the west at 10 kn, slow down, drift back and forth
/// (1.2 kn, 15 min legs) for `drift_min`, leave westward at 10 kn.
fn drift_in(p: LatLon, course: f64, approach_min: f64, drift_min: f64) -> (LatLon, Vec<Step>) {
    let mut steps = vec![
        steer(approach_min, course, 10.0, 10.0),
        steer(4.0, course, 10.0, 1.2),
    ];
    let start = back(p, course, run_nm(&steps));
    steps.extend([
        Step::Drift {
            secs: drift_min * 60.0,
            axis: course,
            kn: 1.2,
            leg_s: 900.0,
        },
        steer(5.0, course + 180.0, 1.2, 10.0),
        steer(60.0, course + 180.0, 10.0, 10.0),
    ]);
    (start, steps)
}

/// Internal waters: RU naval research vessel (MMSI 273997600, 95 m, type
/// 35) enters Korsfjorden, the approach to Haakonsvern naval base, from
/// the west along 60.152 N (clear of the islets either side) and drifts
/// 45 min at 60.152 N 5.08 E, inside the baseline (no right of innocent
/// passage) and 15 km from the nearest port. Control: a Norwegian naval
/// research vessel (MMSI 257997601, type 35) doing the same at 5.03 E.
pub(super) fn internal_waters(c: &Ctx<'_>) -> Result<Built, SimError> {
    let default = if c.inc.control {
        LatLon::new(60.152, 5.03)
    } else {
        LatLon::new(60.152, 5.08)
    };
    let p = c.inc.at.unwrap_or(default);
    let (mmsi, name) = if c.inc.control {
        (c.inc.mmsi.unwrap_or(257_997_601), "SVERDRUP SIM")
    } else {
        (c.mmsi(273_997_600), "YANTAR SIM")
    };
    let name = c.inc.name.clone().unwrap_or_else(|| name.into());
    let id = ident(mmsi, c.inc.imo, &name, 35, 95, &callsign(mmsi))?;
    let (start, steps) = drift_in(p, 90.0, 100.0, 45.0);
    // Territorial sea from ~minute 4, internal waters from ~minute 76.
    let e = c.expect(vec![mmsi], p, 0.0, 104.0 + 45.0 + 5.0);
    Ok((vec![c.script(id, "BERGEN", start, 90.0, steps)], e))
}

/// Relabelled vessel: RU naval vessel (MMSI 273997700, 75 m) sends type 5
/// with ship type 35 for 70 min 32 nm west of Træna, then declares type 30
/// (fishing) at sea, 10 nm outside the territorial sea; enters it an hour
/// later and drifts 50 min at 66.50 N 11.80 E, status 0 throughout.
/// Control: a RU fishing vessel (MMSI 273997701, type 30 all along) on the
/// same track 4 nm further north (66.567 N).
pub(super) fn relabelled(c: &Ctx<'_>) -> Result<Built, SimError> {
    let default = if c.inc.control {
        LatLon::new(66.567, 11.80)
    } else {
        LatLon::new(66.50, 11.80)
    };
    let p = c.inc.at.unwrap_or(default);
    let mmsi = c.mmsi(273_997_700);
    let true_type = if c.inc.control { 30 } else { 35 };
    let id = ident(
        mmsi,
        c.inc.imo,
        &c.name("ALTAIR SIM"),
        true_type,
        75,
        &callsign(mmsi),
    )?;
    let (start, mut steps) = drift_in(p, 90.0, 190.0, 50.0);
    // Split the approach at minute 70 and relabel there.
    let mut fishing = id.clone();
    fishing.ship_type = 30;
    steps.splice(
        0..1,
        [
            steer(70.0, 90.0, 10.0, 10.0),
            Step::Identity(Box::new(fishing)),
            steer(120.0, 90.0, 10.0, 10.0),
        ],
    );
    if c.inc.control {
        steps.retain(|s| !matches!(s, Step::Identity(_)));
    }
    // Enters the territorial sea ~minute 134, slow from ~minute 194.
    let e = c.expect(vec![mmsi], p, 125.0, 250.0);
    Ok((vec![c.script(id, "MURMANSK", start, 90.0, steps)], e))
}
