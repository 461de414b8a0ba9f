//! Application-specific messages (ASM): the structured payloads that ride
//! inside message types 6 (addressed binary) and 8 (broadcast binary),
//! selected by their DAC (designated area code) and FI (function
//! identifier).
//!
//! [`decode`] turns the bits after the 16-bit DAC/FI header into an [`Asm`]
//! for exactly the DAC/FI pairs that gpsd decodes, under gpsd's length rules;
//! everything else returns `None`, and gpsd prints such payloads as raw
//! `"data":"<bits>:<hex>"`. The JSON for these messages is written by
//! [`crate::gpsd::asm`].
//!
//! # Families
//! - [`imo`]: DAC 1, IMO SN.1/Circ.236 and SN.1/Circ.289.
//! - [`inland`]: DAC 200, Inland AIS (European river information services).
//! - [`regional`]: DAC 235/250, GLA AtoN monitoring (UK and Ireland).
//!
//! # Decoded set (gpsd's rules; "data" = bits after the DAC/FI header)
//!
//! | msg | DAC/FI | what | length rule |
//! | --- | --- | --- | --- |
//! | 6 | 1/12 | IMO236 dangerous cargo | any |
//! | 6 | 1/14 | IMO236 tidal window | any; one window per started 93 bits |
//! | 6 | 1/15 | IMO236 extended ship static (air draught) | any |
//! | 6 | 1/16 | IMO236/289 persons on board | any |
//! | 6 | 1/18 | IMO289 clearance time to enter port | any |
//! | 6 | 1/20 | IMO289 berthing data | any |
//! | 6 | 1/25 | IMO289 dangerous cargo | any; one cargo per started 17 bits |
//! | 6 | 1/28 | IMO289 route information (addressed) | any |
//! | 6 | 1/30 | IMO289 text description (addressed) | any |
//! | 6 | 1/32 | IMO289 tidal window | any; one window per started 88 bits |
//! | 6 | 200/21 | Inland ETA at lock/bridge/terminal | data = 160 bits |
//! | 6 | 200/22 | Inland RTA at lock/bridge/terminal | data = 144 bits |
//! | 6 | 200/55 | Inland persons on board | data = 80 bits |
//! | 6 | 235/10, 250/10 | GLA AtoN monitoring | data = 48 bits |
//! | 8 | 1/11 | IMO236 meteorological/hydrological | any |
//! | 8 | 1/13 | IMO236 fairway closed | any |
//! | 8 | 1/15 | IMO236 extended ship static (air draught) | any |
//! | 8 | 1/16 | persons on board | data = 136 or 72 bits |
//! | 8 | 1/17 | IMO289 VTS-generated/synthetic targets | any; one target per started 122 bits |
//! | 8 | 1/19 | IMO289 marine traffic signal | any |
//! | 8 | 1/27 | IMO289 route information (broadcast) | any |
//! | 8 | 1/29 | IMO289 text description (broadcast) | any |
//! | 8 | 1/31 | IMO289 meteorological/hydrological | any |
//! | 8 | 200/10 | Inland ship static and voyage data | data = 112 bits, hazard ≤ 5 |
//! | 8 | 200/23 | Inland EMMA weather warning | data = 200 bits |
//! | 8 | 200/24 | Inland water levels | data = 112 bits |
//! | 8 | 200/40 | Inland signal status | data = 112 bits |
//!
//! "Any" length: like gpsd, fields past the end of the payload read as
//! zeros. gpsd also recognises 6/1/23, 8/1/21, 8/1/22, 8/1/24, 8/1/25 and
//! 8/1/26 but leaves them undecoded (raw data); so does this module, and it
//! decodes no DAC 366/367 (US) messages, as gpsd does not.
//!
//! # Where this differs from gpsd on purpose
//! Field positions, lengths and JSON follow gpsd, except where gpsd reads
//! memory that is not the field, which cannot be reproduced from the payload
//! and would carry no information:
//! - 6/1/15 air draught and 6/1/16 persons (when the data is not 136 bits):
//!   gpsd reads message bits 56 and 55, inside the destination MMSI; here they
//!   are read from the first bits of the application data, per the circular.
//! - 8/1/16 persons: gpsd reads bits at a type-6 offset and prints a field of
//!   the wrong union member; here persons are the first 13 data bits.
//! - Lists are not capped at gpsd's array sizes (3 tidal windows, 4 targets,
//!   16 waypoints, 28 cargos), where gpsd would overrun its buffers.
//! - 8/1/17 target ids are kept as the full 42-bit value (gpsd truncates
//!   to 32 bits).
//!
//! The JSON-level differences are listed in [`crate::gpsd::asm`].

pub mod imo;
pub mod inland;
pub mod regional;

use crate::bits::{BinaryData, BitReader};
use crate::text::AisText;

pub use imo::{
    Berthing, ClearanceTime, DangerousCargo236, DangerousCargo289, ExtendedShipStatic,
    FairwayClosed, MetHydro236, MetHydro289, PersonsOnBoard, RouteInfo, SignalStation,
    TextDescription, TidalWindow, VtsTargets,
};
pub use inland::{
    EmmaWarning, InlandEta, InlandPersons, InlandRta, InlandStatic, SignalStatus, WaterLevels,
};
pub use regional::AtonMonitoring;

