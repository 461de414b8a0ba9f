//! Typed AIS messages 1–27 (ITU-R M.1371-5): decoded from, and encoded to,
//! the bits of a [`Payload`].
//!
//! # Layout
//! One module per message kind, in the style of mini-redis `cmd/`:
//! - `position`: types 1, 2, 3 (Class A position report).
//! - `base_station`: types 4 and 11 (base station report, UTC/date response).
//! - `static_voyage`: type 5 (Class A static and voyage data).
//! - `binary`: types 6 and 8 (addressed / broadcast binary, DAC/FI header).
//! - `acknowledge`: types 7 and 13 (binary / safety acknowledge).
//! - `sar_aircraft`: type 9.
//! - `inquiry`: types 10 (UTC/date inquiry) and 15 (interrogation).
//! - `safety`: types 12 and 14 (safety-related text).
//! - `assignment`: types 16 (assigned mode) and 23 (group assignment).
//! - `gnss`: type 17 (DGNSS corrections).
//! - `class_b`: types 18 and 19 (Class B position reports).
//! - `data_link`: type 20.
//! - `aid_to_navigation`: type 21.
//! - `channel`: type 22 (channel management).
//! - `static_data`: type 24 (Class B static data, parts A and B).
//! - `slot_binary`: types 25 and 26 (single / multiple slot binary).
//! - `long_range`: type 27.
//! - `units`: shared conversions of raw fields to degrees and knots.
//!
//! # Raw fields, exact bits
//! Every struct keeps the transmitted integers (spare bits included), so
//! [`AisMessage::encode`] reproduces the decoded bits for every message of
//! its canonical length. Helper methods convert to degrees and knots and
//! map "not available" values to `None`.
//!
//! # Accepted lengths
//! Length rules follow gpsd's `drivers/driver_ais.c`, so that what gpsd
//! decodes we decode: the short 163-bit type 1, over-long type 21 (up to 368
//! bits), 168-bit type 27 and so on. Bits beyond a field layout are ignored
//! on decode and not re-emitted by the encoder.

mod acknowledge;
mod aid_to_navigation;
mod assignment;
mod base_station;
mod binary;
mod channel;
mod class_b;
mod data_link;
mod gnss;
mod inquiry;
mod long_range;
mod position;
mod safety;
mod sar_aircraft;
mod slot_binary;
mod static_data;
mod static_voyage;
pub mod units;

pub use acknowledge::Acknowledge;
pub use aid_to_navigation::AidToNavigationReport;
pub use assignment::{AssignedModeCommand, GroupAssignment, SlotAssignment};
pub use base_station::BaseStationReport;
pub use binary::{AddressedBinary, BroadcastBinary};
pub use channel::{ChannelManagement, ChannelTarget};
pub use class_b::{ClassBExtendedReport, ClassBPositionReport};
pub use data_link::{DataLinkManagement, SlotReservation};
pub use gnss::GnssBroadcast;
pub use inquiry::{Interrogation, UtcInquiry};
pub use long_range::LongRangeReport;
pub use position::PositionReport;
pub use safety::{AddressedSafety, SafetyBroadcast};
pub use sar_aircraft::SarAircraftReport;
pub use slot_binary::{MultiSlotBinary, SingleSlotBinary};
pub use static_data::{StaticDataPart, StaticDataReport, StaticPartA, StaticPartB};
pub use static_voyage::StaticAndVoyageData;

use crate::bits::{BitReader, BitWriter, Payload};

/// Why a payload could not be decoded into a typed message.
///
/// Every variant concerns one payload only: the stream can continue with the
/// next message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// The payload holds no bits at all (`!AIVDM,1,1,,B,,0`).
    #[error("empty payload")]
    Empty,
    /// The message type (first six bits) is 0 or above 27.
    #[error("unknown message type {0}")]
    UnknownType(u8),
    /// The payload length is outside what gpsd accepts for this type, or too
    /// short for the mode flags it announces (types 25 and 26).
    #[error("wrong length for message type {msg_type}: {bits} bits")]
    BadLength {
        /// The message type.
        msg_type: u8,
        /// The payload length in bits.
        bits: usize,
    },
}

