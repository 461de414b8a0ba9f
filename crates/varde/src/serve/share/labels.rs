//! Labels interned for the run: each distinct label once (with its JSON and banner), items carry a
//! small [`LabelId`]; and the current label of each vessel, published by the engine thread.

use serde_json::Value;
use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use varde_share::{Label, Policies, Token};
use varde_watch::picture::FxMap;

/// Index of a label in the [`LabelTable`].
pub type LabelId = u32;

/// The id every table gives its fallback label (the label of an item whose inputs are unknown).
pub const FALLBACK: LabelId = 0;

/// One interned label.
#[derive(Debug)]
pub struct LabelEntry {
    /// The label.
    pub label: Label,
    /// Its API form (`{"banner": …, "classification": …, "releasable_to": …, "caveats": …}`).
    pub json: Box<str>,
}

impl LabelEntry {
    fn new(label: Label) -> Self {
        Self {
            json: serde_json::to_string(&label)
                .unwrap_or_default()
                .into_boxed_str(),
            label,
        }
    }
}

/// The distinct labels of this run, append-only: a few (one per source label and per join of
/// them), so readers take a snapshot of the whole list once per request.
#[derive(Debug)]
pub struct LabelTable {
    entries: RwLock<Arc<Vec<Arc<LabelEntry>>>>,
    ids: RwLock<HashMap<Label, LabelId>>,
    joins: RwLock<HashMap<(LabelId, LabelId), LabelId>>,
}

impl LabelTable {
    /// A table whose [`FALLBACK`] entry is `fallback`.
    pub fn new(fallback: Label) -> Self {
        let t = Self {
            entries: RwLock::new(Arc::new(Vec::new())),
            ids: RwLock::new(HashMap::new()),
            joins: RwLock::new(HashMap::new()),
        };
        t.intern(&fallback);
        t
    }

    /// The id of `label`, added if new.
    pub fn intern(&self, label: &Label) -> LabelId {
        if let Some(id) = read(&self.ids).get(label) {
            return *id;
        }
        let mut ids = write(&self.ids);
        if let Some(id) = ids.get(label) {
            return *id;
        }
        let mut entries = write(&self.entries);
        let mut next = Vec::clone(&entries);
        let id = LabelId::try_from(next.len()).unwrap_or(FALLBACK);
        next.push(Arc::new(LabelEntry::new(label.clone())));
        *entries = Arc::new(next);
        ids.insert(label.clone(), id);
        id
    }

    /// The id of the join of labels `a` and `b` (cached).
    pub fn join(&self, a: LabelId, b: LabelId) -> LabelId {
        if a == b {
            return a;
        }
        let key = (a.min(b), a.max(b));
        if let Some(id) = read(&self.joins).get(&key) {
            return *id;
        }
        let snap = self.snapshot();
        let joined = snap.get(a).label.join(&snap.get(b).label);
        let id = self.intern(&joined);
        write(&self.joins).insert(key, id);
        id
    }

    /// Every label interned so far.
    pub fn snapshot(&self) -> Labels {
        Labels(read(&self.entries).clone())
    }
}

/// A snapshot of the [`LabelTable`].
#[derive(Debug, Clone)]
pub struct Labels(Arc<Vec<Arc<LabelEntry>>>);

impl Labels {
    /// Whether the snapshot holds `id`.
    pub fn holds(&self, id: LabelId) -> bool {
        (id as usize) < self.0.len()
    }

    /// The entry of `id`; the fallback for an id this snapshot does not hold.
    pub fn get(&self, id: LabelId) -> &LabelEntry {
        self.0
            .get(id as usize)
            .or_else(|| self.0.first())
            .map(Arc::as_ref)
            .unwrap_or_else(|| unreachable_entry())
    }
}

fn unreachable_entry() -> &'static LabelEntry {
    static E: std::sync::OnceLock<LabelEntry> = std::sync::OnceLock::new();
    E.get_or_init(|| LabelEntry::new(Label::unclassified().releasable_to([])))
}

/// The current label of every vessel, by MMSI: written by the engine thread once per hand-off to
/// the store, read by the API. A vessel not in it (loaded from the store, reported before this
/// run's journal replay) has the [`FALLBACK`] label.
#[derive(Debug, Default)]
pub struct VesselLabels {
    map: RwLock<FxMap<u32, LabelId>>,
    /// Bumped under the write lock by every change: the same version, the same labels.
    version: std::sync::atomic::AtomicU64,
}

impl VesselLabels {
    /// Sets the labels of `changes` (one write lock).
    pub fn set_all(&self, changes: impl IntoIterator<Item = (u32, LabelId)>) {
        let mut m = write(&self.map);
        self.bump();
        for (mmsi, id) in changes {
            m.insert(mmsi, id);
        }
    }

