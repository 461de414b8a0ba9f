//! DAC 1 (international): IMO SN.1/Circ.236 (2004, trial messages) and
//! IMO SN.1/Circ.289 (2010) application messages, as gpsd decodes them.
//!
//! Position units: "1/1000 minute" fields (25/24 bits) divide by 60 000 to
//! give degrees; "1/10000 minute" fields (28/27 bits) by 600 000.

use super::{text, u16_, u8_};
use crate::bits::BitReader;
use crate::text::AisText;

/// Type 6, DAC 1 FI 12: IMO236 dangerous cargo indication.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DangerousCargo236 {
    /// Last port of call, UN/LOCODE (5 characters).
    pub last_port: AisText<5>,
    /// Departure month (UTC, 0 = not available).
    pub last_month: u8,
    /// Departure day (UTC, 0 = not available).
    pub last_day: u8,
    /// Departure hour (UTC, 24 = not available).
    pub last_hour: u8,
    /// Departure minute (UTC, 60 = not available).
    pub last_minute: u8,
    /// Next port of call, UN/LOCODE (5 characters).
    pub next_port: AisText<5>,
    /// ETA month (UTC, 0 = not available).
    pub next_month: u8,
    /// ETA day (UTC, 0 = not available).
    pub next_day: u8,
    /// ETA hour (UTC, 24 = not available).
    pub next_hour: u8,
    /// ETA minute (UTC, 60 = not available).
    pub next_minute: u8,
    /// Main dangerous good (20 characters).
    pub dangerous: AisText<20>,
    /// IMD category (4 characters).
    pub imd_category: AisText<4>,
    /// UN number (0 = not available).
    pub un_number: u16,
    /// Amount of cargo (in `unit`s).
    pub amount: u16,
    /// Unit of quantity: 0 n/a, 1 m³, 2 tonnes, 3 kg... (code as sent).
    pub unit: u8,
}

/// One window of a [`TidalWindow`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Tidal {
    /// Longitude: 1/10000 minute (28 bits) in 6/1/14, 1/1000 minute
    /// (25 bits) in 6/1/32.
    pub lon: i32,
    /// Latitude: 1/10000 minute (27 bits) in 6/1/14, 1/1000 minute
    /// (24 bits) in 6/1/32.
    pub lat: i32,
    /// Window opens: hour (UTC).
    pub from_hour: u8,
    /// Window opens: minute (UTC).
    pub from_min: u8,
    /// Window closes: hour (UTC).
    pub to_hour: u8,
    /// Window closes: minute (UTC).
    pub to_min: u8,
    /// Predicted current direction, degrees (360 = not available).
    pub cdir: u16,
    /// Predicted current speed, 0.1 knot (7 bits in 6/1/14, 8 in 6/1/32).
    pub cspeed: u8,
}

/// Types 6 DAC 1 FI 14 (IMO236) and FI 32 (IMO289): tidal window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TidalWindow {
    /// Month (UTC, 0 = not available).
    pub month: u8,
    /// Day (UTC, 0 = not available).
    pub day: u8,
    /// The windows: one per element started within the payload (gpsd's
    /// rule; a window cut short reads its missing bits as zeros).
    pub tidals: Vec<Tidal>,
}

/// Types 6 and 8, DAC 1 FI 15: IMO236 extended ship static and voyage data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExtendedShipStatic {
    /// Air draught, metres (0 = not available).
    pub air_draught: u16,
}

/// Types 6 and 8, DAC 1 FI 16: number of persons on board.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PersonsOnBoard {
    /// Persons on board (0 = not available, 8191 = 8191 or more).
    pub persons: u16,
}

