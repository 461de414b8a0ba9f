//! Port and voyage messages: tidal windows, extended static data, persons on board, clearance time and berthing.

use crate::asm::{text, u16_, u8_};
use crate::bits::BitReader;
use crate::text::AisText;

/// One window of a [`TidalWindow`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Tidal {
    /// Longitude: 1/10000 minute (28 bits) in 6/1/14, 1/1000 minute
    /// (25 bits) in 6/1/32.
    pub lon: i32,
    /// Latitude: 1/10000 minute (27 bits) in 6/1/14, 1/1000 minute
    /// (24 bits) in 6/1/32.
    pub lat: i32,
    /// Window opens: hour (UTC).
    pub from_hour: u8,
    /// Window opens: minute (UTC).
    pub from_min: u8,
    /// Window closes: hour (UTC).
    pub to_hour: u8,
    /// Window closes: minute (UTC).
    pub to_min: u8,
    /// Predicted current direction, degrees (360 = not available).
    pub cdir: u16,
    /// Predicted current speed, 0.1 knot (7 bits in 6/1/14, 8 in 6/1/32).
    pub cspeed: u8,
}

/// Types 6 DAC 1 FI 14 (IMO236) and FI 32 (IMO289): tidal window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TidalWindow {
    /// Month (UTC, 0 = not available).
    pub month: u8,
    /// Day (UTC, 0 = not available).
    pub day: u8,
    /// The windows: one per element started within the payload (gpsd's
    /// rule; a window cut short reads its missing bits as zeros).
    pub tidals: Vec<Tidal>,
}

/// Types 6 and 8, DAC 1 FI 15: IMO236 extended ship static and voyage data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExtendedShipStatic {
    /// Air draught, metres (0 = not available).
    pub air_draught: u16,
}

/// Types 6 and 8, DAC 1 FI 16: number of persons on board.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PersonsOnBoard {
    /// Persons on board (0 = not available, 8191 = 8191 or more).
    pub persons: u16,
}

/// Type 6, DAC 1 FI 18: IMO289 clearance time to enter port.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClearanceTime {
    /// Message linkage id.
    pub linkage: u16,
    /// Clearance month (UTC, 0 = not available).
    pub month: u8,
    /// Clearance day (UTC, 0 = not available).
    pub day: u8,
    /// Clearance hour (UTC, 24 = not available).
    pub hour: u8,
    /// Clearance minute (UTC, 60 = not available).
    pub minute: u8,
    /// Name of port and berth (20 characters).
    pub port_name: AisText<20>,
    /// Destination, UN/LOCODE (5 characters).
    pub destination: AisText<5>,
    /// Position, longitude in 1/1000 minute (181000 = not available).
    pub lon: i32,
    /// Position, latitude in 1/1000 minute (91000 = not available).
    pub lat: i32,
}

/// Names of the 26 two-bit service fields of [`Berthing`], in transmission
/// order (and gpsd's JSON keys).
pub const BERTH_SERVICES: [&str; 26] = [
    "agent",
    "fuel",
    "chandler",
    "stevedore",
    "electrical",
    "water",
    "customs",
    "cartage",
    "crane",
    "lift",
    "medical",
    "navrepair",
    "provisions",
    "shiprepair",
    "surveyor",
    "steam",
    "tugs",
    "solidwaste",
    "liquidwaste",
    "hazardouswaste",
    "ballast",
    "additional",
    "regional1",
    "regional2",
    "future1",
    "future2",
];

