//! JSON members of the larger DAC 1 (IMO SN.1/Circ.236 and 289) and GLA
//! AtoN messages, in gpsd's key order.

use super::super::writer::JsonWriter;
use super::format::{dhm, latlon3, latlon4, legend, mdhm};
use crate::asm::{
    imo, regional, Berthing, DangerousCargo236, MetHydro236, MetHydro289, RouteInfo, TidalWindow,
};

pub(super) fn dangerous_cargo_236(c: &DangerousCargo236, w: &mut JsonWriter) {
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

pub(super) fn tidal_window(t: &TidalWindow, scaled: bool, w: &mut JsonWriter) {
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

pub(super) fn berthing(b: &Berthing, scaled: bool, w: &mut JsonWriter) {
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

pub(super) fn route_info(r: &RouteInfo, scaled: bool, w: &mut JsonWriter) {
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

pub(super) fn aton_monitoring(a: &regional::AtonMonitoring, scaled: bool, w: &mut JsonWriter) {
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

/// Currents, waves and swell, `cspeed` … `seastate`: the same keys and scaling in the IMO236 and IMO289
/// met/hydro messages (separate structs with these field names). `true` marks tenths.
macro_rules! sea_fields {
    ($m:expr) => {
        [
            ("cspeed", u64::from($m.cspeed), true),
            ("cdir", u64::from($m.cdir), false),
            ("cspeed2", u64::from($m.cspeed2), true),
            ("cdir2", u64::from($m.cdir2), false),
            ("cdepth2", u64::from($m.cdepth2), false),
            ("cspeed3", u64::from($m.cspeed3), true),
            ("cdir3", u64::from($m.cdir3), false),
            ("cdepth3", u64::from($m.cdepth3), false),
            ("waveheight", u64::from($m.waveheight), true),
            ("waveperiod", u64::from($m.waveperiod), false),
            ("wavedir", u64::from($m.wavedir), false),
            ("swellheight", u64::from($m.swellheight), true),
            ("swellperiod", u64::from($m.swellperiod), false),
            ("swelldir", u64::from($m.swelldir), false),
            ("seastate", u64::from($m.seastate), false),
        ]
    };
}

/// Writes [`sea_fields!`]: tenths as `%.1f` when scaled, everything raw otherwise.
fn currents_waves_swell(w: &mut JsonWriter, fields: &[(&str, u64, bool)], scaled: bool) {
    for &(key, v, tenths) in fields {
        if scaled && tenths {
            w.fixed(key, v as f64 / 10.0, 1);
        } else {
            w.uint(key, v);
        }
    }
}

pub(super) fn met_hydro_236(m: &MetHydro236, scaled: bool, w: &mut JsonWriter) {
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
        currents_waves_swell(w, &sea_fields!(m), true);
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
        currents_waves_swell(w, &sea_fields!(m), false);
        w.uint("watertemp", m.watertemp.into());
        w.uint("preciptype", m.preciptype.into());
        w.str("preciptype_text", precip);
        w.uint("salinity", m.salinity.into());
    }
    w.uint("ice", m.ice.into());
    w.str("ice_text", ice);
}

pub(super) fn met_hydro_289(m: &MetHydro289, scaled: bool, w: &mut JsonWriter) {
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
        currents_waves_swell(w, &sea_fields!(m), true);
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
        currents_waves_swell(w, &sea_fields!(m), false);
        w.int("watertemp", m.watertemp.into());
        w.uint("preciptype", m.preciptype.into());
        w.uint("salinity", m.salinity.into());
        w.uint("ice", m.ice.into());
    }
}
