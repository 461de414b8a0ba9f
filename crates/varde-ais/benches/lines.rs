//! The full line path, `Decoder::feed` + `AisMessage::decode`, on the three
//! corpora of `bench/peers` (gpsd `sample.aivdm`, gpsd real daemon logs,
//! Kystverket `Ais1000Lines.nm4`), each repeated in memory to about 100k lines.
//! Throughput is reported both in elements (lines) and in bytes.
//!
//! The data is read from `../shared/data/ais` next to the repository
//! (`VARDE_AIS_DATA` overrides); without it the bench prints why and measures
//! nothing.
//!
//! `cargo bench -p varde-ais --bench lines`
#![allow(missing_docs)] // criterion_group! generates an undocumented function
use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use std::path::{Path, PathBuf};
use std::time::Duration;
use varde_ais::{AisMessage, Decoder, Output};

/// Lines per in-memory corpus (rounded up to whole copies of the base file).
const TARGET_LINES: usize = 100_000;

const CORPORA: [(&str, &[&str]); 3] = [
    ("gpsd-sample", &["gpsd/sample.aivdm"]),
    (
        "gpsd-real",
        &[
            "gpsd/daemon/ais-nmea-type6-fid55.log",
            "gpsd/daemon/ais-raw-messages.log",
            "gpsd/daemon/ais-18-27.log",
        ],
    ),
    ("kystverket", &["kystverket-aisnet/Ais1000Lines.nm4"]),
];

fn data_dir() -> PathBuf {
    match std::env::var_os("VARDE_AIS_DATA") {
        Some(d) => PathBuf::from(d),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/ais"),
    }
}

/// Whether `line` is an AIS sentence (`!xxVDM`/`!xxVDO`), tag block allowed:
/// the rule `bench/peers` and the research corpora use.
fn is_sentence(line: &[u8]) -> bool {
    let body = match line.strip_prefix(b"\\") {
        Some(rest) => match rest.iter().position(|&b| b == b'\\') {
            Some(end) => &rest[end + 1..],
            None => line,
        },
        None => line,
    };
    body.len() > 6 && body[0] == b'!' && (&body[3..6] == b"VDM" || &body[3..6] == b"VDO")
}

/// The sentence lines of `files`, repeated in order to at least
/// [`TARGET_LINES`], `\n`-terminated. `None` if a file is missing.
fn corpus(dir: &Path, files: &[&str]) -> Option<(Vec<u8>, usize)> {
    let mut base = Vec::new();
    let mut n = 0usize;
    for f in files {
        let bytes = std::fs::read(dir.join(f)).ok()?;
        for line in bytes.split(|&b| b == b'\n') {
            let line = line.trim_ascii();
            if is_sentence(line) {
                base.extend_from_slice(line);
                base.push(b'\n');
                n += 1;
            }
        }
    }
    if n == 0 {
        return None;
    }
    let reps = TARGET_LINES.div_ceil(n);
    Some((base.repeat(reps), n * reps))
}

/// Feeds every line through a fresh decoder; returns the typed messages.
fn run(text: &[u8]) -> u64 {
    let mut decoder = Decoder::new();
    let mut messages = 0u64;
    for line in text.split(|&b| b == b'\n') {
        if let Ok(Output::Frame(frame)) = decoder.feed(0, line) {
            if let Ok(msg) = AisMessage::decode(frame.payload) {
                black_box(&msg);
                messages += 1;
            }
        }
    }
    messages
}

fn lines(c: &mut Criterion) {
    let dir = data_dir();
    if !dir.is_dir() {
        eprintln!(
            "\n  varde-ais bench `lines`: SKIPPED — AIS test data not found at {}\n  \
             (expected shared/data/ais next to the repository; set VARDE_AIS_DATA).\n",
            dir.display()
        );
        return;
    }
    let mut group = c.benchmark_group("feed+decode");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(8));
    for (name, files) in CORPORA {
        let Some((text, n_lines)) = corpus(&dir, files) else {
            eprintln!(
                "  varde-ais bench `lines`: {name} SKIPPED — a source file is missing in {}",
                dir.display()
            );
            continue;
        };
        let messages = run(&text);
        eprintln!(
            "  {name}: {n_lines} lines, {} bytes, {messages} typed messages per iteration",
            text.len()
        );
        group.throughput(Throughput::Elements(n_lines as u64));
        group.bench_function(format!("{name}/lines"), |b| {
            b.iter(|| run(black_box(&text)))
        });
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function(format!("{name}/bytes"), |b| {
            b.iter(|| run(black_box(&text)))
        });
    }
    group.finish();
}

criterion_group!(benches, lines);
criterion_main!(benches);
