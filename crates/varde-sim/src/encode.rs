//! Typed AIS messages for a vessel's state, and fast NMEA framing.
//!
//! Messages are built as `varde_ais::message` structs and encoded with
//! [`AisMessage::encode`]. Framing writes into a caller-owned buffer and
//! produces, byte for byte, what [`varde_ais::nmea::encode_sentences`]
//! produces (a test checks this) without its per-line allocations: the
//! simulator feeds benchmarks, so every line counts.

use crate::identity::Identity;
use std::fmt::Write;
use varde_ais::bits::{armour, Payload};
use varde_ais::message::{
    AisMessage, ClassBPositionReport, PositionReport, StaticAndVoyageData, StaticDataPart,
    StaticDataReport, StaticPartA, StaticPartB,
};
use varde_ais::nmea::checksum;
use varde_ais::text::AisText;

/// A vessel's kinematic state at one report, in plain units.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Fix {
    /// Latitude, degrees.
    pub lat: f64,
    /// Longitude, degrees.
    pub lon: f64,
    /// Speed over ground, knots.
    pub sog_kn: f64,
    /// Course over ground, degrees 0..360.
    pub cog_deg: f64,
    /// True heading, degrees 0..360.
    pub heading_deg: f64,
    /// Navigational status (0 under way, 1 at anchor, 5 moored, 7 fishing).
    pub status: u8,
    /// Rate of turn, degrees per minute (positive = starboard).
    pub rot_deg_min: f64,
}

impl Fix {
    /// Latitude meaning "not available" (91°, raw 0x3412140).
    pub const LAT_UNAVAILABLE: f64 = 91.0;
    /// Longitude meaning "not available" (181°, raw 0x6791AC0).
    pub const LON_UNAVAILABLE: f64 = 181.0;

    /// A report whose GNSS receiver has no fix: position, speed and course
    /// not available (91°, 181°, 102.3 kn, 360°); heading (gyro) and
    /// status as given, no turn.
    pub fn unavailable(heading_deg: f64, status: u8) -> Self {
        Self {
            lat: Self::LAT_UNAVAILABLE,
            lon: Self::LON_UNAVAILABLE,
            sog_kn: f64::NAN,
            cog_deg: f64::NAN,
            heading_deg,
            status,
            rot_deg_min: 0.0,
        }
    }

    /// Whether the position is "not available" ([`Fix::unavailable`]).
    pub fn has_position(&self) -> bool {
        self.lat.abs() <= 90.0 && self.lon.abs() <= 180.0
    }
}

/// ROT_AIS from degrees per minute: `4.733·√|rot|`, signed, clamped ±126.
fn rot_ais(rot: f64) -> i8 {
    let v = (4.733 * rot.abs().sqrt()).round().min(126.0);
    (v.copysign(rot)) as i8
}

/// Speed in 1/10 kn; NaN is "not available" (1023).
fn sog_raw(kn: f64) -> u16 {
    if kn.is_nan() {
        return 1023;
    }
    (kn.max(0.0) * 10.0).round().min(1022.0) as u16
}

/// Course in 1/10°; NaN is "not available" (3600).
fn cog_raw(deg: f64) -> u16 {
    if deg.is_nan() {
        return 3600;
    }
    ((deg.rem_euclid(360.0) * 10.0).round() as u16) % 3600
}

fn hdg_raw(deg: f64) -> u16 {
    (deg.rem_euclid(360.0).round() as u16) % 360
}

/// Class A position report (type 1) for `fix` at UTC second `second`.
pub fn position_report(mmsi: u32, fix: &Fix, second: u8) -> AisMessage {
    AisMessage::Position(PositionReport {
        msg_type: 1,
        mmsi,
        status: fix.status,
        turn: rot_ais(fix.rot_deg_min),
        speed: sog_raw(fix.sog_kn),
        accuracy: true,
        lon: (fix.lon * 600_000.0).round() as i32,
        lat: (fix.lat * 600_000.0).round() as i32,
        course: cog_raw(fix.cog_deg),
        heading: hdg_raw(fix.heading_deg),
        second,
        maneuver: 0,
        ..PositionReport::default()
    })
}

/// Class B CS position report (type 18) for `fix`.
pub fn class_b_report(mmsi: u32, fix: &Fix, second: u8) -> AisMessage {
    AisMessage::ClassBPosition(ClassBPositionReport {
        mmsi,
        speed: sog_raw(fix.sog_kn),
        lon: (fix.lon * 600_000.0).round() as i32,
        lat: (fix.lat * 600_000.0).round() as i32,
        course: cog_raw(fix.cog_deg),
        heading: hdg_raw(fix.heading_deg),
        second,
        cs: true,
        display: false,
        band: true,
        msg22: true,
        radio: 0b1100000000000000110, // CS units send a fixed pattern
        ..ClassBPositionReport::default()
    })
}

/// Split a length/beam into the four reference-point distances (GNSS
/// antenna at 70 % from the bow, on the centre line).
fn dims(id: &Identity) -> (u16, u16, u8, u8) {
    let bow = (f64::from(id.length_m) * 0.3).round() as u16;
    let port = id.beam_m / 2;
    (
        bow.min(511),
        (id.length_m - bow).min(511),
        port.min(63),
        (id.beam_m - port).min(63),
    )
}

