//! Source names, stored once in `source_names` and referred to by id.

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension};

use crate::error::Result;

/// Name → id within one write transaction (ids of names added by a transaction that is rolled
/// back must not outlive it, so nothing is cached across transactions).
#[derive(Default)]
pub struct SourceIds {
    ids: HashMap<String, i64>,
    /// The last name asked for and its id: lines come in runs of one source.
    last: Option<(String, i64)>,
}

impl SourceIds {
    /// The id of `name`, added to `source_names` if new.
    pub fn id(&mut self, conn: &Connection, name: &str) -> Result<i64> {
        if let Some((last, id)) = &self.last {
            if last == name {
                return Ok(*id);
            }
        }
        let id = self.lookup(conn, name)?;
        self.last = Some((name.to_owned(), id));
        Ok(id)
    }

    fn lookup(&mut self, conn: &Connection, name: &str) -> Result<i64> {
        if let Some(&id) = self.ids.get(name) {
            return Ok(id);
        }
        let found: Option<i64> = conn
            .prepare_cached("SELECT id FROM source_names WHERE name = ?1")?
            .query_row([name], |r| r.get(0))
            .optional()?;
        let id = match found {
            Some(id) => id,
            None => {
                conn.prepare_cached("INSERT INTO source_names (name) VALUES (?1)")?
                    .execute([name])?;
                conn.last_insert_rowid()
            }
        };
        self.ids.insert(name.to_owned(), id);
        Ok(id)
    }
}

/// Every source name by id, for a read.
pub fn all(conn: &Connection) -> Result<HashMap<i64, String>> {
    let mut stmt = conn.prepare_cached("SELECT id, name FROM source_names")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
