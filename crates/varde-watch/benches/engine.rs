//! Throughput of the whole engine (all ten detectors on) over a synthetic national hour, and memory per
//! vessel after a synthetic day.
//!
//! The traffic: 3,500 vessels spawned at sea (lat 56–72, lon 0–5) off a Norway-like coast; 55 % Norwegian
//! MIDs; 60 % Class A under way (10 s), 25 % Class A at anchor or moored (3 min), 15 % Class B (30 s);
//! static data every 6 min; course wander, speed changes, and a few slow pairs. Seeded, so every run
//! measures the same input.

// `criterion_group!` generates an undocumented public function.
#![allow(missing_docs)]

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::time::Instant;
use varde_watch::geo::{destination, testing::TestGeo};
use varde_watch::{
    Config, Engine, PositionFix, RawLines, Report, ReportKind, StaticInfo, StationClass,
};

const VESSELS: usize = 3_500;
const T0: i64 = 1_735_084_800_000;
const MIDS: &[u32] = &[
    257, 258, 259, 273, 636, 538, 351, 219, 265, 230, 211, 232, 244, 477, 518,
];

struct Sim {
    mmsi: u32,
    lat: f64,
    lon: f64,
    sog: f32,
    cog: f32,
    class: StationClass,
    status: u8,
    every_ms: i64,
    next_ms: i64,
    ship_type: u8,
}

fn fleet(rng: &mut ChaCha8Rng) -> Vec<Sim> {
    (0..VESSELS)
        .map(|i| {
            let mid = if rng.gen_bool(0.55) {
                MIDS[i % 3]
            } else {
                MIDS[3 + i % (MIDS.len() - 3)]
            };
            let kind = rng.gen_range(0..100);
            let (class, status, sog, every_ms) = match kind {
                0..=59 => (StationClass::ClassA, 0, rng.gen_range(6.0..18.0), 10_000),
                60..=84 => (
                    StationClass::ClassA,
                    if kind % 2 == 0 { 1 } else { 5 },
                    rng.gen_range(0.0..0.4),
                    180_000,
                ),
                _ => (StationClass::ClassB, 15, rng.gen_range(3.0..25.0), 30_000),
            };
            let types = [30, 52, 60, 70, 70, 70, 80, 80, 90, 37, 35, 55];
            Sim {
                mmsi: mid * 1_000_000 + i as u32,
                lat: rng.gen_range(56.0..72.0),
                lon: rng.gen_range(0.0..5.0), // at sea, west of the land polygon
                sog,
                cog: rng.gen_range(0.0..360.0),
                class,
                status,
                every_ms,
                next_ms: T0 + rng.gen_range(0..every_ms),
                ship_type: types[i % types.len()],
            }
        })
        .collect()
}

fn raw(mmsi: u32, t_ms: i64) -> RawLines {
    let line = format!(
        "\\s:2573100,c:{}*00\\!BSVDM,1,1,,B,13u?etPv2;0n:dDPwUM1U1Cb069D,0*24 {mmsi}",
        t_ms / 1000
    );
    RawLines::from(line)
}

fn step(s: &mut Sim, rng: &mut ChaCha8Rng) -> Report {
    let t = s.next_ms;
    if s.status == 0 || s.class == StationClass::ClassB {
        s.cog = (s.cog + rng.gen_range(-2.0..2.0) + if rng.gen_bool(0.002) { 60.0 } else { 0.0 })
            .rem_euclid(360.0);
        let d = f64::from(s.sog) * 1852.0 * s.every_ms as f64 / 3.6e6;
        (s.lat, s.lon) = destination(s.lat, s.lon, f64::from(s.cog), d);
    }
    s.next_ms += s.every_ms;
    let kind = if rng.gen_ratio(1, 36) {
        let name = format!("VESSEL {}", s.mmsi % 100_000);
        ReportKind::Static(StaticInfo {
            name: Some(name.into()),
            ship_type: Some(s.ship_type),
            ..StaticInfo::default()
        })
    } else {
        let (sog_kn, cog_deg) = (Some(s.sog), Some(s.cog));
        let fix = PositionFix {
            lat: s.lat,
            lon: s.lon,
            sog_kn,
            cog_deg,
            heading_deg: None,
            nav_status: Some(s.status),
            class: s.class,
        };
        ReportKind::Position(fix)
    };
    Report {
        time_ms: t,
        mmsi: s.mmsi,
        source: None,
        kind,
        raw: raw(s.mmsi, t),
    }
}

/// Reports of the fleet for `minutes` of event time, in time order.
fn traffic(minutes: i64, seed: u64) -> Vec<Report> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut ships = fleet(&mut rng);
    let end = T0 + minutes * 60_000;
    let mut out = Vec::new();
    for s in ships.iter_mut() {
        while s.next_ms < end {
            out.push(step(s, &mut rng));
        }
    }
    out.sort_by_key(|r| (r.time_ms, r.mmsi));
    out
}

