//! `varde engine`: an engine node of the cluster (see [`crate::cluster::engine`]).

use crate::cluster::config::ClusterConfig;
use crate::cluster::engine::{
    self,
    partitions::Partitions,
    role::{Area, Role},
};
use crate::config::Config;
use crate::setup::{build_engine, merge_watchlist};
use anyhow::{bail, Context, Result};
use std::path::PathBuf;
use std::time::Duration;

/// Options of `varde engine`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Reads the raw stream VARDE_RAW from NATS JetStream, runs the watch engine over the frames of \
its partitions (the same engine and rules as `varde replay`) and publishes every alert revision to VARDE_ALERTS. \
A second node with the same --partitions stands by and takes over within seconds when the first stops renewing \
its lease (KV varde_leases); state is snapshotted to the object store varde_snapshots.

Nodes holding fewer than all partitions do not raise the alerts that need every vessel (rendezvous and GNSS \
interference pair vessels; AIS gaps are judged against receiving stations' clocks): run one node with --role area \
for those (it reads every partition, runs every detector as replay does and publishes only those alerts, to \
varde.alerts.area.<area>). A node with --partitions all \
raises them itself: do not run an area node beside it.

With --follow-area all, a partition node applies the area node's GNSS-interference episodes (settling the victims' own alerts as replay does) and the incidents its alerts start (rendezvous, GNSS interference, AIS gaps: the area node raises them), at the frame where the area node made them (stream VARDE_AREA): its alerts are then replay's. It handles a frame only once the area node has."
)]
pub struct EngineArgs {
    /// NATS server URLs, comma-separated (replace `[cluster] nats` of --config).
    #[arg(long, value_delimiter = ',', value_name = "URLS")]
    pub nats: Vec<String>,
    /// This node's name, unique in the cluster (it holds the partitions' lease).
    #[arg(long)]
    pub node: String,
    /// What the node does: `partitions` (every detector for the vessels of --partitions) or
    /// `area` (only the detectors that pair vessels — rendezvous, GNSS interference — for
    /// --area, out of every partition's frames).
    #[arg(long, value_enum, default_value_t = RoleArg::Partitions)]
    pub role: RoleArg,
    /// Partitions to own (--role partitions): `all`, a range `0-7`, a list `3,5`, or a mix. With
    /// fewer than all, the detectors that need every vessel (rendezvous, GNSS interference, AIS
    /// gaps) are switched off: an area node raises them.
    #[arg(long, default_value = "all")]
    pub partitions: String,
    /// The area to cover (--role area): `all`, the only one so far.
    #[arg(long, default_value = "all")]
    pub area: String,
    /// Follow the area node of this area (`all`; --role partitions with fewer than all
    /// partitions): apply its GNSS-interference episodes and the incidents of its pairwise
    /// alerts where it made them, so this node's alerts are replay's. Each frame waits until the
    /// area node has handled it.
    #[arg(long, value_name = "AREA")]
    pub follow_area: Option<String>,
    /// MMSI partitions of the raw stream in all, `mmsi % N` (replaces `[cluster] partitions`;
    /// default 16). Must be the count the cluster recorded when it was first set up.
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..))]
    pub partition_count: Option<u32>,
    /// Configuration file (TOML): the rules, and `[cluster]` (`nats`, `partitions`, `replicas`)
    /// under the flags.
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Infrastructure layer (GeoJSON) added on top of the configuration; `FILE:KIND`.
    #[arg(long = "layer", value_name = "FILE[:KIND]")]
    pub layers: Vec<varde_geo::LayerSpec>,
    /// Watch list: MMSIs, IMO numbers or names, one a line, added to the configuration's.
    #[arg(long)]
    pub watchlist: Option<PathBuf>,
    /// Snapshot the engine state at least this often while frames arrive, seconds.
    #[arg(long, default_value_t = 5.0, value_name = "SECONDS")]
    pub snapshot_every: f64,
    /// Snapshot after at most this many frames.
    #[arg(long, default_value_t = 200_000)]
    pub snapshot_frames: u64,
    /// Lease time to live, seconds: renewed every quarter of it; a standby takes over once the
    /// owner has not renewed it for this long.
    #[arg(long, default_value_t = 4.0, value_name = "SECONDS")]
    pub lease_ttl: f64,
    /// Replicas of the streams and buckets this node creates when they are absent (replaces
    /// `[cluster] replicas`; default 3).
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=5))]
    pub replicas: Option<u64>,
}