/// Type 6, DAC 1 FI 18: IMO289 clearance time to enter port.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClearanceTime {
    /// Message linkage id.
    pub linkage: u16,
    /// Clearance month (UTC, 0 = not available).
    pub month: u8,
    /// Clearance day (UTC, 0 = not available).
    pub day: u8,
    /// Clearance hour (UTC, 24 = not available).
    pub hour: u8,
    /// Clearance minute (UTC, 60 = not available).
    pub minute: u8,
    /// Name of port and berth (20 characters).
    pub port_name: AisText<20>,
    /// Destination, UN/LOCODE (5 characters).
    pub destination: AisText<5>,
    /// Position, longitude in 1/1000 minute (181000 = not available).
    pub lon: i32,
    /// Position, latitude in 1/1000 minute (91000 = not available).
    pub lat: i32,
}

/// Names of the 26 two-bit service fields of [`Berthing`], in transmission
/// order (and gpsd's JSON keys).
pub const BERTH_SERVICES: [&str; 26] = [
    "agent",
    "fuel",
    "chandler",
    "stevedore",
    "electrical",
    "water",
    "customs",
    "cartage",
    "crane",
    "lift",
    "medical",
    "navrepair",
    "provisions",
    "shiprepair",
    "surveyor",
    "steam",
    "tugs",
    "solidwaste",
    "liquidwaste",
    "hazardouswaste",
    "ballast",
    "additional",
    "regional1",
    "regional2",
    "future1",
    "future2",
];

/// Type 6, DAC 1 FI 20: IMO289 berthing data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Berthing {
    /// Message linkage id.
    pub linkage: u16,
    /// Berth length, metres (0 = not available).
    pub berth_length: u16,
    /// Water depth at berth, 0.1 m (0 = not available).
    pub berth_depth: u8,
    /// Mooring position: 0 n/a, 1 port-side to, 2 starboard-side to,
    /// 3 Mediterranean mooring, 4 mooring buoy, 5 anchorage.
    pub position: u8,
    /// Berthing month (UTC, 0 = not available).
    pub month: u8,
    /// Berthing day (UTC, 0 = not available).
    pub day: u8,
    /// Berthing hour (UTC, 24 = not available).
    pub hour: u8,
    /// Berthing minute (UTC, 60 = not available).
    pub minute: u8,
    /// Services availability flag (1 = the service fields are valid).
    pub availability: bool,
    /// Service status codes (0 n/a, 1 available, 2 not available,
    /// 3 reserved), named by [`BERTH_SERVICES`].
    pub services: [u8; 26],
    /// Name of berth (20 characters).
    pub berth_name: AisText<20>,
    /// Berth position, longitude in 1/1000 minute.
    pub berth_lon: i32,
    /// Berth position, latitude in 1/1000 minute.
    pub berth_lat: i32,
}

/// One cargo of a [`DangerousCargo289`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cargo {
    /// Cargo code (IMDG class / BC / MARPOL code family).
    pub code: u8,
    /// Cargo subtype (13 bits, meaning depends on `code`).
    pub subtype: u16,
}

/// Type 6, DAC 1 FI 25: IMO289 dangerous cargo indication.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DangerousCargo289 {
    /// Unit of quantity (0 n/a, 1 kg, 2 tonnes, 3 thousand tonnes).
    pub unit: u8,
    /// Amount of cargo, in `unit`s.
    pub amount: u16,
    /// Cargos: one per element started within the payload (gpsd's rule).
    pub cargos: Vec<Cargo>,
}

/// One waypoint of a [`RouteInfo`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Waypoint {
    /// Longitude, 1/10000 minute.
    pub lon: i32,
    /// Latitude, 1/10000 minute.
    pub lat: i32,
}

/// Type 6 DAC 1 FI 28 and type 8 DAC 1 FI 27: IMO289 route information.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteInfo {
    /// Message linkage id.
    pub linkage: u16,
    /// Sender classification (0 ship, 1 authority, 2–7 reserved).
    pub sender: u8,
    /// Route type (0 undefined, 1 mandatory, 2 recommended, 3 alternative,
    /// 4 through ice, 5 ship route plan, 31 cancel).
    pub rtype: u8,
    /// Start month (UTC).
    pub month: u8,
    /// Start day (UTC).
    pub day: u8,
    /// Start hour (UTC).
    pub hour: u8,
    /// Start minute (UTC).
    pub minute: u8,
    /// Duration, minutes (0 = cancel route).
    pub duration: u32,
    /// Waypoints: exactly the transmitted count (0–31); waypoints beyond the
    /// payload read as zeros, as in gpsd.
    pub waypoints: Vec<Waypoint>,
}

