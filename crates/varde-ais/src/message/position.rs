//! Types 1, 2 and 3: Class A position report (168 bits).

use super::units::{self, PER_DEGREE_1_10000_MIN};
use super::{check_len, header, write_header, DecodeError};
use crate::bits::{BitWriter, Payload};

/// Class A position report (message types 1, 2 and 3, ITU-R M.1371 §3.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PositionReport {
    /// Message type: 1 or 2 (scheduled / assigned SOTDMA), 3 (ITDMA).
    pub msg_type: u8,
    /// Repeat indicator, 0–3.
    pub repeat: u8,
    /// Sender MMSI.
    pub mmsi: u32,
    /// Navigational status, 0–15 (0 under way using engine, 1 at anchor,
    /// 5 moored, 15 not defined).
    pub status: u8,
    /// Rate of turn, raw ROT_AIS: ±126 → ±708°/min (`4.733·√ROT`), ±127 turning
    /// faster than 5°/30 s without indicator, -128 not available.
    pub turn: i8,
    /// Speed over ground in 1/10 knot; 1023 = not available, 1022 = ≥ 102.2 kn.
    pub speed: u16,
    /// Position accuracy flag: true = high (≤ 10 m, DGNSS).
    pub accuracy: bool,
    /// Longitude in 1/10000 minute (600 000 per degree); 181° = not available.
    pub lon: i32,
    /// Latitude in 1/10000 minute; 91° = not available.
    pub lat: i32,
    /// Course over ground in 1/10 degree; 3600 = not available.
    pub course: u16,
    /// True heading in degrees, 0–359; 511 = not available.
    pub heading: u16,
    /// UTC second of the report, 0–59; 60 n/a, 61 manual, 62 dead reckoning,
    /// 63 inoperative.
    pub second: u8,
    /// Special manoeuvre indicator: 0 n/a, 1 none, 2 engaged.
    pub maneuver: u8,
    /// Spare bits (3), kept for exact re-encoding.
    pub spare: u8,
    /// RAIM in use.
    pub raim: bool,
    /// Radio status (19 bits, SOTDMA/ITDMA communication state).
    pub radio: u32,
}

impl PositionReport {
    #[inline(always)]
    pub(crate) fn decode(p: &Payload) -> Result<Self, DecodeError> {
        // A reader of its own, at bit 0: field positions are constants.
        let r = &mut p.reader();
        let (msg_type, repeat, mmsi) = header(r);
        // gpsd accepts 163 to 204 bits (short and long senders exist).
        check_len(r, msg_type, 163, 204)?;
        let bits = r.len();
        Ok(Self {
            msg_type,
            repeat,
            mmsi,
            status: r.u(4) as u8,
            turn: r.i(8) as i8,
            speed: r.u(10) as u16,
            accuracy: r.flag(),
            lon: r.i(28),
            lat: r.i(27),
            course: r.u(12) as u16,
            heading: r.u(9) as u16,
            second: r.u(6) as u8,
            maneuver: r.u(2) as u8,
            spare: r.u(3) as u8,
            raim: r.flag(),
            // A short report carries only the first bits of the radio field.
            radio: r.u(bits.clamp(150, 168) as u32 - 149),
        })
    }

    pub(crate) fn encode(&self, w: &mut BitWriter) {
        write_header(w, self.msg_type, self.repeat, self.mmsi);
        w.u(4, self.status.into())
            .i(8, self.turn.into())
            .u(10, self.speed.into())
            .flag(self.accuracy)
            .i(28, self.lon)
            .i(27, self.lat)
            .u(12, self.course.into())
            .u(9, self.heading.into())
            .u(6, self.second.into())
            .u(2, self.maneuver.into())
            .u(3, self.spare.into())
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

    /// Speed over ground in knots, `None` when not available.
    pub fn sog_knots(&self) -> Option<f32> {
        units::sog_knots(self.speed)
    }

    /// Course over ground in degrees, `None` when not available.
    pub fn cog_deg(&self) -> Option<f32> {
        units::cog_deg(self.course)
    }

    /// True heading in degrees, `None` when not available.
    pub fn heading_deg(&self) -> Option<u16> {
        units::heading_deg(self.heading)
    }

    /// Rate of turn in degrees per minute, `None` when not available or only
    /// known as "fast" (±127).
    pub fn rot_deg_per_min(&self) -> Option<f32> {
        units::rot_deg_per_min(self.turn)
    }
}
