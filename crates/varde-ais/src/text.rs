//! Six-bit AIS text (names, call signs, destinations, safety messages).

/// The six-bit character set of ITU-R M.1371 Table 47, indexed by value.
pub const SIXBIT_ASCII: &[u8; 64] =
    b"@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_ !\"#$%&'()*+,-./0123456789:;<=>?";

/// Eight six-bit values (the low 48 bits of `w`, first in the top bits) as
/// their [`SIXBIT_ASCII`] characters, first in the top byte: each value to
/// its own byte, then 64 added to those below 32.
#[inline(always)]
fn sixbits8_to_ascii(w: u64) -> u64 {
    let v = ((w & 0x0000_ffff_ff00_0000) << 8) | (w & 0x0000_0000_00ff_ffff);
    let v = ((v & 0x00ff_f000_00ff_f000) << 4) | (v & 0x0000_0fff_0000_0fff);
    let v = ((v & 0x0fc0_0fc0_0fc0_0fc0) << 2) | (v & 0x003f_003f_003f_003f);
    v | ((!v & 0x2020_2020_2020_2020) << 1)
}

/// Up to `N` six-bit characters stored inline, exactly as transmitted
/// (including `@` padding and trailing spaces), so that encoding reproduces
/// the original bits. [`AisText::as_str`] gives the trimmed, human text.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct AisText<const N: usize> {
    chars: [u8; N],
    len: u16,
}

impl<const N: usize> Default for AisText<N> {
    fn default() -> Self {
        Self::new()
    }
}

impl<const N: usize> std::fmt::Debug for AisText<N> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}", self.raw())
    }
}

impl<const N: usize> AisText<N> {
    /// Empty text.
    pub const fn new() -> Self {
        Self {
            chars: [b'@'; N],
            len: 0,
        }
    }

    /// Text from ASCII: lower case is upper-cased, characters outside the
    /// six-bit set become `?`; longer input is cut at `N`.
    pub fn from_ascii(s: &str) -> Self {
        let mut t = Self::new();
        for c in s.bytes().take(N) {
            let c = c.to_ascii_uppercase();
            let v = SIXBIT_ASCII.iter().position(|&x| x == c).unwrap_or(63) as u8;
            t.push_sixbit(v);
        }
        t
    }

    /// `n` (≤ `N`) characters, where `word(i)` gives the six-bit values of
    /// characters `i..i + 8` as 48 bits, first in the top bits. Writes eight
    /// characters at a time; the last eight may overlap the ones before.
    #[inline(always)]
    pub(crate) fn from_sixbit_words(n: usize, word: impl Fn(usize) -> u64) -> Self {
        let mut t = Self::new();
        let n = n.min(N);
        if n >= 8 {
            let mut i = 0;
            while i + 8 <= n {
                t.chars[i..i + 8].copy_from_slice(&sixbits8_to_ascii(word(i)).to_be_bytes());
                i += 8;
            }
            if i < n {
                t.chars[n - 8..n].copy_from_slice(&sixbits8_to_ascii(word(n - 8)).to_be_bytes());
            }
        } else if n > 0 {
            let w = sixbits8_to_ascii(word(0)).to_be_bytes();
            t.chars[..n].copy_from_slice(&w[..n]);
        }
        t.len = n as u16;
        t
    }

    /// Appends one six-bit value (ignored past capacity).
    #[inline]
    pub fn push_sixbit(&mut self, v: u8) {
        if usize::from(self.len) < N {
            self.chars[usize::from(self.len)] = SIXBIT_ASCII[usize::from(v & 0x3f)];
            self.len += 1;
        }
    }

    /// The six-bit value at `i`, `@` (0) past the end.
    pub fn sixbit_at(&self, i: usize) -> u8 {
        if i >= usize::from(self.len) {
            return 0;
        }
        SIXBIT_ASCII
            .iter()
            .position(|&x| x == self.chars[i])
            .unwrap_or(0) as u8
    }

    /// Every transmitted character, `@` padding included.
    pub fn raw(&self) -> &str {
        // SIXBIT_ASCII is ASCII, so this cannot fail.
        std::str::from_utf8(&self.chars[..usize::from(self.len)]).unwrap_or("")
    }

    /// The text as gpsd shows it: cut at the first `@`, trailing spaces removed.
    pub fn as_str(&self) -> &str {
        let raw = self.raw();
        let cut = raw.find('@').map_or(raw, |i| &raw[..i]);
        cut.trim_end_matches(' ')
    }

    /// Number of transmitted characters.
    pub fn len(&self) -> usize {
        usize::from(self.len)
    }

    /// True when no characters were transmitted.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trims_like_gpsd() {
        let t = AisText::<20>::from_ascii("NORNE  @@@@");
        assert_eq!(t.raw(), "NORNE  @@@@");
        assert_eq!(t.as_str(), "NORNE");
    }

    #[test]
    fn eight_at_a_time_matches_the_table() {
        for k in 0..64u64 {
            // Every value in every position.
            let w = (0..8).fold(0u64, |w, i| (w << 6) | ((k + 9 * i) & 0x3f));
            let got = sixbits8_to_ascii(w).to_be_bytes();
            for (i, &c) in got.iter().enumerate() {
                assert_eq!(c, SIXBIT_ASCII[((k + 9 * i as u64) & 0x3f) as usize]);
            }
        }
    }

    #[test]
    fn unknown_characters_become_question_marks() {
        assert_eq!(AisText::<5>::from_ascii("ø").raw(), "??");
    }
}
