//! gpsd-compatible AIS JSON (`gpsdecode -j`, and `-u -j` when unscaled).
//!
//! # Layout
//! - `writer`: the allocation-free JSON object writer.
pub mod writer;

pub use writer::JsonWriter;
