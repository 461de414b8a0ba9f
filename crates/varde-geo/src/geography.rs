//! [`Geography`]: the layer set (built-in Norway or user files) and how it is assembled.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use crate::asset_kind::AssetKind;
use crate::builtin::{
    DEMO_INFRASTRUCTURE_GEOJSON, LAND_GEOJSON, PORTS_CSV, WORLD_PORTS_CSV, ZONES_GEOJSON,
};
use crate::coverage::{CoverageConfig, CoverageModel};
use crate::error::{read_file, GeoError};
use crate::infra::InfraLayer;
use crate::land::LandLayer;
use crate::layer_spec::LayerSpec;
use crate::ports::PortLayer;
use crate::zones::{ZoneKind, ZoneLayer};

/// Name of the built-in schematic infrastructure layer (the [`crate::Asset::layer`] of its assets).
pub const DEMO_INFRASTRUCTURE_LAYER: &str = "demo_infrastructure_schematic";

/// Zones, land, ports and infrastructure, with spatial indexes, ready for point queries.
///
/// Cheap to clone (layers are shared behind `Arc`) and `Send + Sync`, so one instance can serve every
/// thread. Query methods live in `query.rs`.
#[derive(Debug, Clone)]
pub struct Geography {
    pub(crate) zones: Arc<ZoneLayer>,
    pub(crate) land: Option<Arc<LandLayer>>,
    pub(crate) ports: Option<Arc<PortLayer>>,
    pub(crate) infra: Arc<InfraLayer>,
    /// Terrestrial/satellite reception model (grid built on first query).
    pub(crate) coverage: Arc<CoverageModel>,
}

/// Which layers to load: the `[geo]` section of Varde's configuration. Every path is optional; the
/// built-in Norway layer of the same kind is used where a path is absent.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct GeoConfig {
    /// GeoJSON of zone polygons that replaces the built-in zones (for example Kartverket's official
    /// "Norges maritime grenser" converted to GeoJSON). Kinds come from `kind`/`zone_type`/`objtype`.
    pub zones: Option<PathBuf>,
    /// Extra zone files added on top (watch boxes, exercise areas); kind `user` unless a property says
    /// otherwise.
    pub extra_zones: Vec<PathBuf>,
    /// GeoJSON of non-overlapping land polygons that replaces the built-in land.
    pub land: Option<PathBuf>,
    /// Ports file that replaces the built-in ports: `.csv` (`name,country,lat,lon,radius_m`) or GeoJSON
    /// points (World Port Index layout understood).
    pub ports: Option<PathBuf>,
    /// Infrastructure GeoJSON files to add (pipelines, cables, platforms, fields): each a path, a
    /// `"FILE:KIND"` string or a table `{ path = "…", kind = "power_cable" }`, where the kind (an
    /// [`AssetKind`] name) overrides what the features' properties say. See [`LayerSpec`].
    pub infrastructure: Vec<LayerSpec>,
    /// Keep the built-in schematic demo infrastructure (a handful of well-known assets, not for
    /// operations). Default: true.
    pub demo_infrastructure: bool,
    /// Where terrestrial AIS coverage ends and only satellites hear (`[geo.coverage]`).
    pub coverage: CoverageConfig,
}

impl Default for GeoConfig {
    fn default() -> Self {
        GeoConfig {
            zones: None,
            extra_zones: Vec::new(),
            land: None,
            ports: None,
            infrastructure: Vec::new(),
            demo_infrastructure: true,
            coverage: CoverageConfig::default(),
        }
    }
}

struct Builtin {
    zones: Arc<ZoneLayer>,
    land: Arc<LandLayer>,
    ports: Arc<PortLayer>,
    infra: Arc<InfraLayer>,
    coverage: Arc<CoverageModel>,
}

fn builtin() -> &'static Builtin {
    static BUILTIN: OnceLock<Builtin> = OnceLock::new();
    BUILTIN.get_or_init(|| {
        let fail =
            |e: GeoError| -> ! { panic!("embedded Norway layer is broken (a build defect): {e}") };
        let mut infra = InfraLayer::default();
        infra
            .add_geojson(DEMO_INFRASTRUCTURE_LAYER, DEMO_INFRASTRUCTURE_GEOJSON, None)
            .unwrap_or_else(|e| fail(e));
        Builtin {
            zones: Arc::new(
                ZoneLayer::from_geojson("norway_zones", ZONES_GEOJSON, ZoneKind::User)
                    .unwrap_or_else(|e| fail(e)),
            ),
            land: Arc::new(
                LandLayer::from_geojson("norway_land", LAND_GEOJSON).unwrap_or_else(|e| fail(e)),
            ),
            ports: Arc::new(
                PortLayer::from_csv("ports_norway", PORTS_CSV)
                    .and_then(|no| no.join(PortLayer::from_csv("ports_world", WORLD_PORTS_CSV)?))
                    .unwrap_or_else(|e| fail(e)),
            ),
            infra: Arc::new(infra),
            coverage: Arc::new(CoverageModel::builtin()),
        }
    })
}

impl Geography {
    /// The built-in Norway layer set, embedded in the binary: approximate zones (internal waters,
    /// territorial sea, contiguous zone, EEZ, Svalbard FPZ, Jan Mayen zone), OSM land, major ports (Norway's
    /// by hand, the rest of the world's from `data/geo/ports_world.csv`, so a foreign port or its
    /// anchorage is known as one) and the schematic demo infrastructure. Parsed once per process (about 0.1–0.3 s in release builds);
    /// later calls share it.
    ///
    /// # Panics
    /// Only if the embedded data is corrupt, which the crate's tests rule out for every build.
    pub fn norway() -> Geography {
        let b = builtin();
        Geography {
            zones: b.zones.clone(),
            land: Some(b.land.clone()),
            ports: Some(b.ports.clone()),
            infra: b.infra.clone(),
            coverage: b.coverage.clone(),
        }
    }

