//! Varde's AIS codec: bytes in, typed messages out, and back. No I/O.
//!
//! # Layout
//! - [`bits`]: six-bit armouring, [`bits::Payload`], bit reader and writer.
//! - [`text`]: six-bit text fields.
//! - [`gpsd`]: gpsd-compatible JSON output.
pub mod bits;
pub mod gpsd;
pub mod text;
