//! AIS messages → the engine's [`Report`]s.
//!
//! Only what the watch engine uses is carried over: positions of vessels
//! (types 1–3, 18, 19, 27, and SAR aircraft 9) and static data (5, 19, 24).
//! Base stations, aids to navigation and binary messages are not vessels.
//!
//! A vessel's position report whose position is unavailable (latitude 91°,
//! longitude 181°, or out of range: the GNSS receiver has no fix, as when it
//! is jammed) becomes a [`ReportKind::NoFix`]: the vessel was heard, its
//! position is unknown. (A SAR aircraft without a position is dropped.)
//!
//! Length: a message reaches here only at a length the codec accepts for its
//! type. One too short to hold its fields (a type 1 under 163 bits, a type 5
//! under 420) or longer than any transmitter sends (a type 1 over 204 bits)
//! is refused by the codec and counted by type and cause (`stats`), so no
//! position or identity from it can raise an alert. One off the standard
//! length within those bounds (a 426-bit type 5) has its fields at their
//! fixed offsets, whole, and is used; it is counted too.

use std::sync::Arc;
use varde_ais::message::units::{
    cog_deg, heading_deg, lat_deg, lon_deg, sog_knots, PER_DEGREE_1_10000_MIN, PER_DEGREE_1_10_MIN,
};
use varde_ais::message::StaticDataPart;
use varde_ais::station::Station;
use varde_ais::text::AisText;
use varde_ais::{AisMessage, Frame};
use varde_watch::picture::FxMap;
use varde_watch::{NoFix, PositionFix, RawLines, Report, ReportKind, StaticInfo, StationClass};

/// Builds the report(s) for one decoded message; type 19 gives both a
/// position and static data. `fallback_ms` is used when the frame carries
/// no event time (live input: receive time).
pub fn reports(
    msg: &AisMessage,
    frame: &Frame<'_>,
    fallback_ms: i64,
    stations: &mut Stations,
    out: &mut Vec<Report>,
) {
    let Some(mmsi) = vessel_mmsi(msg) else { return };
    let mut e = Emit {
        frame,
        time_ms: frame.time_ms.unwrap_or(fallback_ms),
        mmsi,
        stations,
        out,
        shared: None,
    };
    match msg {
        AisMessage::Position(m) => {
            e.push(fix(
                m.lat,
                m.lon,
                m.speed,
                m.course,
                m.heading,
                Some(m.status),
                StationClass::ClassA,
            ));
        }
        AisMessage::ClassBPosition(m) => {
            e.push(fix(
                m.lat,
                m.lon,
                m.speed,
                m.course,
                m.heading,
                None,
                StationClass::ClassB,
            ));
        }
        AisMessage::ClassBExtended(m) => {
            e.push(fix(
                m.lat,
                m.lon,
                m.speed,
                m.course,
                m.heading,
                None,
                StationClass::ClassB,
            ));
            e.push(Some(ReportKind::Static(StaticInfo {
                name: text(&m.shipname),
                ship_type: Some(m.shiptype),
                length_m: length(m.to_bow, m.to_stern),
                beam_m: length(u16::from(m.to_port), u16::from(m.to_starboard)),
                ..StaticInfo::default()
            })));
        }
        AisMessage::SarAircraft(m) => {
            // Type 9 gives speed in whole knots (1023: unknown), not tenths as ships do.
            let mut k = fix(
                m.lat,
                m.lon,
                1023,
                m.course,
                511,
                None,
                StationClass::SarAircraft,
            );
            if let Some(ReportKind::Position(p)) = &mut k {
                p.sog_kn = (m.speed < 1023).then_some(f32::from(m.speed));
            }
            e.push(k);
        }
        AisMessage::LongRange(m) => {
            let (lat, lon) = (
                lat_deg(m.lat, PER_DEGREE_1_10_MIN),
                lon_deg(m.lon, PER_DEGREE_1_10_MIN),
            );
            let sog_kn = (m.speed < 63).then_some(f32::from(m.speed));
            e.push(Some(match (lat, lon) {
                (Some(lat), Some(lon)) => ReportKind::Position(PositionFix {
                    lat,
                    lon,
                    sog_kn,
                    cog_deg: (m.course < 511).then_some(f32::from(m.course)),
                    heading_deg: None,
                    nav_status: Some(m.status),
                    class: StationClass::ClassA,
                }),
                _ => ReportKind::NoFix(NoFix {
                    sog_kn,
                    heading_deg: None,
                    nav_status: Some(m.status),
                    class: StationClass::ClassA,
                }),
            }));
        }
        AisMessage::StaticVoyage(m) => {
            e.push(Some(ReportKind::Static(StaticInfo {
                imo: (m.imo > 0).then_some(m.imo),
                callsign: text(&m.callsign),
                name: text(&m.shipname),
                ship_type: Some(m.shiptype),
                length_m: length(m.to_bow, m.to_stern),
                beam_m: length(u16::from(m.to_port), u16::from(m.to_starboard)),
                draught_m: (m.draught > 0).then(|| f32::from(m.draught) / 10.0),
                destination: text(&m.destination),
            })));
        }
        AisMessage::StaticData(m) => e.push(static_data(&m.part)),
        _ => {}
    }
}