    /// An empty geography (no zones, land, ports or assets), to fill from files.
    pub fn empty() -> Geography {
        Geography {
            zones: Arc::new(ZoneLayer::empty()),
            land: None,
            ports: None,
            infra: Arc::default(),
            coverage: Arc::new(CoverageModel::builtin()),
        }
    }

    /// The built-in set with the layers named in `config` replaced or added, and its coverage model. Every failing file is
    /// reported, in one [`GeoError::Multiple`] when there are several.
    pub fn from_config(config: &GeoConfig) -> Result<Geography, GeoError> {
        let mut g = Geography::norway();
        if !config.demo_infrastructure {
            g.infra = Arc::default();
        }
        let mut errors = Vec::new();
        let mut step = |r: Result<(), GeoError>| errors.extend(r.err());
        if let Some(p) = &config.zones {
            step(g.replace_zones(p));
        }
        for p in &config.extra_zones {
            step(g.add_zones(p).map(drop));
        }
        if let Some(p) = &config.land {
            step(g.replace_land(p));
        }
        if let Some(p) = &config.ports {
            step(g.replace_ports(p));
        }
        for spec in &config.infrastructure {
            step(g.add_infrastructure(spec).map(drop));
        }
        if config.coverage != CoverageConfig::default() {
            step(g.set_coverage(&config.coverage));
        }
        match errors.len() {
            0 => Ok(g),
            1 => Err(errors.remove(0)),
            _ => Err(GeoError::Multiple(errors)),
        }
    }

    /// Replaces all zones by the Polygon/MultiPolygon features of a GeoJSON file.
    pub fn replace_zones(&mut self, path: impl AsRef<Path>) -> Result<(), GeoError> {
        self.zones = Arc::new(load_zones(path.as_ref())?);
        Ok(())
    }

    /// Adds the zones of a GeoJSON file to the current ones; returns how many were added.
    pub fn add_zones(&mut self, path: impl AsRef<Path>) -> Result<usize, GeoError> {
        let layer = load_zones(path.as_ref())?;
        let n = layer.zones.len();
        Arc::make_mut(&mut self.zones).extend(layer);
        Ok(n)
    }

    /// Replaces the land by the (non-overlapping) polygons of a GeoJSON file.
    pub fn replace_land(&mut self, path: impl AsRef<Path>) -> Result<(), GeoError> {
        let path = path.as_ref();
        self.land = Some(Arc::new(LandLayer::from_geojson(
            &path.display().to_string(),
            &read_file(path)?,
        )?));
        if self.coverage.uses_land() {
            self.coverage = Arc::new(self.coverage.rebuilt());
        }
        Ok(())
    }

    /// Replaces the ports by a `.csv` or GeoJSON file (see [`GeoConfig::ports`]).
    pub fn replace_ports(&mut self, path: impl AsRef<Path>) -> Result<(), GeoError> {
        let path = path.as_ref();
        let (name, bytes) = (path.display().to_string(), read_file(path)?);
        let layer = if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("csv"))
        {
            PortLayer::from_csv(&name, &String::from_utf8_lossy(&bytes))?
        } else {
            PortLayer::from_geojson(&name, &bytes)?
        };
        self.ports = Some(Arc::new(layer));
        Ok(())
    }

    /// Adds the features of an infrastructure GeoJSON file (Point, LineString, MultiLineString,
    /// Polygon, MultiPolygon); returns how many assets were added. Each feature's `buffer_m` property
    /// (metres) overrides the default buffer of one nautical mile.
    /// Kinds come from the features' properties and the file name (rules: [`crate::KindRule`]).
    pub fn add_infrastructure_layer(&mut self, path: impl AsRef<Path>) -> Result<usize, GeoError> {
        self.add_infrastructure_with_kind(path.as_ref(), None)
    }

    /// Adds an infrastructure layer as [`Geography::add_infrastructure_layer`] does, with the spec's
    /// kind (if any) overriding every feature's; returns how many assets were added.
    pub fn add_infrastructure(&mut self, spec: &LayerSpec) -> Result<usize, GeoError> {
        self.add_infrastructure_with_kind(&spec.path, spec.kind)
    }

    fn add_infrastructure_with_kind(
        &mut self,
        path: &Path,
        kind: Option<AssetKind>,
    ) -> Result<usize, GeoError> {
        let bytes = read_file(path)?;
        Arc::make_mut(&mut self.infra).add_geojson(&path.display().to_string(), &bytes, kind)
    }

    /// Replaces the coverage model by the one `config` describes (reading its polygon files).
    pub fn set_coverage(&mut self, config: &CoverageConfig) -> Result<(), GeoError> {
        self.coverage = Arc::new(CoverageModel::from_config(config)?);
        Ok(())
    }

    /// Removes every infrastructure asset (including the built-in schematic demo layer).
    pub fn clear_infrastructure(&mut self) {
        self.infra = Arc::default();
    }
}

fn load_zones(path: &Path) -> Result<ZoneLayer, GeoError> {
    ZoneLayer::from_geojson(
        &path.display().to_string(),
        &read_file(path)?,
        ZoneKind::User,
    )
}
