//! Alert actions (schema v6) on a file store: a v5 store is migrated with its alerts kept, actions
//! survive reopening, and read-only connections see them.

use rusqlite::Connection;
use varde_store::sqlite::DEFAULT_FILE_NAME;
use varde_store::{
    ActionError, ActionKind, AlertAction, AlertRecord, Batch, SqliteStore, Store, WorkState,
    Workflows,
};

fn alert(id: &str) -> AlertRecord {
    AlertRecord {
        id: id.into(),
        kind: "ais_gap".into(),
        mmsi: 257_000_002,
        start_ms: 10_000,
        end_ms: None,
        open: true,
        zone: None,
        asset: None,
        lat: 61.0,
        lon: 4.5,
        json: format!(r#"{{"id":"{id}","severity":"critical"}}"#),
        revision: 1,
    }
}

#[test]
fn a_v5_store_is_migrated_and_actions_survive_reopening() {
    let dir = tempfile::tempdir().unwrap();
    {
        let mut s = SqliteStore::open(dir.path()).unwrap();
        s.write_batch(&Batch {
            alerts: vec![alert("g1")],
            ..Batch::default()
        })
        .unwrap();
    }
    // Back to what a v5 store is: the same tables without the actions.
    Connection::open(dir.path().join(DEFAULT_FILE_NAME))
        .unwrap()
        .execute_batch("DROP TABLE alert_actions; PRAGMA user_version = 5;")
        .unwrap();
    {
        let mut s = SqliteStore::open(dir.path()).unwrap();
        assert_eq!(s.schema_version().unwrap(), 7);
        assert!(s.alert("g1").unwrap().is_some(), "alert kept");
        let dismiss = AlertAction {
            alert_id: "g1".into(),
            kind: ActionKind::Dismiss,
            by: "kari".into(),
            time_ms: 1_700_000_000_000,
            note: Some("receiver outage, not the vessel".into()),
            assignee: None,
        };
        assert_eq!(
            s.record_action(&dismiss).unwrap().state,
            WorkState::Dismissed
        );
    }
    let r = SqliteStore::open_reader(dir.path()).unwrap();
    let got = r.alert_actions("g1").unwrap();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].by, "kari");
    assert_eq!(
        got[0].note.as_deref(),
        Some("receiver outage, not the vessel")
    );
    let d = r.dismissals().unwrap();
    assert_eq!(
        d[0].alert_json.as_deref(),
        Some(r#"{"id":"g1","severity":"critical"}"#)
    );
    let mut r = r;
    let refused = r.record_action(&AlertAction {
        alert_id: "g1".into(),
        kind: ActionKind::Comment,
        by: "x".into(),
        time_ms: 0,
        note: Some("n".into()),
        assignee: None,
    });
    assert!(matches!(refused, Err(ActionError::Store(_))), "{refused:?}");
}
