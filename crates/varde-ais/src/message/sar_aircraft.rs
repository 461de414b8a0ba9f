//! Type 9: standard SAR aircraft position report (168 bits).

use super::units::{self, PER_DEGREE_1_10000_MIN};
use super::{check_min, header, write_header, DecodeError};
use crate::bits::{BitWriter, Payload};

/// Position report of a search-and-rescue aircraft (type 9).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SarAircraftReport {
    /// Repeat indicator, 0–3.
    pub repeat: u8,
    /// Sender MMSI (111MIDxxx for SAR aircraft).
    pub mmsi: u32,
    /// Altitude in metres (GNSS); 4095 = not available, 4094 = ≥ 4094 m.
    pub alt: u16,
    /// Speed over ground in knots (not tenths); 1023 = not available,
    /// 1022 = ≥ 1022 kn.
    pub speed: u16,
    /// Position accuracy flag: true = high (≤ 10 m).
    pub accuracy: bool,
    /// Longitude in 1/10000 minute; 181° = not available.
    pub lon: i32,
    /// Latitude in 1/10000 minute; 91° = not available.
    pub lat: i32,
    /// Course over ground in 1/10 degree; 3600 = not available.
    pub course: u16,
    /// UTC second, 0–59; 60–63 special values as in type 1.
    pub second: u8,
    /// Altitude sensor / regional reserved bits (8).
    pub regional: u8,
    /// Data terminal equipment: false = available.
    pub dte: bool,
    /// Spare bits (3), kept for exact re-encoding.
    pub spare: u8,
    /// Assigned mode flag.
    pub assigned: bool,
    /// RAIM in use.
    pub raim: bool,
    /// Radio status (20 bits).
    pub radio: u32,
}

impl SarAircraftReport {
    #[inline(always)]
    pub(crate) fn decode(p: &Payload) -> Result<Self, DecodeError> {
        // A reader of its own, at bit 0: field positions are constants.
        let r = &mut p.reader();
        let (msg_type, repeat, mmsi) = header(r);
        check_min(r, msg_type, 168)?;
        Ok(Self {
            repeat,
            mmsi,
            alt: r.u(12) as u16,
            speed: r.u(10) as u16,
            accuracy: r.flag(),
            lon: r.i(28),
            lat: r.i(27),
            course: r.u(12) as u16,
            second: r.u(6) as u8,
            regional: r.u(8) as u8,
            dte: r.flag(),
            spare: r.u(3) as u8,
            assigned: r.flag(),
            raim: r.flag(),
            radio: r.u(20),
        })
    }

    pub(crate) fn encode(&self, w: &mut BitWriter) {
        write_header(w, 9, self.repeat, self.mmsi);
        w.u(12, self.alt.into())
            .u(10, self.speed.into())
            .flag(self.accuracy)
            .i(28, self.lon)
            .i(27, self.lat)
            .u(12, self.course.into())
            .u(6, self.second.into())
            .u(8, self.regional.into())
            .flag(self.dte)
            .u(3, self.spare.into())
            .flag(self.assigned)
            .flag(self.raim)
            .u(20, self.radio);
    }

    /// Longitude in degrees, `None` when not available.
    pub fn lon_deg(&self) -> Option<f64> {
        units::lon_deg(self.lon, PER_DEGREE_1_10000_MIN)
    }

    /// Latitude in degrees, `None` when not available.
    pub fn lat_deg(&self) -> Option<f64> {
        units::lat_deg(self.lat, PER_DEGREE_1_10000_MIN)
    }

    /// Altitude in metres, `None` when not available.
    pub fn alt_m(&self) -> Option<u16> {
        (self.alt < 4095).then_some(self.alt)
    }

    /// Speed over ground in knots, `None` when not available.
    pub fn sog_knots(&self) -> Option<u16> {
        (self.speed < 1023).then_some(self.speed)
    }

    /// Course over ground in degrees, `None` when not available.
    pub fn cog_deg(&self) -> Option<f32> {
        units::cog_deg(self.course)
    }
}
