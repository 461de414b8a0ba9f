//! Six-bit armouring and bit-level access to AIS payloads.
//!
//! An AIS payload travels as "armoured" ASCII: each character carries six bits
//! (ITU-R M.1371, IEC 61162-1). [`Payload`] holds the unarmoured bits of one
//! complete message in a fixed-size buffer (no allocation); [`BitReader`] reads
//! big-endian fields out of it and [`BitWriter`] builds one for the encoder.

use crate::text::AisText;

/// Largest payload, in bits, that the codec accepts (5 slots of 256 bits is
/// 1280; real feeds rarely exceed 1008). Longer payloads are rejected.
pub const MAX_PAYLOAD_BITS: usize = 2048;
const BUF_BYTES: usize = MAX_PAYLOAD_BITS / 8 + 8;

/// Why armoured characters could not be turned into bits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ArmourError {
    /// A character outside the six-bit armouring alphabet (`0`–`W`, `` ` ``–`w`).
    #[error("invalid armour character 0x{0:02x}")]
    BadChar(u8),
    /// The payload would exceed [`MAX_PAYLOAD_BITS`].
    #[error("payload longer than {MAX_PAYLOAD_BITS} bits")]
    TooLong,
    /// Fill bits above 5, or more fill bits than payload bits.
    #[error("invalid fill-bit count {0}")]
    BadFill(u8),
}

/// Decodes one armoured character to its six-bit value.
#[inline]
pub fn unarmour(c: u8) -> Result<u8, ArmourError> {
    match c {
        b'0'..=b'W' => Ok(c - 48),
        b'`'..=b'w' => Ok(c - 56),
        _ => Err(ArmourError::BadChar(c)),
    }
}

/// Six-bit value of each armoured character; 0xff for invalid ones.
const UNARMOUR: [u8; 256] = {
    let mut t = [0xffu8; 256];
    let mut c = 0;
    while c < 256 {
        t[c] = match c as u8 {
            b'0'..=b'W' => c as u8 - 48,
            b'`'..=b'w' => c as u8 - 56,
            _ => 0xff,
        };
        c += 1;
    }
    t
};

/// Unarmours eight characters (big-endian in `x`, first character in the
/// top byte) into 48 bits, without a table: byte-wise range checks on the
/// word. The second value is non-zero if any character was invalid (the
/// high bit of each bad byte is set).
#[inline(always)]
fn unarmour8(x: u64) -> (u64, u64) {
    const H: u64 = 0x8080_8080_8080_8080;
    const fn splat(b: u8) -> u64 {
        u64::from_ne_bytes([b; 8])
    }
    let hi = x & H;
    let x7 = x & !H;
    // For bytes below 0x80, `byte + (0x80 - k)` sets the high bit exactly
    // when byte >= k, with no carry into the next byte.
    let ge30 = (x7 + splat(0x80 - 0x30)) & H;
    let ge58 = (x7 + splat(0x80 - 0x58)) & H;
    let ge60 = (x7 + splat(0x80 - 0x60)) & H;
    let ge78 = (x7 + splat(0x80 - 0x78)) & H;
    let ok = (ge30 & !ge58) | (ge60 & !ge78);
    let bad = hi | (H & !ok);
    // Valid bytes: `c - 48`, and 8 less from '`' on (no borrows).
    let v = x7.wrapping_sub(splat(0x30)).wrapping_sub(ge60 >> 4);
    // Pack the eight 6-bit values: pairs, quads, then the two halves.
    let v = ((v & 0x3f00_3f00_3f00_3f00) >> 2) | (v & 0x003f_003f_003f_003f);
    let v = ((v & 0x0fff_0000_0fff_0000) >> 4) | (v & 0x0000_0fff_0000_0fff);
    let v = ((v & 0x00ff_ffff_0000_0000) >> 8) | (v & 0x0000_0000_00ff_ffff);
    (v, bad)
}

/// Encodes a six-bit value (0–63) as its armoured character.
#[inline]
pub fn armour(v: u8) -> u8 {
    let v = v & 0x3f;
    if v < 40 {
        v + 48
    } else {
        v + 56
    }
}

