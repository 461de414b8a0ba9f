//! `varde history export`: positions, alerts or vessels of either store (through the `Store`
//! trait) to a file analysts open in pandas, GDAL/QGIS, DuckDB or a spreadsheet.
//!
//! Rows are streamed: positions are read one vessel at a time, [`PAGE`] points a page
//! (`Store::tracked_vessels`, `Store::track_page`), and written as they come, so a year of
//! history never sits in memory. Alerts and vessels are read whole: one row per alert or vessel,
//! a few orders of magnitude fewer than positions.
//!
//! Every table is described by its [`Column`]s; a row is a list of [`Cell`]s plus the point it is
//! at, and the two formats ([`csv`], [`geoparquet`]) write any table. Rows come out in a fixed
//! order (positions by MMSI then time, alerts by start then id, vessels by MMSI), so the same
//! history gives the same bytes from SQLite and from PostgreSQL.

pub mod csv;
pub mod geoparquet;

use super::{now_ms, parse_when, StoreArgs};
use anyhow::{bail, Context, Result};
use std::path::PathBuf;
use std::time::Instant;
use varde_store::{AlertFilter, AlertRecord, BBox, Store, VesselFilter, VesselRecord};

/// Track points read per page.
pub const PAGE: usize = 10_000;

/// Options of `varde history export`.
#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// The file format.
    #[arg(long, value_enum)]
    pub format: Format,
    /// The file to write (replaced if it exists).
    #[arg(long)]
    pub out: PathBuf,
    /// The store to read.
    #[command(flatten)]
    pub store: StoreArgs,
    /// What to export: track points, alerts (their current revision) or vessels (their latest
    /// state).
    #[arg(long, value_enum, default_value = "positions")]
    pub what: What,
    /// Only from this time on (RFC 3339, unix seconds, or an age: 7d, 12h): points at or after
    /// it, alerts still open at it or later, vessels seen since.
    #[arg(long, value_name = "WHEN")]
    pub since: Option<String>,
    /// Only up to this time (same forms): points at or before it, alerts started by it,
    /// vessels last seen by it.
    #[arg(long, value_name = "WHEN")]
    pub until: Option<String>,
    /// Only inside this box, `min_lon,min_lat,max_lon,max_lat` (degrees; a box across the
    /// antimeridian has min_lon > max_lon).
    #[arg(long, value_name = "MINLON,MINLAT,MAXLON,MAXLAT", value_parser = parse_bbox)]
    pub bbox: Option<BBox>,
    /// Only these vessels (repeat or separate with commas).
    #[arg(long, value_delimiter = ',')]
    pub mmsi: Vec<u32>,
    /// Most rows in one Parquet row group (bounds the writer's memory).
    #[arg(long, default_value_t = 65_536, value_parser = clap::value_parser!(u32).range(1..))]
    pub row_group: u32,
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Comma-separated, a header line, times RFC 3339 UTC.
    Csv,
    /// GeoParquet 1.0: Parquet with a WKB point `geometry` column (OGC:CRS84).
    Geoparquet,
}

/// What to export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum What {
    /// One row per track point.
    Positions,
    /// One row per alert, its current revision.
    Alerts,
    /// One row per vessel, its latest state.
    Vessels,
}

/// The kind of values a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Integers.
    Int,
    /// Floating point.
    Float,
    /// UTF-8 text.
    Text,
    /// True or false.
    Bool,
    /// A time, ms since the epoch (CSV: RFC 3339 UTC; Parquet: timestamp, ms, UTC).
    Time,
}

/// One column of a table.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    /// Its name in the header / schema.
    pub name: &'static str,
    /// Its values.
    pub kind: Kind,
    /// Never empty.
    pub required: bool,
}

const fn col(name: &'static str, kind: Kind, required: bool) -> Column {
    Column {
        name,
        kind,
        required,
    }
}

/// One value.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// No value.
    Null,
    /// An integer ([`Kind::Int`]).
    Int(i64),
    /// A float ([`Kind::Float`]).
    Float(f64),
    /// Text ([`Kind::Text`]).
    Text(String),
    /// A boolean ([`Kind::Bool`]).
    Bool(bool),
    /// A time, ms since the epoch ([`Kind::Time`]).
    Time(i64),
}

