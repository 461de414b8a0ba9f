//! Flag state from an MMSI: the ITU Maritime Identification Digits (MID) table, MID → ISO 3166-1 alpha-2.
//!
//! Source: ITU-R M.585 and the ITU MID table. Territories with their own MID carry their own ISO code
//! (e.g. 231 Faroe Islands `FO`, 331 Greenland `GL`); the Azores (204) and Madeira (255) map to `PT`;
//! 306 (Curaçao, Sint Maarten, Bonaire) maps to `CW`; French southern territories map to `TF`.

/// Every assigned MID as 5-byte records `MMMCC`, sorted by MID, for binary search.
const TABLE: &str = concat!(
    "201AL202AD203AT204PT205BE206BY207BG208VA209CY210CY211DE212CY213GE214MD215MT216AM218DE219DK220DK",
    "224ES225ES226FR227FR228FR229MT230FI231FO232GB233GB234GB235GB236GI237GR238HR239GR240GR241GR242MA",
    "243HU244NL245NL246NL247IT248MT249MT250IE251IS252LI253LU254MC255PT256MT257NO258NO259NO261PL262ME",
    "263PT264RO265SE266SE267SK268SM269CH270CZ271TR272UA273RU274MK275LV276EE277LT278SI279RS",
    "301AI303US304AG305AG306CW307AW308BS309BS310BM311BS312BZ314BB316CA319KY321CR323CU325DM327DO329GP",
    "330GD331GL332GT334HN336HT338US339JM341KN343LC345MX347MQ348MS350NI351PA352PA353PA354PA355PA356PA",
    "357PA358PR359SV361PM362TT364TC366US367US368US369US370PA371PA372PA373PA374PA375VC376VC377VC378VG",
    "379VI",
    "401AF403SA405BD408BH410BT412CN413CN414CN416TW417LK419IN422IR423AZ425IQ428IL431JP432JP434TM436KZ",
    "437UZ438JO440KR441KR443PS445KP447KW450LB451KG453MO455MV457MN459NP461OM463PK466QA468SY470AE471AE",
    "472TJ473YE475YE477HK478BA",
    "501TF503AU506MM508BN510FM511PW512NZ514KH515KH516CX518CK520FJ523CC525ID529KI531LA533MY536MP538MH",
    "540NC542NU544NR546PF548PH550TL553PG555PN557SB559AS561WS563SG564SG565SG566SG567TH570TO572TV574VN",
    "576VU577VU578WF",
    "601ZA603AO605DZ607TF608SH609BI610BJ611BW612CF613CM615CG616KM617CV618TF619CI620KM621DJ622EG624ET",
    "625ER626GA627GH629GM630GW631GQ632GN633BF634KE635TF636LR637LR638SS642LY644LS645MU647MG649ML650MZ",
    "654MR655MW656NE657NG659NA660RE661RW662SD663SN664SC665SH666SO667SL668ST669SZ670TD671TG672TN674TZ",
    "675UG676CD677TZ678ZM679ZW",
    "701AR710BR720BO725CL730CO735EC740FK745GF750GY755PY760PE765SR770UY775VE",
);

/// Record width in [`TABLE`].
const REC: usize = 5;

/// The ISO 3166-1 alpha-2 code of a MID, or `None` if the MID is not assigned.
pub fn country_of_mid(mid: u16) -> Option<&'static str> {
    let n = TABLE.len() / REC;
    // The three ASCII digits by hand: `str::parse` at each step of the search cost ~1,200
    // instructions a lookup, and the live service asks for every changed vessel's flag.
    let t = TABLE.as_bytes();
    let digit = |b: u8| u16::from(b.wrapping_sub(b'0'));
    let key = |i: usize| -> u16 {
        digit(t[i * REC]) * 100 + digit(t[i * REC + 1]) * 10 + digit(t[i * REC + 2])
    };
    let (mut lo, mut hi) = (0, n);
    while lo < hi {
        let mid_i = (lo + hi) / 2;
        match key(mid_i).cmp(&mid) {
            std::cmp::Ordering::Less => lo = mid_i + 1,
            std::cmp::Ordering::Greater => hi = mid_i,
            std::cmp::Ordering::Equal => return Some(&TABLE[mid_i * REC + 3..mid_i * REC + 5]),
        }
    }
    None
}

