//! Regional application messages gpsd decodes outside DAC 1 and 200:
//! DAC 235 (UK) and DAC 250 (Ireland), General Lighthouse Authorities.

use super::{u16_, u8_};
use crate::bits::BitReader;

/// Type 6, DAC 235/250 FI 10: GLA AtoN monitoring data (48 data bits).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AtonMonitoring {
    /// Internal analogue reading (supply voltage), units of 0.05 V.
    pub ana_int: u16,
    /// External analogue reading 1, units of 0.05 V.
    pub ana_ext1: u16,
    /// External analogue reading 2, units of 0.05 V.
    pub ana_ext2: u16,
    /// RACON status (0 none, 1 not monitored, 2 operational, 3 error).
    pub racon: u8,
    /// Light status (0 none/not monitored, 1 on, 2 off, 3 error).
    pub light: u8,
    /// Health alarm.
    pub alarm: bool,
    /// External status bits (8 digital inputs).
    pub stat_ext: u8,
    /// Off-position status.
    pub off_pos: bool,
}

/// RACON status legends, as gpsd prints them (`racon_text`).
pub const RACON_TEXT: [&str; 4] = [
    "No RACON installed",
    "RACON not monitored",
    "RACON operational",
    "RACON ERROR",
];

/// Light status legends, as gpsd prints them (`light_text`).
pub const LIGHT_TEXT: [&str; 4] = [
    "No light or no monitoring",
    "Light ON",
    "Light OFF",
    "Light ERROR",
];

pub(crate) fn aton_monitoring(r: &mut BitReader<'_>) -> AtonMonitoring {
    AtonMonitoring {
        ana_int: u16_(r, 10),
        ana_ext1: u16_(r, 10),
        ana_ext2: u16_(r, 10),
        racon: u8_(r, 2),
        light: u8_(r, 2),
        alarm: r.flag(),
        stat_ext: u8_(r, 8),
        off_pos: r.flag(),
    }
}
