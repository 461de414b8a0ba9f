//! [`InfraSummary`]: what the loaded infrastructure layers hold, kind by kind, and which features no
//! rule could classify, for the start-up listing of `varde replay` and `varde serve`.

use std::collections::BTreeMap;
use std::fmt;

use crate::asset_kind::AssetKind;
use crate::classify::KindRule;
use crate::geography::Geography;

/// Unclassified features of one layer that declared the same kind text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unclassified {
    /// The layer (file stem).
    pub layer: String,
    /// The kind text the features declared (`kind`, `type`, …), `None` when they declared none.
    pub declared: Option<String>,
    /// How many features.
    pub count: usize,
}

/// Counts of the loaded assets by kind, and the unclassified ones by layer and declared text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InfraSummary {
    /// Assets per kind, every kind present, in [`AssetKind::ALL`] order; unclassified assets count
    /// under [`AssetKind::Other`] here too.
    pub by_kind: Vec<(AssetKind, usize)>,
    /// Assets no rule classified (kept as [`AssetKind::Other`]), grouped by layer and declared text,
    /// in layer order.
    pub unclassified: Vec<Unclassified>,
}

impl InfraSummary {
    /// How many assets of `kind` are loaded.
    pub fn count(&self, kind: AssetKind) -> usize {
        self.by_kind
            .iter()
            .find(|(k, _)| *k == kind)
            .map_or(0, |(_, n)| *n)
    }

    /// Total assets loaded.
    pub fn total(&self) -> usize {
        self.by_kind.iter().map(|(_, n)| n).sum()
    }

    /// Total unclassified assets.
    pub fn unclassified_total(&self) -> usize {
        self.unclassified.iter().map(|u| u.count).sum()
    }
}

impl fmt::Display for Unclassified {
    /// `3 × kind "wreck" in layer misc` or `3 × no kind property in layer misc`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.declared {
            Some(d) => write!(f, "{} × kind {d:?} in layer {}", self.count, self.layer),
            None => write!(
                f,
                "{} × no kind property in layer {}",
                self.count, self.layer
            ),
        }
    }
}

impl fmt::Display for InfraSummary {
    /// `12 cable (3 power_cable), 3 pipeline, 40 platform, 2 other` (power cables are counted among
    /// the cables, as the detectors see them), or `none`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let cables = self.count(AssetKind::Cable) + self.count(AssetKind::PowerCable);
        let mut parts = Vec::new();
        if cables > 0 {
            let power = self.count(AssetKind::PowerCable);
            parts.push(if power > 0 {
                format!("{cables} cable ({power} power_cable)")
            } else {
                format!("{cables} cable")
            });
        }
        for (k, n) in &self.by_kind {
            if !matches!(k, AssetKind::Cable | AssetKind::PowerCable) {
                parts.push(format!("{n} {k}"));
            }
        }
        if parts.is_empty() {
            f.write_str("none")
        } else {
            f.write_str(&parts.join(", "))
        }
    }
}

impl Geography {
    /// What the infrastructure layers hold: counts by kind and the features no rule classified.
    pub fn infrastructure_summary(&self) -> InfraSummary {
        let mut counts: BTreeMap<AssetKind, usize> = BTreeMap::new();
        let mut unclassified: Vec<Unclassified> = Vec::new();
        for a in self.assets() {
            *counts.entry(a.kind).or_default() += 1;
            if a.kind_rule != KindRule::Unclassified {
                continue;
            }
            match unclassified
                .iter_mut()
                .find(|u| u.layer == a.layer && u.declared == a.declared_kind)
            {
                Some(u) => u.count += 1,
                None => unclassified.push(Unclassified {
                    layer: a.layer.clone(),
                    declared: a.declared_kind.clone(),
                    count: 1,
                }),
            }
        }
        InfraSummary {
            by_kind: AssetKind::ALL
                .into_iter()
                .filter_map(|k| counts.get(&k).map(|n| (k, *n)))
                .collect(),
            unclassified,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listing_counts_power_cables_among_cables() {
        let s = InfraSummary {
            by_kind: vec![
                (AssetKind::Cable, 9),
                (AssetKind::PowerCable, 3),
                (AssetKind::Pipeline, 3),
                (AssetKind::Platform, 40),
                (AssetKind::Other, 2),
            ],
            unclassified: vec![Unclassified {
                layer: "misc".into(),
                declared: Some("foo".into()),
                count: 2,
            }],
        };
        assert_eq!(
            s.to_string(),
            "12 cable (3 power_cable), 3 pipeline, 40 platform, 2 other"
        );
        assert_eq!(
            s.unclassified[0].to_string(),
            "2 × kind \"foo\" in layer misc"
        );
        assert_eq!((s.total(), s.unclassified_total()), (57, 2));
        assert_eq!(InfraSummary::default().to_string(), "none");
    }
}
