//! PostgreSQL errors as the store's [`StoreError::Backend`].

use varde_store::StoreError;

/// `e` as [`StoreError::Backend`]: transient when the connection was lost, the server is
/// shutting down or short of resources (disk full), or the transaction lost a serialisation or
/// deadlock race (SQLSTATE classes 08, 40, 53, 57P).
pub fn backend(e: postgres::Error) -> StoreError {
    let code = e.code().map(|c| c.code().to_owned());
    let transient = e.is_closed()
        || code.as_deref().is_some_and(|c| {
            c.starts_with("08")
                || c.starts_with("40")
                || c.starts_with("53")
                || c.starts_with("57P")
        });
    let detail = match e.as_db_error() {
        Some(db) => format!("{} (SQLSTATE {})", db.message(), db.code().code()),
        None => e.to_string(),
    };
    StoreError::Backend {
        backend: "postgresql",
        detail,
        transient,
    }
}

/// A value that does not fit its column (the store's `i64`/`i32` columns hold Varde's unsigned
/// counters and ids).
pub fn out_of_range(field: &'static str, value: u64) -> StoreError {
    StoreError::OutOfRange { field, value }
}

/// A stored value that cannot be turned back into its record type.
pub fn corrupt(field: &'static str, value: i64) -> StoreError {
    StoreError::Corrupt { field, value }
}
