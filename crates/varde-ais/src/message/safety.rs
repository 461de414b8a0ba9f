//! Types 12 and 14: safety-related text messages.

use super::{check_len, header, write_header, DecodeError};
use crate::bits::{BitWriter, Payload};
use crate::text::AisText;

/// Longest safety text, in six-bit characters ((1008 - 72) / 6).
pub const SAFETY_TEXT_MAX: usize = 156;

/// Addressed safety-related message (type 12, 72–1008 bits).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct AddressedSafety {
    /// Repeat indicator, 0–3.
    pub repeat: u8,
    /// Sender MMSI.
    pub mmsi: u32,
    /// Sequence number, 0–3.
    pub seqno: u8,
    /// Destination MMSI.
    pub dest_mmsi: u32,
    /// Retransmit flag.
    pub retransmit: bool,
    /// Spare bit.
    pub spare: bool,
    /// The text, six-bit characters as transmitted.
    pub text: AisText<SAFETY_TEXT_MAX>,
}

impl AddressedSafety {
    #[inline(always)]
    pub(crate) fn decode(p: &Payload) -> Result<Self, DecodeError> {
        // A reader of its own, at bit 0: field positions are constants.
        let r = &mut p.reader();
        let (msg_type, repeat, mmsi) = header(r);
        check_len(r, msg_type, 72, 1008)?;
        let (seqno, dest_mmsi, retransmit, spare) = (r.u(2) as u8, r.u(30), r.flag(), r.flag());
        let text = r.text(r.remaining() / 6);
        Ok(Self {
            repeat,
            mmsi,
            seqno,
            dest_mmsi,
            retransmit,
            spare,
            text,
        })
    }

    pub(crate) fn encode(&self, w: &mut BitWriter) {
        write_header(w, 12, self.repeat, self.mmsi);
        w.u(2, self.seqno.into())
            .u(30, self.dest_mmsi)
            .flag(self.retransmit)
            .flag(self.spare)
            .text(self.text.len(), &self.text);
    }
}

/// Safety-related broadcast message (type 14, 40–960 bits).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SafetyBroadcast {
    /// Repeat indicator, 0–3.
    pub repeat: u8,
    /// Sender MMSI (an AIS-SART sends "SART ACTIVE" / "SART TEST").
    pub mmsi: u32,
    /// Spare bits (2).
    pub spare: u8,
    /// The text, six-bit characters as transmitted.
    pub text: AisText<SAFETY_TEXT_MAX>,
}

impl SafetyBroadcast {
    #[inline(always)]
    pub(crate) fn decode(p: &Payload) -> Result<Self, DecodeError> {
        // A reader of its own, at bit 0: field positions are constants.
        let r = &mut p.reader();
        let (msg_type, repeat, mmsi) = header(r);
        check_len(r, msg_type, 40, 960)?;
        let spare = r.u(2) as u8;
        let text = r.text(r.remaining() / 6);
        Ok(Self {
            repeat,
            mmsi,
            spare,
            text,
        })
    }

    pub(crate) fn encode(&self, w: &mut BitWriter) {
        write_header(w, 14, self.repeat, self.mmsi);
        w.u(2, self.spare.into()).text(self.text.len(), &self.text);
    }
}
