//! gpsd JSON for the application-specific messages of types 6 and 8 (the
//! keys after `"dac"`/`"fid"`), as `gpsdecode -j` (scaled) and `-u -j`
//! (unscaled) print them.
//!
//! Key names, key order, legends (`racon_text`, `shiptype_text`, …) and
//! timestamp formats are gpsd's. Where gpsd prints something that is not
//! valid or not meaningful JSON, this writer differs on purpose:
//! - 8/1/19: gpsd omits the comma between `nextsignal` and
//!   `nextsignal_text`; it is written here.
//! - Strings gpsd prints without escaping (Inland country/locode/section/
//!   terminal/hectometre codes) are escaped like every other string.
//! - 8/200/23 `start`: gpsd passes month, hour, minute, day to a
//!   year-month-dayThour:minute format; here the fields are in order.
//! - 8/1/31 scaled `waterlevel`: gpsd computes it in unsigned arithmetic,
//!   which wraps below 10 m of offset; here it is signed.
//! - 8/1/16 `persons`: see [`crate::asm`] (gpsd prints another union member).
//!
//! Scaled number formats follow the gpsd test corpus where it has examples
//! (`%.6f` degrees for 1/1000-minute positions, `%.1f` for tenths); for
//! 1/10000-minute positions (8/1/27 and 6/1/28 waypoints, 8/200/23,
//! 8/200/40), which the corpus lacks, `%.7f` degrees as gpsd prints type 1.

use super::writer::JsonWriter;
use crate::asm::{
    self, imo, inland, regional, Asm, Berthing, DangerousCargo236, MetHydro236, MetHydro289,
    RouteInfo, TidalWindow,
};
use crate::bits::BinaryData;

/// Degrees per unit of a 1/1000-minute position.
const LATLON3_DIV: f64 = 60_000.0;
/// Degrees per unit of a 1/10000-minute position.
const LATLON4_DIV: f64 = 600_000.0;
/// Decimals for scaled 1/1000-minute positions.
const LATLON3_DECIMALS: usize = 6;
/// Decimals for scaled 1/10000-minute positions.
const LATLON4_DECIMALS: usize = 7;

/// Writes the application-specific fields of a type 6 or 8 message and
/// returns `true`, or writes nothing and returns `false` when gpsd would
/// print the generic `"data":"<bits>:<hex>"` instead.
///
/// `data` holds the bits after the 16-bit DAC/FI header; `scaled` selects
/// `gpsdecode -j` output (else `-u -j`).
pub fn write_fields_if_known(
    msg_type: u8,
    dac: u16,
    fi: u8,
    data: &BinaryData,
    scaled: bool,
    w: &mut JsonWriter,
) -> bool {
    match asm::decode(msg_type, dac, fi, data) {
        Some(m) => {
            write_fields(&m, scaled, w);
            true
        }
        None => false,
    }
}

