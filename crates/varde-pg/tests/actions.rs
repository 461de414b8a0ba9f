//! Officers' actions on alerts in PostgreSQL, shared by several connections as by several API
//! nodes: what one records the others read, a dismissed alert refuses a second dismissal from
//! anywhere, racing dismissals of one alert leave exactly one, and a version-1 database gains the
//! table when a newer build opens it.
//!
//! Needs `VARDE_TEST_PG` (see `differential.rs`).

use postgres::{Client, NoTls};
use varde_pg::PgStore;
use varde_store::{
    ActionError, ActionKind, AlertAction, AlertRecord, Batch, Store, WorkState, Workflows,
};

fn schema(tag: &str) -> String {
    format!("actions_{tag}_{}", std::process::id())
}

fn alert(id: &str) -> AlertRecord {
    AlertRecord {
        id: id.into(),
        kind: "zone_entry".into(),
        mmsi: 257_000_001,
        start_ms: 1_000,
        open: true,
        lat: 60.0,
        lon: 5.0,
        json: format!(r#"{{"id":"{id}","severity":"high"}}"#),
        revision: 1,
        ..AlertRecord::default()
    }
}

fn action(id: &str, kind: ActionKind, by: &str) -> AlertAction {
    AlertAction {
        alert_id: id.into(),
        kind,
        by: by.into(),
        time_ms: 5_000,
        note: matches!(kind, ActionKind::Dismiss | ActionKind::Comment).then(|| "fishing".into()),
        assignee: None,
    }
}

#[test]
fn actions_recorded_on_one_connection_hold_on_another() {
    let Some(url) = varde_testdata::pg_server("varde-pg actions") else {
        return;
    };
    let s = schema("share");
    let mut bodo = PgStore::connect_in(&url, &s).unwrap();
    let mut bergen = PgStore::connect_in(&url, &s).unwrap();
    bodo.write_batch(&Batch {
        alerts: vec![alert("a1"), alert("a2")],
        ..Batch::default()
    })
    .unwrap();
    let wf = bodo
        .record_action(&action("a1", ActionKind::Ack, "vakt-bodo"))
        .unwrap();
    assert_eq!(wf.state, WorkState::Acknowledged);
    let wf = bergen
        .record_action(&action("a1", ActionKind::Dismiss, "vakt-bergen"))
        .unwrap();
    assert_eq!(wf.state, WorkState::Dismissed);
    // Dismissed at Bergen: Bodø may only comment.
    match bodo.record_action(&action("a1", ActionKind::Escalate, "vakt-bodo")) {
        Err(ActionError::Refused(_)) => {}
        other => panic!("escalating a dismissed alert: {other:?}"),
    }
    bodo.record_action(&action("a1", ActionKind::Comment, "vakt-bodo"))
        .unwrap();
    let got = bodo.alert_actions("a1").unwrap();
    let kinds: Vec<_> = got.iter().map(|a| (a.kind, a.by.as_str())).collect();
    assert_eq!(
        kinds,
        vec![
            (ActionKind::Ack, "vakt-bodo"),
            (ActionKind::Dismiss, "vakt-bergen"),
            (ActionKind::Comment, "vakt-bodo"),
        ]
    );
    let wfs = bodo.workflows(&["a1", "a2", "nope"]).unwrap();
    assert_eq!(wfs.len(), 1, "only a1 has actions");
    assert_eq!(wfs["a1"].state, WorkState::Dismissed);
    assert_eq!(wfs["a1"].actions, 3);
    let d = bergen.dismissals().unwrap();
    assert_eq!(d.len(), 1);
    assert_eq!(
        (
            d[0].alert_id.as_str(),
            d[0].by.as_str(),
            d[0].reason.as_str()
        ),
        ("a1", "vakt-bergen", "fishing")
    );
    assert_eq!(d[0].kind.as_deref(), Some("zone_entry"));
    assert_eq!(d[0].mmsi, Some(257_000_001));
    match bodo.record_action(&action("missing", ActionKind::Ack, "vakt-bodo")) {
        Err(ActionError::NoAlert(id)) => assert_eq!(id, "missing"),
        other => panic!("an action on no alert: {other:?}"),
    }
    match bodo.record_action(&AlertAction {
        note: None,
        ..action("a2", ActionKind::Dismiss, "vakt-bodo")
    }) {
        Err(ActionError::Invalid(_)) => {}
        other => panic!("a dismissal without a reason: {other:?}"),
    }
}

#[test]
fn racing_dismissals_of_one_alert_leave_exactly_one() {
    let Some(url) = varde_testdata::pg_server("varde-pg actions") else {
        return;
    };
    let s = schema("race");
    let ids: Vec<String> = (0..20).map(|i| format!("r{i}")).collect();
    PgStore::connect_in(&url, &s)
        .unwrap()
        .write_batch(&Batch {
            alerts: ids.iter().map(|id| alert(id)).collect(),
            ..Batch::default()
        })
        .unwrap();
    let sites: Vec<_> = ["bodo", "bergen", "oslo"]
        .into_iter()
        .map(|site| {
            let (url, s, ids) = (url.clone(), s.clone(), ids.clone());
            std::thread::spawn(move || {
                let mut store = PgStore::connect_in(&url, &s).unwrap();
                ids.iter()
                    .filter(|id| {
                        store
                            .record_action(&action(id, ActionKind::Dismiss, site))
                            .is_ok()
                    })
                    .count()
            })
        })
        .collect();
    let won: usize = sites.into_iter().map(|t| t.join().unwrap()).sum();
    assert_eq!(won, ids.len(), "each alert dismissed exactly once");
    let store = PgStore::connect_in(&url, &s).unwrap();
    assert_eq!(store.dismissals().unwrap().len(), ids.len());
}

#[test]
fn a_version_1_database_gains_the_actions_table() {
    let Some(url) = varde_testdata::pg_server("varde-pg actions") else {
        return;
    };
    let s = schema("v1");
    let mut store = PgStore::connect_in(&url, &s).unwrap();
    store
        .write_batch(&Batch {
            alerts: vec![alert("old")],
            ..Batch::default()
        })
        .unwrap();
    drop(store);
    // As a version-1 build left it.
    let mut admin = Client::connect(&url, NoTls).unwrap();
    admin
        .batch_execute(&format!(
            "DROP TABLE {s}.alert_actions; UPDATE {s}.varde_meta SET value = 1 WHERE key = 'schema_version'"
        ))
        .unwrap();
    let mut store = PgStore::connect_in(&url, &s).unwrap();
    assert_eq!(store.alerts(&Default::default()).unwrap().len(), 1);
    store
        .record_action(&action("old", ActionKind::Ack, "vakt"))
        .unwrap();
    let v: i64 = admin
        .query_one(
            &format!("SELECT value FROM {s}.varde_meta WHERE key = 'schema_version'"),
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(v, varde_pg::SCHEMA_VERSION);
}
