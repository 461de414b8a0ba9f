//! The API contract in-process: the OpenAPI document's enums are the code's full lists, a track's
//! geometry fits its number of positions, and decoded `f32` values are written at their own
//! precision.

use super::{Fixture, MMSI, T0};
use serde_json::Value;
use varde_store::{Batch, PositionRecord, SqliteStore, Store, VesselRecord};
use varde_watch::alert::{Kind, Severity};

/// The served OpenAPI document.
async fn openapi(f: &Fixture) -> Value {
    let r = f.get("/openapi.json").await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()
}

/// The strings of a schema's `enum`.
fn enum_of(doc: &Value, schema: &str) -> Vec<String> {
    doc["components"]["schemas"][schema]["enum"]
        .as_array()
        .unwrap_or_else(|| panic!("components.schemas.{schema}.enum"))
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect()
}

/// Every alert kind. The match fails to compile when a kind is added, so it is added here (and
/// then to the document) too.
fn every_kind() -> Vec<Kind> {
    for k in Kind::ALL {
        match k {
            Kind::ZoneEntry
            | Kind::Loitering
            | Kind::AisGap
            | Kind::PositionJump
            | Kind::PositionOnLand
            | Kind::IdentityConflict
            | Kind::Rendezvous
            | Kind::InfrastructureLoiter
            | Kind::InfrastructureSpeedAnomaly
            | Kind::Watchlist
            | Kind::GnssInterference
            | Kind::DataQuality => {}
        }
    }
    Kind::ALL.to_vec()
}

/// Every severity, lowest first; the match fails to compile when one is added.
fn every_severity() -> Vec<Severity> {
    let all = [
        Severity::Info,
        Severity::Low,
        Severity::Medium,
        Severity::High,
    ];
    for s in all {
        match s {
            Severity::Info | Severity::Low | Severity::Medium | Severity::High => {}
        }
    }
    all.to_vec()
}

/// The JSON string of a value (its serde name, as the API writes it).
fn name<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .unwrap()
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn openapi_enums_are_the_codes_full_lists() {
    let f = Fixture::new();
    let doc = openapi(&f).await;
    let kinds: Vec<String> = every_kind().iter().map(name).collect();
    assert_eq!(kinds.len(), Kind::ALL.len());
    assert_eq!(enum_of(&doc, "AlertKind"), kinds);
    let kinds_as_str: Vec<&str> = Kind::ALL.iter().map(|k| k.as_str()).collect();
    assert_eq!(enum_of(&doc, "AlertKind"), kinds_as_str);
    let severities: Vec<String> = every_severity().iter().map(name).collect();
    assert_eq!(enum_of(&doc, "Severity"), severities);
}

#[tokio::test]
async fn openapi_is_3_1_with_no_openapi_3_0_nullable() {
    let f = Fixture::new();
    let doc = openapi(&f).await;
    assert_eq!(doc["openapi"], "3.1.0");
    // 3.1 schemas are JSON Schema: `nullable` would be ignored there, so a null would fail.
    fn walk(v: &Value, at: &str) {
        match v {
            Value::Object(m) => {
                assert!(
                    !m.contains_key("nullable"),
                    "{at}: write type: [X, \"null\"], not nullable"
                );
                for (k, v) in m {
                    walk(v, &format!("{at}/{k}"));
                }
            }
            Value::Array(a) => a.iter().for_each(|v| walk(v, at)),
            _ => {}
        }
    }
    walk(&doc, "#");
}

/// Writes one position of `mmsi` with speed and course decoded as `f32` (as the pipeline stores
/// them), and the vessel with the same values in the view.
fn one_fix(f: &mut Fixture, mmsi: u32, sog: f32, cog: f32) {
    let mut writer = SqliteStore::open(f._dir.path()).unwrap();
    let mut batch = Batch::new();
    batch.positions.push(PositionRecord {
        mmsi,
        time_ms: T0,
        lat: 61.5,
        lon: 4.25,
        sog_kn: Some(f64::from(sog)),
        cog_deg: Some(f64::from(cog)),
        ..PositionRecord::default()
    });
    let vessel = VesselRecord {
        mmsi,
        lat: Some(61.5),
        lon: Some(4.25),
        sog_kn: Some(f64::from(sog)),
        cog_deg: Some(f64::from(cog)),
        heading_deg: Some(f64::from(cog)),
        draught_m: Some(f64::from(7.3f32)),
        last_seen_ms: T0,
        ..VesselRecord::default()
    };
    batch.vessels.push(vessel.clone());
    writer.write_batch(&batch).unwrap();
    let mut all = writer
        .vessels(&varde_store::VesselFilter::default())
        .unwrap();
    all.retain(|v| v.mmsi != mmsi);
    all.push(vessel);
    f.state.view = crate::serve::view::VesselView::with(all);
}

#[tokio::test]
async fn a_track_of_one_position_is_a_point_of_none_a_null_geometry_of_more_a_line() {
    let mut f = Fixture::new();
    one_fix(&mut f, 257_000_002, 12.3, 45.6);
    let one = f.get("/api/vessels/257000002/track").await.json();
    assert_eq!(one["geometry"]["type"], "Point", "{one}");
    assert_eq!(
        one["geometry"]["coordinates"],
        serde_json::json!([4.25, 61.5])
    );
    assert_eq!(one["properties"]["times"].as_array().unwrap().len(), 1);
    let none = f.get("/api/vessels/257000003/track").await.json();
    assert!(none["geometry"].is_null(), "{none}");
    assert_eq!(none["type"], "Feature");
    assert_eq!(none["properties"]["times"], serde_json::json!([]));
    let three = f.get(&format!("/api/vessels/{MMSI}/track")).await.json();
    assert_eq!(three["geometry"]["type"], "LineString", "{three}");
    assert_eq!(
        three["geometry"]["coordinates"].as_array().unwrap().len(),
        3
    );
}

#[tokio::test]
async fn speeds_and_courses_are_written_at_their_decoded_precision() {
    let mut f = Fixture::new();
    // 261.2 as an f32 widens to 261.20001220703125.
    assert_eq!(f64::from(261.2f32).to_string(), "261.20001220703125");
    one_fix(&mut f, 257_000_002, 26.1, 261.2);
    for uri in [
        "/api/vessels/257000002",
        "/api/vessels",
        "/api/vessels/257000002/track",
    ] {
        let r = f.get(uri).await;
        assert_eq!(r.status, 200, "{uri}: {}", r.body);
        assert!(!r.body.contains("261.2000"), "{uri}: {}", r.body);
        assert!(!r.body.contains("26.100000"), "{uri}: {}", r.body);
        assert!(!r.body.contains("7.300000"), "{uri}: {}", r.body);
        assert!(r.body.contains("26.1"), "{uri}: {}", r.body);
    }
    let one = f.get("/api/vessels/257000002").await;
    assert!(one.body.contains("\"cog\":261.2,"), "{}", one.body);
    assert!(one.body.contains("\"heading\":261.2,"), "{}", one.body);
    assert!(one.body.contains("\"sog\":26.1"), "{}", one.body);
    assert!(one.body.contains("\"draught_m\":7.3,"), "{}", one.body);
    let track = f.get("/api/vessels/257000002/track").await;
    assert!(track.body.contains("\"sog\":[26.1]"), "{}", track.body);
}
