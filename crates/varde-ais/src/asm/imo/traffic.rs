//! Traffic management: fairway closed (8/1/13), VTS targets (8/1/17), marine traffic signals (8/1/19).

use crate::asm::{text, u16_, u8_};
use crate::bits::BitReader;
use crate::text::AisText;

/// Type 8, DAC 1 FI 13: IMO236 fairway closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FairwayClosed {
    /// Reason for closing (20 characters).
    pub reason: AisText<20>,
    /// Location of closing, from (20 characters).
    pub close_from: AisText<20>,
    /// Location of closing, to (20 characters).
    pub close_to: AisText<20>,
    /// Radius extension (10001 = not available), in `extunit`s.
    pub radius: u16,
    /// Unit of extension (0 n/a, 1 km, 2 nautical miles, 3 nautical cables).
    pub extunit: u8,
    /// Closing from: day (UTC).
    pub from_day: u8,
    /// Closing from: month (UTC).
    pub from_month: u8,
    /// Closing from: hour (UTC).
    pub from_hour: u8,
    /// Closing from: minute (UTC).
    pub from_minute: u8,
    /// Closing to: day (UTC).
    pub to_day: u8,
    /// Closing to: month (UTC).
    pub to_month: u8,
    /// Closing to: hour (UTC).
    pub to_hour: u8,
    /// Closing to: minute (UTC).
    pub to_minute: u8,
}

/// Identifier of a [`VtsTarget`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetId {
    /// Type 0: MMSI (42-bit field).
    Mmsi(u64),
    /// Type 1: IMO number (42-bit field).
    Imo(u64),
    /// Type 2: call sign (7 characters).
    Callsign(AisText<7>),
    /// Type 3: other (7 characters).
    Other(AisText<7>),
}

/// One target of a [`VtsTargets`] message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VtsTarget {
    /// Target identifier.
    pub id: TargetId,
    /// Latitude, 1/1000 minute (24 bits).
    pub lat: i32,
    /// Longitude, 1/1000 minute (25 bits).
    pub lon: i32,
    /// Course over ground, degrees (360 = not available).
    pub course: u16,
    /// UTC second of the report (60 = not available).
    pub second: u8,
    /// Speed over ground, knots (255 = not available).
    pub speed: u16,
}

impl VtsTarget {
    /// The two-bit identifier type (0 MMSI, 1 IMO, 2 call sign, 3 other).
    pub fn idtype(&self) -> u8 {
        match self.id {
            TargetId::Mmsi(_) => 0,
            TargetId::Imo(_) => 1,
            TargetId::Callsign(_) => 2,
            TargetId::Other(_) => 3,
        }
    }
}

/// Type 8, DAC 1 FI 17: IMO289 VTS-generated/synthetic targets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VtsTargets {
    /// Targets: one per 122-bit element started at or before the end of the
    /// payload (gpsd's rule; a payload of exactly n elements yields an extra
    /// all-zero target).
    pub targets: Vec<VtsTarget>,
}

/// Type 8, DAC 1 FI 19: IMO289 marine traffic signal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SignalStation {
    /// Message linkage id.
    pub linkage: u16,
    /// Name of the signal station (20 characters).
    pub station: AisText<20>,
    /// Longitude, 1/1000 minute.
    pub lon: i32,
    /// Latitude, 1/1000 minute.
    pub lat: i32,
    /// Status of signal: 0 n/a, 1 in regular service, 2 irregular, 3 reserved.
    pub status: u8,
    /// Signal in service (IALA traffic signal code 1–14, 0 = n/a).
    pub signal: u8,
    /// Hour of next signal shift (UTC, 24 = n/a).
    pub hour: u8,
    /// Minute of next signal shift (UTC, 60 = n/a).
    pub minute: u8,
    /// Expected next signal (same codes as `signal`).
    pub next_signal: u8,
}

/// Identifier type names (`idtype_text`, also the id key) of 8/1/17.
pub const IDTYPE_TEXT: [&str; 4] = ["mmsi", "imo", "callsign", "other"];

/// Traffic signal legends (`signal_text`, `nextsignal_text` of 8/1/19).
pub const SIGNAL_TEXT: [&str; 15] = [
    "N/A",
    "Serious emergency – stop or divert according to instructions.",
    "Vessels shall not proceed.",
    "Vessels may proceed. One way traffic.",
    "Vessels may proceed. Two way traffic.",
    "Vessels shall proceed on specific orders only.",
    "Vessels in main channel shall not proceed.",
    "Vessels in main channel shall proceed on specific orders only.",
    "Vessels in main channel shall proceed on specific orders only.",
    "I = \"in-bound\" only acceptable.",
    "O = \"out-bound\" only acceptable.",
    "F = both \"in- and out-bound\" acceptable.",
    "XI = Code will shift to \"I\" in due time.",
    "XO = Code will shift to \"O\" in due time.",
    "X = Vessels shall proceed only on direction.",
];

pub(crate) fn fairway_closed(r: &mut BitReader<'_>) -> FairwayClosed {
    FairwayClosed {
        reason: text(r),
        close_from: text(r),
        close_to: text(r),
        radius: u16_(r, 10),
        extunit: u8_(r, 2),
        from_day: u8_(r, 5),
        from_month: u8_(r, 4),
        from_hour: u8_(r, 5),
        from_minute: u8_(r, 6),
        to_day: u8_(r, 5),
        to_month: u8_(r, 4),
        to_hour: u8_(r, 5),
        to_minute: u8_(r, 6),
    }
}

pub(crate) fn vts_targets(r: &mut BitReader<'_>, len: usize) -> VtsTargets {
    let mut targets = Vec::new();
    let mut at = 0;
    while at <= len {
        let idtype = r.u(2);
        let id = match idtype {
            0 | 1 => {
                let hi = u64::from(r.u(10));
                let v = (hi << 32) | u64::from(r.u(32));
                if idtype == 0 {
                    TargetId::Mmsi(v)
                } else {
                    TargetId::Imo(v)
                }
            }
            2 => TargetId::Callsign(text(r)),
            _ => TargetId::Other(text(r)),
        };
        r.skip(4);
        targets.push(VtsTarget {
            id,
            lat: r.i(24),
            lon: r.i(25),
            course: u16_(r, 9),
            second: u8_(r, 6),
            speed: u16_(r, 10),
        });
        at += 122;
    }
    VtsTargets { targets }
}

pub(crate) fn signal_station(r: &mut BitReader<'_>) -> SignalStation {
    SignalStation {
        linkage: u16_(r, 10),
        station: text(r),
        lon: r.i(25),
        lat: r.i(24),
        status: u8_(r, 2),
        signal: u8_(r, 5),
        hour: u8_(r, 5),
        minute: u8_(r, 6),
        next_signal: u8_(r, 5),
    }
}
