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
pub(crate) use sentence::{parse_fast, parse_reference};
pub(crate) use swar::contains_either;
pub use tagblock::{parse_unix_time, TagBlock, TagGroup};

/// Value of one hexadecimal digit (either case).
#[inline]
pub(crate) fn hex_value(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'A'..=b'F' => Some(c - b'A' + 10),
        b'a'..=b'f' => Some(c - b'a' + 10),
        _ => None,
    }
}