fn geo() -> TestGeo {
    let mut g = TestGeo::new()
        .with_land(&[
            (58.0, 5.5),
            (58.0, 12.0),
            (71.0, 30.0),
            (71.0, 14.0),
            (63.0, 8.0),
        ])
        .with_zone(
            "no-ts",
            "Norway's territorial sea",
            "territorial_sea",
            "mainland",
            &[
                (57.8, 5.0),
                (58.0, 5.5),
                (63.0, 8.0),
                (71.0, 14.0),
                (71.3, 14.0),
                (63.2, 7.5),
            ],
        )
        .with_zone(
            "no-eez",
            "Norway's EEZ",
            "eez",
            "mainland",
            &[(56.0, 0.0), (56.0, 8.0), (72.0, 30.0), (72.0, 0.0)],
        )
        .with_satellite_only(&[(70.0, 0.0), (70.0, 30.0), (72.0, 30.0), (72.0, 0.0)]);
    for i in 0..12 {
        let lat = 56.5 + f64::from(i) * 1.2;
        g = g.with_line_asset(
            &format!("cable-{i}"),
            "Cable",
            "cable",
            &[(lat, 0.5), (lat + 0.3, 6.0)],
        );
        g = g.with_point_asset(
            &format!("platform-{i}"),
            "Platform",
            "platform",
            lat + 0.5,
            2.5,
        );
        g = g.with_port(&format!("port-{i}"), lat + 0.2, 5.2, 3_000.0);
    }
    g
}

fn run(reports: &[Report]) -> Engine<TestGeo> {
    run_with(Config::default(), reports)
}

fn run_with(cfg: Config, reports: &[Report]) -> Engine<TestGeo> {
    let mut e = Engine::new(cfg, geo()).expect("valid config");
    let mut out = Vec::new();
    for r in reports {
        out.clear();
        e.process_into(r, &mut out);
    }
    e
}

fn bench(c: &mut Criterion) {
    if std::env::var_os("VARDE_BENCH_PROFILE").is_some() {
        let reports = traffic(10, 7); // ten minutes, for callgrind or perf
        run(&reports);
        return;
    }
    let hour = traffic(60, 7);
    let mut g = c.benchmark_group("engine");
    g.throughput(Throughput::Elements(hour.len() as u64));
    g.sample_size(10);
    g.bench_function(
        format!("national_hour_{VESSELS}_vessels_{}_reports", hour.len()),
        |b| b.iter(|| run(&hour)),
    );
    g.finish();

    let started = Instant::now();
    let e = run(&hour);
    let secs = started.elapsed().as_secs_f64();
    println!(
        "one national hour: {} reports in {secs:.3} s = {:.0} reports/s on one core",
        hour.len(),
        hour.len() as f64 / secs
    );
    println!(
        "counters: {}",
        serde_json::to_string(&e.counters()).unwrap_or_default()
    );

    if std::env::var_os("VARDE_BENCH_ABLATE").is_some() {
        ablate(&hour);
    }
    let day = traffic(24 * 60, 11);
    let started = Instant::now();
    let e = run(&day);
    let secs = started.elapsed().as_secs_f64();
    println!(
        "one national day: {} reports in {secs:.2} s = {:.0} reports/s",
        day.len(),
        day.len() as f64 / secs
    );
    println!("memory after a day: {} vessels, {:.0} bytes/vessel (picture incl. map slots, tracks, statics, detector state)", e.picture().len(), e.picture().bytes_per_vessel());
    println!(
        "counters: {}",
        serde_json::to_string(&e.counters()).unwrap_or_default()
    );
}

/// Throughput with each detector switched off in turn: where the time goes.
fn ablate(reports: &[Report]) {
    type Switch = (&'static str, fn(&mut Config));
    let off: [Switch; 11] = [
        ("none", |_| {}),
        ("zone_entry", |c| c.zone_entry.enabled = false),
        ("loitering", |c| c.loitering.enabled = false),
        ("ais_gap", |c| c.ais_gap.enabled = false),
        ("position_jump", |c| c.position_jump.enabled = false),
        ("position_on_land", |c| c.position_on_land.enabled = false),
        ("identity_conflict", |c| c.identity_conflict.enabled = false),
        ("rendezvous", |c| c.rendezvous.enabled = false),
        ("infrastructure_loiter", |c| {
            c.infrastructure_loiter.enabled = false
        }),
        ("infrastructure_speed_anomaly", |c| {
            c.infrastructure_speed_anomaly.enabled = false
        }),
        ("watchlist", |c| c.watchlist_alerts.enabled = false),
    ];
    for (name, f) in off {
        let mut cfg = Config::default();
        f(&mut cfg);
        let started = Instant::now();
        run_with(cfg, reports);
        println!(
            "without {name}: {:.0} reports/s",
            reports.len() as f64 / started.elapsed().as_secs_f64()
        );
    }
    let mut all_off = Config::default();
    for (_, f) in off {
        f(&mut all_off);
    }
    let started = Instant::now();
    run_with(all_off, reports);
    println!(
        "picture only (all detectors off): {:.0} reports/s",
        reports.len() as f64 / started.elapsed().as_secs_f64()
    );
}

criterion_group!(benches, bench);
criterion_main!(benches);
