//! Reading GeoJSON properties: names, ids, numbers and flags under the spellings real files use.

use serde_json::{Map, Value};

/// Property keys tried, in order, for a feature's display name. Covers our layers, Sodir FactMaps
/// (`name`, `map_label`), Kartverket (`navn`), Marine Regions (`GEONAME`), TeleGeography and GridKit
/// (`name_guess_wikipedia`, `link_id` as a last resort).
const NAME_KEYS: [&str; 12] = [
    "name",
    "Name",
    "NAME",
    "navn",
    "map_label",
    "label",
    "title",
    "GEONAME",
    "geoname",
    "name_guess_wikipedia",
    "slug",
    "link_id",
];

/// A string (or number, rendered) property, trimmed; `None` when absent, null or empty.
pub(crate) fn str_prop(props: &Map<String, Value>, key: &str) -> Option<String> {
    let s = match props.get(key)? {
        Value::String(s) => s.trim().to_string(),
        Value::Number(n) => n.to_string(),
        _ => return None,
    };
    (!s.is_empty()).then_some(s)
}

/// A numeric property (numbers or numeric strings); `None` when absent or not finite.
pub(crate) fn f64_prop(props: &Map<String, Value>, key: &str) -> Option<f64> {
    let v = match props.get(key)? {
        Value::Number(n) => n.as_f64()?,
        Value::String(s) => s.trim().parse().ok()?,
        _ => return None,
    };
    v.is_finite().then_some(v)
}

/// A boolean property (`true`, `"true"`, `"yes"`, `1`).
pub(crate) fn bool_prop(props: &Map<String, Value>, key: &str) -> Option<bool> {
    match props.get(key)? {
        Value::Bool(b) => Some(*b),
        Value::Number(n) => Some(n.as_f64() != Some(0.0)),
        Value::String(s) => match s.to_lowercase().as_str() {
            "true" | "yes" | "y" | "1" => Some(true),
            "false" | "no" | "n" | "0" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

/// The first name-like property (see `NAME_KEYS`).
pub(crate) fn name_of(props: &Map<String, Value>) -> Option<String> {
    NAME_KEYS.iter().find_map(|k| str_prop(props, k))
}

/// The `id` property, else `npdid`, else the feature's GeoJSON `id`.
pub(crate) fn id_of(props: &Map<String, Value>, feature_id: Option<&Value>) -> Option<String> {
    str_prop(props, "id")
        .or_else(|| str_prop(props, "npdid"))
        .or_else(|| match feature_id? {
            Value::String(s) if !s.is_empty() => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        })
}

/// The file stem of a layer path (`/a/b/npd_fields.geojson` → `npd_fields`), used for default ids.
pub(crate) fn stem(layer: &str) -> String {
    std::path::Path::new(layer)
        .file_stem()
        .map_or_else(|| layer.to_string(), |s| s.to_string_lossy().into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn map(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap()
    }

    #[test]
    fn names_fall_back_in_order() {
        assert_eq!(
            name_of(&map(json!({"map_label": "Langeled", "name": "44\" Gas"}))).unwrap(),
            "44\" Gas"
        );
        assert_eq!(
            name_of(&map(json!({"name": " ", "map_label": "Langeled"}))).unwrap(),
            "Langeled"
        );
        assert_eq!(name_of(&map(json!({"link_id": 14821}))).unwrap(), "14821");
        assert!(name_of(&map(json!({"colour": "red"}))).is_none());
    }

    #[test]
    fn numbers_and_flags() {
        let p = map(json!({"a": 5, "b": "7.5", "c": "x", "t": "yes", "f": false}));
        assert_eq!(f64_prop(&p, "a"), Some(5.0));
        assert_eq!(f64_prop(&p, "b"), Some(7.5));
        assert_eq!(f64_prop(&p, "c"), None);
        assert_eq!(bool_prop(&p, "t"), Some(true));
        assert_eq!(bool_prop(&p, "f"), Some(false));
        assert_eq!(stem("/x/y/npd_fields.geojson"), "npd_fields");
    }
}
