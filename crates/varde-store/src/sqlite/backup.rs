//! Online backup, periodic checkpoints and the size quota of a
//! [`SqliteStore`].

use std::path::{Path, PathBuf};

use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags};

use super::{check, SqliteStore, DEFAULT_FILE_NAME};
use crate::error::{Result, StoreError};

impl SqliteStore {
    /// Copies the store into `dir` (created if needed) as
    /// [`DEFAULT_FILE_NAME`], with SQLite's online backup API, while other
    /// connections may keep writing: the copy is one consistent snapshot
    /// (taken in a single step inside one read transaction, which in WAL mode
    /// never blocks the writer). The copy is written to a temporary name,
    /// checked with `quick_check` and then renamed, so `dir` never holds a
    /// partial store. Refuses a `dir` that already holds a store. Returns the
    /// path of the copy.
    pub fn backup_to(&self, dir: &Path) -> Result<PathBuf> {
        let io = |path: &Path| {
            let path = path.to_path_buf();
            move |source| StoreError::Io { path, source }
        };
        std::fs::create_dir_all(dir).map_err(io(dir))?;
        let dest = dir.join(DEFAULT_FILE_NAME);
        if dest.exists() {
            return Err(StoreError::BackupExists { path: dest });
        }
        let partial = dir.join(format!("{DEFAULT_FILE_NAME}.partial"));
        let _ = std::fs::remove_file(&partial);
        {
            let mut out = Connection::open_with_flags(
                &partial,
                OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE,
            )?;
            let backup = Backup::new(&self.conn, &mut out)?;
            // All pages in one step: one read transaction, one snapshot.
            // Busy or locked (a checkpoint holding a lock) is retried.
            let mut tries = 0;
            loop {
                match backup.step(-1)? {
                    StepResult::Done => break,
                    _ if tries < 100 => {
                        tries += 1;
                        std::thread::sleep(std::time::Duration::from_millis(50));
                    }
                    _ => {
                        return Err(StoreError::Sqlite(rusqlite::Error::SqliteFailure(
                            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY),
                            Some("the store stayed busy during the backup".into()),
                        )))
                    }
                }
            }
            drop(backup);
            check::quick_check(&out, &partial)?;
        }
        std::fs::rename(&partial, &dest).map_err(io(&dest))?;
        Ok(dest)
    }

    /// A `PASSIVE` checkpoint: copies what it can of the WAL into the main
    /// file without waiting for readers (and, with
    /// [`Synchronous::Normal`](super::Synchronous), syncs it). The service's
    /// writer runs one every few seconds to bound what lives only in the WAL.
    pub fn checkpoint_passive(&mut self) -> Result<()> {
        self.conn
            .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))?;
        Ok(())
    }

    /// Caps the database file at about `mib` MiB (`PRAGMA max_page_count`, for
    /// this connection); a write that would grow it further fails as on a
    /// full disk. 0 removes the cap. A file already larger keeps its size as
    /// the cap.
    pub fn set_max_size_mib(&mut self, mib: u64) -> Result<()> {
        let page_size: i64 = self.conn.query_row("PRAGMA page_size", [], |r| r.get(0))?;
        let pages = if mib == 0 {
            i64::from(u32::MAX - 1)
        } else {
            (mib as i64 * (1 << 20) / page_size.max(512)).max(1)
        };
        self.conn
            .query_row(&format!("PRAGMA max_page_count = {pages}"), [], |_| Ok(()))?;
        Ok(())
    }
}
