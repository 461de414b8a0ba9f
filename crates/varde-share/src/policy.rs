//! Security policies: each orders its classifications from lowest to highest.

use crate::{Label, ShareError, Token};

/// One security policy (the STANAG 4774 `PolicyIdentifier`) and its
/// classifications, lowest first. The lowest (index 0) is "unclassified":
/// an item at that level is not restricted by the policy at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    /// The policy identifier, e.g. `NATO`, `NOR`, `EU`.
    pub id: Token,
    /// Classification names, lowest first.
    pub classifications: Vec<Token>,
}

impl Policy {
    /// A policy from its identifier and classifications, lowest first.
    pub fn new(id: &str, classifications: &[&str]) -> Result<Self, ShareError> {
        let id = Token::new(id)?;
        let classifications = classifications
            .iter()
            .map(|c| Token::new(c))
            .collect::<Result<Vec<_>, _>>()?;
        if classifications.is_empty() {
            return Err(ShareError::BadPolicy(
                id.to_string(),
                "no classifications".into(),
            ));
        }
        for (i, c) in classifications.iter().enumerate() {
            if classifications[..i].contains(c) {
                return Err(ShareError::BadPolicy(
                    id.to_string(),
                    format!("{c} appears twice"),
                ));
            }
        }
        Ok(Policy {
            id,
            classifications,
        })
    }

    /// Rank (0 = lowest) of the classification called `name`.
    pub fn rank(&self, name: &str) -> Result<u8, ShareError> {
        let want = name.trim().to_ascii_uppercase();
        self.classifications
            .iter()
            .position(|c| c.as_str() == want)
            .map(|i| i as u8)
            .ok_or_else(|| ShareError::UnknownClassification {
                policy: self.id.to_string(),
                name: name.to_string(),
                known: self.known(),
            })
    }

    fn known(&self) -> String {
        let names: Vec<&str> = self.classifications.iter().map(Token::as_str).collect();
        names.join(", ")
    }
}

/// The policies a deployment knows. [`Policies::builtin`] has NATO's, Norway's
/// (the Security Act's grades) and the EU's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policies {
    list: Vec<Policy>,
}

impl Policies {
    /// NATO (`NATO UNCLASSIFIED` … `COSMIC TOP SECRET`), NOR (`UGRADERT`,
    /// `BEGRENSET`, `KONFIDENSIELT`, `HEMMELIG`, `STRENGT HEMMELIG`) and EU
    /// (`EU UNCLASSIFIED`, `RESTREINT UE`, `CONFIDENTIEL UE`, `SECRET UE`,
    /// `TRES SECRET UE`).
    pub fn builtin() -> Self {
        let p = |id: &str, c: &[&str]| Policy::new(id, c).expect("built-in policy is valid");
        Policies {
            list: vec![
                p(
                    "NATO",
                    &[
                        "NATO UNCLASSIFIED",
                        "NATO RESTRICTED",
                        "NATO CONFIDENTIAL",
                        "NATO SECRET",
                        "COSMIC TOP SECRET",
                    ],
                ),
                p(
                    "NOR",
                    &[
                        "UGRADERT",
                        "BEGRENSET",
                        "KONFIDENSIELT",
                        "HEMMELIG",
                        "STRENGT HEMMELIG",
                    ],
                ),
                p(
                    "EU",
                    &[
                        "EU UNCLASSIFIED",
                        "RESTREINT UE",
                        "CONFIDENTIEL UE",
                        "SECRET UE",
                        "TRES SECRET UE",
                    ],
                ),
            ],
        }
    }

    /// Adds a policy, or replaces the one with the same identifier.
    pub fn define(&mut self, policy: Policy) {
        match self.list.iter_mut().find(|p| p.id == policy.id) {
            Some(slot) => *slot = policy,
            None => self.list.push(policy),
        }
    }

    /// The policy with identifier `id`.
    pub fn get(&self, id: &str) -> Result<&Policy, ShareError> {
        let want = id.trim().to_ascii_uppercase();
        self.list
            .iter()
            .find(|p| p.id.as_str() == want)
            .ok_or_else(|| {
                let known: Vec<&str> = self.list.iter().map(|p| p.id.as_str()).collect();
                ShareError::UnknownPolicy(id.to_string(), known.join(", "))
            })
    }

    /// Every policy, in definition order.
    pub fn iter(&self) -> impl Iterator<Item = &Policy> {
        self.list.iter()
    }

    /// The label for `classification` under `policy`, releasable to all,
    /// without caveats.
    pub fn label(&self, policy: &str, classification: &str) -> Result<Label, ShareError> {
        let p = self.get(policy)?;
        let rank = p.rank(classification)?;
        Ok(Label::classified(
            p.id.clone(),
            rank,
            p.classifications[usize::from(rank)].clone(),
        ))
    }

    /// Rank of `classification` under `policy` (for a partner's clearance).
    pub fn rank(&self, policy: &str, classification: &str) -> Result<(Token, u8), ShareError> {
        let p = self.get(policy)?;
        Ok((p.id.clone(), p.rank(classification)?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_policies_order_their_classifications() {
        let p = Policies::builtin();
        assert_eq!(p.get("nor").unwrap().rank("begrenset").unwrap(), 1);
        assert_eq!(p.get("NATO").unwrap().rank("NATO SECRET").unwrap(), 3);
        let e = p.get("NOR").unwrap().rank("SECRET").unwrap_err();
        assert!(e.to_string().contains("UGRADERT, BEGRENSET"), "{e}");
        assert!(p.get("XX").is_err());
    }

    #[test]
    fn a_policy_needs_distinct_classifications() {
        assert!(Policy::new("X", &[]).is_err());
        assert!(Policy::new("X", &["A", "a"]).is_err());
    }
}
