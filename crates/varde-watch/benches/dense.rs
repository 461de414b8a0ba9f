//! Dense waters: the engine's cost per report in a crowded anchorage against the same fleet spread out
//! at sea, and the alerts each raises (issue 10: at most 3× per report, no storm of rendezvous).
//!
//! Both runs: 2,000 Class A vessels for two hours of event time, 90 % at anchor (status 1, 0–0.3 kn,
//! a report every 3 min) and 10 % drifting under way (status 0, 0.2–1.0 kn, every 10 s), with static
//! data every 6 min. Dense: on a 150 m grid (45 × 45 less 25) 20 km off a foreign port (Fujairah-like,
//! 25.1° N 56.5° E) that the geography does not know, the worst case. Sparse: the same vessels, the
//! same reports, scattered over 4° × 4° of open sea (about 10 km apart). Seeded: every run measures the
//! same input. Prints ns per report (best of `VARDE_DENSE_RUNS`, 3), the ratio and the alerts by kind.
//! `VARDE_DENSE_MINUTES` shortens the event time (for callgrind), `VARDE_DENSE_ONLY=sparse|dense` runs
//! one fleet, `VARDE_DENSE_RUNS=0` only builds the traffic, and `VARDE_DENSE_ANCHORAGE_MIN=0` turns the
//! crowd rule off (the engine as it was before it).

// A bench binary: `main` is not public API.
#![allow(missing_docs)]

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::BTreeMap;
use std::time::Instant;
use varde_watch::geo::{destination, testing::TestGeo};
use varde_watch::{
    Config, Engine, PositionFix, RawLines, Report, ReportKind, StaticInfo, StationClass,
};

const VESSELS: usize = 2_000;
const SPACING_M: f64 = 150.0;
const T0: i64 = 1_735_084_800_000;
/// The anchorage's south-west corner.
const ANCHORAGE: (f64, f64) = (25.10, 56.50);

struct Ship {
    mmsi: u32,
    lat: f64,
    lon: f64,
    sog: f32,
    status: u8,
    every_ms: i64,
    next_ms: i64,
}

fn fleet(dense: bool, rng: &mut ChaCha8Rng) -> Vec<Ship> {
    let side = 45;
    (0..VESSELS)
        .map(|i| {
            let (lat, lon) = if dense {
                let (row, col) = ((i / side) as f64, (i % side) as f64);
                let (la, lo) = destination(ANCHORAGE.0, ANCHORAGE.1, 0.0, row * SPACING_M);
                destination(la, lo, 90.0, col * SPACING_M)
            } else {
                (
                    rng.gen_range(21.0..25.0),
                    rng.gen_range(58.0..62.0), // open sea east of Oman, in the bench's world
                )
            };
            let drifting = i % 10 == 0;
            Ship {
                mmsi: 636_000_000 + i as u32,
                lat,
                lon,
                sog: if drifting {
                    rng.gen_range(0.2..1.0)
                } else {
                    rng.gen_range(0.0..0.3)
                },
                status: u8::from(!drifting),
                every_ms: if drifting { 10_000 } else { 180_000 },
                next_ms: T0 + rng.gen_range(0..if drifting { 10_000 } else { 180_000 }),
            }
        })
        .collect()
}

fn report(s: &mut Ship, rng: &mut ChaCha8Rng) -> Report {
    let t = s.next_ms;
    s.next_ms += s.every_ms;
    let line = format!(
        "\\s:2573100,c:{}*00\\!BSVDM,1,1,,B,13u?etPv2;0n:dDPwUM1U1Cb069D,0*24 {}",
        t / 1000,
        s.mmsi
    );
    let kind = if rng.gen_ratio(1, 36) {
        ReportKind::Static(StaticInfo {
            name: Some(format!("TANKER {}", s.mmsi % 100_000).into()),
            ship_type: Some(80),
            ..StaticInfo::default()
        })
    } else {
        // Swinging round the anchor: a few metres of jitter.
        let (lat, lon) = destination(
            s.lat,
            s.lon,
            rng.gen_range(0.0..360.0),
            rng.gen_range(0.0..15.0),
        );
        ReportKind::Position(PositionFix {
            lat,
            lon,
            sog_kn: Some(s.sog),
            cog_deg: Some(rng.gen_range(0.0..360.0)),
            heading_deg: None,
            nav_status: Some(s.status),
            class: StationClass::ClassA,
        })
    };
    Report {
        time_ms: t,
        mmsi: s.mmsi,
        source: None,
        kind,
        raw: RawLines::from(line),
    }
}

