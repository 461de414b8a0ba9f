//! Types 7 and 13: binary acknowledge and safety-related acknowledge.

use super::{check_len, header, write_header, DecodeError};
use crate::bits::{BitWriter, Payload};

/// Acknowledge of up to four addressed messages (type 7 for binary
/// messages, type 13 for safety-related messages; 72–168 bits).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Acknowledge {
    /// Message type: 7 or 13.
    pub msg_type: u8,
    /// Repeat indicator, 0–3.
    pub repeat: u8,
    /// Sender MMSI.
    pub mmsi: u32,
    /// Spare bits (2), kept for exact re-encoding.
    pub spare: u8,
    /// Acknowledged destinations as (MMSI, sequence number 0–3); only the
    /// first [`Acknowledge::count`] entries were transmitted, the rest are 0.
    pub acks: [(u32, u8); 4],
    /// Number of transmitted entries, 1–4.
    pub count: u8,
}

impl Acknowledge {
    #[inline(always)]
    pub(crate) fn decode(p: &Payload) -> Result<Self, DecodeError> {
        // A reader of its own, at bit 0: field positions are constants.
        let r = &mut p.reader();
        let (msg_type, repeat, mmsi) = header(r);
        check_len(r, msg_type, 72, 168)?;
        let spare = r.u(2) as u8;
        let mut acks = [(0, 0); 4];
        let mut count = 0;
        // As gpsd: entry u is present when its MMSI starts before the end.
        for (u, ack) in acks.iter_mut().enumerate() {
            if 40 + 32 * u < r.len() {
                *ack = (r.u(30), r.u(2) as u8);
                count += 1;
            }
        }
        Ok(Self {
            msg_type,
            repeat,
            mmsi,
            spare,
            acks,
            count,
        })
    }

    pub(crate) fn encode(&self, w: &mut BitWriter) {
        write_header(w, self.msg_type, self.repeat, self.mmsi);
        w.u(2, self.spare.into());
        for &(mmsi, seq) in self.acks.iter().take(usize::from(self.count.clamp(1, 4))) {
            w.u(30, mmsi).u(2, seq.into());
        }
    }

    /// The transmitted (MMSI, sequence number) entries.
    pub fn entries(&self) -> &[(u32, u8)] {
        &self.acks[..usize::from(self.count.clamp(1, 4))]
    }
}
