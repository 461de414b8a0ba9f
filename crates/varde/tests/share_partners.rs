//! Partner-scoped sharing through `varde serve`: two sources (open AIS, and a national sensor
//! labelled `NOR BEGRENSET//REL NOR`) and three partners (nor: NOR, NATO, cleared NOR
//! BEGRENSET; swe: SWE, EU, positions coarsened and stations dropped; eu: EU, 30 minutes'
//! delay). Each partner's token gets exactly the items releasable to it — the expectation is
//! computed from the labels the operator sees with `Partner::may_receive`, not listed by hand —
//! on `/api/vessels`, `/api/vessels/{mmsi}`, a track, `/api/alerts`, `/api/incidents`,
//! `/api/layers`, `/api/stream` and `/share/geojson`; redaction shows; removing a partner from the
//! configuration ends its open stream and refuses its token; an unknown token is refused.

mod serve_harness;
mod share_support;

use serde_json::Value;
use serve_harness::{position_line, wait_until, Serve, TOKEN};
use share_support::{
    get_with, json_label, nor_and_swe, now_s, partner, serve_section, serve_with, share_of, token,
    without_partner, Feed,
};
use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::sync::mpsc;
use std::time::{Duration, Instant};
use varde_share::config::PartnerEntry;

/// nor and swe (positions coarsened, stations dropped) given the geojson feed; eu only the API,
/// 30 minutes late.
fn share() -> String {
    nor_and_swe("geojson", token) + REST
}

use share_support::SWE_REDACTION_AND_EU as REST;

const DELAY_MS: i64 = 30 * 60_000;

/// Unix ms of an RFC 3339 UTC time `YYYY-MM-DDTHH:MM:SS(.mmm)Z`.
fn time_ms(s: &str) -> i64 {
    let n = |r: std::ops::Range<usize>| s[r].parse::<i64>().unwrap();
    let days = varde_ais::time::days_from_civil(n(0..4), n(5..7) as u32, n(8..10) as u32);
    let ms = if s.len() > 20 { n(20..23) } else { 0 };
    ((days * 24 + n(11..13)) * 60 + n(14..16)) * 60_000 + n(17..19) * 1000 + ms
}

/// Whether `p` may be given an item with this label and time now.
fn releasable(p: &PartnerEntry, label_json: &Value, time_ms: Option<i64>) -> bool {
    let now = now_s() * 1000;
    p.partner.may_receive(&json_label(label_json))
        && (p.redact.delay_min == 0
            || time_ms.is_some_and(|t| t <= now - i64::from(p.redact.delay_min) * 60_000))
}

/// GET `path` with `token` as JSON, or the error status.
fn get(s: &Serve, token: &str, path: &str) -> Result<Value, u16> {
    let (status, _, body) = get_with(&s.base, token, path);
    if status >= 400 {
        return Err(status);
    }
    Ok(serde_json::from_str(&body).unwrap())
}

/// Lines of an open stream, read on a thread; `None` when it ended.
struct Lines {
    rx: mpsc::Receiver<Option<String>>,
}

impl Lines {
    fn open(s: &Serve, token: &str, path: &str) -> Result<Self, u16> {
        let agent = ureq::AgentBuilder::new()
            .timeout_read(Duration::from_secs(60))
            .build();
        let resp = match agent
            .get(&format!("{}{path}", s.base))
            .set("Authorization", &format!("Bearer {token}"))
            .call()
        {
            Ok(r) => r,
            Err(ureq::Error::Status(code, _)) => return Err(code),
            Err(e) => panic!("{path}: {e}"),
        };
        let (tx, rx) = mpsc::channel();
        let reader = BufReader::new(resp.into_reader());
        std::thread::spawn(move || {
            for l in reader.lines() {
                match l {
                    Ok(l) => {
                        if tx.send(Some(l)).is_err() {
                            return;
                        }
                    }
                    Err(_) => break,
                }
            }
            let _ = tx.send(None);
        });
        Ok(Self { rx })
    }

