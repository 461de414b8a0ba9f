//! Confidentiality labels and their lattice.

use crate::Token;
use serde::ser::{SerializeMap, SerializeStruct};
use serde::{Serialize, Serializer};
use std::collections::BTreeSet;
use std::fmt;

/// The permissive category of a label: to whom the item may be released.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Releasability {
    /// No releasability restriction (e.g. open AIS): releasable to all.
    All,
    /// Releasable only to a recipient that satisfies one of these nations or
    /// organisations (e.g. `REL NOR, SWE, NATO`). An empty set releases to
    /// nobody: the join of two labels with nothing in common.
    To(BTreeSet<Token>),
}

impl Releasability {
    /// The more restrictive combination of the two: the intersection.
    pub fn meet(&self, other: &Releasability) -> Releasability {
        match (self, other) {
            (Releasability::All, x) | (x, Releasability::All) => x.clone(),
            (Releasability::To(a), Releasability::To(b)) => {
                Releasability::To(a.intersection(b).cloned().collect())
            }
        }
    }

    /// Whether a recipient satisfying `satisfies` is covered.
    pub fn admits(&self, satisfies: &BTreeSet<Token>) -> bool {
        match self {
            Releasability::All => true,
            Releasability::To(set) => set.iter().any(|t| satisfies.contains(t)),
        }
    }
}

/// A confidentiality label shaped like STANAG 4774: a classification under
/// each policy that restricts the item, a releasable-to set and caveats.
///
/// A classification at a policy's lowest level (unclassified) restricts
/// nothing and is not kept, so [`Label::default`] — no classification,
/// releasable to all, no caveats — is the bottom of the lattice: what an
/// open AIS report carries.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Label {
    /// `(policy, rank, name)` with rank > 0, sorted by policy.
    classes: Vec<(Token, u8, Token)>,
    rel: Releasability,
    caveats: BTreeSet<Token>,
}

impl Default for Label {
    fn default() -> Self {
        Label {
            classes: Vec::new(),
            rel: Releasability::All,
            caveats: BTreeSet::new(),
        }
    }
}

impl Label {
    /// Unclassified, releasable to all, no caveats (the lattice's bottom).
    pub fn unclassified() -> Self {
        Label::default()
    }

    /// `name` (rank `rank`) under `policy`, releasable to all. Use
    /// [`Policies::label`](crate::Policies::label) to check the name.
    pub fn classified(policy: Token, rank: u8, name: Token) -> Self {
        let mut l = Label::default();
        if rank > 0 {
            l.classes.push((policy, rank, name));
        }
        l
    }

    /// This label, releasable only to `to` (intersected with what it already
    /// was releasable to).
    pub fn releasable_to(mut self, to: impl IntoIterator<Item = Token>) -> Self {
        self.rel = self.rel.meet(&Releasability::To(to.into_iter().collect()));
        self
    }

    /// This label with the caveats `caveats` added.
    pub fn with_caveats(mut self, caveats: impl IntoIterator<Item = Token>) -> Self {
        self.caveats.extend(caveats);
        self
    }

    /// The label of an item derived from items labelled `self` and `other`:
    /// the highest classification under each policy, the intersection of the
    /// releasable-to sets and the union of the caveats. Associative,
    /// commutative and idempotent; never less restrictive than either input.
    pub fn join(&self, other: &Label) -> Label {
        let mut classes = Vec::with_capacity(self.classes.len() + other.classes.len());
        let (mut a, mut b) = (
            self.classes.iter().peekable(),
            other.classes.iter().peekable(),
        );
        loop {
            let next = match (a.peek(), b.peek()) {
                (None, None) => break,
                (Some(_), None) => a.next(),
                (None, Some(_)) => b.next(),
                (Some(x), Some(y)) => match x.0.cmp(&y.0) {
                    std::cmp::Ordering::Less => a.next(),
                    std::cmp::Ordering::Greater => b.next(),
                    std::cmp::Ordering::Equal => {
                        let (x, y) = (a.next().unwrap(), b.next().unwrap());
                        Some(if y.1 > x.1 { y } else { x })
                    }
                },
            };
            classes.extend(next.cloned());
        }
        Label {
            classes,
            rel: self.rel.meet(&other.rel),
            caveats: self.caveats.union(&other.caveats).cloned().collect(),
        }
    }

    /// Joins every label in `labels` (the bottom for none).
    pub fn join_all<'a>(labels: impl IntoIterator<Item = &'a Label>) -> Label {
        labels
            .into_iter()
            .fold(Label::default(), |acc, l| acc.join(l))
    }

    /// Whether `self` is at least as restrictive as `other` (`other ≤ self`
    /// in the lattice): `self.join(other) == *self`.
    pub fn dominates(&self, other: &Label) -> bool {
        self.join(other) == *self
    }

    /// `(policy, rank, classification name)` for each policy that restricts
    /// the item, sorted by policy; empty when unclassified.
    pub fn classifications(&self) -> impl Iterator<Item = (&Token, u8, &Token)> {
        self.classes.iter().map(|(p, r, n)| (p, *r, n))
    }

    /// The releasable-to set.
    pub fn releasability(&self) -> &Releasability {
        &self.rel
    }

    /// The caveats (restrictive category), sorted.
    pub fn caveats(&self) -> &BTreeSet<Token> {
        &self.caveats
    }
}

