//! Routes, work areas and simulated fixes stay at sea, checked against the
//! OpenStreetMap land polygons in `shared/data/geo/land/` (skipped when the
//! shared data is absent). Incident reference points in the territorial sea
//! are checked against `shared/data/geo/zones/`.

mod common;

use varde_sim::geo::LatLon;
use varde_sim::places::{
    FIELDS, FISHING_GROUNDS, LANE, LEISURE_AREAS, PATROL_AREAS, PORTS, SVALBARD_LEG, TERMINALS,
};
use varde_sim::Scenario;

/// Bounding box and the edges of all rings bucketed by 0.05° latitude band
/// (even-odd over all rings handles holes).
type Poly = ([f64; 4], std::collections::HashMap<i32, Vec<[f64; 4]>>);

/// Polygons with a 1° grid index over their bounding boxes.
struct Polys(Vec<Poly>, std::collections::HashMap<(i32, i32), Vec<usize>>);

impl Polys {
    fn load(rel: &str) -> Option<Self> {
        Self::load_where(rel, |_| true)
    }

    /// The features of `rel` whose properties pass `keep`.
    fn load_where(rel: &str, keep: impl Fn(&serde_json::Value) -> bool) -> Option<Self> {
        let path = varde_testdata::shared(&format!("geo/{rel}"), "varde-sim at_sea")?;
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let v: serde_json::Value = serde_json::from_str(&text).ok()?;
        let mut out = Vec::new();
        for f in v["features"]
            .as_array()?
            .iter()
            .filter(|f| keep(&f["properties"]))
        {
            let g = &f["geometry"];
            let polys: Vec<&serde_json::Value> = match g["type"].as_str()? {
                "Polygon" => vec![&g["coordinates"]],
                _ => g["coordinates"].as_array()?.iter().collect(),
            };
            for p in polys {
                let rings: Vec<Vec<[f64; 2]>> = p
                    .as_array()?
                    .iter()
                    .map(|r| {
                        r.as_array()
                            .unwrap()
                            .iter()
                            .map(|c| [c[0].as_f64().unwrap(), c[1].as_f64().unwrap()])
                            .collect()
                    })
                    .collect();
                let bb = rings[0]
                    .iter()
                    .fold([f64::MAX, f64::MAX, f64::MIN, f64::MIN], |b, c| {
                        [
                            b[0].min(c[0]),
                            b[1].min(c[1]),
                            b[2].max(c[0]),
                            b[3].max(c[1]),
                        ]
                    });
                let mut bands: std::collections::HashMap<i32, Vec<[f64; 4]>> = Default::default();
                for r in &rings {
                    for (a, b) in r.iter().zip(r.iter().skip(1)) {
                        for k in band(a[1].min(b[1]))..=band(a[1].max(b[1])) {
                            bands.entry(k).or_default().push([a[0], a[1], b[0], b[1]]);
                        }
                    }
                }
                out.push((bb, bands));
            }
        }
        let mut grid: std::collections::HashMap<(i32, i32), Vec<usize>> = Default::default();
        for (i, (bb, _)) in out.iter().enumerate() {
            for x in bb[0].floor() as i32..=bb[2].floor() as i32 {
                for y in bb[1].floor() as i32..=bb[3].floor() as i32 {
                    grid.entry((x, y)).or_default().push(i);
                }
            }
        }
        Some(Self(out, grid))
    }

    fn contains(&self, p: LatLon) -> bool {
        let (x, y) = (p.lon, p.lat);
        let cell = self
            .1
            .get(&(x.floor() as i32, y.floor() as i32))
            .map_or(&[][..], Vec::as_slice);
        cell.iter().map(|&i| &self.0[i]).any(|(bb, bands)| {
            x >= bb[0] && x <= bb[2] && y >= bb[1] && y <= bb[3] && {
                let edges = bands.get(&band(y)).map_or(&[][..], Vec::as_slice);
                edges
                    .iter()
                    .filter(|e| {
                        (e[1] > y) != (e[3] > y)
                            && x < (e[2] - e[0]) * (y - e[1]) / (e[3] - e[1]) + e[0]
                    })
                    .count()
                    % 2
                    == 1
            }
        })
    }
}

fn band(lat: f64) -> i32 {
    (lat * 20.0).floor() as i32
}

fn samples(path: &[LatLon], step_m: f64) -> Vec<LatLon> {
    let mut out = Vec::new();
    for w in path.windows(2) {
        let n = (w[0].distance_m(w[1]) / step_m).ceil().max(1.0) as usize;
        out.extend((0..=n).map(|i| {
            let f = i as f64 / n as f64;
            LatLon::new(
                w[0].lat + (w[1].lat - w[0].lat) * f,
                w[0].lon + (w[1].lon - w[0].lon) * f,
            )
        }));
    }
    out
}

