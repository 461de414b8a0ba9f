//! Typed decode and gpsd JSON output on the payloads of gpsd's
//! `sample.aivdm` (102 payloads, every message type 1–27), already
//! unarmoured, so only `AisMessage::decode` / `gpsd::write_json` are timed.
//! Also one type 1 position report alone, and unarmouring + decode.
//!
//! `cargo bench -p varde-ais --bench decode_payload`
#![allow(missing_docs)] // criterion_group! generates an undocumented function
use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use std::path::{Path, PathBuf};
use std::time::Duration;
use varde_ais::bits::Payload;
use varde_ais::gpsd::write_json;
use varde_ais::AisMessage;

fn sample_path() -> PathBuf {
    match std::env::var_os("VARDE_AIS_DATA") {
        Some(d) => PathBuf::from(d).join("gpsd/sample.aivdm"),
        None => {
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/ais/gpsd/sample.aivdm")
        }
    }
}

/// The armoured payloads and fill bits of the sample, multi-part messages
/// concatenated (fragments in order, one channel at a time).
fn armoured_payloads(text: &str) -> Vec<(String, u8)> {
    let mut out = Vec::new();
    let mut pending = String::new();
    for line in text.lines().filter(|l| l.starts_with('!')) {
        let f: Vec<&str> = line.split(',').collect();
        if f.len() < 7 {
            continue;
        }
        let (total, n): (usize, usize) = (f[1].parse().unwrap_or(0), f[2].parse().unwrap_or(0));
        if n == 1 {
            pending.clear();
        }
        pending.push_str(f[5]);
        if n == total {
            let fill = f[6].bytes().next().map_or(0, |b| b.wrapping_sub(b'0'));
            out.push((std::mem::take(&mut pending), fill));
        }
    }
    out
}

fn bench(c: &mut Criterion) {
    let Ok(text) = std::fs::read_to_string(sample_path()) else {
        eprintln!(
            "skipped: {} absent (set VARDE_AIS_DATA)",
            sample_path().display()
        );
        return;
    };
    let armoured = armoured_payloads(&text);
    let payloads: Vec<Payload> = armoured
        .iter()
        .filter_map(|(s, f)| Payload::from_armoured(s.as_bytes(), *f).ok())
        .collect();
    let messages: Vec<AisMessage> = payloads
        .iter()
        .filter_map(|p| AisMessage::decode(p).ok())
        .collect();
    let n = payloads.len() as u64;

    let mut g = c.benchmark_group("decode_payload");
    g.measurement_time(Duration::from_secs(4))
        .warm_up_time(Duration::from_secs(1));
    g.throughput(Throughput::Elements(n));
    g.bench_function("gpsd_sample_all_types", |b| {
        b.iter(|| {
            let mut ok = 0usize;
            for p in &payloads {
                ok += usize::from(AisMessage::decode(black_box(p)).is_ok());
            }
            ok
        })
    });
    g.bench_function("unarmour_and_decode", |b| {
        b.iter(|| {
            let mut ok = 0usize;
            for (s, f) in &armoured {
                if let Ok(p) = Payload::from_armoured(black_box(s.as_bytes()), *f) {
                    ok += usize::from(AisMessage::decode(&p).is_ok());
                }
            }
            ok
        })
    });
    g.throughput(Throughput::Elements(1));
    if let Some(p) = payloads.first() {
        g.bench_function("type1_position_report", |b| {
            b.iter(|| AisMessage::decode(black_box(p)))
        });
    }
    if let Some(m) = messages.first() {
        g.bench_function("type1_encode", |b| b.iter(|| black_box(m).encode()));
    }
    g.finish();

    let mut g = c.benchmark_group("gpsd_json");
    g.measurement_time(Duration::from_secs(4))
        .warm_up_time(Duration::from_secs(1));
    g.throughput(Throughput::Elements(messages.len() as u64));
    let mut out = Vec::with_capacity(1 << 16);
    for scaled in [false, true] {
        let name = if scaled {
            "write_json_scaled"
        } else {
            "write_json_unscaled"
        };
        g.bench_function(name, |b| {
            b.iter(|| {
                out.clear();
                for m in &messages {
                    write_json(black_box(m), scaled, &mut out);
                    out.push(b'\n');
                }
                out.len()
            })
        });
    }
    g.finish();
    eprintln!(
        "payloads: {n}, decoded: {}, size_of::<AisMessage>() = {} bytes",
        messages.len(),
        std::mem::size_of::<AisMessage>()
    );
}

criterion_group!(benches, bench);
criterion_main!(benches);