/// The banner line, e.g. `UNCLASSIFIED`, `NOR BEGRENSET//REL NOR, SWE` or
/// `NATO RESTRICTED + NOR BEGRENSET//REL NOR//CAVEAT X`. It is also the
/// label's canonical text (deterministic: policies, nations and caveats sorted).
impl fmt::Display for Label {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.classes.is_empty() {
            f.write_str("UNCLASSIFIED")?;
        }
        for (i, (policy, _, name)) in self.classes.iter().enumerate() {
            if i > 0 {
                f.write_str(" + ")?;
            }
            if name.as_str().contains(policy.as_str()) {
                write!(f, "{name}")?;
            } else {
                write!(f, "{policy} {name}")?;
            }
        }
        if let Releasability::To(set) = &self.rel {
            f.write_str("//REL ")?;
            if set.is_empty() {
                f.write_str("NONE")?;
            }
            for (i, t) in set.iter().enumerate() {
                if i > 0 {
                    f.write_str(", ")?;
                }
                write!(f, "{t}")?;
            }
        }
        for c in &self.caveats {
            write!(f, "//{c}")?;
        }
        Ok(())
    }
}

struct Classes<'a>(&'a [(Token, u8, Token)]);

impl Serialize for Classes<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (p, _, n) in self.0 {
            m.serialize_entry(p.as_str(), n.as_str())?;
        }
        m.end()
    }
}

/// As an API item's `label`: `{"banner": "NOR BEGRENSET//REL NOR",
/// "classification": {"NOR": "BEGRENSET"}, "releasable_to": ["NOR"] | null
/// (all), "caveats": [], "level": 1}` — `level` is the highest rank of its classifications in
/// their policies (0: unclassified), what a banner's colour is chosen by.
impl Serialize for Label {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Label", 5)?;
        st.serialize_field("banner", &self.to_string())?;
        st.serialize_field("classification", &Classes(&self.classes))?;
        let rel: Option<Vec<&str>> = match &self.rel {
            Releasability::All => None,
            Releasability::To(set) => Some(set.iter().map(Token::as_str).collect()),
        };
        st.serialize_field("releasable_to", &rel)?;
        let cav: Vec<&str> = self.caveats.iter().map(Token::as_str).collect();
        st.serialize_field("caveats", &cav)?;
        let level = self.classes.iter().map(|(_, r, _)| *r).max().unwrap_or(0);
        st.serialize_field("level", &level)?;
        st.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Policies;

    fn t(s: &str) -> Token {
        Token::new(s).unwrap()
    }

    #[test]
    fn banners_read_like_markings() {
        let p = Policies::builtin();
        assert_eq!(Label::unclassified().to_string(), "UNCLASSIFIED");
        let nor = p
            .label("NOR", "BEGRENSET")
            .unwrap()
            .releasable_to([t("NOR")]);
        assert_eq!(nor.to_string(), "NOR BEGRENSET//REL NOR");
        let nato = p
            .label("NATO", "NATO RESTRICTED")
            .unwrap()
            .releasable_to([t("NOR"), t("NATO")])
            .with_caveats([t("CAVEAT X")]);
        assert_eq!(nato.to_string(), "NATO RESTRICTED//REL NATO, NOR//CAVEAT X");
        assert_eq!(
            nor.join(&nato).to_string(),
            "NATO RESTRICTED + NOR BEGRENSET//REL NOR//CAVEAT X"
        );
        let swe = Label::unclassified().releasable_to([t("SWE")]);
        assert_eq!(nor.join(&swe).to_string(), "NOR BEGRENSET//REL NONE");
    }

    #[test]
    fn unclassified_rank_restricts_nothing() {
        let p = Policies::builtin();
        assert_eq!(p.label("NOR", "UGRADERT").unwrap(), Label::unclassified());
    }

    #[test]
    fn serialises_for_the_api() {
        let p = Policies::builtin();
        let l = p
            .label("NOR", "BEGRENSET")
            .unwrap()
            .releasable_to([t("NOR")]);
        let v = serde_json::to_value(&l).unwrap();
        assert_eq!(
            v,
            serde_json::json!({"banner": "NOR BEGRENSET//REL NOR",
                "classification": {"NOR": "BEGRENSET"}, "releasable_to": ["NOR"], "caveats": [],
                "level": 1})
        );
        let secret = p.label("NATO", "NATO SECRET").unwrap().join(&l);
        assert_eq!(serde_json::to_value(&secret).unwrap()["level"], 3);
        let v = serde_json::to_value(Label::unclassified()).unwrap();
        assert_eq!(v["releasable_to"], serde_json::Value::Null);
        assert_eq!(v["level"], 0);
    }
}
