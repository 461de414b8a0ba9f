//! `api-load`: drives `varde serve` for `bench/api-load/run`.
//!
//! - `api-load feed --file F --listen ADDR --fill-lines N --rate R [--times T]`: a TCP server Varde connects
//!   to; the first `N` lines go as fast as Varde reads them (to fill the picture), the rest at `R`
//!   lines a second (spread evenly within each tenth of a second). Prints lines sent on exit.
//!   With `--times T`, the wall-clock time each line went out (f64 seconds, little endian, one a
//!   line) for the alert latency (`alert_latency.py`).
//! - `api-load clients --base URL --token T --clients C --seconds S --day-from MS [--mmsis F]`: `C` threads,
//!   each one keep-alive connection, for `S` seconds over a mix of a bbox vessel query, one vessel,
//!   a day's track and alerts; prints per endpoint count, p50/p99/max and total requests/s.
//! - `api-load mmsis --base URL --token T --out FILE`: the vessels' MMSIs, one a line (for the
//!   wrk mix, `mix.lua`).
//! - `api-load wait-vessels --base URL --token T --at-least N --timeout S`: waits until
//!   `/metrics` reports `varde_vessels >= N`.
//!
//! Figures go to stdout as `key value` lines the run script reads.

mod clients;
mod feed;
mod stats;

use std::collections::HashMap;

/// `--name value` pairs of the command line.
pub struct Args(HashMap<String, String>);

impl Args {
    fn parse(args: &[String]) -> Result<Self, String> {
        let mut map = HashMap::new();
        let mut it = args.iter();
        while let Some(k) = it.next() {
            let name = k
                .strip_prefix("--")
                .ok_or_else(|| format!("expected --name, got {k:?}"))?;
            let v = it.next().ok_or_else(|| format!("--{name} needs a value"))?;
            map.insert(name.to_owned(), v.clone());
        }
        Ok(Self(map))
    }

    /// A required value.
    pub fn get(&self, name: &str) -> Result<&str, String> {
        self.0
            .get(name)
            .map(String::as_str)
            .ok_or_else(|| format!("--{name} is required"))
    }

    /// A number, `default` when absent.
    pub fn num<T: std::str::FromStr>(&self, name: &str, default: T) -> Result<T, String> {
        match self.0.get(name) {
            None => Ok(default),
            Some(v) => v
                .parse()
                .map_err(|_| format!("--{name}: not a number: {v:?}")),
        }
    }
}

fn main() {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    let Some((cmd, rest)) = argv.split_first() else {
        eprintln!("usage: api-load feed|clients|mmsis|wait-vessels --name value ...");
        std::process::exit(2);
    };
    let run = || -> Result<(), String> {
        let args = Args::parse(rest)?;
        match cmd.as_str() {
            "feed" => feed::run(&args),
            "clients" => clients::run(&args),
            "wait-vessels" => clients::wait_vessels(&args),
            "mmsis" => clients::write_mmsis(&args),
            other => Err(format!("unknown command {other:?}")),
        }
    };
    if let Err(e) = run() {
        eprintln!("api-load {cmd}: {e}");
        std::process::exit(1);
    }
}