/// Type 6 DAC 1 FI 30 and type 8 DAC 1 FI 29: IMO289 text description.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextDescription {
    /// Message linkage id.
    pub linkage: u16,
    /// Free text, all whole six-bit characters after the linkage id.
    pub text: AisText<161>,
}

/// Type 8, DAC 1 FI 11: IMO236 meteorological and hydrological data.
/// Unscaled values; the offsets and divisors are gpsd's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MetHydro236 {
    /// Latitude, 1/1000 minute (24 bits).
    pub lat: i32,
    /// Longitude, 1/1000 minute (25 bits).
    pub lon: i32,
    /// Day of observation (UTC).
    pub day: u8,
    /// Hour of observation (UTC).
    pub hour: u8,
    /// Minute of observation (UTC).
    pub minute: u8,
    /// Average wind speed, knots (127 = not available).
    pub wspeed: u8,
    /// Wind gust, knots (127 = not available).
    pub wgust: u8,
    /// Wind direction, degrees (511 = not available).
    pub wdir: u16,
    /// Wind gust direction, degrees (511 = not available).
    pub wgustdir: u16,
    /// Air temperature, 0.1 °C with offset 600 (value − 600) / 10 °C;
    /// 2047 = not available.
    pub airtemp: u16,
    /// Relative humidity, % (127 = not available).
    pub humidity: u8,
    /// Dew point, (value − 200) / 10 °C; 1023 = not available.
    pub dewpoint: u16,
    /// Air pressure, value + 800 hPa; 511 = not available.
    pub pressure: u16,
    /// Pressure tendency: 0 steady, 1 increasing, 2 decreasing, 3 n/a.
    pub pressuretend: u8,
    /// Horizontal visibility, 0.1 nautical mile (255 = not available).
    pub visibility: u8,
    /// Water level, (value − 100) / 10 m; 511 = not available.
    pub waterlevel: u16,
    /// Water level trend: 0 steady, 1 increasing, 2 decreasing, 3 n/a.
    pub leveltrend: u8,
    /// Surface current speed, 0.1 knot (255 = not available).
    pub cspeed: u8,
    /// Surface current direction, degrees (511 = not available).
    pub cdir: u16,
    /// Current 2 speed, 0.1 knot.
    pub cspeed2: u8,
    /// Current 2 direction, degrees.
    pub cdir2: u16,
    /// Current 2 measuring depth, metres (31 = not available).
    pub cdepth2: u8,
    /// Current 3 speed, 0.1 knot.
    pub cspeed3: u8,
    /// Current 3 direction, degrees.
    pub cdir3: u16,
    /// Current 3 measuring depth, metres.
    pub cdepth3: u8,
    /// Significant wave height, 0.1 m (255 = not available).
    pub waveheight: u8,
    /// Wave period, seconds (63 = not available).
    pub waveperiod: u8,
    /// Wave direction, degrees (511 = not available).
    pub wavedir: u16,
    /// Swell height, 0.1 m.
    pub swellheight: u8,
    /// Swell period, seconds.
    pub swellperiod: u8,
    /// Swell direction, degrees.
    pub swelldir: u16,
    /// Sea state, Beaufort (15 = not available).
    pub seastate: u8,
    /// Water temperature, (value − 100) / 10 °C; 1023 = not available.
    pub watertemp: u16,
    /// Precipitation type (WMO 306 table 4.201; 7 = not available).
    pub preciptype: u8,
    /// Salinity, 0.1 ‰ (511 = not available).
    pub salinity: u16,
    /// Ice: 0 no, 1 yes, 3 not available.
    pub ice: u8,
}

