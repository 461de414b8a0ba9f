//! The crate's error type.

use std::path::PathBuf;

/// Everything that can go wrong while loading layers. Queries never fail: bad positions (NaN, out of
/// range) simply match nothing.
#[derive(Debug, thiserror::Error)]
pub enum GeoError {
    /// A layer file could not be read from disk.
    #[error("cannot read layer file {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The operating-system error.
        source: std::io::Error,
    },
    /// The text is not valid JSON / GeoJSON.
    #[error("layer {layer}: invalid GeoJSON: {source}")]
    Json {
        /// Layer name (file path or built-in name).
        layer: String,
        /// The parser's error, with line and column.
        source: serde_json::Error,
    },
    /// One feature (or CSV row) is unusable: bad geometry type, coordinates out of range, missing field.
    #[error("layer {layer}: feature {index}: {reason}")]
    Feature {
        /// Layer name (file path or built-in name).
        layer: String,
        /// Zero-based feature index (for CSV: zero-based data row).
        index: usize,
        /// What is wrong.
        reason: String,
    },
    /// The layer holds no feature of the geometry type it needs (polygons for zones and land, points
    /// for ports, any geometry for infrastructure).
    #[error("layer {layer}: no usable {expected} features")]
    EmptyLayer {
        /// Layer name.
        layer: String,
        /// The geometry it needed.
        expected: &'static str,
    },
    /// A configuration value is out of range.
    #[error("invalid geography configuration: {0}")]
    Config(String),
    /// Several errors from one configuration, all reported at once.
    #[error("{} geography configuration errors: {}", .0.len(), join(.0))]
    Multiple(Vec<GeoError>),
}

fn join(errors: &[GeoError]) -> String {
    errors
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

impl GeoError {
    pub(crate) fn from_read(layer: &str, e: crate::geojson_read::ReadError) -> Self {
        match e {
            crate::geojson_read::ReadError::Json(source) => GeoError::Json {
                layer: layer.to_string(),
                source,
            },
            crate::geojson_read::ReadError::Shape { index, reason } => GeoError::Feature {
                layer: layer.to_string(),
                index,
                reason,
            },
        }
    }
}

/// Reads a whole layer file.
pub(crate) fn read_file(path: &std::path::Path) -> Result<Vec<u8>, GeoError> {
    std::fs::read(path).map_err(|source| GeoError::Io {
        path: path.to_path_buf(),
        source,
    })
}
