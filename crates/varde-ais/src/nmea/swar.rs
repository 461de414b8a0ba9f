//! Byte searches eight bytes at a time in plain `u64`s ("SIMD within a
//! register"). Sentence fields are a few dozen bytes: these beat `memchr`,
//! whose set-up costs more than such a search.

const LO: u64 = 0x0101_0101_0101_0101;
const HI: u64 = 0x8080_8080_8080_8080;

/// The high bit of each byte of `x` that is zero; exact for the lowest
/// zero byte (a borrow only runs upwards from a zero byte), and non-zero
/// exactly when some byte is zero.
#[inline(always)]
fn zero_bytes(x: u64) -> u64 {
    x.wrapping_sub(LO) & !x & HI
}

#[inline(always)]
fn word(c: &[u8]) -> u64 {
    u64::from_le_bytes(c.try_into().unwrap_or([0; 8]))
}

/// Index of the first `needle` in `hay`.
#[inline]
pub(crate) fn find_byte(hay: &[u8], needle: u8) -> Option<usize> {
    let splat = LO * u64::from(needle);
    let mut chunks = hay.chunks_exact(8);
    let mut at = 0;
    for c in &mut chunks {
        let z = zero_bytes(word(c) ^ splat);
        if z != 0 {
            return Some(at + (z.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    chunks
        .remainder()
        .iter()
        .position(|&b| b == needle)
        .map(|p| at + p)
}

/// Whether `hay` holds `a` or `b`, and the XOR of all its bytes: one pass
/// for a fragment's payload (strict-parse check and checksum).
#[inline]
pub(crate) fn contains_either_xor(hay: &[u8], a: u8, b: u8) -> (bool, u8) {
    let (sa, sb) = (LO * u64::from(a), LO * u64::from(b));
    let hit = |x: u64| zero_bytes(x ^ sa) | zero_bytes(x ^ sb);
    let mut chunks = hay.chunks_exact(8);
    let (mut any, mut xor) = (0, 0);
    for c in &mut chunks {
        let x = word(c);
        any |= hit(x);
        xor ^= x;
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        if hay.len() >= 8 {
            // The last eight bytes again: overlap is harmless for the test;
            // for the XOR, only the new (high, little-endian) bytes count.
            let x = word(&hay[hay.len() - 8..]);
            any |= hit(x);
            xor ^= x >> (8 * (8 - rest.len()));
        } else {
            any |= u64::from(rest.iter().any(|&c| c == a || c == b));
            xor ^= rest.iter().fold(0, |x, &c| x ^ u64::from(c));
        }
    }
    xor ^= xor >> 32;
    xor ^= xor >> 16;
    xor ^= xor >> 8;
    (any != 0, xor as u8)
}

/// True if `hay` holds `a` or `b`.
#[inline]
pub(crate) fn contains_either(hay: &[u8], a: u8, b: u8) -> bool {
    let (sa, sb) = (LO * u64::from(a), LO * u64::from(b));
    let hit = |x: u64| zero_bytes(x ^ sa) | zero_bytes(x ^ sb);
    let mut chunks = hay.chunks_exact(8);
    let mut any = 0;
    for c in &mut chunks {
        any |= hit(word(c));
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        if hay.len() >= 8 {
            // The last eight bytes again: overlap is harmless for a test.
            any |= hit(word(&hay[hay.len() - 8..]));
        } else {
            any |= u64::from(rest.iter().any(|&c| c == a || c == b));
        }
    }
    any != 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agree_with_iterators() {
        let alphabet = [b'a', b',', b'*', b'\\', 0, 0x80, 0xff, b'0'];
        for len in 0..40usize {
            for seed in 0..60usize {
                let hay: Vec<u8> = (0..len)
                    .map(|i| alphabet[(i * 7 + seed * 13 + i * i * seed) % 8])
                    .collect();
                for needle in alphabet {
                    assert_eq!(
                        find_byte(&hay, needle),
                        hay.iter().position(|&b| b == needle),
                        "{hay:?} {needle}"
                    );
                }
                let any = hay.iter().any(|&b| b == b',' || b == b'*');
                assert_eq!(contains_either(&hay, b',', b'*'), any, "{hay:?}");
                let xor = hay.iter().fold(0, |x, &b| x ^ b);
                assert_eq!(contains_either_xor(&hay, b',', b'*'), (any, xor), "{hay:?}");
            }
        }
    }
}
