//! Type 22: channel management (168 bits).

use super::units::{self, PER_DEGREE_1_10_MIN};
use super::{check_min, header, write_header, DecodeError};
use crate::bits::{BitWriter, Payload};

/// Where a type 22 command applies: a rectangle or two stations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChannelTarget {
    /// Broadcast to a rectangle; corners in 1/10 minute.
    Area {
        /// North-east corner longitude (18 bits).
        ne_lon: i32,
        /// North-east corner latitude (17 bits).
        ne_lat: i32,
        /// South-west corner longitude (18 bits).
        sw_lon: i32,
        /// South-west corner latitude (17 bits).
        sw_lat: i32,
    },
    /// Addressed to up to two stations.
    Addressed {
        /// First destination MMSI.
        dest1: u32,
        /// Spare bits after the first destination (5).
        spare1: u8,
        /// Second destination MMSI.
        dest2: u32,
        /// Spare bits after the second destination (5).
        spare2: u8,
    },
}

impl Default for ChannelTarget {
    fn default() -> Self {
        Self::Area {
            ne_lon: 0,
            ne_lat: 0,
            sw_lon: 0,
            sw_lat: 0,
        }
    }
}

/// Channel management command (type 22).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ChannelManagement {
    /// Repeat indicator, 0–3.
    pub repeat: u8,
    /// Sender MMSI (a base station).
    pub mmsi: u32,
    /// Spare bits after the header (2).
    pub spare: u8,
    /// Channel A number (ITU-R M.1084, 12 bits).
    pub channel_a: u16,
    /// Channel B number (12 bits).
    pub channel_b: u16,
    /// Tx/Rx mode, 0–15.
    pub txrx: u8,
    /// Power: true = low.
    pub power: bool,
    /// Rectangle or addressed stations (the `addressed` flag is implied).
    pub target: ChannelTarget,
    /// Channel A bandwidth: true = 12.5 kHz.
    pub band_a: bool,
    /// Channel B bandwidth: true = 12.5 kHz.
    pub band_b: bool,
    /// Transition zone size in nautical miles minus one, 0–7.
    pub zonesize: u8,
    /// Spare bits (23).
    pub spare2: u32,
}

impl ChannelManagement {
    #[inline(always)]
    pub(crate) fn decode(p: &Payload) -> Result<Self, DecodeError> {
        // A reader of its own, at bit 0: field positions are constants.
        let r = &mut p.reader();
        let (msg_type, repeat, mmsi) = header(r);
        check_min(r, msg_type, 168)?;
        let (spare, channel_a, channel_b) = (r.u(2) as u8, r.u(12) as u16, r.u(12) as u16);
        let (txrx, power) = (r.u(4) as u8, r.flag());
        let mut t = r.clone();
        t.skip(70);
        let target = if t.flag() {
            ChannelTarget::Addressed {
                dest1: r.u(30),
                spare1: r.u(5) as u8,
                dest2: r.u(30),
                spare2: r.u(5) as u8,
            }
        } else {
            ChannelTarget::Area {
                ne_lon: r.i(18),
                ne_lat: r.i(17),
                sw_lon: r.i(18),
                sw_lat: r.i(17),
            }
        };
        r.skip(1);
        Ok(Self {
            repeat,
            mmsi,
            spare,
            channel_a,
            channel_b,
            txrx,
            power,
            target,
            band_a: r.flag(),
            band_b: r.flag(),
            zonesize: r.u(3) as u8,
            spare2: r.u(23),
        })
    }

    pub(crate) fn encode(&self, w: &mut BitWriter) {
        write_header(w, 22, self.repeat, self.mmsi);
        w.u(2, self.spare.into())
            .u(12, self.channel_a.into())
            .u(12, self.channel_b.into())
            .u(4, self.txrx.into())
            .flag(self.power);
        match self.target {
            ChannelTarget::Area {
                ne_lon,
                ne_lat,
                sw_lon,
                sw_lat,
            } => {
                w.i(18, ne_lon).i(17, ne_lat).i(18, sw_lon).i(17, sw_lat);
            }
            ChannelTarget::Addressed {
                dest1,
                spare1,
                dest2,
                spare2,
            } => {
                w.u(30, dest1)
                    .u(5, spare1.into())
                    .u(30, dest2)
                    .u(5, spare2.into());
            }
        }
        w.flag(self.addressed())
            .flag(self.band_a)
            .flag(self.band_b)
            .u(3, self.zonesize.into())
            .u(23, self.spare2);
    }

    /// True when the command is addressed to stations rather than an area.
    pub fn addressed(&self) -> bool {
        matches!(self.target, ChannelTarget::Addressed { .. })
    }

    /// The rectangle as (north-east lon, lat, south-west lon, lat) in
    /// degrees, `None` for an addressed command or out-of-range corners.
    pub fn area_deg(&self) -> Option<(f64, f64, f64, f64)> {
        match self.target {
            ChannelTarget::Area {
                ne_lon,
                ne_lat,
                sw_lon,
                sw_lat,
            } => Some((
                units::lon_deg(ne_lon, PER_DEGREE_1_10_MIN)?,
                units::lat_deg(ne_lat, PER_DEGREE_1_10_MIN)?,
                units::lon_deg(sw_lon, PER_DEGREE_1_10_MIN)?,
                units::lat_deg(sw_lat, PER_DEGREE_1_10_MIN)?,
            )),
            ChannelTarget::Addressed { .. } => None,
        }
    }
}
