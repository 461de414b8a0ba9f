//! `varde serve`: the live service — sources, the engine, the embedded
//! store, the HTTP API and the web map.
//!
//! # Layout
//! - `config`: the `[serve]` section.
//! - `source/`: TCP, UDP, file and simulator feeds.
//! - `pipeline`: the engine thread (decode → engine → live bus + store).
//! - `restore`: the picture at start (snapshot + journal since, in arrival order).
//! - `writer`: the store writer thread (batched transactions).
//! - `live`: the live event bus; `metrics`: counters.
//! - `view`: the vessels in memory, published by the engine thread, read by the API.
//! - `api/`: the axum router; `http`: the listener and graceful shutdown.
//! - `logging`: the tracing subscriber.
//! - `share/`: labels on every item and partner-scoped access (`[share]`).
//! - `tak/`: Cursor-on-Target to TAK peers over mutual TLS (`[share.tak]`).
//! - `ogc/`: OGC API – Features at `/ogc`, per caller; `nmea_out/`: AIVDM re-broadcast per
//!   partner (`[[share.nmea_out]]`).
//! - `reload`: re-reading the configuration file on SIGHUP and on change (operator accounts,
//!   partners).

pub mod api;
pub mod audit;
pub mod config;
pub mod http;
pub mod journal_block;
pub mod live;
pub mod logging;
pub mod metrics;
pub mod nmea_out;
pub mod ogc;
pub mod pipeline;
pub mod reload;
pub mod restore;
pub mod share;
pub mod source;
pub mod tak;
pub mod view;
pub mod writer;

use crate::config::Config;
use crate::setup::{build_engine, merge_watchlist};
use anyhow::{Context, Result};
use std::path::PathBuf;
use std::sync::Arc;
use tokio::sync::mpsc;
use varde_store::{Store, VesselFilter};

/// Chunks of [`pipeline::STORE_CHUNK`] items queued for the store writer at most (~100 B an item
/// plus a journal line's bytes: ~200 KB a chunk, ~3 MB in all); the writer takes them in batches
/// of at most [`writer::MAX_BATCH`] items. 64 before.
pub const STORE_QUEUE_CHUNKS: usize = 16;

/// Options of `varde serve`.
#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Configuration file (TOML).
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Run on the simulator with scripted incidents: no set-up needed. The simulated clock runs
    /// `--demo-speed` times real time, and the map says so ("simulation ×20").
    #[arg(long)]
    pub demo: bool,
    /// Speed of the demo's simulated clock over real time: 20 (default) shows the scripted
    /// incidents within a minute or two; 1 runs on wall-clock time.
    #[arg(long, value_name = "X", default_value_t = 20.0, value_parser = demo_speed)]
    pub demo_speed: f64,
    /// Address of the API and map, `host:port` (overrides the configuration).
    #[arg(long)]
    pub listen: Option<String>,
    /// Store directory (overrides the configuration).
    #[arg(long)]
    pub data_dir: Option<PathBuf>,
    /// Bearer token (overrides the configuration).
    #[arg(long, env = "VARDE_TOKEN")]
    pub token: Option<String>,
    /// Infrastructure layer (GeoJSON) added on top of the configuration; `FILE:KIND` (e.g.
    /// `cables.geojson:cable`) makes every feature that kind (cable, power_cable, pipeline, platform, …).
    #[arg(long = "layer", value_name = "FILE[:KIND]")]
    pub layers: Vec<varde_geo::LayerSpec>,
    /// Watch list file added to the configuration's.
    #[arg(long)]
    pub watchlist: Option<PathBuf>,
    /// Log one JSON object a line (overrides `[serve] log_format`).
    #[arg(long)]
    pub log_json: bool,
    /// Run as an API node of a cluster: no sources and no engine of its own; alerts and positions
    /// come from the engine nodes' streams (VARDE_ALERTS, VARDE_POSITIONS) on `--nats`.
    #[arg(long, requires = "nats", conflicts_with = "demo")]
    pub cluster: bool,
    /// NATS server URLs of the cluster, comma-separated (with `--cluster`).
    #[arg(long, requires = "cluster")]
    pub nats: Option<String>,
    /// This API node's name, unique in the cluster: its durable consumers are named after it, so a
    /// restarted node carries on where it stopped (with `--cluster`).
    #[arg(long, default_value = "api", requires = "cluster")]
    pub node: String,
    /// Also write everything the node stores to PostgreSQL/PostGIS (`postgres://…`; with
    /// `--cluster`), and read tracks and alerts from there, and keep officers' actions on alerts
    /// there: the shared history and workflow of every API node. Vessels come from the in-memory
    /// picture; the audit log of releases stays in the node's own store in `--data-dir`.
    #[arg(long, value_name = "URL", requires = "cluster")]
    pub store: Option<String>,
    /// PostgreSQL schema of Varde's tables (with `--store`; default: the server's search path).
    #[arg(long, requires = "store")]
    pub store_schema: Option<String>,
    /// Replicas of the streams this node creates when they are absent (with `--cluster`).
    #[arg(long, default_value_t = 3, requires = "cluster")]
    pub replicas: usize,
}

