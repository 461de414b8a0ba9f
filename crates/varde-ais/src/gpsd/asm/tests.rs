//! Unit tests of the application-message JSON.

use super::format::dhm;
use super::*;

fn json(msg_type: u8, dac: u16, fi: u8, bytes: &[u8], bits: usize, scaled: bool) -> String {
    let d = BinaryData::from_bytes(bytes, bits).unwrap();
    let mut out = Vec::new();
    let mut w = JsonWriter::begin(&mut out);
    let known = write_fields_if_known(msg_type, dac, fi, &d, scaled, &mut w);
    w.end();
    assert!(known || out == b"{}");
    String::from_utf8(out).unwrap()
}

#[test]
fn unknown_writes_nothing() {
    assert_eq!(json(6, 1, 40, &[0, 0], 16, false), "{}");
    assert_eq!(json(8, 366, 56, &[0; 32], 256, true), "{}");
}

#[test]
fn timestamps_are_gpsd_formats() {
    assert_eq!(&*mdhm(5, 4, 0, 60, true, true), "05-04T00:60Z");
    assert_eq!(&*mdhm(5, 4, 0, 60, false, false), "5-4T0:60");
    assert_eq!(&*dhm(18, 17, 15), "18T17:15Z");
}

use crate::bits::BitWriter;
use crate::text::AisText;

/// JSON for data built with a [`BitWriter`].
fn built(msg_type: u8, dac: u16, fi: u8, w: BitWriter, scaled: bool) -> String {
    let p = w.finish().unwrap();
    json(msg_type, dac, fi, p.as_bytes(), p.len_bits(), scaled)
}

fn t<const N: usize>(s: &str) -> AisText<N> {
    AisText::from_ascii(s)
}

#[test]
fn berthing_lists_every_service_in_order() {
    let mut w = BitWriter::new();
    w.u(10, 1)
        .u(9, 2)
        .u(8, 30)
        .u(3, 1)
        .u(4, 3)
        .u(5, 4)
        .u(5, 5)
        .u(6, 6)
        .u(1, 1);
    w.u(2, 1);
    for _ in 1..26 {
        w.u(2, 0);
    }
    w.text(20, &t::<20>("QUAY")).i(25, -100).i(24, 200);
    let services: String = imo::BERTH_SERVICES
        .iter()
        .map(|n| format!(",\"{n}\":{}", u8::from(*n == "agent")))
        .collect();
    let head = "{\"linkage\":1,\"berth_length\":2,\"position\":1,\
                \"position_text\":\"Port-side to\",\"arrival\":\"3-4T5:6\",\"availability\":1";
    let w2 = w.clone();
    assert_eq!(
        built(6, 1, 20, w, false),
        format!("{head}{services},\"berth_name\":\"QUAY\",\"berth_lon\":-100,\"berth_lat\":200,\"berth_depth\":30}}")
    );
    assert_eq!(
        built(6, 1, 20, w2, true),
        format!(
            "{head}{services},\"berth_name\":\"QUAY\",\"berth_lon\":-0.001667,\
             \"berth_lat\":0.003333,\"berth_depth\":3.0}}"
        )
    );
}

#[test]
fn vts_targets_follow_gpsd_element_rule() {
    // Exactly one 122-bit element: gpsd also reads a second, all-zero one.
    let mut w = BitWriter::new();
    w.u(2, 2)
        .text(7, &t::<7>("LA1234"))
        .u(4, 0)
        .i(24, -60)
        .i(25, 120);
    w.u(9, 90).u(6, 30).u(10, 123);
    assert_eq!(
        built(8, 1, 17, w, false),
        "{\"targets\":[{\"idtype\":2,\"idtype_text\":\"callsign\",\"callsign\":\"LA1234\",\
         \"lat\":-60,\"lon\":120,\"course\":90,\"second\":30,\"speed\":123},\
         {\"idtype\":0,\"idtype_text\":\"mmsi\",\"mmsi\":\"0\",\"lat\":0,\"lon\":0,\
         \"course\":0,\"second\":0,\"speed\":0}]}"
    );
}

