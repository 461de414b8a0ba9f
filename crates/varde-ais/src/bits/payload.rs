//! [`Payload`]: the unarmoured bits of one message in a fixed buffer.

use super::armour::{armour, unarmour_append, unarmour_from_start, FromStart};
use super::reader::BitReader;
use super::{ArmourError, BUF_BYTES, CLEAR, MAX_PAYLOAD_BITS};

/// The unarmoured bits of one complete AIS message.
///
/// Bytes past the last bit are always zero, so reads past the end give zero
/// bits.
#[derive(Clone)]
pub struct Payload {
    pub(super) bytes: [u8; BUF_BYTES],
    pub(super) bits: usize,
}

impl Default for Payload {
    fn default() -> Self {
        Self::new()
    }
}

impl std::fmt::Debug for Payload {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Payload({} bits)", self.bits)
    }
}

impl Payload {
    /// An empty payload.
    pub const fn new() -> Self {
        Self {
            bytes: [0; BUF_BYTES],
            bits: 0,
        }
    }

    /// Unarmours `chars` and drops `fill` bits from the end.
    pub fn from_armoured(chars: &[u8], fill: u8) -> Result<Self, ArmourError> {
        let mut p = Self::new();
        p.set_armoured(chars, fill)?;
        Ok(p)
    }

    /// Replaces the content with `chars` unarmoured, `fill` bits dropped:
    /// [`Payload::from_armoured`] in place, clearing only the bytes in use.
    /// On error the payload is left empty.
    #[inline]
    pub fn set_armoured(&mut self, chars: &[u8], fill: u8) -> Result<(), ArmourError> {
        self.set_armoured_xor(chars, fill).0
    }

    /// [`Payload::set_armoured`], also giving the XOR of all characters
    /// (for the sentence checksum; 0 when the payload is too long).
    #[inline]
    pub(crate) fn set_armoured_xor(
        &mut self,
        chars: &[u8],
        fill: u8,
    ) -> (Result<(), ArmourError>, u8) {
        let old_end = self.bits.div_ceil(8);
        let bits = chars.len() * 6;
        if bits > MAX_PAYLOAD_BITS {
            self.bytes[..old_end].fill(0);
            self.bits = 0;
            return (Err(ArmourError::TooLong), 0);
        }
        let fill = usize::from(fill);
        let FromStart { end, result, xor } = unarmour_from_start(&mut self.bytes, chars, fill);
        let xor = fold(xor);
        // What the old content used beyond the words just written: a fixed
        // stretch always (no branch on random lengths), more if needed.
        self.bytes[end..end + CLEAR].fill(0);
        if old_end > end + CLEAR {
            self.bytes[end + CLEAR..old_end].fill(0);
        }
        if result.is_err() || fill > 5 || fill > bits {
            self.bytes[..end].fill(0);
            self.bits = 0;
            return (
                Err(result.err().unwrap_or(ArmourError::BadFill(fill as u8))),
                xor,
            );
        }
        // The fill bits are already off.
        self.bits = bits - fill;
        (Ok(()), xor)
    }

    /// Empties the payload, clearing only the bytes that were in use.
    pub fn reset(&mut self) {
        let end = self.bits.div_ceil(8);
        self.bytes[..end].fill(0);
        self.bits = 0;
    }

    /// Appends armoured characters (6 bits each). Used once per fragment of a
    /// multi-sentence message. On error the payload is left as it was.
    pub fn push_armoured(&mut self, chars: &[u8]) -> Result<(), ArmourError> {
        let start = self.bits;
        let bits = start + chars.len() * 6;
        if bits > MAX_PAYLOAD_BITS {
            return Err(ArmourError::TooLong);
        }
        let (written, res) = if start % 8 == 0 {
            // On a byte boundary (as after a 60-character first part):
            // the plain unarmouring, from that byte on.
            let at = start / 8;
            let FromStart { end, result, .. } =
                unarmour_from_start(&mut self.bytes[at..], chars, 0);
            (at + end, result)
        } else {
            unarmour_append(&mut self.bytes, start, chars)
        };
        if let Err(e) = res {
            // Clear what was written past `start` (the bits before it are
            // intact, and everything past `written` was zero).
            self.bits = written * 8;
            self.truncate(start);
            return Err(e);
        }
        self.bits = bits;
        Ok(())
    }

    /// Removes `fill` padding bits (0–5) from the end.
    pub fn drop_fill(&mut self, fill: u8) -> Result<(), ArmourError> {
        let fill = usize::from(fill);
        if fill > 5 || fill > self.bits {
            return Err(ArmourError::BadFill(fill as u8));
        }
        if fill > 0 {
            self.cut_fill(fill);
        }
        Ok(())
    }

