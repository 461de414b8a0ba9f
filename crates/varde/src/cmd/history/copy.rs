//! `varde history copy` moves the embedded store into PostgreSQL + PostGIS (crates/varde-pg),
//! where analysts query years of it in SQL and a cluster's API nodes serve it; it prints what it
//! copied and the bytes per position in both stores.

use crate::config::Config;
use anyhow::{bail, Context, Result};
use std::path::{Path, PathBuf};
use std::time::Instant;
use varde_pg::PgStore;
use varde_store::{AlertFilter, Batch, Counts, SqliteStore, Store, VesselFilter};

/// Options of `varde history copy`.
#[derive(Debug, clap::Args)]
pub struct CopyArgs {
    /// PostgreSQL connection URL, e.g. `postgres://varde@db.example:5432/varde` (PostGIS must be
    /// installed or installable there).
    #[arg(long, env = "VARDE_PG_URL")]
    pub to: String,
    /// PostgreSQL schema for Varde's tables (created if missing; default: the server's search
    /// path, usually `public`).
    #[arg(long)]
    pub schema: Option<String>,
    /// Store directory to copy (overrides the configuration).
    #[arg(long)]
    pub data_dir: Option<PathBuf>,
    /// Configuration file whose `[serve] data_dir` names the store.
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Rows per transaction.
    #[arg(long, default_value_t = 20_000)]
    pub batch: usize,
}

fn data_dir(args: &CopyArgs) -> Result<PathBuf> {
    match &args.data_dir {
        Some(d) => Ok(d.clone()),
        None => match Config::load(args.config.as_deref())?.serve.data_dir {
            Some(d) => Ok(d),
            None => bail!("no store to copy: give --data-dir, or --config with [serve] data_dir"),
        },
    }
}

/// A writer that commits every `limit` rows.
struct Batcher<'a> {
    dst: &'a mut PgStore,
    batch: Batch,
    rows: usize,
    limit: usize,
}

impl Batcher<'_> {
    fn added(&mut self, n: usize) -> Result<()> {
        self.rows += n;
        if self.rows >= self.limit {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<()> {
        self.dst
            .write_batch(&self.batch)
            .context("writing to PostgreSQL")?;
        self.batch = Batch::default();
        self.rows = 0;
        Ok(())
    }
}

/// Runs `varde history copy`.
pub fn run(args: &CopyArgs) -> Result<()> {
    let dir = data_dir(args)?;
    let file = dir.join(varde_store::sqlite::DEFAULT_FILE_NAME);
    if !file.is_file() {
        bail!("no store at {}", file.display());
    }
    let src = SqliteStore::open_reader(&dir)
        .with_context(|| format!("opening the store {}", file.display()))?;
    let mut dst = match &args.schema {
        Some(schema) => PgStore::connect_in(&args.to, schema),
        None => PgStore::connect(&args.to),
    }
    .context("connecting to PostgreSQL (--to)")?;
    if dst.counts()? != Counts::default() {
        bail!(
            "the PostgreSQL database already holds Varde history; copy into an empty database \
             (the raw journal is append-only, so a second copy would repeat it)"
        );
    }
    let started = Instant::now();
    let mut out = Batcher {
        dst: &mut dst,
        batch: Batch::default(),
        rows: 0,
        limit: args.batch.max(1),
    };
    out.batch.sources = src.sources()?;
    let vessels = src.vessels(&VesselFilter::default())?;
    // Tracks page by page (a vessel's year of points is not read at once), including those of
    // vessels the vessel table no longer holds.
    for mmsi in src.tracked_vessels(i64::MIN, i64::MAX)? {
        let mut from = i64::MIN;
        loop {
            let page = src.track_page(mmsi, from, i64::MAX, out.limit)?;
            let Some(last) = page.last() else { break };
            let next = last.time_ms.checked_add(1);
            let n = page.len();
            out.batch.positions.extend(page);
            out.added(n)?;
            match next {
                Some(t) => from = t,
                None => break,
            }
        }
    }
    out.batch.vessels = vessels;
    out.added(out.batch.vessels.len())?;
    for a in src.alerts(&AlertFilter::default())? {
        // The history keeps each revision as first written; the current row is the latest
        // content of the highest revision, so it goes last in the same batch.
        let revisions = src.alert_revisions(&a.id)?;
        let n = revisions.len() + 1;
        out.batch.alerts.extend(revisions);
        out.batch.alerts.push(a);
        out.added(n)?;
    }
    let mut after = i64::MIN;
    loop {
        let lines = src.journal_after(after, args.batch.max(1))?;
        let Some(last) = lines.last() else { break };
        after = last.seq;
        let n = lines.len();
        out.batch.raw.extend(lines.into_iter().map(|l| l.record));
        out.added(n)?;
    }
    out.flush()?;
    let secs = started.elapsed().as_secs_f64();

    let (a, b) = (src.counts()?, dst.counts()?);
    if a != b {
        bail!("copied counts differ from the store's: {a:?} in SQLite, {b:?} in PostgreSQL");
    }
    let rows = b.raw + b.positions + b.vessels + b.alert_revisions + b.sources;
    println!(
        "copied {} positions, {} vessels, {} alerts ({} revisions), {} sources and {} journal \
         lines in {secs:.1} s ({:.0} rows/s)",
        b.positions,
        b.vessels,
        b.alerts,
        b.alert_revisions,
        b.sources,
        b.raw,
        rows as f64 / secs.max(1e-9)
    );
    let lite = sqlite_bytes(&file);
    let pg = dst.disk_bytes()?;
    let per = |bytes: u64| bytes as f64 / b.positions.max(1) as f64;
    println!(
        "on disk: SQLite {lite} bytes ({:.1} per position), PostgreSQL {pg} bytes ({:.1} per \
         position, tables, partitions and indexes)",
        per(lite),
        per(pg)
    );
    println!("not copied: the audit log of releases (`varde audit export` writes it out)");
    Ok(())
}

/// The store file plus its write-ahead log.
fn sqlite_bytes(file: &Path) -> u64 {
    let size = |p: &Path| std::fs::metadata(p).map_or(0, |m| m.len());
    size(file) + size(&file.with_extension("sqlite3-wal"))
}
