//! Configuration of the `rendezvous` detector.

use super::check::Errors;
use serde::{Deserialize, Serialize};

/// `rendezvous`: two vessels side by side at sea (ship-to-ship transfer).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RendezvousConfig {
    /// Run this detector.
    pub enabled: bool,
    /// Largest separation, metres. Default 250.
    pub max_distance_m: f64,
    /// Both slower than this, knots. Default 2.
    pub max_speed_kn: f64,
    /// Together at least this long, seconds. Default 1800.
    pub min_duration_s: u32,
    /// Ignore meetings closer than this to a port or anchorage, metres. Default 10 000.
    pub min_port_distance_m: f64,
    /// A pair not seen together for this long has parted, seconds. Default 600.
    pub max_silence_s: u32,
    /// A pair that parted because one (or both) fell silent resumes, counting the silence as time
    /// together, if the silent one reappears beside the other within this long, seconds. Default 43 200
    /// (12 h): shadow-fleet transfers with one party dark (OFAC DSP).
    pub dark_resume_s: u32,
    /// ...and both lie within this distance of where they were last seen together, metres (they drift
    /// together with the current). Default 3000.
    pub dark_drift_m: f64,
    /// A crowd of at least this many slow vessels (the vessel itself included) heard within
    /// `max_silence_s` in the ~1.7 km square of rendezvous cells around a fix is an anchorage, known
    /// to the geography or not: no pair in it is a rendezvous. 0 turns the rule off. Default 6.
    pub anchorage_min_vessels: u32,
}

impl RendezvousConfig {
    /// The defaults.
    pub const fn new() -> Self {
        Self {
            enabled: true,
            max_distance_m: 250.0,
            max_speed_kn: 2.0,
            min_duration_s: 1800,
            min_port_distance_m: 10_000.0,
            max_silence_s: 600,
            dark_resume_s: 43_200,
            dark_drift_m: 3000.0,
            anchorage_min_vessels: 6,
        }
    }

    pub(crate) fn check(&self, e: &mut Errors) {
        e.range(
            "rendezvous.max_distance_m",
            self.max_distance_m,
            1.0,
            1000.0,
        );
        e.positive("rendezvous.max_speed_kn", self.max_speed_kn);
        e.positive("rendezvous.min_duration_s", f64::from(self.min_duration_s));
        e.range(
            "rendezvous.min_port_distance_m",
            self.min_port_distance_m,
            0.0,
            100_000.0,
        );
        e.positive("rendezvous.max_silence_s", f64::from(self.max_silence_s));
        e.positive("rendezvous.dark_resume_s", f64::from(self.dark_resume_s));
        e.range("rendezvous.dark_drift_m", self.dark_drift_m, 0.0, 20_000.0);
        // 0 is off; two vessels are a meeting, not a crowd.
        if self.anchorage_min_vessels != 0 {
            e.range(
                "rendezvous.anchorage_min_vessels",
                f64::from(self.anchorage_min_vessels),
                3.0,
                1_000_000.0,
            );
        }
    }
}

impl Default for RendezvousConfig {
    fn default() -> Self {
        Self::new()
    }
}