impl Cell {
    fn int<T: Into<i64>>(v: Option<T>) -> Self {
        v.map_or(Self::Null, |v| Self::Int(v.into()))
    }

    fn float(v: Option<f64>) -> Self {
        v.map_or(Self::Null, Self::Float)
    }

    fn text(v: Option<String>) -> Self {
        v.map_or(Self::Null, Self::Text)
    }

    fn time(v: Option<i64>) -> Self {
        v.map_or(Self::Null, Self::Time)
    }
}

/// A row: its cells, in column order, and the point it is at (`(lon, lat)`, `None` when it has
/// none on the globe: AIS's 91/181 "not available").
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// The cells.
    pub cells: Vec<Cell>,
    /// Longitude and latitude.
    pub point: Option<(f64, f64)>,
}

fn point(lat: Option<f64>, lon: Option<f64>) -> Option<(f64, f64)> {
    match (lat, lon) {
        (Some(lat), Some(lon))
            if (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon) =>
        {
            Some((lon, lat))
        }
        _ => None,
    }
}

/// Where rows go.
pub trait Sink {
    /// Writes one row.
    fn row(&mut self, row: Row) -> Result<()>;
    /// Writes what is buffered and the file's footer; returns the file's size in bytes.
    fn finish(self: Box<Self>) -> Result<u64>;
}

/// The columns of a track point.
pub const POSITION_COLUMNS: &[Column] = &[
    col("mmsi", Kind::Int, true),
    col("time", Kind::Time, true),
    col("lat", Kind::Float, true),
    col("lon", Kind::Float, true),
    col("sog_kn", Kind::Float, false),
    col("cog_deg", Kind::Float, false),
    col("heading_deg", Kind::Float, false),
    col("nav_status", Kind::Int, false),
    col("source", Kind::Text, false),
];

/// The columns of an alert.
pub const ALERT_COLUMNS: &[Column] = &[
    col("id", Kind::Text, true),
    col("kind", Kind::Text, true),
    col("mmsi", Kind::Int, true),
    col("start", Kind::Time, true),
    col("end", Kind::Time, false),
    col("open", Kind::Bool, true),
    col("severity", Kind::Text, false),
    col("zone", Kind::Text, false),
    col("asset", Kind::Text, false),
    col("lat", Kind::Float, true),
    col("lon", Kind::Float, true),
    col("revision", Kind::Int, true),
    col("json", Kind::Text, true),
];

/// The columns of a vessel.
pub const VESSEL_COLUMNS: &[Column] = &[
    col("mmsi", Kind::Int, true),
    col("name", Kind::Text, false),
    col("callsign", Kind::Text, false),
    col("imo", Kind::Int, false),
    col("ship_type", Kind::Int, false),
    col("flag", Kind::Text, false),
    col("length_m", Kind::Float, false),
    col("beam_m", Kind::Float, false),
    col("draught_m", Kind::Float, false),
    col("destination", Kind::Text, false),
    col("eta", Kind::Time, false),
    col("lat", Kind::Float, false),
    col("lon", Kind::Float, false),
    col("sog_kn", Kind::Float, false),
    col("cog_deg", Kind::Float, false),
    col("heading_deg", Kind::Float, false),
    col("nav_status", Kind::Int, false),
    col("last_seen", Kind::Time, true),
];

/// The filters of one export, parsed.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Earliest time, ms.
    pub from_ms: i64,
    /// Latest time, ms.
    pub to_ms: i64,
    /// Box.
    pub bbox: Option<BBox>,
    /// Vessels (empty: all), ascending, distinct.
    pub mmsi: Vec<u32>,
}

impl Filter {
    fn vessel_ok(&self, mmsi: u32) -> bool {
        self.mmsi.is_empty() || self.mmsi.binary_search(&mmsi).is_ok()
    }

    fn place_ok(&self, lat: f64, lon: f64) -> bool {
        self.bbox.is_none_or(|b| b.contains(lat, lon))
    }
}

