//! Errors of the sharing policy.

/// What can be wrong in a label or partner definition.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ShareError {
    /// A policy identifier no policy is defined for.
    #[error("unknown policy {0:?} (known: {1})")]
    UnknownPolicy(String, String),
    /// A classification the policy does not define.
    #[error("policy {policy} has no classification {name:?} (it has: {known})")]
    UnknownClassification {
        /// The policy.
        policy: String,
        /// The classification asked for.
        name: String,
        /// The policy's classifications, lowest first.
        known: String,
    },
    /// A nation, organisation or caveat token that is empty or has characters
    /// other than `A-Z`, `0-9`, `_`, `-` and space.
    #[error(
        "bad token {0:?}: use upper-case letters, digits, '_', '-' or spaces (e.g. NOR, NATO, EU)"
    )]
    BadToken(String),
    /// A policy defined twice, or with no or repeated classifications.
    #[error("bad policy {0}: {1}")]
    BadPolicy(String, String),
    /// Two partners with the same id.
    #[error("partner {0:?} is defined twice")]
    DuplicatePartner(String),
    /// A partner credential is missing or shared with another partner.
    #[error("partner {0:?}: {1}")]
    BadPartner(String, String),
}
