//! Type 17: GNSS broadcast binary message (DGNSS corrections).

use super::units::{self, PER_DEGREE_1_10_MIN};
use super::{check_len, header, write_header, DecodeError};
use crate::bits::{BinaryData, BitWriter, Payload};

/// GNSS broadcast binary message (type 17, 80–816 bits): the reference
/// station position and ITU-R M.823 DGNSS correction words.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct GnssBroadcast {
    /// Repeat indicator, 0–3.
    pub repeat: u8,
    /// Sender MMSI.
    pub mmsi: u32,
    /// Spare bits after the header (2).
    pub spare: u8,
    /// Reference station longitude in 1/10 minute (18 bits).
    pub lon: i32,
    /// Reference station latitude in 1/10 minute (17 bits).
    pub lat: i32,
    /// Spare bits before the data (5).
    pub spare2: u8,
    /// DGNSS correction data (up to 736 bits).
    pub data: BinaryData,
}

impl GnssBroadcast {
    #[inline(always)]
    pub(crate) fn decode(p: &Payload) -> Result<Self, DecodeError> {
        // A reader of its own, at bit 0: field positions are constants.
        let r = &mut p.reader();
        let (msg_type, repeat, mmsi) = header(r);
        check_len(r, msg_type, 80, 816)?;
        Ok(Self {
            repeat,
            mmsi,
            spare: r.u(2) as u8,
            lon: r.i(18),
            lat: r.i(17),
            spare2: r.u(5) as u8,
            data: r.binary(r.remaining()),
        })
    }

    pub(crate) fn encode(&self, w: &mut BitWriter) {
        write_header(w, 17, self.repeat, self.mmsi);
        w.u(2, self.spare.into())
            .i(18, self.lon)
            .i(17, self.lat)
            .u(5, self.spare2.into())
            .binary(&self.data);
    }

    /// Reference station longitude in degrees, `None` when not available.
    pub fn lon_deg(&self) -> Option<f64> {
        units::lon_deg(self.lon, PER_DEGREE_1_10_MIN)
    }

    /// Reference station latitude in degrees, `None` when not available.
    pub fn lat_deg(&self) -> Option<f64> {
        units::lat_deg(self.lat, PER_DEGREE_1_10_MIN)
    }
}