/// Type 8, DAC 1 FI 31: IMO289 meteorological and hydrological data.
/// Unscaled values; the offsets and divisors are gpsd's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MetHydro289 {
    /// Longitude, 1/1000 minute (25 bits).
    pub lon: i32,
    /// Latitude, 1/1000 minute (24 bits).
    pub lat: i32,
    /// Position accuracy: true = high (< 10 m).
    pub accuracy: bool,
    /// Day of observation (UTC).
    pub day: u8,
    /// Hour of observation (UTC).
    pub hour: u8,
    /// Minute of observation (UTC).
    pub minute: u8,
    /// Average wind speed, knots (127 = not available).
    pub wspeed: u8,
    /// Wind gust, knots (127 = not available).
    pub wgust: u8,
    /// Wind direction, degrees (360 = not available).
    pub wdir: u16,
    /// Wind gust direction, degrees (360 = not available).
    pub wgustdir: u16,
    /// Air temperature, 0.1 °C (−1024 = not available).
    pub airtemp: i16,
    /// Relative humidity, % (101 = not available).
    pub humidity: u8,
    /// Dew point, 0.1 °C (501 = not available).
    pub dewpoint: i16,
    /// Air pressure, value + 799 hPa (511 = not available).
    pub pressure: u16,
    /// Pressure tendency: 0 steady, 1 increasing, 2 decreasing, 3 n/a.
    pub pressuretend: u8,
    /// Visibility is greater than the value sent.
    pub visgreater: bool,
    /// Horizontal visibility, 0.1 nautical mile (127 = not available).
    pub visibility: u8,
    /// Water level, (value − 1000) / 100 m (4001 = not available).
    pub waterlevel: u16,
    /// Water level trend: 0 steady, 1 increasing, 2 decreasing, 3 n/a.
    pub leveltrend: u8,
    /// Surface current speed, 0.1 knot (255 = not available).
    pub cspeed: u8,
    /// Surface current direction, degrees (360 = not available).
    pub cdir: u16,
    /// Current 2 speed, 0.1 knot.
    pub cspeed2: u8,
    /// Current 2 direction, degrees.
    pub cdir2: u16,
    /// Current 2 measuring depth, 0.1 m (5 bits as sent; 31 = n/a).
    pub cdepth2: u8,
    /// Current 3 speed, 0.1 knot.
    pub cspeed3: u8,
    /// Current 3 direction, degrees.
    pub cdir3: u16,
    /// Current 3 measuring depth, 0.1 m (5 bits as sent).
    pub cdepth3: u8,
    /// Significant wave height, 0.1 m (255 = not available).
    pub waveheight: u8,
    /// Wave period, seconds (63 = not available).
    pub waveperiod: u8,
    /// Wave direction, degrees (360 = not available).
    pub wavedir: u16,
    /// Swell height, 0.1 m.
    pub swellheight: u8,
    /// Swell period, seconds.
    pub swellperiod: u8,
    /// Swell direction, degrees.
    pub swelldir: u16,
    /// Sea state, Beaufort (13 = not available).
    pub seastate: u8,
    /// Water temperature, 0.1 °C (501 = not available).
    pub watertemp: i16,
    /// Precipitation type (WMO 306 table 4.201; 7 = not available).
    pub preciptype: u8,
    /// Salinity, 0.1 ‰ (510 = not available).
    pub salinity: u16,
    /// Ice: 0 no, 1 yes, 3 not available.
    pub ice: u8,
}

