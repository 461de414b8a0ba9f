//! Encoders against golden files (byte for byte; `UPDATE_GOLDEN=1` rewrites
//! them — review the diff by eye against the specifications), plus the facts
//! a peer would read, checked through an XML/JSON parser.

mod common;

use common::*;
use serde_json::Value;
use varde_share::ogc::{self, Collection, Extent, Limits};
use varde_share::{cot, geojson, stanag4774, Label, Policies};

fn pretty(v: &Value) -> Vec<u8> {
    let mut s = serde_json::to_vec_pretty(v).unwrap();
    s.push(b'\n');
    s
}

fn child<'a>(n: roxmltree::Node<'a, 'a>, name: &str) -> roxmltree::Node<'a, 'a> {
    n.children()
        .find(|c| c.tag_name().name() == name)
        .unwrap_or_else(|| panic!("no <{name}> in <{}>", n.tag_name().name()))
}

#[test]
fn cot_vessel_event() {
    let x = cot::vessel_event(&cargo(), T0 + 2_000, 300).unwrap();
    golden("cot_vessel.xml", x.as_bytes());
    assert!(
        x.ends_with("</event>"),
        "TAK framing: nothing after </event>"
    );
    let doc = roxmltree::Document::parse(&x).unwrap();
    let ev = doc.root_element();
    assert_eq!(ev.tag_name().name(), "event");
    assert_eq!(ev.attribute("uid"), Some("MMSI-257000001"));
    assert_eq!(ev.attribute("type"), Some("a-n-S-X-M"));
    assert_eq!(ev.attribute("how"), Some("m-g"));
    assert_eq!(ev.attribute("access"), Some("NOR BEGRENSET//REL NOR, SWE"));
    assert_eq!(ev.attribute("start"), Some("2026-11-25T12:00:00.000Z"));
    assert_eq!(ev.attribute("stale"), Some("2026-11-25T12:05:02.000Z"));
    let point = child(ev, "point");
    assert_eq!(point.attribute("lat"), Some("67.95"));
    assert_eq!(point.attribute("lon"), Some("13.5"));
    let detail = child(ev, "detail");
    let speed: f64 = child(detail, "track")
        .attribute("speed")
        .unwrap()
        .parse()
        .unwrap();
    assert!((speed - 6.2 * 0.514_444).abs() < 0.01, "{speed} m/s");
    let label = child(detail, "__label");
    assert_eq!(label.attribute("rel"), Some("list"));
    let rel: Vec<_> = label
        .children()
        .filter(|c| c.has_tag_name("rel"))
        .map(|c| c.text().unwrap())
        .collect();
    assert_eq!(rel, ["NOR", "SWE"]);
    assert!(child(detail, "remarks")
        .text()
        .unwrap()
        .starts_with("[NOR BEGRENSET//REL NOR, SWE] MMSI 257000001"));
}

#[test]
fn cot_alert_event() {
    let x = cot::alert_event(&zone_alert(), T0 + 2_000, 600);
    golden("cot_alert.xml", x.as_bytes());
    let doc = roxmltree::Document::parse(&x).unwrap();
    let ev = doc.root_element();
    assert_eq!(ev.attribute("type"), Some("b-m-p-s-m"));
    assert_eq!(ev.attribute("uid"), Some("VARDE-ALERT-3f9a0c1d2e4b5a67"));
    assert_eq!(
        ev.attribute("access"),
        Some("NATO RESTRICTED + NOR BEGRENSET//REL NOR//CABLE OPS")
    );
    let detail = child(ev, "detail");
    let classes: Vec<_> = child(detail, "__label")
        .children()
        .filter(|c| c.has_tag_name("classification"))
        .map(|c| (c.attribute("policy").unwrap(), c.text().unwrap()))
        .collect();
    assert_eq!(classes, [("NATO", "NATO RESTRICTED"), ("NOR", "BEGRENSET")]);
    assert!(child(detail, "remarks")
        .text()
        .unwrap()
        .contains("entered Vestfjorden"));
    assert_eq!(child(detail, "__alert").attribute("state"), Some("open"));
}

