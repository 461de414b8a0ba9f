//! The adapter table: every message kind a watch needs, encoded, decoded and adapted.

use super::*;
use varde_ais::message::{
    BaseStationReport, ClassBExtendedReport, ClassBPositionReport, LongRangeReport, PositionReport,
    SarAircraftReport, StaticAndVoyageData, StaticDataReport, StaticPartA, StaticPartB,
};
use varde_ais::nmea::{encode_sentences, EncodeOptions};
use varde_ais::text::AisText;
use varde_ais::{Decoder, Output};

/// The reports of one message, encoded as NMEA and decoded again.
fn through(msg: AisMessage) -> Vec<Report> {
    let lines = encode_sentences(&msg.encode(), &EncodeOptions::default());
    let mut dec = Decoder::new();
    let (last, first) = lines.split_last().expect("one sentence at least");
    for l in first {
        assert!(
            matches!(dec.feed(0, l.as_bytes()), Ok(Output::Partial)),
            "{l}"
        );
    }
    let Ok(Output::Frame(frame)) = dec.feed(0, last.as_bytes()) else {
        panic!("decodes: {lines:?}");
    };
    let msg = AisMessage::decode(frame.payload).expect("message");
    let mut out = Vec::new();
    reports(&msg, &frame, 1_000, &mut Stations::default(), &mut out);
    out
}

#[test]
fn position_unavailable_is_heard_without_a_fix() {
    let msg = AisMessage::Position(PositionReport {
        msg_type: 1,
        mmsi: 257_000_001,
        status: 0,
        speed: 1023,
        lat: 0x341_2140, // 91°
        lon: 0x679_1AC0, // 181°
        course: 3600,
        heading: 87,
        ..PositionReport::default()
    });
    let r = through(msg);
    assert_eq!(r.len(), 1);
    let ReportKind::NoFix(n) = &r[0].kind else {
        panic!("{:?}", r[0].kind);
    };
    assert_eq!(n.class, StationClass::ClassA);
    assert_eq!(
        (n.sog_kn, n.heading_deg, n.nav_status),
        (None, Some(87), Some(0))
    );
    assert!(r[0].fix().is_none() && r[0].no_fix().is_some());
    assert!(!r[0].raw.as_bytes().is_empty(), "evidence kept");
}

#[test]
fn class_b_without_position_and_a_real_fix() {
    let b = AisMessage::ClassBPosition(ClassBPositionReport {
        mmsi: 257_000_002,
        lat: 0x341_2140,
        lon: 0x679_1AC0,
        ..ClassBPositionReport::default()
    });
    let r = through(b);
    assert!(matches!(&r[0].kind, ReportKind::NoFix(n) if n.class == StationClass::ClassB));
    let a = AisMessage::Position(PositionReport {
        msg_type: 1,
        mmsi: 257_000_003,
        lat: (70.4 * 600_000.0) as i32,
        lon: (31.5 * 600_000.0) as i32,
        ..PositionReport::default()
    });
    let r = through(a);
    let f = r[0].fix().expect("a fix");
    assert!((f.lat - 70.4).abs() < 1e-6 && (f.lon - 31.5).abs() < 1e-6);
}

/// What one report says, in a form a table can hold.
#[derive(Debug, PartialEq)]
enum Seen {
    Fix(
        StationClass,
        f64,
        f64,
        Option<f32>,
        Option<f32>,
        Option<u16>,
        Option<u8>,
    ),
    NoFix(StationClass),
    Static(
        Option<Box<str>>,
        Option<Box<str>>,
        Option<u32>,
        Option<u8>,
        Option<u16>,
    ),
}

fn seen(r: &Report) -> Seen {
    match &r.kind {
        ReportKind::Position(f) => Seen::Fix(
            f.class,
            (f.lat * 1e4).round() / 1e4,
            (f.lon * 1e4).round() / 1e4,
            f.sog_kn,
            f.cog_deg,
            f.heading_deg,
            f.nav_status,
        ),
        ReportKind::NoFix(n) => Seen::NoFix(n.class),
        ReportKind::Static(s) => Seen::Static(
            s.name.clone(),
            s.callsign.clone(),
            s.imo,
            s.ship_type,
            s.length_m,
        ),
    }
}

const LAT: i32 = (60.5 * 600_000.0) as i32;
const LON: i32 = (4.25 * 600_000.0) as i32;

