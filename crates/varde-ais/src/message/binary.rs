//! Types 6 and 8: addressed and broadcast binary messages.
//!
//! Both carry an application identifier (DAC, designated area code, and FI,
//! function identifier) followed by application data. The data is kept as
//! [`BinaryData`]; `crate::asm` interprets known DAC/FI pairs.

use super::{check_len, header, write_header, DecodeError};
use crate::bits::{BinaryData, BitWriter, Payload};

/// Addressed binary message (type 6, 88–1008 bits).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AddressedBinary {
    /// Repeat indicator, 0–3.
    pub repeat: u8,
    /// Sender MMSI.
    pub mmsi: u32,
    /// Sequence number, 0–3.
    pub seqno: u8,
    /// Destination MMSI.
    pub dest_mmsi: u32,
    /// Retransmit flag: true = retransmitted.
    pub retransmit: bool,
    /// Spare bit, kept for exact re-encoding.
    pub spare: bool,
    /// Designated area code (10 bits; 1 = international, 235/250 = UK/IE,
    /// 200 = inland waterways, 257–259 = Norway).
    pub dac: u16,
    /// Function identifier (6 bits).
    pub fid: u8,
    /// Application data after the DAC/FI header (up to 920 bits).
    pub data: BinaryData,
}

impl AddressedBinary {
    #[inline(always)]
    pub(crate) fn decode(p: &Payload) -> Result<Self, DecodeError> {
        // A reader of its own, at bit 0: field positions are constants.
        let r = &mut p.reader();
        let (msg_type, repeat, mmsi) = header(r);
        check_len(r, msg_type, 88, 1008)?;
        Ok(Self {
            repeat,
            mmsi,
            seqno: r.u(2) as u8,
            dest_mmsi: r.u(30),
            retransmit: r.flag(),
            spare: r.flag(),
            dac: r.u(10) as u16,
            fid: r.u(6) as u8,
            data: r.binary(r.remaining()),
        })
    }

    pub(crate) fn encode(&self, w: &mut BitWriter) {
        write_header(w, 6, self.repeat, self.mmsi);
        w.u(2, self.seqno.into())
            .u(30, self.dest_mmsi)
            .flag(self.retransmit)
            .flag(self.spare)
            .u(10, self.dac.into())
            .u(6, self.fid.into())
            .binary(&self.data);
    }
}

/// Binary broadcast message (type 8, 56–1008 bits).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BroadcastBinary {
    /// Repeat indicator, 0–3.
    pub repeat: u8,
    /// Sender MMSI.
    pub mmsi: u32,
    /// Spare bits (2), kept for exact re-encoding.
    pub spare: u8,
    /// Designated area code (10 bits).
    pub dac: u16,
    /// Function identifier (6 bits).
    pub fid: u8,
    /// Application data after the DAC/FI header (up to 952 bits).
    pub data: BinaryData,
}

impl BroadcastBinary {
    #[inline(always)]
    pub(crate) fn decode(p: &Payload) -> Result<Self, DecodeError> {
        // A reader of its own, at bit 0: field positions are constants.
        let r = &mut p.reader();
        let (msg_type, repeat, mmsi) = header(r);
        check_len(r, msg_type, 56, 1008)?;
        Ok(Self {
            repeat,
            mmsi,
            spare: r.u(2) as u8,
            dac: r.u(10) as u16,
            fid: r.u(6) as u8,
            data: r.binary(r.remaining()),
        })
    }

    pub(crate) fn encode(&self, w: &mut BitWriter) {
        write_header(w, 8, self.repeat, self.mmsi);
        w.u(2, self.spare.into())
            .u(10, self.dac.into())
            .u(6, self.fid.into())
            .binary(&self.data);
    }
}
