//! Record builders shared by the integration tests.
#![allow(dead_code)]

use varde_store::{AlertRecord, PositionRecord, RawRecord, SourceStats, VesselRecord};

/// A vessel with every field set.
pub fn full_vessel(mmsi: u32, last_seen_ms: i64) -> VesselRecord {
    VesselRecord {
        mmsi,
        name: Some("KRONPRINS HAAKON".into()),
        callsign: Some("LCKH".into()),
        imo: Some(9_799_999),
        ship_type: Some(51),
        flag: Some("NO".into()),
        length_m: Some(100.5),
        beam_m: Some(21.0),
        draught_m: Some(6.4),
        destination: Some("TROMSO".into()),
        eta_ms: Some(1_764_061_200_000),
        lat: Some(69.65),
        lon: Some(18.96),
        sog_kn: Some(12.3),
        cog_deg: Some(271.5),
        heading_deg: Some(270.0),
        nav_status: Some(0),
        last_seen_ms,
    }
}

/// A vessel known only by MMSI and position.
pub fn vessel_at(mmsi: u32, lat: f64, lon: f64, last_seen_ms: i64) -> VesselRecord {
    VesselRecord {
        mmsi,
        lat: Some(lat),
        lon: Some(lon),
        last_seen_ms,
        ..VesselRecord::default()
    }
}

/// A track point with every field set.
pub fn position(mmsi: u32, time_ms: i64) -> PositionRecord {
    PositionRecord {
        mmsi,
        time_ms,
        lat: 60.0 + time_ms as f64 * 1e-7,
        lon: 5.0,
        sog_kn: Some(10.5),
        cog_deg: Some(180.25),
        heading_deg: Some(181.0),
        nav_status: Some(0),
        source: Some("kystverket".into()),
    }
}

/// An alert revision.
pub fn alert(id: &str, revision: u32, start_ms: i64, end_ms: Option<i64>) -> AlertRecord {
    AlertRecord {
        id: id.into(),
        kind: "zone_entry".into(),
        mmsi: 273_000_001,
        start_ms,
        end_ms,
        open: end_ms.is_none(),
        zone: Some("territorial_sea".into()),
        asset: None,
        lat: 70.1,
        lon: 30.2,
        json: format!(
            r#"{{"id":"{id}","revision":{revision},"evidence":["!AIVDM,1,1,,A,x,0*00"]}}"#
        ),
        revision,
    }
}

/// A journal line.
pub fn raw(time_ms: i64, n: usize) -> RawRecord {
    RawRecord {
        time_ms,
        source: "tcp-kystverket".into(),
        line: format!(
            r"\c:{},s:2573135*00\!BSVDM,1,1,,A,line{n},0*00",
            time_ms / 1000
        ),
    }
}

/// Source counters.
pub fn source(name: &str, reports: u64) -> SourceStats {
    SourceStats {
        name: name.into(),
        kind: "tcp".into(),
        state: "connected".into(),
        reports,
        rejects: 3,
        last_report_ms: Some(1_700_000_000_000),
    }
}
