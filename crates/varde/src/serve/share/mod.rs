//! Sharing the picture with partners: a confidentiality label on every item, and partner-scoped
//! access to the API, the live stream and the GeoJSON feed.
//!
//! - Every item carries a label ([`varde_share::Label`]): a track point its source's
//!   (`[share.source_labels]`, else `default_label`); a vessel's current record and an alert the
//!   joins described in [`tracker`]; an incident the join of its alerts; a layer the label of the
//!   source name `layer:<id>` (`layer:zones`, `layer:land`, `layer:infrastructure`) when
//!   configured, else unclassified. An item whose inputs are not known (a vessel loaded from the
//!   store and not reported since, an alert stored before labels existed) gets the *fallback*
//!   label: the join of every configured label, i.e. as restricted as anything it could have come
//!   from.
//! - The operator's token sees every item, with its label. A partner's token
//!   (`[[share.partners]] token`) sees only items its clearance admits
//!   ([`varde_share::Partner::may_receive`]), decided per item before serialisation, with its
//!   redaction applied (see [`redact`]); each item released to it is told to the [`ReleaseLog`].
//! - Partners are re-read from the configuration file on SIGHUP and whenever the file changes
//!   (polled every [`crate::serve::reload::POLL`]); a partner removed, or whose token, clearance, feeds or
//!   redaction changed, has its open streams ended within seconds and its old token refused.
//!
//! # Layout
//! - `labels`: interned labels, vessels' labels, a label's JSON form.
//! - `tracker`: the engine thread's side (sources behind each vessel and alert).
//! - `redact`: the per-caller gate (release decision, memoised per label) and redaction.
//! - `api`: the partner-aware bodies of the vessel, track, alert, incident and layer endpoints.
//! - `stream`: partner subscriptions to the live events: `/api/stream` and `/share/geojson`.
//! - `geojson`: a minimal GeoJSON Feature encoder (to be replaced by varde-share's encoders).
//! - `release`: the audit hook.

pub mod api;
pub mod geojson;
pub mod labels;
pub mod redact;
pub mod release;
pub mod stream;
pub mod tracker;

#[cfg(test)]
mod tests;

use anyhow::Result;
use labels::{LabelId, LabelTable, VesselLabels};
use release::{CountingLog, ReleaseLog};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};
use tokio::sync::watch;
use varde_share::config::{PartnerEntry, Share, ShareConfig};
use varde_share::Label;

/// Who is calling: the national operator (sees everything), a partner, or an operator previewing
/// what a partner receives.
#[derive(Debug, Clone)]
pub enum Caller {
    /// The service's own token.
    Operator,
    /// A partner's token: its clearance, feeds and redaction as when it authenticated.
    Partner(Arc<PartnerEntry>),
    /// An operator viewing as this partner (`X-Varde-View-As`, `?as_partner=`, or the map's
    /// `varde_view_as` cookie): the partner's release filter and redaction, but nothing is
    /// released, so nothing is audited or counted.
    Preview(Arc<PartnerEntry>),
}

impl Caller {
    /// The partner whose view this caller gets (a partner, or the one previewed).
    pub fn partner(&self) -> Option<&Arc<PartnerEntry>> {
        match self {
            Caller::Operator => None,
            Caller::Partner(p) | Caller::Preview(p) => Some(p),
        }
    }
}

/// Labels, partners and the release log, shared by the pipeline and the API.
pub struct ShareState {
    /// Labels by source, as configured at start (a change needs a restart).
    labels_cfg: Share,
    /// Partners, as last (re)loaded.
    partners: RwLock<Arc<Vec<Arc<PartnerEntry>>>>,
    /// The distinct labels of this run.
    pub table: Arc<LabelTable>,
    /// The current label of each vessel.
    pub vessels: Arc<VesselLabels>,
    by_source: BTreeMap<String, LabelId>,
    default_source: LabelId,
    /// Bumped at every reload: partner streams check whether they are still current.
    generation: watch::Sender<u64>,
    dropped: Mutex<BTreeMap<String, u64>>,
    /// Releases to partners counted by `(partner, feed)` (`varde_share_released_total`).
    pub counted: Arc<CountingLog>,
    /// Where releases to partners are told for audit, besides the count (the audit store's sink
    /// is connected here).
    pub release_log: Option<Arc<dyn ReleaseLog>>,
    config_path: Option<PathBuf>,
}

