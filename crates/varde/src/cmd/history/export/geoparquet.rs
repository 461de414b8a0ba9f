//! GeoParquet 1.0 (<https://geoparquet.org/releases/v1.0.0/>): a Parquet file whose `geometry`
//! column holds each row's point as WKB (little-endian, 21 bytes; null when the row has no point
//! on the globe), with the `geo` key of the file metadata:
//! `{"version":"1.0.0","primary_column":"geometry","columns":{"geometry":{"encoding":"WKB",
//! "geometry_types":["Point"],"bbox":[minx,miny,maxx,maxy]}}}` (no `crs`: OGC:CRS84, longitude
//! then latitude on WGS 84).
//!
//! Written with the `parquet` crate's low-level column writers (no Arrow: the `arrow` feature
//! would add the Arrow crates' compile time for nothing a flat table needs), Snappy-compressed
//! (pure Rust, and every Parquet reader has it). Rows are buffered per column up to the row-group
//! size, then written as one row group: memory is bounded by the row group, not the file.

use super::{Cell, Column, Kind, Row, Sink};
use anyhow::{bail, Context, Result};
use parquet::basic::{Compression, LogicalType, Repetition, TimeUnit, Type as Physical};
use parquet::data_type::{BoolType, ByteArray, ByteArrayType, DoubleType, Int64Type};
use parquet::file::metadata::KeyValue;
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::types::Type;
use std::fs::File;
use std::io::BufWriter;
use std::path::Path;
use std::sync::Arc;

/// The values of one column in the current row group.
enum Values {
    Int(Vec<i64>),
    Float(Vec<f64>),
    Text(Vec<ByteArray>),
    Bool(Vec<bool>),
}

/// One column's buffer: the non-null values and, for an optional column, a definition level per
/// row (1 present, 0 null).
struct Buffer {
    values: Values,
    defs: Option<Vec<i16>>,
}

impl Buffer {
    fn new(kind: Kind, required: bool) -> Self {
        Self {
            values: match kind {
                Kind::Int | Kind::Time => Values::Int(Vec::new()),
                Kind::Float => Values::Float(Vec::new()),
                Kind::Text => Values::Text(Vec::new()),
                Kind::Bool => Values::Bool(Vec::new()),
            },
            defs: (!required).then(Vec::new),
        }
    }

    fn push(&mut self, cell: Cell, name: &str) -> Result<()> {
        let present = cell != Cell::Null;
        match (&mut self.values, cell) {
            (_, Cell::Null) => {}
            (Values::Int(v), Cell::Int(x) | Cell::Time(x)) => v.push(x),
            (Values::Float(v), Cell::Float(x)) => v.push(x),
            (Values::Text(v), Cell::Text(x)) => v.push(ByteArray::from(x.into_bytes())),
            (Values::Bool(v), Cell::Bool(x)) => v.push(x),
            (_, other) => bail!("column {name}: a value of the wrong kind ({other:?})"),
        }
        match &mut self.defs {
            Some(d) => d.push(i16::from(present)),
            None if !present => bail!("column {name}: no value in a required column"),
            None => {}
        }
        Ok(())
    }

    /// Pushes a binary value (a `Text` column holds bytes in Parquet).
    fn push_bytes(&mut self, bytes: Vec<u8>) {
        if let Values::Text(v) = &mut self.values {
            v.push(ByteArray::from(bytes));
        }
        if let Some(d) = &mut self.defs {
            d.push(1);
        }
    }

    fn clear(&mut self) {
        match &mut self.values {
            Values::Int(v) => v.clear(),
            Values::Float(v) => v.clear(),
            Values::Text(v) => v.clear(),
            Values::Bool(v) => v.clear(),
        }
        if let Some(d) = &mut self.defs {
            d.clear();
        }
    }
}

/// The Parquet field of a column.
fn field(name: &str, kind: Kind, required: bool) -> Result<Arc<Type>> {
    let (physical, logical) = match kind {
        Kind::Int => (Physical::INT64, None),
        Kind::Time => (
            Physical::INT64,
            Some(LogicalType::timestamp(true, TimeUnit::MILLIS)),
        ),
        Kind::Float => (Physical::DOUBLE, None),
        Kind::Text => (Physical::BYTE_ARRAY, Some(LogicalType::String)),
        Kind::Bool => (Physical::BOOLEAN, None),
    };
    let repetition = if required {
        Repetition::REQUIRED
    } else {
        Repetition::OPTIONAL
    };
    Ok(Arc::new(
        Type::primitive_type_builder(name, physical)
            .with_repetition(repetition)
            .with_logical_type(logical)
            .build()?,
    ))
}

/// A point as WKB: byte order 1 (little-endian), geometry type 1 (Point), x = longitude,
/// y = latitude.
pub fn wkb_point(lon: f64, lat: f64) -> [u8; 21] {
    let mut b = [0u8; 21];
    b[0] = 1;
    b[1..5].copy_from_slice(&1u32.to_le_bytes());
    b[5..13].copy_from_slice(&lon.to_le_bytes());
    b[13..21].copy_from_slice(&lat.to_le_bytes());
    b
}