/// Type 8, DAC 1 FI 13: IMO236 fairway closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FairwayClosed {
    /// Reason for closing (20 characters).
    pub reason: AisText<20>,
    /// Location of closing, from (20 characters).
    pub close_from: AisText<20>,
    /// Location of closing, to (20 characters).
    pub close_to: AisText<20>,
    /// Radius extension (10001 = not available), in `extunit`s.
    pub radius: u16,
    /// Unit of extension (0 n/a, 1 km, 2 nautical miles, 3 nautical cables).
    pub extunit: u8,
    /// Closing from: day (UTC).
    pub from_day: u8,
    /// Closing from: month (UTC).
    pub from_month: u8,
    /// Closing from: hour (UTC).
    pub from_hour: u8,
    /// Closing from: minute (UTC).
    pub from_minute: u8,
    /// Closing to: day (UTC).
    pub to_day: u8,
    /// Closing to: month (UTC).
    pub to_month: u8,
    /// Closing to: hour (UTC).
    pub to_hour: u8,
    /// Closing to: minute (UTC).
    pub to_minute: u8,
}

/// Identifier of a [`VtsTarget`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetId {
    /// Type 0: MMSI (42-bit field).
    Mmsi(u64),
    /// Type 1: IMO number (42-bit field).
    Imo(u64),
    /// Type 2: call sign (7 characters).
    Callsign(AisText<7>),
    /// Type 3: other (7 characters).
    Other(AisText<7>),
}

/// One target of a [`VtsTargets`] message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VtsTarget {
    /// Target identifier.
    pub id: TargetId,
    /// Latitude, 1/1000 minute (24 bits).
    pub lat: i32,
    /// Longitude, 1/1000 minute (25 bits).
    pub lon: i32,
    /// Course over ground, degrees (360 = not available).
    pub course: u16,
    /// UTC second of the report (60 = not available).
    pub second: u8,
    /// Speed over ground, knots (255 = not available).
    pub speed: u16,
}

impl VtsTarget {
    /// The two-bit identifier type (0 MMSI, 1 IMO, 2 call sign, 3 other).
    pub fn idtype(&self) -> u8 {
        match self.id {
            TargetId::Mmsi(_) => 0,
            TargetId::Imo(_) => 1,
            TargetId::Callsign(_) => 2,
            TargetId::Other(_) => 3,
        }
    }
}

/// Type 8, DAC 1 FI 17: IMO289 VTS-generated/synthetic targets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VtsTargets {
    /// Targets: one per 122-bit element started at or before the end of the
    /// payload (gpsd's rule; a payload of exactly n elements yields an extra
    /// all-zero target).
    pub targets: Vec<VtsTarget>,
}

/// Type 8, DAC 1 FI 19: IMO289 marine traffic signal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SignalStation {
    /// Message linkage id.
    pub linkage: u16,
    /// Name of the signal station (20 characters).
    pub station: AisText<20>,
    /// Longitude, 1/1000 minute.
    pub lon: i32,
    /// Latitude, 1/1000 minute.
    pub lat: i32,
    /// Status of signal: 0 n/a, 1 in regular service, 2 irregular, 3 reserved.
    pub status: u8,
    /// Signal in service (IALA traffic signal code 1–14, 0 = n/a).
    pub signal: u8,
    /// Hour of next signal shift (UTC, 24 = n/a).
    pub hour: u8,
    /// Minute of next signal shift (UTC, 60 = n/a).
    pub minute: u8,
    /// Expected next signal (same codes as `signal`).
    pub next_signal: u8,
}

/// Route type legends (`rtype_text`), indexed by [`RouteInfo::rtype`].
pub fn route_type_text(rtype: u8) -> &'static str {
    match rtype {
        0 => "Undefined (default)",
        1 => "Mandatory",
        2 => "Recommended",
        3 => "Alternative",
        4 => "Recommended route through ice",
        5 => "Ship route plan",
        31 => "Cancel route identified by message linkage",
        _ => "Reserved for future use.",
    }
}

/// Mooring position legends (`position_text` of 6/1/20).
pub const POSITION_TEXT: [&str; 8] = [
    "Not available",
    "Port-side to",
    "Starboard-side to",
    "Mediterranean (end-on) mooring",
    "Mooring buoy",
    "Anchorage",
    "Reserved for future use",
    "Reserved for future use",
];

/// Identifier type names (`idtype_text`, also the id key) of 8/1/17.
pub const IDTYPE_TEXT: [&str; 4] = ["mmsi", "imo", "callsign", "other"];

