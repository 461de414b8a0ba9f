//! NMEA 0183 framing of AIS: sentences, tag blocks, trailing metadata.
//!
//! # Layout
//! - `sentence`: one `!xxVDM`/`!xxVDO` line → [`Sentence`].
//! - `tagblock`: IEC 62320-1 / NMEA 4.10 tag blocks → [`TagBlock`].
//! - `encode`: typed payload → sentence lines (checksums, splitting).
//! - `swar`: byte searches eight bytes at a time, for short fields.
mod encode;
mod sentence;
mod swar;
mod tagblock;

pub use encode::{checksum, encode_sentences, EncodeOptions};
pub use sentence::{parse, Sentence, SentenceError, MAX_LINE};
pub(crate) use sentence::{parse_fast_unverified, parse_reference, Unverified};
pub(crate) use swar::contains_either_xor;
pub use tagblock::{parse_unix_time, TagBlock, TagGroup};

/// Value of each hexadecimal digit (either case); 0xff for other bytes.
const HEX: [u8; 256] = {
    let mut t = [0xffu8; 256];
    let mut c = 0;
    while c < 256 {
        t[c] = match c as u8 {
            b'0'..=b'9' => c as u8 - b'0',
            b'A'..=b'F' => c as u8 - b'A' + 10,
            b'a'..=b'f' => c as u8 - b'a' + 10,
            _ => 0xff,
        };
        c += 1;
    }
    t
};

/// Value of one hexadecimal digit (either case), by table: checksum digits
/// mix numbers and letters at random, which a branch would mispredict.
#[inline]
pub(crate) fn hex_value(c: u8) -> Option<u8> {
    let v = HEX[usize::from(c)];
    (v != 0xff).then_some(v)
}

/// The byte written as two hexadecimal digits `h`, `l` (one branch).
#[inline]
pub(crate) fn hex_pair(h: u8, l: u8) -> Option<u8> {
    let (h, l) = (HEX[usize::from(h)], HEX[usize::from(l)]);
    ((h | l) < 16).then_some(h << 4 | l)
}
