//! `peers-rs <varde|ais|aivdm> <corpus> [rounds]`
//!
//! Reads the corpus into memory (outside the timed region), then feeds it line
//! by line through the decoder's own stateful line API, `rounds` times (fresh
//! decoder state each round). Prints one tab-separated record:
//!
//! `decoder  lines  messages  best_cpu_s  best_wall_s  msgs_per_cpu_s`
//!
//! CPU time is user+sys of this process from `getrusage(RUSAGE_SELF)`.
//! A "message" is one complete payload decoded into a typed message.
use std::hint::black_box;
use std::time::Instant;

/// Calls `f` with each line of `text`, as `str::lines` splits them (`\n` or
/// `\r\n` endings, no empty last line), but found with `memchr`: the harness's
/// own line splitting is then a small, equal share of every decoder's time
/// (`str::lines` cost about 500 instructions a line, as much as half of a
/// fast decoder's work). Each decoder still gets its own natural line type.
#[inline(always)]
fn for_each_line<'t>(text: &'t str, mut f: impl FnMut(&'t str)) {
    let bytes = text.as_bytes();
    let mut start = 0;
    for nl in memchr::memchr_iter(b'\n', bytes) {
        f(strip_cr(&text[start..nl]));
        start = nl + 1;
    }
    if start < bytes.len() {
        f(strip_cr(&text[start..]));
    }
}

#[inline(always)]
fn strip_cr(line: &str) -> &str {
    line.strip_suffix('\r').unwrap_or(line)
}

fn cpu_seconds() -> f64 {
    // The only unsafe in the harness (which is outside the workspace and its
    // forbid(unsafe_code)): getrusage writes into a zeroed plain-C struct.
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    let rc = unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut ru) };
    assert_eq!(rc, 0, "getrusage failed");
    let tv = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 * 1e-6;
    tv(ru.ru_utime) + tv(ru.ru_stime)
}

/// varde-ais: `Decoder::feed` + `AisMessage::decode`.
fn run_varde(text: &str) -> u64 {
    let mut dec = varde_ais::Decoder::new();
    let mut n = 0u64;
    for_each_line(text, |line| {
        if let Ok(varde_ais::Output::Frame(f)) = &dec.feed(0, line.as_bytes()) {
            if let Ok(m) = &varde_ais::AisMessage::decode(f.payload) {
                black_box(m);
                n += 1;
            }
        }
    });
    n
}

/// `ais` 0.12.0: `AisParser::parse(line, true)`; a message is a `Complete`
/// sentence whose `message` decoded.
fn run_ais(text: &str) -> u64 {
    let mut p = ais::AisParser::new();
    let mut n = 0u64;
    for_each_line(text, |line| {
        if let Ok(ais::AisFragments::Complete(s)) = &p.parse(line.as_bytes(), true) {
            if let Some(m) = &s.message {
                black_box(m);
                n += 1;
            }
        }
    });
    n
}

/// `aivdm` 0.3.0: `LineDecoder::<1024>::feed`.
fn run_aivdm(text: &str) -> u64 {
    let mut d = aivdm::LineDecoder::<1024>::new();
    let mut n = 0u64;
    for_each_line(text, |line| {
        if let Ok(Some(m)) = &d.feed(line) {
            black_box(m);
            n += 1;
        }
    });
    n
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 3 {
        eprintln!("usage: peers-rs <varde|ais|aivdm> <corpus> [rounds]");
        std::process::exit(2);
    }
    let which = args[1].as_str();
    let run: fn(&str) -> u64 = match which {
        "varde" => run_varde,
        "ais" => run_ais,
        "aivdm" => run_aivdm,
        other => {
            eprintln!("unknown decoder {other}");
            std::process::exit(2);
        }
    };
    let rounds: usize = args.get(3).map(|r| r.parse().expect("rounds")).unwrap_or(5);
    let bytes = std::fs::read(&args[2]).expect("read corpus");
    // Kystverket and gpsd logs are ASCII; a lossy conversion keeps the run
    // going on a stray byte (all three decoders then see the same text).
    let text = String::from_utf8_lossy(&bytes).into_owned();
    drop(bytes);
    let mut lines = 0u64;
    for_each_line(&text, |_| lines += 1);

    let mut best_cpu = f64::INFINITY;
    let mut best_wall = f64::INFINITY;
    let mut msgs = 0u64;
    for _ in 0..rounds {
        let c0 = cpu_seconds();
        let w0 = Instant::now();
        let n = run(black_box(&text));
        let wall = w0.elapsed().as_secs_f64();
        let cpu = cpu_seconds() - c0;
        msgs = n;
        best_cpu = best_cpu.min(cpu);
        best_wall = best_wall.min(wall);
    }
    println!(
        "{which}\t{lines}\t{msgs}\t{best_cpu:.6}\t{best_wall:.6}\t{:.0}",
        msgs as f64 / best_cpu.max(1e-9)
    );
}