/// Traffic signal legends (`signal_text`, `nextsignal_text` of 8/1/19).
pub const SIGNAL_TEXT: [&str; 15] = [
    "N/A",
    "Serious emergency – stop or divert according to instructions.",
    "Vessels shall not proceed.",
    "Vessels may proceed. One way traffic.",
    "Vessels may proceed. Two way traffic.",
    "Vessels shall proceed on specific orders only.",
    "Vessels in main channel shall not proceed.",
    "Vessels in main channel shall proceed on specific orders only.",
    "Vessels in main channel shall proceed on specific orders only.",
    "I = \"in-bound\" only acceptable.",
    "O = \"out-bound\" only acceptable.",
    "F = both \"in- and out-bound\" acceptable.",
    "XI = Code will shift to \"I\" in due time.",
    "XO = Code will shift to \"O\" in due time.",
    "X = Vessels shall proceed only on direction.",
];

/// Tendency legends (`pressuretend`, `leveltrend` when scaled).
pub const TREND_TEXT: [&str; 4] = ["steady", "increasing", "decreasing", "N/A"];

/// Precipitation legends (WMO 306 code table 4.201, `preciptype_text`).
pub const PRECIPTYPE_TEXT: [&str; 8] = [
    "reserved",
    "rain",
    "thunderstorm",
    "freezing rain",
    "mixed/ice",
    "snow",
    "reserved",
    "N/A",
];

/// Ice legends (`ice_text`).
pub const ICE_TEXT: [&str; 4] = ["no", "yes", "reserved", "N/A"];

pub(crate) fn dangerous_cargo_236(r: &mut BitReader<'_>) -> DangerousCargo236 {
    DangerousCargo236 {
        last_port: text(r),
        last_month: u8_(r, 4),
        last_day: u8_(r, 5),
        last_hour: u8_(r, 5),
        last_minute: u8_(r, 6),
        next_port: text(r),
        next_month: u8_(r, 4),
        next_day: u8_(r, 5),
        next_hour: u8_(r, 5),
        next_minute: u8_(r, 6),
        dangerous: text(r),
        imd_category: text(r),
        un_number: u16_(r, 13),
        amount: u16_(r, 10),
        unit: u8_(r, 2),
    }
}

/// Tidal windows: 9 bits of month/day, then elements of 93 bits (IMO236,
/// lat before lon) or 88 bits (IMO289); an element is read whenever it
/// starts at or before the end of the data, as gpsd does.
pub(crate) fn tidal_window(r: &mut BitReader<'_>, len: usize, imo236: bool) -> TidalWindow {
    let month = u8_(r, 4);
    let day = u8_(r, 5);
    let size = if imo236 { 93 } else { 88 };
    let mut tidals = Vec::new();
    let mut at = 9;
    while at <= len {
        let (lon, lat) = if imo236 {
            let lat = r.i(27);
            (r.i(28), lat)
        } else {
            let lon = r.i(25);
            (lon, r.i(24))
        };
        tidals.push(Tidal {
            lon,
            lat,
            from_hour: u8_(r, 5),
            from_min: u8_(r, 6),
            to_hour: u8_(r, 5),
            to_min: u8_(r, 6),
            cdir: u16_(r, 9),
            cspeed: u8_(r, if imo236 { 7 } else { 8 }),
        });
        at += size;
    }
    TidalWindow { month, day, tidals }
}

pub(crate) fn extended_ship_static(r: &mut BitReader<'_>) -> ExtendedShipStatic {
    ExtendedShipStatic {
        air_draught: u16_(r, 11),
    }
}

pub(crate) fn persons_on_board(r: &mut BitReader<'_>) -> PersonsOnBoard {
    PersonsOnBoard {
        persons: u16_(r, 13),
    }
}

