//! `varde backup DIR`: a consistent copy of the store, taken with SQLite's
//! online backup API while `varde serve` may be running on it. Restore by
//! starting `varde serve --data-dir DIR` on the copy (or copying its
//! `varde.sqlite3` over the damaged one, with no `-wal`/`-shm` beside it).

use crate::config::Config;
use anyhow::{bail, Context, Result};
use std::path::PathBuf;
use varde_store::SqliteStore;

/// Options of `varde backup`.
#[derive(Debug, clap::Args)]
pub struct BackupArgs {
    /// Directory to write the copy into (created; must not already hold a
    /// store).
    pub dir: PathBuf,
    /// Store directory to back up (overrides the configuration).
    #[arg(long)]
    pub data_dir: Option<PathBuf>,
    /// Configuration file whose `[serve] data_dir` names the store.
    #[arg(long)]
    pub config: Option<PathBuf>,
}

/// Copies the store into `args.dir`.
pub fn run(args: &BackupArgs) -> Result<()> {
    let data_dir = match &args.data_dir {
        Some(d) => d.clone(),
        None => match Config::load(args.config.as_deref())?.serve.data_dir {
            Some(d) => d,
            None => {
                bail!("no store to back up: give --data-dir, or --config with [serve] data_dir")
            }
        },
    };
    let file = data_dir.join(varde_store::sqlite::DEFAULT_FILE_NAME);
    if !file.is_file() {
        bail!("no store at {}", file.display());
    }
    let store = SqliteStore::open_reader(&data_dir)
        .with_context(|| format!("opening the store {}", file.display()))?;
    let copy = store
        .backup_to(&args.dir)
        .with_context(|| format!("backing up {} into {}", file.display(), args.dir.display()))?;
    println!("backed up {} to {}", file.display(), copy.display());
    Ok(())
}