#[test]
fn signal_station_positions_are_always_scaled() {
    let mut w = BitWriter::new();
    w.u(10, 7)
        .text(20, &t::<20>("KIEL"))
        .i(25, 60_000)
        .i(24, -30_000);
    w.u(2, 1).u(5, 3).u(5, 12).u(6, 30).u(5, 20);
    assert_eq!(
        built(8, 1, 19, w, false),
        "{\"linkage\":7,\"station\":\"KIEL\",\"lon\":1.000000,\"lat\":-0.500000,\
         \"status\":1,\"signal\":3,\"signal_text\":\"Vessels may proceed. One way traffic.\",\
         \"hour\":12,\"minute\":30,\"nextsignal\":20,\"nextsignal_text\":\"INVALID SIGNAL TYPE\"}"
    );
}

#[test]
fn route_info_waypoints_and_cargos() {
    let mut w = BitWriter::new();
    w.u(10, 5)
        .u(3, 1)
        .u(5, 31)
        .u(4, 12)
        .u(5, 24)
        .u(5, 23)
        .u(6, 59)
        .u(18, 600)
        .u(5, 2);
    w.i(28, 6_000_000).i(27, -600_000).i(28, 1).i(27, -1);
    let w2 = w.clone();
    let head = "{\"linkage\":5,\"sender\":1,\"rtype\":31,\
                \"rtype_text\":\"Cancel route identified by message linkage\",\
                \"start\":\"12-24T23:59Z\",\"duration\":600,\"waypoints\":";
    assert_eq!(
        built(8, 1, 27, w, false),
        format!("{head}[{{\"lon\":6000000,\"lat\":-600000}},{{\"lon\":1,\"lat\":-1}}]}}")
    );
    assert_eq!(
        built(6, 1, 28, w2, true),
        format!(
            "{head}[{{\"lon\":10.0000000,\"lat\":-1.0000000}},\
             {{\"lon\":0.0000017,\"lat\":-0.0000017}}]}}"
        )
    );
    // 6/1/25: 12 + 2 x 17 bits, plus 3 spare bits that start a third cargo.
    let mut w = BitWriter::new();
    w.u(2, 2)
        .u(10, 100)
        .u(4, 1)
        .u(13, 1203)
        .u(4, 3)
        .u(13, 7)
        .u(3, 0);
    assert_eq!(
        built(6, 1, 25, w, false),
        "{\"unit\":2,\"amount\":100,\"cargos\":[{\"code\":1,\"subtype\":1203},\
         {\"code\":3,\"subtype\":7},{\"code\":0,\"subtype\":0}]}"
    );
}

#[test]
fn fairway_closed_and_text() {
    let mut w = BitWriter::new();
    w.text(20, &t::<20>("ICE"))
        .text(20, &t::<20>("A"))
        .text(20, &t::<20>("B \"C\""));
    w.u(10, 5)
        .u(2, 2)
        .u(5, 1)
        .u(4, 2)
        .u(5, 3)
        .u(6, 4)
        .u(5, 5)
        .u(4, 6)
        .u(5, 7)
        .u(6, 8)
        .u(4, 0);
    assert_eq!(
        built(8, 1, 13, w, true),
        "{\"reason\":\"ICE\",\"closefrom\":\"A\",\"closeto\":\"B \\\"C\\\"\",\"radius\":5,\
         \"extunit\":2,\"from\":\"02-01T03:04\",\"to\":\"06-05T07:08\"}"
    );
    let mut w = BitWriter::new();
    w.u(10, 3).text(5, &t::<5>("HELLO")).u(4, 0);
    assert_eq!(
        built(8, 1, 29, w, false),
        "{\"linkage\":3,\"text\":\"HELLO\"}"
    );
}

