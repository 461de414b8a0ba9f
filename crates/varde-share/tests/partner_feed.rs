//! A partner's feed end to end, as the binary will assemble it: the
//! `[share]` configuration decides who receives which labelled item, the
//! partner's redaction is applied, then the item is encoded; what the
//! partner would read is checked through an XML/JSON parser.

mod common;

use common::*;
use serde::Deserialize;
use serde_json::Value;
use varde_share::config::{FeedKind, PartnerEntry, Share, ShareConfig};
use varde_share::ogc::{self, Collection, Limits};
use varde_share::{cot, geojson, redact};

#[derive(Deserialize)]
struct File {
    share: ShareConfig,
}

fn share() -> Share {
    toml::from_str::<File>(
        r#"
[[share.partners]]
id = "nor-jhq"
satisfies = ["NOR", "NATO"]
clearance = { NOR = "BEGRENSET", NATO = "NATO RESTRICTED" }
caveats = ["CABLE OPS"]
feeds = ["cot", "ogc"]
token = "t-nor"

[[share.partners]]
id = "swe-mhq"
satisfies = ["SWE", "EU", "NATO"]
clearance = { NOR = "BEGRENSET" }
feeds = ["cot", "geojson", "ogc"]
token = "t-swe"
redact = { drop_station = true, coarsen_m = 5000, delay_min = 1 }

[[share.partners]]
id = "eu-agency"
satisfies = ["EU"]
feeds = ["geojson"]
token = "t-eu"
"#,
    )
    .unwrap()
    .share
    .resolve()
    .unwrap()
}

/// The CoT events partner `p` is sent at `now`.
fn cot_feed(p: &PartnerEntry, now: i64) -> Vec<String> {
    assert!(p.feeds.contains(&FeedKind::Cot));
    let mut out = Vec::new();
    for mut v in [cargo(), fisher()] {
        if p.partner.may_receive(&v.label) && redact::apply(&mut v, &p.redact, now) {
            out.extend(cot::vessel_event(&v, now, 300));
        }
    }
    let mut a = zone_alert();
    if p.partner.may_receive(&a.label) && redact::apply_alert(&mut a, &p.redact, now) {
        out.push(cot::alert_event(&a, now, 300));
    }
    out
}

fn uids(events: &[String]) -> Vec<String> {
    events
        .iter()
        .map(|x| {
            let doc = roxmltree::Document::parse(x).unwrap();
            doc.root_element().attribute("uid").unwrap().to_string()
        })
        .collect()
}

#[test]
fn each_partner_gets_only_what_its_clearance_allows() {
    let s = share();
    let nor = s.partner_by_token("t-nor").unwrap();
    let swe = s.partner_by_token("t-swe").unwrap();
    let now = T0 + 5_000;
    // NOR holds the caveat and both clearances: everything, live.
    assert_eq!(
        uids(&cot_feed(nor, now)),
        [
            "MMSI-257000001",
            "MMSI-799000002",
            "VARDE-ALERT-3f9a0c1d2e4b5a67"
        ]
    );
    // SWE is REL-listed on the cargo ship, but not NATO RESTRICTED-cleared
    // nor a caveat holder (the alert); with a one-minute delay only the
    // fisher, heard 90 s ago, is old enough.
    assert_eq!(uids(&cot_feed(swe, now)), ["MMSI-799000002"]);
    assert_eq!(
        uids(&cot_feed(swe, T0 + 60_000)),
        ["MMSI-257000001", "MMSI-799000002"]
    );
}

#[test]
fn redaction_shows_in_what_the_partner_reads() {
    let s = share();
    let swe = s.partner_by_token("t-swe").unwrap();
    let events = cot_feed(swe, T0 + 60_000);
    let doc = roxmltree::Document::parse(&events[0]).unwrap();
    let ev = doc.root_element();
    let point = ev.children().find(|c| c.has_tag_name("point")).unwrap();
    let lat: f64 = point.attribute("lat").unwrap().parse().unwrap();
    let lon: f64 = point.attribute("lon").unwrap().parse().unwrap();
    assert_ne!((lat, lon), (67.95, 13.5), "coarsened");
    assert!((lat - 67.95).abs() < 0.03 && (lon - 13.5).abs() < 0.08);
    assert_eq!(point.attribute("ce"), Some("5000.0"));
    assert!(
        !events[0].contains("coastal-radar"),
        "station dropped: {}",
        events[0]
    );
    assert_eq!(ev.attribute("access"), Some("NOR BEGRENSET//REL NOR, SWE"));
}

#[test]
fn ogc_items_and_geojson_seq_follow_the_same_decision() {
    let s = share();
    let eu = s.partner_by_token("t-eu").unwrap();
    let features: Vec<Value> = [cargo(), fisher()]
        .into_iter()
        .filter(|v| eu.partner.may_receive(&v.label))
        .filter_map(|mut v| redact::apply(&mut v, &eu.redact, T0).then_some(v))
        .map(|v| geojson::vessel_feature(&v))
        .collect();
    let q = ogc::parse_query(None, Limits::default()).unwrap();
    let page = ogc::items_page(
        "http://127.0.0.1:1/ogc",
        Collection::Vessels,
        &q,
        &features,
        T0,
    );
    assert_eq!(page["numberMatched"], 1);
    assert_eq!(page["features"][0]["id"], 799_000_002);
    assert_eq!(
        page["features"][0]["properties"]["label"]["banner"],
        "UNCLASSIFIED"
    );
    let rec = geojson::rs_record(&page["features"][0]);
    assert_eq!((rec[0], rec[rec.len() - 1]), (0x1e, b'\n'));
}
