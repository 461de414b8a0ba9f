//! [`BitWriter`]: builds a payload field by field, for the encoder.

use super::{BinaryData, Payload, MAX_PAYLOAD_BITS};
use crate::text::AisText;

/// Builds a payload field by field, for the encoder.
#[derive(Debug, Clone, Default)]
pub struct BitWriter {
    payload: Payload,
    overflow: bool,
}

impl BitWriter {
    /// An empty writer.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends the low `n` bits of `v` (n ≤ 32).
    pub fn u(&mut self, n: u32, v: u32) -> &mut Self {
        if self.payload.bits + n as usize > MAX_PAYLOAD_BITS {
            self.overflow = true;
            return self;
        }
        let mask = if n == 32 { u32::MAX } else { (1u32 << n) - 1 };
        self.payload.push_bits(u64::from(v & mask), n as usize);
        self
    }

    /// Appends a signed value as `n`-bit two's complement.
    pub fn i(&mut self, n: u32, v: i32) -> &mut Self {
        self.u(n, v as u32)
    }

    /// Appends one bit.
    pub fn flag(&mut self, v: bool) -> &mut Self {
        self.u(1, u32::from(v))
    }

    /// Appends `chars` six-bit characters of `text`, padded with `@`.
    pub fn text<const N: usize>(&mut self, chars: usize, text: &AisText<N>) -> &mut Self {
        for i in 0..chars {
            self.u(6, u32::from(text.sixbit_at(i)));
        }
        self
    }

    /// Appends binary data bit for bit.
    pub fn binary(&mut self, d: &BinaryData) -> &mut Self {
        let mut left = d.len_bits();
        for &b in d.as_bytes() {
            let take = left.min(8) as u32;
            self.u(take, u32::from(b >> (8 - take)));
            left -= take as usize;
        }
        self
    }

    /// The payload built so far, or `None` if a field overflowed the buffer.
    pub fn finish(self) -> Option<Payload> {
        (!self.overflow).then_some(self.payload)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writer_round_trips() {
        let mut w = BitWriter::new();
        w.u(6, 5).i(8, -3).flag(true).u(30, 987_654_321);
        let p = w.finish().unwrap();
        let (s, fill) = p.to_armoured();
        let q = Payload::from_armoured(s.as_bytes(), fill).unwrap();
        let mut r = q.reader();
        assert_eq!(
            (r.u(6), r.i(8), r.flag(), r.u(30)),
            (5, -3, true, 987_654_321)
        );
    }
}