/// Runs until Ctrl-C or SIGTERM.
pub fn run(args: &ServeArgs) -> Result<()> {
    let mut cfg = Config::load(args.config.as_deref())?;
    apply_args(&mut cfg, args)?;
    logging::init(cfg.serve.log_format);
    for d in &cfg.deprecated {
        tracing::warn!("{d}");
    }
    if args.cluster {
        // An API node stores and shows what the engine nodes publish.
        cfg.serve.sources.clear();
    } else if cfg.serve.sources.is_empty() {
        tracing::warn!("no sources configured: nothing will be ingested; add [[serve.sources]]");
    }
    let temp = tempfile::tempdir().context("creating a temporary store directory")?;
    let dir = cfg
        .serve
        .data_dir
        .clone()
        .unwrap_or_else(|| temp.path().to_path_buf());
    if dir.exists() && !dir.is_dir() {
        anyhow::bail!(
            "data directory {} is a file, not a directory: give a directory for the store (it is created if missing)",
            dir.display()
        );
    }
    std::fs::create_dir_all(&dir)
        .with_context(|| format!("cannot create the data directory {}", dir.display()))?;
    let store = writer::open_store(&dir, &cfg.serve)?;
    let readers = api::ReadPool::open(&dir, api::ReadPool::default_size())
        .context("opening store readers")?;
    // An API node with a shared store starts from the cluster's picture there (a node new to a
    // site has vessels at once, also those older than the streams keep); otherwise from its own.
    let known = match (&args.store, args.cluster) {
        (Some(url), true) => match &args.store_schema {
            Some(schema) => varde_pg::PgStore::connect_in(url, schema),
            None => varde_pg::PgStore::connect(url),
        }
        .and_then(|pg| pg.vessels(&VesselFilter::default()))
        .context("loading the vessels from the --store database")?,
        _ => store
            .vessels(&VesselFilter::default())
            .context("loading the vessels")?,
    };
    let vessels = view::VesselView::with(known);
    let mut extra_layers = args.layers.clone();
    if args.demo {
        extra_layers.push(demo_setup(&mut cfg, temp.path())?.into());
    }
    let layers = api::Layers::load(&cfg.geo, &extra_layers)?;
    let engine = build_engine(cfg.clone(), &extra_layers)?;
    let metrics = Arc::new(metrics::Metrics::default());
    let live = Arc::new(live::LiveHub::start(live::LiveLimits {
        position_capacity: cfg.serve.live_position_capacity,
        alert_capacity: cfg.serve.live_alert_capacity,
        alert_max_bytes: cfg.serve.live_alert_max_mb.saturating_mul(1 << 20),
    }));
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let (tx, rx) = mpsc::channel(source::QUEUED_BATCHES);
    let sources = rt.block_on(async { source::spawn_all(&cfg.serve, &tx) });
    pipeline::spawn_ticker(&rt, &tx);
    let stop = tx;
    let (store_tx, store_rx) = std::sync::mpsc::sync_channel(STORE_QUEUE_CHUNKS);
    // Every release to a partner goes to the audit log, through the writer.
    let (audit, audit_fwd) = audit::AuditSink::spawn(store_tx.clone())?;
    let mut share = share::ShareState::new(&cfg.share, args.config.clone())?;
    share.release_log = Some(Arc::new(audit));
    let share = Arc::new(share);
    let mut pipe = pipeline::Pipeline::new(engine, live.clone(), sources.clone(), metrics.clone());
    pipe.share = Some(share.tracker());
    let mut store = store;
    pipe.future_tolerance_ms = i64::from(cfg.serve.future_tolerance_min) * 60_000;
    pipe.past_tolerance_ms = match cfg.serve.past_tolerance_hours {
        0 => i64::MAX,
        h => i64::from(h) * 3_600_000,
    };
    pipe.snapshot_every = (cfg.serve.snapshot_every_s > 0)
        .then(|| std::time::Duration::from_secs(u64::from(cfg.serve.snapshot_every_s)));
    pipe.view = vessels.publisher();
    if !args.cluster {
        let restored = restore::restore(&mut pipe, &mut store, cfg.serve.restore_hours)?;
        metrics.add(metrics::Counter::Restored, restored.lines);
    }
    vessels.apply_pending();
    // The labels of vessels the view forgets go with them.
    let labels = share.vessels.clone();
    vessels.spawn_applier(cfg.serve.retention_days, move |gone| labels.forget(gone))?;
    pipe.store = Some(nmea_out::start(
        &cfg,
        &share,
        args.config.clone(),
        &rt,
        store_tx,
    )?);
    let writer = {
        let (m, s, days) = (metrics.clone(), sources.clone(), cfg.serve.retention_days);
        std::thread::Builder::new()
            .name("store-writer".into())
            .spawn(move || writer::run(store, store_rx, m, s, days))?
    };
    let engine_thread = if args.cluster {
        let sink = crate::cluster::api::Sink {
            stores: cluster_stores(&dir, &cfg, args)?,
            view: vessels.publisher(),
            live: live.clone(),
            metrics: metrics.clone(),
        };
        spawn_cluster_node(&rt, args, sink);
        // No engine here: its store sender must not keep the writer (audit log) waiting at the
        // stop, nor its queue the ticker running.
        drop((pipe, rx));
        None
    } else {
        Some(
            std::thread::Builder::new()
                .name("engine".into())
                .spawn(move || pipe.run(rx))?,
        )
    };
    let history = match (&args.store, args.cluster) {
        (Some(url), true) => api::History::postgres(
            url,
            args.store_schema.as_deref(),
            api::ReadPool::default_size(),
        )
        .context("connecting the API's history readers to the --store database")?,
        _ => api::History::Local,
    };
    let state = api::AppState {
        store: Arc::new(readers),
        history,
        view: vessels,
        token: cfg.serve.token.as_str().into(),
        live,
        metrics: metrics.clone(),
        sources: Arc::new(sources),
        layers: Arc::new(layers),
        metrics_public: cfg.serve.metrics_public,
        http: Arc::default(),
        share: share.clone(),
        lists: Arc::default(),
        operators: Arc::new(api::Operators::new(
            &cfg.serve.operators,
            args.config.clone(),
        )?),
        actions: Arc::new(match (&args.store, args.cluster) {
            (Some(url), true) => api::ActionDesk::postgres(url.clone(), args.store_schema.clone()),
            _ => api::ActionDesk::new(Some(dir.clone())),
        }),
        geo: Arc::new(varde_geo::Geography::from_config(&cfg.geo).context("loading geography")?),
        run: Arc::new(api::RunInfo::from_sources(&cfg.serve.sources)),
    };
    rt.block_on(async { state.operators.spawn_reloader() });
    rt.block_on(async { share.spawn_reloader() });
    rt.block_on(tak::spawn(&cfg.tak, &state))?;
    let served = rt.block_on(http::serve(&cfg.serve, state, &dir));
    metrics.begin_shutdown();
    // The engine processes what was queued before the stop marker (sources
    // such as the simulator or a paced file may never close the channel by
    // themselves), then the writer commits what is left; then the sources
    // end with the runtime.
    let _ = stop.blocking_send(source::Input::stop());
    drop(stop);
    if let Some(t) = engine_thread {
        let _ = t.join();
    }
    audit_fwd.close();
    let _ = writer.join();
    rt.shutdown_timeout(std::time::Duration::from_secs(5));
    tracing::info!("stopped");
    served
}

