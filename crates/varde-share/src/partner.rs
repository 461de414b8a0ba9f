//! A recipient's clearance and the release decision.

use crate::{Label, Token};
use std::collections::BTreeSet;

/// What a partner (an allied centre, a national agency) is cleared for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Partner {
    /// The partner's id, as in configuration and the audit log.
    pub id: String,
    /// The nations and organisations it satisfies in a releasable-to set
    /// (e.g. `SWE`, `EU`, `NATO` for a Swedish centre).
    pub satisfies: BTreeSet<Token>,
    /// Highest classification rank per policy it may receive; a policy not
    /// listed: only that policy's unclassified level.
    pub clearance: Vec<(Token, u8)>,
    /// Caveats it holds (an item with a caveat goes only to holders).
    pub caveats: BTreeSet<Token>,
}

impl Partner {
    /// A partner satisfying `satisfies`, cleared for no classified level and
    /// holding no caveat.
    pub fn new(id: &str, satisfies: impl IntoIterator<Item = Token>) -> Self {
        Partner {
            id: id.to_string(),
            satisfies: satisfies.into_iter().collect(),
            clearance: Vec::new(),
            caveats: BTreeSet::new(),
        }
    }

    /// Clears the partner up to rank `rank` under `policy`.
    pub fn cleared(mut self, policy: Token, rank: u8) -> Self {
        self.clearance.retain(|(p, _)| *p != policy);
        self.clearance.push((policy, rank));
        self
    }

    /// Highest rank the partner may receive under `policy` (0 if none set).
    pub fn clearance_for(&self, policy: &Token) -> u8 {
        self.clearance
            .iter()
            .find(|(p, _)| p == policy)
            .map_or(0, |(_, r)| *r)
    }

    /// Whether an item labelled `label` may be released to this partner:
    /// cleared for every classification in it, satisfies its releasable-to
    /// set, and holds every caveat.
    pub fn may_receive(&self, label: &Label) -> bool {
        label
            .classifications()
            .all(|(policy, rank, _)| rank <= self.clearance_for(policy))
            && label.releasability().admits(&self.satisfies)
            && label.caveats().is_subset(&self.caveats)
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
    fn release_needs_clearance_releasability_and_caveats() {
        let p = Policies::builtin();
        let (nor_pol, begrenset) = p.rank("NOR", "BEGRENSET").unwrap();
        let nor =
            Partner::new("nor-jhq", [t("NOR"), t("NATO")]).cleared(nor_pol.clone(), begrenset);
        let swe = Partner::new("swe", [t("SWE"), t("EU")]);
        let open = Label::unclassified();
        let national = p
            .label("NOR", "BEGRENSET")
            .unwrap()
            .releasable_to([t("NOR")]);
        let rel_nato = Label::unclassified().releasable_to([t("NATO"), t("SWE")]);
        assert!(nor.may_receive(&open) && swe.may_receive(&open));
        assert!(nor.may_receive(&national) && !swe.may_receive(&national));
        assert!(nor.may_receive(&rel_nato) && swe.may_receive(&rel_nato));
        let cav = open.clone().with_caveats([t("CABLE OPS")]);
        assert!(!nor.may_receive(&cav));
        let mut nor2 = nor.clone();
        nor2.caveats.insert(t("CABLE OPS"));
        assert!(nor2.may_receive(&cav));
        // Cleared under NOR does not clear NATO RESTRICTED.
        assert!(!nor.may_receive(&p.label("NATO", "NATO RESTRICTED").unwrap()));
    }
}
