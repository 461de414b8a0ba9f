//! Varde's watch engine: decoded AIS reports in, alerts out, driven only by event time.
//!
//! Pure and deterministic: no I/O, no wall clock, no randomness, no seeded hashing. The same reports in
//! the same order give byte-identical alerts ([`Engine::alerts_jsonl`]).
//!
//! # Example
//!
//! ```
//! use varde_watch::geo::testing::TestGeo;
//! use varde_watch::{AlertEvent, Config, Engine, PositionFix, RawLines, Report, ReportKind, StationClass};
//!
//! let ts = [(60.0, 4.0), (60.0, 5.0), (61.0, 5.0), (61.0, 4.0)];
//! let geo = TestGeo::new().with_zone("no-ts", "Norway's territorial sea", "territorial_sea", "mainland", &ts);
//! let mut cfg = Config::default();
//! cfg.watchlist.mmsi.insert(273_123_000);
//! let mut engine = Engine::new(cfg, geo).expect("valid configuration");
//!
//! let fix = PositionFix {
//!     lat: 60.5,
//!     lon: 4.5,
//!     sog_kn: Some(9.0),
//!     cog_deg: Some(90.0),
//!     heading_deg: None,
//!     nav_status: Some(0),
//!     class: StationClass::ClassA,
//! };
//! let raw = RawLines::new("!AIVDM,1,1,,A,13u?etPv2;0n:dDPwUM1U1Cb069D,0*24");
//! let report = Report { time_ms: 1_735_120_800_000, mmsi: 273_123_000, source: None, kind: ReportKind::Position(fix), raw };
//! let events = engine.process(&report);
//! // A watch-listed vessel is also "of interest", so its first fix inside the territorial sea opens two alerts.
//! let kinds: Vec<&str> = events.iter().map(|e| e.alert().kind.as_str()).collect();
//! assert_eq!(kinds, ["watchlist", "zone_entry"]);
//! assert!(matches!(events[0], AlertEvent::Opened(_)));
//! engine.finish(report.time_ms);
//! assert_eq!(engine.alerts_jsonl().lines().count(), 2);
//! ```
//!
//! # Layout
//!
//! - [`report`] — the input: [`Report`] (event time, MMSI, receiving station, position or static data,
//!   raw sentences as evidence). The integrator builds these from `varde-ais` messages.
//! - [`geo`] — the [`Geo`] trait detectors query (zones, land, ports, assets, coverage), geodesy helpers,
//!   and [`geo::testing::TestGeo`], a geography from simple shapes for tests.
//! - [`picture`] — the recognised picture: per-vessel latest fix, merged static data, flag from the MID
//!   table ([`picture::mid`]), compressed bounded track ([`picture::track`]), recent-speed median and
//!   expected reporting interval ([`picture::motion`]). Classifies each report ([`picture::Update`]): new,
//!   late, duplicate, jump, or a second stream of the same MMSI.
//! - [`detectors`] — the [`Detector`] trait, one module and unit struct per rule, all listed in
//!   [`DETECTORS`]; per-vessel detector state; the rendezvous grid.
//! - [`alert`] — the alert JSON contract ([`Alert`]), [`AlertEvent`]s (opened, updated, closed,
//!   retracted) and the [`alert::AlertBook`] that keeps ids stable through revisions.
//! - [`config`] — one serde struct per detector with `DETECTION.md`'s defaults, the watch list, and
//!   [`Config::validate`] reporting every error at once.
//! - [`engine`] — [`Engine`]: wires picture, detectors and alert book; counters; housekeeping in event
//!   time.
//! - [`time`] — RFC 3339 formatting and the stable hash behind alert ids.

pub mod alert;
pub mod area;
pub mod config;
pub mod detectors;
pub mod engine;
pub mod geo;
pub mod picture;
pub mod report;
pub mod snapshot;
pub mod time;

pub use alert::{Alert, AlertEvent, Kind, Severity};
pub use area::{AreaChange, AreaEffect, AreaMode};
pub use config::{Config, ConfigError, ConfigErrors, Watchlist};
pub use detectors::{Detector, DETECTORS};
pub use engine::{Counters, Engine};
pub use geo::{AssetRef, Coverage, Geo, ZoneRef};
pub use report::{NoFix, PositionFix, RawLines, Report, ReportKind, StaticInfo, StationClass};
