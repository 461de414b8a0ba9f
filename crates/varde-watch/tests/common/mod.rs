//! Synthetic vessels for scenario tests: sail, drift, circle and fall silent, in event time.

#![allow(dead_code)]

use varde_watch::geo::{destination, testing::TestGeo};
use varde_watch::{
    Alert, Config, Engine, Kind, PositionFix, RawLines, Report, ReportKind, StaticInfo,
    StationClass,
};

/// Scenario start: 2024-12-25T10:00:00Z.
pub const T0: i64 = 1_735_120_800_000;
/// Metres per nautical mile.
pub const NM: f64 = 1852.0;

/// One synthetic vessel writing reports.
pub struct Ship {
    pub mmsi: u32,
    pub t_ms: i64,
    pub lat: f64,
    pub lon: f64,
    pub status: u8,
    pub every_s: i64,
    pub out: Vec<Report>,
}

impl Ship {
    /// A vessel at (lat, lon) at T0 + `t_s`, reporting every 10 s, with static data.
    pub fn new(mmsi: u32, t_s: i64, lat: f64, lon: f64, name: &str, ship_type: u8) -> Self {
        let mut s = Self {
            mmsi,
            t_ms: T0 + t_s * 1000,
            lat,
            lon,
            status: 0,
            every_s: 10,
            out: Vec::new(),
        };
        let info = StaticInfo {
            name: Some(name.into()),
            ship_type: Some(ship_type),
            imo: None,
            ..Default::default()
        };
        s.push(ReportKind::Static(info));
        s
    }

    fn push(&mut self, kind: ReportKind) {
        let line = format!(
            "\\c:{},s:sim*00\\!AIVDM,1,1,,A,{},0*00",
            self.t_ms / 1000,
            self.mmsi
        );
        let raw = RawLines::from(line);
        self.out.push(Report {
            time_ms: self.t_ms,
            mmsi: self.mmsi,
            source: None,
            kind,
            raw,
        });
    }

    /// Reports the current position with this speed and course.
    pub fn report(&mut self, sog: f32, cog: f32) {
        let fix = PositionFix {
            lat: self.lat,
            lon: self.lon,
            sog_kn: Some(sog),
            cog_deg: Some(cog),
            heading_deg: Some(cog as u16),
            nav_status: Some(self.status),
            class: StationClass::ClassA,
        };
        self.push(ReportKind::Position(fix));
    }

    /// Sails `secs` at `sog` knots on course `cog`, reporting every `every_s`.
    pub fn sail(&mut self, secs: i64, sog: f32, cog: f32) -> &mut Self {
        let steps = secs / self.every_s;
        for _ in 0..steps {
            self.report(sog, cog);
            self.step(self.every_s, sog, cog);
        }
        self
    }

    /// Moves without reporting (silence).
    pub fn dark(&mut self, secs: i64, sog: f32, cog: f32) -> &mut Self {
        self.step(secs, sog, cog);
        self
    }

    /// Circles with radius `r_m` at `sog` knots for `secs`.
    pub fn circle(&mut self, secs: i64, sog: f32, r_m: f64) -> &mut Self {
        let (clat, clon) = (self.lat, self.lon);
        let omega = f64::from(sog) * NM / 3600.0 / r_m; // rad/s
        for i in 0..secs / self.every_s {
            let a = omega * (i * self.every_s) as f64;
            (self.lat, self.lon) = destination(clat, clon, a.to_degrees(), r_m);
            self.report(sog, (a.to_degrees() + 90.0).rem_euclid(360.0) as f32);
            self.t_ms += self.every_s * 1000;
        }
        self
    }

    fn step(&mut self, secs: i64, sog: f32, cog: f32) {
        let d = f64::from(sog) * NM * secs as f64 / 3600.0;
        (self.lat, self.lon) = destination(self.lat, self.lon, f64::from(cog), d);
        self.t_ms += secs * 1000;
    }

    /// Moves instantly by `d_m` metres on `bearing` (a spoofed or second-transmitter position).
    pub fn offset(&self, bearing: f64, d_m: f64) -> (f64, f64) {
        destination(self.lat, self.lon, bearing, d_m)
    }
}

/// Merges the reports of several vessels in event-time order (stable by MMSI).
pub fn merge(ships: &[&Ship]) -> Vec<Report> {
    let mut all: Vec<Report> = ships.iter().flat_map(|s| s.out.iter().cloned()).collect();
    all.sort_by_key(|r| (r.time_ms, r.mmsi));
    all
}

/// Runs the engine over the reports; returns it.
///
/// Every run also checks the cluster's split ([`varde_watch::area`]): two engines that each see
/// the vessels of one half (even or odd MMSI) and follow a recording engine (which alone runs the
/// detectors that need every vessel: `varde_watch::area::AREA_KINDS`)
/// raise, between them, exactly this engine's alerts of the other kinds.
pub fn run(cfg: Config, geo: TestGeo, reports: &[Report]) -> Engine<TestGeo> {
    let e = run_alone(cfg.clone(), geo.clone(), reports);
    let end = reports.iter().map(|r| r.time_ms).max().unwrap_or(T0);
    assert_eq!(
        split_in_halves(cfg, geo, reports, end),
        followers_kinds(e.alerts()),
        "engines of half the vessels each, following a recording engine, differ from one engine"
    );
    e
}

