//! Varde's traffic simulator: realistic AIS traffic in Norwegian waters
//! plus scripted incidents, encoded as the NMEA lines with tag blocks that
//! the Norwegian Coastal Administration feed carries
//! (`\s:2573345,c:1721088000*hh\!BSVDM,...`).
//!
//! Deterministic: one seed drives everything (ChaCha8), time is event time
//! from [`SimConfig::start_unix_s`], and the wall clock is never read.
//! Output streams through a callback ([`Simulator::run`]) or an iterator
//! ([`Simulator::lines`]); nothing is held beyond one message.
//!
//! ```
//! use varde_sim::{Scenario, SimConfig, Simulator};
//! let cfg = SimConfig { vessels: 50, hours: 0.1, scenario: Some(Scenario::builtin("eagle_s").unwrap()), ..SimConfig::default() };
//! let mut n = 0;
//! Simulator::new(cfg).unwrap().run(|line| { assert!(line.starts_with('\\') && line.contains("!BSVDM")); n += 1 });
//! assert!(n > 0);
//! ```
//!
//! # Layout
//! - [`sim`]: [`SimConfig`], [`Simulator`]: the event heap, reporting
//!   intervals (ITU-R M.1371), static data every 6 min.
//! - [`fleet`]: the background fleet mix, flags and identities.
//! - [`identity`], [`names`]: MMSI/MID, IMO check digit, call signs, names,
//!   ship types and sizes.
//! - [`plan`]: voyage plans per vessel kind (coastal trade, Hurtigruten,
//!   tankers to terminals, supply to fields, fishing, patrols, Svalbard).
//! - [`mover`]: kinematics of background traffic (turn rate, acceleration,
//!   noise).
//! - [`places`]: hard-coded sea lanes, port approaches, fields, work areas
//!   and base stations, all checked to stay at sea.
//! - [`script`]: scripted tracks for incidents (steps, silences, jumps,
//!   false fixes).
//! - [`scenario`]: [`Scenario`] (TOML or built in), the incidents, their
//!   negative controls, expected outcomes and infrastructure layer.
//! - [`encode`]: AIS messages from vessel state, fast NMEA framing.
//! - [`geo`]: spherical geodesy.

pub mod encode;
pub mod fleet;
pub mod geo;
pub mod identity;
pub mod mover;
pub mod names;
pub mod places;
pub mod plan;
pub mod scenario;
pub mod script;
pub mod sim;

pub use scenario::{builtin_names, Expectation, Incident, IncidentKind, Scenario};
pub use sim::{SimConfig, Simulator};

/// Why a simulation could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum SimError {
    /// The scenario TOML did not parse.
    #[error("scenario: {0}")]
    Toml(#[from] toml::de::Error),
    /// [`Scenario::builtin`] got a name it does not know.
    #[error("unknown built-in incident {0:?} (known: {known})", known = builtin_names().join(", "))]
    UnknownIncident(String),
    /// An MMSI override is not a 9-digit ship MMSI (MID 2xx–7xx).
    #[error("invalid ship MMSI {0}")]
    InvalidMmsi(u32),
    /// An IMO override fails the check digit.
    #[error("invalid IMO number {0}")]
    InvalidImo(u32),
}