/// One decoded application-specific message, keyed by message type and
/// DAC/FI (see the table in the [module docs](self)).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Asm {
    /// Type 6, DAC 1 FI 12: IMO236 dangerous cargo indication.
    DangerousCargo236(DangerousCargo236),
    /// Type 6, DAC 1 FI 14: IMO236 tidal window.
    TidalWindow236(TidalWindow),
    /// Types 6 and 8, DAC 1 FI 15: IMO236 extended ship static data.
    ExtendedShipStatic(ExtendedShipStatic),
    /// Types 6 and 8, DAC 1 FI 16: number of persons on board.
    PersonsOnBoard(PersonsOnBoard),
    /// Type 6, DAC 1 FI 18: IMO289 clearance time to enter port.
    ClearanceTime(ClearanceTime),
    /// Type 6, DAC 1 FI 20: IMO289 berthing data.
    Berthing(Berthing),
    /// Type 6, DAC 1 FI 25: IMO289 dangerous cargo indication.
    DangerousCargo289(DangerousCargo289),
    /// Type 6, DAC 1 FI 28: IMO289 route information, addressed.
    RouteInfoAddressed(RouteInfo),
    /// Type 6, DAC 1 FI 30: IMO289 text description, addressed.
    TextAddressed(TextDescription),
    /// Type 6, DAC 1 FI 32: IMO289 tidal window.
    TidalWindow289(TidalWindow),
    /// Type 6, DAC 200 FI 21: Inland ETA at lock/bridge/terminal.
    InlandEta(InlandEta),
    /// Type 6, DAC 200 FI 22: Inland RTA at lock/bridge/terminal.
    InlandRta(InlandRta),
    /// Type 6, DAC 200 FI 55: Inland number of persons on board.
    InlandPersons(InlandPersons),
    /// Type 6, DAC 235 or 250 FI 10: GLA AtoN monitoring data.
    AtonMonitoring(AtonMonitoring),
    /// Type 8, DAC 1 FI 11: IMO236 meteorological/hydrological data.
    MetHydro236(MetHydro236),
    /// Type 8, DAC 1 FI 13: IMO236 fairway closed.
    FairwayClosed(FairwayClosed),
    /// Type 8, DAC 1 FI 17: IMO289 VTS-generated/synthetic targets.
    VtsTargets(VtsTargets),
    /// Type 8, DAC 1 FI 19: IMO289 marine traffic signal.
    SignalStation(SignalStation),
    /// Type 8, DAC 1 FI 27: IMO289 route information, broadcast.
    RouteInfoBroadcast(RouteInfo),
    /// Type 8, DAC 1 FI 29: IMO289 text description, broadcast.
    TextBroadcast(TextDescription),
    /// Type 8, DAC 1 FI 31: IMO289 meteorological/hydrological data.
    MetHydro289(MetHydro289),
    /// Type 8, DAC 200 FI 10: Inland ship static and voyage related data.
    InlandStatic(InlandStatic),
    /// Type 8, DAC 200 FI 23: Inland EMMA weather warning.
    EmmaWarning(EmmaWarning),
    /// Type 8, DAC 200 FI 24: Inland water levels.
    WaterLevels(WaterLevels),
    /// Type 8, DAC 200 FI 40: Inland signal status.
    SignalStatus(SignalStatus),
}

/// Bits before the application data in a type 6 message (header, addressing
/// and the 16-bit DAC/FI).
pub const TYPE6_HEADER_BITS: usize = 88;
/// Bits before the application data in a type 8 message.
pub const TYPE8_HEADER_BITS: usize = 56;