    /// Drops the last `fill` (0–5, at most `bits`) bits: they lie in the
    /// last byte or two (with none, this clears only bytes past the end).
    #[inline]
    fn cut_fill(&mut self, fill: usize) {
        let end = self.bits - fill;
        let i = end / 8;
        // Keep the top `end % 8` bits of byte `i`; the next byte holds only
        // dropped bits (or was zero already).
        self.bytes[i] &= (0xff00u16 >> (end % 8)) as u8;
        if let Some(b) = self.bytes.get_mut(i + 1) {
            *b = 0;
        }
        self.bits = end;
    }

    /// Shortens the payload to `bits`, clearing what lies beyond so that
    /// reads past the end return zeros.
    pub(super) fn truncate(&mut self, bits: usize) {
        let mut at = bits;
        if at % 8 != 0 {
            let keep = 0xffu8 << (8 - at % 8);
            self.bytes[at / 8] &= keep;
            at = (at / 8 + 1) * 8;
        }
        let end = self.bits.div_ceil(8).min(BUF_BYTES);
        self.bytes[at / 8..end.max(at / 8)].fill(0);
        self.bits = bits;
    }

    /// Appends the low `n` bits of `v` (n ≤ 57).
    pub(super) fn push_bits(&mut self, v: u64, n: usize) {
        debug_assert!(n <= 57);
        let mut remaining = n;
        while remaining > 0 {
            let at = self.bits / 8;
            let used = self.bits % 8;
            let room = 8 - used;
            let take = room.min(remaining);
            let chunk = ((v >> (remaining - take)) & ((1 << take) - 1)) as u8;
            self.bytes[at] |= chunk << (room - take);
            self.bits += take;
            remaining -= take;
        }
    }

    /// Length in bits (after fill bits were removed).
    #[inline]
    pub fn len_bits(&self) -> usize {
        self.bits
    }

    /// True when the payload holds no bits.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.bits == 0
    }

    /// The bits packed big-endian into bytes; the last byte is zero-padded.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes[..self.bits.div_ceil(8)]
    }

    /// The message type (first six bits), 0 for an empty payload.
    #[inline]
    pub fn message_type(&self) -> u8 {
        if self.bits < 6 {
            0
        } else {
            self.bytes[0] >> 2
        }
    }

    /// A reader positioned at bit 0.
    #[inline]
    pub fn reader(&self) -> BitReader<'_> {
        BitReader::new(&self.bytes, self.bits)
    }

    /// Armours the payload: returns the characters and the fill-bit count.
    pub fn to_armoured(&self) -> (String, u8) {
        let chars = self.bits.div_ceil(6);
        let fill = (chars * 6 - self.bits) as u8;
        let mut r = BitReader::new(&self.bytes, chars * 6);
        let s = (0..chars).map(|_| armour(r.u(6) as u8) as char).collect();
        (s, fill)
    }
}

/// The XOR of the eight bytes of `x`.
#[inline(always)]
fn fold(mut x: u64) -> u8 {
    x ^= x >> 32;
    x ^= x >> 16;
    x ^= x >> 8;
    x as u8
}

#[cfg(test)]
mod tests {
    use super::super::armour::unarmour;
    use super::*;

    #[test]
    fn reads_type_and_mmsi() {
        let p = Payload::from_armoured(b"15RTgt0PAso;90TKcjM8h6g208CQ", 0).unwrap();
        assert_eq!(p.len_bits(), 168);
        let mut r = p.reader();
        assert_eq!(r.u(6), 1);
        assert_eq!(r.u(2), 0);
        assert_eq!(r.u(30), 371_798_000);
        assert_eq!(r.u(4), 0);
        assert_eq!(r.i(8), -127);
    }

    /// Bit-by-bit unarmouring, the reference for the chunked path.
    fn reference_bits(chars: &[u8]) -> Vec<bool> {
        chars
            .iter()
            .flat_map(|&c| {
                let v = unarmour(c).unwrap();
                (0..6).rev().map(move |i| v >> i & 1 == 1)
            })
            .collect()
    }

    fn zero_past_end(p: &Payload) -> bool {
        p.bytes[p.len_bits().div_ceil(8)..].iter().all(|&b| b == 0)
    }

