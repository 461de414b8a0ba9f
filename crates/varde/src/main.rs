//! `varde`: the maritime sovereignty watch, one binary.
//!
//! # Layout
//! - `cmd/`: one module per subcommand (`decode`, …).
//! - `input`: files, gzip and stdin, bounded line reading.
//! - `stats`: run counters for `--stats` and summaries.
//! - `config`: the TOML configuration file.
//! - `setup`: engine and watch-list start-up shared by `replay` and `serve`.
//! - `cluster/`: the cluster on NATS JetStream (`ingest`).
//! - `serve/`: the live service (sources, pipeline, store writer, API).
//! - `adapt/`: AIS message → engine report; varde-geo → engine geography.
mod adapt;
mod clock_guard;
mod cluster;
mod cmd;
mod config;
mod incidents;
mod input;
mod serve;
mod setup;
mod stats;

/// jemalloc for every allocation of the process, SQLite's included (the unprefixed `malloc`):
/// it hands memory freed after a burst back to the system from background threads, where glibc
/// kept what a fast feed's queues, batches and caches had held (per thread arena, and above a
/// dynamic mmap threshold), so the service's resident memory tracks what it holds.
/// `bench/memory/run` measures it: RSS growth per vessel at 10 k and 100 k vessels.
/// Without the `jemalloc` feature, glibc's (heaptrack sees only that one).
#[cfg(all(target_os = "linux", not(target_env = "musl"), feature = "jemalloc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

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
    /// Run the watch engine over recorded input and write its alerts.
    Replay(cmd::replay::ReplayArgs),
    /// The live service: sources, store, HTTP API and web map.
    Serve(serve::ServeArgs),
    /// Copy the store (online, while `serve` runs) into a directory.
    Backup(cmd::backup::BackupArgs),
    /// The store's history elsewhere: `history copy` moves it into PostgreSQL + PostGIS,
    /// `history export` writes it to CSV or GeoParquet.
    History(cmd::history::HistoryArgs),
    /// Run changed detectors over the stored history (retroactive detection) into a separate
    /// alert set.
    Backfill(cmd::backfill::BackfillArgs),
    /// Check or export the log of releases to partners.
    Audit(cmd::audit::AuditArgs),
    /// Sharing tools: `share mint-pki` makes a test PKI for the TAK feed.
    Share(cmd::share::ShareArgs),
    /// Operator accounts: `operator hash-token` prints a token's `token_sha256` line.
    Operator(cmd::operator::OperatorArgs),
    /// Ingest node of a cluster: the configured sources → decoded frames on NATS JetStream.
    Ingest(cmd::ingest::IngestArgs),
    /// An engine node of the cluster: raw stream in (NATS JetStream), alerts out.
    Engine(cmd::engine::EngineArgs),
    /// Simulate AIS traffic in Norwegian waters (NMEA on stdout).
    Sim(cmd::sim::SimArgs),
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    match cli.command {
        Command::Decode(args) => cmd::decode::run(&args),
        Command::Replay(args) => cmd::replay::run(&args),
        Command::Serve(args) => serve::run(&args),
        Command::Sim(args) => cmd::sim::run(&args),
        Command::Ingest(args) => cmd::ingest::run(&args),
        Command::Engine(args) => cmd::engine::run(&args),
        Command::Backup(args) => cmd::backup::run(&args),
        Command::Audit(args) => cmd::audit::run(&args),
        Command::History(args) => cmd::history::run(&args),
        Command::Backfill(args) => cmd::backfill::run(&args),
        Command::Share(args) => cmd::share::run(&args),
        Command::Operator(args) => cmd::operator::run(&args),
    }
}
