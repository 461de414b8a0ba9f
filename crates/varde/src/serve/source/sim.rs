//! The simulator as a live source: traffic in Norwegian waters with the
//! scripted incidents, starting now, paced at `speed` × real time.

use super::file::Pacer;
use super::{SourceCtx, SourceState};

/// Every built-in incident, starting within the first minutes of event time
/// (controls a little later), so that alerts fire early in the demo.
pub fn demo_scenario() -> varde_sim::Scenario {
    let mut s = varde_sim::Scenario::all_builtin();
    for (i, inc) in s.incidents.iter_mut().enumerate() {
        inc.start_min = if inc.control { 4.0 } else { 1.0 } + (i / 2) as f64 * 0.5;
    }
    s
}

/// Hours of traffic the demo simulates before it ends.
const DEMO_HOURS: f64 = 24.0;

/// Starts the simulator on its own thread.
pub fn spawn(ctx: SourceCtx, vessels: usize, speed: f64) {
    std::thread::spawn(move || {
        ctx.health.set_state(SourceState::Up);
        let cfg = varde_sim::SimConfig {
            vessels,
            hours: DEMO_HOURS,
            start_unix_s: super::now_ms() / 1000,
            scenario: Some(demo_scenario()),
            ..varde_sim::SimConfig::default()
        };
        let mut sim = match varde_sim::Simulator::new(cfg) {
            Ok(s) => s,
            Err(e) => {
                tracing::error!(error = %e, "simulator failed to start");
                ctx.health.set_state(SourceState::Down);
                return;
            }
        };
        let mut pacer = Pacer::new(speed);
        let mut open = true;
        // The simulation is a recording with a clock of its own, running `speed` times real time
        // (20 in the demo): like a file source's, its lines are received at its own latest time,
        // not the wall clock, or all but its first minutes would be refused as ahead of receipt.
        // Lines go out in batches, as a file's do: when full, and before every wait of the pacer.
        let mut clock_ms: Option<i64> = None;
        let mut batch = ctx.batch();
        sim.run(|line: &str| {
            if !open {
                return;
            }
            if let Some(t) = varde_ais::nmea::parse(line.as_bytes())
                .ok()
                .and_then(|s| s.time_ms())
            {
                if let Some(wait) = pacer.delay(t) {
                    open = ctx.send_blocking(std::mem::replace(&mut batch, ctx.batch()));
                    std::thread::sleep(wait);
                }
                clock_ms = Some(clock_ms.map_or(t, |c| c.max(t)));
            }
            batch.push(line.as_bytes(), clock_ms.unwrap_or_else(super::now_ms));
            if batch.is_full() {
                open &= ctx.send_blocking(std::mem::replace(&mut batch, ctx.batch()));
            }
        });
        ctx.send_blocking(batch);
        ctx.health.set_state(SourceState::Done);
    });
}
