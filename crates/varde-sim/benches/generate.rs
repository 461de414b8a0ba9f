//! Generation throughput (lines/s) of background traffic with all built-in
//! incidents.
// criterion's macros generate undocumented items.
#![allow(missing_docs)]
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use varde_sim::{Scenario, SimConfig, Simulator};

fn cfg() -> SimConfig {
    SimConfig {
        vessels: 500,
        hours: 0.5,
        seed: 1,
        scenario: Some(Scenario::all_builtin()),
        ..SimConfig::default()
    }
}

fn generate(c: &mut Criterion) {
    let mut lines = 0u64;
    Simulator::new(cfg()).unwrap().run(|_| lines += 1);
    let mut g = c.benchmark_group("generate");
    g.throughput(Throughput::Elements(lines));
    g.sample_size(10);
    g.bench_function("500_vessels_30_min_lines", |b| {
        b.iter(|| {
            let mut bytes = 0usize;
            Simulator::new(cfg()).unwrap().run(|l| bytes += l.len());
            bytes
        })
    });
    g.finish();
}

criterion_group!(benches, generate);
criterion_main!(benches);