#[test]
fn inland_messages() {
    let loc = |w: &mut BitWriter| {
        w.text(2, &t::<2>("NL"))
            .text(3, &t::<3>("RTM"))
            .text(5, &t::<5>("00001"));
        w.text(5, &t::<5>("T1")).text(5, &t::<5>("12345"));
    };
    let mut w = BitWriter::new();
    loc(&mut w);
    w.u(4, 6)
        .u(5, 7)
        .u(5, 8)
        .u(6, 9)
        .u(3, 2)
        .u(12, 1500)
        .u(5, 0);
    assert_eq!(
        built(6, 200, 21, w, false),
        "{\"country\":\"NL\",\"locode\":\"RTM\",\"section\":\"00001\",\"terminal\":\"T1\",\
         \"hectometre\":\"12345\",\"eta\":\"6-7T8:9\",\"tugs\":2,\"airdraught\":1500}"
    );
    let mut w = BitWriter::new();
    loc(&mut w);
    w.u(4, 6).u(5, 7).u(5, 8).u(6, 9).u(2, 1).u(2, 0);
    assert!(built(6, 200, 22, w, false)
        .ends_with("\"eta\":\"6-7T8:9\",\"status\":1,\"status_text\":\"Limited operation\"}"));

    let mut w = BitWriter::new();
    w.u(8, 24)
        .u(4, 5)
        .u(5, 6)
        .u(8, 24)
        .u(4, 5)
        .u(5, 7)
        .u(5, 7)
        .u(6, 8)
        .u(5, 18)
        .u(6, 0);
    w.i(28, 600_000)
        .i(27, 3_000_000)
        .i(28, -600_000)
        .i(27, 3_000_001);
    w.u(4, 1).i(9, -5).i(9, 20).u(2, 2).u(4, 3).u(6, 0);
    assert_eq!(
        built(8, 200, 23, w, true),
        "{\"start\":\"2024-05-06T07:08\",\"end\":\"2024-05-07T18:00\",\
         \"start_lon\":1.0000000,\"start_lat\":5.0000000,\"end_lon\":-1.0000000,\
         \"end_lat\":5.0000017,\"type\":1,\"type_text\":\"Wind\",\"min\":-5,\"max\":20,\
         \"class\":2,\"class_text\":\"Strong\",\"wind\":3,\"wind_text\":\"East\"}"
    );

    let mut w = BitWriter::new();
    w.text(2, &t::<2>("DE"));
    for (id, level) in [(1, -20), (2, 0), (3, 300), (2047, -8192)] {
        w.u(11, id).i(14, level);
    }
    assert_eq!(
        built(8, 200, 24, w, false),
        "{\"country\":\"DE\",\"gauges\":[{\"id\":1,\"level\":-20},{\"id\":2,\"level\":0},\
         {\"id\":3,\"level\":300},{\"id\":2047,\"level\":-8192}]}"
    );

    let mut w = BitWriter::new();
    w.i(28, -6)
        .i(27, 6)
        .u(4, 1)
        .u(9, 180)
        .u(3, 2)
        .u(30, 4)
        .u(11, 0);
    assert_eq!(
        built(8, 200, 40, w, false),
        "{\"lon\":-6,\"lat\":6,\"form\":1,\"facing\":180,\"direction\":2,\
         \"direction_text\":\"Downstream\",\"status\":4,\"status_text\":\"Green\"}"
    );
}

#[test]
fn aton_monitoring_scales_only_nonzero_readings() {
    // ana_int 274, ana_ext1 1, ana_ext2 0, racon 2, light 2.
    let mut w = crate::bits::BitWriter::new();
    w.u(10, 274)
        .u(10, 1)
        .u(10, 0)
        .u(2, 2)
        .u(2, 2)
        .u(1, 0)
        .u(8, 0)
        .u(1, 0)
        .u(4, 0);
    let p = w.finish().unwrap();
    let s = json(6, 235, 10, p.as_bytes(), 48, true);
    assert_eq!(
        s,
        "{\"off_pos\":false,\"alarm\":false,\"stat_ext\":0,\"ana_int\":13.70,\
         \"ana_ext1\":0.05,\"ana_ext2\":0,\"racon\":2,\"racon_text\":\"RACON operational\",\
         \"light\":2,\"light_text\":\"Light OFF\"}"
    );
}
