//! The check at open: the file is a database, its schema version is one this
//! build knows, and SQLite's `quick_check` finds no damage in what start-up
//! reads.

use std::path::Path;

use rusqlite::ffi::ErrorCode;
use rusqlite::Connection;

use crate::error::{Result, StoreError};

/// Files up to this size get a whole-file `quick_check` at open; larger ones
/// have the tables start-up reads checked (the picture, alerts, sources),
/// so that a month of journal does not make every start read it all.
pub const WHOLE_FILE_CHECK_MAX_BYTES: u64 = 1 << 30;

/// Tables read at start when the file is too large for a whole-file check.
const START_UP_TABLES: &[&str] = &["vessels", "alerts", "alert_revisions", "sources"];

/// Runs `quick_check` on `conn` (the file at `path`); a damaged file is
/// [`StoreError::Damaged`].
pub fn quick_check(conn: &Connection, path: &Path) -> Result<()> {
    let size = std::fs::metadata(path).map_or(0, |m| m.len());
    let scopes: Vec<String> = if size <= WHOLE_FILE_CHECK_MAX_BYTES {
        vec!["PRAGMA quick_check(20)".into()]
    } else {
        START_UP_TABLES
            .iter()
            .map(|t| format!("PRAGMA quick_check('{t}')"))
            .collect()
    };
    for sql in scopes {
        let problems = (|| -> rusqlite::Result<Vec<String>> {
            let mut stmt = conn.prepare(&sql)?;
            let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
            rows.collect()
        })()
        .map_err(|e| damaged_or(e, path))?;
        let problems: Vec<String> = problems.into_iter().filter(|p| p != "ok").collect();
        if !problems.is_empty() {
            return Err(StoreError::Damaged {
                path: path.to_path_buf(),
                detail: problems.join("; "),
            });
        }
    }
    Ok(())
}

/// Maps SQLite's "corrupt" and "not a database" errors on `path` to
/// [`StoreError::Damaged`]; anything else stays as it is.
pub fn damaged_or(e: rusqlite::Error, path: &Path) -> StoreError {
    match &e {
        rusqlite::Error::SqliteFailure(f, _)
            if matches!(f.code, ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase) =>
        {
            StoreError::Damaged {
                path: path.to_path_buf(),
                detail: e.to_string(),
            }
        }
        _ => StoreError::Sqlite(e),
    }
}
