//! DAC 200: Inland AIS (European river information services, CCNR/UNECE
//! Inland ECDIS/AIS standard).

use super::{text, u16_, u8_};
use crate::bits::BitReader;
use crate::text::AisText;

/// Type 6, DAC 200 FI 21: ETA at lock/bridge/terminal (160 data bits).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InlandEta {
    /// UN country code (2 characters).
    pub country: AisText<2>,
    /// UN/LOCODE (3 characters).
    pub locode: AisText<3>,
    /// Fairway section number (5 characters).
    pub section: AisText<5>,
    /// Terminal code (5 characters).
    pub terminal: AisText<5>,
    /// Fairway hectometre (5 characters).
    pub hectometre: AisText<5>,
    /// ETA month (UTC, 1–12, 0 = not available).
    pub month: u8,
    /// ETA day (UTC, 1–31, 0 = not available).
    pub day: u8,
    /// ETA hour (UTC, 0–23, 24 = not available).
    pub hour: u8,
    /// ETA minute (UTC, 0–59, 60 = not available).
    pub minute: u8,
    /// Number of assisting tugs (7 = unknown).
    pub tugs: u8,
    /// Air draught, centimetres (0 = unknown).
    pub air_draught: u16,
}

/// Type 6, DAC 200 FI 22: RTA (requested time of arrival) at
/// lock/bridge/terminal (144 data bits).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InlandRta {
    /// UN country code (2 characters).
    pub country: AisText<2>,
    /// UN/LOCODE (3 characters).
    pub locode: AisText<3>,
    /// Fairway section number (5 characters).
    pub section: AisText<5>,
    /// Terminal code (5 characters).
    pub terminal: AisText<5>,
    /// Fairway hectometre (5 characters).
    pub hectometre: AisText<5>,
    /// RTA month (UTC, 0 = not available).
    pub month: u8,
    /// RTA day (UTC, 0 = not available).
    pub day: u8,
    /// RTA hour (UTC, 24 = not available).
    pub hour: u8,
    /// RTA minute (UTC, 60 = not available).
    pub minute: u8,
    /// Lock/bridge/terminal status: 0 operational, 1 limited operation,
    /// 2 out of order, 3 not available.
    pub status: u8,
}

/// Type 6, DAC 200 FI 55: number of persons on board (80 data bits).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InlandPersons {
    /// Crew members on board (255 = unknown).
    pub crew: u8,
    /// Passengers on board (8191 = unknown).
    pub passengers: u16,
    /// Shipboard personnel on board (255 = unknown).
    pub personnel: u8,
}

/// Type 8, DAC 200 FI 10: Inland ship static and voyage related data
/// (112 data bits).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InlandStatic {
    /// European vessel identification number, ENI (8 characters).
    pub vin: AisText<8>,
    /// Length of ship, 0.1 m (0 = not available).
    pub length: u16,
    /// Beam of ship, 0.1 m (0 = not available).
    pub beam: u16,
    /// ERI ship or combination type (e.g. 8010 motor freighter); see
    /// [`eri_ship_type_text`].
    pub ship_type: u16,
    /// Hazardous cargo: number of blue cones/lights 0–3, 4 = B-flag,
    /// 5 = unknown.
    pub hazard: u8,
    /// Draught, 0.01 m (0 = unknown).
    pub draught: u16,
    /// Loaded/unloaded: 0 not available, 1 unloaded, 2 loaded.
    pub loaded: u8,
    /// Quality of speed information: true = high (certified sensor).
    pub speed_q: bool,
    /// Quality of course information: true = high.
    pub course_q: bool,
    /// Quality of heading information: true = high.
    pub heading_q: bool,
}

