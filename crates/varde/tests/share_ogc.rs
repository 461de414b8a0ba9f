//! OGC API – Features at `/ogc` through `varde serve`, per partner, with GDAL's `ogrinfo` (Debian's
//! gdal-bin, driver `OAPIF`) as the peer. Two sources: open AIS, and a national sensor labelled
//! `NOR BEGRENSET//REL NOR`. Partners: nor (NOR, NATO; cleared NOR BEGRENSET), swe (SWE, EU),
//! and dnk (no `ogc` feed: refused with 403). The features each partner should get are computed
//! from the labels the operator sees, with `Partner::may_receive`, never listed by hand.
//!
//! Without `ogrinfo` the GDAL test is skipped visibly (stderr and target/shared-data-skips.txt),
//! except under `CI=true`, where it fails. The paging, `datetime` and 400 test needs no peer.

mod serve_harness;
mod share_support;

use serde_json::Value;
use serve_harness::{position_line, wait_until, Serve, TOKEN};
use share_support::{
    get_with, json_label, nor_and_swe, now_s, partner, serve_section, share_of, skip, token, Feed,
};
use std::collections::BTreeSet;
use std::process::Command;
use varde_share::config::PartnerEntry;

/// nor and swe given the ogc feed; dnk (DNK, NATO) only geojson.
fn share() -> String {
    nor_and_swe("ogc", token) + DNK
}

const DNK: &str = r#"
[[share.partners]]
id = "dnk"
satisfies = ["DNK", "NATO"]
feeds = ["geojson"]
token = "tok-dnk"
"#;

/// GET with a bearer token: status, content type and body.
fn get(s: &Serve, token: &str, path: &str) -> (u16, String, String) {
    get_with(&s.base, token, path)
}

fn get_json(s: &Serve, token: &str, path: &str) -> Value {
    let (status, _, body) = get(s, token, path);
    assert_eq!(status, 200, "{path}: {body}");
    serde_json::from_str(&body).unwrap()
}

/// A service with the two sources, fed `ais` and `radar` positions `(mmsi, seconds ago, lat,
/// lon)`; returns once the operator sees every vessel.
fn start(
    dir: &std::path::Path,
    ais: &[(u32, i64, f64, f64)],
    radar: &[(u32, i64, f64, f64)],
) -> Serve {
    let (ais_feed, ais_addr) = Feed::listen();
    let (radar_feed, radar_addr) = Feed::listen();
    let config = dir.join("varde.toml");
    std::fs::write(
        &config,
        format!("{}{}", serve_section(&ais_addr, &radar_addr), share()),
    )
    .unwrap();
    let s = Serve::start(&config, &[]);
    let now = now_s();
    for (feed, list) in [(&ais_feed, ais), (&radar_feed, radar)] {
        let lines: Vec<String> = list
            .iter()
            .map(|(mmsi, ago, lat, lon)| position_line(*mmsi, now - ago, *lat, *lon))
            .collect();
        feed.send(&lines);
    }
    let want: BTreeSet<u32> = ais.iter().chain(radar).map(|v| v.0).collect();
    wait_until("every vessel in the view", 30, || {
        let all = s.get("/api/vessels?limit=1000");
        all.as_array().unwrap().len() == want.len()
    });
    std::mem::forget((ais_feed, radar_feed));
    s
}

/// The items of `collection` the operator sees, every page.
fn operator_features(s: &Serve, collection: &str, query: &str) -> Vec<Value> {
    let mut out = Vec::new();
    let mut next = Some(format!(
        "{}/ogc/collections/{collection}/items?limit=1000{query}",
        s.base
    ));
    while let Some(url) = next {
        let page = get_json(s, TOKEN, url.strip_prefix(&s.base).unwrap());
        out.extend(page["features"].as_array().unwrap().iter().cloned());
        next = next_link(&page);
    }
    out
}

/// The `next` link of a page of items, if any.
fn next_link(page: &Value) -> Option<String> {
    page["links"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["rel"] == "next")
        .map(|l| l["href"].as_str().unwrap().to_owned())
}

/// MMSIs of `features` whose label `p` may receive.
fn releasable(p: &PartnerEntry, features: &[Value]) -> BTreeSet<u64> {
    features
        .iter()
        .filter(|f| {
            p.partner
                .may_receive(&json_label(&f["properties"]["label"]))
        })
        .map(|f| f["properties"]["mmsi"].as_u64().unwrap())
        .collect()
}

/// `ogrinfo` of Debian's gdal-bin, or a recorded skip (a failure under CI=true).
fn ogrinfo() -> Option<&'static str> {
    if Command::new("ogrinfo").arg("--version").output().is_ok() {
        return Some("ogrinfo");
    }
    skip(
        "ogrinfo (gdal-bin) is absent; scripts/test installs it",
        "skipped share_ogc (GDAL peer): ogrinfo (Debian gdal-bin) is absent",
    )
}

