//! What the watch officers did with an alert: acknowledged, assigned, commented, dismissed as
//! false (with a reason) or escalated, each with who and when.
//!
//! # Layout
//! `alert_actions (seq, alert_id, time_ms, by_name, action, note, assignee)`: one row per action,
//! append-only, `seq` in write order; indexed by `(alert_id, seq)`. `note` is a comment's text, a
//! dismissal's reason or an escalation's note; `assignee` the operator an alert was assigned to.
//!
//! An alert's [`Workflow`] (state, assignee, escalated) is the fold of its actions in `seq` order;
//! it is never stored, so history and state cannot disagree.
//!
//! # Writes
//! [`Workflows::record_action`] runs one short `IMMEDIATE` transaction on its own connection
//! (the service keeps one for the API, next to the batch writer; SQLite serialises the two and a
//! busy wait covers the writer's batches). Inside it the alert must exist and the action must be
//! allowed in the alert's current state, so two officers acting at once cannot both dismiss.
//!
//! # Retention
//! Retention never deletes actions: the record of what was decided outlives the alert's data,
//! as the audit log does.

use std::collections::{HashMap, HashSet};

use rusqlite::{params, OptionalExtension, TransactionBehavior};

use super::SqliteStore;
use crate::error::StoreError;

use crate::workflow::{
    check, kind_of, ActionError, ActionKind, AlertAction, Dismissal, Workflow, Workflows,
};

impl From<rusqlite::Error> for ActionError {
    fn from(e: rusqlite::Error) -> Self {
        Self::Store(e.into())
    }
}

const COLS: &str = "alert_id, action, by_name, time_ms, note, assignee";

fn row_action(r: &rusqlite::Row<'_>) -> rusqlite::Result<(String, String, AlertAction)> {
    let action: String = r.get(1)?;
    Ok((
        r.get(0)?,
        action,
        AlertAction {
            alert_id: r.get(0)?,
            kind: ActionKind::Comment,
            by: r.get(2)?,
            time_ms: r.get(3)?,
            note: r.get(4)?,
            assignee: r.get(5)?,
        },
    ))
}

impl SqliteStore {
    /// Opens a read-write connection for [`record_action`](Self::record_action) next to the
    /// service's writer, on a store the writer has already opened (created, migrated and checked:
    /// this one neither migrates nor checks, so it opens at once on a large store). Refuses a
    /// store whose schema is not this build's.
    pub fn open_for_actions(dir_or_path: impl AsRef<std::path::Path>) -> Result<Self, StoreError> {
        let path = super::resolve_path(dir_or_path.as_ref())?;
        let conn = rusqlite::Connection::open_with_flags(
            &path,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        let options = super::SqliteOptions::default();
        conn.busy_timeout(options.busy_timeout)?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        let found = super::schema::version(&conn)?;
        if found != super::SCHEMA_VERSION {
            return Err(if found > super::SCHEMA_VERSION {
                StoreError::SchemaTooNew {
                    found,
                    supported: super::SCHEMA_VERSION,
                }
            } else {
                StoreError::SchemaTooOld {
                    found,
                    supported: super::SCHEMA_VERSION,
                }
            });
        }
        Ok(Self {
            conn,
            path: Some(path),
            read_only: false,
            tail: None,
        })
    }
}

impl Workflows for SqliteStore {
    /// Records `a` in one short `IMMEDIATE` transaction and returns the alert's workflow after it.
    /// The alert must exist and its state allow the action (see [`Workflow::refuses`]).
    fn record_action(&mut self, a: &AlertAction) -> Result<Workflow, ActionError> {
        if self.read_only {
            return Err(StoreError::ReadOnly.into());
        }
        check(a)?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let exists = tx
            .query_row("SELECT 1 FROM alerts WHERE id = ?1", [&a.alert_id], |_| {
                Ok(())
            })
            .optional()?
            .is_some();
        if !exists {
            return Err(ActionError::NoAlert(a.alert_id.clone()));
        }
        let mut wf = workflow_in(&tx, &a.alert_id)?;
        if let Some(why) = wf.refuses(a.kind) {
            return Err(ActionError::Refused(why));
        }
        tx.execute(
            "INSERT INTO alert_actions (alert_id, time_ms, by_name, action, note, assignee)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                a.alert_id,
                a.time_ms,
                a.by,
                a.kind.as_str(),
                a.note,
                a.assignee
            ],
        )?;
        tx.commit()?;
        wf.apply(a.kind, a.assignee.as_deref());
        Ok(wf)
    }