impl std::fmt::Debug for ShareState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ShareState").finish_non_exhaustive()
    }
}

impl Default for ShareState {
    fn default() -> Self {
        Self::new(&ShareConfig::default(), None).unwrap_or_else(|_| unreachable!())
    }
}

impl ShareState {
    /// Resolves `[share]` (errors name the bad key); `config_path` is re-read on reload.
    pub fn new(cfg: &ShareConfig, config_path: Option<PathBuf>) -> Result<Self> {
        let share = resolve(cfg)?;
        let fallback = share
            .source_labels
            .values()
            .fold(share.default_label.clone(), |acc, l| acc.join(l));
        let table = Arc::new(LabelTable::new(fallback));
        let by_source = share
            .source_labels
            .iter()
            .map(|(k, l)| (k.clone(), table.intern(l)))
            .collect();
        Ok(Self {
            default_source: table.intern(&share.default_label),
            partners: RwLock::new(Arc::new(
                share.partners.iter().cloned().map(Arc::new).collect(),
            )),
            labels_cfg: share,
            table,
            vessels: Arc::default(),
            by_source,
            generation: watch::channel(0).0,
            dropped: Mutex::default(),
            counted: Arc::default(),
            release_log: None,
            config_path,
        })
    }

    /// The configuration labels were resolved from (policies, labels by source).
    pub fn labels_config(&self) -> &Share {
        &self.labels_cfg
    }

    /// The engine thread's tracker.
    pub fn tracker(&self) -> tracker::LabelTracker {
        tracker::LabelTracker::new(&self.labels_cfg, self.table.clone(), self.vessels.clone())
    }

    /// The label of input from source `name` (`None`: unknown, the fallback).
    pub fn source_label(&self, name: Option<&str>) -> LabelId {
        match name {
            None => labels::FALLBACK,
            Some(n) => self
                .by_source
                .get(n)
                .copied()
                .unwrap_or(self.default_source),
        }
    }

    /// The label of map layer `id`: source label `layer:<id>`, else unclassified.
    pub fn layer_label(&self, id: &str) -> LabelId {
        match self.by_source.get(&format!("layer:{id}")) {
            Some(l) => *l,
            None => self.table.intern(&Label::unclassified()),
        }
    }

    /// The current partner `id`.
    pub fn partner_by_id(&self, id: &str) -> Option<Arc<PartnerEntry>> {
        self.current().iter().find(|p| p.partner.id == id).cloned()
    }

    /// The ids of the current partners, in configuration order (what an operator may preview).
    pub fn partner_ids(&self) -> Vec<String> {
        self.current()
            .iter()
            .map(|p| p.partner.id.clone())
            .collect()
    }

    /// The current partner whose token is `token`.
    pub fn partner_by_token(&self, token: &[u8]) -> Option<Arc<PartnerEntry>> {
        self.current()
            .iter()
            .find(|p| {
                p.token
                    .as_deref()
                    .is_some_and(|t| constant_time_eq(t.as_bytes(), token))
            })
            .cloned()
    }

    /// Whether `p` is still a current partner, unchanged.
    pub fn is_current(&self, p: &PartnerEntry) -> bool {
        self.current().iter().any(|c| **c == *p)
    }

    /// The partners as last (re)loaded.
    pub fn current(&self) -> Arc<Vec<Arc<PartnerEntry>>> {
        self.partners
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// Replaces the partners; open partner streams re-check themselves.
    pub fn set_partners(&self, partners: Vec<PartnerEntry>) {
        *self
            .partners
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) =
            Arc::new(partners.into_iter().map(Arc::new).collect());
        self.generation.send_modify(|g| *g += 1);
    }

    /// A receiver that changes at every reload of the partners.
    pub fn reloads(&self) -> watch::Receiver<u64> {
        self.generation.subscribe()
    }

    /// Re-reads the configuration file's partners; on a bad file the old partners stay.
    pub fn reload(&self) {
        let Some(path) = &self.config_path else {
            return;
        };
        match crate::config::Config::load(Some(path)).and_then(|c| resolve(&c.share)) {
            Ok(share) => {
                let n = share.partners.len();
                self.set_partners(share.partners);
                tracing::info!(partners = n, "share partners reloaded");
            }
            Err(e) => {
                tracing::warn!(error = %format!("{e:#}"), "configuration not reloaded; partners unchanged")
            }
        }
    }

