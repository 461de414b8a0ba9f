//! Types 16 (assigned mode command) and 23 (group assignment command).

use super::units::{self, PER_DEGREE_1_10_MIN};
use super::{check_len, check_min, header, write_header, DecodeError};
use crate::bits::{BitWriter, Payload};

/// One slot assignment of a type 16 command.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SlotAssignment {
    /// Destination MMSI.
    pub mmsi: u32,
    /// Slot offset (12 bits).
    pub offset: u16,
    /// Slot increment (10 bits).
    pub increment: u16,
}

/// Assigned mode command (type 16, 96 or 144 bits).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct AssignedModeCommand {
    /// Repeat indicator, 0–3.
    pub repeat: u8,
    /// Sender MMSI (a base station).
    pub mmsi: u32,
    /// Spare bits (2).
    pub spare: u8,
    /// First destination.
    pub a: SlotAssignment,
    /// Second destination, present in a 144-bit message.
    pub b: Option<SlotAssignment>,
}

impl AssignedModeCommand {
    #[inline(always)]
    pub(crate) fn decode(p: &Payload) -> Result<Self, DecodeError> {
        // A reader of its own, at bit 0: field positions are constants.
        let r = &mut p.reader();
        let (msg_type, repeat, mmsi) = header(r);
        check_len(r, msg_type, 96, 168)?;
        let spare = r.u(2) as u8;
        let long = r.len() >= 144;
        let mut one = || SlotAssignment {
            mmsi: r.u(30),
            offset: r.u(12) as u16,
            increment: r.u(10) as u16,
        };
        let a = one();
        // gpsd reads the second destination only from 144 bits on.
        let b = long.then(one);
        Ok(Self {
            repeat,
            mmsi,
            spare,
            a,
            b,
        })
    }

    pub(crate) fn encode(&self, w: &mut BitWriter) {
        write_header(w, 16, self.repeat, self.mmsi);
        w.u(2, self.spare.into());
        let mut put = |s: &SlotAssignment| {
            w.u(30, s.mmsi)
                .u(12, s.offset.into())
                .u(10, s.increment.into());
        };
        put(&self.a);
        match &self.b {
            Some(b) => put(b),
            None => {
                w.u(4, 0);
            }
        }
    }
}

/// Group assignment command (type 23, 160 bits): tells the stations in a
/// rectangle how to report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct GroupAssignment {
    /// Repeat indicator, 0–3.
    pub repeat: u8,
    /// Sender MMSI (a base station).
    pub mmsi: u32,
    /// Spare bits after the header (2).
    pub spare: u8,
    /// North-east corner longitude in 1/10 minute.
    pub ne_lon: i32,
    /// North-east corner latitude in 1/10 minute.
    pub ne_lat: i32,
    /// South-west corner longitude in 1/10 minute.
    pub sw_lon: i32,
    /// South-west corner latitude in 1/10 minute.
    pub sw_lat: i32,
    /// Station type, 0–15 (0 all mobiles, 2 all Class B, 6–9 regional).
    pub stationtype: u8,
    /// Ship and cargo type to address, 0 = all.
    pub shiptype: u8,
    /// Spare bits (22).
    pub spare2: u32,
    /// Tx/Rx mode, 0–3.
    pub txrx: u8,
    /// Reporting interval code, 0–15.
    pub interval: u8,
    /// Quiet time in minutes, 0–15 (0 = none).
    pub quiet: u8,
    /// Spare bits (6).
    pub spare3: u8,
}

impl GroupAssignment {
    #[inline(always)]
    pub(crate) fn decode(p: &Payload) -> Result<Self, DecodeError> {
        // A reader of its own, at bit 0: field positions are constants.
        let r = &mut p.reader();
        let (msg_type, repeat, mmsi) = header(r);
        check_min(r, msg_type, 160)?;
        Ok(Self {
            repeat,
            mmsi,
            spare: r.u(2) as u8,
            ne_lon: r.i(18),
            ne_lat: r.i(17),
            sw_lon: r.i(18),
            sw_lat: r.i(17),
            stationtype: r.u(4) as u8,
            shiptype: r.u(8) as u8,
            spare2: r.u(22),
            txrx: r.u(2) as u8,
            interval: r.u(4) as u8,
            quiet: r.u(4) as u8,
            spare3: r.u(6) as u8,
        })
    }

    pub(crate) fn encode(&self, w: &mut BitWriter) {
        write_header(w, 23, self.repeat, self.mmsi);
        w.u(2, self.spare.into())
            .i(18, self.ne_lon)
            .i(17, self.ne_lat)
            .i(18, self.sw_lon)
            .i(17, self.sw_lat)
            .u(4, self.stationtype.into())
            .u(8, self.shiptype.into())
            .u(22, self.spare2)
            .u(2, self.txrx.into())
            .u(4, self.interval.into())
            .u(4, self.quiet.into())
            .u(6, self.spare3.into());
    }

    /// The rectangle as (north-east lon, lat, south-west lon, lat) in
    /// degrees, `None` when a corner is out of range.
    pub fn area_deg(&self) -> Option<(f64, f64, f64, f64)> {
        Some((
            units::lon_deg(self.ne_lon, PER_DEGREE_1_10_MIN)?,
            units::lat_deg(self.ne_lat, PER_DEGREE_1_10_MIN)?,
            units::lon_deg(self.sw_lon, PER_DEGREE_1_10_MIN)?,
            units::lat_deg(self.sw_lat, PER_DEGREE_1_10_MIN)?,
        ))
    }
}
