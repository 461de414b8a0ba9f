//! The audit log: appending releases (releases per second, in batches as the writer makes them)
//! and verifying the whole chain (entries per second, and that it streams).
//!
//! Run: `cargo bench -p varde-store --bench audit`. `AUDIT_ENTRIES` (default 1,000,000) sets the
//! size of the log `verify` walks; `AUDIT_KEEP=DIR` builds it in `DIR` and keeps it there (to
//! time `varde audit verify --data-dir DIR` and its memory, e.g. with `/usr/bin/time -v`).

use criterion::{criterion_main, BenchmarkId, Criterion, Throughput};
use std::path::Path;
use std::time::{Duration, Instant};
use varde_store::{AuditVerdict, Batch, ReleaseRecord, SqliteStore, Store};

fn release(i: usize) -> ReleaseRecord {
    ReleaseRecord {
        time_ms: 1_733_782_037_000 + i as i64,
        partner: ["NOR", "SWE", "EU"][i % 3].into(),
        feed: ["cot", "ogc", "geojson-sse", "nmea"][i % 4].into(),
        item_id: format!("{}", 257_000_000 + i % 30_000),
        label: "NATO UNCLASSIFIED REL NOR,SWE".into(),
    }
}

/// Fills the store at `dir` with `n` releases, 5,000 a batch; returns releases per second.
fn fill(dir: &Path, n: usize) -> f64 {
    let mut s = SqliteStore::open(dir).unwrap();
    let start = Instant::now();
    let mut b = Batch::new();
    for i in 0..n {
        b.releases.push(release(i));
        if b.releases.len() == 5_000 {
            s.write_batch(&b).unwrap();
            b.clear();
        }
    }
    s.write_batch(&b).unwrap();
    s.checkpoint().unwrap();
    n as f64 / start.elapsed().as_secs_f64()
}

fn benches(c: &mut Criterion) {
    let mut g = c.benchmark_group("audit_append");
    g.sample_size(10).measurement_time(Duration::from_secs(8));
    for n in [100usize, 1_000] {
        let dir = tempfile::tempdir().unwrap();
        let mut store = SqliteStore::open(dir.path()).unwrap();
        let batch = Batch {
            releases: (0..n).map(release).collect(),
            ..Batch::default()
        };
        g.throughput(Throughput::Elements(n as u64));
        g.bench_function(BenchmarkId::from_parameter(n), |b| {
            b.iter(|| store.write_batch(&batch).unwrap())
        });
    }
    g.finish();

    let entries: usize = std::env::var("AUDIT_ENTRIES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let temp = tempfile::tempdir().unwrap();
    let dir = std::env::var_os("AUDIT_KEEP").map_or(temp.path().to_path_buf(), Into::into);
    let rate = fill(&dir, entries);
    eprintln!("audit: filled {entries} entries at {rate:.0} releases/s (batches of 5,000)");
    let store = SqliteStore::open_reader(&dir).unwrap();
    let mut g = c.benchmark_group("audit_verify");
    g.sample_size(10).measurement_time(Duration::from_secs(20));
    g.throughput(Throughput::Elements(entries as u64));
    g.bench_function(BenchmarkId::from_parameter(entries), |b| {
        b.iter(|| {
            let v = store.audit_verify().unwrap();
            assert!(matches!(v, AuditVerdict::Intact { .. }), "{v:?}");
        })
    });
    g.finish();
}

/// criterion's generated entry points (undocumented by construction).
mod harness {
    #![allow(missing_docs)]
    criterion::criterion_group!(audit, super::benches);
}

criterion_main!(harness::audit);