pub(crate) fn clearance_time(r: &mut BitReader<'_>) -> ClearanceTime {
    ClearanceTime {
        linkage: u16_(r, 10),
        month: u8_(r, 4),
        day: u8_(r, 5),
        hour: u8_(r, 5),
        minute: u8_(r, 6),
        port_name: text(r),
        destination: text(r),
        lon: r.i(25),
        lat: r.i(24),
    }
}

pub(crate) fn berthing(r: &mut BitReader<'_>) -> Berthing {
    let linkage = u16_(r, 10);
    let berth_length = u16_(r, 9);
    let berth_depth = u8_(r, 8);
    let position = u8_(r, 3);
    let month = u8_(r, 4);
    let day = u8_(r, 5);
    let hour = u8_(r, 5);
    let minute = u8_(r, 6);
    let availability = r.flag();
    let mut services = [0u8; 26];
    for s in &mut services {
        *s = u8_(r, 2);
    }
    Berthing {
        linkage,
        berth_length,
        berth_depth,
        position,
        month,
        day,
        hour,
        minute,
        availability,
        services,
        berth_name: text(r),
        berth_lon: r.i(25),
        berth_lat: r.i(24),
    }
}

/// Cargos of 17 bits after 12 bits of unit/amount, one per element that
/// starts strictly before the end of the data (gpsd's rule).
pub(crate) fn dangerous_cargo_289(r: &mut BitReader<'_>, len: usize) -> DangerousCargo289 {
    let unit = u8_(r, 2);
    let amount = u16_(r, 10);
    let mut cargos = Vec::new();
    let mut at = 12;
    while at < len {
        cargos.push(Cargo {
            code: u8_(r, 4),
            subtype: u16_(r, 13),
        });
        at += 17;
    }
    DangerousCargo289 {
        unit,
        amount,
        cargos,
    }
}

pub(crate) fn route_info(r: &mut BitReader<'_>) -> RouteInfo {
    let linkage = u16_(r, 10);
    let sender = u8_(r, 3);
    let rtype = u8_(r, 5);
    let month = u8_(r, 4);
    let day = u8_(r, 5);
    let hour = u8_(r, 5);
    let minute = u8_(r, 6);
    let duration = r.u(18);
    let count = r.u(5);
    let waypoints = (0..count)
        .map(|_| Waypoint {
            lon: r.i(28),
            lat: r.i(27),
        })
        .collect();
    RouteInfo {
        linkage,
        sender,
        rtype,
        month,
        day,
        hour,
        minute,
        duration,
        waypoints,
    }
}

/// Linkage id, then as many whole characters as the data holds, at most
/// `max_chars` (gpsd's buffer: 153 for type 6, 161 for type 8).
pub(crate) fn text_description(
    r: &mut BitReader<'_>,
    len: usize,
    max_chars: usize,
) -> TextDescription {
    let linkage = u16_(r, 10);
    let chars = (len.saturating_sub(10) / 6).min(max_chars);
    TextDescription {
        linkage,
        text: r.text::<161>(chars),
    }
}

pub(crate) fn met_hydro_236(r: &mut BitReader<'_>) -> MetHydro236 {
    MetHydro236 {
        lat: r.i(24),
        lon: r.i(25),
        day: u8_(r, 5),
        hour: u8_(r, 5),
        minute: u8_(r, 6),
        wspeed: u8_(r, 7),
        wgust: u8_(r, 7),
        wdir: u16_(r, 9),
        wgustdir: u16_(r, 9),
        airtemp: u16_(r, 11),
        humidity: u8_(r, 7),
        dewpoint: u16_(r, 10),
        pressure: u16_(r, 9),
        pressuretend: u8_(r, 2),
        visibility: u8_(r, 8),
        waterlevel: u16_(r, 9),
        leveltrend: u8_(r, 2),
        cspeed: u8_(r, 8),
        cdir: u16_(r, 9),
        cspeed2: u8_(r, 8),
        cdir2: u16_(r, 9),
        cdepth2: u8_(r, 5),
        cspeed3: u8_(r, 8),
        cdir3: u16_(r, 9),
        cdepth3: u8_(r, 5),
        waveheight: u8_(r, 8),
        waveperiod: u8_(r, 6),
        wavedir: u16_(r, 9),
        swellheight: u8_(r, 8),
        swellperiod: u8_(r, 6),
        swelldir: u16_(r, 9),
        seastate: u8_(r, 4),
        watertemp: u16_(r, 10),
        preciptype: u8_(r, 3),
        salinity: u16_(r, 9),
        ice: u8_(r, 2),
    }
}

