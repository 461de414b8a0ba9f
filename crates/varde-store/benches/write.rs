//! Batch write throughput of the SQLite store, in position rows per second.
//!
//! Every batch goes to a file database in a temporary directory (WAL), with
//! fresh timestamps each iteration so no insert is a no-op. Vessels are spread
//! over 30,000 MMSIs, as on a national feed.
//!
//! Run: `cargo bench -p varde-store --bench write`

use criterion::{criterion_main, BenchmarkId, Criterion, Throughput};
use std::time::Duration;
use varde_store::{
    AlertRecord, Batch, PositionRecord, RawRecord, SourceStats, SqliteOptions, SqliteStore, Store,
    Synchronous, VesselRecord,
};

const VESSELS: u32 = 30_000;

fn mmsi(i: usize) -> u32 {
    257_000_000 + (i as u32).wrapping_mul(7_919) % VESSELS
}

fn positions(n: usize) -> Vec<PositionRecord> {
    (0..n)
        .map(|i| PositionRecord {
            mmsi: mmsi(i),
            time_ms: i as i64,
            lat: 58.0 + (i % 1000) as f64 * 0.01,
            lon: 4.0 + (i % 700) as f64 * 0.01,
            sog_kn: Some(11.2),
            cog_deg: Some(93.4),
            heading_deg: Some(92.0),
            nav_status: Some(0),
            source: Some("kystverket".into()),
        })
        .collect()
}

/// A batch as the service writes it: raw lines and positions one-to-one,
/// a vessel upsert for every third report, an alert and the source counters.
fn mixed(n: usize) -> Batch {
    let positions = positions(n);
    let raw = positions
        .iter()
        .map(|p| RawRecord {
            time_ms: p.time_ms,
            source: "kystverket".into(),
            line: r"\s:2573135,c:1700000000*4A\!BSVDM,1,1,,A,13u?etPv2;0n:dDPwUM1U1Cb069D,0*23"
                .into(),
        })
        .collect();
    let vessels = positions
        .iter()
        .step_by(3)
        .map(|p| VesselRecord {
            mmsi: p.mmsi,
            name: Some("NORNE".into()),
            lat: Some(p.lat),
            lon: Some(p.lon),
            last_seen_ms: p.time_ms,
            ..VesselRecord::default()
        })
        .collect();
    let alerts = vec![AlertRecord {
        id: "bench".into(),
        kind: "zone_entry".into(),
        json: "{}".repeat(200),
        ..AlertRecord::default()
    }];
    let sources = vec![SourceStats {
        name: "kystverket".into(),
        ..SourceStats::default()
    }];
    Batch {
        raw,
        positions,
        vessels,
        alerts,
        sources,
        ..Batch::default()
    }
}

/// Moves every time in the batch forward by `by` ms (fresh keys each write).
fn advance(b: &mut Batch, by: i64) {
    b.positions.iter_mut().for_each(|p| p.time_ms += by);
    b.raw.iter_mut().for_each(|r| r.time_ms += by);
    b.vessels.iter_mut().for_each(|v| v.last_seen_ms += by);
    b.alerts.iter_mut().for_each(|a| a.revision += 1);
}

fn open(dir: &tempfile::TempDir, sync: Synchronous) -> SqliteStore {
    let opts = SqliteOptions {
        synchronous: sync,
        ..SqliteOptions::default()
    };
    SqliteStore::open_with(dir.path(), &opts).unwrap()
}

fn bench_case(c: &mut Criterion, group: &str, sync: Synchronous, make: fn(usize) -> Batch) {
    let mut g = c.benchmark_group(group);
    g.sample_size(10).measurement_time(Duration::from_secs(8));
    for n in [1_000usize, 5_000] {
        let dir = tempfile::tempdir().unwrap();
        let mut store = open(&dir, sync);
        let mut batch = make(n);
        g.throughput(Throughput::Elements(n as u64));
        g.bench_function(BenchmarkId::from_parameter(n), |b| {
            b.iter(|| {
                advance(&mut batch, n as i64);
                store.write_batch(&batch).unwrap();
            })
        });
        let rows = store.counts().unwrap().positions;
        eprintln!("{group}/{n}: {rows} position rows in the database at the end");
    }
    g.finish();
}

fn positions_only(n: usize) -> Batch {
    Batch {
        positions: positions(n),
        ..Batch::default()
    }
}

fn benches(c: &mut Criterion) {
    bench_case(c, "positions_normal", Synchronous::Normal, positions_only);
    bench_case(c, "mixed_normal", Synchronous::Normal, mixed);
    bench_case(c, "mixed_full", Synchronous::Full, mixed);
}

/// criterion's generated entry points (undocumented by construction).
mod harness {
    #![allow(missing_docs)]
    criterion::criterion_group!(write, super::benches);
}

criterion_main!(harness::write);