/// One decoded AIS message.
///
/// Variants share a struct where ITU-R M.1371 shares a layout (1/2/3, 4/11,
/// 7/13); the type number is then kept in the struct.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AisMessage {
    /// Types 1, 2 and 3: Class A position report.
    Position(PositionReport),
    /// Types 4 and 11: base station report / UTC and date response.
    BaseStation(BaseStationReport),
    /// Type 5: Class A static and voyage-related data.
    StaticVoyage(StaticAndVoyageData),
    /// Type 6: addressed binary message.
    AddressedBinary(AddressedBinary),
    /// Types 7 and 13: binary / safety-related acknowledge.
    Acknowledge(Acknowledge),
    /// Type 8: binary broadcast message.
    BroadcastBinary(BroadcastBinary),
    /// Type 9: standard SAR aircraft position report.
    SarAircraft(SarAircraftReport),
    /// Type 10: UTC and date inquiry.
    UtcInquiry(UtcInquiry),
    /// Type 12: addressed safety-related message.
    AddressedSafety(AddressedSafety),
    /// Type 14: safety-related broadcast message.
    SafetyBroadcast(SafetyBroadcast),
    /// Type 15: interrogation.
    Interrogation(Interrogation),
    /// Type 16: assigned mode command.
    AssignedMode(AssignedModeCommand),
    /// Type 17: GNSS broadcast binary message (DGNSS corrections).
    GnssBroadcast(GnssBroadcast),
    /// Type 18: standard Class B position report.
    ClassBPosition(ClassBPositionReport),
    /// Type 19: extended Class B position report.
    ClassBExtended(ClassBExtendedReport),
    /// Type 20: data link management.
    DataLinkManagement(DataLinkManagement),
    /// Type 21: aid-to-navigation report.
    AidToNavigation(AidToNavigationReport),
    /// Type 22: channel management.
    ChannelManagement(ChannelManagement),
    /// Type 23: group assignment command.
    GroupAssignment(GroupAssignment),
    /// Type 24: Class B static data report (part A, part B, or both merged).
    StaticData(StaticDataReport),
    /// Type 25: single slot binary message.
    SingleSlotBinary(SingleSlotBinary),
    /// Type 26: multiple slot binary message.
    MultiSlotBinary(MultiSlotBinary),
    /// Type 27: long-range position report.
    LongRange(LongRangeReport),
}

/// Applies `$e` to the struct inside any variant, bound as `$m`.
macro_rules! each_variant {
    ($value:expr, $m:ident => $e:expr) => {
        match $value {
            AisMessage::Position($m) => $e,
            AisMessage::BaseStation($m) => $e,
            AisMessage::StaticVoyage($m) => $e,
            AisMessage::AddressedBinary($m) => $e,
            AisMessage::Acknowledge($m) => $e,
            AisMessage::BroadcastBinary($m) => $e,
            AisMessage::SarAircraft($m) => $e,
            AisMessage::UtcInquiry($m) => $e,
            AisMessage::AddressedSafety($m) => $e,
            AisMessage::SafetyBroadcast($m) => $e,
            AisMessage::Interrogation($m) => $e,
            AisMessage::AssignedMode($m) => $e,
            AisMessage::GnssBroadcast($m) => $e,
            AisMessage::ClassBPosition($m) => $e,
            AisMessage::ClassBExtended($m) => $e,
            AisMessage::DataLinkManagement($m) => $e,
            AisMessage::AidToNavigation($m) => $e,
            AisMessage::ChannelManagement($m) => $e,
            AisMessage::GroupAssignment($m) => $e,
            AisMessage::StaticData($m) => $e,
            AisMessage::SingleSlotBinary($m) => $e,
            AisMessage::MultiSlotBinary($m) => $e,
            AisMessage::LongRange($m) => $e,
        }
    };
}

impl AisMessage {
    /// Decodes the bits of one complete message. Never panics; allocates
    /// nothing.
    #[inline]
    pub fn decode(payload: &Payload) -> Result<Self, DecodeError> {
        if payload.is_empty() {
            return Err(DecodeError::Empty);
        }
        // Each type is decoded by a function of its own that builds the
        // message in the caller's result (no copy of the large variants).
        match payload.message_type() {
            1..=3 => decode_position(payload),
            4 | 11 => decode_base_station(payload),
            5 => decode_static_voyage(payload),
            6 => decode_addressed_binary(payload),
            7 | 13 => decode_acknowledge(payload),
            8 => decode_broadcast_binary(payload),
            9 => decode_sar_aircraft(payload),
            10 => decode_utc_inquiry(payload),
            12 => decode_addressed_safety(payload),
            14 => decode_safety_broadcast(payload),
            15 => decode_interrogation(payload),
            16 => decode_assigned_mode(payload),
            17 => decode_gnss_broadcast(payload),
            18 => decode_class_b_position(payload),
            19 => decode_class_b_extended(payload),
            20 => decode_data_link_management(payload),
            21 => decode_aid_to_navigation(payload),
            22 => decode_channel_management(payload),
            23 => decode_group_assignment(payload),
            24 => decode_static_data(payload),
            25 => decode_single_slot_binary(payload),
            26 => decode_multi_slot_binary(payload),
            27 => decode_long_range(payload),
            t => Err(DecodeError::UnknownType(t)),
        }
    }

