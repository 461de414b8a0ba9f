//! Types 4 and 11: base station report / UTC and date response (168 bits).

use super::units::{self, PER_DEGREE_1_10000_MIN};
use super::{check_min, header, write_header, DecodeError};
use crate::bits::{BitWriter, Payload};

/// Base station report (type 4) or UTC/date response (type 11).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct BaseStationReport {
    /// Message type: 4 or 11.
    pub msg_type: u8,
    /// Repeat indicator, 0–3.
    pub repeat: u8,
    /// Sender MMSI.
    pub mmsi: u32,
    /// UTC year, 1–9999; 0 = not available.
    pub year: u16,
    /// UTC month, 1–12; 0 = not available.
    pub month: u8,
    /// UTC day, 1–31; 0 = not available.
    pub day: u8,
    /// UTC hour, 0–23; 24 = not available.
    pub hour: u8,
    /// UTC minute, 0–59; 60 = not available.
    pub minute: u8,
    /// UTC second, 0–59; 60 = not available.
    pub second: u8,
    /// Position accuracy flag: true = high (≤ 10 m).
    pub accuracy: bool,
    /// Longitude in 1/10000 minute; 181° = not available.
    pub lon: i32,
    /// Latitude in 1/10000 minute; 91° = not available.
    pub lat: i32,
    /// Type of electronic position fixing device, 0–15 (1 GPS, 7 surveyed,
    /// 15 internal GNSS).
    pub epfd: u8,
    /// Spare bits (10), kept for exact re-encoding.
    pub spare: u16,
    /// RAIM in use.
    pub raim: bool,
    /// Radio status (19 bits, SOTDMA/ITDMA communication state).
    pub radio: u32,
}

impl BaseStationReport {
    #[inline(always)]
    pub(crate) fn decode(p: &Payload) -> Result<Self, DecodeError> {
        // A reader of its own, at bit 0: field positions are constants.
        let r = &mut p.reader();
        let (msg_type, repeat, mmsi) = header(r);
        check_min(r, msg_type, 168)?;
        Ok(Self {
            msg_type,
            repeat,
            mmsi,
            year: r.u(14) as u16,
            month: r.u(4) as u8,
            day: r.u(5) as u8,
            hour: r.u(5) as u8,
            minute: r.u(6) as u8,
            second: r.u(6) as u8,
            accuracy: r.flag(),
            lon: r.i(28),
            lat: r.i(27),
            epfd: r.u(4) as u8,
            spare: r.u(10) as u16,
            raim: r.flag(),
            radio: r.u(19),
        })
    }

    pub(crate) fn encode(&self, w: &mut BitWriter) {
        write_header(w, self.msg_type, self.repeat, self.mmsi);
        w.u(14, self.year.into())
            .u(4, self.month.into())
            .u(5, self.day.into())
            .u(5, self.hour.into())
            .u(6, self.minute.into())
            .u(6, self.second.into())
            .flag(self.accuracy)
            .i(28, self.lon)
            .i(27, self.lat)
            .u(4, self.epfd.into())
            .u(10, self.spare.into())
            .flag(self.raim)
            .u(19, self.radio);
    }

    /// Longitude in degrees, `None` when not available.
    pub fn lon_deg(&self) -> Option<f64> {
        units::lon_deg(self.lon, PER_DEGREE_1_10000_MIN)
    }

    /// Latitude in degrees, `None` when not available.
    pub fn lat_deg(&self) -> Option<f64> {
        units::lat_deg(self.lat, PER_DEGREE_1_10000_MIN)
    }

    /// The UTC time as (year, month, day, hour, minute, second) when every
    /// part is in range; `None` when any part is "not available" or invalid.
    pub fn utc(&self) -> Option<(u16, u8, u8, u8, u8, u8)> {
        let ok = (1..=9999).contains(&self.year)
            && (1..=12).contains(&self.month)
            && (1..=31).contains(&self.day)
            && self.hour < 24
            && self.minute < 60
            && self.second < 60;
        ok.then_some((
            self.year,
            self.month,
            self.day,
            self.hour,
            self.minute,
            self.second,
        ))
    }
}
