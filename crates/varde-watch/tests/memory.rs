//! Memory per tracked vessel at 10,000 vessels in steady state (tracks full, static data merged, the
//! last raw sentences kept, detector state live), measured by a counting allocator (`stats_alloc`
//! around the system allocator), not estimated: the heap the engine holds, divided by its vessels.
//!
//! Counted twice: the bytes asked for, and those plus 16 bytes per live allocation (glibc's chunk
//! header and rounding to 16 bytes, what RSS pays on top). The second must stay within 1 KiB.

mod common;

use common::*;
use stats_alloc::{Region, StatsAlloc, INSTRUMENTED_SYSTEM};
use std::alloc::System;
use varde_watch::{Config, Engine, RawLines};

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

/// Vessels tracked.
const VESSELS: u32 = 10_000;
/// Allocator overhead per live allocation, bytes (glibc: an 8-byte size field, chunks in 16s).
const PER_ALLOCATION: i64 = 16;

/// Live heap bytes and allocations since `region` began. `stats_alloc` adds a reallocation's growth
/// to `bytes_allocated` (its shrinking to `bytes_deallocated`) and also to `bytes_reallocated`, so
/// the latter is not added again.
fn live(region: &Region<'_, System>) -> (i64, i64) {
    let c = region.change();
    (
        c.bytes_allocated as i64 - c.bytes_deallocated as i64,
        c.allocations as i64 - c.deallocations as i64,
    )
}

#[test]
fn heap_held_per_vessel_at_ten_thousand_vessels_is_under_one_kib() {
    // Spread over the North Sea, half Norwegian, half not; each reports every 5 min and zigzags
    // every 20 min for 8 h, so its track fills (20 points).
    let mut ships: Vec<Ship> = (0..VESSELS)
        .map(|i| {
            let mmsi = if i % 2 == 0 {
                257_000_000 + i
            } else {
                232_000_000 + i
            };
            let lat = 56.5 + f64::from(i % 100) * 0.05;
            let lon = 1.0 + f64::from(i / 100) * 0.02; // at sea: no alerts held
            let mut s = Ship::new(mmsi, 0, lat, lon, "A LONG VESSEL NAME XX", 70);
            s.every_s = 300;
            s.out.reserve(4);
            s
        })
        .collect();
    // The static reports were written before the count starts: processed by reference and dropped
    // after it ends, so their bytes are neither counted nor counted as freed.
    let statics: Vec<_> = ships.iter_mut().flat_map(|s| s.out.drain(..)).collect();
    let geo = norway();
    let region = Region::new(GLOBAL);
    let mut e = Engine::new(Config::default(), geo).unwrap();
    let empty = live(&region);
    for r in &statics {
        e.process(r);
    }
    for leg in 0..24 {
        let cog = if leg % 2 == 0 { 30.0 } else { 330.0 };
        for _ in 0..4 {
            for s in &mut ships {
                s.sail(300, 10.0, cog);
                for mut r in s.out.drain(..) {
                    // A raw line as long as a real one (tag block and a 28-character payload).
                    r.raw = RawLines::from(format!(
                        "\\s:2573,c:{}*5C\\!AIVDM,1,1,,B,13u?etPv2;0n:dDPwUM1U1Cb0{:03},0*24",
                        r.time_ms / 1000,
                        r.mmsi % 1000
                    ));
                    e.process(&r);
                }
            }
        }
    }
    let (bytes, allocations) = live(&region);
    let (bytes, allocations) = (bytes - empty.0, allocations - empty.1);
    let vessels = e.picture().len();
    let n = vessels as f64;
    let asked = bytes as f64 / n;
    let with_overhead = (bytes + PER_ALLOCATION * allocations) as f64 / n;
    let full_tracks = e
        .picture()
        .vessels()
        .filter(|v| v.track.len() == 20)
        .count();
    println!(
        "{vessels} vessels after 8 h ({full_tracks} full tracks): {asked:.0} bytes/vessel asked for, \
         {:.1} allocations/vessel, {with_overhead:.0} bytes/vessel with allocator overhead \
         (the picture's own estimate {:.0}; {} alerts held)",
        allocations as f64 / n,
        e.picture().bytes_per_vessel(),
        e.alerts().len()
    );
    assert_eq!(vessels, VESSELS as usize);
    assert!(
        full_tracks * 10 >= vessels * 9,
        "steady state: most tracks full"
    );
    assert!(with_overhead <= 1024.0, "{with_overhead} bytes per vessel");
}