/// Writes gpsd's JSON members for an already decoded [`Asm`].
pub fn write_fields(m: &Asm, scaled: bool, w: &mut JsonWriter) {
    match m {
        Asm::DangerousCargo236(c) => dangerous_cargo_236(c, w),
        Asm::TidalWindow236(t) | Asm::TidalWindow289(t) => tidal_window(t, scaled, w),
        Asm::ExtendedShipStatic(e) => w.uint("airdraught", e.air_draught.into()),
        Asm::PersonsOnBoard(p) => w.uint("persons", p.persons.into()),
        Asm::ClearanceTime(c) => {
            w.uint("linkage", c.linkage.into());
            w.str(
                "arrival",
                &mdhm(c.month, c.day, c.hour, c.minute, true, true),
            );
            w.str("portname", c.port_name.as_str());
            w.str("destination", c.destination.as_str());
            latlon3(w, "lon", c.lon, "lat", c.lat, scaled);
        }
        Asm::Berthing(b) => berthing(b, scaled, w),
        Asm::DangerousCargo289(c) => {
            w.uint("unit", c.unit.into());
            w.uint("amount", c.amount.into());
            w.array_begin("cargos");
            for (i, cargo) in c.cargos.iter().enumerate() {
                if i > 0 {
                    w.element_sep();
                }
                let mut o = w.nested();
                o.uint("code", cargo.code.into());
                o.uint("subtype", cargo.subtype.into());
                o.end();
            }
            w.array_end();
        }
        Asm::RouteInfoAddressed(r) | Asm::RouteInfoBroadcast(r) => route_info(r, scaled, w),
        Asm::TextAddressed(t) | Asm::TextBroadcast(t) => {
            w.uint("linkage", t.linkage.into());
            w.str("text", t.text.as_str());
        }
        Asm::InlandEta(e) => {
            w.str("country", e.country.as_str());
            w.str("locode", e.locode.as_str());
            w.str("section", e.section.as_str());
            w.str("terminal", e.terminal.as_str());
            w.str("hectometre", e.hectometre.as_str());
            w.str("eta", &mdhm(e.month, e.day, e.hour, e.minute, false, false));
            w.uint("tugs", e.tugs.into());
            w.uint("airdraught", e.air_draught.into());
        }
        Asm::InlandRta(e) => {
            w.str("country", e.country.as_str());
            w.str("locode", e.locode.as_str());
            w.str("section", e.section.as_str());
            w.str("terminal", e.terminal.as_str());
            w.str("hectometre", e.hectometre.as_str());
            w.str("eta", &mdhm(e.month, e.day, e.hour, e.minute, false, false));
            w.uint("status", e.status.into());
            w.str(
                "status_text",
                legend(&inland::RTA_STATUS_TEXT, e.status.into(), "N/A"),
            );
        }
        Asm::InlandPersons(p) => {
            w.uint("crew", p.crew.into());
            w.uint("passengers", p.passengers.into());
            w.uint("personnel", p.personnel.into());
        }
        Asm::AtonMonitoring(a) => aton_monitoring(a, scaled, w),
        Asm::MetHydro236(m) => met_hydro_236(m, scaled, w),
        Asm::FairwayClosed(f) => {
            w.str("reason", f.reason.as_str());
            w.str("closefrom", f.close_from.as_str());
            w.str("closeto", f.close_to.as_str());
            w.uint("radius", f.radius.into());
            w.uint("extunit", f.extunit.into());
            let from = mdhm(
                f.from_month,
                f.from_day,
                f.from_hour,
                f.from_minute,
                true,
                false,
            );
            w.str("from", &from);
            w.str(
                "to",
                &mdhm(f.to_month, f.to_day, f.to_hour, f.to_minute, true, false),
            );
        }
        Asm::VtsTargets(v) => {
            w.array_begin("targets");
            for (i, t) in v.targets.iter().enumerate() {
                if i > 0 {
                    w.element_sep();
                }
                let mut o = w.nested();
                let name = imo::IDTYPE_TEXT[usize::from(t.idtype() & 3)];
                o.uint("idtype", t.idtype().into());
                o.str("idtype_text", name);
                match &t.id {
                    imo::TargetId::Mmsi(v) | imo::TargetId::Imo(v) => {
                        o.str(name, itoa::Buffer::new().format(*v));
                    }
                    imo::TargetId::Callsign(s) | imo::TargetId::Other(s) => o.str(name, s.as_str()),
                }
                latlon3(&mut o, "lat", t.lat, "lon", t.lon, scaled);
                o.uint("course", t.course.into());
                o.uint("second", t.second.into());
                o.uint("speed", t.speed.into());
                o.end();
            }
            w.array_end();
        }
        Asm::SignalStation(s) => {
            w.uint("linkage", s.linkage.into());
            w.str("station", s.station.as_str());
            // gpsd prints these scaled whatever the mode.
            latlon3(w, "lon", s.lon, "lat", s.lat, true);
            w.uint("status", s.status.into());
            w.uint("signal", s.signal.into());
            let signal = legend(&imo::SIGNAL_TEXT, s.signal.into(), "INVALID SIGNAL TYPE");
            w.str("signal_text", signal);
            w.uint("hour", s.hour.into());
            w.uint("minute", s.minute.into());
            w.uint("nextsignal", s.next_signal.into());
            let next = legend(
                &imo::SIGNAL_TEXT,
                s.next_signal.into(),
                "INVALID SIGNAL TYPE",
            );
            w.str("nextsignal_text", next);
        }
        Asm::MetHydro289(m) => met_hydro_289(m, scaled, w),
        Asm::InlandStatic(s) => {
            w.str("vin", s.vin.as_str());
            w.uint("length", s.length.into());
            w.uint("beam", s.beam.into());
            w.uint("shiptype", s.ship_type.into());
            w.str("shiptype_text", inland::eri_ship_type_text(s.ship_type));
            w.uint("hazard", s.hazard.into());
            let hazard = legend(&inland::HAZARD_TEXT, s.hazard.into(), "INVALID HAZARD TYPE");
            w.str("hazard_text", hazard);
            w.uint("draught", s.draught.into());
            w.uint("loaded", s.loaded.into());
            let loaded = legend(&inland::LOADED_TEXT, s.loaded.into(), "INVALID LOAD STATUS");
            w.str("loaded_text", loaded);
            w.bool("speed_q", s.speed_q);
            w.bool("course_q", s.course_q);
            w.bool("heading_q", s.heading_q);
        }
        Asm::EmmaWarning(e) => {
            let mut start = Small::new();
            let _ = std::fmt::Write::write_fmt(
                &mut start,
                format_args!(
                    "{:4}-{:02}-{:02}T{:02}:{:02}",
                    u32::from(e.start_year) + 2000,
                    e.start_month,
                    e.start_day,
                    e.start_hour,
                    e.start_minute
                ),
            );
            w.str("start", start.as_str());
            let mut end = Small::new();
            let _ = std::fmt::Write::write_fmt(
                &mut end,
                format_args!(
                    "{:4}-{:02}-{:02}T{:02}:{:02}",
                    u32::from(e.end_year) + 2000,
                    e.end_month,
                    e.end_day,
                    e.end_hour,
                    e.end_minute
                ),
            );
            w.str("end", end.as_str());
            latlon4(
                w,
                "start_lon",
                e.start_lon,
                "start_lat",
                e.start_lat,
                scaled,
            );
            latlon4(w, "end_lon", e.end_lon, "end_lat", e.end_lat, scaled);
            w.uint("type", e.kind.into());
            w.str(
                "type_text",
                legend(&inland::EMMA_TYPE_TEXT, e.kind.into(), "INVALID EMMA TYPE"),
            );
            w.int("min", e.min.into());
            w.int("max", e.max.into());
            w.uint("class", e.intensity.into());
            let class = legend(
                &inland::EMMA_CLASS_TEXT,
                e.intensity.into(),
                "INVALID EMMA TYPE",
            );
            w.str("class_text", class);
            w.uint("wind", e.wind.into());
            let wind = legend(
                &inland::EMMA_WIND_TEXT,
                e.wind.into(),
                "INVALID EMMA WIND DIRECTION",
            );
            w.str("wind_text", wind);
        }
        Asm::WaterLevels(l) => {
            w.str("country", l.country.as_str());
            w.array_begin("gauges");
            for (i, g) in l.gauges.iter().enumerate() {
                if i > 0 {
                    w.element_sep();
                }
                let mut o = w.nested();
                o.uint("id", g.id.into());
                o.int("level", g.level.into());
                o.end();
            }
            w.array_end();
        }
        Asm::SignalStatus(s) => {
            latlon4(w, "lon", s.lon, "lat", s.lat, scaled);
            w.uint("form", s.form.into());
            w.uint("facing", s.facing.into());
            w.uint("direction", s.direction.into());
            let dir = legend(
                &inland::DIRECTION_TEXT,
                s.direction.into(),
                "INVALID DIRECTION",
            );
            w.str("direction_text", dir);
            w.uint("status", s.status.into());
            let status = usize::try_from(s.status).unwrap_or(usize::MAX);
            w.str(
                "status_text",
                legend(&inland::LIGHT_STATUS_TEXT, status, "INVALID STATUS"),
            );
        }
    }
}