/// Pushes the reports of one frame; the evidence and station id are looked
/// up once, at the first report.
struct Emit<'a, 'f> {
    frame: &'a Frame<'f>,
    time_ms: i64,
    mmsi: u32,
    stations: &'a mut Stations,
    out: &'a mut Vec<Report>,
    shared: Option<(Option<Arc<str>>, RawLines)>,
}

impl Emit<'_, '_> {
    fn push(&mut self, kind: Option<ReportKind>) {
        let Some(kind) = kind else { return };
        let (source, raw) = self.shared.get_or_insert_with(|| {
            let raw = self.stations.raw(self.frame.raw.as_bytes());
            (self.frame.station.map(|s| self.stations.get(s)), raw)
        });
        self.out.push(Report {
            time_ms: self.time_ms,
            mmsi: self.mmsi,
            source: source.clone(),
            kind,
            raw: raw.clone(),
        });
    }
}

/// What the reports of one input share: receiving-station ids (one
/// allocation per station, not per report; bounded: cleared past 65,536 ids)
/// and the evidence bytes, refilled in place for every frame unless an alert
/// or a vessel still holds the previous ones.
#[derive(Debug, Default)]
pub struct Stations {
    ids: FxMap<Station, Arc<str>>,
    raw: RawLines,
}

impl Stations {
    /// The shared id of `s`.
    pub fn get(&mut self, s: Station) -> Arc<str> {
        if self.ids.len() > 65_536 {
            self.ids.clear();
        }
        self.ids
            .entry(s)
            .or_insert_with(|| s.as_str().into())
            .clone()
    }

    /// Evidence holding `joined` (sentences separated by `\n`).
    fn raw(&mut self, joined: &[u8]) -> RawLines {
        self.raw.refill(joined);
        self.raw.clone()
    }
}

fn vessel_mmsi(msg: &AisMessage) -> Option<u32> {
    match msg {
        AisMessage::Position(_)
        | AisMessage::ClassBPosition(_)
        | AisMessage::ClassBExtended(_)
        | AisMessage::SarAircraft(_)
        | AisMessage::LongRange(_)
        | AisMessage::StaticVoyage(_)
        | AisMessage::StaticData(_) => Some(msg.mmsi()),
        _ => None,
    }
}

#[allow(clippy::too_many_arguments)]
fn fix(
    lat: i32,
    lon: i32,
    speed: u16,
    course: u16,
    heading: u16,
    status: Option<u8>,
    class: StationClass,
) -> Option<ReportKind> {
    let (Some(lat), Some(lon)) = (
        lat_deg(lat, PER_DEGREE_1_10000_MIN),
        lon_deg(lon, PER_DEGREE_1_10000_MIN),
    ) else {
        // Heard without a position (GNSS lost); an aircraft without one is not a vessel to watch.
        return (class != StationClass::SarAircraft).then_some(ReportKind::NoFix(NoFix {
            sog_kn: sog_knots(speed),
            heading_deg: heading_deg(heading),
            nav_status: status,
            class,
        }));
    };
    Some(ReportKind::Position(PositionFix {
        lat,
        lon,
        sog_kn: sog_knots(speed),
        cog_deg: cog_deg(course),
        heading_deg: heading_deg(heading),
        nav_status: status,
        class,
    }))
}

fn static_data(part: &StaticDataPart) -> Option<ReportKind> {
    let mut info = StaticInfo::default();
    let (a, b) = match part {
        StaticDataPart::A(a) => (Some(a), None),
        StaticDataPart::B(b) => (None, Some(b)),
        StaticDataPart::Both(a, b) => (Some(a), Some(b)),
        StaticDataPart::Reserved { .. } => return None,
    };
    if let Some(a) = a {
        info.name = text(&a.shipname);
    }
    if let Some(b) = b {
        info.callsign = text(&b.callsign);
        info.ship_type = Some(b.shiptype);
        info.length_m = length(b.to_bow, b.to_stern);
        info.beam_m = length(u16::from(b.to_port), u16::from(b.to_starboard));
    }
    Some(ReportKind::Static(info))
}

fn text<const N: usize>(t: &AisText<N>) -> Option<String> {
    let s = t.as_str().trim();
    (!s.is_empty()).then(|| s.to_owned())
}

fn length(a: u16, b: u16) -> Option<u16> {
    let l = a + b;
    (l > 0).then_some(l)
}

#[cfg(test)]
mod tests {
    use super::*;
    use varde_ais::message::{
        BaseStationReport, ClassBExtendedReport, ClassBPositionReport, LongRangeReport,
        PositionReport, SarAircraftReport, StaticAndVoyageData, StaticDataReport, StaticPartA,
        StaticPartB,
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
            Option<String>,
            Option<String>,
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
}