/// The unarmoured bits of one complete AIS message.
#[derive(Clone)]
pub struct Payload {
    bytes: [u8; BUF_BYTES],
    bits: usize,
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
        p.push_armoured(chars)?;
        p.drop_fill(fill)?;
        Ok(p)
    }

    /// Replaces the content with `chars` unarmoured, `fill` bits dropped:
    /// [`Payload::from_armoured`] in place, clearing only the bytes in use.
    pub fn set_armoured(&mut self, chars: &[u8], fill: u8) -> Result<(), ArmourError> {
        let old_end = self.bits.div_ceil(8);
        let new_end = (chars.len() * 6).div_ceil(8);
        if new_end < old_end {
            self.bytes[new_end..old_end].fill(0);
        }
        self.bits = 0;
        // From bit 0, every byte below `new_end` is overwritten.
        if let Err(e) = self.push_armoured(chars) {
            self.bytes[..old_end].fill(0);
            return Err(e);
        }
        self.drop_fill(fill)
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
        let mut at = start / 8;
        // `acc` holds the `nacc` (< 8) bits not yet written.
        let nacc = (start % 8) as u32;
        let mut acc = if nacc == 0 {
            0
        } else {
            u64::from(self.bytes[at] >> (8 - nacc))
        };
        // Eight characters at a time make 48 bits. Writes are 8 bytes wide:
        // the two extra bytes are overwritten next, or are past the end
        // where they must be zero. `at + 8` stays inside the buffer, as
        // `bits` is at most MAX_PAYLOAD_BITS.
        let mask = (1u64 << nacc) - 1;
        let mut bad = 0u64;
        let mut chunks = chars.chunks_exact(8);
        for c in &mut chunks {
            let (v, b) = unarmour8(u64::from_be_bytes(c.try_into().unwrap_or([b'0'; 8])));
            bad |= b;
            acc = (acc << 48) | v;
            self.bytes[at..at + 8].copy_from_slice(&((acc >> nacc) << 16).to_be_bytes());
            at += 6;
            acc &= mask;
        }
        // The last 0–7 characters: the low bytes of the last eight.
        let rem = chunks.remainder();
        let r = rem.len() as u32;
        let mut tail_bits = nacc;
        if r > 0 {
            let n = chars.len();
            let x = if n >= 8 {
                u64::from_be_bytes(chars[n - 8..].try_into().unwrap_or([b'0'; 8]))
            } else {
                let mut l = [b'0'; 8];
                l[8 - rem.len()..].copy_from_slice(rem);
                u64::from_be_bytes(l)
            };
            let (v, b) = unarmour8(x);
            bad |= b & ((1u64 << (8 * r)) - 1);
            acc = (acc << (6 * r)) | (v & ((1u64 << (6 * r)) - 1));
            tail_bits += 6 * r;
        }
        if tail_bits > 0 {
            self.bytes[at..at + 8].copy_from_slice(&(acc << (64 - tail_bits)).to_be_bytes());
        }
        self.bits = bits;
        if bad != 0 {
            self.truncate(start);
            let c = chars
                .iter()
                .copied()
                .find(|&c| UNARMOUR[usize::from(c)] & 0x80 != 0)
                .unwrap_or(0);
            return Err(ArmourError::BadChar(c));
        }
        Ok(())
    }

    /// Removes `fill` padding bits (0–5) from the end.
    pub fn drop_fill(&mut self, fill: u8) -> Result<(), ArmourError> {
        let fill = usize::from(fill);
        if fill > 5 || fill > self.bits {
            return Err(ArmourError::BadFill(fill as u8));
        }
        self.truncate(self.bits - fill);
        Ok(())
    }

    /// Shortens the payload to `bits`, clearing what lies beyond so that
    /// reads past the end return zeros.
    fn truncate(&mut self, bits: usize) {
        let mut at = bits;
        if at % 8 != 0 {
            let keep = 0xffu8 << (8 - at % 8);
            self.bytes[at / 8] &= keep;
            at = (at / 8 + 1) * 8;
        }
        let end = self.bits.div_ceil(8);
        self.bytes[at / 8..end.max(at / 8)].fill(0);
        self.bits = bits;
    }

    /// Appends the low `n` bits of `v` (n ≤ 57).
    fn push_bits(&mut self, v: u64, n: usize) {
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
    pub fn len_bits(&self) -> usize {
        self.bits
    }

    /// True when the payload holds no bits.
    pub fn is_empty(&self) -> bool {
        self.bits == 0
    }

    /// The bits packed big-endian into bytes; the last byte is zero-padded.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes[..self.bits.div_ceil(8)]
    }

    /// The message type (first six bits), 0 for an empty payload.
    pub fn message_type(&self) -> u8 {
        if self.bits < 6 {
            0
        } else {
            self.bytes[0] >> 2
        }
    }

    /// A reader positioned at bit 0.
    pub fn reader(&self) -> BitReader<'_> {
        BitReader {
            bytes: &self.bytes,
            pos: 0,
            len: self.bits,
        }
    }

    /// Armours the payload: returns the characters and the fill-bit count.
    pub fn to_armoured(&self) -> (String, u8) {
        let chars = self.bits.div_ceil(6);
        let fill = (chars * 6 - self.bits) as u8;
        let mut r = BitReader {
            bytes: &self.bytes,
            pos: 0,
            len: chars * 6,
        };
        let s = (0..chars).map(|_| armour(r.u(6) as u8) as char).collect();
        (s, fill)
    }
}

