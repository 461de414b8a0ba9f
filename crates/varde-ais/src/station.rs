//! A short receiving-station name stored inline (no allocation).

/// Station id from a tag block `s:` field (e.g. `2573345`, `rORBCOMM008`),
/// up to 31 bytes; longer ids are cut.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Station {
    bytes: [u8; 31],
    len: u8,
}

impl Station {
    /// Stores `s`, cut at 31 bytes on a character boundary.
    pub fn new(s: &str) -> Self {
        let mut end = s.len().min(31);
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        let mut st = Self::default();
        st.bytes[..end].copy_from_slice(&s.as_bytes()[..end]);
        st.len = end as u8;
        st
    }

    /// The station id.
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.bytes[..usize::from(self.len)]).unwrap_or("")
    }
}

impl std::fmt::Debug for Station {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}", self.as_str())
    }
}