/// The stores of an API node (`--cluster`): its own SQLite store and PostgreSQL with `--store`
/// (which the API then reads its history from).
fn cluster_stores(
    dir: &std::path::Path,
    cfg: &Config,
    args: &ServeArgs,
) -> Result<Vec<Box<dyn Store>>> {
    let mut stores: Vec<Box<dyn Store>> = vec![Box::new(writer::open_store(dir, &cfg.serve)?)];
    if let Some(url) = &args.store {
        let pg = match &args.store_schema {
            Some(schema) => varde_pg::PgStore::connect_in(url, schema),
            None => varde_pg::PgStore::connect(url),
        }
        .context("connecting to the --store database")?;
        stores.push(Box::new(pg));
    }
    Ok(stores)
}

/// Starts the API node's reader of the cluster's streams; if it fails, the node exits (its
/// supervisor restarts it, and its durable consumers carry on where it stopped).
fn spawn_cluster_node(
    rt: &tokio::runtime::Runtime,
    args: &ServeArgs,
    sink: crate::cluster::api::Sink,
) {
    let opts = crate::cluster::api::Options {
        nats: args.nats.clone().unwrap_or_default(),
        node: args.node.clone(),
        replicas: args.replicas,
    };
    drop(rt.spawn(async move {
        if let Err(e) = crate::cluster::api::run(opts, sink).await {
            tracing::error!(
                error = format!("{e:#}"),
                "the cluster streams cannot be read: stopping"
            );
            std::process::exit(1);
        }
    }));
}