#[test]
fn every_message_kind_becomes_the_reports_a_watch_needs() {
    use StationClass::{ClassA, ClassB, SarAircraft};
    let name = AisText::from_ascii("NORNE");
    let cases: Vec<(&str, AisMessage, Vec<Seen>)> = vec![
        (
            "type 1, sentinels: speed 1023, course 3600, heading 511 are unknown",
            AisMessage::Position(PositionReport {
                msg_type: 1,
                mmsi: 257_000_001,
                status: 5,
                speed: 1023,
                lat: LAT,
                lon: LON,
                course: 3600,
                heading: 511,
                ..PositionReport::default()
            }),
            vec![Seen::Fix(ClassA, 60.5, 4.25, None, None, None, Some(5))],
        ),
        (
            "type 1 with motion",
            AisMessage::Position(PositionReport {
                msg_type: 1,
                mmsi: 257_000_001,
                speed: 123,
                lat: LAT,
                lon: LON,
                course: 2705,
                heading: 271,
                ..PositionReport::default()
            }),
            vec![Seen::Fix(
                ClassA,
                60.5,
                4.25,
                Some(12.3),
                Some(270.5),
                Some(271),
                Some(0),
            )],
        ),
        (
            "type 18: class B, no navigational status",
            AisMessage::ClassBPosition(ClassBPositionReport {
                mmsi: 257_000_002,
                speed: 50,
                lat: LAT,
                lon: LON,
                course: 900,
                heading: 90,
                ..ClassBPositionReport::default()
            }),
            vec![Seen::Fix(
                ClassB,
                60.5,
                4.25,
                Some(5.0),
                Some(90.0),
                Some(90),
                None,
            )],
        ),
        (
            "type 19: a position and static data",
            AisMessage::ClassBExtended(ClassBExtendedReport {
                mmsi: 257_000_003,
                speed: 10,
                lat: LAT,
                lon: LON,
                course: 3600,
                heading: 511,
                shipname: name,
                shiptype: 30,
                to_bow: 10,
                to_stern: 5,
                ..ClassBExtendedReport::default()
            }),
            vec![
                Seen::Fix(ClassB, 60.5, 4.25, Some(1.0), None, None, None),
                Seen::Static(Some("NORNE".into()), None, None, Some(30), Some(15)),
            ],
        ),
        (
            "type 9 with a position",
            AisMessage::SarAircraft(SarAircraftReport {
                mmsi: 111_257_001,
                speed: 120,
                lat: LAT,
                lon: LON,
                course: 100,
                ..SarAircraftReport::default()
            }),
            vec![Seen::Fix(
                SarAircraft,
                60.5,
                4.25,
                Some(120.0),
                Some(10.0),
                None,
                None,
            )],
        ),
        (
            "type 9 without a position: not a vessel to watch",
            AisMessage::SarAircraft(SarAircraftReport {
                mmsi: 111_257_001,
                lat: 0x341_2140,
                lon: 0x679_1AC0,
                ..SarAircraftReport::default()
            }),
            vec![],
        ),
        (
            "type 27: tenths of minutes",
            AisMessage::LongRange(LongRangeReport {
                mmsi: 257_000_004,
                status: 0,
                lat: (60.5 * 600.0) as i32,
                lon: (4.25 * 600.0) as i32,
                speed: 12,
                course: 90,
                ..LongRangeReport::default()
            }),
            vec![Seen::Fix(
                ClassA,
                60.5,
                4.25,
                Some(12.0),
                Some(90.0),
                None,
                Some(0),
            )],
        ),
        (
            "type 27 without a position, speed 63 unknown",
            AisMessage::LongRange(LongRangeReport {
                mmsi: 257_000_004,
                lat: 91 * 600,
                lon: 181 * 600,
                speed: 63,
                ..LongRangeReport::default()
            }),
            vec![Seen::NoFix(ClassA)],
        ),
        (
            "type 5: identity, trimmed; IMO 0 is none",
            AisMessage::StaticVoyage(StaticAndVoyageData {
                mmsi: 257_000_005,
                imo: 0,
                callsign: AisText::from_ascii("LAXX "),
                shipname: name,
                shiptype: 70,
                to_bow: 100,
                to_stern: 20,
                ..StaticAndVoyageData::default()
            }),
            vec![Seen::Static(
                Some("NORNE".into()),
                Some("LAXX".into()),
                None,
                Some(70),
                Some(120),
            )],
        ),
        (
            "type 5: empty name and callsign are none",
            AisMessage::StaticVoyage(StaticAndVoyageData {
                mmsi: 257_000_005,
                imo: 9_123_456,
                ..StaticAndVoyageData::default()
            }),
            vec![Seen::Static(None, None, Some(9_123_456), Some(0), None)],
        ),
        (
            "type 24 part A: the name",
            AisMessage::StaticData(StaticDataReport {
                repeat: 0,
                mmsi: 257_000_006,
                part: varde_ais::message::StaticDataPart::A(StaticPartA {
                    shipname: name,
                    spare: 0,
                }),
            }),
            vec![Seen::Static(Some("NORNE".into()), None, None, None, None)],
        ),
        (
            "type 24 part B: type, call sign, size",
            AisMessage::StaticData(StaticDataReport {
                repeat: 0,
                mmsi: 257_000_006,
                part: varde_ais::message::StaticDataPart::B(StaticPartB {
                    shiptype: 37,
                    callsign: AisText::from_ascii("LB1234"),
                    to_bow: 6,
                    to_stern: 4,
                    ..StaticPartB::default()
                }),
            }),
            vec![Seen::Static(
                None,
                Some("LB1234".into()),
                None,
                Some(37),
                Some(10),
            )],
        ),
        (
            "type 4: a base station is no vessel",
            AisMessage::BaseStation(BaseStationReport {
                msg_type: 4,
                mmsi: 2_573_100,
                lat: LAT,
                lon: LON,
                ..BaseStationReport::default()
            }),
            vec![],
        ),
    ];
    for (what, msg, want) in cases {
        let got: Vec<Seen> = through(msg).iter().map(seen).collect();
        assert_eq!(got, want, "{what}");
    }
}
