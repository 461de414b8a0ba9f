//! How each infrastructure feature gets its [`AssetKind`], in this order:
//!
//! 1. **Layer override**: a `kind` given to the whole layer (`kind` in a `[[geo.infrastructure]]`
//!    table, `--layer FILE:KIND`) applies to every feature, whatever its properties say.
//! 2. **Properties**: `kind`, `asset_kind`, `type`, `category`, `asset_type`, `cable_type`,
//!    `infrastructure`, `medium` (keys in that order, ASCII case ignored): the first value the word rules
//!    of [`AssetKind::parse_loose`] recognise. A `medium` (Sodir's pipeline layer: `Gas`, `Oil`,
//!    `Condensate`, `Water`, `Injection`, `CO2`…) that names no other kind makes a **pipeline**: a
//!    medium is what a pipe carries.
//! 3. **Layer name**: the file stem by the same word rules (`npd_transport_pipelines` → pipeline,
//!    `…_hvdc_links…` → power cable, `…submarine_cables…` → cable, `npd_fields` → field).
//! 4. Otherwise the feature is **unclassified**: kept as [`AssetKind::Other`] (still an asset the
//!    proximity detectors see, but never a cable, pipeline or platform) and reported with its layer and
//!    the text it declared, so that no asset silently escapes the detectors that watch linear assets.
//!    A feature that declares `other` itself is classified, not reported.

use serde_json::{Map, Value};

use crate::asset_kind::AssetKind;
use crate::props::str_prop;

/// How an asset's kind was decided (see the rules above).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum KindRule {
    /// The layer's override (`kind` in configuration, `--layer FILE:KIND`).
    Override,
    /// A property of the feature (`kind`, `type`, `category`, `medium`, …).
    Property,
    /// The layer's file name.
    LayerName,
    /// No rule matched: kept as [`AssetKind::Other`] and reported at start-up.
    Unclassified,
}

/// Property keys read for a kind, in order.
pub(crate) const KIND_KEYS: [&str; 8] = [
    "kind",
    "asset_kind",
    "type",
    "category",
    "asset_type",
    "cable_type",
    "infrastructure",
    "medium",
];

/// The outcome for one feature.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Classified {
    pub kind: AssetKind,
    pub rule: KindRule,
    /// The first non-empty kind-like property value, as written (for reports).
    pub declared: Option<String>,
}

/// A property value by key, ASCII case ignored (exact key first).
fn prop_ci(props: &Map<String, Value>, key: &str) -> Option<String> {
    str_prop(props, key).or_else(|| {
        props
            .keys()
            .find(|k| k.eq_ignore_ascii_case(key) && k.as_str() != key)
            .and_then(|k| str_prop(props, k))
    })
}

/// Classifies one feature by the rules of this module. `layer_override` is the layer's forced kind,
/// `layer_name_kind` what the layer's file stem says.
pub(crate) fn classify(
    props: &Map<String, Value>,
    layer_override: Option<AssetKind>,
    layer_name_kind: Option<AssetKind>,
) -> Classified {
    let values: Vec<(&str, String)> = KIND_KEYS
        .iter()
        .filter_map(|k| prop_ci(props, k).map(|v| (*k, v)))
        .collect();
    let declared = values.first().map(|(_, v)| v.clone());
    let done = |kind, rule| Classified {
        kind,
        rule,
        declared: declared.clone(),
    };
    if let Some(k) = layer_override {
        return done(k, KindRule::Override);
    }
    let by_property = values.iter().find_map(|(key, v)| {
        AssetKind::parse_loose(v).or((*key == "medium").then_some(AssetKind::Pipeline))
    });
    if let Some(k) = by_property {
        return done(k, KindRule::Property);
    }
    match layer_name_kind {
        Some(k) => done(k, KindRule::LayerName),
        None => done(AssetKind::Other, KindRule::Unclassified),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn props(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap()
    }

    fn kind_of(v: Value, name_kind: Option<AssetKind>) -> (AssetKind, KindRule) {
        let c = classify(&props(v), None, name_kind);
        (c.kind, c.rule)
    }

    #[test]
    fn sodir_medium_makes_a_pipeline() {
        for m in [
            "Gas",
            "Oil",
            "Condensate",
            "Water",
            "Injection",
            "CO2",
            "Methanol",
        ] {
            let c = classify(&props(json!({"name": "x", "medium": m})), None, None);
            assert_eq!(
                (c.kind, c.rule),
                (AssetKind::Pipeline, KindRule::Property),
                "{m}"
            );
            assert_eq!(c.declared.as_deref(), Some(m));
        }
        // An empty medium says nothing.
        assert_eq!(
            kind_of(json!({"medium": " "}), None),
            (AssetKind::Other, KindRule::Unclassified)
        );
    }

    #[test]
    fn cable_layers_type_and_category() {
        assert_eq!(
            kind_of(json!({"type": "Power cable"}), None).0,
            AssetKind::PowerCable
        );
        assert_eq!(
            kind_of(json!({"category": "HVDC"}), None).0,
            AssetKind::PowerCable
        );
        assert_eq!(
            kind_of(json!({"Type": "Telecommunication"}), None).0,
            AssetKind::Cable
        );
        assert_eq!(
            kind_of(json!({"CATEGORY": "fibre"}), None).0,
            AssetKind::Cable
        );
        // The first recognised key wins; unrecognised values fall through to later keys.
        assert_eq!(
            kind_of(json!({"kind": "foo", "type": "Power cable"}), None).0,
            AssetKind::PowerCable
        );
    }

    #[test]
    fn override_beats_properties_and_name_beats_nothing() {
        let c = classify(
            &props(json!({"kind": "JACKET 4 LEGS"})),
            Some(AssetKind::Cable),
            Some(AssetKind::Field),
        );
        assert_eq!((c.kind, c.rule), (AssetKind::Cable, KindRule::Override));
        assert_eq!(c.declared.as_deref(), Some("JACKET 4 LEGS"));
        assert_eq!(
            kind_of(json!({"name": "Estlink 2"}), Some(AssetKind::PowerCable)),
            (AssetKind::PowerCable, KindRule::LayerName)
        );
        assert_eq!(
            kind_of(json!({"kind": "foo"}), Some(AssetKind::Cable)),
            (AssetKind::Cable, KindRule::LayerName)
        );
    }

    #[test]
    fn unknown_kinds_are_other_and_reported() {
        let c = classify(&props(json!({"kind": "wreck"})), None, None);
        assert_eq!((c.kind, c.rule), (AssetKind::Other, KindRule::Unclassified));
        assert_eq!(c.declared.as_deref(), Some("wreck"));
        let c = classify(&props(json!({"name": "x"})), None, None);
        assert_eq!((c.kind, c.rule), (AssetKind::Other, KindRule::Unclassified));
        assert_eq!(c.declared, None);
        // Declaring "other" is a classification, not a failure.
        assert_eq!(
            kind_of(json!({"kind": "other"}), None),
            (AssetKind::Other, KindRule::Property)
        );
    }
}