fn legend(table: &[&'static str], i: usize, otherwise: &'static str) -> &'static str {
    table.get(i).copied().unwrap_or(otherwise)
}

/// A position pair in 1/1000 minute: raw integers, or degrees with six
/// decimals when scaled.
fn latlon3(w: &mut JsonWriter, k1: &str, v1: i32, k2: &str, v2: i32, scaled: bool) {
    if scaled {
        w.fixed(k1, f64::from(v1) / LATLON3_DIV, LATLON3_DECIMALS);
        w.fixed(k2, f64::from(v2) / LATLON3_DIV, LATLON3_DECIMALS);
    } else {
        w.int(k1, v1.into());
        w.int(k2, v2.into());
    }
}

/// A position pair in 1/10000 minute.
fn latlon4(w: &mut JsonWriter, k1: &str, v1: i32, k2: &str, v2: i32, scaled: bool) {
    if scaled {
        w.fixed(k1, f64::from(v1) / LATLON4_DIV, LATLON4_DECIMALS);
        w.fixed(k2, f64::from(v2) / LATLON4_DIV, LATLON4_DECIMALS);
    } else {
        w.int(k1, v1.into());
        w.int(k2, v2.into());
    }
}

/// gpsd's partial ISO 8601 month-day-hour-minute: `"%02u-%02uT%02u:%02uZ"`
/// (`padded`, `zulu`), `"%02u-%02uT%02u:%02u"` or `"%u-%uT%u:%u"`.
fn mdhm(month: u8, day: u8, hour: u8, minute: u8, padded: bool, zulu: bool) -> Small {
    let mut s = Small::new();
    s.num(month, padded);
    s.byte(b'-');
    s.num(day, padded);
    s.byte(b'T');
    s.num(hour, padded);
    s.byte(b':');
    s.num(minute, padded);
    if zulu {
        s.byte(b'Z');
    }
    s
}

fn dangerous_cargo_236(c: &DangerousCargo236, w: &mut JsonWriter) {
    w.str("lastport", c.last_port.as_str());
    let departure = mdhm(
        c.last_month,
        c.last_day,
        c.last_hour,
        c.last_minute,
        true,
        true,
    );
    w.str("departure", &departure);
    w.str("nextport", c.next_port.as_str());
    w.str(
        "eta",
        &mdhm(
            c.next_month,
            c.next_day,
            c.next_hour,
            c.next_minute,
            true,
            true,
        ),
    );
    w.str("dangerous", c.dangerous.as_str());
    w.str("imdcat", c.imd_category.as_str());
    w.uint("unid", c.un_number.into());
    w.uint("amount", c.amount.into());
    w.uint("unit", c.unit.into());
}

