//! Find and arrivals through a real `varde serve` fed a recording from a file: `/api/search` finds
//! each vessel by MMSI, IMO, name and call sign with exact matches first and live vessels before
//! silent ones; `/api/arrivals` lists an inbound vessel bound for Bergen and one already inside
//! the belt bound for Tromsø, and one stopped outside whose message 5 ETA (sent as month, day,
//! hour, minute) falls within the horizon, each with that exact ETA; it leaves out a vessel bound
//! abroad and one bound for Norway but heading away; the CSV export has its header and the same
//! rows.

mod serve_harness;

use serve_harness::{wait_until, Serve, TOKEN};
use std::io::Write;
use varde_ais::message::{PositionReport, StaticAndVoyageData};
use varde_ais::nmea::{encode_sentences, EncodeOptions};
use varde_ais::text::AisText;
use varde_ais::AisMessage;

const T0: i64 = 1_764_000_000;

struct Ship {
    mmsi: u32,
    imo: u32,
    name: &'static str,
    callsign: &'static str,
    destination: &'static str,
    lat: f64,
    lon: f64,
    sog_kn: f64,
    cog_deg: f64,
    /// Seconds after `T0` of its last report.
    last_s: i64,
    /// ETA of its message 5: month, day, hour, minute (`None`: not available).
    eta: Option<(u8, u8, u8, u8)>,
}

/// Bound for Bergen from Rotterdam, 60 nm west of the coast, steaming east at 12 kn.
const INBOUND: u32 = 257_100_001;
/// A name that starts with INBOUND's, bound abroad.
const FOREIGN_BOUND: u32 = 257_100_002;
/// Bound for Bergen but steaming west, silent for 40 minutes.
const OUTBOUND: u32 = 273_100_003;
/// Bound for Tromsø, in the territorial sea off Sotra, stopped.
const INSIDE: u32 = 230_100_004;
/// Bound for Haugesund, stopped some 60 nm off the coast, ETA ten hours after its last report.
const WAITING: u32 = 265_100_005;

fn ships() -> [Ship; 5] {
    [
        Ship {
            mmsi: INBOUND,
            imo: 9_123_456,
            name: "NORDIC STAR",
            callsign: "LAXY7",
            destination: "NLRTM>BERGEN",
            lat: 60.4,
            lon: 3.2,
            sog_kn: 12.0,
            cog_deg: 90.0,
            last_s: 4_260,
            eta: Some((11, 25, 6, 30)),
        },
        Ship {
            mmsi: FOREIGN_BOUND,
            imo: 9_123_457,
            name: "NORDIC STARLIGHT",
            callsign: "LBCD",
            destination: "ROTTERDAM",
            lat: 60.5,
            lon: 3.0,
            sog_kn: 12.0,
            cog_deg: 90.0,
            last_s: 4_260,
            eta: None,
        },
        Ship {
            mmsi: OUTBOUND,
            imo: 9_800_001,
            name: "ARCTIC STAR",
            callsign: "UBXY",
            destination: "BERGEN",
            lat: 60.6,
            lon: 3.2,
            sog_kn: 12.0,
            cog_deg: 270.0,
            last_s: 1_860,
            eta: None,
        },
        Ship {
            mmsi: INSIDE,
            imo: 9_700_002,
            name: "KARI",
            callsign: "OJAB",
            destination: "NOTOS",
            lat: 60.35,
            lon: 4.6,
            sog_kn: 0.0,
            cog_deg: 0.0,
            last_s: 4_260,
            eta: None,
        },
        Ship {
            mmsi: WAITING,
            imo: 9_600_005,
            name: "VEGA",
            callsign: "SFAB",
            destination: "HAUGESUND",
            lat: 59.4,
            lon: 3.0,
            sog_kn: 0.0,
            cog_deg: 0.0,
            last_s: 4_260,
            // T0 + 4,260 s is 2025-11-24T17:11Z: ten hours later.
            eta: Some((11, 25, 3, 11)),
        },
    ]
}

/// The ship's messages as `(event time, sentences)`: its static data, then a position report every 5 minutes until
/// `last_s`.
fn messages(s: &Ship) -> Vec<(i64, Vec<String>)> {
    let opts = |t_s: i64| EncodeOptions {
        tag_time_s: Some(t_s),
        station: Some("2573999".into()),
        channel: b'A',
        ..EncodeOptions::default()
    };
    let statics = StaticAndVoyageData {
        mmsi: s.mmsi,
        imo: s.imo,
        callsign: AisText::from_ascii(s.callsign),
        shipname: AisText::from_ascii(s.name),
        shiptype: 70,
        destination: AisText::from_ascii(s.destination),
        month: s.eta.map_or(0, |e| e.0),
        day: s.eta.map_or(0, |e| e.1),
        hour: s.eta.map_or(24, |e| e.2),
        minute: s.eta.map_or(60, |e| e.3),
        ..StaticAndVoyageData::default()
    };
    let mut out = vec![(
        T0,
        encode_sentences(&AisMessage::StaticVoyage(statics).encode(), &opts(T0)),
    )];
    for t in (T0 + 60..=T0 + s.last_s).step_by(300) {
        let p = PositionReport {
            msg_type: 1,
            mmsi: s.mmsi,
            speed: (s.sog_kn * 10.0) as u16,
            course: (s.cog_deg * 10.0) as u16,
            heading: s.cog_deg as u16,
            lat: (s.lat * 600_000.0) as i32,
            lon: (s.lon * 600_000.0) as i32,
            second: (t % 60) as u8,
            ..PositionReport::default()
        };
        out.push((
            t,
            encode_sentences(&AisMessage::Position(p).encode(), &opts(t)),
        ));
    }
    out
}