/// Type 6, DAC 1 FI 20: IMO289 berthing data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Berthing {
    /// Message linkage id.
    pub linkage: u16,
    /// Berth length, metres (0 = not available).
    pub berth_length: u16,
    /// Water depth at berth, 0.1 m (0 = not available).
    pub berth_depth: u8,
    /// Mooring position: 0 n/a, 1 port-side to, 2 starboard-side to,
    /// 3 Mediterranean mooring, 4 mooring buoy, 5 anchorage.
    pub position: u8,
    /// Berthing month (UTC, 0 = not available).
    pub month: u8,
    /// Berthing day (UTC, 0 = not available).
    pub day: u8,
    /// Berthing hour (UTC, 24 = not available).
    pub hour: u8,
    /// Berthing minute (UTC, 60 = not available).
    pub minute: u8,
    /// Services availability flag (1 = the service fields are valid).
    pub availability: bool,
    /// Service status codes (0 n/a, 1 available, 2 not available,
    /// 3 reserved), named by [`BERTH_SERVICES`].
    pub services: [u8; 26],
    /// Name of berth (20 characters).
    pub berth_name: AisText<20>,
    /// Berth position, longitude in 1/1000 minute.
    pub berth_lon: i32,
    /// Berth position, latitude in 1/1000 minute.
    pub berth_lat: i32,
}

/// Mooring position legends (`position_text` of 6/1/20).
pub const POSITION_TEXT: [&str; 8] = [
    "Not available",
    "Port-side to",
    "Starboard-side to",
    "Mediterranean (end-on) mooring",
    "Mooring buoy",
    "Anchorage",
    "Reserved for future use",
    "Reserved for future use",
];

/// Tidal windows: 9 bits of month/day, then elements of 93 bits (IMO236,
/// lat before lon) or 88 bits (IMO289); an element is read whenever it
/// starts at or before the end of the data, as gpsd does.
pub(crate) fn tidal_window(r: &mut BitReader<'_>, len: usize, imo236: bool) -> TidalWindow {
    let month = u8_(r, 4);
    let day = u8_(r, 5);
    let size = if imo236 { 93 } else { 88 };
    let mut tidals = Vec::new();
    let mut at = 9;
    while at <= len {
        let (lon, lat) = if imo236 {
            let lat = r.i(27);
            (r.i(28), lat)
        } else {
            let lon = r.i(25);
            (lon, r.i(24))
        };
        tidals.push(Tidal {
            lon,
            lat,
            from_hour: u8_(r, 5),
            from_min: u8_(r, 6),
            to_hour: u8_(r, 5),
            to_min: u8_(r, 6),
            cdir: u16_(r, 9),
            cspeed: u8_(r, if imo236 { 7 } else { 8 }),
        });
        at += size;
    }
    TidalWindow { month, day, tidals }
}

pub(crate) fn extended_ship_static(r: &mut BitReader<'_>) -> ExtendedShipStatic {
    ExtendedShipStatic {
        air_draught: u16_(r, 11),
    }
}

pub(crate) fn persons_on_board(r: &mut BitReader<'_>) -> PersonsOnBoard {
    PersonsOnBoard {
        persons: u16_(r, 13),
    }
}

pub(crate) fn clearance_time(r: &mut BitReader<'_>) -> ClearanceTime {
    ClearanceTime {
        linkage: u16_(r, 10),
        month: u8_(r, 4),
        day: u8_(r, 5),
        hour: u8_(r, 5),
        minute: u8_(r, 6),
        port_name: text(r),
        destination: text(r),
        lon: r.i(25),
        lat: r.i(24),
    }
}

pub(crate) fn berthing(r: &mut BitReader<'_>) -> Berthing {
    let linkage = u16_(r, 10);
    let berth_length = u16_(r, 9);
    let berth_depth = u8_(r, 8);
    let position = u8_(r, 3);
    let month = u8_(r, 4);
    let day = u8_(r, 5);
    let hour = u8_(r, 5);
    let minute = u8_(r, 6);
    let availability = r.flag();
    let mut services = [0u8; 26];
    for s in &mut services {
        *s = u8_(r, 2);
    }
    Berthing {
        linkage,
        berth_length,
        berth_depth,
        position,
        month,
        day,
        hour,
        minute,
        availability,
        services,
        berth_name: text(r),
        berth_lon: r.i(25),
        berth_lat: r.i(24),
    }
}