    /// Reloads on SIGHUP and when the configuration file's modification time changes
    /// ([`crate::serve::reload`]).
    pub fn spawn_reloader(self: &Arc<Self>) {
        if let Some(path) = self.config_path.clone() {
            crate::serve::reload::spawn(path, self, Self::reload);
        }
    }

    /// Counts `n` items dropped for `partner` (a slow subscriber).
    pub fn count_dropped(&self, partner: &str, n: u64) {
        if n > 0 {
            *self
                .dropped
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .entry(partner.to_owned())
                .or_default() += n;
        }
    }

    /// Prometheus text of the share counters.
    pub fn render(&self, out: &mut String) {
        use std::fmt::Write;
        let _ = writeln!(
            out,
            "# HELP varde_share_dropped_total Items dropped for a partner that read too slowly.\n\
             # TYPE varde_share_dropped_total counter"
        );
        let dropped = self
            .dropped
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        for p in self.current().iter() {
            let n = dropped.get(&p.partner.id).copied().unwrap_or(0);
            let _ = writeln!(
                out,
                "varde_share_dropped_total{{partner=\"{}\"}} {n}",
                escape(&p.partner.id)
            );
        }
        drop(dropped);
        if let Some((recorded, refused)) =
            self.release_log.as_ref().and_then(|l| l.recorded_refused())
        {
            let _ = writeln!(
                out,
                "# HELP varde_audit_recorded_total Releases to partners queued for the audit log.\n\
                 # TYPE varde_audit_recorded_total counter\n\
                 varde_audit_recorded_total {recorded}\n\
                 # HELP varde_audit_refused_total Releases the audit log could not take (queue full or closed).\n\
                 # TYPE varde_audit_refused_total counter\n\
                 varde_audit_refused_total {refused}"
            );
        }
        let _ = writeln!(
            out,
            "# HELP varde_share_released_total Items released to a partner, by feed.\n\
             # TYPE varde_share_released_total counter"
        );
        for ((partner, feed), n) in self.counted.counts() {
            let _ = writeln!(
                out,
                "varde_share_released_total{{partner=\"{}\",feed=\"{feed}\"}} {n}",
                escape(&partner)
            );
        }
    }

    /// Tells the release log that `item_id` went to `caller` (nothing for the operator, nothing
    /// for a preview: it is not a release).
    pub fn released(&self, caller: &Caller, feed: &str, item_id: &str, label: &Label) {
        if let Caller::Partner(p) = caller {
            let now = super::source::now_ms();
            self.counted
                .released(&p.partner.id, feed, item_id, label, now);
            if let Some(log) = &self.release_log {
                log.released(&p.partner.id, feed, item_id, label, now);
            }
        }
    }
}

/// `[share]` checked; an error names the key at fault.
pub fn resolve(cfg: &ShareConfig) -> Result<Share> {
    cfg.resolve().map_err(|e| {
        let key = locate(cfg).unwrap_or_else(|| "[share]".into());
        anyhow::anyhow!("{key}: {e}")
    })
}

/// Which key of `[share]` fails to resolve.
fn locate(cfg: &ShareConfig) -> Option<String> {
    let mut policies = varde_share::Policies::builtin();
    for (i, p) in cfg.policies.iter().enumerate() {
        let names: Vec<&str> = p.classifications.iter().map(String::as_str).collect();
        match varde_share::Policy::new(&p.id, &names) {
            Ok(p) => policies.define(p),
            Err(_) => return Some(format!("[[share.policies]] #{} ({})", i + 1, p.id)),
        }
    }
    if cfg.default_label.resolve(&policies).is_err() {
        return Some("[share.default_label]".into());
    }
    for (k, v) in &cfg.source_labels {
        if v.resolve(&policies).is_err() {
            return Some(format!("[share.source_labels] {k}"));
        }
    }
    cfg.partners
        .iter()
        .enumerate()
        .find(|(_, p)| {
            let one = ShareConfig {
                policies: cfg.policies.clone(),
                partners: vec![(*p).clone()],
                ..ShareConfig::default()
            };
            one.resolve().is_err()
        })
        .map(|(i, p)| format!("[[share.partners]] #{} (id {:?})", i + 1, p.id))
        .or_else(|| Some("[[share.partners]]".into()))
}

fn escape(s: &str) -> String {
    s.replace(['"', '\\', '\n'], "_")
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
