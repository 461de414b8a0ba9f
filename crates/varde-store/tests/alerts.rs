//! Alert revisions, the current row, and the alert filters.

mod common;

use common::alert;
use varde_store::{AlertFilter, AlertRecord, AlertState, Batch, SqliteStore, Store};

fn write(s: &mut SqliteStore, alerts: Vec<AlertRecord>) {
    let b = Batch {
        alerts,
        ..Batch::default()
    };
    s.write_batch(&b).unwrap();
}

#[test]
fn revisions_kept_in_order_current_updated_in_place() {
    let mut s = SqliteStore::open_in_memory().unwrap();
    let r1 = alert("gap-1", 1, 1_000, None);
    let mut r2 = alert("gap-1", 2, 900, None); // a late report moved the start
    r2.lat = 70.5;
    let r3 = alert("gap-1", 3, 900, Some(5_000));
    write(&mut s, vec![r1.clone()]);
    assert_eq!(s.alert("gap-1").unwrap(), Some(r1.clone()));
    write(&mut s, vec![r2.clone(), r3.clone()]);
    assert_eq!(s.alert("gap-1").unwrap(), Some(r3.clone()));
    assert_eq!(
        s.alert_revisions("gap-1").unwrap(),
        vec![r1.clone(), r2.clone(), r3.clone()]
    );
    let c = s.counts().unwrap();
    assert_eq!((c.alerts, c.alert_revisions), (1, 3));

    // Replaying an old revision adds nothing and does not move the current row back.
    write(&mut s, vec![r2.clone()]);
    assert_eq!(s.alert("gap-1").unwrap(), Some(r3.clone()));
    assert_eq!(s.alert_revisions("gap-1").unwrap(), vec![r1, r2, r3]);
    assert_eq!(s.alert("nope").unwrap(), None);
    assert_eq!(s.alert_revisions("nope").unwrap(), vec![]);
}

#[test]
fn late_lower_revision_fills_history_only() {
    let mut s = SqliteStore::open_in_memory().unwrap();
    let r1 = alert("z", 1, 1_000, None);
    let r2 = alert("z", 2, 1_000, Some(2_000));
    write(&mut s, vec![r2.clone()]);
    write(&mut s, vec![r1.clone()]);
    assert_eq!(s.alert("z").unwrap(), Some(r2.clone()));
    assert_eq!(s.alert_revisions("z").unwrap(), vec![r1, r2]);
}

fn sample() -> Vec<AlertRecord> {
    let mut a = alert("a", 1, 1_000, Some(2_000)); // closed early
    a.kind = "ais_gap".into();
    a.zone = None;
    let b = alert("b", 1, 3_000, None); // open
    let mut c = alert("c", 1, 5_000, Some(6_000)); // closed late
    c.zone = Some("eez".into());
    c.mmsi = 258_000_000;
    let mut d = alert("d", 1, 7_000, None); // open, newest
    d.kind = "ais_gap".into();
    vec![a, b, c, d]
}

fn ids(s: &SqliteStore, f: AlertFilter) -> Vec<String> {
    s.alerts(&f).unwrap().into_iter().map(|a| a.id).collect()
}

#[test]
fn alert_filters() {
    let mut s = SqliteStore::open_in_memory().unwrap();
    write(&mut s, sample());
    let all = AlertFilter::default();
    assert_eq!(ids(&s, all.clone()), ["d", "c", "b", "a"]);
    let by = |f: AlertFilter| ids(&s, f);
    assert_eq!(
        by(AlertFilter {
            state: AlertState::Open,
            ..all.clone()
        }),
        ["d", "b"]
    );
    assert_eq!(
        by(AlertFilter {
            state: AlertState::Closed,
            ..all.clone()
        }),
        ["c", "a"]
    );
    assert_eq!(
        by(AlertFilter {
            kind: Some("ais_gap".into()),
            ..all.clone()
        }),
        ["d", "a"]
    );
    assert_eq!(
        by(AlertFilter {
            zone: Some("eez".into()),
            ..all.clone()
        }),
        ["c"]
    );
    assert_eq!(
        by(AlertFilter {
            mmsi: Some(258_000_000),
            ..all.clone()
        }),
        ["c"]
    );
    // Active at some point in [2_500, 5_500]: b (open since 3_000), c (5_000-6_000).
    assert_eq!(
        by(AlertFilter {
            from_ms: Some(2_500),
            to_ms: Some(5_500),
            ..all.clone()
        }),
        ["c", "b"]
    );
    // Edges included: a ended exactly at 2_000.
    assert_eq!(
        by(AlertFilter {
            from_ms: Some(2_000),
            to_ms: Some(2_000),
            ..all.clone()
        }),
        ["a"]
    );
    assert_eq!(
        by(AlertFilter {
            kind: Some("ais_gap".into()),
            state: AlertState::Open,
            limit: Some(5),
            ..all.clone()
        }),
        ["d"]
    );
    assert_eq!(
        by(AlertFilter {
            limit: Some(1),
            ..all
        }),
        ["d"]
    );
}

#[test]
fn asset_and_severity_filters() {
    let mut s = SqliteStore::open_in_memory().unwrap();
    let mut alerts = sample();
    alerts[0].asset = Some("Skagerrak 4".into());
    alerts[0].json = r#"{"severity":"high"}"#.into();
    alerts[1].json = r#"{"severity":"low"}"#.into();
    alerts[2].asset = Some("Skagerrak 4".into());
    alerts[2].json = r#"{"severity":"medium"}"#.into();
    alerts[3].json = r#"{"severity":"high"}"#.into();
    write(&mut s, alerts);
    let all = AlertFilter::default();
    let by = |f: AlertFilter| ids(&s, f);
    assert_eq!(
        by(AlertFilter {
            asset: Some("Skagerrak 4".into()),
            ..all.clone()
        }),
        ["c", "a"]
    );
    assert_eq!(
        by(AlertFilter {
            severity: vec!["high".into()],
            ..all.clone()
        }),
        ["d", "a"]
    );
    assert_eq!(
        by(AlertFilter {
            severity: vec!["high".into(), "medium".into()],
            asset: Some("Skagerrak 4".into()),
            ..all.clone()
        }),
        ["c", "a"]
    );
    assert!(by(AlertFilter {
        severity: vec!["critical".into()],
        ..all
    })
    .is_empty());
}
