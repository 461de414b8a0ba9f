//! A vessel's record as the view keeps it: the numbers in fixed fields with a presence mask (no
//! `Option` padding), the four texts in one allocation. 72 bytes plus the texts, where a
//! [`VesselRecord`] behind an `Arc` with four `String`s held about 400: the position as `f64`, the
//! speed, course, heading and dimensions as the `f32` they are in the engine and in AIS.

use varde_store::VesselRecord;

/// Presence bit of each number ([`Compact::pos`]: latitude and longitude; [`Compact::nums`] from
/// [`SOG`] on, at index `i - SOG`).
const LAT: usize = 0;
const LON: usize = 1;
const SOG: usize = 2;
const COG: usize = 3;
const HEADING: usize = 4;
const LENGTH: usize = 5;
const BEAM: usize = 6;
const DRAUGHT: usize = 7;
/// Presence bits after the eight numbers' own.
const HAS_IMO: u16 = 1 << 8;
const HAS_SHIP_TYPE: u16 = 1 << 9;
const HAS_NAV_STATUS: u16 = 1 << 10;
const HAS_ETA: u16 = 1 << 11;

/// The texts, in their order in [`Compact::text`].
const NAME: usize = 0;
const CALLSIGN: usize = 1;
const FLAG: usize = 2;
const DESTINATION: usize = 3;
const TEXTS: usize = 4;
/// The header of [`Compact::text`]: one little-endian `u16` length per text.
const HEADER: usize = 2 * TEXTS;
/// The length that says "no such text".
const ABSENT: u16 = u16::MAX;

/// One vessel's record, compact; converts to and from [`VesselRecord`] without loss of what the
/// engine puts in one (a text longer than 65,534 bytes is cut at a character boundary, AIS texts
/// being at most 20 characters; speed, course, heading, length, beam and draught are kept as `f32`,
/// which they are in the engine: a value that is not an `f32` comes back rounded to one).
#[derive(Debug, Clone, PartialEq)]
pub struct Compact {
    /// Event time of the latest report, unix ms.
    pub last_seen_ms: i64,
    /// Latitude and longitude; meaningful where the matching bit of `has` is set.
    pos: [f64; 2],
    /// Speed, course, heading, length, beam, draught (see the index constants); meaningful where
    /// the matching bit of `has` is set.
    nums: [f32; 6],
    /// The MMSI.
    pub mmsi: u32,
    imo: u32,
    /// ETA, whole minutes since the epoch (AIS gives no seconds).
    eta_min: u32,
    ship_type: u8,
    nav_status: u8,
    /// Bit `i < 8`: number `i` is present; then [`HAS_IMO`], [`HAS_SHIP_TYPE`], [`HAS_NAV_STATUS`],
    /// [`HAS_ETA`].
    has: u16,
    /// Name, call sign, flag and destination: a header of four `u16` lengths ([`ABSENT`]: none),
    /// then their bytes in that order. `None` when all four are absent.
    text: Option<Box<[u8]>>,
}

impl Compact {
    /// The compact form of `r`.
    pub fn new(r: &VesselRecord) -> Self {
        let mut pos = [0.0; 2];
        let mut nums = [0.0; 6];
        let mut has = 0u16;
        let values = [
            r.lat,
            r.lon,
            r.sog_kn,
            r.cog_deg,
            r.heading_deg,
            r.length_m,
            r.beam_m,
            r.draught_m,
        ];
        for (i, v) in values.into_iter().enumerate() {
            if let Some(v) = v {
                if i < SOG {
                    pos[i] = v;
                } else {
                    nums[i - SOG] = v as f32;
                }
                has |= 1 << i;
            }
        }
        has |= if r.imo.is_some() { HAS_IMO } else { 0 };
        has |= if r.ship_type.is_some() {
            HAS_SHIP_TYPE
        } else {
            0
        };
        has |= if r.nav_status.is_some() {
            HAS_NAV_STATUS
        } else {
            0
        };
        // An ETA off the minute or outside u32 minutes (not from AIS) is not kept.
        let eta_min = r
            .eta_ms
            .filter(|ms| ms % 60_000 == 0)
            .and_then(|ms| u32::try_from(ms / 60_000).ok());
        has |= if eta_min.is_some() { HAS_ETA } else { 0 };
        Self {
            last_seen_ms: r.last_seen_ms,
            pos,
            nums,
            mmsi: r.mmsi,
            imo: r.imo.unwrap_or(0),
            eta_min: eta_min.unwrap_or(0),
            ship_type: r.ship_type.unwrap_or(0),
            nav_status: r.nav_status.unwrap_or(0),
            has,
            text: pack([
                r.name.as_deref(),
                r.callsign.as_deref(),
                r.flag.as_deref(),
                r.destination.as_deref(),
            ]),
        }
    }

    /// The full record.
    pub fn record(&self) -> VesselRecord {
        let own = |i: usize| self.text(i).map(str::to_owned);
        VesselRecord {
            mmsi: self.mmsi,
            name: own(NAME),
            callsign: own(CALLSIGN),
            imo: self.imo(),
            ship_type: self.ship_type(),
            flag: own(FLAG),
            length_m: self.num(LENGTH),
            beam_m: self.num(BEAM),
            draught_m: self.num(DRAUGHT),
            destination: own(DESTINATION),
            eta_ms: self.eta_ms(),
            lat: self.lat(),
            lon: self.lon(),
            sog_kn: self.num(SOG),
            cog_deg: self.num(COG),
            heading_deg: self.num(HEADING),
            nav_status: self.nav_status(),
            last_seen_ms: self.last_seen_ms,
        }
    }

    fn num(&self, i: usize) -> Option<f64> {
        (self.has & (1 << i) != 0).then(|| match i {
            LAT | LON => self.pos[i],
            _ => f64::from(self.nums[i - SOG]),
        })
    }

