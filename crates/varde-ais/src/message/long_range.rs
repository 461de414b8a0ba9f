//! Type 27: long-range AIS broadcast (96 bits, satellite reception).

use super::units::{self, PER_DEGREE_1_10_MIN};
use super::{header, write_header, DecodeError};
use crate::bits::{BitWriter, Payload};

/// Long-range position report (type 27).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LongRangeReport {
    /// Repeat indicator, 0–3.
    pub repeat: u8,
    /// Sender MMSI.
    pub mmsi: u32,
    /// Position accuracy flag: true = high (≤ 10 m).
    pub accuracy: bool,
    /// RAIM in use.
    pub raim: bool,
    /// Navigational status, 0–15 (as type 1).
    pub status: u8,
    /// Longitude in 1/10 minute (18 bits); 181° = not available.
    pub lon: i32,
    /// Latitude in 1/10 minute (17 bits); 91° = not available.
    pub lat: i32,
    /// Speed over ground in whole knots, 0–62; 63 = not available.
    pub speed: u8,
    /// Course over ground in whole degrees, 0–359; 511 = not available.
    pub course: u16,
    /// Position latency: false = less than 5 s, true = more.
    pub gnss: bool,
    /// Spare bit.
    pub spare: bool,
}

impl LongRangeReport {
    #[inline(always)]
    pub(crate) fn decode(p: &Payload) -> Result<Self, DecodeError> {
        // A reader of its own, at bit 0: field positions are constants.
        let r = &mut p.reader();
        let (msg_type, repeat, mmsi) = header(r);
        // gpsd accepts 96 bits and the over-long 168-bit form seen in the wild.
        if r.len() != 96 && r.len() != 168 {
            return Err(DecodeError::BadLength {
                msg_type,
                bits: r.len(),
            });
        }
        Ok(Self {
            repeat,
            mmsi,
            accuracy: r.flag(),
            raim: r.flag(),
            status: r.u(4) as u8,
            lon: r.i(18),
            lat: r.i(17),
            speed: r.u(6) as u8,
            course: r.u(9) as u16,
            gnss: r.flag(),
            spare: r.flag(),
        })
    }

    pub(crate) fn encode(&self, w: &mut BitWriter) {
        write_header(w, 27, self.repeat, self.mmsi);
        w.flag(self.accuracy)
            .flag(self.raim)
            .u(4, self.status.into())
            .i(18, self.lon)
            .i(17, self.lat)
            .u(6, self.speed.into())
            .u(9, self.course.into())
            .flag(self.gnss)
            .flag(self.spare);
    }

    /// Longitude in degrees, `None` when not available.
    pub fn lon_deg(&self) -> Option<f64> {
        units::lon_deg(self.lon, PER_DEGREE_1_10_MIN)
    }

    /// Latitude in degrees, `None` when not available.
    pub fn lat_deg(&self) -> Option<f64> {
        units::lat_deg(self.lat, PER_DEGREE_1_10_MIN)
    }

    /// Speed over ground in knots, `None` when not available.
    pub fn sog_knots(&self) -> Option<u8> {
        (self.speed < 63).then_some(self.speed)
    }

    /// Course over ground in degrees, `None` when not available.
    pub fn cog_deg(&self) -> Option<u16> {
        (self.course < 360).then_some(self.course)
    }
}
