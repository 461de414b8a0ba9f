//! The release decision through the service's own machinery (interned labels, the per-request
//! gate, labels read back from stored alert JSON) against `Partner::may_receive`.

use super::labels::{self, LabelTable};
use super::redact::Gate;
use super::{Caller, ShareState};
use proptest::prelude::*;
use std::sync::Arc;
use varde_share::config::{PartnerEntry, Redaction};
use varde_share::{Label, Partner, Policies, Token};
use varde_store::AlertRecord;

const NATIONS: &[&str] = &["NOR", "SWE", "DNK", "NATO", "EU"];
const CAVEATS: &[&str] = &["CABLE OPS", "SAR"];
const POLICIES: &[(&str, &[&str])] = &[
    ("NOR", &["UGRADERT", "BEGRENSET", "KONFIDENSIELT"]),
    ("NATO", &["NATO UNCLASSIFIED", "NATO RESTRICTED"]),
    ("EU", &["EU UNCLASSIFIED", "RESTREINT UE"]),
];

fn t(s: &str) -> Token {
    Token::new(s).unwrap()
}

fn pick<'a>(all: &'a [&'a str], mask: u8) -> impl Iterator<Item = Token> + 'a {
    all.iter()
        .enumerate()
        .filter(move |(i, _)| mask & (1 << i) != 0)
        .map(|(_, s)| t(s))
}

/// A label: a classification per policy (index into its list), releasability (None: all) and
/// caveats, from small universes so that releases both happen and do not.
fn label() -> impl Strategy<Value = Label> {
    (
        proptest::collection::vec(0usize..3, 3),
        proptest::option::of(0u8..32),
        0u8..4,
    )
        .prop_map(|(ranks, rel, cav)| {
            let p = Policies::builtin();
            let mut l = Label::unclassified();
            for ((policy, names), r) in POLICIES.iter().zip(ranks) {
                if let Some(name) = names.get(r) {
                    l = l.join(&p.label(policy, name).unwrap());
                }
            }
            if let Some(mask) = rel {
                l = l.releasable_to(pick(NATIONS, mask));
            }
            l.with_caveats(pick(CAVEATS, cav))
        })
}

fn partner() -> impl Strategy<Value = Partner> {
    (0u8..32, proptest::collection::vec(0usize..3, 3), 0u8..4).prop_map(|(sat, ranks, cav)| {
        let p = Policies::builtin();
        let mut partner = Partner::new("p", pick(NATIONS, sat));
        for ((policy, names), r) in POLICIES.iter().zip(ranks) {
            let (pol, rank) = p.rank(policy, names[r.min(names.len() - 1)]).unwrap();
            partner = partner.cleared(pol, rank);
        }
        partner.caveats = pick(CAVEATS, cav).collect();
        partner
    })
}

fn entry(partner: Partner) -> Arc<PartnerEntry> {
    Arc::new(PartnerEntry {
        partner,
        feeds: Vec::new(),
        redact: Redaction::default(),
        token: Some("x".into()),
        certificate_sha256: None,
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// The gate (memoised per interned label) admits exactly what `may_receive` admits, and
    /// interned joins are the lattice's joins.
    #[test]
    fn the_gate_releases_exactly_what_may_be_received(
        ls in proptest::collection::vec(label(), 1..12),
        p in partner(),
    ) {
        let table = Arc::new(LabelTable::new(Label::unclassified().releasable_to([])));
        let ids: Vec<u32> = ls.iter().map(|l| table.intern(l)).collect();
        let mut gate = Gate::new(Caller::Partner(entry(p.clone())), table.clone(), 0);
        for (l, id) in ls.iter().zip(&ids) {
            prop_assert_eq!(gate.admits(*id), p.may_receive(l), "{}", l);
        }
        let j = ids.iter().fold(ids[0], |acc, id| table.join(acc, *id));
        prop_assert!(gate.admits(j) == p.may_receive(&Label::join_all(&ls)));
        let mut operator = Gate::new(Caller::Operator, table, 0);
        prop_assert!(ids.iter().all(|id| operator.admits(*id)));
    }

    /// Alerts stored with their labels: a partner's `/api/alerts` body holds exactly the alerts
    /// whose labels it may receive, each with its label.
    #[test]
    fn alert_lists_hold_exactly_the_releasable_alerts(
        ls in proptest::collection::vec(label(), 0..12),
        p in partner(),
    ) {
        let share = ShareState::default();
        let alerts: Vec<AlertRecord> = ls
            .iter()
            .enumerate()
            .map(|(i, l)| AlertRecord {
                id: format!("a{i}"),
                json: labels::splice(
                    &serde_json::json!({"id": format!("a{i}"), "lat": 60.0, "lon": 5.0}).to_string(),
                    &serde_json::to_string(l).unwrap(),
                ),
                end_ms: Some(0),
                ..AlertRecord::default()
            })
            .collect();
        let got: Vec<String> = super::api::alert_items(&share, &Caller::Partner(entry(p.clone())), &alerts)
            .iter()
            .map(|v| v["id"].as_str().unwrap().to_owned())
            .collect();
        let want: Vec<String> = ls
            .iter()
            .enumerate()
            .filter(|(_, l)| p.may_receive(l))
            .map(|(i, _)| format!("a{i}"))
            .collect();
        prop_assert_eq!(got, want);
        let all = super::api::alert_items(&share, &Caller::Operator, &alerts);
        prop_assert_eq!(all.len(), ls.len());
        for (v, l) in all.iter().zip(&ls) {
            prop_assert_eq!(&v["label"]["banner"], &serde_json::Value::from(l.to_string()));
        }
    }
}

/// `[share]` with one labelled source: `radar`, NOR BEGRENSET//REL NOR.
fn radar_labelled() -> varde_share::config::ShareConfig {
    toml::from_str(
        r#"
        [source_labels]
        radar = { policy = "NOR", classification = "BEGRENSET", rel = ["NOR"] }
        "#,
    )
    .unwrap()
}

#[test]
fn a_vessel_label_follows_its_latest_position_and_its_static_sources() {
    let cfg = radar_labelled();
    let share = ShareState::new(&cfg, None).unwrap();
    let mut tr = share.tracker();
    let (open, radar) = (tr.source(Some("ais")), tr.source(Some("radar")));
    tr.report(1, radar, true, true);
    tr.report(1, open, true, true);
    let snap = share.table.snapshot();
    // The latest position is open again; the alert label remembers the radar.
    assert_eq!(snap.get(tr.vessel(1)).label, Label::unclassified());
    let alert = tr.alert([1]);
    let snap = share.table.snapshot();
    assert_eq!(snap.get(alert).label.to_string(), "NOR BEGRENSET//REL NOR");
    // Static data from the radar stays in the vessel's label.
    tr.report(2, radar, false, false);
    tr.report(2, open, true, true);
    let snap = share.table.snapshot();
    assert_eq!(
        snap.get(tr.vessel(2)).label.to_string(),
        "NOR BEGRENSET//REL NOR"
    );
    tr.flush();
    assert_eq!(share.vessels.get(2), tr.vessel(2));
    // An unknown vessel has the fallback: as restricted as any configured source.
    assert_eq!(
        share
            .table
            .snapshot()
            .get(share.vessels.get(99))
            .label
            .to_string(),
        "NOR BEGRENSET//REL NOR"
    );
    // A vessel the API's view forgot (retention) loses its entry: the fallback again, nothing kept.
    let held = share.vessels.read().len();
    share.vessels.forget(&[2, 99]);
    assert_eq!(share.vessels.read().len(), held - 1);
    assert_eq!(share.vessels.get(2), share.vessels.get(99));
}

#[test]
fn redaction_coarsens_delays_and_drops_stations() {
    let mut e = (*entry(Partner::new("p", [t("NOR")]))).clone();
    e.redact = Redaction {
        drop_station: true,
        coarsen_m: 1_000,
        delay_min: 10,
    };
    let table = Arc::new(LabelTable::new(Label::unclassified()));
    let now = 100 * 60_000;
    let g = Gate::new(Caller::Partner(Arc::new(e)), table, now);
    assert!(g.old_enough(Some(now - 10 * 60_000)));
    assert!(!g.old_enough(Some(now - 9 * 60_000)));
    assert!(!g.old_enough(None));
    let mut v =
        serde_json::json!({"lat": 60.12345, "lon": 5.12345, "evidence": ["!AIVDM"], "x": 1});
    g.redact_json(&mut v);
    assert!(v.get("evidence").is_none());
    let (lat, lon) = (v["lat"].as_f64().unwrap(), v["lon"].as_f64().unwrap());
    assert!((lat - 60.12345).abs() < 0.006 && lat != 60.12345, "{lat}");
    assert!((lon - 5.12345).abs() < 0.011 && lon != 5.12345, "{lon}");
    // Nearby points fall on the same grid point.
    assert_eq!(super::redact::coarsen(60.1235, 5.1235, 1_000), (lat, lon));
}

#[test]
fn the_tracker_state_survives_save_and_load_and_forgets_what_the_picture_forgot() {
    let cfg = radar_labelled();
    let share = ShareState::new(&cfg, None).unwrap();
    let mut tr = share.tracker();
    let (open, radar) = (tr.source(Some("ais")), tr.source(Some("radar")));
    tr.report(1, open, true, true);
    tr.report(2, radar, false, false);
    tr.report(2, open, true, true);
    tr.report(3, open, true, true);
    tr.retain(|m| m != 3);
    let saved = tr.save();
    assert_eq!(saved.vessels.len(), 2);
    // Another run: a fresh table, the same labels.
    let other = ShareState::new(&cfg, None).unwrap();
    let mut back = other.tracker();
    back.load(&saved);
    let text = |s: &ShareState, id| s.table.snapshot().get(id).label.to_string();
    assert_eq!(text(&other, back.vessel(1)), "UNCLASSIFIED");
    assert_eq!(text(&other, back.vessel(2)), "NOR BEGRENSET//REL NOR");
    assert_eq!(text(&other, back.alert([2])), "NOR BEGRENSET//REL NOR");
    assert!(!back.knows(3));
    back.flush();
    assert_eq!(text(&other, other.vessels.get(1)), "UNCLASSIFIED");
}
