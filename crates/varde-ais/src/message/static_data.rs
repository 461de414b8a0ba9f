//! Type 24: Class B static data report, sent as part A (name) and part B
//! (type, vendor, call sign, dimensions).
//!
//! gpsd merges a part A and a later part B of the same MMSI into one record;
//! see `crate::gpsd::Type24Merge`. [`StaticDataPart::Both`] holds such a
//! merged pair.

use super::{check_len, check_min, header, write_header, DecodeError};
use crate::bits::{BinaryData, BitWriter, Payload};
use crate::text::AisText;

/// Part A: the ship name (160 or 168 bits).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct StaticPartA {
    /// Ship name, 20 six-bit characters.
    pub shipname: AisText<20>,
    /// Spare bits (8) of a 168-bit part A; 0 for the 160-bit form.
    pub spare: u8,
}

/// Part B: ship type, vendor id, call sign and dimensions (168 bits).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct StaticPartB {
    /// Type of ship and cargo, 0–255.
    pub shiptype: u8,
    /// Vendor id, 7 six-bit characters as in ITU-R M.1371-3. Since
    /// M.1371-4 only the first 3 are the manufacturer; the rest carry
    /// [`StaticPartB::model`] and [`StaticPartB::serial`].
    pub vendorid: AisText<7>,
    /// Call sign, 7 six-bit characters.
    pub callsign: AisText<7>,
    /// Distance to the bow, metres (9 bits). For an auxiliary craft
    /// (MMSI 98MIDxxxx) the four dimension fields hold the mother ship's
    /// MMSI instead; see [`StaticPartB::mothership_mmsi`].
    pub to_bow: u16,
    /// Distance to the stern, metres (9 bits).
    pub to_stern: u16,
    /// Distance to port side, metres (6 bits).
    pub to_port: u8,
    /// Distance to starboard side, metres (6 bits).
    pub to_starboard: u8,
    /// Spare bits (6).
    pub spare: u8,
}

impl StaticPartB {
    fn vendor_bits(&self, from: usize, n: usize) -> u32 {
        (from..from + n).fold(0, |acc, i| {
            (acc << 6) | u32::from(self.vendorid.sixbit_at(i))
        })
    }

    /// Unit model code (4 bits, M.1371-4): high bits of vendor character 4.
    pub fn model(&self) -> u8 {
        (self.vendor_bits(3, 1) >> 2) as u8
    }

    /// Unit serial number (20 bits, M.1371-4): the last 20 vendor-id bits.
    pub fn serial(&self) -> u32 {
        self.vendor_bits(3, 4) & 0xf_ffff
    }

    /// The mother ship's MMSI, read from the dimension bits, for auxiliary
    /// craft (sender MMSI 98MIDxxxx).
    pub fn mothership_mmsi(&self) -> u32 {
        (u32::from(self.to_bow) << 21)
            | (u32::from(self.to_stern) << 12)
            | (u32::from(self.to_port) << 6)
            | u32::from(self.to_starboard)
    }
}

/// Which part(s) a type 24 report carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StaticDataPart {
    /// Part A (part number 0).
    A(StaticPartA),
    /// Part B (part number 1).
    B(StaticPartB),
    /// A part A and a part B of the same MMSI, merged (gpsd's "AB").
    Both(StaticPartA, StaticPartB),
    /// Part number 2 or 3, undefined by ITU-R M.1371 but seen in the wild;
    /// gpsd drops these. The bits after the part number are kept.
    Reserved {
        /// The part number, 2 or 3.
        part: u8,
        /// The bits after the part number.
        data: BinaryData,
    },
}

/// Class B static data report (type 24).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaticDataReport {
    /// Repeat indicator, 0–3.
    pub repeat: u8,
    /// Sender MMSI.
    pub mmsi: u32,
    /// The part(s) carried.
    pub part: StaticDataPart,
}

impl StaticDataReport {
    #[inline(always)]
    pub(crate) fn decode(p: &Payload) -> Result<Self, DecodeError> {
        // A reader of its own, at bit 0: field positions are constants.
        let r = &mut p.reader();
        let (msg_type, repeat, mmsi) = header(r);
        let part = match r.u(2) {
            0 => {
                check_len(r, msg_type, 160, 168)?;
                let shipname = r.text(20);
                StaticDataPart::A(StaticPartA {
                    shipname,
                    spare: r.u(8) as u8,
                })
            }
            1 => {
                check_min(r, msg_type, 168)?;
                StaticDataPart::B(StaticPartB {
                    shiptype: r.u(8) as u8,
                    vendorid: r.text(7),
                    callsign: r.text(7),
                    to_bow: r.u(9) as u16,
                    to_stern: r.u(9) as u16,
                    to_port: r.u(6) as u8,
                    to_starboard: r.u(6) as u8,
                    spare: r.u(6) as u8,
                })
            }
            p => {
                check_min(r, msg_type, 40)?;
                StaticDataPart::Reserved {
                    part: p as u8,
                    data: r.binary(r.remaining()),
                }
            }
        };
        Ok(Self { repeat, mmsi, part })
    }

    pub(crate) fn encode(&self, w: &mut BitWriter) {
        write_header(w, 24, self.repeat, self.mmsi);
        match &self.part {
            StaticDataPart::A(a) => {
                w.u(2, 0).text(20, &a.shipname).u(8, a.spare.into());
            }
            StaticDataPart::B(b) | StaticDataPart::Both(_, b) => {
                w.u(2, 1)
                    .u(8, b.shiptype.into())
                    .text(7, &b.vendorid)
                    .text(7, &b.callsign)
                    .u(9, b.to_bow.into())
                    .u(9, b.to_stern.into())
                    .u(6, b.to_port.into())
                    .u(6, b.to_starboard.into())
                    .u(6, b.spare.into());
            }
            StaticDataPart::Reserved { part, data } => {
                w.u(2, u32::from(*part)).binary(data);
            }
        }
    }

    /// The part A of this report, if it carries one.
    pub fn part_a(&self) -> Option<&StaticPartA> {
        match &self.part {
            StaticDataPart::A(a) | StaticDataPart::Both(a, _) => Some(a),
            _ => None,
        }
    }

    /// The part B of this report, if it carries one.
    pub fn part_b(&self) -> Option<&StaticPartB> {
        match &self.part {
            StaticDataPart::B(b) | StaticDataPart::Both(_, b) => Some(b),
            _ => None,
        }
    }

    /// Splits a merged report into its part A and part B reports (each
    /// `None` when absent), e.g. to encode both sentences.
    pub fn split(&self) -> (Option<Self>, Option<Self>) {
        let with = |part| Self {
            repeat: self.repeat,
            mmsi: self.mmsi,
            part,
        };
        (
            self.part_a().map(|a| with(StaticDataPart::A(*a))),
            self.part_b().map(|b| with(StaticDataPart::B(*b))),
        )
    }
}