/// The table's own copy of an ISO alpha-2 flag code (for state read back from a snapshot).
pub fn intern_flag(code: &str) -> Option<&'static str> {
    (0..TABLE.len() / REC)
        .map(|i| &TABLE[i * REC + 3..i * REC + 5])
        .find(|c| *c == code)
}

/// The MID embedded in an MMSI, by the ITU-R M.585 number formats: ships `MIDxxxxxx`, group `0MIDxxxxx`,
/// coast stations `00MIDxxxx`, SAR aircraft `111MIDxxx`, craft associated with a parent ship `98MIDxxxx`,
/// aids to navigation `99MIDxxxx`, handheld VHF `8MIDxxxxx`. `None` for SART/MOB/EPIRB (`97x`) and others.
pub fn mid_of(mmsi: u32) -> Option<u16> {
    if mmsi >= 1_000_000_000 {
        return None;
    }
    let d = |n: u32| (mmsi / n % 1000) as u16;
    match mmsi {
        200_000_000..=799_999_999 => Some(d(1_000_000)),
        111_000_000..=111_999_999 => Some(d(1000)),
        800_000_000..=899_999_999 => Some(d(100_000)),
        980_000_000..=999_999_999 => Some(d(10_000)),
        1_000_000..=9_999_999 => Some(d(10_000)),
        10_000_000..=99_999_999 => Some(d(100_000)),
        _ => None,
    }
}

/// The flag (ISO alpha-2) of an MMSI, when its MID is assigned.
pub fn flag_of(mmsi: u32) -> Option<&'static str> {
    mid_of(mmsi).and_then(country_of_mid)
}

/// Whether an MMSI is a ship station number (`MIDxxxxxx`, first digit 2–7).
pub fn is_ship_mmsi(mmsi: u32) -> bool {
    (200_000_000..=799_999_999).contains(&mmsi)
}

/// What an MMSI's number format says the station is (ITU-R M.585 Annexes 1 and 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MmsiFormat {
    /// Ship station `MIDxxxxxx` (first digit 2–7).
    Ship,
    /// Group call `0MIDxxxxx`.
    Group,
    /// Coast or base station `00MIDxxxx`.
    Coast,
    /// Search-and-rescue aircraft `111MIDxxx`.
    SarAircraft,
    /// Handheld VHF with DSC and GNSS `8MIDxxxxx`.
    Handheld,
    /// AIS-SART `970xxxxxx`, man overboard `972xxxxxx`, EPIRB-AIS `974xxxxxx`.
    Emergency,
    /// Autonomous maritime radio device, group B `979xxxxxx` (M.585-8: e.g. fishing-net buoys).
    Autonomous,
    /// Craft associated with a parent ship `98MIDxxxx` (tenders, lifeboats, daughter craft).
    Craft,
    /// Aid to navigation `99MIDxxxx`.
    AidToNavigation,
    /// No ITU format: below 2 000 000, `01…`/`08…`/`09…`, `1…` other than `111`, `9…` other than the
    /// above, or ten digits (the 30-bit field holds up to 1 073 741 823).
    Invalid,
}

/// The number format of an MMSI.
pub fn mmsi_format(mmsi: u32) -> MmsiFormat {
    use MmsiFormat::*;
    match mmsi {
        200_000_000..=799_999_999 => Ship,
        20_000_000..=79_999_999 => Group,
        2_000_000..=7_999_999 => Coast,
        111_000_000..=111_999_999 => SarAircraft,
        800_000_000..=899_999_999 => Handheld,
        970_000_000..=970_999_999 | 972_000_000..=972_999_999 | 974_000_000..=974_999_999 => {
            Emergency
        }
        979_000_000..=979_999_999 => Autonomous,
        980_000_000..=989_999_999 => Craft,
        990_000_000..=999_999_999 => AidToNavigation,
        _ => Invalid,
    }
}

