//! Types 18 and 19: Class B position reports.

use super::units::{self, PER_DEGREE_1_10000_MIN};
use super::{check_min, header, write_header, DecodeError};
use crate::bits::{BitWriter, Payload};
use crate::text::AisText;

/// Standard Class B CS position report (type 18, 168 bits).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ClassBPositionReport {
    /// Repeat indicator, 0–3.
    pub repeat: u8,
    /// Sender MMSI.
    pub mmsi: u32,
    /// Regional reserved bits (8).
    pub reserved: u8,
    /// Speed over ground in 1/10 knot; 1023 = not available.
    pub speed: u16,
    /// Position accuracy flag: true = high (≤ 10 m).
    pub accuracy: bool,
    /// Longitude in 1/10000 minute; 181° = not available.
    pub lon: i32,
    /// Latitude in 1/10000 minute; 91° = not available.
    pub lat: i32,
    /// Course over ground in 1/10 degree; 3600 = not available.
    pub course: u16,
    /// True heading in degrees, 0–359; 511 = not available.
    pub heading: u16,
    /// UTC second, 0–59; 60–63 special values as in type 1.
    pub second: u8,
    /// Regional reserved bits (2).
    pub regional: u8,
    /// Class B unit flag: true = carrier-sense (CS) unit, false = SOTDMA.
    pub cs: bool,
    /// Display flag: true = has an integrated display.
    pub display: bool,
    /// DSC flag: true = has a DSC function.
    pub dsc: bool,
    /// Band flag: true = can use the whole marine band.
    pub band: bool,
    /// Message 22 flag: true = frequency management via type 22.
    pub msg22: bool,
    /// Assigned mode flag.
    pub assigned: bool,
    /// RAIM in use.
    pub raim: bool,
    /// Radio status (20 bits).
    pub radio: u32,
}

impl ClassBPositionReport {
    #[inline(always)]
    pub(crate) fn decode(p: &Payload) -> Result<Self, DecodeError> {
        // A reader of its own, at bit 0: field positions are constants.
        let r = &mut p.reader();
        let (msg_type, repeat, mmsi) = header(r);
        check_min(r, msg_type, 168)?;
        Ok(Self {
            repeat,
            mmsi,
            reserved: r.u(8) as u8,
            speed: r.u(10) as u16,
            accuracy: r.flag(),
            lon: r.i(28),
            lat: r.i(27),
            course: r.u(12) as u16,
            heading: r.u(9) as u16,
            second: r.u(6) as u8,
            regional: r.u(2) as u8,
            cs: r.flag(),
            display: r.flag(),
            dsc: r.flag(),
            band: r.flag(),
            msg22: r.flag(),
            assigned: r.flag(),
            raim: r.flag(),
            radio: r.u(20),
        })
    }

    pub(crate) fn encode(&self, w: &mut BitWriter) {
        write_header(w, 18, self.repeat, self.mmsi);
        w.u(8, self.reserved.into())
            .u(10, self.speed.into())
            .flag(self.accuracy)
            .i(28, self.lon)
            .i(27, self.lat)
            .u(12, self.course.into())
            .u(9, self.heading.into())
            .u(6, self.second.into())
            .u(2, self.regional.into())
            .flag(self.cs)
            .flag(self.display)
            .flag(self.dsc)
            .flag(self.band)
            .flag(self.msg22)
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
}

/// Extended Class B position report (type 19, 312 bits): position plus
/// name, ship type and dimensions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ClassBExtendedReport {
    /// Repeat indicator, 0–3.
    pub repeat: u8,
    /// Sender MMSI.
    pub mmsi: u32,
    /// Regional reserved bits (8).
    pub reserved: u8,
    /// Speed over ground in 1/10 knot; 1023 = not available.
    pub speed: u16,
    /// Position accuracy flag: true = high (≤ 10 m).
    pub accuracy: bool,
    /// Longitude in 1/10000 minute; 181° = not available.
    pub lon: i32,
    /// Latitude in 1/10000 minute; 91° = not available.
    pub lat: i32,
    /// Course over ground in 1/10 degree; 3600 = not available.
    pub course: u16,
    /// True heading in degrees, 0–359; 511 = not available.
    pub heading: u16,
    /// UTC second, 0–59.
    pub second: u8,
    /// Regional reserved bits (4).
    pub regional: u8,
    /// Ship name, 20 six-bit characters.
    pub shipname: AisText<20>,
    /// Type of ship and cargo, 0–255.
    pub shiptype: u8,
    /// Distance to the bow, metres.
    pub to_bow: u16,
    /// Distance to the stern, metres.
    pub to_stern: u16,
    /// Distance to port side, metres.
    pub to_port: u8,
    /// Distance to starboard side, metres.
    pub to_starboard: u8,
    /// Type of electronic position fixing device, 0–15.
    pub epfd: u8,
    /// RAIM in use.
    pub raim: bool,
    /// Data terminal equipment: false = available.
    pub dte: bool,
    /// Assigned mode flag.
    pub assigned: bool,
    /// Spare bits (4).
    pub spare: u8,
}

impl ClassBExtendedReport {
    #[inline(always)]
    pub(crate) fn decode(p: &Payload) -> Result<Self, DecodeError> {
        // A reader of its own, at bit 0: field positions are constants.
        let r = &mut p.reader();
        let (msg_type, repeat, mmsi) = header(r);
        check_min(r, msg_type, 312)?;
        Ok(Self {
            repeat,
            mmsi,
            reserved: r.u(8) as u8,
            speed: r.u(10) as u16,
            accuracy: r.flag(),
            lon: r.i(28),
            lat: r.i(27),
            course: r.u(12) as u16,
            heading: r.u(9) as u16,
            second: r.u(6) as u8,
            regional: r.u(4) as u8,
            shipname: r.text(20),
            shiptype: r.u(8) as u8,
            to_bow: r.u(9) as u16,
            to_stern: r.u(9) as u16,
            to_port: r.u(6) as u8,
            to_starboard: r.u(6) as u8,
            epfd: r.u(4) as u8,
            raim: r.flag(),
            dte: r.flag(),
            assigned: r.flag(),
            spare: r.u(4) as u8,
        })
    }

    pub(crate) fn encode(&self, w: &mut BitWriter) {
        write_header(w, 19, self.repeat, self.mmsi);
        w.u(8, self.reserved.into())
            .u(10, self.speed.into())
            .flag(self.accuracy)
            .i(28, self.lon)
            .i(27, self.lat)
            .u(12, self.course.into())
            .u(9, self.heading.into())
            .u(6, self.second.into())
            .u(4, self.regional.into())
            .text(20, &self.shipname)
            .u(8, self.shiptype.into())
            .u(9, self.to_bow.into())
            .u(9, self.to_stern.into())
            .u(6, self.to_port.into())
            .u(6, self.to_starboard.into())
            .u(4, self.epfd.into())
            .flag(self.raim)
            .flag(self.dte)
            .flag(self.assigned)
            .u(4, self.spare.into());
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
}