/// Parses `min_lon,min_lat,max_lon,max_lat`.
fn parse_bbox(s: &str) -> Result<BBox, String> {
    let v: Vec<f64> = s
        .split(',')
        .map(|p| p.trim().parse::<f64>())
        .collect::<Result<_, _>>()
        .map_err(|e| format!("{s:?}: {e}; expected min_lon,min_lat,max_lon,max_lat"))?;
    let [min_lon, min_lat, max_lon, max_lat] = v[..] else {
        return Err(format!(
            "{s:?}: expected four numbers, min_lon,min_lat,max_lon,max_lat"
        ));
    };
    if !(-90.0..=90.0).contains(&min_lat)
        || !(-90.0..=90.0).contains(&max_lat)
        || min_lat > max_lat
        || !(-180.0..=180.0).contains(&min_lon)
        || !(-180.0..=180.0).contains(&max_lon)
    {
        return Err(format!(
            "{s:?}: latitudes in [-90, 90] with min <= max, longitudes in [-180, 180]"
        ));
    }
    Ok(BBox::new(min_lat, min_lon, max_lat, max_lon))
}

/// Runs `varde history export`.
pub fn run(args: &ExportArgs) -> Result<()> {
    let now = now_ms();
    let when = |t: &Option<String>, default: i64| -> Result<i64> {
        t.as_deref().map_or(Ok(default), |t| parse_when(t, now))
    };
    let mut mmsi = args.mmsi.clone();
    mmsi.sort_unstable();
    mmsi.dedup();
    let filter = Filter {
        from_ms: when(&args.since, i64::MIN).context("--since")?,
        to_ms: when(&args.until, i64::MAX).context("--until")?,
        bbox: args.bbox,
        mmsi,
    };
    if filter.from_ms > filter.to_ms {
        bail!("--since is after --until: nothing to export");
    }
    let store = args.store.open()?;
    let columns = match args.what {
        What::Positions => POSITION_COLUMNS,
        What::Alerts => ALERT_COLUMNS,
        What::Vessels => VESSEL_COLUMNS,
    };
    let started = Instant::now();
    let mut sink: Box<dyn Sink> = match args.format {
        Format::Csv => Box::new(csv::CsvSink::create(&args.out, columns)?),
        Format::Geoparquet => Box::new(geoparquet::GeoParquetSink::create(
            &args.out,
            columns,
            args.row_group as usize,
        )?),
    };
    let rows = export(store.as_ref(), args.what, &filter, sink.as_mut())?;
    let bytes = sink
        .finish()
        .with_context(|| format!("writing {}", args.out.display()))?;
    let secs = started.elapsed().as_secs_f64();
    println!(
        "exported {rows} {} to {} ({bytes} bytes, {:.1} bytes a row) in {secs:.2} s ({:.0} rows/s)",
        match args.what {
            What::Positions => "positions",
            What::Alerts => "alerts",
            What::Vessels => "vessels",
        },
        args.out.display(),
        bytes as f64 / rows.max(1) as f64,
        rows as f64 / secs.max(1e-9)
    );
    Ok(())
}

/// Reads the rows of `what` matching `filter` from `store` into `sink`; returns how many.
pub fn export(store: &dyn Store, what: What, filter: &Filter, sink: &mut dyn Sink) -> Result<u64> {
    match what {
        What::Positions => positions(store, filter, sink),
        What::Alerts => alerts(store, filter, sink),
        What::Vessels => vessels(store, filter, sink),
    }
}

fn positions(store: &dyn Store, f: &Filter, sink: &mut dyn Sink) -> Result<u64> {
    let vessels = if f.mmsi.is_empty() {
        store
            .tracked_vessels(f.from_ms, f.to_ms)
            .context("listing the vessels with a track")?
    } else {
        f.mmsi.clone()
    };
    let mut rows = 0;
    for mmsi in vessels {
        let mut next = f.from_ms;
        loop {
            let page = store
                .track_page(mmsi, next, f.to_ms, PAGE)
                .with_context(|| format!("reading the track of {mmsi}"))?;
            let Some(last) = page.last() else { break };
            let after = last.time_ms.checked_add(1);
            for p in page {
                if !f.place_ok(p.lat, p.lon) {
                    continue;
                }
                rows += 1;
                sink.row(Row {
                    point: point(Some(p.lat), Some(p.lon)),
                    cells: vec![
                        Cell::Int(p.mmsi.into()),
                        Cell::Time(p.time_ms),
                        Cell::Float(p.lat),
                        Cell::Float(p.lon),
                        Cell::float(p.sog_kn),
                        Cell::float(p.cog_deg),
                        Cell::float(p.heading_deg),
                        Cell::int(p.nav_status),
                        Cell::text(p.source),
                    ],
                })?;
            }
            match after {
                Some(t) => next = t,
                None => break,
            }
        }
    }
    Ok(rows)
}

