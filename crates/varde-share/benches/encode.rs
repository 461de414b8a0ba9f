//! Per-item cost of the partner-feed encoders, for one labelled vessel
//! (NOR BEGRENSET//REL NOR, SWE) and one alert: CoT event, GeoJSON feature
//! plus RFC 8142 record, redaction, and the OGC items query parser.
//!
//! `cargo bench -p varde-share --bench encode`
#![allow(missing_docs)] // criterion_group! generates an undocumented function
use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use varde_share::config::Redaction;
use varde_share::ogc::{parse_query, Limits};
use varde_share::{cot, geojson, redact, AlertItem, AlertState, Policies, Token, VesselItem};

const T0: i64 = 1_795_608_000_000;

fn vessel() -> VesselItem {
    let t = |s: &str| Token::new(s).unwrap();
    VesselItem {
        mmsi: 257_000_001,
        name: Some("BRISTOL STAR".into()),
        callsign: Some("LABC7".into()),
        imo: Some(9_876_543),
        ship_type: Some(70),
        flag: Some("NO".into()),
        lat: Some(67.95),
        lon: Some(13.5),
        sog_kn: Some(6.2),
        cog_deg: Some(45.0),
        heading_deg: Some(44.0),
        nav_status: Some(0),
        time_ms: T0,
        station: Some("coastal-radar-bodo".into()),
        precision_m: None,
        label: Policies::builtin()
            .label("NOR", "BEGRENSET")
            .unwrap()
            .releasable_to([t("NOR"), t("SWE")]),
    }
}

fn bench(c: &mut Criterion) {
    let v = vessel();
    let a = AlertItem {
        id: "3f9a0c1d2e4b5a67".into(),
        kind: "zone_entry".into(),
        severity: "high".into(),
        mmsi: v.mmsi,
        vessel_name: v.name.clone(),
        lat: 67.95,
        lon: 13.5,
        start_ms: T0 - 600_000,
        time_ms: T0,
        summary: "BRISTOL STAR (cargo) entered Vestfjorden restricted area at 6.2 kn.".into(),
        state: AlertState::Open,
        label: v.label.clone(),
        ..AlertItem::default()
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