fn tidal_window(t: &TidalWindow, scaled: bool, w: &mut JsonWriter) {
    w.uint("month", t.month.into());
    w.uint("day", t.day.into());
    w.array_begin("tidals");
    for (i, tp) in t.tidals.iter().enumerate() {
        if i > 0 {
            w.element_sep();
        }
        let mut o = w.nested();
        // gpsd scales both variants as 1/1000 minute, even the IMO236
        // 1/10000-minute positions.
        latlon3(&mut o, "lon", tp.lon, "lat", tp.lat, scaled);
        o.uint("from_hour", tp.from_hour.into());
        o.uint("from_min", tp.from_min.into());
        o.uint("to_hour", tp.to_hour.into());
        o.uint("to_min", tp.to_min.into());
        o.uint("cdir", tp.cdir.into());
        if scaled {
            o.fixed("cspeed", f64::from(tp.cspeed) / 10.0, 1);
        } else {
            o.uint("cspeed", tp.cspeed.into());
        }
        o.end();
    }
    w.array_end();
}

fn berthing(b: &Berthing, scaled: bool, w: &mut JsonWriter) {
    w.uint("linkage", b.linkage.into());
    w.uint("berth_length", b.berth_length.into());
    w.uint("position", b.position.into());
    w.str(
        "position_text",
        legend(&imo::POSITION_TEXT, b.position.into(), ""),
    );
    w.str(
        "arrival",
        &mdhm(b.month, b.day, b.hour, b.minute, false, false),
    );
    w.uint("availability", u64::from(b.availability));
    for (name, v) in imo::BERTH_SERVICES.iter().zip(b.services) {
        w.uint(name, v.into());
    }
    w.str("berth_name", b.berth_name.as_str());
    latlon3(
        w,
        "berth_lon",
        b.berth_lon,
        "berth_lat",
        b.berth_lat,
        scaled,
    );
    if scaled {
        w.fixed("berth_depth", f64::from(b.berth_depth) * 0.1, 1);
    } else {
        w.uint("berth_depth", b.berth_depth.into());
    }
}

fn route_info(r: &RouteInfo, scaled: bool, w: &mut JsonWriter) {
    w.uint("linkage", r.linkage.into());
    w.uint("sender", r.sender.into());
    w.uint("rtype", r.rtype.into());
    w.str("rtype_text", imo::route_type_text(r.rtype));
    w.str("start", &mdhm(r.month, r.day, r.hour, r.minute, true, true));
    w.uint("duration", r.duration.into());
    w.array_begin("waypoints");
    for (i, p) in r.waypoints.iter().enumerate() {
        if i > 0 {
            w.element_sep();
        }
        let mut o = w.nested();
        latlon4(&mut o, "lon", p.lon, "lat", p.lat, scaled);
        o.end();
    }
    w.array_end();
}

fn aton_monitoring(a: &regional::AtonMonitoring, scaled: bool, w: &mut JsonWriter) {
    w.bool("off_pos", a.off_pos);
    w.bool("alarm", a.alarm);
    w.uint("stat_ext", a.stat_ext.into());
    // gpsd scales only non-zero readings (0.05 V units).
    for (key, v) in [
        ("ana_int", a.ana_int),
        ("ana_ext1", a.ana_ext1),
        ("ana_ext2", a.ana_ext2),
    ] {
        if scaled && v != 0 {
            w.fixed(key, f64::from(v) * 0.05, 2);
        } else {
            w.uint(key, v.into());
        }
    }
    w.uint("racon", a.racon.into());
    w.str(
        "racon_text",
        legend(&regional::RACON_TEXT, a.racon.into(), ""),
    );
    w.uint("light", a.light.into());
    w.str(
        "light_text",
        legend(&regional::LIGHT_TEXT, a.light.into(), ""),
    );
}

fn trend(v: u8) -> &'static str {
    legend(&imo::TREND_TEXT, v.into(), "")
}

