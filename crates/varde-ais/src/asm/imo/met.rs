//! Meteorological and hydrological data (IMO236 8/1/11, IMO289 8/1/31).

use crate::asm::{u16_, u8_};
use crate::bits::BitReader;

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
