//! The officers' actions on alerts in PostgreSQL ([`varde_store::Workflows`]): one table for
//! every API node of a cluster, so an alert acknowledged or dismissed at one operations centre
//! stands so at every other.
//!
//! An action is recorded in one transaction that first locks the alert's row (`SELECT … FOR
//! UPDATE`): actions on the same alert from several nodes are serialised, and each is checked
//! against the workflow as the actions before it left it — two officers cannot both dismiss.

use std::collections::{HashMap, HashSet};

use postgres::Client;
use varde_store::workflow::{check, kind_of};
use varde_store::{ActionError, AlertAction, Dismissal, StoreError, Workflow};

use crate::error::{backend, corrupt};

/// Records `a` (see [`varde_store::Workflows::record_action`]).
pub fn record(client: &mut Client, a: &AlertAction) -> Result<Workflow, ActionError> {
    check(a)?;
    let mut tx = client.transaction().map_err(backend)?;
    let exists = tx
        .query_opt(
            "SELECT 1 FROM alerts WHERE id = $1 FOR UPDATE",
            &[&a.alert_id],
        )
        .map_err(backend)?
        .is_some();
    if !exists {
        return Err(ActionError::NoAlert(a.alert_id.clone()));
    }
    let mut wf = workflow_of(&mut tx, &a.alert_id)?;
    if let Some(why) = wf.refuses(a.kind) {
        return Err(ActionError::Refused(why));
    }
    tx.execute(
        "INSERT INTO alert_actions (alert_id, time_ms, by_name, action, note, assignee)
         VALUES ($1, $2, $3, $4, $5, $6)",
        &[
            &a.alert_id,
            &a.time_ms,
            &a.by,
            &a.kind.as_str(),
            &a.note,
            &a.assignee,
        ],
    )
    .map_err(backend)?;
    tx.commit().map_err(backend)?;
    wf.apply(a.kind, a.assignee.as_deref());
    Ok(wf)
}

fn workflow_of(tx: &mut postgres::Transaction<'_>, id: &str) -> Result<Workflow, StoreError> {
    let rows = tx
        .query(
            "SELECT action, assignee FROM alert_actions WHERE alert_id = $1 ORDER BY seq",
            &[&id],
        )
        .map_err(backend)?;
    let mut wf = Workflow::default();
    for r in rows {
        let kind = kind_of(r.get::<_, &str>(0))?;
        wf.apply(kind, r.get::<_, Option<&str>>(1));
    }
    Ok(wf)
}

/// The actions on alert `id`, oldest first.
pub fn of_alert(client: &mut Client, id: &str) -> Result<Vec<AlertAction>, StoreError> {
    let rows = client
        .query(
            "SELECT alert_id, action, by_name, time_ms, note, assignee
             FROM alert_actions WHERE alert_id = $1 ORDER BY seq",
            &[&id],
        )
        .map_err(backend)?;
    rows.iter()
        .map(|r| {
            Ok(AlertAction {
                alert_id: r.get(0),
                kind: kind_of(r.get::<_, &str>(1))?,
                by: r.get(2),
                time_ms: r.get(3),
                note: r.get(4),
                assignee: r.get(5),
            })
        })
        .collect()
}

/// The workflow of each of `ids` that has any action.
pub fn workflows(
    client: &mut Client,
    ids: &[&str],
) -> Result<HashMap<String, Workflow>, StoreError> {
    let mut out: HashMap<String, Workflow> = HashMap::new();
    let wanted: Vec<&str> = ids
        .iter()
        .copied()
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    if wanted.is_empty() {
        return Ok(out);
    }
    let rows = client
        .query(
            "SELECT alert_id, action, assignee FROM alert_actions
             WHERE alert_id = ANY($1) ORDER BY seq",
            &[&wanted],
        )
        .map_err(backend)?;
    for r in rows {
        let kind = kind_of(r.get::<_, &str>(1))?;
        out.entry(r.get(0))
            .or_default()
            .apply(kind, r.get::<_, Option<&str>>(2));
    }
    Ok(out)
}

/// Every dismissal, oldest first, with what is still stored of its alert.
pub fn dismissals(client: &mut Client) -> Result<Vec<Dismissal>, StoreError> {
    let rows = client
        .query(
            "SELECT x.alert_id, a.kind, a.mmsi, a.json, x.time_ms, x.by_name, x.note
             FROM alert_actions x LEFT JOIN alerts a ON a.id = x.alert_id
             WHERE x.action = 'dismiss' ORDER BY x.seq",
            &[],
        )
        .map_err(backend)?;
    rows.iter()
        .map(|r| {
            let mmsi = r
                .get::<_, Option<i64>>(2)
                .map(|m| u32::try_from(m).map_err(|_| corrupt("alert mmsi", m)))
                .transpose()?;
            Ok(Dismissal {
                alert_id: r.get(0),
                kind: r.get(1),
                mmsi,
                alert_json: r.get(3),
                time_ms: r.get(4),
                by: r.get(5),
                reason: r.get::<_, Option<String>>(6).unwrap_or_default(),
            })
        })
        .collect()
}
