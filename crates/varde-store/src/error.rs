//! The store's error type.

use std::path::PathBuf;

/// Everything that can go wrong in the store.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The database engine reported an error (I/O, full disk, locked,
    /// corrupt file, SQL error).
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The store's directory could not be created or inspected.
    #[error("cannot prepare store directory {path}: {source}")]
    Io {
        /// The directory or file concerned.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The database was written by a newer build with a newer schema; this
    /// build refuses to touch it rather than corrupt it.
    #[error(
        "database schema version {found} is newer than this build supports ({supported}): run the \
         newer varde that wrote it, or restore a backup made by this version"
    )]
    SchemaTooNew {
        /// Version found in the file (`PRAGMA user_version`).
        found: i64,
        /// Highest version this build knows.
        supported: i64,
    },
    /// A read-only connection found a store not yet created or migrated to
    /// this build's schema (the writer migrates it when it opens).
    #[error(
        "the store has schema version {found}, older than this build's ({supported}); start \
         `varde serve` on it once to create or upgrade it"
    )]
    SchemaTooOld {
        /// Version found in the file (`PRAGMA user_version`).
        found: i64,
        /// The version this build needs.
        supported: i64,
    },
    /// A value does not fit the database's column type (SQLite integers are
    /// signed 64-bit).
    #[error("{field} = {value} is out of range for the store")]
    OutOfRange {
        /// Which field.
        field: &'static str,
        /// The offending value.
        value: u64,
    },
    /// A stored value cannot be turned back into its record type; the file
    /// was changed by something other than this store.
    #[error("stored {field} = {value} is invalid")]
    Corrupt {
        /// Which column.
        field: &'static str,
        /// The offending value.
        value: i64,
    },
    /// The store file is damaged (not a database, or `quick_check` found
    /// faults): the service refuses to start on it.
    #[error(
        "the store {path} is damaged ({detail}). Stop the service and restore the store from a \
         backup (`varde backup` makes one; copy its varde.sqlite3 over this file and delete any \
         varde.sqlite3-wal and -shm next to it), or move the file aside to start with an empty store"
    )]
    Damaged {
        /// The database file.
        path: PathBuf,
        /// What SQLite reported.
        detail: String,
    },
    /// `varde backup` was pointed at a directory that already holds a store.
    #[error("{path} already exists; back up into an empty or new directory")]
    BackupExists {
        /// The existing file.
        path: PathBuf,
    },
    /// A stored block (journal or track chunk) could not be decoded.
    #[error("stored {what} block is damaged: {detail}")]
    BadBlock {
        /// Which kind of block (`journal`, `track`).
        what: &'static str,
        /// What was wrong with it.
        detail: String,
    },
    /// A write was attempted on a store opened read-only.
    #[error("the store was opened read-only")]
    ReadOnly,
    /// Another database engine behind the [`Store`](crate::Store) trait (PostgreSQL) reported
    /// an error.
    #[error("{backend} error: {detail}")]
    Backend {
        /// Which engine (`postgresql`).
        backend: &'static str,
        /// What it reported.
        detail: String,
        /// True when retrying later may succeed (connection lost, serialisation failure,
        /// disk full).
        transient: bool,
    },
}

impl StoreError {
    /// True if retrying the same call later may succeed (the database was
    /// busy or locked by another connection, or the disk was full); false for
    /// errors that will repeat (bad data, corrupt file, schema mismatch,
    /// a directory that cannot be created).
    pub fn is_transient(&self) -> bool {
        use rusqlite::ffi::ErrorCode;
        match self {
            Self::Sqlite(rusqlite::Error::SqliteFailure(e, _)) => matches!(
                e.code,
                ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked | ErrorCode::DiskFull
            ),
            Self::Backend { transient, .. } => *transient,
            _ => false,
        }
    }
}

impl StoreError {
    /// This error, as [`StoreError::Damaged`] at `path` when SQLite reported
    /// a corrupt file or not a database.
    pub fn damaged_at(self, path: &std::path::Path) -> Self {
        match self {
            Self::Sqlite(e) => crate::sqlite::check::damaged_or(e, path),
            other => other,
        }
    }
}

/// Result with [`StoreError`].
pub type Result<T, E = StoreError> = std::result::Result<T, E>;
