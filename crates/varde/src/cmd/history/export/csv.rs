//! CSV: a header line of the column names, then one line per row (RFC 4180 quoting, by the `csv`
//! crate). Times RFC 3339 UTC with milliseconds, numbers in Rust's shortest round-trip form (the
//! stored `f64` exactly), empty for no value.

use super::{Cell, Column, Row, Sink};
use anyhow::{Context, Result};
use std::fs::File;
use std::io::BufWriter;
use std::path::Path;

/// Writes CSV to a file.
pub struct CsvSink {
    out: csv::Writer<BufWriter<File>>,
    fields: Vec<String>,
}

impl CsvSink {
    /// Creates `path` and writes the header of `columns`.
    pub fn create(path: &Path, columns: &[Column]) -> Result<Self> {
        let file =
            File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
        let mut out = csv::Writer::from_writer(BufWriter::with_capacity(1 << 16, file));
        out.write_record(columns.iter().map(|c| c.name))?;
        Ok(Self {
            out,
            fields: vec![String::new(); columns.len()],
        })
    }
}

/// A cell's text.
fn write_cell(cell: &Cell, out: &mut String) {
    use std::fmt::Write;
    out.clear();
    // Writing to a String cannot fail.
    let _ = match cell {
        Cell::Null => Ok(()),
        Cell::Int(v) => write!(out, "{v}"),
        Cell::Float(v) => write!(out, "{v}"),
        Cell::Text(v) => write!(out, "{v}"),
        Cell::Bool(v) => write!(out, "{v}"),
        Cell::Time(v) => write!(out, "{}", varde_ais::time::rfc3339_ms(*v)),
    };
}

impl Sink for CsvSink {
    fn row(&mut self, row: Row) -> Result<()> {
        for (cell, field) in row.cells.iter().zip(self.fields.iter_mut()) {
            write_cell(cell, field);
        }
        self.out.write_record(&self.fields)?;
        Ok(())
    }

    fn finish(self: Box<Self>) -> Result<u64> {
        let file = self
            .out
            .into_inner()
            .map_err(|e| e.into_error())?
            .into_inner()
            .map_err(|e| e.into_error())?;
        file.sync_all()?;
        Ok(file.metadata()?.len())
    }
}