/// The `[cluster]` settings of `cfg` with the command line's on top.
fn cluster(args: &EngineArgs, cfg: &Config) -> ClusterConfig {
    cfg.cluster
        .overridden(&args.nats, args.partition_count, args.replicas)
}

fn seconds(name: &str, s: f64) -> Result<Duration> {
    anyhow::ensure!(
        s.is_finite() && s > 0.0,
        "--{name} must be a positive number of seconds, not {s}"
    );
    Ok(Duration::from_secs_f64(s))
}

/// `--role`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RoleArg {
    /// Every detector for the vessels of a partition set.
    Partitions,
    /// The detectors that pair vessels, for an area.
    Area,
}

/// Runs the command.
pub fn run(args: &EngineArgs) -> Result<()> {
    crate::serve::logging::init(crate::serve::config::LogFormat::Text);
    let mut cfg = Config::load(args.config.as_deref())?;
    let cluster = cluster(args, &cfg);
    if cluster.nats.is_empty() {
        bail!("no NATS server: give --nats URL[,URL…] or [cluster] nats = [\"nats://host:4222\"]");
    }
    if let Some(path) = &args.watchlist {
        merge_watchlist(&mut cfg.watch.watchlist, path)?;
    }
    let mut follow = None;
    let role = match args.role {
        RoleArg::Partitions => {
            anyhow::ensure!(
                args.area == "all",
                "--area is for --role area; a partitions node takes --partitions"
            );
            let partitions = Partitions::parse(&args.partitions, cluster.partitions)?;
            if partitions.is_all() {
                anyhow::ensure!(
                    args.follow_area.is_none(),
                    "a node of every partition raises the pairwise alerts itself: --follow-area is for a node of some partitions"
                );
            } else if let Some(area) = &args.follow_area {
                // Episodes are applied, not detected; rendezvous does not run (see
                // varde_watch::area). Published alerts of those kinds are the area node's.
                follow = Some(Area::parse(area)?);
                tracing::info!(
                    area,
                    "rendezvous, GNSS interference and AIS gaps come from the area node: its episodes and incidents are applied"
                );
            } else {
                // A partition holds some vessels only: pairs across partitions would be missed,
                // and a station's clock is kept by every vessel's reports (varde_watch::area).
                cfg.watch.rendezvous.enabled = false;
                cfg.watch.gnss_interference.enabled = false;
                cfg.watch.ais_gap.enabled = false;
                tracing::info!(
                    "rendezvous, GNSS interference and AIS gaps are off: they need every partition (an area node, --role area, raises them)"
                );
            }
            Role::Partitions(partitions)
        }
        RoleArg::Area => {
            anyhow::ensure!(
                args.partitions == "all",
                "an area node reads every partition: --partitions is for --role partitions"
            );
            anyhow::ensure!(
                args.follow_area.is_none(),
                "--follow-area is for --role partitions"
            );
            anyhow::ensure!(
                cfg.watch.rendezvous.enabled
                    || cfg.watch.gnss_interference.enabled
                    || cfg.watch.ais_gap.enabled,
                "an area node raises only rendezvous, GNSS interference and AIS gap alerts, and the configuration switches all three off"
            );
            // Every detector stays on: their state decides what the pairwise ones see and which
            // incident their alerts join (see cluster::engine::role).
            Role::Area {
                area: Area::parse(&args.area)?,
                count: cluster.partitions,
            }
        }
    };
    let opts = engine::Options {
        nats: cluster.nats,
        node: args.node.clone(),
        role,
        snapshot_every: seconds("snapshot-every", args.snapshot_every)?,
        snapshot_frames: args.snapshot_frames.max(1),
        lease_ttl: seconds("lease-ttl", args.lease_ttl)?,
        replicas: cluster.replicas.max(1),
        follow,
    };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("starting the runtime")?;
    let layers = args.layers.clone();
    rt.block_on(engine::run(opts, move || build_engine(cfg, &layers)))
}