    /// The actions on alert `id`, oldest first.
    fn alert_actions(&self, id: &str) -> Result<Vec<AlertAction>, StoreError> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {COLS} FROM alert_actions WHERE alert_id = ?1 ORDER BY seq"
        ))?;
        let rows = stmt.query_map([id], row_action)?;
        let mut out = Vec::new();
        for r in rows {
            let (_, action, mut a) = r?;
            a.kind = kind_of(&action)?;
            out.push(a);
        }
        Ok(out)
    }

    /// The workflow of each of `ids` that has any action (one pass over the actions: they are
    /// few, written by people).
    fn workflows(&self, ids: &[&str]) -> Result<HashMap<String, Workflow>, StoreError> {
        let wanted: HashSet<&str> = ids.iter().copied().collect();
        let mut out: HashMap<String, Workflow> = HashMap::new();
        if wanted.is_empty() {
            return Ok(out);
        }
        let mut stmt = self
            .conn
            .prepare_cached("SELECT alert_id, action, assignee FROM alert_actions ORDER BY seq")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let id: String = r.get(0)?;
            if !wanted.contains(id.as_str()) {
                continue;
            }
            let kind = kind_of(&r.get::<_, String>(1)?)?;
            let assignee: Option<String> = r.get(2)?;
            out.entry(id).or_default().apply(kind, assignee.as_deref());
        }
        Ok(out)
    }

    /// Every dismissal, oldest first, with what is still stored of its alert.
    fn dismissals(&self) -> Result<Vec<Dismissal>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT x.alert_id, a.kind, a.mmsi, a.json, x.time_ms, x.by_name, x.note
             FROM alert_actions x LEFT JOIN alerts a ON a.id = x.alert_id
             WHERE x.action = 'dismiss' ORDER BY x.seq",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(Dismissal {
                alert_id: r.get(0)?,
                kind: r.get(1)?,
                mmsi: r.get(2)?,
                alert_json: r.get(3)?,
                time_ms: r.get(4)?,
                by: r.get(5)?,
                reason: r.get::<_, Option<String>>(6)?.unwrap_or_default(),
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

fn workflow_in(conn: &rusqlite::Connection, id: &str) -> Result<Workflow, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT action, assignee FROM alert_actions WHERE alert_id = ?1 ORDER BY seq",
    )?;
    let mut rows = stmt.query([id])?;
    let mut wf = Workflow::default();
    while let Some(r) = rows.next()? {
        let kind = kind_of(&r.get::<_, String>(0)?)?;
        wf.apply(kind, r.get::<_, Option<String>>(1)?.as_deref());
    }
    Ok(wf)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{AlertRecord, Batch, Store, WorkState};

    fn store_with_alert(id: &str) -> SqliteStore {
        let mut s = SqliteStore::open_in_memory().unwrap();
        let alert = AlertRecord {
            id: id.into(),
            kind: "zone_entry".into(),
            mmsi: 257_000_001,
            start_ms: 1_000,
            end_ms: None,
            open: true,
            zone: Some("Territorial sea".into()),
            asset: None,
            lat: 60.0,
            lon: 5.0,
            json: r#"{"id":"a1","severity":"high"}"#.into(),
            revision: 1,
        };
        let batch = Batch {
            alerts: vec![alert],
            ..Batch::default()
        };
        s.write_batch(&batch).unwrap();
        s
    }

    fn act(kind: ActionKind, note: Option<&str>, to: Option<&str>) -> AlertAction {
        AlertAction {
            alert_id: "a1".into(),
            kind,
            by: "kari".into(),
            time_ms: 5_000,
            note: note.map(Into::into),
            assignee: to.map(Into::into),
        }
    }

    #[test]
    fn actions_fold_into_the_workflow_and_are_kept_in_order() {
        let mut s = store_with_alert("a1");
        let wf = s.record_action(&act(ActionKind::Ack, None, None)).unwrap();
        assert_eq!(wf.state, WorkState::Acknowledged);
        s.record_action(&act(ActionKind::Assign, None, Some("ola")))
            .unwrap();
        s.record_action(&act(ActionKind::Escalate, Some("tug nearby"), None))
            .unwrap();
        let again = s.record_action(&act(ActionKind::Escalate, Some("again"), None));
        assert!(matches!(again, Err(ActionError::Refused(_))), "{again:?}");
        let wf = s
            .record_action(&act(ActionKind::Dismiss, Some("fishing"), None))
            .unwrap();
        assert_eq!(wf.state, WorkState::Dismissed);
        assert_eq!(wf.assignee.as_deref(), Some("ola"));
        assert!(wf.escalated);
        let late = s.record_action(&act(ActionKind::Ack, None, None));
        assert!(matches!(late, Err(ActionError::Refused(_))), "{late:?}");
        s.record_action(&act(ActionKind::Comment, Some("noted"), None))
            .unwrap();
        let kinds: Vec<_> = s
            .alert_actions("a1")
            .unwrap()
            .iter()
            .map(|a| a.kind)
            .collect();
        use ActionKind::*;
        assert_eq!(kinds, [Ack, Assign, Escalate, Dismiss, Comment]);
        let all = s.workflows(&["a1", "nope"]).unwrap();
        assert_eq!(all.len(), 1);
        assert_eq!(all["a1"].actions, 5);
        let d = s.dismissals().unwrap();
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].reason, "fishing");
        assert_eq!(d[0].kind.as_deref(), Some("zone_entry"));
        assert_eq!(d[0].mmsi, Some(257_000_001));
    }

    #[test]
    fn bad_actions_are_refused_with_the_cause() {
        let mut s = store_with_alert("a1");
        let none = AlertAction {
            alert_id: "zz".into(),
            ..act(ActionKind::Ack, None, None)
        };
        assert!(matches!(
            s.record_action(&none),
            Err(ActionError::NoAlert(_))
        ));
        for (k, note, to) in [
            (ActionKind::Dismiss, Some("  "), None),
            (ActionKind::Dismiss, None, None),
            (ActionKind::Assign, None, None),
            (ActionKind::Comment, None, None),
        ] {
            let r = s.record_action(&act(k, note, to));
            assert!(matches!(r, Err(ActionError::Invalid(_))), "{k:?}: {r:?}");
        }
        assert!(s.alert_actions("a1").unwrap().is_empty());
    }
}