    /// Lines until `done` holds for one (returned), or the stream ends (`Err` with the lines).
    fn until(&self, secs: u64, mut done: impl FnMut(&str) -> bool) -> Vec<String> {
        let deadline = Instant::now() + Duration::from_secs(secs);
        let mut seen = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.rx.recv_timeout(left) {
                Ok(Some(l)) => {
                    let stop = done(&l);
                    seen.push(l);
                    if stop {
                        return seen;
                    }
                }
                Ok(None) => panic!("stream ended: {seen:?}"),
                Err(_) => panic!("timed out: {seen:?}"),
            }
        }
    }

    /// Whether the stream ends within `secs`.
    fn ends_within(&self, secs: u64) -> bool {
        let deadline = Instant::now() + Duration::from_secs(secs);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.rx.recv_timeout(left) {
                Ok(Some(_)) => continue,
                Ok(None) => return true,
                Err(_) => return false,
            }
        }
    }
}

fn mmsis(items: &Value) -> BTreeSet<u64> {
    items
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["mmsi"].as_u64().unwrap())
        .collect()
}

#[test]
fn each_partner_receives_exactly_what_is_releasable_to_it() {
    let dir = tempfile::tempdir().unwrap();
    let (ais, ais_addr) = Feed::listen();
    let (radar, radar_addr) = Feed::listen();
    let serve_cfg = serve_section(&ais_addr, &radar_addr);
    let config = dir.path().join("varde.toml");
    let share_text = share();
    std::fs::write(&config, format!("{serve_cfg}{share_text}")).unwrap();
    let watchlist = dir.path().join("watch.txt");
    std::fs::write(&watchlist, "273999999\n273999998\n").unwrap();
    let s = Serve::start(&config, &["--watchlist", watchlist.to_str().unwrap()]);
    let share = share_of(&share_text);
    let tokens = [("nor", "tok-nor"), ("swe", "tok-swe"), ("eu", "tok-eu")];

    let now = now_s();
    let old = now - 2 * 3600;
    // Open AIS: an old vessel, a recent one, a watch-listed one; the first track points of 4.
    ais.send(&[
        position_line(257_000_001, old, 60.1, 4.1),
        position_line(257_000_002, now - 60, 60.2, 4.2),
        position_line(273_999_999, old, 60.3, 4.3),
        position_line(257_000_004, old, 60.41, 4.4),
        position_line(257_000_004, old + 60, 60.42, 4.4),
    ]);
    // The national sensor: a vessel only it sees, a watch-listed one, and 4's latest point.
    radar.send(&[
        position_line(257_000_003, old, 60.5, 4.5),
        position_line(273_999_998, old, 60.6, 4.6),
        position_line(257_000_004, old + 120, 60.43, 4.4),
    ]);
    wait_until("every vessel and both watch-list alerts", 30, || {
        mmsis(&s.get("/api/vessels")).len() == 6
            && s.get("/api/alerts").as_array().unwrap().len() >= 2
    });

    // The operator sees everything, each item labelled.
    let vessels = s.get("/api/vessels");
    let by_mmsi = |m: u64| {
        vessels
            .as_array()
            .unwrap()
            .iter()
            .find(|v| v["mmsi"] == m)
            .unwrap()
            .clone()
    };
    let banner = |v: &Value| v["label"]["banner"].as_str().unwrap().to_owned();
    assert_eq!(banner(&by_mmsi(257_000_001)), "UNCLASSIFIED");
    assert_eq!(banner(&by_mmsi(257_000_003)), "NOR BEGRENSET//REL NOR");
    assert_eq!(banner(&by_mmsi(257_000_004)), "NOR BEGRENSET//REL NOR");
    let alerts = s.get("/api/alerts");
    let alert_of = |m: u64| {
        alerts
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["mmsi"] == m)
            .unwrap()
            .clone()
    };
    assert_eq!(banner(&alert_of(273_999_999)), "UNCLASSIFIED");
    assert_eq!(banner(&alert_of(273_999_998)), "NOR BEGRENSET//REL NOR");
    let incidents = s.get("/api/incidents");
    assert!(incidents
        .as_array()
        .unwrap()
        .iter()
        .all(|i| i["label"]["banner"].is_string()));
    let op_track = s.get("/api/vessels/257000004/track");
    assert_eq!(
        op_track["geometry"]["coordinates"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
    assert_eq!(
        op_track["properties"]["label"]["banner"],
        "NOR BEGRENSET//REL NOR"
    );
    let layers = s.get("/api/layers");
    assert!(layers
        .as_array()
        .unwrap()
        .iter()
        .all(|l| l["label"]["banner"] == "UNCLASSIFIED"));

    for (id, token) in tokens {
        let p = partner(&share, id);
        // Vessels: exactly the releasable ones (label and delay), with their labels.
        let want: BTreeSet<u64> = vessels
            .as_array()
            .unwrap()
            .iter()
            .filter(|v| {
                releasable(
                    &p,
                    &v["label"],
                    Some(time_ms(v["last_seen"].as_str().unwrap())),
                )
            })
            .map(|v| v["mmsi"].as_u64().unwrap())
            .collect();
        let got = get(&s, token, "/api/vessels").unwrap();
        assert_eq!(mmsis(&got), want, "{id}: /api/vessels");
        assert!(!want.is_empty(), "{id} gets some vessels");
        for v in got.as_array().unwrap() {
            assert!(p.partner.may_receive(&json_label(&v["label"])), "{id}: {v}");
            let m = v["mmsi"].as_u64().unwrap();
            let one = get(&s, token, &format!("/api/vessels/{m}")).unwrap();
            assert_eq!(one["label"], v["label"]);
        }
        for m in mmsis(&vessels).difference(&want) {
            assert_eq!(
                get(&s, token, &format!("/api/vessels/{m}")),
                Err(404),
                "{id}: {m}"
            );
        }
        // Alerts and incidents.
        let want: BTreeSet<String> = alerts
            .as_array()
            .unwrap()
            .iter()
            .filter(|a| releasable(&p, &a["label"], a["end"].as_str().map(time_ms)))
            .map(|a| a["id"].as_str().unwrap().to_owned())
            .collect();
        let got_alerts = get(&s, token, "/api/alerts").unwrap();
        let got: BTreeSet<String> = got_alerts
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["id"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(got, want, "{id}: /api/alerts");
        let want: BTreeSet<String> = incidents
            .as_array()
            .unwrap()
            .iter()
            .filter(|i| releasable(&p, &i["label"], i["end"].as_str().map(time_ms)))
            .map(|i| i["id"].as_str().unwrap().to_owned())
            .collect();
        let got: BTreeSet<String> = get(&s, token, "/api/incidents")
            .unwrap()
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["id"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(got, want, "{id}: /api/incidents");
        // The mixed track: the points from sources releasable to it.
        let track = get(&s, token, "/api/vessels/257000004/track").unwrap();
        let n = track["properties"]["times"].as_array().unwrap().len();
        let want_points = [("ais", old), ("ais", old + 60), ("radar", old + 120)]
            .iter()
            .filter(|(src, t)| {
                let l = share.label_for_source(src);
                p.partner.may_receive(l)
                    && (p.redact.delay_min == 0 || t * 1000 <= now * 1000 - DELAY_MS)
            })
            .count();
        assert_eq!(n, want_points, "{id}: track {track}");
        let want_geometry = match n {
            0 => serde_json::Value::Null,
            1 => "Point".into(),
            _ => "LineString".into(),
        };
        assert_eq!(
            track["geometry"].get("type").cloned().unwrap_or_default(),
            want_geometry,
            "{id}: track {track}"
        );
        assert!(p
            .partner
            .may_receive(&json_label(&track["properties"]["label"])));
        // Layers are open.
        assert_eq!(
            get(&s, token, "/api/layers")
                .unwrap()
                .as_array()
                .unwrap()
                .len(),
            4
        );
    }

    // Redaction shows: swe's positions are coarsened and its alerts carry no evidence.
    let swe_v = get(&s, "tok-swe", "/api/vessels/257000001").unwrap();
    let op_v = by_mmsi(257_000_001);
    assert_ne!(swe_v["lat"], op_v["lat"]);
    assert!((swe_v["lat"].as_f64().unwrap() - op_v["lat"].as_f64().unwrap()).abs() < 0.01);
    let swe_a = get(&s, "tok-swe", "/api/alerts").unwrap();
    assert!(!swe_a.as_array().unwrap().is_empty());
    assert!(swe_a
        .as_array()
        .unwrap()
        .iter()
        .all(|a| a.get("evidence").is_none()));
    assert!(alert_of(273_999_999)["evidence"].is_array());
    // Open alerts are withheld from the delayed partner.
    assert_eq!(
        get(&s, "tok-eu", "/api/alerts").unwrap(),
        Value::Array(vec![])
    );

    // Credentials: unknown token 401; a partner cannot read the operator's endpoints; the geojson
    // feed only for partners given it.
    assert_eq!(get(&s, "nope", "/api/vessels"), Err(401));
    assert_eq!(get(&s, "tok-swe", "/api/sources"), Err(403));
    assert_eq!(Lines::open(&s, "tok-eu", "/share/geojson").err(), Some(403));
    assert_eq!(Lines::open(&s, TOKEN, "/share/geojson").err(), Some(403));

    // Live: nor and swe on /share/geojson, swe on /api/stream.
    let nor_geo = Lines::open(&s, "tok-nor", "/share/geojson").unwrap();
    let swe_geo = Lines::open(&s, "tok-swe", "/share/geojson").unwrap();
    let swe_sse = Lines::open(&s, "tok-swe", "/api/stream").unwrap();
    swe_sse.until(10, |l| l == "event: hello");
    // The snapshot first: the partner's releasable vessels as Features, labelled.
    let first = nor_geo.until(10, |l| l.contains("257000003"));
    let f: Value =
        serde_json::from_str(first.last().unwrap().trim_start_matches('\u{1e}')).unwrap();
    assert_eq!(f["type"], "Feature");
    assert_eq!(f["properties"]["label"]["banner"], "NOR BEGRENSET//REL NOR");
    let t = now_s();
    radar.send(&[position_line(257_000_007, t, 60.7, 4.7)]);
    ais.send(&[position_line(257_000_008, t, 60.8, 4.8)]);
    let (mut seen7, mut seen8) = (false, false);
    nor_geo.until(20, |l| {
        seen7 |= l.contains("\"vessel:257000007\"");
        seen8 |= l.contains("\"vessel:257000008\"");
        seen7 && seen8
    });
    // Both were published; a later open report marks the end of what swe could have been sent.
    ais.send(&[position_line(257_000_010, now_s(), 61.0, 5.0)]);
    let swe_got = swe_geo.until(20, |l| l.contains("\"vessel:257000010\""));
    let swe_events = swe_sse.until(20, |l| l.contains("257000010"));
    assert!(swe_got.iter().any(|l| l.contains("\"vessel:257000008\"")));
    assert!(swe_events.iter().any(|l| l.contains("257000008")));
    // swe never gets the national sensor's vessels, on either feed.
    for l in swe_got.iter().chain(&swe_events) {
        assert!(!l.contains("257000007") && !l.contains("257000003"), "{l}");
    }
    let feature: Value = swe_got
        .iter()
        .filter_map(|l| serde_json::from_str::<Value>(l.trim_start_matches('\u{1e}')).ok())
        .find(|f| f["id"] == "vessel:257000008")
        .unwrap();
    assert_eq!(feature["properties"]["label"]["banner"], "UNCLASSIFIED");
    let c = feature["geometry"]["coordinates"].as_array().unwrap();
    assert!((c[1].as_f64().unwrap() - 60.8).abs() < 0.01);
    assert_ne!(c[1].as_f64().unwrap(), 60.8, "coarsened");

    // Audited (counted) releases, and the drop counter, on /metrics.
    let metrics = s.metrics();
    for feed in ["api", "geojson", "stream"] {
        assert!(
            metrics.contains(&format!(
                "varde_share_released_total{{partner=\"swe\",feed=\"{feed}\"}}"
            )),
            "{feed}: {metrics}"
        );
    }
    assert!(metrics.contains("varde_share_dropped_total{partner=\"swe\"} 0"));
    // Every release went to the audit log, none refused (read again while a stream event is
    // being counted between the two figures).
    let sum = |metrics: &str, prefix: &str| -> u64 {
        metrics
            .lines()
            .filter(|l| l.starts_with(prefix))
            .filter_map(|l| l.rsplit(' ').next()?.parse::<u64>().ok())
            .sum()
    };
    let mut tries = 0;
    loop {
        let m = s.metrics();
        let released = sum(&m, "varde_share_released_total{");
        let recorded = sum(&m, "varde_audit_recorded_total ");
        assert!(released > 0);
        assert_eq!(sum(&m, "varde_audit_refused_total "), 0, "{m}");
        if recorded == released {
            break;
        }
        tries += 1;
        assert!(tries < 20, "audited {recorded} of {released} releases: {m}");
        std::thread::sleep(std::time::Duration::from_millis(100));
    }

    // Revocation: nor removed from the configuration ends its stream and refuses its token.
    let without_nor = without_partner(&share_text, "nor");
    assert!(!without_nor.contains("tok-nor") && without_nor.contains("tok-swe"));
    std::fs::write(&config, format!("{serve_cfg}{without_nor}")).unwrap();
    assert!(
        nor_geo.ends_within(15),
        "the revoked partner's stream ended; reloaded: {}",
        s.logged(&["share partners reloaded"])
    );
    assert_eq!(get(&s, "tok-nor", "/api/vessels"), Err(401));
    // Others carry on.
    ais.send(&[position_line(257_000_009, now_s(), 60.9, 4.9)]);
    swe_geo.until(20, |l| l.contains("\"vessel:257000009\""));
    assert!(get(&s, "tok-swe", "/api/vessels").is_ok());
    drop(radar);
}

/// A partner that stops reading loses positions — counted in
/// `varde_share_dropped_total{partner}` and told by `event: lagged` when it reads again — while
/// ingest carries on at full speed.
#[test]
fn a_slow_partner_is_dropped_and_counted_without_slowing_ingest() {
    let dir = tempfile::tempdir().unwrap();
    let (ais, ais_addr) = Feed::listen();
    let config = dir.path().join("varde.toml");
    std::fs::write(
        &config,
        format!(
            "{}[[share.partners]]\nid = \"swe\"\nsatisfies = [\"SWE\"]\ntoken = \"tok-swe\"\n",
            serve_with("live_position_capacity = 64\n", &[("ais", &ais_addr)])
        ),
    )
    .unwrap();
    let s = Serve::start(&config, &[]);
    // Opened, then not read: the service's socket buffers fill and the subscriber falls behind.
    let agent = ureq::AgentBuilder::new()
        .timeout_read(Duration::from_secs(60))
        .build();
    let resp = agent
        .get(&format!("{}/api/stream", s.base))
        .set("Authorization", "Bearer tok-swe")
        .call()
        .unwrap();
    let t0 = now_s() - 3600;
    let (vessels, steps) = (400u32, 100i64);
    let mut lines = Vec::new();
    for i in 0..steps {
        for k in 0..vessels {
            let lat = 58.0 + f64::from(k % 100) * 0.04 + i as f64 * 0.0005;
            lines.push(position_line(
                257_100_000 + k,
                t0 + i * 10,
                lat,
                2.0 + f64::from(k / 100) * 0.1,
            ));
        }
    }
    ais.send(&lines);
    let total = u64::from(vessels) * steps as u64;
    wait_until(
        "ingest of every line while the partner is stalled",
        120,
        || s.metric("varde_lines_total").unwrap_or(0) >= total,
    );
    // Reading again: the losses are told first.
    let mut reader = BufReader::new(resp.into_reader());
    let mut line = String::new();
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        line.clear();
        assert!(reader.read_line(&mut line).unwrap() > 0, "stream open");
        if line.trim_end() == "event: lagged" {
            break;
        }
        assert!(Instant::now() < deadline, "no lagged notice");
    }
    line.clear();
    reader.read_line(&mut line).unwrap();
    let lagged: Value = serde_json::from_str(line.trim_start_matches("data:").trim()).unwrap();
    let lost = lagged["positions"].as_u64().unwrap();
    assert!(lost > 0, "{lagged}");
    assert!(
        s.metric("varde_share_dropped_total{partner=\"swe\"}")
            .unwrap()
            >= lost
    );
}

/// Labels outlive a restart: the vessels' sources are kept with the engine's snapshot, so each
/// partner receives the same vessels, with the same labels, after `varde serve` restarts.
#[test]
fn labels_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let (ais, ais_addr) = Feed::listen();
    let (radar, radar_addr) = Feed::listen();
    let config = dir.path().join("varde.toml");
    std::fs::write(
        &config,
        format!(
            "{}{}",
            serve_with(
                &format!("data_dir = \"{}\"\n", dir.path().join("store").display()),
                &[("ais", &ais_addr), ("radar", &radar_addr)]
            ),
            share()
        ),
    )
    .unwrap();
    let mut s = Serve::start(&config, &[]);
    let t = now_s() - 3600;
    ais.send(&[
        position_line(257_000_001, t, 60.1, 4.1),
        position_line(257_000_004, t, 60.4, 4.4),
    ]);
    radar.send(&[
        position_line(257_000_003, t, 60.5, 4.5),
        position_line(257_000_004, t + 60, 60.41, 4.4),
    ]);
    wait_until("four vessels", 30, || {
        mmsis(&s.get("/api/vessels")).len() == 3
    });
    let before: Vec<(&str, Value)> = [("op", TOKEN), ("swe", "tok-swe"), ("nor", "tok-nor")]
        .into_iter()
        .map(|(who, tok)| (who, get(&s, tok, "/api/vessels").unwrap()))
        .collect();
    assert_eq!(mmsis(&before[1].1), BTreeSet::from([257_000_001]));
    s.terminate(Duration::from_secs(20))
        .expect("stops on SIGTERM");
    drop((ais, radar));
    let s = Serve::start(&config, &[]);
    for (who, body) in &before {
        let tok = match *who {
            "op" => TOKEN,
            "swe" => "tok-swe",
            _ => "tok-nor",
        };
        let after = get(&s, tok, "/api/vessels").unwrap();
        let labels = |v: &Value| -> Vec<(u64, Value)> {
            v.as_array()
                .unwrap()
                .iter()
                .map(|x| (x["mmsi"].as_u64().unwrap(), x["label"].clone()))
                .collect()
        };
        assert_eq!(labels(&after), labels(body), "{who}");
    }
}

/// Five sources at five labels (open; `NOR BEGRENSET//REL NOR`; `NATO RESTRICTED//REL NATO`;
/// `RESTREINT UE//REL EU`; open with the caveat `KYSTVAKT`) and twenty partners with seeded
/// random nations, clearances and caveats, all reading `/share/geojson` while 6,000 positions
/// arrive as fast as the service takes them. No partner receives a vessel whose source's label
/// it may not receive (the expectation comes from the configuration, not from the labels the
/// service writes), every item's label admits it, and afterwards each partner's `/api/vessels`
/// is exactly its releasable set.
#[test]
fn twenty_partners_under_load_never_receive_an_item_not_releasable_to_them() {
    const SOURCES: [&str; 5] = ["open", "nor", "nato", "eu", "kv"];
    const NATIONS: [&str; 9] = [
        "NOR", "SWE", "DNK", "FIN", "ISL", "GBR", "USA", "NATO", "EU",
    ];
    let mut seed = 0x5eed_u64;
    let mut rand = |n: u64| {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (seed >> 33) % n
    };
    let mut text = String::from(
        r#"
[share.source_labels]
nor = { policy = "NOR", classification = "BEGRENSET", rel = ["NOR"] }
nato = { policy = "NATO", classification = "NATO RESTRICTED", rel = ["NATO"] }
eu = { policy = "EU", classification = "RESTREINT UE", rel = ["EU"] }
kv = { caveats = ["KYSTVAKT"] }
"#,
    );
    let levels = [
        ("NOR", ["UGRADERT", "BEGRENSET"]),
        ("NATO", ["NATO UNCLASSIFIED", "NATO RESTRICTED"]),
        ("EU", ["EU UNCLASSIFIED", "RESTREINT UE"]),
    ];
    for i in 0..20 {
        let satisfies: Vec<String> = NATIONS
            .iter()
            .filter(|_| i == 0 || (i != 1 && rand(3) == 0))
            .map(|n| format!("\"{n}\""))
            .collect();
        let clearance: Vec<String> = levels
            .iter()
            .filter_map(|(policy, names)| {
                let pick = if i == 0 { 1 } else { rand(3) };
                (i != 1 && pick < 2).then(|| format!("{policy} = \"{}\"", names[pick as usize]))
            })
            .collect();
        let caveats = if i == 0 || (i != 1 && rand(2) == 0) {
            "[\"KYSTVAKT\"]"
        } else {
            "[]"
        };
        text.push_str(&format!(
            "\n[[share.partners]]\nid = \"p{i}\"\nsatisfies = [{}]\nclearance = {{ {} }}\n\
             caveats = {caveats}\nfeeds = [\"geojson\"]\ntoken = \"tok-p{i}\"\n",
            satisfies.join(", "),
            clearance.join(", ")
        ));
    }
    let share = share_of(&text);
    let may = |p: &PartnerEntry, source: usize| {
        p.partner
            .may_receive(share.label_for_source(SOURCES[source]))
    };
    let partners: Vec<PartnerEntry> = (0..20).map(|i| partner(&share, &format!("p{i}"))).collect();
    assert!(SOURCES
        .iter()
        .enumerate()
        .all(|(k, _)| may(&partners[0], k)));
    assert!((1..SOURCES.len()).all(|k| !may(&partners[1], k)));
    // The draw gives a mix: some partner between the two extremes for every restricted source.
    for (k, source) in SOURCES.iter().enumerate().skip(1) {
        assert!(partners[2..].iter().any(|p| may(p, k)), "{source}");
        assert!(partners[2..].iter().any(|p| !may(p, k)), "{source}");
    }

    let dir = tempfile::tempdir().unwrap();
    let feeds: Vec<(Feed, String)> = SOURCES.iter().map(|_| Feed::listen()).collect();
    let named: Vec<(&str, &str)> = SOURCES
        .iter()
        .zip(&feeds)
        .map(|(n, (_, a))| (*n, a.as_str()))
        .collect();
    let config = dir.path().join("varde.toml");
    std::fs::write(&config, serve_with("", &named) + &text).unwrap();
    let s = Serve::start(&config, &[]);
    let streams: Vec<Lines> = (0..20)
        .map(|i| Lines::open(&s, &format!("tok-p{i}"), "/share/geojson").unwrap())
        .collect();

    // Vessel 257_2KK_VVV is reported by source KK only.
    let mmsi = |k: usize, v: u32| 257_200_000 + k as u32 * 1000 + v;
    let source_of = |m: u64| ((m - 257_200_000) / 1000) as usize;
    let (vessels, steps) = (40u32, 30i64);
    let t0 = now_s() - 1800;
    for step in 0..steps {
        for (k, (feed, _)) in feeds.iter().enumerate() {
            let lines: Vec<String> = (0..vessels)
                .map(|v| {
                    let lat = 58.0 + k as f64 * 0.5 + f64::from(v) * 0.01 + step as f64 * 0.001;
                    position_line(mmsi(k, v), t0 + step * 10, lat, 3.0 + f64::from(v) * 0.02)
                })
                .collect();
            feed.send(&lines);
        }
    }
    let total = u64::from(vessels) * steps as u64 * SOURCES.len() as u64;
    wait_until("ingest of every line", 120, || {
        s.metric("varde_lines_total").unwrap_or(0) >= total
    });

    for (i, (p, stream)) in partners.iter().zip(&streams).enumerate() {
        let expected: BTreeSet<u64> = (0..SOURCES.len())
            .filter(|&k| may(p, k))
            .flat_map(|k| (0..vessels).map(move |v| u64::from(mmsi(k, v))))
            .collect();
        // What the stream delivered: some of the releasable vessels (a slow reader may lose
        // positions, counted), never another.
        let mut streamed = BTreeSet::new();
        while let Ok(Some(line)) = stream.rx.recv_timeout(Duration::from_millis(300)) {
            let Ok(item) = serde_json::from_str::<Value>(line.trim_start_matches('\u{1e}')) else {
                continue;
            };
            let Some(id) = item["id"].as_str() else {
                continue;
            };
            let label = &item["properties"]["label"];
            assert!(
                releasable(p, label, None),
                "p{i} was given {id} labelled {label}"
            );
            if let Some(m) = id.strip_prefix("vessel:") {
                let m: u64 = m.parse().unwrap();
                assert!(
                    expected.contains(&m),
                    "p{i} was given vessel {m} of source {}",
                    SOURCES[source_of(m)]
                );
                streamed.insert(m);
            }
        }
        assert_eq!(
            streamed.is_empty(),
            expected.is_empty(),
            "p{i}: streamed {streamed:?}"
        );
        let listed = mmsis(&get(&s, &format!("tok-p{i}"), "/api/vessels").unwrap());
        assert_eq!(listed, expected, "p{i}: /api/vessels");
    }
}