pub(crate) fn met_hydro_289(r: &mut BitReader<'_>) -> MetHydro289 {
    MetHydro289 {
        lon: r.i(25),
        lat: r.i(24),
        accuracy: r.flag(),
        day: u8_(r, 5),
        hour: u8_(r, 5),
        minute: u8_(r, 6),
        wspeed: u8_(r, 7),
        wgust: u8_(r, 7),
        wdir: u16_(r, 9),
        wgustdir: u16_(r, 9),
        airtemp: r.i(11) as i16,
        humidity: u8_(r, 7),
        dewpoint: r.i(10) as i16,
        pressure: u16_(r, 9),
        pressuretend: u8_(r, 2),
        visgreater: r.flag(),
        visibility: u8_(r, 7),
        waterlevel: u16_(r, 12),
        leveltrend: u8_(r, 2),
        cspeed: u8_(r, 8),
        cdir: u16_(r, 9),
        cspeed2: u8_(r, 8),
        cdir2: u16_(r, 9),
        cdepth2: u8_(r, 5),
        cspeed3: u8_(r, 8),
        cdir3: u16_(r, 9),
        cdepth3: u8_(r, 5),
        waveheight: u8_(r, 8),
        waveperiod: u8_(r, 6),
        wavedir: u16_(r, 9),
        swellheight: u8_(r, 8),
        swellperiod: u8_(r, 6),
        swelldir: u16_(r, 9),
        seastate: u8_(r, 4),
        watertemp: r.i(10) as i16,
        preciptype: u8_(r, 3),
        salinity: u16_(r, 9),
        ice: u8_(r, 2),
    }
}

pub(crate) fn fairway_closed(r: &mut BitReader<'_>) -> FairwayClosed {
    FairwayClosed {
        reason: text(r),
        close_from: text(r),
        close_to: text(r),
        radius: u16_(r, 10),
        extunit: u8_(r, 2),
        from_day: u8_(r, 5),
        from_month: u8_(r, 4),
        from_hour: u8_(r, 5),
        from_minute: u8_(r, 6),
        to_day: u8_(r, 5),
        to_month: u8_(r, 4),
        to_hour: u8_(r, 5),
        to_minute: u8_(r, 6),
    }
}

pub(crate) fn vts_targets(r: &mut BitReader<'_>, len: usize) -> VtsTargets {
    let mut targets = Vec::new();
    let mut at = 0;
    while at <= len {
        let idtype = r.u(2);
        let id = match idtype {
            0 | 1 => {
                let hi = u64::from(r.u(10));
                let v = (hi << 32) | u64::from(r.u(32));
                if idtype == 0 {
                    TargetId::Mmsi(v)
                } else {
                    TargetId::Imo(v)
                }
            }
            2 => TargetId::Callsign(text(r)),
            _ => TargetId::Other(text(r)),
        };
        r.skip(4);
        targets.push(VtsTarget {
            id,
            lat: r.i(24),
            lon: r.i(25),
            course: u16_(r, 9),
            second: u8_(r, 6),
            speed: u16_(r, 10),
        });
        at += 122;
    }
    VtsTargets { targets }
}

pub(crate) fn signal_station(r: &mut BitReader<'_>) -> SignalStation {
    SignalStation {
        linkage: u16_(r, 10),
        station: text(r),
        lon: r.i(25),
        lat: r.i(24),
        status: u8_(r, 2),
        signal: u8_(r, 5),
        hour: u8_(r, 5),
        minute: u8_(r, 6),
        next_signal: u8_(r, 5),
    }
}