/// Class A static and voyage data (type 5).
pub fn static_voyage(id: &Identity, destination: &str) -> AisMessage {
    let (to_bow, to_stern, to_port, to_starboard) = dims(id);
    AisMessage::StaticVoyage(StaticAndVoyageData {
        mmsi: id.mmsi,
        ais_version: 2,
        imo: id.imo,
        callsign: AisText::from_ascii(&id.callsign),
        shipname: AisText::from_ascii(&id.name),
        shiptype: id.ship_type,
        to_bow,
        to_stern,
        to_port,
        to_starboard,
        epfd: 1,
        hour: 24,
        minute: 60,
        draught: id.draught_dm,
        destination: AisText::from_ascii(destination),
        ..StaticAndVoyageData::default()
    })
}

/// Class B static data, part A (name) and part B (type, call sign, size).
pub fn static_data_parts(id: &Identity) -> [AisMessage; 2] {
    let (to_bow, to_stern, to_port, to_starboard) = dims(id);
    let a = StaticDataReport {
        repeat: 0,
        mmsi: id.mmsi,
        part: StaticDataPart::A(StaticPartA {
            shipname: AisText::from_ascii(&id.name),
            spare: 0,
        }),
    };
    let b = StaticDataReport {
        repeat: 0,
        mmsi: id.mmsi,
        part: StaticDataPart::B(StaticPartB {
            shiptype: id.ship_type,
            vendorid: AisText::from_ascii("VRD"),
            callsign: AisText::from_ascii(&id.callsign),
            to_bow,
            to_stern,
            to_port,
            to_starboard,
            spare: 0,
        }),
    };
    [AisMessage::StaticData(a), AisMessage::StaticData(b)]
}

/// How one message is framed (the fields of `EncodeOptions` that vary).
#[derive(Debug, Clone, Copy)]
pub struct Framing<'a> {
    /// Receiving station id written as `s:`; empty writes no `s:`.
    pub station: &'a str,
    /// Event time, unix seconds, written as `c:`.
    pub time_s: i64,
    /// Radio channel, `b'A'` or `b'B'`.
    pub channel: u8,
    /// Sequential message id (0–9) for two-sentence messages.
    pub seq_id: u8,
    /// Tag-block group id for two-sentence messages.
    pub group_id: u32,
}

/// Talker of the simulated feed (Kystverket's `!BSVDM`).
pub const TALKER: &str = "BS";
/// Armoured characters per sentence (as `EncodeOptions::default`).
const MAX_CHARS: usize = 60;

/// Appends the NMEA line(s) of `payload` to `out`, each ended by `\n`.
/// Returns the number of lines written.
pub fn frame_into(out: &mut String, payload: &Payload, f: &Framing<'_>) -> usize {
    let mut chars = [0u8; 400];
    let n = armour_into(payload, &mut chars);
    let fill = (n * 6 - payload.len_bits()) as u8;
    let total = n.div_ceil(MAX_CHARS).clamp(1, 9);
    for i in 0..total {
        let chunk = &chars[(i * MAX_CHARS).min(n)..((i + 1) * MAX_CHARS).min(n)];
        let tag_start = out.len() + 1;
        out.push('\\');
        if total > 1 {
            let _ = write!(out, "g:{}-{}-{},", i + 1, total, f.group_id);
        }
        if !f.station.is_empty() {
            out.push_str("s:");
            out.push_str(f.station);
            out.push(',');
        }
        out.push_str("c:");
        out.push_str(itoa::Buffer::new().format(f.time_s));
        let cs = checksum(&out.as_bytes()[tag_start..]);
        push_hex_checksum(out, cs);
        out.push('\\');
        out.push('!');
        let body_start = out.len();
        out.push_str(TALKER);
        out.push_str("VDM,");
        out.push(char::from(b'0' + total as u8));
        out.push(',');
        out.push(char::from(b'1' + i as u8));
        out.push(',');
        if total > 1 {
            out.push(char::from(b'0' + f.seq_id % 10));
        }
        out.push(',');
        out.push(char::from(f.channel));
        out.push(',');
        // Armoured characters are ASCII by construction.
        out.push_str(std::str::from_utf8(chunk).unwrap_or(""));
        out.push(',');
        out.push(char::from(b'0' + if i + 1 == total { fill } else { 0 }));
        let cs = checksum(&out.as_bytes()[body_start..]);
        push_hex_checksum(out, cs);
        out.push('\n');
    }
    total
}

fn push_hex_checksum(out: &mut String, cs: u8) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    out.push('*');
    out.push(char::from(HEX[usize::from(cs >> 4)]));
    out.push(char::from(HEX[usize::from(cs & 15)]));
}

/// Six-bit armouring straight from the payload bytes; returns the count.
fn armour_into(payload: &Payload, out: &mut [u8; 400]) -> usize {
    let bytes = payload.as_bytes();
    let n = payload.len_bits().div_ceil(6).min(out.len());
    for (i, c) in out.iter_mut().take(n).enumerate() {
        let bit = i * 6;
        let (b, off) = (bit / 8, bit % 8);
        let hi = u16::from(bytes.get(b).copied().unwrap_or(0));
        let lo = u16::from(bytes.get(b + 1).copied().unwrap_or(0));
        let v = (((hi << 8) | lo) >> (10 - off)) & 0x3f;
        *c = armour(v as u8);
    }
    n
}