#[test]
fn routes_areas_and_fixes_stay_at_sea() {
    let Some(land) = Polys::load("land/osm_land_polygons_region.geojson") else {
        return;
    };
    let mut paths: Vec<(String, Vec<LatLon>)> = vec![("lane".into(), LANE.to_vec())];
    for p in PORTS {
        let mut v = vec![LANE[p.lane]];
        v.extend_from_slice(p.approach);
        paths.push((p.name.into(), v));
    }
    let mut sv = vec![LANE[36]];
    sv.extend_from_slice(SVALBARD_LEG);
    paths.push(("svalbard".into(), sv));
    for (name, field, base, standby_deg) in FIELDS {
        let standby = field.destination(*standby_deg, varde_sim::plan::STANDBY_M);
        paths.push((
            name.to_string(),
            vec![LANE[varde_sim::places::port(base).lane], *field, standby],
        ));
    }
    for (name, exit) in TERMINALS {
        paths.push((
            name.to_string(),
            vec![LANE[varde_sim::places::port(name).lane], *exit],
        ));
    }
    for (name, path) in &paths {
        let bad: Vec<_> = samples(path, 150.0)
            .into_iter()
            .filter(|p| land.contains(*p))
            .collect();
        assert!(
            bad.is_empty(),
            "{name}: on land at {:?}",
            &bad[..bad.len().min(3)]
        );
    }
    for a in FISHING_GROUNDS
        .iter()
        .chain(PATROL_AREAS)
        .chain(LEISURE_AREAS)
    {
        for i in 0..=30 {
            for j in 0..=30 {
                let p = LatLon::new(
                    a.min.lat + (a.max.lat - a.min.lat) * f64::from(i) / 30.0,
                    a.min.lon + (a.max.lon - a.min.lon) * f64::from(j) / 30.0,
                );
                assert!(!land.contains(p), "area {} has land at {p:?}", a.name);
            }
        }
    }
    // Simulated background fixes: allow only the odd corner cut in a narrow
    // sound (reported with its count).
    let r = common::run(200, 2.0, 11, None);
    let fixes: Vec<LatLon> = r.positions.values().flatten().map(|p| p.at).collect();
    let ashore = fixes
        .iter()
        .step_by(7)
        .filter(|p| land.contains(**p))
        .count();
    assert!(
        ashore * 1000 <= fixes.len() / 7,
        "{ashore} of {} sampled fixes on land",
        fixes.len() / 7
    );
    // Incident tracks: only deliberate false fixes are on land: one in
    // Jotunheimen, one on Vardø airport, and the spoofed circle round
    // Kirkenes airport (within its 1 nm radius).
    let r = common::run(0, 14.0, 1, Some(Scenario::all_builtin()));
    let exp = Scenario::all_builtin().expectations(0).unwrap();
    let circle = exp
        .iter()
        .find(|e| e.incident == "gnss_spoofing_circle" && !e.control)
        .unwrap();
    let mut wrong = Vec::new();
    for (mmsi, t) in &r.positions {
        let bad: Vec<_> = t.iter().filter(|p| land.contains(p.at)).collect();
        let fine = match *mmsi {
            258_998_900 | 257_997_411 => bad.len() == 1,
            m if circle.mmsi.contains(&m) => {
                bad.iter().all(|p| p.at.distance_m(circle.at) < 1900.0)
            }
            _ => bad.is_empty(),
        };
        if !fine {
            wrong.push((*mmsi, bad.len(), bad.first().map(|p| p.at)));
        }
    }
    assert!(wrong.is_empty(), "incident fixes on land: {wrong:?}");
}

#[test]
fn territorial_incidents_happen_inside_the_territorial_sea() {
    let Some(ts) = Polys::load("zones/osm_norway_territorial_waters.geojson") else {
        return;
    };
    let exp = Scenario::all_builtin().expectations(0).unwrap();
    for e in exp.iter().filter(|e| e.zone == Some("territorial_sea")) {
        assert!(ts.contains(e.at), "{} at {:?}", e.incident, e.at);
    }
    // Internal waters: landward of Kartverket's baseline.
    let internal = Polys::load_where("zones/osm_norway_territorial_waters.geojson", |p| {
        p["zone_type"] == "internal_waters"
    })
    .unwrap();
    let inside: Vec<_> = exp
        .iter()
        .filter(|e| e.zone == Some("internal_waters"))
        .collect();
    assert_eq!(inside.len(), 2);
    for e in inside {
        assert!(internal.contains(e.at), "{} at {:?}", e.incident, e.at);
    }
    for e in exp
        .iter()
        .filter(|e| matches!(e.zone, Some("eez" | "svalbard_fpz")) && !e.control)
    {
        assert!(
            !ts.contains(e.at),
            "{} at {:?} is inside the territorial sea",
            e.incident,
            e.at
        );
    }
}
