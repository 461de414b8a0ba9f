//! Shared test helpers: run a simulation and decode every line.
#![allow(dead_code)]

use std::collections::HashMap;
use varde_ais::message::AisMessage;
use varde_ais::{Decoder, Output};
use varde_sim::geo::LatLon;
use varde_sim::{Scenario, SimConfig, Simulator};

/// One decoded position report.
#[derive(Debug, Clone, Copy)]
pub struct Pos {
    pub t_s: i64,
    pub at: LatLon,
    pub sog: f64,
    pub cog: f64,
    pub status: u8,
    pub class_b: bool,
}

/// Everything a run produced.
#[derive(Default)]
pub struct Run {
    pub lines: Vec<String>,
    pub rejects: usize,
    pub positions: HashMap<u32, Vec<Pos>>,
    pub statics: HashMap<u32, Vec<i64>>,
    pub stations: HashMap<u32, Vec<String>>,
    /// Times of position reports with position unavailable (lat 91/lon 181), by MMSI.
    pub no_fix: HashMap<u32, Vec<i64>>,
}

pub fn run(vessels: usize, hours: f64, seed: u64, scenario: Option<Scenario>) -> Run {
    let cfg = SimConfig {
        vessels,
        hours,
        seed,
        scenario,
        ..SimConfig::default()
    };
    let mut lines = Vec::new();
    Simulator::new(cfg)
        .unwrap()
        .run(|l| lines.push(l.to_string()));
    decode(lines)
}

pub fn decode(lines: Vec<String>) -> Run {
    let mut r = Run::default();
    let mut dec = Decoder::new();
    for l in &lines {
        match dec.feed(0, l.as_bytes()) {
            Ok(Output::Frame(f)) => {
                let t_s = f.time_ms.expect("tag block time") / 1000;
                let station = f
                    .station
                    .map(|s| s.as_str().to_string())
                    .unwrap_or_default();
                match AisMessage::decode(f.payload) {
                    Ok(AisMessage::Position(p))
                        if p.lat_deg().is_none() || p.lon_deg().is_none() =>
                    {
                        r.no_fix.entry(p.mmsi).or_default().push(t_s);
                    }
                    Ok(AisMessage::ClassBPosition(p))
                        if p.lat_deg().is_none() || p.lon_deg().is_none() =>
                    {
                        r.no_fix.entry(p.mmsi).or_default().push(t_s);
                    }
                    Ok(AisMessage::Position(p)) => {
                        let pos = Pos {
                            t_s,
                            at: LatLon::new(p.lat_deg().unwrap(), p.lon_deg().unwrap()),
                            sog: f64::from(p.sog_knots().unwrap()),
                            cog: f64::from(p.cog_deg().unwrap()),
                            status: p.status,
                            class_b: false,
                        };
                        r.positions.entry(p.mmsi).or_default().push(pos);
                        r.stations.entry(p.mmsi).or_default().push(station);
                    }
                    Ok(AisMessage::ClassBPosition(p)) => {
                        let pos = Pos {
                            t_s,
                            at: LatLon::new(p.lat_deg().unwrap(), p.lon_deg().unwrap()),
                            sog: f64::from(p.sog_knots().unwrap()),
                            cog: f64::from(p.cog_deg().unwrap()),
                            status: 0,
                            class_b: true,
                        };
                        r.positions.entry(p.mmsi).or_default().push(pos);
                    }
                    Ok(m @ (AisMessage::StaticVoyage(_) | AisMessage::StaticData(_))) => {
                        r.statics.entry(m.mmsi()).or_default().push(t_s)
                    }
                    Ok(_) => {}
                    Err(_) => r.rejects += 1,
                }
            }
            Ok(Output::Partial) => {}
            _ => r.rejects += 1,
        }
    }
    r.lines = lines;
    r
}

/// Largest silence between consecutive reports, seconds.
pub fn max_gap(p: &[Pos]) -> i64 {
    p.windows(2).map(|w| w[1].t_s - w[0].t_s).max().unwrap_or(0)
}
