//! [`BinaryData`]: the opaque application data of binary messages.

use super::Payload;

/// Opaque binary data (the application payload of types 6, 8, 25, 26), packed
/// big-endian, last byte zero-padded.
#[derive(Clone, PartialEq, Eq)]
pub struct BinaryData {
    pub(super) bytes: [u8; Self::MAX_BITS / 8],
    pub(super) bits: u16,
}

impl Default for BinaryData {
    fn default() -> Self {
        Self {
            bytes: [0; Self::MAX_BITS / 8],
            bits: 0,
        }
    }
}

impl std::fmt::Debug for BinaryData {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "BinaryData({}:", self.bits)?;
        for b in self.as_bytes() {
            write!(f, "{b:02x}")?;
        }
        write!(f, ")")
    }
}

impl BinaryData {
    /// Capacity in bits.
    pub const MAX_BITS: usize = 1024;

    /// Builds binary data from whole bytes and a bit length (≤ 8 × bytes.len()).
    /// Bits beyond `bits` are cleared. Returns `None` past [`Self::MAX_BITS`].
    pub fn from_bytes(bytes: &[u8], bits: usize) -> Option<Self> {
        if bits > Self::MAX_BITS || bits > bytes.len() * 8 {
            return None;
        }
        let mut d = Self::default();
        let n = bits.div_ceil(8);
        d.bytes[..n].copy_from_slice(&bytes[..n]);
        if bits % 8 != 0 {
            d.bytes[n - 1] &= 0xff << (8 - bits % 8);
        }
        d.bits = bits as u16;
        Some(d)
    }

    /// Length in bits.
    pub fn len_bits(&self) -> usize {
        usize::from(self.bits)
    }

    /// The packed bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes[..self.len_bits().div_ceil(8)]
    }

    /// A reader over these bits, for application-specific decoders.
    pub fn payload(&self) -> Payload {
        let mut p = Payload::new();
        p.bytes[..self.as_bytes().len()].copy_from_slice(self.as_bytes());
        p.bits = self.len_bits();
        p
    }
}