    /// Encodes the message to its bits (canonical length for its layout).
    ///
    /// A merged type 24 ([`StaticDataPart::Both`]) encodes as part B; use
    /// [`StaticDataReport::split`] to get both halves.
    pub fn encode(&self) -> Payload {
        let mut w = BitWriter::new();
        each_variant!(self, m => m.encode(&mut w));
        // Every layout is bounded well below MAX_PAYLOAD_BITS (the largest,
        // a type 26 with full binary data, is 1130 bits), so the writer
        // cannot overflow.
        w.finish().unwrap_or_default()
    }

    /// The message type, 1–27.
    pub fn message_type(&self) -> u8 {
        match self {
            Self::Position(m) => m.msg_type,
            Self::BaseStation(m) => m.msg_type,
            Self::Acknowledge(m) => m.msg_type,
            Self::StaticVoyage(_) => 5,
            Self::AddressedBinary(_) => 6,
            Self::BroadcastBinary(_) => 8,
            Self::SarAircraft(_) => 9,
            Self::UtcInquiry(_) => 10,
            Self::AddressedSafety(_) => 12,
            Self::SafetyBroadcast(_) => 14,
            Self::Interrogation(_) => 15,
            Self::AssignedMode(_) => 16,
            Self::GnssBroadcast(_) => 17,
            Self::ClassBPosition(_) => 18,
            Self::ClassBExtended(_) => 19,
            Self::DataLinkManagement(_) => 20,
            Self::AidToNavigation(_) => 21,
            Self::ChannelManagement(_) => 22,
            Self::GroupAssignment(_) => 23,
            Self::StaticData(_) => 24,
            Self::SingleSlotBinary(_) => 25,
            Self::MultiSlotBinary(_) => 26,
            Self::LongRange(_) => 27,
        }
    }

    /// The sender's MMSI (30 bits).
    pub fn mmsi(&self) -> u32 {
        each_variant!(self, m => m.mmsi)
    }

    /// The repeat indicator (0–3; 3 = do not repeat).
    pub fn repeat(&self) -> u8 {
        each_variant!(self, m => m.repeat)
    }
}

// One decoder per variant, each inlining its type's `decode` so that the
// fields are written straight into the result.

#[inline(never)]
fn decode_position(p: &Payload) -> Result<AisMessage, DecodeError> {
    PositionReport::decode(p).map(AisMessage::Position)
}

#[inline(never)]
fn decode_base_station(p: &Payload) -> Result<AisMessage, DecodeError> {
    BaseStationReport::decode(p).map(AisMessage::BaseStation)
}

#[inline(never)]
fn decode_static_voyage(p: &Payload) -> Result<AisMessage, DecodeError> {
    StaticAndVoyageData::decode(p).map(AisMessage::StaticVoyage)
}

#[inline(never)]
fn decode_addressed_binary(p: &Payload) -> Result<AisMessage, DecodeError> {
    AddressedBinary::decode(p).map(AisMessage::AddressedBinary)
}

#[inline(never)]
fn decode_acknowledge(p: &Payload) -> Result<AisMessage, DecodeError> {
    Acknowledge::decode(p).map(AisMessage::Acknowledge)
}

#[inline(never)]
fn decode_broadcast_binary(p: &Payload) -> Result<AisMessage, DecodeError> {
    BroadcastBinary::decode(p).map(AisMessage::BroadcastBinary)
}

#[inline(never)]
fn decode_sar_aircraft(p: &Payload) -> Result<AisMessage, DecodeError> {
    SarAircraftReport::decode(p).map(AisMessage::SarAircraft)
}

#[inline(never)]
fn decode_utc_inquiry(p: &Payload) -> Result<AisMessage, DecodeError> {
    UtcInquiry::decode(p).map(AisMessage::UtcInquiry)
}

