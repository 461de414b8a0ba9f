//! The `[share]` configuration: policies, labels by source, partners.
//!
//! ```toml
//! [share]
//! # Label of a source not listed in [share.source_labels]; default: unclassified, releasable to all.
//! default_label = { }
//!
//! [share.source_labels]
//! kystverket = { }                                                    # open AIS
//! coastal-radar = { policy = "NOR", classification = "BEGRENSET", rel = ["NOR"] }
//!
//! [[share.policies]]                                                 # besides NATO, NOR, EU
//! id = "SWE"
//! classifications = ["OKLASSIFICERAD", "BEGRÄNSAD HEMLIG"]           # lowest first
//!
//! [[share.partners]]
//! id = "swe-mhq"
//! satisfies = ["SWE", "EU", "NATO"]
//! clearance = { NATO = "NATO RESTRICTED" }                          # highest per policy
//! caveats = []
//! feeds = ["cot", "ogc", "geojson", "nmea"]
//! token = "…"                                                        # and/or a client certificate
//! certificate = "sha256:…"                                           # SHA-256 of the DER certificate
//! redact = { drop_station = true, coarsen_m = 0, delay_min = 0 }
//! ```

use crate::{Label, Partner, Policies, Policy, ShareError, Token};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};

/// `[share]` as written in the configuration file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShareConfig {
    /// Policies besides the built-in NATO, NOR and EU (or replacing them).
    #[serde(default)]
    pub policies: Vec<PolicySpec>,
    /// Label of input from a source not in `source_labels`.
    #[serde(default)]
    pub default_label: LabelSpec,
    /// Label of input by source name (`[[serve.sources]] name`).
    #[serde(default)]
    pub source_labels: BTreeMap<String, LabelSpec>,
    /// The partners the picture is shared with.
    #[serde(default)]
    pub partners: Vec<PartnerSpec>,
    /// `[share.tak]`: the service's Cursor-on-Target listener and pushes, kept as written (the
    /// service reads it; this crate does no I/O).
    #[serde(default)]
    pub tak: Option<serde_json::Value>,
    /// `[[share.nmea_out]]`: the service's NMEA re-broadcast listeners, kept as written.
    #[serde(default)]
    pub nmea_out: Vec<serde_json::Value>,
}

/// A policy: identifier and classifications, lowest first.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicySpec {
    /// The policy identifier.
    pub id: String,
    /// Classification names, lowest first.
    pub classifications: Vec<String>,
}

/// A label as written: no `policy`/`classification` = unclassified; no
/// `rel` = releasable to all.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabelSpec {
    /// The policy identifier (needed with `classification`).
    pub policy: Option<String>,
    /// The classification under `policy`.
    pub classification: Option<String>,
    /// Releasable to these nations/organisations only.
    pub rel: Option<Vec<String>>,
    /// Caveats (restrictive category).
    #[serde(default)]
    pub caveats: Vec<String>,
}

/// The feeds a partner may be given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FeedKind {
    /// Cursor-on-Target over TCP/TLS (TAK streaming).
    Cot,
    /// OGC API – Features.
    Ogc,
    /// GeoJSON text sequences / server-sent events.
    Geojson,
    /// AIVDM re-broadcast over TCP.
    Nmea,
}

/// What is removed or blurred before release to a partner.
#[derive(Debug, Clone, Copy, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Redaction {
    /// Drop the receiving station / source name from items.
    #[serde(default)]
    pub drop_station: bool,
    /// Round positions to a grid of about this many metres (0: exact).
    #[serde(default)]
    pub coarsen_m: u32,
    /// Release items only this many minutes after their time (0: live).
    #[serde(default)]
    pub delay_min: u32,
}

/// A partner as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartnerSpec {
    /// Unique id, used in the audit log.
    pub id: String,
    /// Nations/organisations it satisfies.
    pub satisfies: Vec<String>,
    /// Highest classification per policy.
    #[serde(default)]
    pub clearance: BTreeMap<String, String>,
    /// Caveats it holds.
    #[serde(default)]
    pub caveats: Vec<String>,
    /// Feeds it gets.
    #[serde(default)]
    pub feeds: Vec<FeedKind>,
    /// Field redaction.
    #[serde(default)]
    pub redact: Redaction,
    /// A bearer token bound to this partner.
    pub token: Option<String>,
    /// Its client certificate: `sha256:` and the hex SHA-256 of the DER.
    pub certificate: Option<String>,
}