fn start() -> (tempfile::TempDir, Serve) {
    let dir = tempfile::tempdir().unwrap();
    let rec = dir.path().join("rec.nmea");
    let mut f = std::fs::File::create(&rec).unwrap();
    let mut all: Vec<(i64, Vec<String>)> = ships().iter().flat_map(messages).collect();
    // In event-time order, each message's sentences together.
    all.sort_by_key(|(t, _)| *t);
    for l in all.iter().flat_map(|(_, m)| m) {
        writeln!(f, "{l}").unwrap();
    }
    let cfg = dir.path().join("varde.toml");
    std::fs::write(
        &cfg,
        format!(
            "[serve]\nlisten = \"127.0.0.1:0\"\n[[serve.sources]]\nname = \"rec\"\nkind = \"file\"\npath = \"{}\"\nspeed = 0\n",
            rec.display()
        ),
    )
    .unwrap();
    let data = dir.path().join("data");
    let serve = Serve::start(&cfg, &["--data-dir", data.to_str().unwrap()]);
    let last: Vec<(u64, String)> = ships()
        .iter()
        .map(|s| {
            let t = varde_ais::time::rfc3339_ms((T0 + s.last_s) * 1000);
            (u64::from(s.mmsi), t)
        })
        .collect();
    wait_until("every vessel with its last report", 60, || {
        let v = serve.get("/api/vessels");
        v.as_array().is_some_and(|a| {
            a.len() == ships().len()
                && a.iter().all(|v| {
                    v["name"].is_string()
                        && last.iter().any(|(m, t)| {
                            v["mmsi"] == *m && v["last_seen"].as_str() == Some(t.as_str())
                        })
                })
        })
    });
    (dir, serve)
}

fn mmsis(v: &serde_json::Value) -> Vec<u64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|h| h["mmsi"].as_u64().unwrap())
        .collect()
}

fn status(serve: &Serve, path: &str) -> u16 {
    match ureq::get(&format!("{}{path}", serve.base))
        .set("Authorization", &format!("Bearer {TOKEN}"))
        .call()
    {
        Ok(r) => r.status(),
        Err(ureq::Error::Status(code, _)) => code,
        Err(e) => panic!("{path}: {e}"),
    }
}

