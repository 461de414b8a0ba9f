//! Lookup throughput over random points in Norwegian waters (built-in layers and coverage model; Sodir pipelines from
//! `../shared` for the asset queries when present, else the built-in schematic demo assets).
//!
//! Run: `cargo bench -p varde-geo --bench lookup`. Criterion prints time per batch of `N` points and
//! throughput in points per second (elem/s).
#![allow(missing_docs)] // criterion_group! generates an undocumented function

use std::hint::black_box;
use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use varde_geo::Geography;

const N: usize = 10_000;

/// `N` random points inside any built-in Norwegian zone (fixed seed).
fn points_in_waters(geo: &Geography) -> Vec<(f64, f64)> {
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let mut pts = Vec::with_capacity(N);
    while pts.len() < N {
        let (lat, lon) = (rng.gen_range(56.0..82.0), rng.gen_range(-12.0..40.0));
        if geo.innermost_zone(lat, lon).is_some() {
            pts.push((lat, lon));
        }
    }
    pts
}

fn bench(c: &mut Criterion) {
    let start = std::time::Instant::now();
    let mut geo = Geography::norway();
    println!(
        "Geography::norway() first load: {:.0} ms",
        start.elapsed().as_secs_f64() * 1e3
    );
    let pipes = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/geo/infrastructure/npd_transport_pipelines.geojson");
    if pipes.exists() {
        geo.clear_infrastructure();
        geo.add_infrastructure_layer(&pipes)
            .expect("Sodir pipelines");
        println!(
            "assets: Sodir transport pipelines ({} assets)",
            geo.assets().len()
        );
    } else {
        println!("assets: built-in schematic demo layer (shared Sodir layer absent)");
    }
    let pts = points_in_waters(&geo);
    let start = std::time::Instant::now();
    black_box(geo.coverage(60.0, 4.0));
    println!(
        "coverage model first build: {:.0} ms",
        start.elapsed().as_secs_f64() * 1e3
    );
    let mut g = c.benchmark_group("lookup");
    g.throughput(Throughput::Elements(N as u64));
    g.bench_function("zones_at", |b| {
        b.iter(|| {
            pts.iter()
                .map(|&(la, lo)| geo.zones_at(la, lo).len())
                .sum::<usize>()
        })
    });
    g.bench_function("innermost_zone", |b| {
        b.iter(|| {
            pts.iter()
                .filter(|&&(la, lo)| geo.innermost_zone(la, lo).is_some())
                .count()
        })
    });
    g.bench_function("on_land_500m", |b| {
        b.iter(|| {
            pts.iter()
                .filter(|&&(la, lo)| geo.on_land(la, lo, 500.0))
                .count()
        })
    });
    g.bench_function("distance_to_land_m", |b| {
        b.iter(|| {
            pts.iter()
                .map(|&(la, lo)| geo.distance_to_land_m(la, lo).unwrap_or(0.0))
                .sum::<f64>()
        })
    });
    g.bench_function("nearest_asset_50km", |b| {
        b.iter(|| {
            pts.iter()
                .filter(|&&(la, lo)| geo.nearest_asset(la, lo, 50_000.0).is_some())
                .count()
        })
    });
    g.bench_function("assets_in_buffer", |b| {
        b.iter(|| {
            pts.iter()
                .map(|&(la, lo)| geo.assets_in_buffer(la, lo).len())
                .sum::<usize>()
        })
    });
    g.bench_function("port_near", |b| {
        b.iter(|| {
            pts.iter()
                .filter(|&&(la, lo)| geo.port_near(la, lo).is_some())
                .count()
        })
    });
    g.bench_function("coverage", |b| {
        b.iter(|| {
            pts.iter()
                .filter(|&&(la, lo)| geo.coverage(la, lo) == varde_geo::Coverage::Satellite)
                .count()
        })
    });
    g.finish();
    black_box(&geo);
}

criterion_group!(benches, bench);
criterion_main!(benches);
