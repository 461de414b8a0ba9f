//! gpsd JSON of the position-bearing messages: types 1–4, 9, 11, 17, 18,
//! 19, 21 and 27.
//!
//! Scaled output prints 1/10000-minute positions as degrees with 7
//! decimals, courses with one decimal, and legends for special values, as
//! the gpsd test corpus shows.

use super::{tables, write_data, write_lon_lat, JsonWriter, StackStr};
use crate::message::units::{PER_DEGREE_1_10000_MIN, PER_DEGREE_1_10_MIN};
use crate::message::{
    AidToNavigationReport, AisMessage, BaseStationReport, ClassBExtendedReport,
    ClassBPositionReport, GnssBroadcast, LongRangeReport, PositionReport, SarAircraftReport,
};

/// Decimals of scaled 1/10000-minute positions.
const FINE_DECIMALS: usize = 7;

/// Writes the fields of a position-bearing message; false for other types.
pub(super) fn write(msg: &AisMessage, scaled: bool, w: &mut JsonWriter<'_>) -> bool {
    match msg {
        AisMessage::Position(m) => position(m, scaled, w),
        AisMessage::BaseStation(m) => base_station(m, scaled, w),
        AisMessage::SarAircraft(m) => sar(m, scaled, w),
        AisMessage::GnssBroadcast(m) => gnss(m, scaled, w),
        AisMessage::ClassBPosition(m) => class_b(m, scaled, w),
        AisMessage::ClassBExtended(m) => class_b_extended(m, scaled, w),
        AisMessage::AidToNavigation(m) => aid(m, scaled, w),
        AisMessage::LongRange(m) => long_range(m, scaled, w),
        _ => return false,
    }
    true
}

fn fine_position(w: &mut JsonWriter<'_>, scaled: bool, lon: i32, lat: i32) {
    write_lon_lat(w, scaled, lon, lat, PER_DEGREE_1_10000_MIN, FINE_DECIMALS);
}

/// Course in 1/10 degree: raw, or degrees with one decimal.
fn course(w: &mut JsonWriter<'_>, scaled: bool, course: u16) {
    if scaled {
        w.fixed("course", f64::from(course) / 10.0, 1);
    } else {
        w.uint("course", course.into());
    }
}

/// Scaled rate of turn: legends for the special values, else the rate in
/// degrees per minute as a quoted two-decimal string.
fn turn(w: &mut JsonWriter<'_>, turn: i8) {
    match turn {
        -128 => w.str("turn", "n/a"),
        -127 => w.str("turn", "fastleft"),
        127 => w.str("turn", "fastright"),
        t => {
            let x = f64::from(t) / 4.733;
            w.fixed_str("turn", x * x.abs(), 2);
        }
    }
}

fn position(m: &PositionReport, scaled: bool, w: &mut JsonWriter<'_>) {
    w.uint("status", m.status.into());
    w.str("status_text", tables::nav_status(m.status));
    if scaled {
        turn(w, m.turn);
        match m.speed {
            1023 => w.str("speed", "n/a"),
            1022 => w.str("speed", "fast"),
            s => w.fixed("speed", f64::from(s) / 10.0, 1),
        }
    } else {
        w.int("turn", m.turn.into());
        w.uint("speed", m.speed.into());
    }
    w.bool("accuracy", m.accuracy);
    fine_position(w, scaled, m.lon, m.lat);
    course(w, scaled, m.course);
    w.uint("heading", m.heading.into());
    w.uint("second", m.second.into());
    w.uint("maneuver", m.maneuver.into());
    w.bool("raim", m.raim);
    w.uint("radio", m.radio.into());
}

fn base_station(m: &BaseStationReport, scaled: bool, w: &mut JsonWriter<'_>) {
    let mut s = StackStr::<32>::new();
    s.push_padded(m.year.into(), 4);
    for (sep, v) in [
        (b'-', m.month),
        (b'-', m.day),
        (b'T', m.hour),
        (b':', m.minute),
        (b':', m.second),
    ] {
        s.push(sep);
        s.push_padded(v.into(), 2);
    }
    s.push(b'Z');
    w.str("timestamp", s.as_str());
    w.bool("accuracy", m.accuracy);
    fine_position(w, scaled, m.lon, m.lat);
    w.uint("epfd", m.epfd.into());
    w.str("epfd_text", tables::epfd(m.epfd));
    w.bool("raim", m.raim);
    w.uint("radio", m.radio.into());
}

