//! The officers' work on alerts, whatever the database: what they can do ([`ActionKind`]), where
//! an alert stands ([`Workflow`], the fold of its actions), and the [`Workflows`] trait the
//! SQLite store (`sqlite::actions`) and PostgreSQL (`varde-pg`, shared by every API node of a
//! cluster) implement.
//!
//! Contract for implementations: actions are append-only, kept in write order; an alert's
//! workflow is never stored but folded from its actions, so history and state cannot disagree;
//! [`Workflows::record_action`] checks, in one transaction that serialises actions on the same
//! alert, that the alert exists and that its current state allows the action (two officers at two
//! sites cannot both dismiss); retention never deletes actions.

use std::collections::HashMap;

use crate::error::StoreError;

/// Something an officer did with an alert.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ActionKind {
    /// Seen and being looked at.
    Ack,
    /// Handed to an operator (`AlertAction::assignee`).
    Assign,
    /// A note (`AlertAction::note`).
    Comment,
    /// Closed as a false alert; the reason (`AlertAction::note`) is required.
    Dismiss,
    /// Raised to the duty officer / a higher severity, with a note.
    Escalate,
}

impl ActionKind {
    /// Every kind, in documentation order.
    pub const ALL: [Self; 5] = [
        Self::Ack,
        Self::Assign,
        Self::Comment,
        Self::Dismiss,
        Self::Escalate,
    ];

    /// The stored and wire name (`ack`, `assign`, `comment`, `dismiss`, `escalate`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ack => "ack",
            Self::Assign => "assign",
            Self::Comment => "comment",
            Self::Dismiss => "dismiss",
            Self::Escalate => "escalate",
        }
    }

    /// The kind named `s`, if any.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// Where an alert stands in the officers' work.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum WorkState {
    /// Nobody has acted on it yet.
    #[default]
    New,
    /// Acknowledged, assigned or escalated: someone is on it.
    Acknowledged,
    /// Dismissed as false.
    Dismissed,
}

impl WorkState {
    /// The wire name (`new`, `acknowledged`, `dismissed`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::New => "new",
            Self::Acknowledged => "acknowledged",
            Self::Dismissed => "dismissed",
        }
    }
}

/// One action to record, or as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertAction {
    /// The alert's id.
    pub alert_id: String,
    /// What was done.
    pub kind: ActionKind,
    /// The operator's name.
    pub by: String,
    /// Wall-clock time, ms since the epoch.
    pub time_ms: i64,
    /// Comment text, dismissal reason or escalation note.
    pub note: Option<String>,
    /// The operator assigned to (for [`ActionKind::Assign`]).
    pub assignee: Option<String>,
}

/// An alert's state in the officers' work: the fold of its actions.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Workflow {
    /// Where it stands.
    pub state: WorkState,
    /// The operator it was last assigned to.
    pub assignee: Option<String>,
    /// Whether it was escalated.
    pub escalated: bool,
    /// Actions recorded.
    pub actions: usize,
}

impl Workflow {
    /// This workflow after `a`.
    pub fn apply(&mut self, kind: ActionKind, assignee: Option<&str>) {
        self.actions += 1;
        let on_it = |s: WorkState| match s {
            WorkState::New => WorkState::Acknowledged,
            other => other,
        };
        match kind {
            ActionKind::Ack => self.state = on_it(self.state),
            ActionKind::Assign => {
                self.state = on_it(self.state);
                self.assignee = assignee.map(str::to_owned);
            }
            ActionKind::Comment => {}
            ActionKind::Dismiss => self.state = WorkState::Dismissed,
            ActionKind::Escalate => {
                self.state = on_it(self.state);
                self.escalated = true;
            }
        }
    }

    /// Why `kind` is refused in this state, if it is: a dismissed alert takes only comments, and
    /// an escalated one is not escalated again.
    pub fn refuses(&self, kind: ActionKind) -> Option<&'static str> {
        match (self.state, kind) {
            (WorkState::Dismissed, ActionKind::Comment) => None,
            (WorkState::Dismissed, _) => Some("the alert was dismissed; only comments are taken"),
            (_, ActionKind::Escalate) if self.escalated => Some("the alert is already escalated"),
            _ => None,
        }
    }
}

/// Why an action was not recorded.
#[derive(Debug, thiserror::Error)]
pub enum ActionError {
    /// No alert has this id.
    #[error("no alert {0}")]
    NoAlert(String),
    /// A required field is missing or too long.
    #[error("{0}")]
    Invalid(String),
    /// The alert's state does not allow it.
    #[error("{0}")]
    Refused(&'static str),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Longest note or name, bytes.
pub const MAX_TEXT: usize = 4_000;

/// One dismissal, for detector tuning (`SqliteStore::dismissals`).
#[derive(Debug, Clone, PartialEq)]
pub struct Dismissal {
    /// The alert's id.
    pub alert_id: String,
    /// The alert's kind (`None` when the alert was pruned since).
    pub kind: Option<String>,
    /// The alert's vessel.
    pub mmsi: Option<u32>,
    /// The alert as emitted (severity, partner vessel, …), when still stored.
    pub alert_json: Option<String>,
    /// When it was dismissed, ms since the epoch (wall clock).
    pub time_ms: i64,
    /// Who dismissed it.
    pub by: String,
    /// Why.
    pub reason: String,
}

/// The kind stored as `stored`, or a corrupt-store error.
pub fn kind_of(stored: &str) -> Result<ActionKind, StoreError> {
    ActionKind::parse(stored).ok_or(StoreError::BadBlock {
        what: "alert action",
        detail: format!("unknown action {stored:?}"),
    })
}

/// Why `a` is not a valid action (missing operator, reason, assignee or text; text too long).
pub fn check(a: &AlertAction) -> Result<(), ActionError> {
    let long = |s: &Option<String>| s.as_ref().is_some_and(|s| s.len() > MAX_TEXT);
    let blank = |s: &Option<String>| s.as_deref().is_none_or(|s| s.trim().is_empty());
    if a.by.trim().is_empty() || a.by.len() > MAX_TEXT || long(&a.note) || long(&a.assignee) {
        return Err(ActionError::Invalid(format!(
            "operator name required; texts at most {MAX_TEXT} bytes"
        )));
    }
    match a.kind {
        ActionKind::Assign if blank(&a.assignee) => {
            Err(ActionError::Invalid("assign needs `to`".into()))
        }
        ActionKind::Comment if blank(&a.note) => {
            Err(ActionError::Invalid("comment needs `text`".into()))
        }
        ActionKind::Dismiss if blank(&a.note) => Err(ActionError::Invalid(
            "dismiss needs a `reason` (it is exported for detector tuning)".into(),
        )),
        _ => Ok(()),
    }
}

/// Where the officers' actions on alerts are kept.
pub trait Workflows: Send {
    /// Records `a` and returns the alert's workflow after it. The alert must exist and its state
    /// allow the action (see [`Workflow::refuses`]).
    fn record_action(&mut self, a: &AlertAction) -> Result<Workflow, ActionError>;

    /// The actions on alert `id`, oldest first.
    fn alert_actions(&self, id: &str) -> Result<Vec<AlertAction>, StoreError>;

    /// The workflow of each of `ids` that has any action.
    fn workflows(&self, ids: &[&str]) -> Result<HashMap<String, Workflow>, StoreError>;

    /// Every dismissal, oldest first, with what is still stored of its alert.
    fn dismissals(&self) -> Result<Vec<Dismissal>, StoreError>;
}
