//! A label as STANAG 4774 (ADatP-4774) confidentiality label XML, in the
//! shape of the public examples (namespace
//! `urn:nato:stanag:4774:confidentialitymetadatalabel:1:0`, prefix `slab`).
//! No schema or validator is available here; golden files hold the output.
//!
//! ```xml
//! <slab:originatorConfidentialityLabel xmlns:slab="urn:nato:stanag:4774:confidentialitymetadatalabel:1:0">
//!   <slab:ConfidentialityInformation>
//!     <slab:PolicyIdentifier>NATO</slab:PolicyIdentifier>
//!     <slab:Classification>NATO RESTRICTED</slab:Classification>
//!     <slab:Category TagName="Releasable To" Type="PERMISSIVE">
//!       <slab:GenericValue>NOR</slab:GenericValue>
//!     </slab:Category>
//!     <slab:Category TagName="Caveats" Type="RESTRICTIVE">
//!       <slab:GenericValue>CABLE OPS</slab:GenericValue>
//!     </slab:Category>
//!   </slab:ConfidentialityInformation>
//!   <slab:CreationDateTime>2026-11-25T12:00:00.000Z</slab:CreationDateTime>
//! </slab:originatorConfidentialityLabel>
//! ```
//!
//! Choices where a [`Label`] and a 4774 label differ:
//!
//! - **Releasable to all** writes no `Releasable To` category. **Releasable
//!   to nobody** (an empty set, from joining labels with nothing in common)
//!   writes the category with no value: a holder needs one of none.
//! - **Caveats** are one `RESTRICTIVE` category, `TagName="Caveats"` (a
//!   holder needs every value).
//! - **Unclassified** (no policy restricts the item): a label under the first
//!   policy in [`Policies`] (built-in: NATO) at its lowest classification
//!   (`NATO UNCLASSIFIED`), since a 4774 label always names a policy.
//! - **Several policies** (a join of, say, NATO RESTRICTED and NOR
//!   BEGRENSET): one 4774 label per policy, each with the same categories,
//!   inside a `<varde:labels xmlns:varde="urn:varde:share:labels:1">`
//!   element. Every label applies (a recipient must satisfy all of them);
//!   each is a complete 4774 label a consumer can take out on its own. A
//!   4774 label has one `ConfidentialityInformation`, and its alternative
//!   labels mean *equivalent* markings, not a conjunction, so neither fits.

use super::xml::{attr, text_element};
use crate::time::rfc3339_millis;
use crate::{Label, Policies, Releasability, Token};

/// The STANAG 4774 label namespace.
pub const NAMESPACE: &str = "urn:nato:stanag:4774:confidentialitymetadatalabel:1:0";
/// The namespace of the wrapper around several labels (see the module docs).
pub const VARDE_NAMESPACE: &str = "urn:varde:share:labels:1";

/// `label` as a STANAG 4774 XML document (with declaration, ending in a
/// line feed), created at `created_ms`. See the module docs for an
/// unclassified label and one under several policies.
pub fn label_xml(label: &Label, policies: &Policies, created_ms: i64) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let created = rfc3339_millis(created_ms);
    let classes: Vec<(&Token, &Token)> = label.classifications().map(|(p, _, n)| (p, n)).collect();
    match classes.as_slice() {
        [] => {
            let lowest = policies
                .iter()
                .find_map(|p| Some((p.id.clone(), p.classifications.first()?.clone())));
            let (p, n) = lowest.unwrap_or_else(|| {
                let t = |s| Token::new(s).expect("valid token");
                (t("NATO"), t("NATO UNCLASSIFIED"))
            });
            write_one(&mut out, label, (&p, &n), &created, true, "");
        }
        [one] => write_one(&mut out, label, *one, &created, true, ""),
        many => {
            out.push_str("<varde:labels");
            attr(&mut out, "xmlns:varde", VARDE_NAMESPACE);
            attr(&mut out, "xmlns:slab", NAMESPACE);
            out.push_str(">\n");
            for one in many {
                write_one(&mut out, label, *one, &created, false, "  ");
            }
            out.push_str("</varde:labels>\n");
        }
    }
    out
}

fn write_one(
    out: &mut String,
    label: &Label,
    (policy, classification): (&Token, &Token),
    created: &str,
    declare_ns: bool,
    indent: &str,
) {
    let line = |out: &mut String, depth: usize| {
        out.push_str(indent);
        for _ in 0..depth {
            out.push_str("  ");
        }
    };
    line(out, 0);
    out.push_str("<slab:originatorConfidentialityLabel");
    if declare_ns {
        attr(out, "xmlns:slab", NAMESPACE);
    }
    out.push_str(">\n");
    line(out, 1);
    out.push_str("<slab:ConfidentialityInformation>\n");
    line(out, 2);
    text_element(out, "slab:PolicyIdentifier", policy.as_str());
    out.push('\n');
    line(out, 2);
    text_element(out, "slab:Classification", classification.as_str());
    out.push('\n');
    let category =
        |out: &mut String, tag: &str, kind: &str, values: &mut dyn Iterator<Item = &Token>| {
            line(out, 2);
            out.push_str("<slab:Category");
            attr(out, "TagName", tag);
            attr(out, "Type", kind);
            let mut values = values.peekable();
            if values.peek().is_none() {
                out.push_str("/>\n");
                return;
            }
            out.push_str(">\n");
            for v in values {
                line(out, 3);
                text_element(out, "slab:GenericValue", v.as_str());
                out.push('\n');
            }
            line(out, 2);
            out.push_str("</slab:Category>\n");
        };
    if let Releasability::To(set) = label.releasability() {
        category(out, "Releasable To", "PERMISSIVE", &mut set.iter());
    }
    if !label.caveats().is_empty() {
        category(out, "Caveats", "RESTRICTIVE", &mut label.caveats().iter());
    }
    line(out, 1);
    out.push_str("</slab:ConfidentialityInformation>\n");
    line(out, 1);
    text_element(out, "slab:CreationDateTime", created);
    out.push('\n');
    line(out, 0);
    out.push_str("</slab:originatorConfidentialityLabel>\n");
}
