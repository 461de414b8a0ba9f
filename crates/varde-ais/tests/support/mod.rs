//! Test support shared by the varde-ais integration tests (`mod support;`).
//!
//! - [`sentence`] and [`Reassembler`]: a minimal, independent reading and
//!   reassembly of `!xxVDM`/`!xxVDO` sentences, used by the gpsd comparisons
//!   so that they do not go through the codec under test.
//! - [`chk_line`]: how a line of a gpsd `.chk` file (or daemon log) is read.
//! - [`decode_lines`]: every line of a text through [`varde_ais::Decoder`].
//!
//! Not every test file uses every item.
#![allow(dead_code)]

use std::collections::HashMap;

use varde_ais::bits::Payload;
use varde_ais::{Decoder, Output};

// ---------------------------------------------------------------- NMEA --

/// One checked `!xxVDM`/`!xxVDO` sentence.
#[derive(Debug, Clone, Copy)]
pub struct Sentence<'a> {
    /// Fragment count.
    pub total: usize,
    /// Fragment number (1-based).
    pub number: usize,
    /// Sequential message id field (may be empty).
    pub seq: &'a str,
    /// Radio channel field (may be empty).
    pub channel: &'a str,
    /// Armoured payload.
    pub payload: &'a str,
    /// Fill bits.
    pub fill: u8,
}

impl Sentence<'_> {
    /// The channel as gpsd reads it: its first byte, `A` when empty.
    pub fn channel_byte(&self) -> u8 {
        self.channel.bytes().next().unwrap_or(b'A')
    }
}

/// Parses `line` as an optional tag block followed by
/// `!xxVDM,n,m,seq,chan,payload,fill*cs`; `None` for other lines and bad
/// checksums (gpsd drops those). A `!` inside a comment does not count.
pub fn sentence(line: &str) -> Option<Sentence<'_>> {
    let line = match line.strip_prefix('\\') {
        Some(rest) => &rest[rest.find('\\')? + 1..],
        None => line,
    };
    let (body, cs) = line.strip_prefix('!')?.split_once('*')?;
    let sum = body.bytes().fold(0u8, |a, b| a ^ b);
    if u8::from_str_radix(cs.get(..2)?, 16).ok()? != sum {
        return None;
    }
    let f: Vec<&str> = body.split(',').collect();
    if f.len() < 7 || !(f[0].ends_with("VDM") || f[0].ends_with("VDO")) {
        return None;
    }
    Some(Sentence {
        total: f[1].parse().ok()?,
        number: f[2].parse().ok()?,
        seq: f[3],
        channel: f[4],
        payload: f[5],
        fill: f[6].parse().ok()?,
    })
}

/// How a [`Reassembler`] ties fragments together.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keying {
    /// One group per (sequence id, channel field); single-sentence messages
    /// pass through without touching any group.
    SequenceAndChannel,
    /// As gpsd's AIVDM driver: one buffer per radio channel (`B` and `2`
    /// share one, anything unknown counts as `A`), which every sentence on
    /// that channel goes through, so a single-sentence message drops a
    /// group in progress there.
    GpsdChannel,
}

/// Minimal multi-sentence reassembly, independent of the codec.
///
/// A fragment 1 starts a group (replacing one with the same key); each next
/// fragment must follow the last one, or the group is dropped; the last
/// fragment yields the payload.
#[derive(Debug)]
pub struct Reassembler {
    keying: Keying,
    /// Key → (last fragment number, armoured text so far).
    partial: HashMap<(String, String), (usize, Vec<u8>)>,
}

impl Reassembler {
    /// An empty reassembler.
    pub fn new(keying: Keying) -> Self {
        Self {
            keying,
            partial: HashMap::new(),
        }
    }

    /// Feeds one line; returns (channel byte, payload) when a message is
    /// complete and its armour valid.
    pub fn push(&mut self, line: &str) -> Option<(u8, Payload)> {
        let s = sentence(line)?;
        let chan = s.channel_byte();
        let key = match self.keying {
            Keying::SequenceAndChannel => {
                if s.total <= 1 {
                    let p = Payload::from_armoured(s.payload.as_bytes(), s.fill).ok()?;
                    return Some((chan, p));
                }
                (s.seq.to_owned(), s.channel.to_owned())
            }
            Keying::GpsdChannel => {
                let slot = match chan {
                    b'B' | b'2' => "B",
                    b'C' => "C",
                    b'D' => "D",
                    _ => "A",
                };
                (String::new(), slot.to_owned())
            }
        };
        if s.number == 1 {
            self.partial.insert(key.clone(), (0, Vec::new()));
        }
        match self.partial.get_mut(&key) {
            Some((last, text)) if *last + 1 == s.number => {
                *last = s.number;
                text.extend_from_slice(s.payload.as_bytes());
            }
            _ => {
                self.partial.remove(&key);
                return None;
            }
        }
        if s.number < s.total {
            return None;
        }
        let (_, text) = self.partial.remove(&key)?;
        let p = Payload::from_armoured(&text, s.fill).ok()?;
        Some((chan, p))
    }
}

// ------------------------------------------------------ gpsd .chk files --

/// One line of a gpsd `.chk` file or daemon log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChkLine<'a> {
    /// A gpsd JSON record of class AIS.
    Ais(&'a str),
    /// Any other JSON record (TPV, SKY, VERSION, ...).
    OtherJson,
    /// Not JSON: an echoed input line (daemon logs) or a comment.
    Input(&'a str),
}

impl ChkLine<'_> {
    /// Is this an echoed AIS input sentence (`VDM,` or `VDO,`)?
    pub fn is_ais_input(&self) -> bool {
        matches!(self, Self::Input(l) if l.contains("VDM,") || l.contains("VDO,"))
    }
}

/// Classifies one line of a `.chk` file.
pub fn chk_line(line: &str) -> ChkLine<'_> {
    if !line.starts_with('{') {
        ChkLine::Input(line)
    } else if line.starts_with("{\"class\":\"AIS\"") {
        ChkLine::Ais(line)
    } else {
        ChkLine::OtherJson
    }
}

// ------------------------------------------------------- the real codec --

/// One frame: (message type, event time, station, tag checksum ok, lines).
pub type FrameFacts = (u8, Option<i64>, Option<String>, bool, usize);

/// What feeding lines to a [`Decoder`] produced.
#[derive(Debug, Default)]
pub struct Outcome {
    /// The frames, in order.
    pub frames: Vec<FrameFacts>,
    /// Lines that were stored as fragments.
    pub partial: usize,
    /// The error cause of each rejected line, in order.
    pub errors: Vec<&'static str>,
}

/// Feeds every line of `text` (source 0) to `d`.
pub fn feed_lines(d: &mut Decoder, text: &str) -> Outcome {
    let mut o = Outcome::default();
    for line in text.lines() {
        match d.feed(0, line.as_bytes()) {
            Ok(Output::Frame(f)) => o.frames.push((
                f.payload.message_type(),
                f.time_ms,
                f.station.map(|s| s.as_str().to_owned()),
                f.tag_checksum_ok,
                f.raw.lines().count(),
            )),
            Ok(Output::Partial) => o.partial += 1,
            Ok(Output::Metadata) => {}
            Err(e) => o.errors.push(e.cause()),
        }
    }
    o
}

/// Feeds every line of `text` to a fresh default [`Decoder`].
pub fn decode_lines(text: &str) -> Outcome {
    feed_lines(&mut Decoder::new(), text)
}
