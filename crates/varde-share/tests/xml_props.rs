//! Arbitrary text in names, summaries and stations never breaks the XML
//! encoders: every output parses, and the text reads back as written (with
//! characters XML 1.0 cannot carry replaced by U+FFFD).

use proptest::prelude::*;
use varde_share::{cot, stanag4774, AlertItem, AlertState, Label, Policies, Token, VesselItem};

/// What a conforming parser returns for text we wrote: unwritable characters
/// replaced, and (in element text) the CR/LF rules applied.
fn as_read(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\t' | '\n' | '\r' => c,
            '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => '\u{fffd}',
            _ => c,
        })
        .collect()
}

fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[<>&\"' \t\r\n\u{0}-\u{1f}a-z\u{fffe}\u{ffff}é\u{1F6A2}]{0,40}",
        Just("]]><![CDATA[".to_string()),
        Just("&amp;&#0;&lt;<!-- -->".to_string()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn vessel_events_stay_well_formed(
        name in any_text(), callsign in any_text(), station in any_text(), flag in any_text(),
        mmsi in any::<u32>(), lat in -90.0f64..90.0, lon in -180.0f64..180.0,
        sog in proptest::option::of(-1e6f64..1e6), cog in proptest::option::of(any::<f64>()),
        heading in proptest::option::of(any::<f64>()), ship_type in proptest::option::of(any::<u8>()),
        time_ms in -10_000_000_000_000i64..10_000_000_000_000, now in any::<i64>(), stale in any::<u32>(),
    ) {
        let v = VesselItem {
            mmsi, name: Some(name.clone()), callsign: Some(callsign), imo: Some(1), ship_type,
            flag: Some(flag), lat: Some(lat), lon: Some(lon), sog_kn: sog, cog_deg: cog,
            heading_deg: heading, nav_status: Some(15), time_ms, station: Some(station.clone()),
            precision_m: Some(f64::NAN), label: Label::unclassified(),
        };
        let x = cot::vessel_event(&v, now, stale).expect("has a position");
        let doc = roxmltree::Document::parse(&x).map_err(|e| TestCaseError::fail(format!("{e}: {x}")))?;
        let ev = doc.root_element();
        prop_assert_eq!(ev.tag_name().name(), "event");
        let detail = ev.children().find(|c| c.has_tag_name("detail")).unwrap();
        let ais = detail.children().find(|c| c.has_tag_name("__ais")).unwrap();
        let trimmed = name.trim();
        if !trimmed.is_empty() {
            prop_assert_eq!(ais.attribute("name").unwrap(), as_read(trimmed));
        }
        prop_assert_eq!(ais.attribute("station").unwrap(), as_read(&station));
        prop_assert!(x.ends_with("</event>"));
    }

    #[test]
    fn alert_events_stay_well_formed(
        id in any_text(), kind in any_text(), severity in any_text(), summary in any_text(),
        vessel_name in proptest::option::of(any_text()), closed in any::<bool>(),
        lat in any::<f64>(), lon in any::<f64>(),
    ) {
        let a = AlertItem {
            id: id.clone(), kind, severity, mmsi: 1, vessel_name, lat, lon,
            start_ms: 0, end_ms: closed.then_some(5), time_ms: 5, summary: summary.clone(),
            state: if closed { AlertState::Closed } else { AlertState::Open },
            station: None, precision_m: None, label: Label::unclassified(),
        };
        let x = cot::alert_event(&a, 10, 60);
        let doc = roxmltree::Document::parse(&x).map_err(|e| TestCaseError::fail(format!("{e}: {x}")))?;
        let ev = doc.root_element();
        prop_assert_eq!(ev.attribute("uid").unwrap(), format!("VARDE-ALERT-{}", as_read(&id)));
        let detail = ev.children().find(|c| c.has_tag_name("detail")).unwrap();
        let remarks = detail.children().find(|c| c.has_tag_name("remarks")).unwrap();
        // CR is written as &#13; so it survives the parser's line-end
        // normalisation; trailing white space of the remarks is trimmed.
        prop_assert!(remarks.text().unwrap_or("").contains(&as_read(summary.trim_end())));
    }

    #[test]
    fn labels_from_any_tokens_stay_well_formed(
        rel in proptest::collection::btree_set("[A-Z][A-Z0-9 _-]{0,8}", 0..4),
        caveats in proptest::collection::btree_set("[A-Z][A-Z0-9 _-]{0,8}", 0..3),
        nato in 0usize..5, nor in 0usize..5, created in any::<i64>(),
    ) {
        let p = Policies::builtin();
        let class = |policy: &str, i: usize| {
            let name = p.get(policy).unwrap().classifications[i].to_string();
            p.label(policy, &name).unwrap()
        };
        let tokens = |s: &std::collections::BTreeSet<String>| {
            s.iter().map(|t| Token::new(t).unwrap()).collect::<Vec<_>>()
        };
        let label = class("NATO", nato).join(&class("NOR", nor))
            .releasable_to(tokens(&rel)).with_caveats(tokens(&caveats));
        let x = stanag4774::label_xml(&label, &p, created);
        let doc = roxmltree::Document::parse(&x).map_err(|e| TestCaseError::fail(format!("{e}: {x}")))?;
        let n = doc.descendants().filter(|n| n.has_tag_name((stanag4774::NAMESPACE, "originatorConfidentialityLabel"))).count();
        prop_assert_eq!(n, label.classifications().count().max(1));
        let d = cot::label_detail(&label);
        prop_assert!(roxmltree::Document::parse(&d).is_ok(), "{}", d);
    }
}
