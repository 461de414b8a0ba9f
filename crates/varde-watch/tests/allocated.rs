//! Memory per tracked vessel measured by a counting allocator (`stats_alloc` wraps the system
//! allocator): the heap the engine holds after a simulated day, divided by the vessels it tracks. This
//! checks `Picture::bytes_per_vessel` (the engine's own estimate) against what was really allocated.

mod common;

use common::*;
use stats_alloc::{Region, StatsAlloc, INSTRUMENTED_SYSTEM};
use std::alloc::System;
use varde_watch::{Config, Engine};

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

/// Live heap bytes held since `region` began (allocated minus freed). `stats_alloc` already adds a
/// reallocation's growth to `bytes_allocated` (its shrinking to `bytes_deallocated`); adding
/// `bytes_reallocated` as well counted every reallocation twice.
fn live(region: &Region<'_, System>) -> i64 {
    let c = region.change();
    c.bytes_allocated as i64 - c.bytes_deallocated as i64
}

#[test]
fn heap_held_per_vessel_after_a_day_is_under_one_kib() {
    let mut ships: Vec<Ship> = (0..500u32)
        .map(|i| {
            let mmsi = if i % 2 == 0 {
                257_200_000 + i
            } else {
                273_200_000 + i
            };
            let lat = 56.5 + f64::from(i) * 0.008;
            let mut s = Ship::new(mmsi, 0, lat, 1.0, "A LONG VESSEL NAME XX", 70);
            s.every_s = 60;
            s
        })
        .collect();
    for leg in 0..24 {
        let cog = if leg % 2 == 0 { 30.0 } else { 330.0 };
        for s in &mut ships {
            s.sail(20 * 60, 10.0, cog);
        }
    }
    let refs: Vec<&Ship> = ships.iter().collect();
    let reports = merge(&refs);
    let geo = norway();
    let region = Region::new(GLOBAL);
    let mut e = Engine::new(Config::default(), geo).unwrap();
    let empty = live(&region);
    for r in &reports {
        e.process(r);
    }
    let held = live(&region) - empty;
    let vessels = e.picture().len();
    let per_vessel = held as f64 / vessels as f64;
    let estimate = e.picture().bytes_per_vessel();
    println!(
        "{vessels} vessels after 8 h: {per_vessel:.0} bytes/vessel allocated \
         (engine's own estimate {estimate:.0})"
    );
    assert_eq!(vessels, 500);
    assert!(per_vessel <= 1024.0, "{per_vessel} bytes per vessel");
}
