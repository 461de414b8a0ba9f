//! Memory per tracked vessel in steady state: tracks full, static data merged, detector state live.

mod common;

use common::*;
use varde_watch::{Config, Engine};

#[test]
fn steady_state_memory_per_vessel_is_under_one_kib() {
    let mut ships: Vec<Ship> = (0..200u32)
        .map(|i| {
            let mmsi = if i % 2 == 0 {
                257_100_000 + i
            } else {
                273_100_000 + i
            };
            let mut s = Ship::new(
                mmsi,
                0,
                56.5 + f64::from(i) * 0.02,
                1.0,
                "A LONG VESSEL NAME XX",
                70,
            );
            s.every_s = 60;
            s
        })
        .collect();
    for leg in 0..24 {
        let cog = if leg % 2 == 0 { 30.0 } else { 330.0 }; // zigzag: a turn point every 20 min
        for s in &mut ships {
            s.sail(20 * 60, 10.0, cog);
        }
    }
    let refs: Vec<&Ship> = ships.iter().collect();
    let reports = merge(&refs);
    let mut e = Engine::new(Config::default(), norway()).unwrap();
    for r in &reports {
        e.process(r);
    }
    let bytes = e.picture().bytes_per_vessel();
    println!(
        "{} vessels after 8 h: {bytes:.0} bytes/vessel",
        e.picture().len()
    );
    assert_eq!(e.picture().len(), 200);
    assert!(bytes <= 1024.0, "{bytes} bytes per vessel");
}
