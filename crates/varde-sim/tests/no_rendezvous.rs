//! Background traffic holds no rendezvous: no two background vessels lie
//! within 250 m of each other, both under 2 kn, for 30 minutes or more
//! outside the port circles of `data/geo/ports_norway.csv` (the
//! `rendezvous` rule of `crates/varde-watch/DETECTORS.md`, made stricter:
//! the detector also ignores the 10 km round each port).
//!
//! Shared spawn, waiting, holding or hauling points used to put distinct
//! vessels at the same position at sea; at 3000 vessels that raised
//! hundreds of rendezvous alerts between ordinary ships.
//!
//! Fast enough in a debug build: positions are decoded straight from the
//! six-bit payload (only the fields needed), and slow vessels are paired
//! through a grid of ~550 m cells, as the detector does.

use std::collections::HashMap;
use std::path::PathBuf;
use varde_sim::geo::LatLon;
use varde_sim::{SimConfig, Simulator};

const MAX_DISTANCE_M: f64 = 250.0;
const MAX_SPEED_KN: f64 = 2.0;
const MIN_DURATION_S: i64 = 1800;
/// A pair not seen together for this long has parted (the detector's default).
const MAX_SILENCE_S: i64 = 600;
const CELL_DEG: f64 = 0.005;

/// A port circle: centre and radius in metres.
struct Port {
    at: LatLon,
    radius_m: f64,
}

fn ports() -> Vec<Port> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data/geo/ports_norway.csv");
    let text = std::fs::read_to_string(&path).expect("ports_norway.csv");
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with("name,"))
        .filter_map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            Some(Port {
                at: LatLon::new(f[2].parse().ok()?, f[3].parse().ok()?),
                radius_m: f[4].parse().ok()?,
            })
        })
        .collect()
}

fn in_port(ports: &[Port], p: LatLon) -> bool {
    // Cheap rejection first: a port circle is at most a few km across.
    ports.iter().any(|q| {
        (q.at.lat - p.lat).abs() < 0.1 && (q.at.lon - p.lon).abs() < 0.5 && {
            q.at.distance_m(p) <= q.radius_m
        }
    })
}

/// One position report: MMSI, time (unix s), position, speed (knots, None
/// if not available).
#[derive(Debug, Clone, Copy)]
struct Report {
    mmsi: u32,
    t_s: i64,
    at: LatLon,
    sog_kn: Option<f64>,
}

fn bits(payload: &[u8], start: usize, len: usize) -> Option<u64> {
    let mut v = 0u64;
    for i in start..start + len {
        let c = *payload.get(i / 6)?;
        let mut six = c.checked_sub(48)?;
        if six > 40 {
            six -= 8;
        }
        v = (v << 1) | u64::from((six >> (5 - i % 6)) & 1);
    }
    Some(v)
}

fn signed(v: u64, len: usize) -> i64 {
    let shift = 64 - len;
    ((v << shift) as i64) >> shift
}

/// Decodes a single-sentence position report (types 1–3 and 18) from a
/// tag-block line; anything else is None.
fn decode(line: &str) -> Option<Report> {
    let c = line.find("c:")? + 2;
    let end = c + line[c..].find([',', '*'])?;
    let t_s: i64 = line[c..end].parse().ok()?;
    let bang = line.find('!')?;
    let mut f = line[bang..].split(',');
    let (_, count) = (f.next()?, f.next()?);
    if count != "1" {
        return None;
    }
    let payload = f.nth(3)?.as_bytes();
    let kind = bits(payload, 0, 6)?;
    let (sog_at, lon_at) = match kind {
        1..=3 => (50, 61),
        18 => (46, 57),
        _ => return None,
    };
    let mmsi = bits(payload, 8, 30)? as u32;
    let sog = bits(payload, sog_at, 10)?;
    let lon = signed(bits(payload, lon_at, 28)?, 28) as f64 / 600_000.0;
    let lat = signed(bits(payload, lon_at + 28, 27)?, 27) as f64 / 600_000.0;
    Some(Report {
        mmsi,
        t_s,
        at: LatLon::new(lat, lon),
        sog_kn: (sog != 1023).then(|| sog as f64 / 10.0),
    })
}

