//! Per-item cost of the partner-feed encoders, for one labelled vessel
//! (NOR BEGRENSET//REL NOR, SWE) and one alert: CoT event, GeoJSON feature
//! plus RFC 8142 record, redaction, and the OGC items query parser.
//!
//! `cargo bench -p varde-share --bench encode`
#![allow(missing_docs)] // criterion_group! generates an undocumented function
use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use varde_share::config::Redaction;
use varde_share::ogc::{parse_query, Limits};
use varde_share::{cot, geojson, redact, AlertItem};

/// The integration tests' fixtures (`cargo()`, `zone_alert()`, `T0`).
#[path = "../tests/common/mod.rs"]
mod common;

use common::T0;

fn bench(c: &mut Criterion) {
    let v = common::cargo();
    // The tests' zone alert, on the vessel's label and without a station.
    let a = AlertItem {
        station: None,
        label: v.label.clone(),
        ..common::zone_alert()
    };
    let mut g = c.benchmark_group("encode");
    g.throughput(Throughput::Elements(1));
    g.bench_function("cot_vessel_event", |b| {
        b.iter(|| cot::vessel_event(black_box(&v), T0 + 1_000, 300))
    });
    g.bench_function("cot_alert_event", |b| {
        b.iter(|| cot::alert_event(black_box(&a), T0 + 1_000, 300))
    });
    g.bench_function("geojson_vessel_rs_record", |b| {
        b.iter(|| geojson::rs_record(&geojson::vessel_feature(black_box(&v))))
    });
    let r = Redaction {
        drop_station: true,
        coarsen_m: 1000,
        delay_min: 0,
    };
    g.bench_function("redact_clone_apply", |b| {
        b.iter(|| {
            let mut x = black_box(&v).clone();
            redact::apply(&mut x, &r, T0)
        })
    });
    g.bench_function("ogc_parse_query", |b| {
        b.iter(|| {
            parse_query(
                black_box(Some(
                    "bbox=13,67.5,15,68.5&datetime=2026-11-25T11:00:00Z%2F..&limit=100&offset=200",
                )),
                Limits::default(),
            )
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