fn alert_row(a: AlertRecord) -> Row {
    let severity = serde_json::from_str::<serde_json::Value>(&a.json)
        .ok()
        .and_then(|v| v.get("severity")?.as_str().map(str::to_owned));
    Row {
        point: point(Some(a.lat), Some(a.lon)),
        cells: vec![
            Cell::Text(a.id),
            Cell::Text(a.kind),
            Cell::Int(a.mmsi.into()),
            Cell::Time(a.start_ms),
            Cell::time(a.end_ms),
            Cell::Bool(a.open),
            Cell::text(severity),
            Cell::text(a.zone),
            Cell::text(a.asset),
            Cell::Float(a.lat),
            Cell::Float(a.lon),
            Cell::Int(a.revision.into()),
            Cell::Text(a.json),
        ],
    }
}

fn alerts(store: &dyn Store, f: &Filter, sink: &mut dyn Sink) -> Result<u64> {
    let filter = AlertFilter {
        mmsi: match f.mmsi[..] {
            [one] => Some(one),
            _ => None,
        },
        from_ms: (f.from_ms > i64::MIN).then_some(f.from_ms),
        to_ms: (f.to_ms < i64::MAX).then_some(f.to_ms),
        ..AlertFilter::default()
    };
    let mut all = store.alerts(&filter).context("reading alerts")?;
    all.retain(|a| f.vessel_ok(a.mmsi) && f.place_ok(a.lat, a.lon));
    all.sort_by(|a, b| (a.start_ms, &a.id).cmp(&(b.start_ms, &b.id)));
    let n = all.len() as u64;
    for a in all {
        sink.row(alert_row(a))?;
    }
    Ok(n)
}

fn vessel_row(v: VesselRecord) -> Row {
    Row {
        point: point(v.lat, v.lon),
        cells: vec![
            Cell::Int(v.mmsi.into()),
            Cell::text(v.name),
            Cell::text(v.callsign),
            Cell::int(v.imo),
            Cell::int(v.ship_type),
            Cell::text(v.flag),
            Cell::float(v.length_m),
            Cell::float(v.beam_m),
            Cell::float(v.draught_m),
            Cell::text(v.destination),
            Cell::time(v.eta_ms),
            Cell::float(v.lat),
            Cell::float(v.lon),
            Cell::float(v.sog_kn),
            Cell::float(v.cog_deg),
            Cell::float(v.heading_deg),
            Cell::int(v.nav_status),
            Cell::Time(v.last_seen_ms),
        ],
    }
}

fn vessels(store: &dyn Store, f: &Filter, sink: &mut dyn Sink) -> Result<u64> {
    let filter = VesselFilter {
        bbox: f.bbox,
        since_ms: (f.from_ms > i64::MIN).then_some(f.from_ms),
        limit: None,
    };
    let mut all = store.vessels(&filter).context("reading vessels")?;
    all.retain(|v| f.vessel_ok(v.mmsi) && v.last_seen_ms <= f.to_ms);
    all.sort_by_key(|v| v.mmsi);
    let n = all.len() as u64;
    for v in all {
        sink.row(vessel_row(v))?;
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::parse_bbox;

    #[test]
    fn boxes() {
        let b = parse_bbox("4,58,8.5,62").unwrap();
        assert_eq!(
            (b.min_lon, b.min_lat, b.max_lon, b.max_lat),
            (4.0, 58.0, 8.5, 62.0)
        );
        assert!(parse_bbox("170,-10,-170,10").is_ok());
        assert!(parse_bbox("4,58,8").is_err());
        assert!(parse_bbox("4,62,8,58").is_err());
        assert!(parse_bbox("4,58,8,95").is_err());
        assert!(parse_bbox("a,b,c,d").is_err());
    }
}