fn met_hydro_236(m: &MetHydro236, scaled: bool, w: &mut JsonWriter) {
    latlon3(w, "lat", m.lat, "lon", m.lon, scaled);
    w.str("timestamp", &dhm(m.day, m.hour, m.minute));
    w.uint("wspeed", m.wspeed.into());
    w.uint("wgust", m.wgust.into());
    w.uint("wdir", m.wdir.into());
    w.uint("wgustdir", m.wgustdir.into());
    w.uint("humidity", m.humidity.into());
    let precip = legend(&imo::PRECIPTYPE_TEXT, m.preciptype.into(), "");
    let ice = legend(&imo::ICE_TEXT, m.ice.into(), "");
    if scaled {
        w.fixed("airtemp", (f64::from(m.airtemp) - 600.0) / 10.0, 1);
        w.fixed("dewpoint", (f64::from(m.dewpoint) - 200.0) / 10.0, 1);
        w.uint("pressure", u64::from(m.pressure) + 800);
        w.str("pressuretend", trend(m.pressuretend));
        w.fixed("visibility", f64::from(m.visibility) / 10.0, 1);
        w.fixed("waterlevel", (f64::from(m.waterlevel) - 100.0) / 10.0, 1);
        w.str("leveltrend", trend(m.leveltrend));
        w.fixed("cspeed", f64::from(m.cspeed) / 10.0, 1);
        w.uint("cdir", m.cdir.into());
        w.fixed("cspeed2", f64::from(m.cspeed2) / 10.0, 1);
        w.uint("cdir2", m.cdir2.into());
        w.uint("cdepth2", m.cdepth2.into());
        w.fixed("cspeed3", f64::from(m.cspeed3) / 10.0, 1);
        w.uint("cdir3", m.cdir3.into());
        w.uint("cdepth3", m.cdepth3.into());
        w.fixed("waveheight", f64::from(m.waveheight) / 10.0, 1);
        w.uint("waveperiod", m.waveperiod.into());
        w.uint("wavedir", m.wavedir.into());
        w.fixed("swellheight", f64::from(m.swellheight) / 10.0, 1);
        w.uint("swellperiod", m.swellperiod.into());
        w.uint("swelldir", m.swelldir.into());
        w.uint("seastate", m.seastate.into());
        w.fixed("watertemp", (f64::from(m.watertemp) - 100.0) / 10.0, 1);
        w.uint("preciptype", m.preciptype.into());
        w.str("preciptype_text", precip);
        w.fixed("salinity", f64::from(m.salinity) / 10.0, 1);
    } else {
        w.uint("airtemp", m.airtemp.into());
        w.uint("dewpoint", m.dewpoint.into());
        w.uint("pressure", m.pressure.into());
        w.uint("pressuretend", m.pressuretend.into());
        w.uint("visibility", m.visibility.into());
        w.int("waterlevel", m.waterlevel.into());
        w.uint("leveltrend", m.leveltrend.into());
        w.uint("cspeed", m.cspeed.into());
        w.uint("cdir", m.cdir.into());
        w.uint("cspeed2", m.cspeed2.into());
        w.uint("cdir2", m.cdir2.into());
        w.uint("cdepth2", m.cdepth2.into());
        w.uint("cspeed3", m.cspeed3.into());
        w.uint("cdir3", m.cdir3.into());
        w.uint("cdepth3", m.cdepth3.into());
        w.uint("waveheight", m.waveheight.into());
        w.uint("waveperiod", m.waveperiod.into());
        w.uint("wavedir", m.wavedir.into());
        w.uint("swellheight", m.swellheight.into());
        w.uint("swellperiod", m.swellperiod.into());
        w.uint("swelldir", m.swelldir.into());
        w.uint("seastate", m.seastate.into());
        w.uint("watertemp", m.watertemp.into());
        w.uint("preciptype", m.preciptype.into());
        w.str("preciptype_text", precip);
        w.uint("salinity", m.salinity.into());
    }
    w.uint("ice", m.ice.into());
    w.str("ice_text", ice);
}

fn met_hydro_289(m: &MetHydro289, scaled: bool, w: &mut JsonWriter) {
    latlon3(w, "lat", m.lat, "lon", m.lon, scaled);
    w.bool("accuracy", m.accuracy);
    w.str("timestamp", &dhm(m.day, m.hour, m.minute));
    w.uint("wspeed", m.wspeed.into());
    w.uint("wgust", m.wgust.into());
    w.uint("wdir", m.wdir.into());
    w.uint("wgustdir", m.wgustdir.into());
    w.uint("humidity", m.humidity.into());
    if scaled {
        w.fixed("airtemp", f64::from(m.airtemp) / 10.0, 1);
        w.fixed("dewpoint", f64::from(m.dewpoint) / 10.0, 1);
        w.uint("pressure", u64::from(m.pressure) + 799);
        w.str("pressuretend", trend(m.pressuretend));
        w.bool("visgreater", m.visgreater);
        w.fixed("visibility", f64::from(m.visibility) / 10.0, 1);
        w.fixed("waterlevel", (f64::from(m.waterlevel) - 1000.0) / 100.0, 1);
        w.str("leveltrend", trend(m.leveltrend));
        w.fixed("cspeed", f64::from(m.cspeed) / 10.0, 1);
        w.uint("cdir", m.cdir.into());
        w.fixed("cspeed2", f64::from(m.cspeed2) / 10.0, 1);
        w.uint("cdir2", m.cdir2.into());
        w.uint("cdepth2", m.cdepth2.into());
        w.fixed("cspeed3", f64::from(m.cspeed3) / 10.0, 1);
        w.uint("cdir3", m.cdir3.into());
        w.uint("cdepth3", m.cdepth3.into());
        w.fixed("waveheight", f64::from(m.waveheight) / 10.0, 1);
        w.uint("waveperiod", m.waveperiod.into());
        w.uint("wavedir", m.wavedir.into());
        w.fixed("swellheight", f64::from(m.swellheight) / 10.0, 1);
        w.uint("swellperiod", m.swellperiod.into());
        w.uint("swelldir", m.swelldir.into());
        w.uint("seastate", m.seastate.into());
        w.fixed("watertemp", f64::from(m.watertemp) / 10.0, 1);
        w.str(
            "preciptype",
            legend(&imo::PRECIPTYPE_TEXT, m.preciptype.into(), ""),
        );
        w.fixed("salinity", f64::from(m.salinity) / 10.0, 1);
        w.str("ice", legend(&imo::ICE_TEXT, m.ice.into(), ""));
    } else {
        w.int("airtemp", m.airtemp.into());
        w.int("dewpoint", m.dewpoint.into());
        w.uint("pressure", m.pressure.into());
        w.uint("pressuretend", m.pressuretend.into());
        w.bool("visgreater", m.visgreater);
        w.uint("visibility", m.visibility.into());
        w.int("waterlevel", m.waterlevel.into());
        w.uint("leveltrend", m.leveltrend.into());
        w.uint("cspeed", m.cspeed.into());
        w.uint("cdir", m.cdir.into());
        w.uint("cspeed2", m.cspeed2.into());
        w.uint("cdir2", m.cdir2.into());
        w.uint("cdepth2", m.cdepth2.into());
        w.uint("cspeed3", m.cspeed3.into());
        w.uint("cdir3", m.cdir3.into());
        w.uint("cdepth3", m.cdepth3.into());
        w.uint("waveheight", m.waveheight.into());
        w.uint("waveperiod", m.waveperiod.into());
        w.uint("wavedir", m.wavedir.into());
        w.uint("swellheight", m.swellheight.into());
        w.uint("swellperiod", m.swellperiod.into());
        w.uint("swelldir", m.swelldir.into());
        w.uint("seastate", m.seastate.into());
        w.int("watertemp", m.watertemp.into());
        w.uint("preciptype", m.preciptype.into());
        w.uint("salinity", m.salinity.into());
        w.uint("ice", m.ice.into());
    }
}

