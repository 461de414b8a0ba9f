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

mod format;
mod imo_fields;
#[cfg(test)]
mod tests;

use self::format::{latlon3, latlon4, legend, mdhm, Small};
use self::imo_fields::{
    aton_monitoring, berthing, dangerous_cargo_236, met_hydro_236, met_hydro_289, route_info,
    tidal_window,
};
use super::writer::JsonWriter;
use crate::asm::{self, imo, inland, Asm};
use crate::bits::BinaryData;

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