fn traffic(dense: bool, minutes: i64) -> Vec<Report> {
    let mut rng = ChaCha8Rng::seed_from_u64(10);
    let mut ships = fleet(dense, &mut rng);
    let end = T0 + minutes * 60_000;
    let mut out = Vec::new();
    for s in &mut ships {
        while s.next_ms < end {
            out.push(report(s, &mut rng));
        }
    }
    out.sort_by_key(|r| (r.time_ms, r.mmsi));
    out
}

/// The geography knows one port, far from both fleets (as the built-in Norway layer knows no port off
/// Fujairah): nothing but the crowd itself says "anchorage".
fn geo() -> TestGeo {
    TestGeo::new().with_port("far away", 10.0, 10.0, 3_000.0)
}

/// Runs the engine once; returns seconds and alerts by kind.
fn run(reports: &[Report]) -> (f64, BTreeMap<String, usize>) {
    let mut cfg = Config::default();
    if let Ok(n) = std::env::var("VARDE_DENSE_ANCHORAGE_MIN") {
        cfg.rendezvous.anchorage_min_vessels = n.parse().expect("a number");
    }
    let mut e = Engine::new(cfg, geo()).expect("valid config");
    let mut out = Vec::new();
    let started = Instant::now();
    for r in reports {
        out.clear();
        e.process_into(r, &mut out);
    }
    let secs = started.elapsed().as_secs_f64();
    let end = reports.last().map_or(T0, |r| r.time_ms);
    e.finish(end);
    let mut kinds = BTreeMap::new();
    for a in e.alerts() {
        let k = serde_json::to_value(a.kind)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        *kinds.entry(k).or_default() += 1;
    }
    (secs, kinds)
}

fn env_num(name: &str, default: i64) -> i64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    // `cargo bench` passes `--bench`; anything else (a filter) is ignored.
    let minutes = env_num("VARDE_DENSE_MINUTES", 120);
    // 0 runs builds the traffic only: callgrind's count of that is subtracted from a one-run count.
    let runs = env_num("VARDE_DENSE_RUNS", 3).max(0);
    let only = std::env::var("VARDE_DENSE_ONLY").unwrap_or_default();
    let mut per_report = BTreeMap::new();
    for (name, dense) in [("sparse", false), ("dense", true)] {
        if !only.is_empty() && only != name {
            continue;
        }
        let reports = traffic(dense, minutes);
        if runs == 0 {
            println!("{name}: {} reports built, not run", reports.len());
            continue;
        }
        let mut best = f64::INFINITY;
        let mut kinds = BTreeMap::new();
        for _ in 0..runs {
            let (secs, k) = run(&reports);
            best = best.min(secs);
            kinds = k;
        }
        let ns = best * 1e9 / reports.len() as f64;
        let total: usize = kinds.values().sum();
        println!(
            "{name}: {VESSELS} vessels, {minutes} min, {} reports, {ns:.0} ns/report (best of {runs}), {total} alerts {kinds:?}",
            reports.len()
        );
        per_report.insert(name, ns);
    }
    if let (Some(s), Some(d)) = (per_report.get("sparse"), per_report.get("dense")) {
        println!("dense / sparse per report: {:.2}x (target <= 3x)", d / s);
    }
}
