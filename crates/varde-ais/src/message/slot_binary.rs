//! Types 25 and 26: single-slot and multiple-slot binary messages.

use super::{check_len, header, write_header, DecodeError};
use crate::bits::{BinaryData, BitReader, BitWriter, Payload};

/// Reads the addressed/structured flags and the optional destination and
/// application id, checking the payload is long enough for them plus
/// `trailer` bits.
fn read_head(
    r: &mut BitReader<'_>,
    msg_type: u8,
    trailer: usize,
) -> Result<(Option<u32>, Option<u16>), DecodeError> {
    let (addressed, structured) = (r.flag(), r.flag());
    let need = 40 + 16 * usize::from(structured) + 30 * usize::from(addressed) + trailer;
    if r.len() < need {
        return Err(DecodeError::BadLength {
            msg_type,
            bits: r.len(),
        });
    }
    let dest = addressed.then(|| r.u(30));
    let app = structured.then(|| r.u(16) as u16);
    Ok((dest, app))
}

fn write_head(w: &mut BitWriter, dest: Option<u32>, app: Option<u16>) {
    w.flag(dest.is_some()).flag(app.is_some());
    if let Some(d) = dest {
        w.u(30, d);
    }
    if let Some(a) = app {
        w.u(16, a.into());
    }
}

/// Single-slot binary message (type 25, 40–168 bits).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SingleSlotBinary {
    /// Repeat indicator, 0–3.
    pub repeat: u8,
    /// Sender MMSI.
    pub mmsi: u32,
    /// Destination MMSI when addressed (the `addressed` flag is implied).
    pub dest_mmsi: Option<u32>,
    /// Application id (DAC 10 bits + FI 6 bits) when structured.
    pub app_id: Option<u16>,
    /// Binary data.
    pub data: BinaryData,
}

impl SingleSlotBinary {
    #[inline(always)]
    pub(crate) fn decode(p: &Payload) -> Result<Self, DecodeError> {
        // A reader of its own, at bit 0: field positions are constants.
        let r = &mut p.reader();
        let (msg_type, repeat, mmsi) = header(r);
        check_len(r, msg_type, 40, 168)?;
        let (dest_mmsi, app_id) = read_head(r, msg_type, 0)?;
        Ok(Self {
            repeat,
            mmsi,
            dest_mmsi,
            app_id,
            data: r.binary(r.remaining()),
        })
    }

    pub(crate) fn encode(&self, w: &mut BitWriter) {
        write_header(w, 25, self.repeat, self.mmsi);
        write_head(w, self.dest_mmsi, self.app_id);
        w.binary(&self.data);
    }
}

/// Multiple-slot binary message with communication state (type 26,
/// 60–1004 bits).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MultiSlotBinary {
    /// Repeat indicator, 0–3.
    pub repeat: u8,
    /// Sender MMSI.
    pub mmsi: u32,
    /// Destination MMSI when addressed.
    pub dest_mmsi: Option<u32>,
    /// Application id (DAC 10 bits + FI 6 bits) when structured.
    pub app_id: Option<u16>,
    /// Binary data (between the header and the radio status).
    pub data: BinaryData,
    /// Radio status, the last 20 bits (SOTDMA/ITDMA selector + state).
    pub radio: u32,
}

impl MultiSlotBinary {
    #[inline(always)]
    pub(crate) fn decode(p: &Payload) -> Result<Self, DecodeError> {
        // A reader of its own, at bit 0: field positions are constants.
        let r = &mut p.reader();
        let (msg_type, repeat, mmsi) = header(r);
        check_len(r, msg_type, 60, 1004)?;
        let (dest_mmsi, app_id) = read_head(r, msg_type, 20)?;
        let data = r.binary(r.remaining().saturating_sub(20));
        Ok(Self {
            repeat,
            mmsi,
            dest_mmsi,
            app_id,
            data,
            radio: r.u(20),
        })
    }

    pub(crate) fn encode(&self, w: &mut BitWriter) {
        write_header(w, 26, self.repeat, self.mmsi);
        write_head(w, self.dest_mmsi, self.app_id);
        w.binary(&self.data).u(20, self.radio);
    }
}
