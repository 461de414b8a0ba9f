//! Writes simulated NMEA to stdout: `sim [VESSELS] [HOURS] [SCENARIO]`
//! where SCENARIO is a built-in name or `all`.
use std::io::Write;
use varde_sim::{Scenario, SimConfig, Simulator};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let vessels = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(100);
    let hours = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(1.0);
    let scenario = match args.get(3).map(String::as_str) {
        None => None,
        Some("all") => Some(Scenario::all_builtin()),
        Some(name) => Some(Scenario::builtin(name).expect("known incident")),
    };
    let cfg = SimConfig {
        vessels,
        hours,
        scenario,
        ..SimConfig::default()
    };
    let out = std::io::stdout();
    let mut out = std::io::BufWriter::with_capacity(1 << 16, out.lock());
    Simulator::new(cfg).expect("valid scenario").run(|l| {
        let _ = out.write_all(l.as_bytes());
        let _ = out.write_all(b"\n");
    });
}