/// Type 8, DAC 200 FI 23: EMMA weather warning (200 data bits).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EmmaWarning {
    /// Start year, years since 2000.
    pub start_year: u8,
    /// Start month (1–12).
    pub start_month: u8,
    /// Start day (1–31).
    pub start_day: u8,
    /// End year, years since 2000.
    pub end_year: u8,
    /// End month (1–12).
    pub end_month: u8,
    /// End day (1–31).
    pub end_day: u8,
    /// Start hour (UTC).
    pub start_hour: u8,
    /// Start minute (UTC).
    pub start_minute: u8,
    /// End hour (UTC).
    pub end_hour: u8,
    /// End minute (UTC).
    pub end_minute: u8,
    /// Start of the affected fairway, longitude in 1/10000 minute.
    pub start_lon: i32,
    /// Start of the affected fairway, latitude in 1/10000 minute.
    pub start_lat: i32,
    /// End of the affected fairway, longitude in 1/10000 minute.
    pub end_lon: i32,
    /// End of the affected fairway, latitude in 1/10000 minute.
    pub end_lat: i32,
    /// Warning type (0 n/a, 1 wind, 2 rain, 3 snow and ice, 4 thunderstorm,
    /// 5 fog, 6 low temperature, 7 high temperature, 8 flood, 9 forest fire).
    pub kind: u8,
    /// Minimum value (unit depends on the type, e.g. °C, m/s).
    pub min: i16,
    /// Maximum value (unit depends on the type).
    pub max: i16,
    /// Classification: 0 slight, 1 medium, 2 strong.
    pub intensity: u8,
    /// Wind direction: 0 n/a, 1 N, 2 NE, … 8 NW.
    pub wind: u8,
}

/// One gauge of a [`WaterLevels`] report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Gauge {
    /// Gauge identifier (0 = unknown).
    pub id: u16,
    /// Water level, centimetres (0 = unknown).
    pub level: i16,
}

/// Type 8, DAC 200 FI 24: water levels (112 data bits).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WaterLevels {
    /// UN country code (2 characters).
    pub country: AisText<2>,
    /// The four gauges.
    pub gauges: [Gauge; 4],
}

/// Type 8, DAC 200 FI 40: signal status (112 data bits).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SignalStatus {
    /// Signal position, longitude in 1/10000 minute.
    pub lon: i32,
    /// Signal position, latitude in 1/10000 minute.
    pub lat: i32,
    /// Signal form (0 = unknown).
    pub form: u8,
    /// Orientation of the signal, degrees (0 = unknown).
    pub facing: u16,
    /// Direction of impact: 0 unknown, 1 upstream, 2 downstream,
    /// 3 to left bank, 4 to right bank.
    pub direction: u8,
    /// Light status (30 bits; gpsd legends for 0–7, see [`LIGHT_STATUS_TEXT`]).
    pub status: u32,
}

/// Hazard legends (`hazard_text`), indexed by [`InlandStatic::hazard`].
pub const HAZARD_TEXT: [&str; 6] = [
    "0 blue cones/lights",
    "1 blue cone/light",
    "2 blue cones/lights",
    "3 blue cones/lights",
    "4 B-Flag",
    "Unknown",
];

/// Load status legends (`loaded_text`), indexed by [`InlandStatic::loaded`].
pub const LOADED_TEXT: [&str; 3] = ["N/A (default)", "Unloaded", "Loaded"];

/// RTA status legends (`status_text` of 6/200/22).
pub const RTA_STATUS_TEXT: [&str; 4] = ["Operational", "Limited operation", "Out of order", "N/A"];

/// EMMA warning type legends (`type_text`).
pub const EMMA_TYPE_TEXT: [&str; 10] = [
    "Not Available",
    "Wind",
    "Rain",
    "Snow and ice",
    "Thunderstorm",
    "Fog",
    "Low temperature",
    "High temperature",
    "Flood",
    "Forest Fire",
];

/// EMMA classification legends (`class_text`).
pub const EMMA_CLASS_TEXT: [&str; 3] = ["Slight", "Medium", "Strong"];

/// EMMA wind direction legends (`wind_text`).
pub const EMMA_WIND_TEXT: [&str; 9] = [
    "N/A",
    "North",
    "North East",
    "East",
    "South East",
    "South",
    "South West",
    "West",
    "North West",
];