/// One engine through every report, then finished at the newest report's time.
pub fn run_alone(cfg: Config, geo: TestGeo, reports: &[Report]) -> Engine<TestGeo> {
    let mut e = Engine::new(cfg, geo).expect("valid config");
    for r in reports {
        e.process(r);
    }
    let end = reports.iter().map(|r| r.time_ms).max().unwrap_or(T0);
    e.finish(end);
    e
}

/// The alerts of kinds a follower raises (not [`varde_watch::area::AREA_KINDS`]), as JSON, sorted.
fn followers_kinds(alerts: Vec<&Alert>) -> Vec<String> {
    let mut v: Vec<String> = alerts
        .into_iter()
        .filter(|a| !varde_watch::area::AREA_KINDS.contains(&a.kind))
        .map(|a| a.to_json())
        .collect();
    v.sort();
    v
}

/// The reports through a recording engine and two followers of half the vessels each; the
/// followers' alerts (non-pairwise kinds).
fn split_in_halves(cfg: Config, geo: TestGeo, reports: &[Report], end: i64) -> Vec<String> {
    use varde_watch::{AreaEffect, AreaMode};
    let mut recorder = Engine::new(cfg.clone(), geo.clone()).expect("valid config");
    recorder.set_area_mode(AreaMode::Record);
    let mut halves: Vec<Engine<TestGeo>> = (0..2)
        .map(|_| {
            let mut e = Engine::new(cfg.clone(), geo.clone()).expect("valid config");
            e.set_area_mode(AreaMode::Follow);
            e
        })
        .collect();
    let mut pending: [Vec<AreaEffect>; 2] = Default::default();
    let mut sink = Vec::new();
    for r in reports {
        recorder.process_into(r, &mut sink);
        let effects = recorder.take_area_effects();
        let own = (r.mmsi % 2) as usize;
        let h = &mut halves[own];
        h.apply_area_effects_into(pending[own].drain(..), &mut sink);
        pending[1 - own].extend(effects.iter().cloned());
        h.process_with_area_effects_into(r, effects, &mut sink);
    }
    for h in &mut halves {
        h.finish(end);
    }
    followers_kinds(halves.iter().flat_map(|h| h.alerts()).collect())
}

/// Alerts of a kind (final state) for one MMSI.
pub fn of(e: &Engine<TestGeo>, kind: Kind, mmsi: u32) -> Vec<Alert> {
    e.alerts()
        .into_iter()
        .filter(|a| a.kind == kind && (a.mmsi == mmsi || a.related_mmsi.contains(&mmsi)))
        .cloned()
        .collect()
}

/// Norway-like fixture: mainland (lat 60–62, east of lon 5), territorial sea lon 4.6–5.0, EEZ to lon 0,
/// a cable along lat 59.0 (lon 1–9), a pipeline along lon 3.0 (lat 56–59), a platform at (58.5, 2.0),
/// an anchorage at (59.5, 4.0) with 2 km radius, Svalbard FPZ and satellite-only coverage north of 75° N
/// with a cable along lat 77.0.
pub fn norway() -> TestGeo {
    TestGeo::new()
        .with_land(&[(60.0, 5.0), (60.0, 8.0), (62.0, 8.0), (62.0, 5.0)])
        .with_zone(
            "no-ts",
            "Norway's territorial sea off the mainland",
            "territorial_sea",
            "mainland",
            &[(60.0, 4.6), (60.0, 5.0), (62.0, 5.0), (62.0, 4.6)],
        )
        .with_zone(
            "no-eez",
            "Norway's EEZ",
            "eez",
            "mainland",
            &[(56.0, 0.0), (56.0, 5.0), (62.0, 5.0), (62.0, 0.0)],
        )
        .with_zone(
            "no-fpz",
            "Fisheries protection zone around Svalbard",
            "svalbard_fpz",
            "svalbard",
            &[(74.0, 0.0), (74.0, 35.0), (82.0, 35.0), (82.0, 0.0)],
        )
        .with_satellite_only(&[(75.0, 0.0), (75.0, 35.0), (82.0, 35.0), (82.0, 0.0)])
        .with_line_asset("cable-a", "Cable A", "cable", &[(59.0, 1.0), (59.0, 9.0)])
        .with_line_asset(
            "pipe-b",
            "Pipeline B",
            "pipeline",
            &[(56.0, 3.0), (59.0, 3.0)],
        )
        .with_line_asset(
            "svalbard-1",
            "Svalbard cable 1",
            "cable",
            &[(77.0, 5.0), (77.0, 16.0)],
        )
        .with_point_asset("platform-c", "Platform C", "platform", 58.5, 2.0)
        .with_port("Anchorage D", 59.5, 4.0, 2_000.0)
}