#[test]
fn search_and_arrivals_through_the_api() {
    let (_dir, serve) = start();
    let inbound = u64::from(INBOUND);
    let foreign = u64::from(FOREIGN_BOUND);

    // By MMSI: exact, then prefix.
    let hits = serve.get("/api/search?q=257100001");
    assert_eq!(mmsis(&hits), [inbound], "{hits}");
    assert_eq!(hits[0]["match"]["field"], "mmsi");
    assert_eq!(hits[0]["match"]["rank"], "exact");
    assert_eq!(hits[0]["imo"], 9_123_456);
    assert_eq!(hits[0]["callsign"], "LAXY7");
    assert_eq!(hits[0]["flag"], "NO");
    assert!(hits[0]["lat"].is_number() && hits[0]["last_seen"].is_string());
    let hits = serve.get("/api/search?q=2571000");
    assert_eq!(mmsis(&hits), [inbound, foreign], "{hits}");
    assert!(hits
        .as_array()
        .unwrap()
        .iter()
        .all(|h| h["match"]["rank"] == "prefix"));
    // By IMO, with or without the prefix.
    let hits = serve.get("/api/search?q=9123457");
    assert_eq!(mmsis(&hits), [foreign], "{hits}");
    assert_eq!(hits[0]["match"]["field"], "imo");
    assert_eq!(mmsis(&serve.get("/api/search?q=IMO%209123456")), [inbound]);
    // By name: the exact name before the longer name it begins.
    let hits = serve.get("/api/search?q=nordic%20star");
    assert_eq!(mmsis(&hits), [inbound, foreign], "{hits}");
    assert_eq!(hits[0]["match"]["rank"], "exact");
    assert_eq!(hits[1]["match"]["rank"], "prefix");
    // By call sign, any case.
    let hits = serve.get("/api/search?q=laxy7");
    assert_eq!(mmsis(&hits), [inbound], "{hits}");
    assert_eq!(hits[0]["match"]["field"], "callsign");
    // A substring: live vessels first; ARCTIC STAR, silent 40 min, last though first by name.
    let hits = serve.get("/api/search?q=star");
    assert_eq!(
        mmsis(&hits),
        [inbound, foreign, u64::from(OUTBOUND)],
        "{hits}"
    );
    assert_eq!(hits[2]["live"], false);
    assert_eq!(hits[0]["live"], true);
    assert_eq!(mmsis(&serve.get("/api/search?q=star&limit=1")), [inbound]);
    assert_eq!(
        mmsis(&serve.get("/api/search?q=NOSUCHSHIP")),
        [] as [u64; 0]
    );
    assert_eq!(status(&serve, "/api/search?q="), 400);
    assert_eq!(status(&serve, "/api/search"), 400);

    // Arrivals within a day: the one inside, the inbound vessel, the one waiting for its ETA,
    // soonest first.
    let list = serve.get("/api/arrivals");
    assert_eq!(
        mmsis(&list),
        [u64::from(INSIDE), inbound, u64::from(WAITING)],
        "{list}"
    );
    let inside = &list[0];
    assert_eq!(inside["status"], "inside");
    assert_eq!(inside["flag"], "FI");
    assert_eq!(inside["port"], "Tromsø");
    assert_eq!(inside["locode"], "NOTOS");
    assert!(inside["last_port"].is_null() && inside["hours_to_zone"].is_null());
    assert!(inside["eta"].is_null(), "{inside}");
    let a = &list[1];
    assert_eq!(a["status"], "entering");
    assert_eq!(a["destination"], "BERGEN");
    assert_eq!(a["port"], "Bergen");
    assert_eq!(a["last_port"], "NLRTM");
    assert_eq!(a["flag"], "NO");
    assert_eq!(a["basis"], "course");
    assert_eq!(a["sog"], 12.0);
    // The ETA of its message 5 (25 November, 06:30), resolved against the report's year.
    assert_eq!(a["eta"], "2025-11-25T06:30:00Z");
    let h = a["hours_to_zone"].as_f64().unwrap();
    assert!((0.5..6.0).contains(&h), "{a}");
    assert!(a["entry_estimate"].is_string());
    let w = &list[2];
    assert_eq!(w["status"], "entering");
    assert_eq!(w["basis"], "eta");
    assert_eq!(w["port"], "Haugesund");
    assert_eq!(w["eta"], "2025-11-25T03:11:00Z");
    assert_eq!(w["entry_estimate"], "2025-11-25T03:11:00Z");
    assert_eq!(w["hours_to_zone"], 10.0);
    assert!(w["distance_nm"].as_f64().is_some_and(|d| d > 40.0), "{w}");
    // Within six hours its ETA is too far.
    assert_eq!(
        mmsis(&serve.get("/api/arrivals?hours=6")),
        [u64::from(INSIDE), inbound]
    );
    // Within the hour only the one inside.
    assert_eq!(
        mmsis(&serve.get("/api/arrivals?hours=1")),
        [u64::from(INSIDE)]
    );
    assert_eq!(status(&serve, "/api/arrivals?hours=0"), 400);
    assert_eq!(status(&serve, "/api/arrivals?format=xml"), 400);

    // CSV: the header, then one row per vessel, the same as the JSON.
    for path in ["/api/arrivals.csv", "/api/arrivals?format=csv"] {
        let resp = ureq::get(&format!("{}{path}", serve.base))
            .set("Authorization", &format!("Bearer {TOKEN}"))
            .call()
            .unwrap();
        assert!(resp.content_type().starts_with("text/csv"), "{path}");
        let body = resp.into_string().unwrap();
        let rows: Vec<&str> = body.lines().collect();
        assert_eq!(
            rows[0],
            "mmsi,name,callsign,imo,flag,destination,port,last_port,eta,status,hours_to_zone,\
             entry_estimate,lat,lon,sog,cog,last_seen"
        );
        assert_eq!(rows.len(), 4, "{body}");
        assert!(
            rows[1].starts_with("230100004,KARI,OJAB,9700002,FI,NOTOS,Tromsø,,,inside,"),
            "{body}"
        );
        assert!(
            rows[2].starts_with(
                "257100001,NORDIC STAR,LAXY7,9123456,NO,BERGEN,Bergen,NLRTM,\
                 2025-11-25T06:30:00Z,entering,"
            ),
            "{body}"
        );
        assert!(
            rows[3].starts_with(
                "265100005,VEGA,SFAB,9600005,SE,HAUGESUND,Haugesund,,2025-11-25T03:11:00Z,\
                 entering,10,2025-11-25T03:11:00Z,"
            ),
            "{body}"
        );
    }
}