/// Reads big-endian bit fields from a [`Payload`]. Reads past the end yield
/// zero bits, as gpsd does; callers check [`BitReader::len`] where length
/// matters.
#[derive(Debug, Clone)]
pub struct BitReader<'a> {
    bytes: &'a [u8; BUF_BYTES],
    pos: usize,
    len: usize,
}

impl BitReader<'_> {
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
        let at = self.pos / 8;
        if at + 8 > BUF_BYTES {
            return 0;
        }
        let mut w = [0u8; 8];
        w.copy_from_slice(&self.bytes[at..at + 8]);
        let word = u64::from_be_bytes(w);
        ((word << (self.pos % 8)) >> (64 - n)) as u32
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
        let mut t = AisText::new();
        // Characters past the capacity are read and dropped.
        let keep = chars.min(N);
        let mut i = 0;
        while i + 8 <= keep {
            let w = self.peek48();
            self.pos += 48;
            t.push_sixbits8(w);
            i += 8;
        }
        while i < keep {
            t.push_sixbit(self.u(6) as u8);
            i += 1;
        }
        self.pos += 6 * (chars - keep);
        t
    }

    /// The next 48 bits, like [`BitReader::peek`].
    #[inline]
    fn peek48(&self) -> u64 {
        let at = self.pos / 8;
        if at + 8 > BUF_BYTES {
            return 0;
        }
        let mut w = [0u8; 8];
        w.copy_from_slice(&self.bytes[at..at + 8]);
        (u64::from_be_bytes(w) << (self.pos % 8)) >> 16
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
    pub fn len(&self) -> usize {
        self.len
    }

    /// True for an empty payload.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Bits left before the end of the payload (0 when past it).
    pub fn remaining(&self) -> usize {
        self.len.saturating_sub(self.pos)
    }

    /// Copies the next `n` bits (clamped to what remains) into a
    /// [`BinaryData`], for the undecoded part of binary messages.
    pub fn binary(&mut self, n: usize) -> BinaryData {
        let n = n.min(self.remaining()).min(BinaryData::MAX_BITS);
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

/// Opaque binary data (the application payload of types 6, 8, 25, 26), packed
/// big-endian, last byte zero-padded.
#[derive(Clone, PartialEq, Eq)]
pub struct BinaryData {
    bytes: [u8; Self::MAX_BITS / 8],
    bits: u16,
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
    fn armour_round_trips_every_value() {
        for v in 0..64u8 {
            assert_eq!(unarmour(armour(v)), Ok(v));
        }
        assert_eq!(unarmour(b'X'), Err(ArmourError::BadChar(b'X')));
    }

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
                p.push_armoured(&chars[cut2..]).unwrap();
                let mut r = p.reader();
                let got: Vec<bool> = (0..p.len_bits()).map(|_| r.u(1) == 1).collect();
                assert_eq!(got, want);
                assert!(p.bytes[p.len_bits().div_ceil(8)..].iter().all(|&b| b == 0));
                let mut q = Payload::from_armoured(&chars, 3).unwrap();
                q.set_armoured(&chars[..cut], 0).unwrap();
                assert_eq!(
                    q.as_bytes(),
                    Payload::from_armoured(&chars[..cut], 0).unwrap().as_bytes()
                );
                assert!(q.bytes[q.len_bits().div_ceil(8)..].iter().all(|&b| b == 0));
            }
        }
    }

    #[test]
    fn every_byte_value_is_judged_as_unarmour_does() {
        for c in 0..=255u8 {
            for pos in 0..11 {
                let mut chars = vec![b'w'; 11];
                chars[pos] = c;
                let mut p = Payload::new();
                let got = p.push_armoured(&chars);
                match unarmour(c) {
                    Ok(v) => {
                        assert_eq!(got, Ok(()));
                        let mut r = p.reader();
                        r.skip(6 * pos);
                        assert_eq!(r.u(6), u32::from(v));
                    }
                    Err(e) => {
                        assert_eq!(got, Err(e));
                        assert_eq!(p.len_bits(), 0);
                        assert!(p.bytes.iter().all(|&b| b == 0));
                    }
                }
            }
        }
    }

    #[test]
    fn binary_and_text_match_bitwise_reads() {
        let all: Vec<u8> = (0..64u8).map(armour).collect();
        let chars: Vec<u8> = (0..180).map(|i| all[(i * 37 + 5) % 64]).collect();
        let p = Payload::from_armoured(&chars, 2).unwrap();
        for skip in 0..20 {
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

    #[test]
    fn fill_bits_clear_the_tail() {
        let p = Payload::from_armoured(b"w", 5).unwrap();
        assert_eq!(p.len_bits(), 1);
        assert_eq!(p.as_bytes(), &[0x80]);
    }

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