fn cell_of(p: LatLon) -> (i32, i32) {
    let y = (p.lat / CELL_DEG).floor() as i32;
    (y, col(y, p.lon))
}

fn col(y: i32, lon: f64) -> i32 {
    let k = ((f64::from(y) + 0.5) * CELL_DEG)
        .to_radians()
        .cos()
        .max(0.01);
    (lon * k / CELL_DEG).floor() as i32
}

/// A pair that lay together for the rule's duration (shown through
/// `Debug` when the test fails).
#[derive(Debug)]
#[allow(dead_code)]
struct Meeting {
    pair: (u32, u32),
    at: LatLon,
    since_s: i64,
    until_s: i64,
    closest_m: f64,
}

/// The rendezvous rule over a time-ordered stream of reports.
struct Rule {
    ports: Vec<Port>,
    /// Last slow fix at sea of each vessel now in the grid: (time, position, cell).
    slow: HashMap<u32, (i64, LatLon, (i32, i32))>,
    grid: HashMap<(i32, i32), Vec<u32>>,
    /// Pair → (first, last time together, closest distance).
    pairs: HashMap<(u32, u32), (i64, i64, f64)>,
    meetings: HashMap<(u32, u32), Meeting>,
}

impl Rule {
    fn new(ports: Vec<Port>) -> Self {
        Self {
            ports,
            slow: HashMap::new(),
            grid: HashMap::new(),
            pairs: HashMap::new(),
            meetings: HashMap::new(),
        }
    }

    fn leave(&mut self, mmsi: u32) {
        if let Some((_, _, cell)) = self.slow.remove(&mmsi) {
            if let Some(v) = self.grid.get_mut(&cell) {
                v.retain(|&m| m != mmsi);
            }
        }
    }

    fn feed(&mut self, r: Report) {
        let slow = r.sog_kn.is_some_and(|s| s < MAX_SPEED_KN);
        if !slow || in_port(&self.ports, r.at) {
            self.leave(r.mmsi);
            return;
        }
        let cell = cell_of(r.at);
        if self.slow.get(&r.mmsi).map(|s| s.2) != Some(cell) {
            self.leave(r.mmsi);
            self.grid.entry(cell).or_default().push(r.mmsi);
        }
        self.slow.insert(r.mmsi, (r.t_s, r.at, cell));
        let y0 = cell.0;
        for y in y0 - 1..=y0 + 1 {
            let x0 = col(y, r.at.lon);
            for x in x0 - 1..=x0 + 1 {
                for &other in self.grid.get(&(y, x)).into_iter().flatten() {
                    let (seen_s, at, _) = self.slow[&other];
                    if other == r.mmsi || r.t_s - seen_s > MAX_SILENCE_S {
                        continue;
                    }
                    let d = r.at.distance_m(at);
                    if d > MAX_DISTANCE_M {
                        continue;
                    }
                    let pair = (r.mmsi.min(other), r.mmsi.max(other));
                    let p = self.pairs.entry(pair).or_insert((seen_s, seen_s, d));
                    if r.t_s - p.1 > MAX_SILENCE_S {
                        *p = (seen_s, seen_s, d);
                    }
                    p.1 = p.1.max(seen_s);
                    p.2 = p.2.min(d);
                    if r.t_s - p.0 >= MIN_DURATION_S {
                        let m = self.meetings.entry(pair).or_insert(Meeting {
                            pair,
                            at: r.at,
                            since_s: p.0,
                            until_s: r.t_s,
                            closest_m: p.2,
                        });
                        m.until_s = r.t_s;
                        m.closest_m = m.closest_m.min(p.2);
                    }
                }
            }
        }
    }
}