/// gpsd's day-hour-minute timestamp, `"%02uT%02u:%02uZ"`.
fn dhm(day: u8, hour: u8, minute: u8) -> Small {
    let mut s = Small::new();
    s.num(day, true);
    s.byte(b'T');
    s.num(hour, true);
    s.byte(b':');
    s.num(minute, true);
    s.byte(b'Z');
    s
}

/// A short string formatted on the stack (timestamps), silently cut at
/// capacity.
struct Small {
    buf: [u8; 32],
    len: usize,
}

impl Small {
    fn new() -> Self {
        Self {
            buf: [0; 32],
            len: 0,
        }
    }

    fn as_str(&self) -> &str {
        std::str::from_utf8(&self.buf[..self.len]).unwrap_or("")
    }

    fn byte(&mut self, b: u8) {
        if self.len < self.buf.len() {
            self.buf[self.len] = b;
            self.len += 1;
        }
    }

    /// `v` in decimal; `padded` as `%02u`, else `%u`.
    fn num(&mut self, v: u8, padded: bool) {
        if v >= 100 {
            self.byte(b'0' + v / 100);
        }
        if v >= 10 || padded {
            self.byte(b'0' + v / 10 % 10);
        }
        self.byte(b'0' + v % 10);
    }
}

impl std::ops::Deref for Small {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl std::fmt::Write for Small {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        let n = s.len().min(self.buf.len() - self.len);
        self.buf[self.len..self.len + n].copy_from_slice(&s.as_bytes()[..n]);
        self.len += n;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(msg_type: u8, dac: u16, fi: u8, bytes: &[u8], bits: usize, scaled: bool) -> String {
        let d = BinaryData::from_bytes(bytes, bits).unwrap();
        let mut out = Vec::new();
        let mut w = JsonWriter::begin(&mut out);
        let known = write_fields_if_known(msg_type, dac, fi, &d, scaled, &mut w);
        w.end();
        assert!(known || out == b"{}");
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn unknown_writes_nothing() {
        assert_eq!(json(6, 1, 40, &[0, 0], 16, false), "{}");
        assert_eq!(json(8, 366, 56, &[0; 32], 256, true), "{}");
    }

    #[test]
    fn timestamps_are_gpsd_formats() {
        assert_eq!(&*mdhm(5, 4, 0, 60, true, true), "05-04T00:60Z");
        assert_eq!(&*mdhm(5, 4, 0, 60, false, false), "5-4T0:60");
        assert_eq!(&*dhm(18, 17, 15), "18T17:15Z");
    }

    use crate::bits::BitWriter;
    use crate::text::AisText;

    /// JSON for data built with a [`BitWriter`].
    fn built(msg_type: u8, dac: u16, fi: u8, w: BitWriter, scaled: bool) -> String {
        let p = w.finish().unwrap();
        json(msg_type, dac, fi, p.as_bytes(), p.len_bits(), scaled)
    }

    fn t<const N: usize>(s: &str) -> AisText<N> {
        AisText::from_ascii(s)
    }

    #[test]
    fn berthing_lists_every_service_in_order() {
        let mut w = BitWriter::new();
        w.u(10, 1)
            .u(9, 2)
            .u(8, 30)
            .u(3, 1)
            .u(4, 3)
            .u(5, 4)
            .u(5, 5)
            .u(6, 6)
            .u(1, 1);
        w.u(2, 1);
        for _ in 1..26 {
            w.u(2, 0);
        }
        w.text(20, &t::<20>("QUAY")).i(25, -100).i(24, 200);
        let services: String = imo::BERTH_SERVICES
            .iter()
            .map(|n| format!(",\"{n}\":{}", u8::from(*n == "agent")))
            .collect();
        let head = "{\"linkage\":1,\"berth_length\":2,\"position\":1,\
                    \"position_text\":\"Port-side to\",\"arrival\":\"3-4T5:6\",\"availability\":1";
        let w2 = w.clone();
        assert_eq!(
            built(6, 1, 20, w, false),
            format!("{head}{services},\"berth_name\":\"QUAY\",\"berth_lon\":-100,\"berth_lat\":200,\"berth_depth\":30}}")
        );
        assert_eq!(
            built(6, 1, 20, w2, true),
            format!(
                "{head}{services},\"berth_name\":\"QUAY\",\"berth_lon\":-0.001667,\
                 \"berth_lat\":0.003333,\"berth_depth\":3.0}}"
            )
        );
    }

    #[test]
    fn vts_targets_follow_gpsd_element_rule() {
        // Exactly one 122-bit element: gpsd also reads a second, all-zero one.
        let mut w = BitWriter::new();
        w.u(2, 2)
            .text(7, &t::<7>("LA1234"))
            .u(4, 0)
            .i(24, -60)
            .i(25, 120);
        w.u(9, 90).u(6, 30).u(10, 123);
        assert_eq!(
            built(8, 1, 17, w, false),
            "{\"targets\":[{\"idtype\":2,\"idtype_text\":\"callsign\",\"callsign\":\"LA1234\",\
             \"lat\":-60,\"lon\":120,\"course\":90,\"second\":30,\"speed\":123},\
             {\"idtype\":0,\"idtype_text\":\"mmsi\",\"mmsi\":\"0\",\"lat\":0,\"lon\":0,\
             \"course\":0,\"second\":0,\"speed\":0}]}"
        );
    }

    #[test]
    fn signal_station_positions_are_always_scaled() {
        let mut w = BitWriter::new();
        w.u(10, 7)
            .text(20, &t::<20>("KIEL"))
            .i(25, 60_000)
            .i(24, -30_000);
        w.u(2, 1).u(5, 3).u(5, 12).u(6, 30).u(5, 20);
        assert_eq!(
            built(8, 1, 19, w, false),
            "{\"linkage\":7,\"station\":\"KIEL\",\"lon\":1.000000,\"lat\":-0.500000,\
             \"status\":1,\"signal\":3,\"signal_text\":\"Vessels may proceed. One way traffic.\",\
             \"hour\":12,\"minute\":30,\"nextsignal\":20,\"nextsignal_text\":\"INVALID SIGNAL TYPE\"}"
        );
    }

    #[test]
    fn route_info_waypoints_and_cargos() {
        let mut w = BitWriter::new();
        w.u(10, 5)
            .u(3, 1)
            .u(5, 31)
            .u(4, 12)
            .u(5, 24)
            .u(5, 23)
            .u(6, 59)
            .u(18, 600)
            .u(5, 2);
        w.i(28, 6_000_000).i(27, -600_000).i(28, 1).i(27, -1);
        let w2 = w.clone();
        let head = "{\"linkage\":5,\"sender\":1,\"rtype\":31,\
                    \"rtype_text\":\"Cancel route identified by message linkage\",\
                    \"start\":\"12-24T23:59Z\",\"duration\":600,\"waypoints\":";
        assert_eq!(
            built(8, 1, 27, w, false),
            format!("{head}[{{\"lon\":6000000,\"lat\":-600000}},{{\"lon\":1,\"lat\":-1}}]}}")
        );
        assert_eq!(
            built(6, 1, 28, w2, true),
            format!(
                "{head}[{{\"lon\":10.0000000,\"lat\":-1.0000000}},\
                 {{\"lon\":0.0000017,\"lat\":-0.0000017}}]}}"
            )
        );
        // 6/1/25: 12 + 2 x 17 bits, plus 3 spare bits that start a third cargo.
        let mut w = BitWriter::new();
        w.u(2, 2)
            .u(10, 100)
            .u(4, 1)
            .u(13, 1203)
            .u(4, 3)
            .u(13, 7)
            .u(3, 0);
        assert_eq!(
            built(6, 1, 25, w, false),
            "{\"unit\":2,\"amount\":100,\"cargos\":[{\"code\":1,\"subtype\":1203},\
             {\"code\":3,\"subtype\":7},{\"code\":0,\"subtype\":0}]}"
        );
    }

    #[test]
    fn fairway_closed_and_text() {
        let mut w = BitWriter::new();
        w.text(20, &t::<20>("ICE"))
            .text(20, &t::<20>("A"))
            .text(20, &t::<20>("B \"C\""));
        w.u(10, 5)
            .u(2, 2)
            .u(5, 1)
            .u(4, 2)
            .u(5, 3)
            .u(6, 4)
            .u(5, 5)
            .u(4, 6)
            .u(5, 7)
            .u(6, 8)
            .u(4, 0);
        assert_eq!(
            built(8, 1, 13, w, true),
            "{\"reason\":\"ICE\",\"closefrom\":\"A\",\"closeto\":\"B \\\"C\\\"\",\"radius\":5,\
             \"extunit\":2,\"from\":\"02-01T03:04\",\"to\":\"06-05T07:08\"}"
        );
        let mut w = BitWriter::new();
        w.u(10, 3).text(5, &t::<5>("HELLO")).u(4, 0);
        assert_eq!(
            built(8, 1, 29, w, false),
            "{\"linkage\":3,\"text\":\"HELLO\"}"
        );
    }

    #[test]
    fn inland_messages() {
        let loc = |w: &mut BitWriter| {
            w.text(2, &t::<2>("NL"))
                .text(3, &t::<3>("RTM"))
                .text(5, &t::<5>("00001"));
            w.text(5, &t::<5>("T1")).text(5, &t::<5>("12345"));
        };
        let mut w = BitWriter::new();
        loc(&mut w);
        w.u(4, 6)
            .u(5, 7)
            .u(5, 8)
            .u(6, 9)
            .u(3, 2)
            .u(12, 1500)
            .u(5, 0);
        assert_eq!(
            built(6, 200, 21, w, false),
            "{\"country\":\"NL\",\"locode\":\"RTM\",\"section\":\"00001\",\"terminal\":\"T1\",\
             \"hectometre\":\"12345\",\"eta\":\"6-7T8:9\",\"tugs\":2,\"airdraught\":1500}"
        );
        let mut w = BitWriter::new();
        loc(&mut w);
        w.u(4, 6).u(5, 7).u(5, 8).u(6, 9).u(2, 1).u(2, 0);
        assert!(built(6, 200, 22, w, false)
            .ends_with("\"eta\":\"6-7T8:9\",\"status\":1,\"status_text\":\"Limited operation\"}"));

        let mut w = BitWriter::new();
        w.u(8, 24)
            .u(4, 5)
            .u(5, 6)
            .u(8, 24)
            .u(4, 5)
            .u(5, 7)
            .u(5, 7)
            .u(6, 8)
            .u(5, 18)
            .u(6, 0);
        w.i(28, 600_000)
            .i(27, 3_000_000)
            .i(28, -600_000)
            .i(27, 3_000_001);
        w.u(4, 1).i(9, -5).i(9, 20).u(2, 2).u(4, 3).u(6, 0);
        assert_eq!(
            built(8, 200, 23, w, true),
            "{\"start\":\"2024-05-06T07:08\",\"end\":\"2024-05-07T18:00\",\
             \"start_lon\":1.0000000,\"start_lat\":5.0000000,\"end_lon\":-1.0000000,\
             \"end_lat\":5.0000017,\"type\":1,\"type_text\":\"Wind\",\"min\":-5,\"max\":20,\
             \"class\":2,\"class_text\":\"Strong\",\"wind\":3,\"wind_text\":\"East\"}"
        );

        let mut w = BitWriter::new();
        w.text(2, &t::<2>("DE"));
        for (id, level) in [(1, -20), (2, 0), (3, 300), (2047, -8192)] {
            w.u(11, id).i(14, level);
        }
        assert_eq!(
            built(8, 200, 24, w, false),
            "{\"country\":\"DE\",\"gauges\":[{\"id\":1,\"level\":-20},{\"id\":2,\"level\":0},\
             {\"id\":3,\"level\":300},{\"id\":2047,\"level\":-8192}]}"
        );

        let mut w = BitWriter::new();
        w.i(28, -6)
            .i(27, 6)
            .u(4, 1)
            .u(9, 180)
            .u(3, 2)
            .u(30, 4)
            .u(11, 0);
        assert_eq!(
            built(8, 200, 40, w, false),
            "{\"lon\":-6,\"lat\":6,\"form\":1,\"facing\":180,\"direction\":2,\
             \"direction_text\":\"Downstream\",\"status\":4,\"status_text\":\"Green\"}"
        );
    }

    #[test]
    fn aton_monitoring_scales_only_nonzero_readings() {
        // ana_int 274, ana_ext1 1, ana_ext2 0, racon 2, light 2.
        let mut w = crate::bits::BitWriter::new();
        w.u(10, 274)
            .u(10, 1)
            .u(10, 0)
            .u(2, 2)
            .u(2, 2)
            .u(1, 0)
            .u(8, 0)
            .u(1, 0)
            .u(4, 0);
        let p = w.finish().unwrap();
        let s = json(6, 235, 10, p.as_bytes(), 48, true);
        assert_eq!(
            s,
            "{\"off_pos\":false,\"alarm\":false,\"stat_ext\":0,\"ana_int\":13.70,\
             \"ana_ext1\":0.05,\"ana_ext2\":0,\"racon\":2,\"racon_text\":\"RACON operational\",\
             \"light\":2,\"light_text\":\"Light OFF\"}"
        );
    }
}