/// Decodes the application data of a type 6 or type 8 message.
///
/// `data` holds the bits after the DAC/FI header. Returns `None` for any
/// other message type, for DAC/FI pairs gpsd does not decode, and where
/// gpsd's length or sanity rule rejects the payload (gpsd then prints the
/// raw data). Never panics; reads past the end of `data` yield zeros.
pub fn decode(msg_type: u8, dac: u16, fi: u8, data: &BinaryData) -> Option<Asm> {
    let payload = data.payload();
    let mut r = payload.reader();
    let len = data.len_bits();
    match (msg_type, dac, fi) {
        (6, 1, 12) => Some(Asm::DangerousCargo236(imo::dangerous_cargo_236(&mut r))),
        (6, 1, 14) => Some(Asm::TidalWindow236(imo::tidal_window(&mut r, len, true))),
        (6 | 8, 1, 15) => Some(Asm::ExtendedShipStatic(imo::extended_ship_static(&mut r))),
        (6, 1, 16) => Some(Asm::PersonsOnBoard(imo::persons_on_board(&mut r))),
        (8, 1, 16) if len == 136 || len == 72 => {
            Some(Asm::PersonsOnBoard(imo::persons_on_board(&mut r)))
        }
        (6, 1, 18) => Some(Asm::ClearanceTime(imo::clearance_time(&mut r))),
        (6, 1, 20) => Some(Asm::Berthing(imo::berthing(&mut r))),
        (6, 1, 25) => Some(Asm::DangerousCargo289(imo::dangerous_cargo_289(
            &mut r, len,
        ))),
        (6, 1, 28) => Some(Asm::RouteInfoAddressed(imo::route_info(&mut r))),
        (6, 1, 30) => Some(Asm::TextAddressed(imo::text_description(&mut r, len, 153))),
        (6, 1, 32) => Some(Asm::TidalWindow289(imo::tidal_window(&mut r, len, false))),
        (6, 200, 21) if len == 160 => Some(Asm::InlandEta(inland::eta(&mut r))),
        (6, 200, 22) if len == 144 => Some(Asm::InlandRta(inland::rta(&mut r))),
        (6, 200, 55) if len == 80 => Some(Asm::InlandPersons(inland::persons(&mut r))),
        (6, 235 | 250, 10) if len == 48 => {
            Some(Asm::AtonMonitoring(regional::aton_monitoring(&mut r)))
        }
        (8, 1, 11) => Some(Asm::MetHydro236(imo::met_hydro_236(&mut r))),
        (8, 1, 13) => Some(Asm::FairwayClosed(imo::fairway_closed(&mut r))),
        (8, 1, 17) => Some(Asm::VtsTargets(imo::vts_targets(&mut r, len))),
        (8, 1, 19) => Some(Asm::SignalStation(imo::signal_station(&mut r))),
        (8, 1, 27) => Some(Asm::RouteInfoBroadcast(imo::route_info(&mut r))),
        (8, 1, 29) => Some(Asm::TextBroadcast(imo::text_description(&mut r, len, 161))),
        (8, 1, 31) => Some(Asm::MetHydro289(imo::met_hydro_289(&mut r))),
        (8, 200, 10) if len == 112 => inland::ship_static(&mut r).map(Asm::InlandStatic),
        (8, 200, 23) if len == 200 => Some(Asm::EmmaWarning(inland::emma_warning(&mut r))),
        (8, 200, 24) if len == 112 => Some(Asm::WaterLevels(inland::water_levels(&mut r))),
        (8, 200, 40) if len == 112 => Some(Asm::SignalStatus(inland::signal_status(&mut r))),
        _ => None,
    }
}

/// Small helpers shared by the family decoders.
pub(crate) fn u8_(r: &mut BitReader<'_>, n: u32) -> u8 {
    r.u(n) as u8
}

pub(crate) fn u16_(r: &mut BitReader<'_>, n: u32) -> u16 {
    r.u(n) as u16
}

pub(crate) fn text<const N: usize>(r: &mut BitReader<'_>) -> AisText<N> {
    r.text::<N>(N)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data(bytes: &[u8], bits: usize) -> BinaryData {
        BinaryData::from_bytes(bytes, bits).unwrap()
    }

    #[test]
    fn length_rules_select_raw_output() {
        let d = data(&[0; 20], 48);
        assert!(matches!(
            decode(6, 235, 10, &d),
            Some(Asm::AtonMonitoring(_))
        ));
        assert!(matches!(
            decode(6, 250, 10, &d),
            Some(Asm::AtonMonitoring(_))
        ));
        assert_eq!(decode(8, 235, 10, &d), None);
        assert_eq!(decode(6, 235, 10, &data(&[0; 20], 49)), None);
        assert_eq!(decode(8, 200, 10, &data(&[0; 20], 113)), None);
        assert_eq!(decode(8, 1, 16, &data(&[0; 30], 240)), None);
        assert_eq!(decode(6, 1, 40, &data(&[0; 2], 16)), None);
        assert_eq!(decode(8, 366, 56, &data(&[0; 32], 256)), None);
    }

    #[test]
    fn inland_static_rejects_bad_hazard() {
        // hazard is data bits 85..88, the low three bits of byte 10.
        let mut bytes = [0u8; 14];
        bytes[10] = 0b0000_0110;
        assert_eq!(decode(8, 200, 10, &data(&bytes, 112)), None);
        bytes[10] = 0b0000_0101;
        assert!(decode(8, 200, 10, &data(&bytes, 112)).is_some());
    }

    #[test]
    fn never_panics_on_any_length() {
        let bytes = [0xffu8; 128];
        for bits in 0..=BinaryData::MAX_BITS {
            let d = data(&bytes, bits);
            for (t, dac, fi) in [
                (6, 1, 12),
                (6, 1, 14),
                (6, 1, 15),
                (6, 1, 16),
                (6, 1, 18),
                (6, 1, 20),
                (6, 1, 25),
                (6, 1, 28),
                (6, 1, 30),
                (6, 1, 32),
                (8, 1, 11),
                (8, 1, 13),
                (8, 1, 17),
                (8, 1, 19),
                (8, 1, 27),
                (8, 1, 29),
                (8, 1, 31),
                (6, 200, 21),
                (6, 200, 22),
                (6, 200, 55),
                (6, 235, 10),
                (8, 200, 10),
                (8, 200, 23),
                (8, 200, 24),
                (8, 200, 40),
                (8, 1, 16),
            ] {
                let _ = decode(t, dac, fi, &d);
            }
        }
    }
}
