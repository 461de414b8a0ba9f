//! Dangerous cargo indications (IMO236 6/1/12, IMO289 6/1/25).

use crate::asm::{text, u16_, u8_};
use crate::bits::BitReader;
use crate::text::AisText;

/// Type 6, DAC 1 FI 12: IMO236 dangerous cargo indication.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DangerousCargo236 {
    /// Last port of call, UN/LOCODE (5 characters).
    pub last_port: AisText<5>,
    /// Departure month (UTC, 0 = not available).
    pub last_month: u8,
    /// Departure day (UTC, 0 = not available).
    pub last_day: u8,
    /// Departure hour (UTC, 24 = not available).
    pub last_hour: u8,
    /// Departure minute (UTC, 60 = not available).
    pub last_minute: u8,
    /// Next port of call, UN/LOCODE (5 characters).
    pub next_port: AisText<5>,
    /// ETA month (UTC, 0 = not available).
    pub next_month: u8,
    /// ETA day (UTC, 0 = not available).
    pub next_day: u8,
    /// ETA hour (UTC, 24 = not available).
    pub next_hour: u8,
    /// ETA minute (UTC, 60 = not available).
    pub next_minute: u8,
    /// Main dangerous good (20 characters).
    pub dangerous: AisText<20>,
    /// IMD category (4 characters).
    pub imd_category: AisText<4>,
    /// UN number (0 = not available).
    pub un_number: u16,
    /// Amount of cargo (in `unit`s).
    pub amount: u16,
    /// Unit of quantity: 0 n/a, 1 m³, 2 tonnes, 3 kg... (code as sent).
    pub unit: u8,
}

/// One cargo of a [`DangerousCargo289`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cargo {
    /// Cargo code (IMDG class / BC / MARPOL code family).
    pub code: u8,
    /// Cargo subtype (13 bits, meaning depends on `code`).
    pub subtype: u16,
}

/// Type 6, DAC 1 FI 25: IMO289 dangerous cargo indication.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DangerousCargo289 {
    /// Unit of quantity (0 n/a, 1 kg, 2 tonnes, 3 thousand tonnes).
    pub unit: u8,
    /// Amount of cargo, in `unit`s.
    pub amount: u16,
    /// Cargos: one per element started within the payload (gpsd's rule).
    pub cargos: Vec<Cargo>,
}

pub(crate) fn dangerous_cargo_236(r: &mut BitReader<'_>) -> DangerousCargo236 {
    DangerousCargo236 {
        last_port: text(r),
        last_month: u8_(r, 4),
        last_day: u8_(r, 5),
        last_hour: u8_(r, 5),
        last_minute: u8_(r, 6),
        next_port: text(r),
        next_month: u8_(r, 4),
        next_day: u8_(r, 5),
        next_hour: u8_(r, 5),
        next_minute: u8_(r, 6),
        dangerous: text(r),
        imd_category: text(r),
        un_number: u16_(r, 13),
        amount: u16_(r, 10),
        unit: u8_(r, 2),
    }
}

/// Cargos of 17 bits after 12 bits of unit/amount, one per element that
/// starts strictly before the end of the data (gpsd's rule).
pub(crate) fn dangerous_cargo_289(r: &mut BitReader<'_>, len: usize) -> DangerousCargo289 {
    let unit = u8_(r, 2);
    let amount = u16_(r, 10);
    let mut cargos = Vec::new();
    let mut at = 12;
    while at < len {
        cargos.push(Cargo {
            code: u8_(r, 4),
            subtype: u16_(r, 13),
        });
        at += 17;
    }
    DangerousCargo289 {
        unit,
        amount,
        cargos,
    }
}
