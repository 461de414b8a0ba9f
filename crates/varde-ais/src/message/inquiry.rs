//! Types 10 (UTC and date inquiry) and 15 (interrogation).

use super::{check_len, check_min, header, write_header, DecodeError};
use crate::bits::{BitWriter, Payload};

/// UTC and date inquiry (type 10, 72 bits).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct UtcInquiry {
    /// Repeat indicator, 0–3.
    pub repeat: u8,
    /// Sender MMSI.
    pub mmsi: u32,
    /// Spare bits before the destination (2).
    pub spare: u8,
    /// Destination MMSI.
    pub dest_mmsi: u32,
    /// Spare bits after the destination (2).
    pub spare2: u8,
}

impl UtcInquiry {
    #[inline(always)]
    pub(crate) fn decode(p: &Payload) -> Result<Self, DecodeError> {
        // A reader of its own, at bit 0: field positions are constants.
        let r = &mut p.reader();
        let (msg_type, repeat, mmsi) = header(r);
        check_min(r, msg_type, 72)?;
        Ok(Self {
            repeat,
            mmsi,
            spare: r.u(2) as u8,
            dest_mmsi: r.u(30),
            spare2: r.u(2) as u8,
        })
    }

    pub(crate) fn encode(&self, w: &mut BitWriter) {
        write_header(w, 10, self.repeat, self.mmsi);
        w.u(2, self.spare.into())
            .u(30, self.dest_mmsi)
            .u(2, self.spare2.into());
    }
}

/// Interrogation (type 15, 88–168 bits): up to three requests for
/// message types, to one or two stations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Interrogation {
    /// Repeat indicator, 0–3.
    pub repeat: u8,
    /// Sender MMSI.
    pub mmsi: u32,
    /// First interrogated station.
    pub mmsi1: u32,
    /// First requested message type from station 1.
    pub type1_1: u8,
    /// Slot offset of the first response, 12 bits.
    pub offset1_1: u16,
    /// Second request to station 1 as (message type, slot offset), when
    /// transmitted (payload longer than 90 bits).
    pub request1_2: Option<(u8, u16)>,
    /// Request to a second station as (MMSI, message type, slot offset), when
    /// transmitted (payload longer than 110 bits).
    pub request2_1: Option<(u32, u8, u16)>,
}

impl Interrogation {
    #[inline(always)]
    pub(crate) fn decode(p: &Payload) -> Result<Self, DecodeError> {
        // A reader of its own, at bit 0: field positions are constants.
        let r = &mut p.reader();
        let (msg_type, repeat, mmsi) = header(r);
        check_len(r, msg_type, 88, 168)?;
        r.skip(2);
        let (mmsi1, type1_1, offset1_1) = (r.u(30), r.u(6) as u8, r.u(12) as u16);
        r.skip(2);
        let bits = r.len();
        let request1_2 = (bits > 90).then(|| (r.u(6) as u8, r.u(12) as u16));
        r.skip(2);
        let request2_1 = (bits > 110).then(|| (r.u(30), r.u(6) as u8, r.u(12) as u16));
        Ok(Self {
            repeat,
            mmsi,
            mmsi1,
            type1_1,
            offset1_1,
            request1_2,
            request2_1,
        })
    }

    pub(crate) fn encode(&self, w: &mut BitWriter) {
        write_header(w, 15, self.repeat, self.mmsi);
        w.u(2, 0)
            .u(30, self.mmsi1)
            .u(6, self.type1_1.into())
            .u(12, self.offset1_1.into());
        w.u(2, 0);
        if self.request1_2.is_none() && self.request2_1.is_none() {
            return;
        }
        let (t, o) = self.request1_2.unwrap_or_default();
        w.u(6, t.into()).u(12, o.into()).u(2, 0);
        if let Some((m, t, o)) = self.request2_1 {
            w.u(30, m).u(6, t.into()).u(12, o.into()).u(2, 0);
        }
    }
}
