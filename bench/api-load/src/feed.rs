//! The feed: Varde's TCP source connects here and reads the simulated lines.

use crate::Args;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::net::TcpListener;
use std::time::{Duration, Instant};

/// Pacing step: lines are sent in tenths of a second.
const STEP: Duration = Duration::from_millis(100);

/// Serves the file's lines: the first `--fill-lines` at once, the rest at `--rate` a second.
pub fn run(args: &Args) -> Result<(), String> {
    let path = args.get("file")?;
    let text = std::fs::read(path).map_err(|e| format!("{path}: {e}"))?;
    let lines: Vec<&[u8]> = text
        .split_inclusive(|b| *b == b'\n')
        .filter(|l| l.len() > 1)
        .collect();
    let fill: usize = args.num("fill-lines", 0)?;
    let rate: f64 = args.num("rate", 10_000.0)?;
    let listener = TcpListener::bind(args.get("listen")?).map_err(|e| e.to_string())?;
    // `--times FILE`: the wall-clock time each line went out, f64 seconds since the epoch, little
    // endian, one per line in order, written as they go (the feed is killed, not stopped).
    let mut times = match args.get("times") {
        Ok(path) => Some(BufWriter::new(
            File::create(path).map_err(|e| format!("{path}: {e}"))?,
        )),
        Err(_) => None,
    };
    let mut stamp = |from: usize, to: usize| -> Result<(), String> {
        if let Some(t) = times.as_mut() {
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_err(|e| e.to_string())?
                .as_secs_f64();
            for _ in from..to {
                t.write_all(&now.to_le_bytes()).map_err(|e| e.to_string())?;
            }
            t.flush().map_err(|e| e.to_string())?;
        }
        Ok(())
    };
    let mut sent = 0usize;
    while sent < lines.len() {
        let (mut conn, _) = listener.accept().map_err(|e| e.to_string())?;
        let _ = conn.set_nodelay(true);
        let started = Instant::now();
        if sent < fill {
            let chunk: Vec<u8> = lines[sent..fill.min(lines.len())].concat();
            if conn.write_all(&chunk).is_err() {
                continue;
            }
            stamp(sent, fill.min(lines.len()))?;
            sent = fill.min(lines.len());
            eprintln!(
                "feed: {sent} fill lines in {:.1} s",
                started.elapsed().as_secs_f64()
            );
        }
        let per_step = (rate * STEP.as_secs_f64()).round().max(1.0) as usize;
        let (paced_from, paced_at) = (sent, Instant::now());
        let mut next = Instant::now();
        let mut last_log = Instant::now();
        while sent < lines.len() {
            let end = (sent + per_step).min(lines.len());
            if conn.write_all(&lines[sent..end].concat()).is_err() {
                break;
            }
            stamp(sent, end)?;
            sent = end;
            next += STEP;
            if let Some(wait) = next.checked_duration_since(Instant::now()) {
                std::thread::sleep(wait);
            }
            if last_log.elapsed() >= Duration::from_secs(10) {
                last_log = Instant::now();
                let secs = paced_at.elapsed().as_secs_f64();
                eprintln!(
                    "feed: {sent} lines; paced {:.0} lines/s",
                    (sent - paced_from) as f64 / secs
                );
            }
        }
    }
    println!("feed_lines {sent}");
    Ok(())
}