    /// Latitude, degrees.
    pub fn lat(&self) -> Option<f64> {
        self.num(LAT)
    }

    /// Longitude, degrees.
    pub fn lon(&self) -> Option<f64> {
        self.num(LON)
    }

    /// Speed over ground, knots.
    pub fn sog_kn(&self) -> Option<f64> {
        self.num(SOG)
    }

    /// Course over ground, degrees.
    pub fn cog_deg(&self) -> Option<f64> {
        self.num(COG)
    }

    /// True heading, degrees.
    pub fn heading_deg(&self) -> Option<f64> {
        self.num(HEADING)
    }

    /// IMO number.
    pub fn imo(&self) -> Option<u32> {
        (self.has & HAS_IMO != 0).then_some(self.imo)
    }

    /// Ship and cargo type code.
    pub fn ship_type(&self) -> Option<u8> {
        (self.has & HAS_SHIP_TYPE != 0).then_some(self.ship_type)
    }

    /// Navigational status code.
    pub fn nav_status(&self) -> Option<u8> {
        (self.has & HAS_NAV_STATUS != 0).then_some(self.nav_status)
    }

    /// ETA as broadcast, resolved to a date-time, unix ms.
    pub fn eta_ms(&self) -> Option<i64> {
        (self.has & HAS_ETA != 0).then(|| i64::from(self.eta_min) * 60_000)
    }

    /// Name.
    pub fn name(&self) -> Option<&str> {
        self.text(NAME)
    }

    /// Call sign.
    pub fn callsign(&self) -> Option<&str> {
        self.text(CALLSIGN)
    }

    /// Flag state.
    pub fn flag(&self) -> Option<&str> {
        self.text(FLAG)
    }

    /// Destination as broadcast.
    pub fn destination(&self) -> Option<&str> {
        self.text(DESTINATION)
    }

    /// Text `i` of the packed texts.
    fn text(&self, i: usize) -> Option<&str> {
        let t = self.text.as_deref()?;
        let len = |k: usize| u16::from_le_bytes([t[2 * k], t[2 * k + 1]]);
        let start = HEADER
            + (0..i)
                .map(len)
                .filter(|&l| l != ABSENT)
                .map(usize::from)
                .sum::<usize>();
        let n = len(i);
        if n == ABSENT {
            return None;
        }
        // Written from `&str`s cut at character boundaries: always UTF-8.
        std::str::from_utf8(t.get(start..start + usize::from(n))?).ok()
    }

    /// Heap bytes held beside the struct itself (the packed texts).
    #[cfg(test)]
    pub fn heap_bytes(&self) -> usize {
        self.text.as_ref().map_or(0, |t| t.len())
    }
}

/// The four texts in one allocation (see [`Compact::text`]).
fn pack(texts: [Option<&str>; TEXTS]) -> Option<Box<[u8]>> {
    if texts.iter().all(Option::is_none) {
        return None;
    }
    let cut = |s: &str| -> usize {
        let mut n = s.len().min(usize::from(ABSENT - 1));
        while !s.is_char_boundary(n) {
            n -= 1;
        }
        n
    };
    let body: usize = texts.iter().flatten().map(|s| cut(s)).sum();
    let mut out = Vec::with_capacity(HEADER + body);
    for t in &texts {
        let n = t.map_or(ABSENT, |s| cut(s) as u16);
        out.extend_from_slice(&n.to_le_bytes());
    }
    for s in texts.iter().flatten() {
        out.extend_from_slice(&s.as_bytes()[..cut(s)]);
    }
    Some(out.into_boxed_slice())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_comes_back_as_it_went_in() {
        let full = VesselRecord {
            mmsi: 257_000_001,
            name: Some("NORNE Ø".into()),
            callsign: Some(String::new()),
            imo: Some(0),
            ship_type: Some(70),
            flag: Some("NO".into()),
            length_m: Some(120.0),
            beam_m: Some(f64::NAN),
            draught_m: Some(f64::from(7.3f32)),
            destination: Some("BERGEN".into()),
            eta_ms: Some(1_764_061_200_000),
            lat: Some(60.123_456_7),
            lon: Some(-5.25),
            sog_kn: Some(0.0),
            cog_deg: None,
            heading_deg: Some(180.0),
            nav_status: Some(15),
            last_seen_ms: -3,
        };
        let back = Compact::new(&full).record();
        assert!(back.beam_m.is_some_and(f64::is_nan));
        assert_eq!(
            VesselRecord {
                beam_m: None,
                ..back
            },
            VesselRecord {
                beam_m: None,
                ..full.clone()
            }
        );
        let bare = VesselRecord {
            mmsi: 1,
            ..VesselRecord::default()
        };
        let c = Compact::new(&bare);
        assert_eq!(c.record(), bare);
        assert_eq!(c.heap_bytes(), 0);
        let only_destination = VesselRecord {
            destination: Some("TRONDHEIM".into()),
            ..bare
        };
        assert_eq!(Compact::new(&only_destination).record(), only_destination);
        // The ETA costs no size: it sits in the padding after the numbers.
        assert!(std::mem::size_of::<Compact>() <= 104);
    }

    #[test]
    fn an_overlong_text_is_cut_at_a_character_boundary() {
        let r = VesselRecord {
            name: Some("Ø".repeat(40_000)),
            callsign: Some("LAXY".into()),
            ..VesselRecord::default()
        };
        let c = Compact::new(&r);
        let name = c.name().unwrap();
        assert!(name.len() <= 65_534 && name.len() > 65_000);
        assert!(name.chars().all(|ch| ch == 'Ø'));
        assert_eq!(c.callsign(), Some("LAXY"));
    }
}