#[test]
fn stanag4774_labels() {
    let p = Policies::builtin();
    let cases: [(&str, Label); 4] = [
        ("stanag4774_unclassified.xml", Label::unclassified()),
        ("stanag4774_nato_restricted_rel.xml", nato_restricted_rel()),
        (
            "stanag4774_begrenset_caveat.xml",
            begrenset_rel_nor_swe().with_caveats([t("CABLE OPS")]),
        ),
        ("stanag4774_two_policies.xml", joined_with_caveat()),
    ];
    for (name, label) in cases {
        let x = stanag4774::label_xml(&label, &p, T0);
        golden(name, x.as_bytes());
        let doc = roxmltree::Document::parse(&x).unwrap();
        let labels: Vec<_> = doc
            .descendants()
            .filter(|n| {
                n.tag_name().name() == "originatorConfidentialityLabel"
                    && n.tag_name().namespace() == Some(stanag4774::NAMESPACE)
            })
            .collect();
        let policies = label.classifications().count().max(1);
        assert_eq!(labels.len(), policies, "{name}");
        for l in labels {
            let info = child(l, "ConfidentialityInformation");
            assert_eq!(info.tag_name().namespace(), Some(stanag4774::NAMESPACE));
            let cats: Vec<_> = info
                .children()
                .filter(|c| c.has_tag_name((stanag4774::NAMESPACE, "Category")))
                .map(|c| {
                    let values: Vec<_> = c
                        .children()
                        .filter(|v| v.is_element())
                        .map(|v| v.text().unwrap().to_string())
                        .collect();
                    (c.attribute("Type").unwrap().to_string(), values)
                })
                .collect();
            let mut want = Vec::new();
            if let varde_share::Releasability::To(set) = label.releasability() {
                want.push((
                    "PERMISSIVE".to_string(),
                    set.iter().map(|t| t.to_string()).collect::<Vec<_>>(),
                ));
            }
            if !label.caveats().is_empty() {
                want.push((
                    "RESTRICTIVE".to_string(),
                    label.caveats().iter().map(|t| t.to_string()).collect(),
                ));
            }
            assert_eq!(cats, want, "{name}");
        }
    }
}

const BASE: &str = "https://varde.example/ogc";

#[test]
fn ogc_landing_conformance_collections() {
    golden(
        "ogc_landing.json",
        &pretty(&ogc::landing(
            BASE,
            "Varde maritime picture",
            "Vessels, alerts, zones and infrastructure released to you.",
        )),
    );
    golden("ogc_conformance.json", &pretty(&ogc::conformance()));
    let extent = Extent {
        bbox: Some([13.5, 67.95, 14.25, 68.1]),
        interval: Some((Some(T0 - 90_000), Some(T0))),
    };
    let list = [
        (Collection::Vessels, extent),
        (Collection::Alerts, Extent::default()),
        (
            Collection::Zones,
            Extent {
                bbox: Some([13.0, 67.8, 14.5, 68.2]),
                interval: None,
            },
        ),
    ];
    golden(
        "ogc_collections.json",
        &pretty(&ogc::collections(BASE, &list)),
    );
}

#[test]
fn ogc_items_page_with_paging_links() {
    let q = ogc::parse_query(
        Some("bbox=13,67.5,15,68.5&datetime=2026-11-25T11:00:00Z%2F..&limit=1&offset=1"),
        Limits::default(),
    )
    .unwrap();
    let vessels = [
        cargo(),
        fisher(),
        tanker(248_000_003, 67.6, 14.9, T0 - 30_000),
        tanker(248_000_004, 69.0, 14.0, T0), // north of the box
        tanker(248_000_005, 67.6, 14.0, T0 - 7_200_000), // before the interval
    ];
    let features: Vec<Value> = vessels
        .iter()
        .map(geojson::vessel_feature)
        .filter(|f| q.matches(f))
        .collect();
    let page = ogc::items_page(BASE, Collection::Vessels, &q, &features, T0 + 5_000);
    golden("ogc_items.json", &pretty(&page));
    assert_eq!(page["numberMatched"], 3);
    assert_eq!(page["numberReturned"], 1);
    let rels: Vec<_> = page["links"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["rel"].as_str().unwrap())
        .collect();
    assert_eq!(rels, ["self", "collection", "next", "prev"]);
}

#[test]
fn geojson_text_sequence() {
    let mut seq = Vec::new();
    for f in [
        geojson::vessel_feature(&cargo()),
        geojson::vessel_feature(&fisher()),
        geojson::alert_feature(&zone_alert()),
        geojson::feature(&zone()),
    ] {
        seq.extend(geojson::rs_record(&f));
    }
    golden("features.geojsons", &seq);
    // RFC 8142: each record is RS, one JSON text, LF.
    let records: Vec<&[u8]> = seq.split(|b| *b == 0x1e).skip(1).collect();
    assert_eq!(records.len(), 4);
    for r in records {
        let (json, lf) = r.split_at(r.len() - 1);
        assert_eq!(lf, b"\n");
        let v: Value = serde_json::from_slice(json).unwrap();
        assert_eq!(v["type"], "Feature");
        assert!(v["properties"]["label"]["banner"].is_string());
    }
}