/// Whether an MMSI is a placeholder that transponders are shipped or misconfigured with, rather than
/// an assigned number: one digit repeated (`000000000`, `111111111`, … `999999999`), ascending or
/// descending runs (`123456789`, `012345678`, `987654321`), the factory default `1193046` (0x123456),
/// a ship MID followed by six zeros (`257000000`), and bit patterns of the 30-bit field: three bits or
/// fewer set (`0x2A000000` = 704643072, heard on the Danish network) or clear, alternating
/// `0101…`/`1010…`. Numbers below 10 count too (`000000000`–`000000009`). An assigned 9-digit number
/// has about 15 of its 30 bits set; one with three or fewer is a one-in-a-million chance.
pub fn is_placeholder(mmsi: u32) -> bool {
    if mmsi < 10 || mmsi == 1_193_046 {
        return true;
    }
    let digits = {
        let mut d = [0u8; 9];
        let mut n = mmsi;
        for slot in d.iter_mut().rev() {
            *slot = (n % 10) as u8;
            n /= 10;
        }
        d
    };
    let same = digits.iter().all(|&d| d == digits[0]);
    let up = digits.windows(2).all(|w| w[1] == w[0] + 1);
    let down = digits.windows(2).all(|w| w[0] == w[1] + 1);
    let mid_then_zeros = is_ship_mmsi(mmsi) && mmsi % 1_000_000 == 0;
    let bits =
        mmsi > 0xFFFF && (mmsi.count_ones() <= 3 || (mmsi & 0x3FFF_FFFF).count_zeros() - 2 <= 3);
    let alternating = [
        0x1555_5555u32,
        0x2AAA_AAAA,
        0x0555_5555,
        0x0AAA_AAAA,
        0x0155_5555,
    ]
    .contains(&mmsi);
    (mmsi < 1_000_000_000 && (same || up || down)) || mid_then_zeros || bits || alternating
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_and_well_formed() {
        assert_eq!(TABLE.len() % REC, 0);
        let mids: Vec<u16> = TABLE
            .as_bytes()
            .chunks(REC)
            .map(|r| std::str::from_utf8(&r[..3]).unwrap().parse().unwrap())
            .collect();
        assert!(
            mids.windows(2).all(|w| w[0] < w[1]),
            "table must be strictly sorted"
        );
        assert!(TABLE
            .as_bytes()
            .chunks(REC)
            .all(|r| r[3].is_ascii_uppercase() && r[4].is_ascii_uppercase()));
        assert!(mids.len() > 280, "{}", mids.len());
    }

    #[test]
    fn known_flags() {
        for (mmsi, flag) in [
            (257_123_000, "NO"),
            (259_000_001, "NO"),
            (273_345_000, "RU"),
            (518_998_000, "CK"),
        ] {
            assert_eq!(flag_of(mmsi), Some(flag), "{mmsi}");
        }
        assert_eq!(flag_of(414_270_000), Some("CN"));
        assert_eq!(flag_of(2_570_100), Some("NO"), "coast station 00MIDxxxx");
        assert_eq!(flag_of(111_257_001), Some("NO"), "SAR aircraft");
        assert_eq!(flag_of(992_576_001), Some("NO"), "AtoN");
        assert_eq!(flag_of(217_000_000), None, "unassigned MID");
        assert_eq!(flag_of(970_000_001), None, "SART");
    }

    #[test]
    fn formats() {
        use MmsiFormat::*;
        for (mmsi, f) in [
            (257_123_000, Ship),
            (25_712_300, Group),
            (2_570_100, Coast),
            (111_257_001, SarAircraft),
            (825_712_345, Handheld),
            (970_012_345, Emergency),
            (979_012_345, Autonomous),
            (982_571_234, Craft),
            (992_576_001, AidToNavigation),
            (1_999_999, Invalid),
            (123_456_789, Invalid),
            (950_000_000, Invalid),
            (1_073_741_823, Invalid),
        ] {
            assert_eq!(mmsi_format(mmsi), f, "{mmsi}");
        }
    }

    #[test]
    fn placeholders_and_real_numbers() {
        for m in [
            0,
            7,
            111_111_111,
            222_222_222,
            999_999_999,
            123_456_789,
            12_345_678,
            987_654_321,
            1_193_046,
            257_000_000,
            0x0FFF_FFFF,
            0x3FFF_FFFF,
            0x1000_0000,
            0x1555_5555,
            704_643_072,
        ] {
            assert!(is_placeholder(m), "{m}");
        }
        for m in [
            257_123_000,
            219_002_345,
            273_345_000,
            2_570_100,
            992_576_001,
            10,
        ] {
            assert!(!is_placeholder(m), "{m}");
        }
    }
}