#[inline(never)]
fn decode_addressed_safety(p: &Payload) -> Result<AisMessage, DecodeError> {
    AddressedSafety::decode(p).map(AisMessage::AddressedSafety)
}

#[inline(never)]
fn decode_safety_broadcast(p: &Payload) -> Result<AisMessage, DecodeError> {
    SafetyBroadcast::decode(p).map(AisMessage::SafetyBroadcast)
}

#[inline(never)]
fn decode_interrogation(p: &Payload) -> Result<AisMessage, DecodeError> {
    Interrogation::decode(p).map(AisMessage::Interrogation)
}

#[inline(never)]
fn decode_assigned_mode(p: &Payload) -> Result<AisMessage, DecodeError> {
    AssignedModeCommand::decode(p).map(AisMessage::AssignedMode)
}

#[inline(never)]
fn decode_gnss_broadcast(p: &Payload) -> Result<AisMessage, DecodeError> {
    GnssBroadcast::decode(p).map(AisMessage::GnssBroadcast)
}

#[inline(never)]
fn decode_class_b_position(p: &Payload) -> Result<AisMessage, DecodeError> {
    ClassBPositionReport::decode(p).map(AisMessage::ClassBPosition)
}

#[inline(never)]
fn decode_class_b_extended(p: &Payload) -> Result<AisMessage, DecodeError> {
    ClassBExtendedReport::decode(p).map(AisMessage::ClassBExtended)
}

#[inline(never)]
fn decode_data_link_management(p: &Payload) -> Result<AisMessage, DecodeError> {
    DataLinkManagement::decode(p).map(AisMessage::DataLinkManagement)
}

#[inline(never)]
fn decode_aid_to_navigation(p: &Payload) -> Result<AisMessage, DecodeError> {
    AidToNavigationReport::decode(p).map(AisMessage::AidToNavigation)
}

#[inline(never)]
fn decode_channel_management(p: &Payload) -> Result<AisMessage, DecodeError> {
    ChannelManagement::decode(p).map(AisMessage::ChannelManagement)
}

#[inline(never)]
fn decode_group_assignment(p: &Payload) -> Result<AisMessage, DecodeError> {
    GroupAssignment::decode(p).map(AisMessage::GroupAssignment)
}

#[inline(never)]
fn decode_static_data(p: &Payload) -> Result<AisMessage, DecodeError> {
    StaticDataReport::decode(p).map(AisMessage::StaticData)
}

#[inline(never)]
fn decode_single_slot_binary(p: &Payload) -> Result<AisMessage, DecodeError> {
    SingleSlotBinary::decode(p).map(AisMessage::SingleSlotBinary)
}

#[inline(never)]
fn decode_multi_slot_binary(p: &Payload) -> Result<AisMessage, DecodeError> {
    MultiSlotBinary::decode(p).map(AisMessage::MultiSlotBinary)
}

#[inline(never)]
fn decode_long_range(p: &Payload) -> Result<AisMessage, DecodeError> {
    LongRangeReport::decode(p).map(AisMessage::LongRange)
}

/// Reads the common header: (message type, repeat, mmsi).
#[inline]
pub(crate) fn header(r: &mut BitReader<'_>) -> (u8, u8, u32) {
    let msg_type = r.u(6) as u8;
    let repeat = r.u(2) as u8;
    let mmsi = r.u(30);
    (msg_type, repeat, mmsi)
}

/// Writes the common header.
#[inline]
pub(crate) fn write_header(w: &mut BitWriter, msg_type: u8, repeat: u8, mmsi: u32) {
    w.u(6, u32::from(msg_type))
        .u(2, u32::from(repeat))
        .u(30, mmsi);
}

/// Accepts `min..=max` bits, as gpsd's `RANGE_CHECK`.
#[inline]
pub(crate) fn check_len(
    r: &BitReader<'_>,
    msg_type: u8,
    min: usize,
    max: usize,
) -> Result<(), DecodeError> {
    let bits = r.len();
    if bits < min || bits > max {
        return Err(DecodeError::BadLength { msg_type, bits });
    }
    Ok(())
}

/// Accepts `min` bits or more, as gpsd's `PERMISSIVE_LENGTH_CHECK`.
#[inline]
pub(crate) fn check_min(r: &BitReader<'_>, msg_type: u8, min: usize) -> Result<(), DecodeError> {
    check_len(r, msg_type, min, usize::MAX)
}

#[cfg(test)]
mod tests;
