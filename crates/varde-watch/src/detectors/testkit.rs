//! Shared fixtures for detector unit tests: an engine over a small [`TestGeo`] and report builders.

use crate::alert::{Alert, AlertEvent, Kind};
use crate::config::Config;
use crate::engine::Engine;
use crate::geo::testing::TestGeo;
use crate::report::{NoFix, PositionFix, RawLines, Report, ReportKind, StaticInfo, StationClass};
use std::sync::Arc;

/// Start of every test timeline: 2024-12-25T00:00:00Z.
pub const T0: i64 = 1_735_084_800_000;

/// Default configuration.
pub fn cfg() -> Config {
    Config::default()
}

/// No land, no zones, no assets.
pub fn open_sea() -> TestGeo {
    TestGeo::new()
}

/// Land east of lon 5.0 (lat 60–61), territorial sea lon 4.3–5.0, EEZ lon 0–5.
pub fn coast() -> TestGeo {
    let land = [(60.0, 5.0), (60.0, 6.0), (61.0, 6.0), (61.0, 5.0)];
    let ts = [(60.0, 4.3), (60.0, 5.0), (61.0, 5.0), (61.0, 4.3)];
    let eez = [(60.0, 0.0), (60.0, 5.0), (61.0, 5.0), (61.0, 0.0)];
    TestGeo::new()
        .with_land(&land)
        .with_zone(
            "no-ts",
            "Norway's territorial sea off the mainland",
            "territorial_sea",
            "mainland",
            &ts,
        )
        .with_zone("no-eez", "Norway's EEZ", "eez", "mainland", &eez)
}

/// A cable along lat 58.0 from lon 9.0 to 11.0.
pub fn cables() -> TestGeo {
    TestGeo::new().with_line_asset("cable-a", "Cable A", "cable", &[(58.0, 9.0), (58.0, 11.0)])
}

/// An engine plus everything it emitted.
pub struct Kit {
    /// The engine.
    pub engine: Engine<TestGeo>,
    /// Receiving station put on the reports sent (tag block `s:`); none by default.
    pub source: Option<Arc<str>>,
    /// Every alert event emitted, in order.
    pub events: Vec<AlertEvent>,
    /// Every report sent, in order (to run them again through other engines).
    pub sent: Vec<Report>,
}

impl Kit {
    /// A kit with this configuration and geography.
    pub fn new(cfg: Config, geo: TestGeo) -> Self {
        Self {
            engine: Engine::new(cfg, geo).expect("valid config"),
            source: None,
            events: Vec::new(),
            sent: Vec::new(),
        }
    }

    /// A Class A position report at `T0 + t_s` seconds, status 0.
    pub fn pos(&mut self, mmsi: u32, t_s: i64, lat: f64, lon: f64, sog: f32, cog: f32) {
        self.position(mmsi, t_s, lat, lon, sog, cog, 0);
    }

    /// A Class A position report with a navigational status and course 0.
    pub fn pos_status(&mut self, mmsi: u32, t_s: i64, lat: f64, lon: f64, sog: f32, status: u8) {
        self.position(mmsi, t_s, lat, lon, sog, 0.0, status);
    }

    /// A Class A position report, all fields.
    #[allow(clippy::too_many_arguments)]
    pub fn position(
        &mut self,
        mmsi: u32,
        t_s: i64,
        lat: f64,
        lon: f64,
        sog: f32,
        cog: f32,
        status: u8,
    ) {
        let fix = PositionFix {
            lat,
            lon,
            sog_kn: Some(sog),
            cog_deg: Some(cog),
            heading_deg: None,
            nav_status: Some(status),
            class: StationClass::ClassA,
        };
        self.send(mmsi, t_s, ReportKind::Position(fix));
    }

    /// A static report with name and ship type.
    pub fn stat(&mut self, mmsi: u32, t_s: i64, name: &str, ship_type: u8) {
        let s = StaticInfo {
            name: Some(name.into()),
            ship_type: Some(ship_type),
            ..StaticInfo::default()
        };
        self.send(mmsi, t_s, ReportKind::Static(s));
    }

    /// A static report with an IMO number only.
    pub fn stat_imo(&mut self, mmsi: u32, t_s: i64, imo: u32) {
        self.send(
            mmsi,
            t_s,
            ReportKind::Static(StaticInfo {
                imo: Some(imo),
                ..StaticInfo::default()
            }),
        );
    }

    /// A Class A position report with position unavailable (lat 91/lon 181: GNSS lost), status 0.
    pub fn no_fix(&mut self, mmsi: u32, t_s: i64) {
        let n = NoFix {
            sog_kn: None,
            heading_deg: Some(90),
            nav_status: Some(0),
            class: StationClass::ClassA,
        };
        self.send(mmsi, t_s, ReportKind::NoFix(n));
    }

    fn send(&mut self, mmsi: u32, t_s: i64, kind: ReportKind) {
        let raw = RawLines::from(format!(
            "\\c:{},s:test*00\\!AIVDM,{mmsi}",
            (T0 / 1000) + t_s
        ));
        let r = Report {
            time_ms: T0 + t_s * 1000,
            mmsi,
            source: self.source.clone(),
            kind,
            raw,
        };
        self.engine.process_into(&r, &mut self.events);
        self.sent.push(r);
    }

    /// Final state of the alerts of one kind, by start time.
    pub fn alerts_of(&self, kind: Kind) -> Vec<Alert> {
        self.engine
            .alerts()
            .into_iter()
            .filter(|a| a.kind == kind)
            .cloned()
            .collect()
    }
}
