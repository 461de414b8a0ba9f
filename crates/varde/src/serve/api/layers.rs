//! `/api/layers`: the map's layers as GeoJSON, prepared once at start.

use super::error::AppError;
use super::extract::Path;
use super::AppState;
use crate::serve::share::{self, Caller};
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Extension;
use axum::Json;
use serde_json::{json, Value};
use std::path::PathBuf;
use varde_geo::{GeoConfig, LayerSpec};

/// One layer: its description and its GeoJSON body.
struct Layer {
    id: &'static str,
    name: &'static str,
    body: Vec<u8>,
}

/// Zones, land (Norway's detailed land, and the whole region's coarse land drawn under it) and
/// infrastructure as served to the map.
pub struct Layers {
    layers: Vec<Layer>,
}

impl Layers {
    /// Reads the configured layer files, falling back to the built-in ones;
    /// `extra_infrastructure` are added (e.g. `--layer`).
    pub fn load(cfg: &GeoConfig, extra_infrastructure: &[LayerSpec]) -> anyhow::Result<Self> {
        let zones = read_or(cfg.zones.as_ref(), varde_geo::builtin::ZONES_GEOJSON)?;
        let land = read_or(cfg.land.as_ref(), varde_geo::builtin::LAND_GEOJSON)?;
        let mut infra = Vec::new();
        if cfg.demo_infrastructure {
            infra.push(varde_geo::builtin::DEMO_INFRASTRUCTURE_GEOJSON.to_vec());
        }
        for p in cfg.infrastructure.iter().chain(extra_infrastructure) {
            let bytes = std::fs::read(p).map_err(|e| layer_error(p.as_ref(), &e))?;
            serde_json::from_slice::<Value>(&bytes)
                .map_err(|e| anyhow::anyhow!("layer {}: not GeoJSON: {e}", p.display()))?;
            infra.push(bytes);
        }
        Ok(Self {
            layers: vec![
                Layer {
                    id: "region_land",
                    name: "Neighbouring land (coarse, display only)",
                    body: varde_geo::builtin::REGION_LAND_GEOJSON.to_vec(),
                },
                Layer {
                    id: "zones",
                    name: "Norway's maritime zones",
                    body: zones,
                },
                Layer {
                    id: "land",
                    name: "Land",
                    body: land,
                },
                Layer {
                    id: "infrastructure",
                    name: "Critical infrastructure",
                    body: merge(&infra)?,
                },
            ],
        })
    }
}

impl Layers {
    /// The GeoJSON body of layer `id` (`region_land`, `zones`, `land`, `infrastructure`), unlabelled.
    pub fn body(&self, id: &str) -> Option<&[u8]> {
        self.layers
            .iter()
            .find(|l| l.id == id)
            .map(|l| l.body.as_slice())
    }
}

fn read_or(path: Option<&PathBuf>, builtin: &[u8]) -> anyhow::Result<Vec<u8>> {
    match path {
        Some(p) => std::fs::read(p).map_err(|e| anyhow::anyhow!("layer {}: {e}", p.display())),
        None => Ok(builtin.to_vec()),
    }
}

/// Merges FeatureCollections into one.
/// Why a layer file cannot be read, naming it; `FILE:KIND` with a kind that is none of the known
/// ones (so the whole text was taken as the file name) says so.
fn layer_error(path: &std::path::Path, e: &std::io::Error) -> anyhow::Error {
    let text = path.display().to_string();
    if e.kind() == std::io::ErrorKind::NotFound {
        if let Some((file, kind)) = text.rsplit_once(':') {
            if std::path::Path::new(file).is_file() {
                let known: Vec<&str> = varde_geo::AssetKind::ALL
                    .iter()
                    .map(|k| k.as_str())
                    .collect();
                return anyhow::anyhow!(
                    "layer {text}: {kind:?} is not a kind of asset (known: {}), and there is no file {text}",
                    known.join(", ")
                );
            }
        }
    }
    anyhow::anyhow!("layer {text}: {e}")
}

fn merge(files: &[Vec<u8>]) -> anyhow::Result<Vec<u8>> {
    let mut features = Vec::new();
    for f in files {
        let v: Value = serde_json::from_slice(f)?;
        if let Some(Value::Array(fs)) = v.get("features") {
            features.extend(fs.iter().cloned());
        }
    }
    Ok(serde_json::to_vec(
        &json!({ "type": "FeatureCollection", "features": features }),
    )?)
}

/// The list of layers.
pub async fn list(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
) -> Json<Value> {
    Json(Value::Array(
        state
            .layers
            .layers
            .iter()
            .filter_map(|l| {
                let label = share::api::layer_label(&state.share, &caller, l.id)?;
                Some(json!({ "id": l.id, "name": l.name, "kind": l.id, "label": label }))
            })
            .collect(),
    ))
}

/// One layer's GeoJSON.
pub async fn one(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let (layer, label) = state
        .layers
        .layers
        .iter()
        .find(|l| l.id == id)
        .and_then(|l| Some((l, share::api::layer_label(&state.share, &caller, l.id)?)))
        .ok_or_else(|| AppError::NotFound(format!("no layer {id}")))?;
    Ok((
        [(header::CONTENT_TYPE, "application/geo+json")],
        share::api::labelled_layer(&layer.body, &label),
    )
        .into_response())
}
