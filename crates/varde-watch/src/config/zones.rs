//! Zone kinds the detectors may name, and small helpers for defaults.

use super::check::Errors;

/// Zone kinds the geography may return (see [`crate::geo::ZoneRef::kind`]).
pub const ZONE_KINDS: &[&str] = &[
    "territorial_sea",
    "internal_waters",
    "contiguous_zone",
    "eez",
    "svalbard_fpz",
    "jan_mayen_zone",
    "platform_safety_zone",
    "user",
];

pub(super) fn zone_kinds(e: &mut Errors, field: &'static str, kinds: &[String]) {
    e.non_empty(field, kinds.len());
    for k in kinds.iter().filter(|k| !ZONE_KINDS.contains(&k.as_str())) {
        e.unknown(field, k);
    }
}

pub(super) fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| (*s).to_owned()).collect()
}
