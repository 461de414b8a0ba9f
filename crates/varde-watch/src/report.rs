//! The engine's input: one decoded AIS report, normalised and stamped with event time.
//!
//! The integrator builds [`Report`]s from `varde-ais` messages; this crate never sees NMEA bytes except as
//! evidence text in [`Report::raw`].

use std::borrow::Cow;
use std::sync::Arc;

/// One decoded report as the engine sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// Event time in Unix milliseconds (tag block `c:`, a file timestamp column, or receive time when live).
    pub time_ms: i64,
    /// The reporting station's MMSI (9 digits; leading zeros are part of the number space, not the text).
    pub mmsi: u32,
    /// Receiving station (tag block `s:`), when known.
    pub source: Option<Arc<str>>,
    /// What the report says.
    pub kind: ReportKind,
    /// The original NMEA sentence(s), with tag blocks, kept verbatim as evidence.
    pub raw: RawLines,
}

/// The original NMEA sentence(s) of one report, with tag blocks, kept verbatim as evidence: the bytes
/// as received, sentences separated by `\n`, shared by clones. Read as text (lossy UTF-8, sentence by
/// sentence) only when an alert is written.
///
/// A reader can [`RawLines::refill`] one value for every report: the bytes are rewritten in place
/// whenever nothing else (an alert, a queued report) still holds them, so a report costs no
/// allocation unless it becomes evidence.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RawLines(Arc<Vec<u8>>);

impl serde::Serialize for RawLines {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(&self.0)
    }
}

impl<'de> serde::Deserialize<'de> for RawLines {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let bytes: serde_bytes_vec::Bytes = serde::Deserialize::deserialize(d)?;
        Ok(Self(Arc::new(bytes.0)))
    }
}

/// Bytes read back from any serde format (a byte string or a sequence of bytes).
mod serde_bytes_vec {
    /// Owned bytes.
    pub struct Bytes(pub Vec<u8>);

    impl<'de> serde::Deserialize<'de> for Bytes {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V;
            impl<'de> serde::de::Visitor<'de> for V {
                type Value = Bytes;
                fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                    f.write_str("bytes")
                }
                fn visit_bytes<E: serde::de::Error>(self, v: &[u8]) -> Result<Bytes, E> {
                    Ok(Bytes(v.to_vec()))
                }
                fn visit_byte_buf<E: serde::de::Error>(self, v: Vec<u8>) -> Result<Bytes, E> {
                    Ok(Bytes(v))
                }
                fn visit_seq<A: serde::de::SeqAccess<'de>>(
                    self,
                    mut a: A,
                ) -> Result<Bytes, A::Error> {
                    let mut v = Vec::new();
                    while let Some(b) = a.next_element()? {
                        v.push(b);
                    }
                    Ok(Bytes(v))
                }
            }
            d.deserialize_byte_buf(V)
        }
    }
}

impl RawLines {
    /// Sentences already separated by `\n` (as `varde_ais::Frame::raw` holds them).
    pub fn new(joined: impl AsRef<[u8]>) -> Self {
        Self(Arc::new(joined.as_ref().to_vec()))
    }

    /// Sentences joined with `\n`.
    pub fn from_lines<S: AsRef<str>>(lines: impl IntoIterator<Item = S>) -> Self {
        let mut b = Vec::new();
        for (i, l) in lines.into_iter().enumerate() {
            if i > 0 {
                b.push(b'\n');
            }
            b.extend_from_slice(l.as_ref().as_bytes());
        }
        Self(Arc::new(b))
    }

    /// Makes this hold `joined`: in place when no clone is alive, else in a fresh allocation (the
    /// clones keep the old bytes).
    pub fn refill(&mut self, joined: &[u8]) {
        match Arc::get_mut(&mut self.0) {
            Some(b) => {
                b.clear();
                b.extend_from_slice(joined);
            }
            None => self.0 = Arc::new(joined.to_vec()),
        }
    }

    /// The bytes, sentences separated by `\n`.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// Each sentence as text (split at `\n`; an empty value is one empty sentence); invalid UTF-8 is
    /// replaced by U+FFFD.
    pub fn lines(&self) -> impl Iterator<Item = Cow<'_, str>> {
        self.0.split(|&b| b == b'\n').map(String::from_utf8_lossy)
    }

    /// Whether `a` and `b` share one allocation (not merely equal bytes).
    pub fn ptr_eq(a: &Self, b: &Self) -> bool {
        Arc::ptr_eq(&a.0, &b.0)
    }

    /// Heap bytes held (shared with clones).
    pub fn heap_bytes(&self) -> usize {
        std::mem::size_of::<Vec<u8>>() + 16 + self.0.capacity()
    }
}

impl From<&str> for RawLines {
    fn from(joined: &str) -> Self {
        Self::new(joined)
    }
}

impl From<String> for RawLines {
    fn from(joined: String) -> Self {
        Self(Arc::new(joined.into_bytes()))
    }
}

