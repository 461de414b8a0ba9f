//! Varde's watch engine: decoded AIS reports in, alerts out, driven only by event time.
//!
//! Pure and deterministic: no I/O, no wall clock, no randomness, no seeded hashing. The same reports in
//! the same order give byte-identical alerts ([`Engine::alerts_jsonl`]).
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
pub mod config;
pub mod detectors;
pub mod engine;
pub mod geo;
pub mod picture;
pub mod report;
pub mod time;

pub use alert::{Alert, AlertEvent, Kind, Severity};
pub use config::{Config, ConfigError, ConfigErrors, Watchlist};
pub use detectors::{Detector, DETECTORS};
pub use engine::{Counters, Engine};
pub use geo::{AssetRef, Coverage, Geo, ZoneRef};
pub use report::{PositionFix, Report, ReportKind, StaticInfo, StationClass};
