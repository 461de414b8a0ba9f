//! Unit tests of the message layer on known payloads.

use super::*;

fn decode(armoured: &str, fill: u8) -> AisMessage {
    let p = Payload::from_armoured(armoured.as_bytes(), fill).unwrap();
    AisMessage::decode(&p).unwrap()
}

#[test]
fn type_1_fields() {
    let AisMessage::Position(m) = decode("15RTgt0PAso;90TKcjM8h6g208CQ", 0) else {
        panic!()
    };
    assert_eq!(
        (m.msg_type, m.mmsi, m.turn, m.speed, m.course),
        (1, 371_798_000, -127, 123, 2240)
    );
    assert_eq!(
        (m.lon, m.lat, m.heading, m.radio),
        (-74_037_230, 29_028_980, 215, 34017)
    );
    assert!((m.lat_deg().unwrap() - 48.381_633).abs() < 1e-5);
}

#[test]
fn short_type_1_with_fill_5_is_accepted() {
    let m = decode("13aIkM@P00PJ@qPNL=e@0?wJ28JO", 5);
    assert_eq!(m.message_type(), 1);
}

#[test]
fn bad_lengths_and_types_are_errors() {
    let p = Payload::from_armoured(b"15RTgt0PAso;90TKcjM8h6g2", 0).unwrap();
    assert_eq!(
        AisMessage::decode(&p),
        Err(DecodeError::BadLength {
            msg_type: 1,
            bits: 144
        })
    );
    let p = Payload::from_armoured(b"0000000", 0).unwrap();
    assert_eq!(AisMessage::decode(&p), Err(DecodeError::UnknownType(0)));
    assert_eq!(AisMessage::decode(&Payload::new()), Err(DecodeError::Empty));
}

#[test]
fn canonical_payloads_encode_to_the_same_bits() {
    for (s, fill) in [
        ("15RTgt0PAso;90TKcjM8h6g208CQ", 0),
        ("403OviQuMGCqWrRO9>E6fE700@GO", 0),
        ("B52K>;h00Fc>jpUlNV@ikwpUoP06", 0),
    ] {
        let p = Payload::from_armoured(s.as_bytes(), fill).unwrap();
        let m = AisMessage::decode(&p).unwrap();
        assert_eq!(m.encode().as_bytes(), p.as_bytes(), "{s}");
    }
}

#[test]
fn enum_stays_small() {
    let size = std::mem::size_of::<AisMessage>();
    assert!(size <= 300, "AisMessage is {size} bytes");
}
