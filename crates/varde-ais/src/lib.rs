//! Varde's AIS codec: bytes in, typed messages out, and back. No I/O.
//!
//! # Layout
//! - [`nmea`]: one line → [`nmea::Sentence`]: talker, fragments, checksum,
//!   tag blocks, trailing receiver metadata; and the sentence encoder.
//! - [`assemble`]: multi-sentence reassembly, bounded and counted.
//! - [`decoder`]: the stateful line decoder → [`Frame`]s (complete payloads
//!   with time, station and raw lines).
//! - [`bits`]: six-bit armouring, [`bits::Payload`], bit reader and writer.
//! - [`text`]: six-bit text fields.
//! - [`message`]: typed messages 1–27, decode and encode.
//! - [`asm`]: application-specific messages (DAC/FI) inside types 6 and 8.
//! - [`gpsd`]: gpsd-compatible JSON output.
//! - [`station`], [`time`]: small value helpers; [`eta`]: message 5's ETA as a date-time.
pub mod asm;
pub mod assemble;
pub mod bits;
pub mod decoder;
pub mod eta;
pub mod gpsd;
pub mod message;
pub mod nmea;
pub mod station;
pub mod text;
pub mod time;

pub use decoder::{Decoder, Frame, LineError, Output, Raw};
pub use message::{AisMessage, DecodeError};