fn sar(m: &SarAircraftReport, scaled: bool, w: &mut JsonWriter<'_>) {
    if scaled {
        match m.alt {
            4095 => w.str("alt", "n/a"),
            4094 => w.str("alt", "high"),
            a => w.uint("alt", a.into()),
        }
        match m.speed {
            1023 => w.str("speed", "n/a"),
            1022 => w.str("speed", "fast"),
            s => w.uint("speed", s.into()),
        }
    } else {
        w.uint("alt", m.alt.into());
        w.uint("speed", m.speed.into());
    }
    w.bool("accuracy", m.accuracy);
    fine_position(w, scaled, m.lon, m.lat);
    course(w, scaled, m.course);
    w.uint("second", m.second.into());
    w.uint("regional", m.regional.into());
    w.uint("dte", m.dte.into());
    w.bool("raim", m.raim);
    w.uint("radio", m.radio.into());
}

fn gnss(m: &GnssBroadcast, scaled: bool, w: &mut JsonWriter<'_>) {
    write_lon_lat(w, scaled, m.lon, m.lat, PER_DEGREE_1_10_MIN, 1);
    write_data(w, "data", &m.data);
}

/// Class B speed in 1/10 knot: raw, or knots with one decimal.
fn class_b_speed(w: &mut JsonWriter<'_>, scaled: bool, speed: u16) {
    if scaled {
        w.fixed("speed", f64::from(speed) / 10.0, 1);
    } else {
        w.uint("speed", speed.into());
    }
}

fn class_b(m: &ClassBPositionReport, scaled: bool, w: &mut JsonWriter<'_>) {
    w.uint("reserved", m.reserved.into());
    class_b_speed(w, scaled, m.speed);
    w.bool("accuracy", m.accuracy);
    fine_position(w, scaled, m.lon, m.lat);
    course(w, scaled, m.course);
    w.uint("heading", m.heading.into());
    w.uint("second", m.second.into());
    w.uint("regional", m.regional.into());
    w.bool("cs", m.cs);
    w.bool("display", m.display);
    w.bool("dsc", m.dsc);
    w.bool("band", m.band);
    w.bool("msg22", m.msg22);
    w.bool("raim", m.raim);
    w.uint("radio", m.radio.into());
}

fn class_b_extended(m: &ClassBExtendedReport, scaled: bool, w: &mut JsonWriter<'_>) {
    w.uint("reserved", m.reserved.into());
    class_b_speed(w, scaled, m.speed);
    w.bool("accuracy", m.accuracy);
    fine_position(w, scaled, m.lon, m.lat);
    course(w, scaled, m.course);
    w.uint("heading", m.heading.into());
    w.uint("second", m.second.into());
    w.uint("regional", m.regional.into());
    w.str("shipname", m.shipname.as_str());
    w.uint("shiptype", m.shiptype.into());
    w.str("shiptype_text", tables::ship_type(m.shiptype));
    w.uint("to_bow", m.to_bow.into());
    w.uint("to_stern", m.to_stern.into());
    w.uint("to_port", m.to_port.into());
    w.uint("to_starboard", m.to_starboard.into());
    w.uint("epfd", m.epfd.into());
    w.str("epfd_text", tables::epfd(m.epfd));
    w.bool("raim", m.raim);
    w.uint("dte", m.dte.into());
    w.bool("assigned", m.assigned);
}

fn aid(m: &AidToNavigationReport, scaled: bool, w: &mut JsonWriter<'_>) {
    w.uint("aid_type", m.aid_type.into());
    w.str("aid_type_text", tables::navaid(m.aid_type));
    let mut buf = [0u8; 36];
    w.str("name", m.full_name(&mut buf));
    if scaled {
        fine_position(w, scaled, m.lon, m.lat);
        w.bool("accuracy", m.accuracy);
    } else {
        w.bool("accuracy", m.accuracy);
        fine_position(w, scaled, m.lon, m.lat);
    }
    w.uint("to_bow", m.to_bow.into());
    w.uint("to_stern", m.to_stern.into());
    w.uint("to_port", m.to_port.into());
    w.uint("to_starboard", m.to_starboard.into());
    w.uint("epfd", m.epfd.into());
    w.str("epfd_text", tables::epfd(m.epfd));
    w.uint("second", m.second.into());
    w.uint("regional", m.regional.into());
    w.bool("off_position", m.off_position);
    w.bool("raim", m.raim);
    w.bool("virtual_aid", m.virtual_aid);
}

fn long_range(m: &LongRangeReport, scaled: bool, w: &mut JsonWriter<'_>) {
    w.uint("status", m.status.into());
    if scaled {
        w.str("status_text", tables::nav_status(m.status));
    }
    w.bool("accuracy", m.accuracy);
    write_lon_lat(w, scaled, m.lon, m.lat, PER_DEGREE_1_10_MIN, 4);
    w.uint("speed", m.speed.into());
    w.uint("course", m.course.into());
    w.bool("raim", m.raim);
    w.bool("gnss", m.gnss);
}