/// Direction-of-impact legends (`direction_text` of 8/200/40).
pub const DIRECTION_TEXT: [&str; 5] = [
    "Unknown",
    "Upstream",
    "Downstream",
    "To left bank",
    "To right bank",
];

/// Light status legends (`status_text` of 8/200/40).
pub const LIGHT_STATUS_TEXT: [&str; 8] = [
    "Unknown",
    "No light",
    "White",
    "Yellow",
    "Green",
    "Red",
    "White flashing",
    "Yellow flashing.",
];

/// ERI ship types as gpsd lists them: (ERI code, the matching ITU ship type
/// also accepted in the field, legend).
const ERI_SHIP_TYPES: [(u16, u16, &str); 42] = [
    (8000, 99, "Vessel, type unknown"),
    (8010, 79, "Motor freighter"),
    (8020, 89, "Motor tanker"),
    (8021, 80, "Motor tanker, liquid cargo, type N"),
    (8022, 80, "Motor tanker, liquid cargo, type C"),
    (
        8023,
        89,
        "Motor tanker, dry cargo as if liquid (e.g. cement)",
    ),
    (8030, 79, "Container vessel"),
    (8040, 80, "Gas tanker"),
    (8050, 79, "Motor freighter, tug"),
    (8060, 89, "Motor tanker, tug"),
    (8070, 79, "Motor freighter with one or more ships alongside"),
    (8080, 89, "Motor freighter with tanker"),
    (8090, 79, "Motor freighter pushing one or more freighters"),
    (8100, 89, "Motor freighter pushing at least one tank-ship"),
    (8110, 79, "Tug, freighter"),
    (8120, 89, "Tug, tanker"),
    (8130, 31, "Tug freighter, coupled"),
    (8140, 31, "Tug, freighter/tanker, coupled"),
    (8150, 99, "Freightbarge"),
    (8160, 99, "Tankbarge"),
    (8161, 90, "Tankbarge, liquid cargo, type N"),
    (8162, 90, "Tankbarge, liquid cargo, type C"),
    (8163, 99, "Tankbarge, dry cargo as if liquid (e.g. cement)"),
    (8170, 99, "Freightbarge with containers"),
    (8180, 90, "Tankbarge, gas"),
    (8210, 79, "Pushtow, one cargo barge"),
    (8220, 79, "Pushtow, two cargo barges"),
    (8230, 79, "Pushtow, three cargo barges"),
    (8240, 79, "Pushtow, four cargo barges"),
    (8250, 79, "Pushtow, five cargo barges"),
    (8260, 79, "Pushtow, six cargo barges"),
    (8270, 79, "Pushtow, seven cargo barges"),
    (8280, 79, "Pushtow, eigth cargo barges"),
    (8290, 79, "Pushtow, nine or more barges"),
    (8310, 80, "Pushtow, one tank/gas barge"),
    (
        8320,
        80,
        "Pushtow, two barges at least one tanker or gas barge",
    ),
    (
        8330,
        80,
        "Pushtow, three barges at least one tanker or gas barge",
    ),
    (
        8340,
        80,
        "Pushtow, four barges at least one tanker or gas barge",
    ),
    (
        8350,
        80,
        "Pushtow, five barges at least one tanker or gas barge",
    ),
    (
        8360,
        80,
        "Pushtow, six barges at least one tanker or gas barge",
    ),
    (
        8370,
        80,
        "Pushtow, seven barges at least one tanker or gas barg",
    ),
    (0, 0, "Illegal ship type value."),
];

/// The legend gpsd prints as `shiptype_text` for an Inland ship type: the
/// first table entry whose ERI code or ITU equivalent equals `ship_type`,
/// else "Illegal ship type value.".
pub fn eri_ship_type_text(ship_type: u16) -> &'static str {
    ERI_SHIP_TYPES
        .iter()
        .find(|&&(code, itu, _)| code == ship_type || itu == ship_type || code == 0)
        .map_or("Illegal ship type value.", |e| e.2)
}

