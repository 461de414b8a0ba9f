//! Six-bit armouring and bit-level access to AIS payloads.
//!
//! An AIS payload travels as "armoured" ASCII: each character carries six bits
//! (ITU-R M.1371, IEC 61162-1). [`Payload`] holds the unarmoured bits of one
//! complete message in a fixed-size buffer (no allocation); [`BitReader`] reads
//! big-endian fields out of it and [`BitWriter`] builds one for the encoder.
//!
//! # Layout
//! - `armour`: one character ↔ six bits, and the eight-at-a-time unarmouring.
//! - `payload`: [`Payload`].
//! - `reader`: [`BitReader`], sequential and fixed-position reads.
//! - `writer`: [`BitWriter`].
//! - `binary`: [`BinaryData`], opaque application data.

mod armour;
mod binary;
mod payload;
mod reader;
mod writer;

pub use armour::{armour, unarmour};
pub use binary::BinaryData;
pub use payload::Payload;
pub use reader::BitReader;
pub use writer::BitWriter;

/// Largest payload, in bits, that the codec accepts (5 slots of 256 bits is
/// 1280; real feeds rarely exceed 1008). Longer payloads are rejected.
pub const MAX_PAYLOAD_BITS: usize = 2048;
/// Bytes a [`Payload`] clears past its end without checking how many were in
/// use (see `Payload::set_armoured`).
const CLEAR: usize = 32;
/// Buffer size: the longest payload, an 8-byte word written past its end by
/// the unarmouring, and [`CLEAR`] bytes after that.
const BUF_BYTES: usize = MAX_PAYLOAD_BITS / 8 + 8 + CLEAR;

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