/// A resolved partner: clearance, feeds, redaction and credentials.
#[derive(Debug, Clone, PartialEq)]
pub struct PartnerEntry {
    /// The clearance that decides releases.
    pub partner: Partner,
    /// Feeds it gets.
    pub feeds: Vec<FeedKind>,
    /// Field redaction.
    pub redact: Redaction,
    /// Bearer token, if any.
    pub token: Option<String>,
    /// Lower-case hex SHA-256 of its client certificate (DER), if any.
    pub certificate_sha256: Option<String>,
}

/// The checked `[share]` configuration.
#[derive(Debug, Clone, PartialEq)]
pub struct Share {
    /// Every known policy.
    pub policies: Policies,
    /// Label of a source without its own.
    pub default_label: Label,
    /// Label by source name.
    pub source_labels: HashMap<String, Label>,
    /// Partners in configuration order.
    pub partners: Vec<PartnerEntry>,
}

impl Share {
    /// The label of input from source `name`.
    pub fn label_for_source(&self, name: &str) -> &Label {
        self.source_labels.get(name).unwrap_or(&self.default_label)
    }

    /// The partner whose token is `token`.
    pub fn partner_by_token(&self, token: &str) -> Option<&PartnerEntry> {
        self.partners
            .iter()
            .find(|p| p.token.as_deref() == Some(token))
    }

    /// The partner whose certificate's SHA-256 (hex) is `sha256`.
    pub fn partner_by_certificate(&self, sha256: &str) -> Option<&PartnerEntry> {
        self.partners
            .iter()
            .find(|p| p.certificate_sha256.as_deref() == Some(sha256))
    }
}

impl ShareConfig {
    /// Checks names against the policies and builds the [`Share`].
    pub fn resolve(&self) -> Result<Share, ShareError> {
        let mut policies = Policies::builtin();
        for p in &self.policies {
            let names: Vec<&str> = p.classifications.iter().map(String::as_str).collect();
            policies.define(Policy::new(&p.id, &names)?);
        }
        let default_label = self.default_label.resolve(&policies)?;
        let source_labels = self
            .source_labels
            .iter()
            .map(|(k, v)| Ok((k.clone(), v.resolve(&policies)?)))
            .collect::<Result<HashMap<_, _>, ShareError>>()?;
        let mut partners: Vec<PartnerEntry> = Vec::new();
        for spec in &self.partners {
            if partners.iter().any(|p| p.partner.id == spec.id) {
                return Err(ShareError::DuplicatePartner(spec.id.clone()));
            }
            partners.push(spec.resolve(&policies)?);
        }
        for (i, a) in partners.iter().enumerate() {
            for b in &partners[..i] {
                if a.token.is_some() && a.token == b.token {
                    return Err(ShareError::BadPartner(
                        a.partner.id.clone(),
                        format!("shares its token with {}", b.partner.id),
                    ));
                }
                if a.certificate_sha256.is_some() && a.certificate_sha256 == b.certificate_sha256 {
                    return Err(ShareError::BadPartner(
                        a.partner.id.clone(),
                        format!("shares its certificate with {}", b.partner.id),
                    ));
                }
            }
        }
        Ok(Share {
            policies,
            default_label,
            source_labels,
            partners,
        })
    }
}

fn tokens(list: &[String]) -> Result<Vec<Token>, ShareError> {
    list.iter().map(|s| Token::new(s)).collect()
}

impl LabelSpec {
    /// The label this spec names under `policies`.
    pub fn resolve(&self, policies: &Policies) -> Result<Label, ShareError> {
        let mut label = match (&self.policy, &self.classification) {
            (None, None) => Label::unclassified(),
            (Some(p), Some(c)) => policies.label(p, c)?,
            (Some(p), None) => policies.label(p, policies.get(p)?.classifications[0].as_str())?,
            (None, Some(c)) => {
                return Err(ShareError::UnknownPolicy(
                    format!("(none given for classification {c:?})"),
                    policies
                        .iter()
                        .map(|p| p.id.to_string())
                        .collect::<Vec<_>>()
                        .join(", "),
                ))
            }
        };
        if let Some(rel) = &self.rel {
            label = label.releasable_to(tokens(rel)?);
        }
        Ok(label.with_caveats(tokens(&self.caveats)?))
    }
}

