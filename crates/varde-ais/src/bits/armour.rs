//! Six-bit armouring: one character per six bits, eight at a time.

use super::{ArmourError, MAX_PAYLOAD_BITS};

/// Decodes one armoured character to its six-bit value.
#[inline]
pub fn unarmour(c: u8) -> Result<u8, ArmourError> {
    match c {
        b'0'..=b'W' => Ok(c - 48),
        b'`'..=b'w' => Ok(c - 56),
        _ => Err(ArmourError::BadChar(c)),
    }
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

const H: u64 = 0x8080_8080_8080_8080;

const fn splat(b: u8) -> u64 {
    u64::from_ne_bytes([b; 8])
}

/// Unarmours eight characters (big-endian in `x`, first character in the
/// top byte) into 48 bits, without a table. The second value has the high
/// bit of each byte set when that byte's low seven bits are in the
/// alphabet; a character is valid when that bit is set and its own high bit
/// is clear (see [`Checker`]).
#[inline(always)]
fn unarmour8(x: u64) -> (u64, u64) {
    // For bytes below 0x80, `byte + (0x80 - k)` sets the high bit exactly
    // when byte >= k, with no carry into the next byte. A byte is in the
    // alphabet when it passes one or three of the four bounds 0x30, 0x58,
    // 0x60, 0x78: the XOR of the four high bits. A byte from 0x80 up is
    // invalid (the caller checks its high bit) and may carry into its
    // neighbour: the whole result is thrown away then.
    let ge60 = x.wrapping_add(splat(0x80 - 0x60));
    let ok = x.wrapping_add(splat(0x80 - 0x30))
        ^ x.wrapping_add(splat(0x80 - 0x58))
        ^ ge60
        ^ x.wrapping_add(splat(0x80 - 0x78));
    // Valid bytes: `c - 48`, and 8 less from '`' on (no borrows).
    let v = x.wrapping_sub(splat(0x30)).wrapping_sub((ge60 & H) >> 4);
    // Pack the eight 6-bit values: pairs, quads, then the two halves.
    let v = ((v & 0x3f00_3f00_3f00_3f00) >> 2) | (v & 0x003f_003f_003f_003f);
    let v = ((v & 0x0fff_0000_0fff_0000) >> 4) | (v & 0x0000_0fff_0000_0fff);
    let v = ((v & 0x00ff_ffff_0000_0000) >> 8) | (v & 0x0000_0000_00ff_ffff);
    (v, ok)
}

/// Collects the validity of the characters unarmoured so far, in one word
/// (a register counts in the unarmouring loop).
struct Checker {
    /// High bit of a byte set: that byte was not a valid character.
    bad: u64,
}

impl Checker {
    #[inline(always)]
    fn new() -> Self {
        Self { bad: 0 }
    }

    /// Notes the bytes of `x` selected by `mask` (0xff per byte).
    #[inline(always)]
    fn note(&mut self, x: u64, ok: u64, mask: u64) {
        self.bad |= (x | !ok) & mask;
    }

    #[inline(always)]
    fn all_valid(&self) -> bool {
        self.bad & H == 0
    }
}

/// The first invalid character (only called once a chunk was found bad).
#[cold]
fn first_bad(chars: &[u8]) -> ArmourError {
    let c = chars
        .iter()
        .copied()
        .find(|&c| unarmour(c).is_err())
        .unwrap_or(0);
    ArmourError::BadChar(c)
}

/// What [`unarmour_from_start`] did.
pub(super) struct FromStart {
    /// Every byte below this was written.
    pub(super) end: usize,
    /// The first invalid character, if any.
    pub(super) result: Result<(), ArmourError>,
    /// The XOR of all characters, in eight lanes (fold the bytes together).
    pub(super) xor: u64,
}

/// Unarmours `chars` into `out` from bit 0, dropping the last `fill` bits
/// (0–5; the caller rejects more, and then ignores what was written).
/// Writes whole 8-byte words: every byte below the returned end (at most
/// `6 * chars.len() / 8 + 8`) is written, and bits past the kept ones are
/// zero up to it. The caller checks the length (at most
/// [`MAX_PAYLOAD_BITS`] bits, so that every write is inside `out`).
#[inline(always)]
pub(super) fn unarmour_from_start(out: &mut [u8], chars: &[u8], fill: usize) -> FromStart {
    debug_assert!(chars.len() * 6 <= MAX_PAYLOAD_BITS);
    let mut check = Checker::new();
    let mut xor = 0;
    let mut at = 0;
    // All but the last 1–8 characters, eight at a time; those last ones
    // (the low bytes of the last eight) make the tail word, which also
    // takes the fill bits off. Done even for no characters (a word of
    // zeros): payload lengths vary at random, and a branch on them would
    // mispredict.
    let full = chars.len().saturating_sub(1) / 8;
    for c in chars[..8 * full].chunks_exact(8) {
        let x = u64::from_be_bytes(c.try_into().unwrap_or([b'0'; 8]));
        let (v, ok) = unarmour8(x);
        check.note(x, ok, !0);
        xor ^= x;
        out[at..at + 8].copy_from_slice(&(v << 16).to_be_bytes());
        at += 6;
    }
    let r = chars.len() - 8 * full;
    let x = last8(chars);
    let (v, ok) = unarmour8(x);
    let mask = u64::MAX.checked_shr(64 - 8 * r as u32).unwrap_or(0);
    check.note(x, ok, mask);
    xor ^= x & mask;
    // The last `r` values to the top (two shifts: `r` may be 0), then only
    // the bits that are kept.
    let tail = (v << 16) << (6 * (8 - r));
    let tail = tail & !(u64::MAX >> (6 * r).saturating_sub(fill));
    out[at..at + 8].copy_from_slice(&tail.to_be_bytes());
    let end = at + 8;
    let result = if check.all_valid() {
        Ok(())
    } else {
        Err(first_bad(chars))
    };
    FromStart { end, result, xor }
}

/// Appends `chars` unarmoured after the first `start` bits of `out`. Same
/// contract as [`unarmour_from_start`]; bits before `start` are kept, and
/// the caller checks that `start + 6 * chars.len()` is in range.
#[inline]
pub(super) fn unarmour_append(
    out: &mut [u8],
    start: usize,
    chars: &[u8],
) -> (usize, Result<(), ArmourError>) {
    let mut at = start / 8;
    // `acc` holds the `nacc` (< 8) bits not yet written.
    let nacc = (start % 8) as u32;
    let mut acc = if nacc == 0 {
        0
    } else {
        u64::from(out[at] >> (8 - nacc))
    };
    // Eight characters at a time make 48 bits. Writes are 8 bytes wide: the
    // two extra bytes are overwritten next, or are past the end where they
    // are zero.
    let mask = (1u64 << nacc) - 1;
    let mut check = Checker::new();
    let mut chunks = chars.chunks_exact(8);
    for c in &mut chunks {
        let x = u64::from_be_bytes(c.try_into().unwrap_or([b'0'; 8]));
        let (v, ok) = unarmour8(x);
        check.note(x, ok, !0);
        acc = (acc << 48) | v;
        out[at..at + 8].copy_from_slice(&((acc >> nacc) << 16).to_be_bytes());
        at += 6;
        acc &= mask;
    }
    // The last 0–7 characters: the low bytes of the last eight.
    let r = chunks.remainder().len() as u32;
    let mut tail_bits = nacc;
    if r > 0 {
        let x = last8(chars);
        let (v, ok) = unarmour8(x);
        check.note(x, ok, (1u64 << (8 * r)) - 1);
        acc = (acc << (6 * r)) | (v & ((1u64 << (6 * r)) - 1));
        tail_bits += 6 * r;
    }
    let end = if tail_bits > 0 {
        out[at..at + 8].copy_from_slice(&(acc << (64 - tail_bits)).to_be_bytes());
        at + 8
    } else {
        at + 2 * usize::from(at > start / 8)
    };
    if check.all_valid() {
        (end, Ok(()))
    } else {
        (end, Err(first_bad(chars)))
    }
}

/// The last eight characters as a big-endian word, padded in front with
/// `0` (value 0) when there are fewer.
#[inline(always)]
fn last8(chars: &[u8]) -> u64 {
    let n = chars.len();
    if n >= 8 {
        u64::from_be_bytes(chars[n - 8..].try_into().unwrap_or([b'0'; 8]))
    } else {
        chars
            .iter()
            .fold(splat(b'0'), |x, &c| (x << 8) | u64::from(c))
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
    fn unarmour8_agrees_with_unarmour_for_every_byte() {
        for c in 0..=255u8 {
            for pos in 0..8 {
                let mut w = [b'w'; 8];
                w[pos] = c;
                let x = u64::from_be_bytes(w);
                let (v, ok) = unarmour8(x);
                let mut check = Checker::new();
                check.note(x, ok, !0);
                match unarmour(c) {
                    Ok(want) => {
                        assert!(check.all_valid(), "{c:#x}");
                        assert_eq!((v >> (42 - 6 * pos)) & 0x3f, u64::from(want));
                    }
                    Err(_) => assert!(!check.all_valid(), "{c:#x}"),
                }
            }
        }
    }
}
