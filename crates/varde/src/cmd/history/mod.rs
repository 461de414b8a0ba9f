//! `varde history`: the store's history elsewhere.
//! - [`copy`]: the embedded store into PostgreSQL + PostGIS.
//! - [`export`]: positions, alerts or vessels of either store to CSV or GeoParquet, for analysts.
//!
//! [`StoreArgs`] and [`parse_when`] are shared with `varde backfill`, which reads the same two
//! stores.

pub mod copy;
pub mod export;

use crate::cmd::replay::time::parse_time_ms;
use anyhow::{bail, Context, Result};
use std::path::PathBuf;
use varde_pg::PgStore;
use varde_store::{SqliteStore, Store};

/// Options of `varde history`.
#[derive(Debug, clap::Args)]
pub struct HistoryArgs {
    /// What to do.
    #[command(subcommand)]
    pub command: HistoryCommand,
}

/// `varde history` subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum HistoryCommand {
    /// Copy the embedded store (vessels, tracks, alerts with every revision, sources and the raw
    /// journal) into an empty PostgreSQL + PostGIS database.
    Copy(copy::CopyArgs),
    /// Write positions, alerts or vessels of the embedded store or of PostgreSQL to CSV or
    /// GeoParquet, filtered by time, box and MMSI (streamed: memory does not grow with the
    /// history).
    Export(export::ExportArgs),
}

/// Runs a `varde history` subcommand.
pub fn run(args: &HistoryArgs) -> Result<()> {
    match &args.command {
        HistoryCommand::Copy(c) => copy::run(c),
        HistoryCommand::Export(e) => export::run(e),
    }
}

/// Which store to read: the embedded one (opened read-only, so a running `varde serve` is not
/// disturbed and nothing is written) or PostgreSQL.
#[derive(Debug, Clone, clap::Args)]
pub struct StoreArgs {
    /// Directory of the embedded store (`[serve] data_dir`).
    #[arg(long, conflicts_with = "from", required_unless_present = "from")]
    pub data_dir: Option<PathBuf>,
    /// PostgreSQL connection URL (`postgres://user@host:5432/db`) of a store filled by
    /// `varde history copy` or a cluster.
    #[arg(long, value_name = "URL")]
    pub from: Option<String>,
    /// PostgreSQL schema of Varde's tables (with --from; default: the server's search path).
    #[arg(long, requires = "from")]
    pub schema: Option<String>,
}

impl StoreArgs {
    /// Opens the store, read-only where the store allows it.
    pub fn open(&self) -> Result<Box<dyn Store>> {
        if let Some(url) = &self.from {
            let store = match &self.schema {
                Some(schema) => PgStore::connect_in(url, schema),
                None => PgStore::connect(url),
            }
            .context("connecting to PostgreSQL (--from)")?;
            return Ok(Box::new(store));
        }
        let Some(dir) = &self.data_dir else {
            bail!("no store: give --data-dir DIR or --from postgres://…");
        };
        let file = if dir.is_dir() {
            dir.join(varde_store::sqlite::DEFAULT_FILE_NAME)
        } else {
            dir.clone()
        };
        if !file.is_file() {
            bail!("no store at {}", file.display());
        }
        let store = SqliteStore::open_reader(dir)
            .with_context(|| format!("opening the store {}", file.display()))?;
        Ok(Box::new(store))
    }
}

/// A time given on the command line, in ms since the epoch: RFC 3339
/// (`2026-09-01T00:00:00Z`), unix seconds, or an age before `now_ms` (`90d`, `12h`, `30m`,
/// `45s`, `2w`).
pub fn parse_when(text: &str, now_ms: i64) -> Result<i64> {
    let t = text.trim();
    let units = [
        ('s', 1_000i64),
        ('m', 60_000),
        ('h', 3_600_000),
        ('d', 86_400_000),
        ('w', 7 * 86_400_000),
    ];
    for (unit, ms) in units {
        if let Some(n) = t.strip_suffix(unit) {
            if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) {
                let n: i64 = n
                    .parse()
                    .with_context(|| format!("{text:?} is too long ago"))?;
                let age = n
                    .checked_mul(ms)
                    .with_context(|| format!("{text:?} is too long ago"))?;
                return Ok(now_ms.saturating_sub(age));
            }
        }
    }
    parse_time_ms(t).with_context(|| {
        format!("cannot read {text:?}: give RFC 3339, unix seconds or an age such as 7d or 12h")
    })
}

/// Now, ms since the epoch.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

#[cfg(test)]
mod tests {
    use super::parse_when;

    #[test]
    fn times_and_ages() {
        let now = 1_800_000_000_000;
        assert_eq!(parse_when("7d", now).unwrap(), now - 7 * 86_400_000);
        assert_eq!(parse_when("12h", now).unwrap(), now - 12 * 3_600_000);
        assert_eq!(parse_when("2w", now).unwrap(), now - 14 * 86_400_000);
        assert_eq!(
            parse_when("2026-09-01T00:00:00Z", now).unwrap(),
            1_788_220_800_000
        );
        assert_eq!(parse_when("1700000000", now).unwrap(), 1_700_000_000_000);
        assert!(parse_when("d", now).is_err());
        assert!(parse_when("-3d", now).is_err());
        assert!(parse_when("99999999999999999999d", now).is_err());
        assert!(parse_when("yesterday", now).is_err());
    }
}
