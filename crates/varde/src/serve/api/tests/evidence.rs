//! `/api/alerts/{id}` decodes its evidence: `evidence_decoded` says what the raw sentences say.

use super::{Fixture, MMSI, T0};
use axum::http::StatusCode;
use varde_ais::message::{AisMessage, PositionReport, StaticAndVoyageData};
use varde_ais::nmea::{encode_sentences, EncodeOptions};
use varde_ais::text::AisText;
use varde_store::{AlertRecord, Batch, SqliteStore, Store};

/// Stores an alert whose evidence is `lines` and returns its `/api/alerts/{id}` JSON.
async fn alert_with_evidence(lines: &[String]) -> serde_json::Value {
    let f = Fixture::new();
    let json = serde_json::json!({
        "id": "jump-1", "kind": "position_jump", "mmsi": MMSI, "incident": "jump-1",
        "evidence": lines,
    });
    let mut writer = SqliteStore::open(f._dir.path()).unwrap();
    let mut batch = Batch::new();
    batch.alerts.push(AlertRecord {
        id: "jump-1".into(),
        kind: "position_jump".into(),
        mmsi: MMSI,
        start_ms: T0,
        open: false,
        end_ms: Some(T0),
        lat: 60.0,
        lon: 5.0,
        json: json.to_string(),
        revision: 1,
        ..AlertRecord::default()
    });
    writer.write_batch(&batch).unwrap();
    let r = f.get("/api/alerts/jump-1").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.json()
}

/// A type 1 report with these values, framed with a tag block at `t_s` (unix seconds).
fn position_line(
    status: u8,
    lat: f64,
    lon: f64,
    speed: u16,
    course: u16,
    heading: u16,
    t_s: i64,
) -> String {
    let m = AisMessage::Position(PositionReport {
        msg_type: 1,
        mmsi: MMSI,
        status,
        speed,
        lat: (lat * 600_000.0).round() as i32,
        lon: (lon * 600_000.0).round() as i32,
        course,
        heading,
        ..PositionReport::default()
    });
    let opts = EncodeOptions {
        tag_time_s: Some(t_s),
        station: Some("2573555".into()),
        ..EncodeOptions::default()
    };
    let mut lines = encode_sentences(&m.encode(), &opts);
    assert_eq!(lines.len(), 1);
    lines.remove(0)
}

#[tokio::test]
async fn evidence_decoded_matches_the_raw_position_reports() {
    // The fix before a jump and the fix after, as a position_jump alert carries them.
    let before = position_line(7, 60.5, 5.25, 123, 2314, 230, T0 / 1000);
    let after = position_line(0, 61.125, 4.0, 98, 15, 511, T0 / 1000 + 60);
    let a = alert_with_evidence(&[before.clone(), after.clone()]).await;
    let d = a["evidence_decoded"]
        .as_array()
        .expect("evidence_decoded array");
    assert_eq!(d.len(), 2, "{a}");
    let row = |i: usize| &d[i];
    assert_eq!(row(0)["raw"], before.as_str());
    assert_eq!(row(0)["msg_type"], 1);
    assert_eq!(row(0)["mmsi"], MMSI);
    assert_eq!(row(0)["time"], "2025-11-24T16:00:00Z");
    assert_eq!(row(0)["lat"], 60.5);
    assert_eq!(row(0)["lon"], 5.25);
    assert_eq!(row(0)["sog"], 12.3, "tenths of a knot, written as sent");
    assert_eq!(row(0)["cog"], 231.4);
    assert_eq!(row(0)["heading"], 230);
    assert_eq!(row(0)["status"], 7);
    assert!(row(0)["error"].is_null(), "{a}");
    assert_eq!(row(1)["raw"], after.as_str());
    assert_eq!(row(1)["time"], "2025-11-24T16:01:00Z");
    assert_eq!(
        (row(1)["lat"].as_f64(), row(1)["lon"].as_f64()),
        (Some(61.125), Some(4.0))
    );
    assert_eq!(row(1)["sog"], 9.8);
    assert_eq!(row(1)["cog"], 1.5);
    assert!(row(1)["heading"].is_null(), "511 is 'not available': {a}");
    assert_eq!(row(1)["status"], 0);
}

#[tokio::test]
async fn evidence_decoded_reads_published_sentences_and_names_what_it_cannot() {
    // gpsd's AIVDM sample: type 1, MMSI 477553000, moored, 47.582833 N 122.345832 W, COG 51, HDG 181.
    let gpsd = "!AIVDM,1,1,,B,177KQJ5000G?tO`K>RA1wUbN0TKH,0*5C".to_owned();
    // A type 5 in two fragments is one message.
    let statics = AisMessage::StaticVoyage(StaticAndVoyageData {
        mmsi: MMSI,
        shipname: AisText::from_ascii("NORDIC TESTER"),
        ..StaticAndVoyageData::default()
    });
    let two = encode_sentences(&statics.encode(), &EncodeOptions::default());
    assert_eq!(two.len(), 2);
    let bad = "!AIVDM,1,1,,B,177KQJ5000G?tO`K>RA1wUbN0TKH,0*00".to_owned();
    let a = alert_with_evidence(&[gpsd.clone(), two[0].clone(), two[1].clone(), bad]).await;
    let d = a["evidence_decoded"]
        .as_array()
        .expect("evidence_decoded array");
    assert_eq!(d.len(), 3, "{a}");
    assert_eq!(d[0]["mmsi"], 477_553_000);
    assert_eq!(d[0]["status"], 5);
    // gpsd prints six decimals; AIS resolution is 1/600,000 degree.
    let close =
        |v: &serde_json::Value, want: f64| (v.as_f64().unwrap_or(f64::NAN) - want).abs() < 2e-6;
    assert!(close(&d[0]["lat"], 47.582833), "{a}");
    assert!(close(&d[0]["lon"], -122.345832), "{a}");
    assert_eq!(d[0]["cog"], 51.0);
    assert_eq!(d[0]["heading"], 181);
    assert!(d[0]["time"].is_null(), "no tag block, no time: {a}");
    assert_eq!(d[1]["raw"], format!("{}\n{}", two[0], two[1]));
    assert_eq!(d[1]["msg_type"], 5);
    assert_eq!(d[1]["name"], "NORDIC TESTER");
    assert!(d[1]["lat"].is_null(), "{a}");
    assert!(
        d[2]["error"]
            .as_str()
            .is_some_and(|e| e.contains("checksum")),
        "{a}"
    );
}