    fn bump(&self) {
        self.version
            .fetch_add(1, std::sync::atomic::Ordering::Release);
    }

    /// The labels' version: read while holding [`VesselLabels::read`]'s guard, it is the
    /// version of the labels that guard shows.
    pub fn version(&self) -> u64 {
        self.version.load(std::sync::atomic::Ordering::Acquire)
    }

    /// Forgets the labels of `mmsis` (vessels the API's view dropped).
    pub fn forget(&self, mmsis: &[u32]) {
        let mut m = write(&self.map);
        self.bump();
        for mmsi in mmsis {
            m.remove(mmsi);
        }
        m.shrink_to_fit();
    }

    /// Reads the labels under one read lock.
    pub fn read(&self) -> std::sync::RwLockReadGuard<'_, FxMap<u32, LabelId>> {
        read(&self.map)
    }

    /// The label of one vessel.
    pub fn get(&self, mmsi: u32) -> LabelId {
        read(&self.map).get(&mmsi).copied().unwrap_or(FALLBACK)
    }
}

/// Reads a label back from its API form (as stored in an alert's JSON); `None` when it names a
/// policy or classification this configuration does not know, or is malformed.
pub fn from_json(v: &Value, policies: &Policies) -> Option<Label> {
    let mut label = Label::unclassified();
    for (policy, name) in v.get("classification")?.as_object()? {
        label = label.join(&policies.label(policy, name.as_str()?).ok()?);
    }
    match v.get("releasable_to")? {
        Value::Null => {}
        Value::Array(to) => {
            let to: Option<Vec<Token>> = to
                .iter()
                .map(|t| t.as_str().and_then(|s| Token::new(s).ok()))
                .collect();
            label = label.releasable_to(to?);
        }
        _ => return None,
    }
    let caveats: Option<Vec<Token>> = v
        .get("caveats")?
        .as_array()?
        .iter()
        .map(|t| t.as_str().and_then(|s| Token::new(s).ok()))
        .collect();
    Some(label.with_caveats(caveats?))
}

/// `json` (an object) with `"label": label_json` added as its last member.
pub fn splice(json: &str, label_json: &str) -> String {
    let mut out = String::with_capacity(json.len() + label_json.len() + 10);
    splice_into(&mut out, json, label_json);
    out
}

/// Appends `json` with `"label": label_json` added to `out`.
pub fn splice_into(out: &mut String, json: &str, label_json: &str) {
    let body = json.trim_end();
    let Some(head) = body.strip_suffix('}') else {
        out.push_str(json);
        return;
    };
    out.push_str(head);
    if !head.trim_end().ends_with('{') {
        out.push(',');
    }
    out.push_str("\"label\":");
    out.push_str(label_json);
    out.push('}');
}

fn read<T>(l: &RwLock<T>) -> std::sync::RwLockReadGuard<'_, T> {
    l.read().unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn write<T>(l: &RwLock<T>) -> std::sync::RwLockWriteGuard<'_, T> {
    l.write().unwrap_or_else(std::sync::PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Token {
        Token::new(s).unwrap()
    }

    #[test]
    fn labels_are_interned_once_and_joined() {
        let p = Policies::builtin();
        let table = LabelTable::new(Label::unclassified().releasable_to([]));
        let open = table.intern(&Label::unclassified());
        let nor = table.intern(
            &p.label("NOR", "BEGRENSET")
                .unwrap()
                .releasable_to([t("NOR")]),
        );
        assert_eq!(table.intern(&Label::unclassified()), open);
        let j = table.join(open, nor);
        assert_eq!(j, nor);
        let snap = table.snapshot();
        assert_eq!(snap.get(j).label.to_string(), "NOR BEGRENSET//REL NOR");
        assert_eq!(snap.get(9999).label.to_string(), "UNCLASSIFIED//REL NONE");
    }

    #[test]
    fn a_label_survives_its_json_form() {
        let p = Policies::builtin();
        let l = p
            .label("NOR", "BEGRENSET")
            .unwrap()
            .join(&p.label("NATO", "NATO RESTRICTED").unwrap())
            .releasable_to([t("NOR"), t("NATO")])
            .with_caveats([t("X")]);
        let v = serde_json::to_value(&l).unwrap();
        assert_eq!(from_json(&v, &p), Some(l));
        let open = serde_json::to_value(Label::unclassified()).unwrap();
        assert_eq!(from_json(&open, &p), Some(Label::unclassified()));
        assert_eq!(from_json(&serde_json::json!({"banner": "x"}), &p), None);
    }

    #[test]
    fn splice_adds_the_label_last() {
        assert_eq!(splice("{\"a\":1}", "{}"), "{\"a\":1,\"label\":{}}");
        assert_eq!(splice("{}", "{}"), "{\"label\":{}}");
    }
}
