//! Type 20: data link management (slot reservations of a base station).

use super::{check_len, header, write_header, DecodeError};
use crate::bits::{BitWriter, Payload};

/// One reserved block of slots.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SlotReservation {
    /// First reserved slot (12 bits); 0 = not used.
    pub offset: u16,
    /// Number of consecutive slots, 1–15 (4 bits).
    pub number: u8,
    /// Time-out in minutes, 0–7 (3 bits).
    pub timeout: u8,
    /// Increment between repeated blocks, in slots (11 bits).
    pub increment: u16,
}

impl SlotReservation {
    fn pack(&self) -> u128 {
        (u128::from(self.offset & 0xfff) << 18)
            | (u128::from(self.number & 0xf) << 14)
            | (u128::from(self.timeout & 0x7) << 11)
            | u128::from(self.increment & 0x7ff)
    }
}

/// Data link management message (type 20, 72–186 bits; 1 to 4
/// reservations of 30 bits each).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DataLinkManagement {
    /// Repeat indicator, 0–3.
    pub repeat: u8,
    /// Sender MMSI (a base station).
    pub mmsi: u32,
    /// Spare bits after the header (2).
    pub spare: u8,
    /// The four reservation fields as gpsd reads them: those past the
    /// transmitted length are zero (or hold the trailing spare bits, exactly
    /// as gpsd shows them).
    pub slots: [SlotReservation; 4],
    /// Transmitted length in bits, clamped to 72–160: 72, 104, 136 or 160
    /// carry 1, 2, 3 or 4 reservations. Kept so that encoding is exact.
    pub len_bits: u8,
}

impl DataLinkManagement {
    #[inline(always)]
    pub(crate) fn decode(p: &Payload) -> Result<Self, DecodeError> {
        // A reader of its own, at bit 0: field positions are constants.
        let r = &mut p.reader();
        let (msg_type, repeat, mmsi) = header(r);
        check_len(r, msg_type, 72, 186)?;
        let spare = r.u(2) as u8;
        let mut slots = [SlotReservation::default(); 4];
        for s in &mut slots {
            *s = SlotReservation {
                offset: r.u(12) as u16,
                number: r.u(4) as u8,
                timeout: r.u(3) as u8,
                increment: r.u(11) as u16,
            };
        }
        let len_bits = r.len().min(160) as u8;
        Ok(Self {
            repeat,
            mmsi,
            spare,
            slots,
            len_bits,
        })
    }

    pub(crate) fn encode(&self, w: &mut BitWriter) {
        write_header(w, 20, self.repeat, self.mmsi);
        w.u(2, self.spare.into());
        let all = self
            .slots
            .iter()
            .fold(0u128, |acc, s| (acc << 30) | s.pack());
        // Emit the first `n` of the 120 reservation bits.
        let n = u32::from(self.len_bits.clamp(72, 160)) - 40;
        let mut left = n;
        while left > 0 {
            let take = left.min(30);
            let shift = 120 - (n - left) - take;
            w.u(take, ((all >> shift) & ((1u128 << take) - 1)) as u32);
            left -= take;
        }
    }

    /// Number of complete reservations transmitted, 1–4.
    pub fn count(&self) -> usize {
        (usize::from(self.len_bits.clamp(72, 160)) - 40) / 30
    }
}