/// `ogrinfo -ro ARGS OAPIF:<base>/ogc LAYERS` with `token` in `GDAL_HTTP_HEADERS`: stdout.
fn run_ogrinfo(bin: &str, s: &Serve, token: &str, args: &[&str], layers: &[&str]) -> String {
    let out = Command::new(bin)
        .arg("-ro")
        .args(args)
        .arg(format!("OAPIF:{}/ogc", s.base))
        .args(layers)
        .env(
            "GDAL_HTTP_HEADERS",
            format!("Authorization: Bearer {token}"),
        )
        .env("GDAL_HTTP_TIMEOUT", "30")
        .env("GDAL_HTTP_MAX_RETRY", "0")
        .output()
        .expect("ogrinfo runs");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "ogrinfo {args:?} failed: {stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

/// `Feature Count: N` of layer `name` in `ogrinfo -so` output.
fn feature_count(summary: &str, name: &str) -> usize {
    let block = summary
        .split("Layer name: ")
        .find(|b| b.starts_with(&format!("{name}\n")))
        .unwrap_or_else(|| panic!("no layer {name}: {summary}"));
    let line = block
        .lines()
        .find_map(|l| l.strip_prefix("Feature Count: "))
        .unwrap_or_else(|| panic!("no count for {name}: {block}"));
    line.trim().parse().unwrap()
}

/// The `mmsi` field of every feature `ogrinfo` lists.
fn listed_mmsis(listing: &str) -> BTreeSet<u64> {
    listing
        .lines()
        .filter_map(|l| l.trim().strip_prefix("mmsi (Integer) = "))
        .map(|v| v.trim().parse().unwrap())
        .collect()
}

#[test]
fn ogrinfo_reads_each_partners_releasable_features() {
    let Some(bin) = ogrinfo() else { return };
    let dir = tempfile::tempdir().unwrap();
    let ais = [
        (257_000_001, 300, 60.1, 4.1),
        (257_000_002, 200, 60.2, 4.2),
        (257_000_003, 100, 62.3, 6.3),
    ];
    let radar = [(257_000_011, 300, 60.5, 4.5), (257_000_012, 50, 62.6, 6.6)];
    let s = start(dir.path(), &ais, &radar);
    let share = share_of(&share());
    let all = operator_features(&s, "vessels", "");
    assert_eq!(all.len(), ais.len() + radar.len());
    let south = operator_features(&s, "vessels", "&bbox=4,60,5,61");
    assert!(!south.is_empty() && south.len() < all.len());

    for (id, token) in [("nor", "tok-nor"), ("swe", "tok-swe")] {
        let p = partner(&share, id);
        let want = releasable(&p, &all);
        assert!(!want.is_empty(), "{id} is released something");
        let summary = run_ogrinfo(bin, &s, token, &["-so", "-al"], &[]);
        let layers: Vec<&str> = summary
            .lines()
            .filter_map(|l| l.strip_prefix("Layer name: "))
            .collect();
        assert_eq!(
            layers,
            ["vessels", "alerts", "zones", "infrastructure"],
            "{summary}"
        );
        assert_eq!(
            feature_count(&summary, "vessels"),
            want.len(),
            "{id}: {summary}"
        );
        // Every feature, with its fields: exactly the releasable MMSIs, each with its label.
        let listing = run_ogrinfo(bin, &s, token, &["-al"], &["vessels"]);
        assert_eq!(listed_mmsis(&listing), want, "{id}: {listing}");
        assert_eq!(
            listing
                .lines()
                .filter(|l| l.trim().starts_with("label (String(JSON)) = {")
                    && l.contains("\"banner\""))
                .count(),
            want.len(),
            "{listing}"
        );
        // -spat: the box filter is applied (GDAL sends bbox; it also clips on its side).
        let boxed = run_ogrinfo(
            bin,
            &s,
            token,
            &["-al", "-spat", "4", "60", "5", "61"],
            &["vessels"],
        );
        assert_eq!(listed_mmsis(&boxed), releasable(&p, &south), "{id} -spat");
    }
    // The nor partner (cleared for the radar) sees more than swe: the filter is per partner.
    let counts: Vec<usize> = ["nor", "swe"]
        .iter()
        .map(|id| releasable(&partner(&share, id), &all).len())
        .collect();
    assert!(counts[0] > counts[1], "{counts:?}");
    // A partner without the ogc feed is refused; so is a wrong token.
    let (status, _, body) = get(&s, "tok-dnk", "/ogc/collections");
    assert_eq!(status, 403, "{body}");
    assert_eq!(get(&s, "nope", "/ogc/collections").0, 401);
    // Each release to a partner is counted on the ogc feed.
    let metrics = s.metrics();
    assert!(
        metrics.contains("varde_share_released_total{partner=\"swe\",feed=\"ogc\"}"),
        "{metrics}"
    );
}

#[test]
fn items_page_filter_by_time_and_refuse_bad_parameters() {
    let dir = tempfile::tempdir().unwrap();
    // 23 vessels, one every 10 minutes back from now (the newest 5 minutes ago).
    let ais: Vec<(u32, i64, f64, f64)> = (0..23)
        .map(|i| (257_100_000 + i, 300 + 600 * i64::from(i), 60.0, 5.0))
        .collect();
    let s = start(dir.path(), &ais, &[]);

    // The landing page, conformance and collections are JSON; items GeoJSON.
    let (status, media, landing) = get(&s, TOKEN, "/ogc");
    assert_eq!(
        (status, media.as_str()),
        (200, "application/json"),
        "{landing}"
    );
    let landing: Value = serde_json::from_str(&landing).unwrap();
    let rels: BTreeSet<&str> = landing["links"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["rel"].as_str().unwrap())
        .collect();
    assert!(["service-desc", "conformance", "data"]
        .iter()
        .all(|r| rels.contains(r)));
    let conf = get_json(&s, TOKEN, "/ogc/conformance");
    assert!(conf["conformsTo"]
        .as_array()
        .unwrap()
        .contains(&"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson".into()));
    let (_, media, _) = get(&s, TOKEN, "/ogc/collections/vessels/items?limit=1");
    assert_eq!(media, "application/geo+json");

    // Following `next` from a page of 5 gives every vessel exactly once.
    let mut seen = Vec::new();
    let mut next = Some(format!("{}/ogc/collections/vessels/items?limit=5", s.base));
    let mut pages = 0;
    while let Some(url) = next {
        let page = get_json(&s, TOKEN, url.strip_prefix(&s.base).expect("absolute link"));
        assert_eq!(page["numberMatched"], 23);
        let features = page["features"].as_array().unwrap();
        assert_eq!(page["numberReturned"], features.len());
        seen.extend(features.iter().map(|f| f["id"].as_u64().unwrap()));
        next = next_link(&page);
        pages += 1;
    }
    assert_eq!(pages, 5);
    let distinct: BTreeSet<u64> = seen.iter().copied().collect();
    assert_eq!(seen.len(), 23);
    assert_eq!(
        distinct,
        ais.iter().map(|v| u64::from(v.0)).collect::<BTreeSet<_>>()
    );

    // datetime: the vessels last seen in the last hour (5..55 minutes ago: 6 of them).
    let since = now_s() - 3600 + 60;
    let start_text = varde_ais::time::rfc3339_ms(since * 1000);
    let recent = get_json(
        &s,
        TOKEN,
        &format!("/ogc/collections/vessels/items?limit=100&datetime={start_text}/.."),
    );
    let want: BTreeSet<u64> = ais
        .iter()
        .filter(|v| now_s() - v.1 >= since)
        .map(|v| u64::from(v.0))
        .collect();
    let got: BTreeSet<u64> = recent["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_u64().unwrap())
        .collect();
    assert_eq!(got, want);
    assert!(!want.is_empty() && want.len() < ais.len());

    // One item, and a missing one.
    let one = get_json(&s, TOKEN, "/ogc/collections/vessels/items/257100003");
    assert_eq!(one["properties"]["mmsi"], 257_100_003);
    assert!(one["properties"]["label"]["banner"].is_string());
    assert_eq!(get(&s, TOKEN, "/ogc/collections/vessels/items/1").0, 404);
    assert_eq!(get(&s, TOKEN, "/ogc/collections/boats").0, 404);
    // A partner without the ogc feed is refused the items and an item too.
    for path in [
        "/ogc/collections/vessels/items",
        "/ogc/collections/vessels/items/257100003",
    ] {
        let (status, _, body) = get(&s, "tok-dnk", path);
        assert_eq!(status, 403, "{path}: {body}");
    }

    // Bad parameters: 400 with an OGC exception.
    for q in [
        "bbox=1,2,3",
        "bbox=10,80,5,70",
        "datetime=yesterday",
        "limit=0",
        "limit=x",
        "offset=-1",
        "colour=red",
        "limit=1&limit=2",
    ] {
        let (status, _, body) = get(&s, TOKEN, &format!("/ogc/collections/vessels/items?{q}"));
        assert_eq!(status, 400, "{q}: {body}");
        let v: Value = serde_json::from_str(&body).unwrap();
        assert!(
            v["code"].is_string() && v["description"].is_string(),
            "{body}"
        );
    }
}