impl PartnerSpec {
    fn resolve(&self, policies: &Policies) -> Result<PartnerEntry, ShareError> {
        if self.id.trim().is_empty() || self.id.chars().any(|c| c.is_control()) {
            return Err(ShareError::BadPartner(
                self.id.clone(),
                "empty or bad id".into(),
            ));
        }
        let mut partner = Partner::new(&self.id, tokens(&self.satisfies)?);
        for (policy, classification) in &self.clearance {
            let (p, rank) = policies.rank(policy, classification)?;
            partner = partner.cleared(p, rank);
        }
        partner.caveats = tokens(&self.caveats)?.into_iter().collect();
        let certificate_sha256 = match &self.certificate {
            None => None,
            Some(c) => {
                let hex = c.trim().strip_prefix("sha256:").unwrap_or(c.trim());
                let hex: String = hex
                    .chars()
                    .filter(|c| *c != ':')
                    .collect::<String>()
                    .to_ascii_lowercase();
                if hex.len() != 64 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                    return Err(ShareError::BadPartner(
                        self.id.clone(),
                        "certificate must be sha256: and 64 hex digits (the SHA-256 of the DER)"
                            .into(),
                    ));
                }
                Some(hex)
            }
        };
        let token = self.token.clone().filter(|t| !t.is_empty());
        if token.is_none() && certificate_sha256.is_none() {
            return Err(ShareError::BadPartner(
                self.id.clone(),
                "needs a token or a certificate".into(),
            ));
        }
        Ok(PartnerEntry {
            partner,
            feeds: self.feeds.clone(),
            redact: self.redact,
            token,
            certificate_sha256,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct File {
        share: ShareConfig,
    }

    fn parse(s: &str) -> Result<Share, ShareError> {
        toml::from_str::<File>(s).unwrap().share.resolve()
    }

    #[test]
    fn reads_sources_and_partners() {
        let s = parse(
            r#"
[share.source_labels]
radar = { policy = "NOR", classification = "BEGRENSET", rel = ["NOR"] }
[[share.partners]]
id = "nor-jhq"
satisfies = ["NOR", "NATO"]
clearance = { NOR = "BEGRENSET" }
feeds = ["cot", "ogc"]
token = "secret-1"
[[share.partners]]
id = "swe"
satisfies = ["SWE", "EU"]
certificate = "sha256:AB:CD:ef0123456789abcdef0123456789abcdef0123456789abcdef0123456789"
redact = { drop_station = true, delay_min = 10 }
"#,
        )
        .unwrap();
        let radar = s.label_for_source("radar");
        assert_eq!(radar.to_string(), "NOR BEGRENSET//REL NOR");
        assert_eq!(s.label_for_source("kystverket"), &Label::unclassified());
        let nor = s.partner_by_token("secret-1").unwrap();
        assert!(nor.partner.may_receive(radar));
        assert_eq!(nor.feeds, vec![FeedKind::Cot, FeedKind::Ogc]);
        let swe = &s.partners[1];
        assert!(!swe.partner.may_receive(radar));
        assert!(swe.redact.drop_station && swe.redact.delay_min == 10);
        assert!(s
            .partner_by_certificate(
                "abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789"
            )
            .is_some());
    }

    #[test]
    fn refuses_bad_definitions_with_a_reason() {
        let e = parse("[share.default_label]\npolicy = \"NOR\"\nclassification = \"SECRET\"\n")
            .unwrap_err();
        assert!(e.to_string().contains("UGRADERT"), "{e}");
        let e = parse("[[share.partners]]\nid = \"x\"\nsatisfies = [\"NOR\"]\n").unwrap_err();
        assert!(e.to_string().contains("token or a certificate"), "{e}");
        let e = parse(
            "[[share.partners]]\nid = \"x\"\nsatisfies = []\ntoken = \"a\"\n[[share.partners]]\nid = \"y\"\nsatisfies = []\ntoken = \"a\"\n",
        )
        .unwrap_err();
        assert!(e.to_string().contains("shares its token"), "{e}");
        assert!(toml::from_str::<File>("[share]\nbogus = 1\n").is_err());
    }
}