fn apply_args(cfg: &mut Config, args: &ServeArgs) -> Result<()> {
    if let Some(w) = &args.watchlist {
        merge_watchlist(&mut cfg.watch.watchlist, w)?;
    }
    if let Some(l) = &args.listen {
        cfg.serve.listen.clone_from(l);
    }
    if args.log_json {
        cfg.serve.log_format = config::LogFormat::Json;
    }
    if let Some(d) = &args.data_dir {
        cfg.serve.data_dir = Some(d.clone());
    }
    if let Some(t) = &args.token {
        cfg.serve.token = t.clone();
    }
    if cfg.serve.token.is_empty() {
        cfg.serve.token = random_token();
    }
    if args.demo
        && !cfg
            .serve
            .sources
            .iter()
            .any(|s| matches!(s.kind, config::SourceKind::Sim { .. }))
    {
        cfg.serve.sources.push(config::SourceConfig {
            name: "demo".into(),
            kind: config::SourceKind::Sim {
                vessels: 300,
                speed: args.demo_speed,
            },
        });
    }
    Ok(())
}

/// The demo's incidents happen at the simulator's own assets and include a
/// watch-listed vessel: add that layer and that vessel.
fn demo_setup(cfg: &mut Config, dir: &std::path::Path) -> Result<PathBuf> {
    let layer = dir.join("demo-incident-assets.geojson");
    std::fs::write(&layer, varde_sim::Scenario::infrastructure_geojson())?;
    let scenario = source::sim::demo_scenario();
    for e in scenario.expectations(0)? {
        if e.watchlist {
            cfg.watch.watchlist.mmsi.extend(e.mmsi.iter().copied());
        }
    }
    Ok(layer)
}

/// A demo speed: a finite number above 0 and at most 1000.
fn demo_speed(s: &str) -> std::result::Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if v.is_finite() && v > 0.0 && v <= 1000.0 => Ok(v),
        _ => Err(format!(
            "{s:?} is not a speed: give a number above 0 and at most 1000 (1 = wall-clock time)"
        )),
    }
}

/// 128 random bits as 32 hex digits.
pub fn random_token() -> String {
    use rand::RngCore;
    let mut b = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut b);
    b.iter().map(|x| format!("{x:02x}")).collect()
}
