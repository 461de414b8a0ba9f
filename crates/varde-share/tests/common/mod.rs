//! Fixtures shared by the integration tests: labelled items as the binary
//! would fill them, and golden-file comparison.

#![allow(dead_code)]

use serde_json::json;
use varde_share::{AlertItem, AlertState, FeatureItem, Label, Policies, Token, VesselItem};

/// 2026-11-25T12:00:00Z.
pub const T0: i64 = 1_795_608_000_000;

pub fn t(s: &str) -> Token {
    Token::new(s).unwrap()
}

/// `NOR BEGRENSET//REL NOR, SWE`.
pub fn begrenset_rel_nor_swe() -> Label {
    Policies::builtin()
        .label("NOR", "BEGRENSET")
        .unwrap()
        .releasable_to([t("NOR"), t("SWE")])
}

/// `NATO RESTRICTED//REL FIN, NOR, SWE`.
pub fn nato_restricted_rel() -> Label {
    Policies::builtin()
        .label("NATO", "NATO RESTRICTED")
        .unwrap()
        .releasable_to([t("NOR"), t("SWE"), t("FIN")])
}

/// `NATO RESTRICTED + NOR BEGRENSET//REL NOR//CABLE OPS`: the join of a
/// national sensor's label and a NATO one, with a caveat.
pub fn joined_with_caveat() -> Label {
    Policies::builtin()
        .label("NOR", "BEGRENSET")
        .unwrap()
        .releasable_to([t("NOR")])
        .join(&nato_restricted_rel().with_caveats([t("CABLE OPS")]))
}

/// A Norwegian cargo ship from a national source.
pub fn cargo() -> VesselItem {
    VesselItem {
        mmsi: 257_000_001,
        name: Some("BRISTOL STAR".into()),
        callsign: Some("LABC7".into()),
        imo: Some(9_876_543),
        ship_type: Some(70),
        flag: Some("NO".into()),
        lat: Some(67.95),
        lon: Some(13.5),
        sog_kn: Some(6.2),
        cog_deg: Some(45.0),
        heading_deg: Some(44.0),
        nav_status: Some(0),
        time_ms: T0,
        station: Some("coastal-radar-bodo".into()),
        precision_m: None,
        label: begrenset_rel_nor_swe(),
    }
}

/// A fishing vessel heard on open AIS, unallocated MID.
pub fn fisher() -> VesselItem {
    VesselItem {
        mmsi: 799_000_002,
        name: Some("ARCTIC & <CO>".into()),
        callsign: None,
        imo: None,
        ship_type: Some(30),
        flag: None,
        lat: Some(68.1),
        lon: Some(14.25),
        sog_kn: Some(0.3),
        cog_deg: None,
        heading_deg: None,
        nav_status: Some(7),
        time_ms: T0 - 90_000,
        station: Some("kystverket".into()),
        precision_m: None,
        label: Label::unclassified(),
    }
}

/// A tanker at `(lat, lon)` heard at `time_ms` on open AIS.
pub fn tanker(mmsi: u32, lat: f64, lon: f64, time_ms: i64) -> VesselItem {
    VesselItem {
        mmsi,
        name: Some(format!("TANKER {mmsi}")),
        ship_type: Some(80),
        flag: Some("MT".into()),
        lat: Some(lat),
        lon: Some(lon),
        sog_kn: Some(11.0),
        cog_deg: Some(200.5),
        time_ms,
        station: Some("kystverket".into()),
        label: Label::unclassified(),
        ..VesselItem::default()
    }
}

/// An open zone-entry alert about [`cargo`].
pub fn zone_alert() -> AlertItem {
    AlertItem {
        id: "3f9a0c1d2e4b5a67".into(),
        kind: "zone_entry".into(),
        severity: "high".into(),
        mmsi: 257_000_001,
        vessel_name: Some("BRISTOL STAR".into()),
        lat: 67.95,
        lon: 13.5,
        start_ms: T0 - 600_000,
        end_ms: None,
        time_ms: T0,
        summary: "BRISTOL STAR (cargo) entered Vestfjorden restricted area at 6.2 kn.".into(),
        state: AlertState::Open,
        station: Some("coastal-radar-bodo".into()),
        precision_m: None,
        label: joined_with_caveat(),
    }
}

/// A watched zone (static, open).
pub fn zone() -> FeatureItem {
    let mut properties = serde_json::Map::new();
    properties.insert("name".into(), json!("Vestfjorden restricted area"));
    properties.insert("kind".into(), json!("restricted_area"));
    FeatureItem {
        id: "vestfjorden".into(),
        properties,
        geometry: json!({"type": "Polygon", "coordinates": [[[13.0, 67.8], [14.5, 67.8], [14.5, 68.2], [13.0, 68.2], [13.0, 67.8]]]}),
        time_ms: None,
        label: Label::unclassified(),
    }
}

/// Compares `actual` with `tests/golden/<name>` byte for byte, or rewrites
/// the file when `UPDATE_GOLDEN=1`.
pub fn golden(name: &str, actual: &[u8]) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some_and(|v| v == "1") {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let want = std::fs::read(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (run with UPDATE_GOLDEN=1 to create it)",
            path.display()
        )
    });
    if want != actual {
        panic!(
            "{name} differs from the golden file (UPDATE_GOLDEN=1 rewrites it; review the diff)\n--- golden\n{}\n--- actual\n{}",
            String::from_utf8_lossy(&want),
            String::from_utf8_lossy(actual)
        );
    }
}
