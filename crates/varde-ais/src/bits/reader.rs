//! [`BitReader`]: big-endian bit fields out of a [`Payload`](super::Payload).

use super::binary::BinaryData;
use super::BUF_BYTES;
use crate::text::AisText;

/// Reads big-endian bit fields from a [`Payload`](super::Payload). Reads
/// past the end yield zero bits, as gpsd does; callers check
/// [`BitReader::len`] where length matters.
#[derive(Debug, Clone)]
pub struct BitReader<'a> {
    bytes: &'a [u8; BUF_BYTES],
    pos: usize,
    len: usize,
}

impl<'a> BitReader<'a> {
    #[inline]
    pub(super) fn new(bytes: &'a [u8; BUF_BYTES], len: usize) -> Self {
        Self { bytes, pos: 0, len }
    }

    /// Reads an unsigned field of `n` bits (1–32).
    #[inline]
    pub fn u(&mut self, n: u32) -> u32 {
        debug_assert!((1..=32).contains(&n));
        let v = self.peek(n);
        self.pos += n as usize;
        v
    }

    #[inline]
    fn peek(&self, n: u32) -> u32 {
        (self.word_at(self.pos) >> (64 - n)) as u32
    }

    /// The 64 bits from bit `pos` on (up to 7 of them may be cut off at the
    /// low end); zero past the buffer.
    #[inline(always)]
    fn word_at(&self, pos: usize) -> u64 {
        let at = pos / 8;
        match self.bytes.get(at..at + 8) {
            Some(w) => u64::from_be_bytes(w.try_into().unwrap_or([0; 8])) << (pos % 8),
            None => 0,
        }
    }

    /// Reads a two's-complement signed field of `n` bits (2–32).
    #[inline]
    pub fn i(&mut self, n: u32) -> i32 {
        let v = self.u(n);
        ((v << (32 - n)) as i32) >> (32 - n)
    }

    /// Reads one bit as a flag.
    #[inline]
    pub fn flag(&mut self) -> bool {
        self.u(1) == 1
    }

    /// Reads `chars` six-bit characters of text.
    #[inline]
    pub fn text<const N: usize>(&mut self, chars: usize) -> AisText<N> {
        let t = self.text_at(self.pos, chars);
        self.pos += 6 * chars;
        t
    }

    /// `chars` six-bit characters of text from bit `pos`, as
    /// [`BitReader::u_at`].
    #[inline]
    pub(crate) fn text_at<const N: usize>(&self, pos: usize, chars: usize) -> AisText<N> {
        // Characters past the capacity are dropped.
        AisText::from_sixbit_words(chars, |i| self.word_at(pos + 6 * i) >> 16)
    }

    /// Skips `n` bits.
    pub fn skip(&mut self, n: usize) {
        self.pos += n;
    }

    /// Current position in bits.
    pub fn pos(&self) -> usize {
        self.pos
    }

    /// Total payload length in bits.
    #[inline]
    pub fn len(&self) -> usize {
        self.len
    }

    /// True for an empty payload.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Bits left before the end of the payload (0 when past it).
    #[inline]
    pub fn remaining(&self) -> usize {
        self.len.saturating_sub(self.pos)
    }

    /// Copies the next `n` bits (clamped to what remains) into a
    /// [`BinaryData`], for the undecoded part of binary messages.
    #[inline(always)]
    pub fn binary(&mut self, n: usize) -> BinaryData {
        let n = n.min(self.remaining()).min(BinaryData::MAX_BITS);
        let at = self.pos / 8;
        const W: usize = BinaryData::MAX_BITS / 8;
        if self.pos % 8 == 0 && n == self.remaining() && at + W <= BUF_BYTES {
            // All the rest from a byte boundary (types 6 and 8): one copy of
            // fixed size, as the payload's bytes past its end are zero.
            let mut bytes = [0; W];
            bytes.copy_from_slice(&self.bytes[at..at + W]);
            self.pos += n;
            return BinaryData {
                bytes,
                bits: n as u16,
            };
        }
        let mut d = BinaryData::default();
        let full = n / 8;
        let at = self.pos / 8;
        let sh = (self.pos % 8) as u32;
        // Whole bytes, shifted into place; `n` is within the payload, so
        // `at + full + 1` is inside the buffer.
        if at + full < BUF_BYTES {
            let src = &self.bytes[at..=at + full];
            if sh == 0 {
                d.bytes[..full].copy_from_slice(&src[..full]);
            } else {
                for (o, pair) in d.bytes[..full].iter_mut().zip(src.windows(2)) {
                    *o = (pair[0] << sh) | (pair[1] >> (8 - sh));
                }
            }
            self.pos += full * 8;
        } else {
            for o in &mut d.bytes[..full] {
                *o = self.u(8) as u8;
            }
        }
        let left = (n % 8) as u32;
        if left > 0 {
            d.bytes[full] = (self.u(left) << (8 - left)) as u8;
        }
        d.bits = n as u16;
        d
    }
}

#[cfg(test)]
mod tests {
    use super::super::{armour, Payload};
    use super::*;

    #[test]
    fn binary_rest_from_a_byte_boundary() {
        let all: Vec<u8> = (0..64u8).map(armour).collect();
        for len in [10, 59, 60, 170, 171] {
            let chars: Vec<u8> = (0..len).map(|i| all[(i * 29 + 3) % 64]).collect();
            let p = Payload::from_armoured(&chars, 4).unwrap();
            for skip in [0, 8, 40, 56, 88] {
                let mut r = p.reader();
                r.skip(skip);
                let got = r.binary(usize::MAX);
                let mut q = p.reader();
                q.skip(skip);
                let n = q.remaining().min(BinaryData::MAX_BITS);
                let mut want = BinaryData::default();
                for i in 0..n {
                    want.bytes[i / 8] |= (q.u(1) as u8) << (7 - i % 8);
                }
                want.bits = n as u16;
                assert_eq!(got, want, "len {len} skip {skip}");
                assert_eq!(r.pos(), q.pos());
            }
        }
    }

    #[test]
    fn binary_and_text_match_bitwise_reads() {
        let all: Vec<u8> = (0..64u8).map(armour).collect();
        let chars: Vec<u8> = (0..330).map(|i| all[(i * 37 + 5) % 64]).collect();
        let p = Payload::from_armoured(&chars, 2).unwrap();
        // Near the start and far in (where whole bytes no longer fit).
        for skip in (0..20).chain(1330..1345) {
            for n in [0, 1, 7, 8, 9, 63, 64, 65, 300, 1070, 2000] {
                let mut r = p.reader();
                r.skip(skip);
                let got = r.binary(n);
                let mut q = p.reader();
                q.skip(skip);
                let n2 = n.min(q.remaining()).min(BinaryData::MAX_BITS);
                let mut want = BinaryData::default();
                for i in 0..n2 {
                    want.bytes[i / 8] |= (q.u(1) as u8) << (7 - i % 8);
                }
                want.bits = n2 as u16;
                assert_eq!(got, want, "skip {skip} n {n}");
                assert_eq!(r.pos(), q.pos());
            }
            for n in [0, 1, 7, 8, 9, 20, 25] {
                let mut r = p.reader();
                r.skip(skip);
                let got: AisText<20> = r.text(n);
                let mut q = p.reader();
                q.skip(skip);
                let mut want = AisText::<20>::new();
                for _ in 0..n {
                    want.push_sixbit(q.u(6) as u8);
                }
                assert_eq!(got, want);
                assert_eq!(r.pos(), q.pos());
            }
        }
    }
}