/// Writes GeoParquet to a file.
pub struct GeoParquetSink {
    writer: SerializedFileWriter<BufWriter<File>>,
    columns: Vec<Column>,
    buffers: Vec<Buffer>,
    geometry: Buffer,
    rows: usize,
    row_group: usize,
    /// min lon, min lat, max lon, max lat of every point written.
    bbox: Option<[f64; 4]>,
}

impl GeoParquetSink {
    /// Creates `path` for a table of `columns` plus `geometry`, `row_group` rows a row group.
    pub fn create(path: &Path, columns: &[Column], row_group: usize) -> Result<Self> {
        let mut fields: Vec<Arc<Type>> = columns
            .iter()
            .map(|c| field(c.name, c.kind, c.required))
            .collect::<Result<_>>()?;
        fields.push(Arc::new(
            Type::primitive_type_builder("geometry", Physical::BYTE_ARRAY)
                .with_repetition(Repetition::OPTIONAL)
                .build()?,
        ));
        let schema = Type::group_type_builder("varde")
            .with_fields(fields)
            .build()?;
        let props = WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .set_max_row_group_row_count(Some(row_group.max(1)))
            .set_created_by(format!("varde {}", env!("CARGO_PKG_VERSION")))
            .build();
        let file =
            File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
        let writer = SerializedFileWriter::new(
            BufWriter::with_capacity(1 << 16, file),
            Arc::new(schema),
            Arc::new(props),
        )?;
        Ok(Self {
            writer,
            columns: columns.to_vec(),
            buffers: columns
                .iter()
                .map(|c| Buffer::new(c.kind, c.required))
                .collect(),
            geometry: Buffer::new(Kind::Text, false),
            rows: 0,
            row_group: row_group.max(1),
            bbox: None,
        })
    }

    /// Writes the buffered rows as one row group.
    fn flush(&mut self) -> Result<()> {
        if self.rows == 0 {
            return Ok(());
        }
        let mut group = self.writer.next_row_group()?;
        for buffer in self.buffers.iter().chain(std::iter::once(&self.geometry)) {
            let Some(mut column) = group.next_column()? else {
                bail!("the Parquet schema has fewer columns than the table");
            };
            let defs = buffer.defs.as_deref();
            match &buffer.values {
                Values::Int(v) => column.typed::<Int64Type>().write_batch(v, defs, None)?,
                Values::Float(v) => column.typed::<DoubleType>().write_batch(v, defs, None)?,
                Values::Text(v) => column.typed::<ByteArrayType>().write_batch(v, defs, None)?,
                Values::Bool(v) => column.typed::<BoolType>().write_batch(v, defs, None)?,
            };
            column.close()?;
        }
        group.close()?;
        for b in self.buffers.iter_mut() {
            b.clear();
        }
        self.geometry.clear();
        self.rows = 0;
        Ok(())
    }

    /// The `geo` metadata.
    fn geo(&self) -> String {
        let mut column = serde_json::json!({
            "encoding": "WKB",
            "geometry_types": ["Point"],
        });
        if let Some(b) = self.bbox {
            column["bbox"] = serde_json::json!(b);
        }
        serde_json::json!({
            "version": "1.0.0",
            "primary_column": "geometry",
            "columns": { "geometry": column },
        })
        .to_string()
    }
}

impl Sink for GeoParquetSink {
    fn row(&mut self, row: Row) -> Result<()> {
        if row.cells.len() != self.columns.len() {
            bail!(
                "a row of {} cells for {} columns",
                row.cells.len(),
                self.columns.len()
            );
        }
        for ((cell, buffer), column) in row
            .cells
            .into_iter()
            .zip(self.buffers.iter_mut())
            .zip(&self.columns)
        {
            buffer.push(cell, column.name)?;
        }
        match row.point {
            Some((lon, lat)) => {
                let b = self.bbox.get_or_insert([lon, lat, lon, lat]);
                *b = [b[0].min(lon), b[1].min(lat), b[2].max(lon), b[3].max(lat)];
                self.geometry.push_bytes(wkb_point(lon, lat).to_vec());
            }
            None => self.geometry.push(Cell::Null, "geometry")?,
        }
        self.rows += 1;
        if self.rows >= self.row_group {
            self.flush()?;
        }
        Ok(())
    }

    fn finish(mut self: Box<Self>) -> Result<u64> {
        self.flush()?;
        let geo = self.geo();
        self.writer
            .append_key_value_metadata(KeyValue::new("geo".to_owned(), geo));
        let out = self.writer.into_inner()?;
        let file = out.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        Ok(file.metadata()?.len())
    }
}

#[cfg(test)]
mod tests {
    use super::wkb_point;

    #[test]
    fn wkb_of_a_point() {
        let b = wkb_point(5.25, 60.5);
        assert_eq!(b[0], 1);
        assert_eq!(u32::from_le_bytes(b[1..5].try_into().unwrap()), 1);
        assert_eq!(f64::from_le_bytes(b[5..13].try_into().unwrap()), 5.25);
        assert_eq!(f64::from_le_bytes(b[13..21].try_into().unwrap()), 60.5);
    }
}