/// The payload of a [`Report`].
#[derive(Debug, Clone, PartialEq)]
pub enum ReportKind {
    /// A position report (AIS types 1–3, 18, 19, 9, 21, 27, 4).
    Position(PositionFix),
    /// Static and voyage data (AIS types 5, 24, 19).
    Static(StaticInfo),
    /// A position report whose position is unavailable (AIS types 1–3, 18, 19, 27 with latitude 91° /
    /// longitude 181°, or out of range): the transponder is transmitting but its GNSS receiver has no
    /// fix (jammed, or faulty). The vessel was heard; where it is, is unknown.
    NoFix(NoFix),
}

/// What a position report without a position still says: the sending station's class and what does
/// not come from the GNSS receiver (navigational status, gyro heading), and the speed when sent.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NoFix {
    /// Speed over ground in knots; `None` when not available (usually, without a fix).
    pub sog_kn: Option<f32>,
    /// True heading in degrees, 0–359 (from the gyro); `None` when not available.
    pub heading_deg: Option<u16>,
    /// AIS navigational status 0–15; `None` for classes that do not send it.
    pub nav_status: Option<u8>,
    /// The sending station's class.
    pub class: StationClass,
}

/// The kind of AIS station that sent a position report.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum StationClass {
    /// SOLAS Class A transponder (types 1–3, 5, 27).
    ClassA,
    /// Class B transponder (types 18, 19, 24).
    ClassB,
    /// Search-and-rescue aircraft (type 9).
    SarAircraft,
    /// Aid to navigation (type 21).
    AtoN,
    /// Shore base station (type 4).
    BaseStation,
    /// Anything else.
    Other,
}

/// A position fix with its motion.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PositionFix {
    /// Latitude in degrees WGS 84, north positive.
    pub lat: f64,
    /// Longitude in degrees WGS 84, east positive.
    pub lon: f64,
    /// Speed over ground in knots; `None` when not available (AIS 102.3).
    pub sog_kn: Option<f32>,
    /// Course over ground in degrees true, 0–360; `None` when not available (AIS 360).
    pub cog_deg: Option<f32>,
    /// True heading in degrees, 0–359; `None` when not available (AIS 511).
    pub heading_deg: Option<u16>,
    /// AIS navigational status 0–15 (0 under way using engine, 1 at anchor, 2 not under command,
    /// 5 moored, 6 aground, 7 engaged in fishing, 8 under way sailing, 15 undefined); `None` for classes
    /// that do not send it.
    pub nav_status: Option<u8>,
    /// The sending station's class.
    pub class: StationClass,
}

/// Static and voyage data; every field is optional because type 24 arrives in parts.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct StaticInfo {
    /// IMO number (7 digits).
    pub imo: Option<u32>,
    /// Radio call sign. (The texts are boxed `str`s, not `String`s: 8 bytes less each, and no
    /// spare capacity; the engine keeps one `StaticInfo` per vessel. Serialised as a string.)
    pub callsign: Option<Box<str>>,
    /// Vessel name.
    pub name: Option<Box<str>>,
    /// AIS ship and cargo type 0–99 (30 fishing, 35 military, 55 law enforcement, 8x tanker).
    pub ship_type: Option<u8>,
    /// Overall length in metres.
    pub length_m: Option<u16>,
    /// Beam in metres.
    pub beam_m: Option<u16>,
    /// Maximum present static draught in metres.
    pub draught_m: Option<f32>,
    /// Declared destination.
    pub destination: Option<Box<str>>,
    /// Declared estimated time of arrival (message 5), minutes since the Unix epoch, resolved to
    /// its next occurrence after the report (`varde_ais::eta`); `None` when not available. Non-zero
    /// (1970-01-01T00:00Z is no ETA), so the option costs no byte (issue 10's 1 KiB per vessel).
    pub eta_min: Option<std::num::NonZeroU32>,
}

impl Report {
    /// The position fix, if this is a position report.
    pub fn fix(&self) -> Option<&PositionFix> {
        match &self.kind {
            ReportKind::Position(fix) => Some(fix),
            ReportKind::Static(_) | ReportKind::NoFix(_) => None,
        }
    }

    /// The report without a position, if it is one ([`ReportKind::NoFix`]).
    pub fn no_fix(&self) -> Option<&NoFix> {
        match &self.kind {
            ReportKind::NoFix(n) => Some(n),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RawLines;

    #[test]
    fn refill_reuses_only_unshared_bytes() {
        let mut r = RawLines::new("!AIVDM,1");
        let kept = r.clone();
        r.refill(b"!AIVDM,2\n!AIVDM,3");
        assert!(
            !RawLines::ptr_eq(&r, &kept),
            "a held value is never overwritten"
        );
        assert_eq!(kept.as_bytes(), b"!AIVDM,1");
        let before = r.clone();
        drop(before);
        let alone = r.clone();
        drop(alone);
        let ptr = r.as_bytes().as_ptr();
        r.refill(b"!AIVDM,4");
        assert_eq!(r.as_bytes().as_ptr(), ptr, "refilled in place");
        assert_eq!(r.lines().collect::<Vec<_>>(), ["!AIVDM,4"]);
    }

    #[test]
    fn lines_split_and_replace_bad_utf8() {
        let r = RawLines::new(b"a\n\xffb".as_slice());
        assert_eq!(r.lines().collect::<Vec<_>>(), ["a", "\u{fffd}b"]);
        assert_eq!(RawLines::from_lines(["x", "y"]).as_bytes(), b"x\ny");
    }
}