/// The 25 text characters that open 6/200/21 and 6/200/22.
type Location = (AisText<2>, AisText<3>, AisText<5>, AisText<5>, AisText<5>);

fn location(r: &mut BitReader<'_>) -> Location {
    (text(r), text(r), text(r), text(r), text(r))
}

pub(crate) fn eta(r: &mut BitReader<'_>) -> InlandEta {
    let (country, locode, section, terminal, hectometre) = location(r);
    InlandEta {
        country,
        locode,
        section,
        terminal,
        hectometre,
        month: u8_(r, 4),
        day: u8_(r, 5),
        hour: u8_(r, 5),
        minute: u8_(r, 6),
        tugs: u8_(r, 3),
        air_draught: u16_(r, 12),
    }
}

pub(crate) fn rta(r: &mut BitReader<'_>) -> InlandRta {
    let (country, locode, section, terminal, hectometre) = location(r);
    InlandRta {
        country,
        locode,
        section,
        terminal,
        hectometre,
        month: u8_(r, 4),
        day: u8_(r, 5),
        hour: u8_(r, 5),
        minute: u8_(r, 6),
        status: u8_(r, 2),
    }
}

pub(crate) fn persons(r: &mut BitReader<'_>) -> InlandPersons {
    InlandPersons {
        crew: u8_(r, 8),
        passengers: u16_(r, 13),
        personnel: u8_(r, 8),
    }
}

/// `None` when the hazard code is out of range: gpsd treats that as a
/// false DAC/FI match and prints raw data.
pub(crate) fn ship_static(r: &mut BitReader<'_>) -> Option<InlandStatic> {
    let s = InlandStatic {
        vin: text(r),
        length: u16_(r, 13),
        beam: u16_(r, 10),
        ship_type: u16_(r, 14),
        hazard: u8_(r, 3),
        draught: u16_(r, 11),
        loaded: u8_(r, 2),
        speed_q: r.flag(),
        course_q: r.flag(),
        heading_q: r.flag(),
    };
    (usize::from(s.hazard) < HAZARD_TEXT.len()).then_some(s)
}

pub(crate) fn emma_warning(r: &mut BitReader<'_>) -> EmmaWarning {
    EmmaWarning {
        start_year: u8_(r, 8),
        start_month: u8_(r, 4),
        start_day: u8_(r, 5),
        end_year: u8_(r, 8),
        end_month: u8_(r, 4),
        end_day: u8_(r, 5),
        start_hour: u8_(r, 5),
        start_minute: u8_(r, 6),
        end_hour: u8_(r, 5),
        end_minute: u8_(r, 6),
        start_lon: r.i(28),
        start_lat: r.i(27),
        end_lon: r.i(28),
        end_lat: r.i(27),
        kind: u8_(r, 4),
        min: r.i(9) as i16,
        max: r.i(9) as i16,
        intensity: u8_(r, 2),
        wind: u8_(r, 4),
    }
}

pub(crate) fn water_levels(r: &mut BitReader<'_>) -> WaterLevels {
    let country = text(r);
    let mut gauges = [Gauge::default(); 4];
    for g in &mut gauges {
        g.id = u16_(r, 11);
        g.level = r.i(14) as i16;
    }
    WaterLevels { country, gauges }
}

pub(crate) fn signal_status(r: &mut BitReader<'_>) -> SignalStatus {
    SignalStatus {
        lon: r.i(28),
        lat: r.i(27),
        form: u8_(r, 4),
        facing: u16_(r, 9),
        direction: u8_(r, 3),
        status: r.u(30),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ship_type_legends_match_code_or_itu_type() {
        assert_eq!(eri_ship_type_text(8010), "Motor freighter");
        assert_eq!(eri_ship_type_text(79), "Motor freighter");
        assert_eq!(eri_ship_type_text(80), "Motor tanker, liquid cargo, type N");
        assert_eq!(eri_ship_type_text(8400), "Illegal ship type value.");
        assert_eq!(eri_ship_type_text(0), "Illegal ship type value.");
    }
}
