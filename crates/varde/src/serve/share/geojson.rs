//! The Features of `/share/geojson`: one Point Feature per vessel position or alert, made from the
//! API's JSON item so every member the API shows (its `label` among them) is a property. The
//! RFC 8142 framing is varde-share's (`varde_share::geojson::rs_record`).

use serde_json::{Map, Value};

/// A Point Feature from a JSON item with `lat`/`lon` members (taken out of the properties);
/// `id` becomes the Feature's id. `null` geometry when the item has no finite position.
pub fn feature(id: &str, kind: &str, item: &Value) -> Value {
    let mut props = match item {
        Value::Object(m) => m.clone(),
        _ => Map::new(),
    };
    let lat = props.remove("lat").and_then(|v| v.as_f64());
    let lon = props.remove("lon").and_then(|v| v.as_f64());
    props.insert("item".into(), kind.into());
    let geometry = match (lat, lon) {
        (Some(lat), Some(lon)) if lat.is_finite() && lon.is_finite() => {
            serde_json::json!({"type": "Point", "coordinates": [lon, lat]})
        }
        _ => Value::Null,
    };
    serde_json::json!({"type": "Feature", "id": id, "geometry": geometry, "properties": props})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_position_becomes_a_point_feature_with_its_label() {
        let item = serde_json::json!({"mmsi": 1, "lat": 60.5, "lon": 5.25, "label": {"banner": "UNCLASSIFIED"}});
        let f = feature("vessel:1", "vessel", &item);
        assert_eq!(
            f["geometry"]["coordinates"],
            serde_json::json!([5.25, 60.5])
        );
        assert_eq!(f["properties"]["label"]["banner"], "UNCLASSIFIED");
        assert!(f["properties"].get("lat").is_none());
        let r = varde_share::geojson::rs_record(&f);
        assert!(r.starts_with(&[0x1e]) && r.ends_with(b"\n"));
        let nowhere = feature("a", "alert", &serde_json::json!({"lat": null}));
        assert!(nowhere["geometry"].is_null());
    }
}
