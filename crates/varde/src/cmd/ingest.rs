//! `varde ingest`: an ingest node of the cluster. Runs the configured `[[serve.sources]]` as
//! `varde serve` does and publishes one frame per AIS message to the raw stream on NATS
//! JetStream (see [`crate::cluster::ingest`]). Ends when every source is a file and all are read
//! (printing its counters), else on Ctrl-C or SIGTERM after publishing what it has read.
//! Exit status: 0 done; 1 on an error (a file that could not be read to its end included).

use crate::cluster::config::ClusterConfig;
use crate::cmd::replay::time::TimeArgs;
use crate::config::Config;
use anyhow::{Context, Result};
use std::path::PathBuf;

/// Options of `varde ingest`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Frames go to varde.raw.<MMSI % partitions> of the stream VARDE_RAW (created when \
absent), with Nats-Msg-Id, so a frame sent twice is stored once. Messages whose payload does not \
decode to an MMSI go to varde.raw.0 without a Varde-Mmsi header. File sources are timed as \
`varde replay` times them."
)]
pub struct IngestArgs {
    /// Configuration file (TOML): `[[serve.sources]]` and `[cluster]`.
    #[arg(long)]
    pub config: PathBuf,
    /// NATS server URLs, comma-separated (replace `[cluster] nats`).
    #[arg(long, value_delimiter = ',', value_name = "URLS")]
    pub nats: Vec<String>,
    /// MMSI partitions (replaces `[cluster] partitions`; default 16).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..))]
    pub partitions: Option<u32>,
    /// Replicas of the raw stream when it is created (replaces `[cluster] replicas`; default 3).
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=5))]
    pub replicas: Option<u64>,
    /// Time for file lines without a timestamp (as `varde replay`).
    #[command(flatten)]
    pub time: TimeArgs,
}

/// The `[cluster]` settings of `cfg` with the command line's on top.
fn cluster(args: &IngestArgs, cfg: &Config) -> ClusterConfig {
    cfg.cluster
        .overridden(&args.nats, args.partitions, args.replicas)
}

/// Runs the command.
pub fn run(args: &IngestArgs) -> Result<()> {
    let cfg = Config::load(Some(&args.config))?;
    crate::serve::logging::init(cfg.serve.log_format);
    let cluster = cluster(args, &cfg);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("cannot start the runtime")?;
    let outcome = rt.block_on(crate::cluster::ingest::run(&cfg, &cluster, &args.time))?;
    eprint!("{}", outcome.counters.summary(&outcome.sources));
    if let Some(e) = outcome.failures.into_iter().next() {
        return Err(e);
    }
    Ok(())
}
