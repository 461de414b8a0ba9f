//! Adapters between the library crates: AIS messages → engine reports, and
//! varde-geo → the engine's geography trait.
mod clearance;
pub mod geo;
pub mod report;