    #[test]
    fn split_pushes_match_one_push_and_errors_leave_payload() {
        let all: Vec<u8> = (0..64u8).map(armour).collect();
        let chars: Vec<u8> = (0..97).map(|i| all[(i * 29 + 7) % 64]).collect();
        let want = reference_bits(&chars);
        for cut in 0..chars.len() {
            for cut2 in cut..chars.len().min(cut + 9) {
                let mut p = Payload::new();
                p.push_armoured(&chars[..cut]).unwrap();
                p.push_armoured(&chars[cut..cut2]).unwrap();
                let before = p.clone();
                assert_eq!(
                    p.push_armoured(&[chars[0], b',', chars[1]]),
                    Err(ArmourError::BadChar(b','))
                );
                assert_eq!(p.as_bytes(), before.as_bytes());
                assert_eq!(p.len_bits(), before.len_bits());
                assert!(zero_past_end(&p));
                let mut long = chars.clone();
                long[cut2 - cut] = b'x';
                assert_eq!(p.push_armoured(&long), Err(ArmourError::BadChar(b'x')));
                assert_eq!(p.as_bytes(), before.as_bytes());
                assert!(zero_past_end(&p));
                p.push_armoured(&chars[cut2..]).unwrap();
                let mut r = p.reader();
                let got: Vec<bool> = (0..p.len_bits()).map(|_| r.u(1) == 1).collect();
                assert_eq!(got, want);
                assert!(zero_past_end(&p));
                for fill in 0..=5u8 {
                    let mut q = Payload::from_armoured(&chars, 3).unwrap();
                    let res = q.set_armoured(&chars[..cut], fill);
                    let mut want = Payload::new();
                    want.push_armoured(&chars[..cut]).unwrap();
                    assert_eq!(res, want.drop_fill(fill));
                    if res.is_ok() {
                        assert_eq!(q.as_bytes(), want.as_bytes());
                        assert_eq!(q.len_bits(), want.len_bits());
                    } else {
                        assert!(q.is_empty());
                    }
                    assert!(zero_past_end(&q));
                    // A bad character anywhere empties the payload.
                    if cut > 0 {
                        let mut bad = chars[..cut].to_vec();
                        bad[cut2 % cut] = b'X';
                        assert_eq!(q.set_armoured(&bad, fill), Err(ArmourError::BadChar(b'X')));
                        assert!(q.is_empty() && zero_past_end(&q));
                    }
                }
            }
        }
    }

    #[test]
    fn every_byte_value_is_judged_as_unarmour_does() {
        for c in 0..=255u8 {
            for len in [1, 5, 8, 11, 16, 19] {
                for pos in 0..len {
                    let mut chars = vec![b'w'; len];
                    chars[pos] = c;
                    let mut p = Payload::new();
                    let got = p.push_armoured(&chars);
                    let mut q = Payload::from_armoured(b"wwwwwwwwwwwwwwwwwwwwwwwww", 0).unwrap();
                    let set = q.set_armoured(&chars, 0);
                    match unarmour(c) {
                        Ok(v) => {
                            assert_eq!(got, Ok(()));
                            assert_eq!(set, Ok(()));
                            assert_eq!(p.as_bytes(), q.as_bytes());
                            let mut r = p.reader();
                            r.skip(6 * pos);
                            assert_eq!(r.u(6), u32::from(v));
                        }
                        Err(e) => {
                            assert_eq!(got, Err(e));
                            assert_eq!(set, Err(e));
                            assert_eq!(p.len_bits(), 0);
                            assert!(p.bytes.iter().all(|&b| b == 0));
                            assert!(q.is_empty() && q.bytes.iter().all(|&b| b == 0));
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn xor_of_the_characters() {
        let all: Vec<u8> = (0..64u8).map(armour).collect();
        for n in 0..40 {
            let chars: Vec<u8> = (0..n).map(|i| all[(i * 23 + 1) % 64]).collect();
            let mut p = Payload::new();
            let (res, x) = p.set_armoured_xor(&chars, 0);
            assert_eq!(res, Ok(()));
            assert_eq!(x, chars.iter().fold(0, |a, &c| a ^ c), "{n}");
        }
    }

    #[test]
    fn too_long_and_bad_fill() {
        let mut p = Payload::from_armoured(b"15RTgt0PAso;90TKcjM8h6g208CQ", 0).unwrap();
        let long = vec![b'w'; MAX_PAYLOAD_BITS / 6 + 1];
        assert_eq!(p.set_armoured(&long, 0), Err(ArmourError::TooLong));
        assert!(p.is_empty() && p.bytes.iter().all(|&b| b == 0));
        assert_eq!(
            Payload::from_armoured(b"", 1).err(),
            Some(ArmourError::BadFill(1))
        );
        assert_eq!(
            Payload::from_armoured(b"w", 6).err(),
            Some(ArmourError::BadFill(6))
        );
        let max = vec![b'w'; MAX_PAYLOAD_BITS / 6];
        let p = Payload::from_armoured(&max, 5).unwrap();
        assert_eq!(p.len_bits(), MAX_PAYLOAD_BITS / 6 * 6 - 5);
        assert!(zero_past_end(&p));
    }

    #[test]
    fn fill_bits_clear_the_tail() {
        let p = Payload::from_armoured(b"w", 5).unwrap();
        assert_eq!(p.len_bits(), 1);
        assert_eq!(p.as_bytes(), &[0x80]);
        for n in 1..20 {
            for fill in 0..=5u8 {
                let chars = vec![b'w'; n];
                let p = Payload::from_armoured(&chars, fill).unwrap();
                assert_eq!(p.len_bits(), 6 * n - usize::from(fill));
                assert!(zero_past_end(&p));
                assert!(p.as_bytes().iter().rev().skip(1).all(|&b| b == 0xff));
            }
        }
    }
}
