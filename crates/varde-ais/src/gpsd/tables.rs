//! gpsd's legends for coded AIS fields (`status_text`, `epfd_text`, …).
//!
//! Texts follow the gpsd release that produced the test corpus
//! (`shared/data/ais/gpsd/*.chk`), which differs from Debian's 3.22 in a
//! few entries ("Restricted maneuverability", "Reserved (14)", "Internal
//! GNSS"). Entries that the corpus does not show are best guesses from the
//! ITU-R M.1371 wording; they are marked below.

/// Navigational status legends, indexed by the 4-bit status.
const NAV_STATUS: [&str; 16] = [
    "Under way using engine",
    "At anchor",
    "Not under command",
    "Restricted maneuverability",
    "Constrained by her draught",
    "Moored",
    "Aground",
    "Engaged in fishing",
    "Under way sailing",
    "Reserved for HSC",
    "Reserved for WIG",
    // 11, 13, 14: not in the corpus.
    "Power-driven vessel towing astern",
    "Power-driven vessel pushing ahead or towing alongside",
    "Reserved",
    "AIS-SART is active",
    "Not defined",
];

/// `status_text` for a navigational status.
pub fn nav_status(status: u8) -> &'static str {
    NAV_STATUS[usize::from(status & 15)]
}

/// `epfd_text` for a position-fixing device code.
pub fn epfd(epfd: u8) -> &'static str {
    match epfd {
        0 => "Undefined",
        1 => "GPS",
        2 => "GLONASS",
        3 => "Combined GPS/GLONASS",
        4 => "Loran-C",
        5 => "Chayka",
        6 => "Integrated navigation system",
        7 => "Surveyed",
        8 => "Galileo",
        9 => "Reserved (9)",
        10 => "Reserved (10)",
        11 => "Reserved (11)",
        12 => "Reserved (12)",
        13 => "Reserved (13)",
        14 => "Reserved (14)",
        15 => "Internal GNSS",
        _ => "INVALID EPFD",
    }
}

/// The ten legends of a ship-type decade (x0 … x9).
macro_rules! decade {
    ($k:literal, $last:literal) => {
        [
            concat!($k, " - all ships of this type"),
            concat!($k, " - Hazardous category A"),
            concat!($k, " - Hazardous category B"),
            concat!($k, " - Hazardous category C"),
            concat!($k, " - Hazardous category D"),
            concat!($k, " - Reserved for future use"),
            concat!($k, " - Reserved for future use"),
            concat!($k, " - Reserved for future use"),
            concat!($k, " - Reserved for future use"),
            concat!($k, $last),
        ]
    };
}

const WIG: [&str; 10] = decade!("Wing in ground (WIG)", " - Reserved for future use");
const HSC: [&str; 10] = decade!("High speed craft (HSC)", " - No additional information");
const PASSENGER: [&str; 10] = decade!("Passenger", " - No additional information");
const CARGO: [&str; 10] = decade!("Cargo", " - No additional information");
const TANKER: [&str; 10] = decade!("Tanker", " - No additional information");
const OTHER: [&str; 10] = decade!("Other Type", " - no additional information");

/// `shiptype_text` for a ship-and-cargo type (ITU-R M.1371 table 53).
pub fn ship_type(t: u8) -> &'static str {
    let digit = usize::from(t % 10);
    match t {
        0 => "Not available",
        1..=19 => "Reserved for future use",
        20..=29 => WIG[digit],
        30 => "Fishing",
        31 => "Towing",
        32 => "Towing: length exceeds 200m or breadth exceeds 25m",
        33 => "Dredging or underwater ops",
        34 => "Diving ops",
        35 => "Military ops",
        36 => "Sailing",
        37 => "Pleasure Craft",
        38 | 39 => "Reserved",
        40..=49 => HSC[digit],
        50 => "Pilot Vessel",
        51 => "Search and Rescue vessel",
        52 => "Tug",
        53 => "Port Tender",
        54 => "Anti-pollution equipment",
        55 => "Law Enforcement",
        56 | 57 => "Spare - Local Vessel",
        58 => "Medical Transport",
        59 => "Ship according to RR Resolution No. 18",
        60..=69 => PASSENGER[digit],
        70..=79 => CARGO[digit],
        80..=89 => TANKER[digit],
        90..=99 => OTHER[digit],
        // Not in the corpus for 8-bit types; the corpus shows this text for
        // out-of-table inland (ERI) codes.
        _ => "Illegal ship type value.",
    }
}

/// Aid-to-navigation type legends (type 21), indexed by the 5-bit type.
const NAVAID: [&str; 32] = [
    "Unspecified",
    "Reference point",
    "RACON",
    "Fixed offshore structure",
    "Spare, Reserved for future use.",
    "Light, without sectors",
    "Light, with sectors",
    "Leading Light Front",
    "Leading Light Rear",
    "Beacon, Cardinal N",
    "Beacon, Cardinal E",
    "Beacon, Cardinal S",
    "Beacon, Cardinal W",
    "Beacon, Port hand",
    "Beacon, Starboard hand",
    "Beacon, Preferred Channel port hand",
    "Beacon, Preferred Channel starboard hand",
    "Beacon, Isolated danger",
    "Beacon, Safe water",
    "Beacon, Special mark",
    "Cardinal Mark N",
    "Cardinal Mark E",
    "Cardinal Mark S",
    "Cardinal Mark W",
    "Port hand Mark",
    "Starboard hand Mark",
    "Preferred Channel Port hand",
    "Preferred Channel Starboard hand",
    "Isolated danger",
    "Safe Water",
    "Special Mark",
    "Light Vessel / LANBY / Rigs",
];

/// `aid_type_text` for an aid-to-navigation type.
pub fn navaid(t: u8) -> &'static str {
    NAVAID[usize::from(t & 31)]
}

/// `stationtype_text` for a type 23 station type.
pub fn station_type(t: u8) -> &'static str {
    match t {
        0 => "All types of mobiles",
        2 => "All types of Class B mobile stations",
        3 => "SAR airborne mobile station",
        4 => "Aid to Navigation station",
        5 => "Class B shipborne mobile station",
        6..=9 => "Regional use and inland waterways",
        _ => "Reserved for future use",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ship_type_decades() {
        assert_eq!(ship_type(70), "Cargo - all ships of this type");
        assert_eq!(ship_type(69), "Passenger - No additional information");
        assert_eq!(ship_type(99), "Other Type - no additional information");
        assert_eq!(
            ship_type(29),
            "Wing in ground (WIG) - Reserved for future use"
        );
        assert_eq!(ship_type(37), "Pleasure Craft");
    }
}