fn report(mmsi: u32, t_s: i64, lat: f64, lon: f64, sog: f64) -> Report {
    Report {
        mmsi,
        t_s,
        at: LatLon::new(lat, lon),
        sog_kn: Some(sog),
    }
}

#[test]
fn the_rule_finds_a_meeting_and_nothing_else() {
    let mut rule = Rule::new(ports());
    // Two ships 100 m apart at 0.3 kn for 40 min at sea, reporting every 3 min;
    // a third 400 m off; two more side by side inside Bergen's port circle.
    for i in 0..=13 {
        let t = 1_721_088_000 + i * 180;
        rule.feed(report(1, t, 71.5, 26.5, 0.3));
        rule.feed(report(2, t + 7, 71.5009, 26.5, 0.3));
        rule.feed(report(3, t + 9, 71.5036, 26.5, 0.3));
        rule.feed(report(4, t, 60.398, 5.315, 0.0));
        rule.feed(report(5, t, 60.398, 5.315, 0.0));
    }
    let found: Vec<_> = rule.meetings.keys().copied().collect();
    assert_eq!(found, vec![(1, 2)], "{:?}", rule.meetings);
}

#[test]
fn cheap_decoding_agrees_with_varde_ais() {
    use varde_ais::message::AisMessage;
    use varde_ais::{Decoder, Output};
    let cfg = SimConfig {
        vessels: 200,
        hours: 0.1,
        ..SimConfig::default()
    };
    let mut dec = Decoder::new();
    let (mut checked, mut class_b) = (0, 0);
    Simulator::new(cfg).unwrap().run(|line| {
        let Ok(Output::Frame(f)) = dec.feed(0, line.as_bytes()) else {
            return;
        };
        let want = match AisMessage::decode(f.payload) {
            Ok(AisMessage::Position(p)) => (p.mmsi, p.lat_deg(), p.lon_deg(), p.sog_knots()),
            Ok(AisMessage::ClassBPosition(p)) => {
                class_b += 1;
                (p.mmsi, p.lat_deg(), p.lon_deg(), p.sog_knots())
            }
            _ => return assert!(decode(line).is_none(), "{line}"),
        };
        let r = decode(line).unwrap_or_else(|| panic!("{line}"));
        assert_eq!(r.mmsi, want.0, "{line}");
        assert_eq!(r.t_s * 1000, f.time_ms.unwrap(), "{line}");
        assert!((r.at.lat - want.1.unwrap()).abs() < 1e-9, "{line}");
        assert!((r.at.lon - want.2.unwrap()).abs() < 1e-9, "{line}");
        let sog = want.3.map(f64::from);
        assert!((r.sog_kn.unwrap() - sog.unwrap()).abs() < 1e-6, "{line}");
        checked += 1;
    });
    assert!(
        checked > 1000 && class_b > 50,
        "{checked} reports, {class_b} class B"
    );
}

#[test]
fn three_thousand_background_vessels_hold_no_rendezvous() {
    let cfg = SimConfig {
        vessels: 3000,
        hours: 1.0,
        seed: 7,
        ..SimConfig::default()
    };
    let mut rule = Rule::new(ports());
    let (mut reports, mut vessels) = (0usize, std::collections::HashSet::new());
    Simulator::new(cfg).unwrap().run(|line| {
        if let Some(r) = decode(line) {
            reports += 1;
            vessels.insert(r.mmsi);
            rule.feed(r);
        }
    });
    assert!(vessels.len() >= 3000, "{} vessels", vessels.len());
    assert!(reports > 300_000, "{reports} reports");
    let mut bad: Vec<_> = rule.meetings.into_values().collect();
    bad.sort_by_key(|m| m.pair);
    assert!(
        bad.is_empty(),
        "{} pairs of background vessels lay within {MAX_DISTANCE_M} m under {MAX_SPEED_KN} kn for \
         {} min outside port circles, e.g. {:#?}",
        bad.len(),
        MIN_DURATION_S / 60,
        &bad[..bad.len().min(5)]
    );
}
