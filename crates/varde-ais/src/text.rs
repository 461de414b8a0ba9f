//! Six-bit AIS text (names, call signs, destinations, safety messages).

/// The six-bit character set of ITU-R M.1371 Table 47, indexed by value.
pub const SIXBIT_ASCII: &[u8; 64] =
    b"@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_ !\"#$%&'()*+,-./0123456789:;<=>?";

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

    /// Appends one six-bit value (ignored past capacity).
    #[inline]
    pub fn push_sixbit(&mut self, v: u8) {
        if usize::from(self.len) < N {
            self.chars[usize::from(self.len)] = SIXBIT_ASCII[usize::from(v & 0x3f)];
            self.len += 1;
        }
    }

    /// Appends eight six-bit values, the low 48 bits of `w`, first in the
    /// top bits (ignored past capacity).
    #[inline]
    pub(crate) fn push_sixbits8(&mut self, w: u64) {
        let at = usize::from(self.len);
        if at + 8 <= N {
            for k in 0..8 {
                self.chars[at + k] = SIXBIT_ASCII[((w >> (42 - 6 * k)) & 0x3f) as usize];
            }
            self.len += 8;
        } else {
            for k in 0..8 {
                self.push_sixbit(((w >> (42 - 6 * k)) & 0x3f) as u8);
            }
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
    fn unknown_characters_become_question_marks() {
        assert_eq!(AisText::<5>::from_ascii("ø").raw(), "??");
    }
}
