//! `varde`: the maritime sovereignty watch, one binary.
//!
//! # Layout
//! - `cmd/`: one module per subcommand (`decode`, …).
//! - `input`: files, gzip and stdin, bounded line reading.
//! - `stats`: run counters for `--stats` and summaries.
mod cmd;
mod input;
mod stats;

use clap::{Parser, Subcommand};

/// Varde watches Norway's sea areas from AIS vessel reports.
#[derive(Debug, Parser)]
#[command(name = "varde", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Decode AIS NMEA to gpsd-compatible JSON, one object per message.
    Decode(cmd::decode::DecodeArgs),
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    match cli.command {
        Command::Decode(args) => cmd::decode::run(&args),
    }
}
