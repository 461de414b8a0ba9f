//! Run counters printed by `--stats`: lines, sentences, messages by type and
//! every rejection by cause.
//!
//! Payload lengths are checked against ITU-R M.1371 for each type
//! ([`standard_bits`]). The codec refuses a payload too short to hold its
//! type's fields or longer than gpsd accepts (`too_short_for_type`,
//! `too_long_for_type`: nothing of it reaches the engine); it decodes one that
//! is off the standard length but within those bounds (a 426-bit type 5, a
//! 163-bit type 1: the fields sit at fixed offsets and are whole), and such
//! messages are counted here as `short`/`long` by type, so a feed with many
//! of them is visible in the summary.

use std::collections::BTreeMap;
use std::fmt::Write;
use varde_ais::{DecodeError, Decoder};

/// Counters of one run.
#[derive(Debug)]
pub struct Stats {
    /// Lines read.
    pub lines: u64,
    /// Valid AIS sentences (set from the decoder at the end).
    pub sentences: u64,
    /// Complete messages decoded, by type.
    pub by_type: [u64; 64],
    /// Records printed (type 24 halves merge into one).
    pub records: u64,
    /// Rejections by cause.
    pub rejects: BTreeMap<&'static str, u64>,
    /// Multi-sentence groups dropped incomplete, by cause.
    pub dropped_groups: BTreeMap<&'static str, u64>,
    /// Frames whose tag block checksum was wrong (decoded anyway).
    pub tag_checksum_bad: u64,
    /// Messages off their type's standard length, by (type, cause):
    /// `too_short`/`too_long` were refused, `short`/`long` decoded.
    pub lengths: BTreeMap<(u8, &'static str), u64>,
}

impl Default for Stats {
    fn default() -> Self {
        Self {
            lines: 0,
            sentences: 0,
            by_type: [0; 64],
            records: 0,
            rejects: BTreeMap::new(),
            dropped_groups: BTreeMap::new(),
            tag_checksum_bad: 0,
            lengths: BTreeMap::new(),
        }
    }
}

impl Stats {
    /// Counts one rejected line or payload.
    pub fn reject(&mut self, cause: &'static str) {
        *self.rejects.entry(cause).or_default() += 1;
    }

    /// Counts one payload the codec refused, by cause (and by type and
    /// length cause when its length was wrong).
    pub fn reject_decode(&mut self, e: &DecodeError) {
        if let DecodeError::BadLength { msg_type, bits } = *e {
            let cause = if is_short(msg_type, bits) {
                "too_short"
            } else {
                "too_long"
            };
            *self.lengths.entry((msg_type, cause)).or_default() += 1;
        }
        self.reject(decode_cause(e));
    }

    /// Counts a decoded message of `bits` bits if that is off its type's
    /// standard length.
    #[inline]
    pub fn check_length(&mut self, msg_type: u8, bits: usize) {
        let Some((min, max)) = standard_bits(msg_type) else {
            return;
        };
        if bits < min || bits > max {
            let cause = if bits < min { "short" } else { "long" };
            *self.lengths.entry((msg_type, cause)).or_default() += 1;
        }
    }

    /// The off-length counters, one line each (`type 5 long 17`).
    pub fn render_lengths(&self) -> String {
        let mut s = String::new();
        for ((t, cause), n) in &self.lengths {
            let what = match *cause {
                "too_short" | "too_long" => "refused",
                _ => "decoded",
            };
            let _ = writeln!(s, "  type {t:<2} {cause:<10} {n:>8}  ({what})");
        }
        s
    }

    /// Counts one decoded message.
    pub fn message(&mut self, msg_type: u8) {
        self.by_type[usize::from(msg_type & 63)] += 1;
    }

    /// Copies the decoder's own counters.
    pub fn absorb_decoder(&mut self, d: &Decoder) {
        let s = d.stats();
        self.sentences = s.sentences;
        self.tag_checksum_bad = s.tag_checksum_bad;
        let a = d.assembly_stats();
        self.dropped_groups.insert("replaced", a.replaced);
        self.dropped_groups.insert("expired", a.expired);
        self.dropped_groups.insert("evicted", a.evicted);
        self.dropped_groups
            .insert("incomplete_at_end", d.in_flight() as u64);
    }

    /// Total messages decoded.
    pub fn messages(&self) -> u64 {
        self.by_type.iter().sum()
    }

    /// Human-readable summary.
    pub fn render(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(s, "lines        {}", self.lines);
        let _ = writeln!(s, "sentences    {}", self.sentences);
        let _ = writeln!(s, "messages     {}", self.messages());
        let _ = writeln!(s, "records      {}", self.records);
        for (t, n) in self.by_type.iter().enumerate().filter(|(_, n)| **n > 0) {
            let _ = writeln!(s, "  type {t:<2}    {n}");
        }
        let _ = writeln!(s, "rejected     {}", self.rejects.values().sum::<u64>());
        for (cause, n) in &self.rejects {
            let _ = writeln!(s, "  {cause:<26} {n}");
        }
        let _ = writeln!(
            s,
            "tag block checksum bad (decoded anyway) {}",
            self.tag_checksum_bad
        );
        if !self.lengths.is_empty() {
            let _ = writeln!(s, "off the standard length for their type");
            s.push_str(&self.render_lengths());
        }
        let _ = writeln!(s, "incomplete groups dropped");
        for (cause, n) in &self.dropped_groups {
            let _ = writeln!(s, "  {cause:<26} {n}");
        }
        s
    }
}

/// A stable snake_case name for a message decoding error.
pub fn decode_cause(e: &DecodeError) -> &'static str {
    match e {
        DecodeError::Empty => "empty_payload",
        DecodeError::UnknownType(_) => "unknown_message_type",
        DecodeError::BadLength { msg_type, bits } if is_short(*msg_type, *bits) => {
            "too_short_for_type"
        }
        DecodeError::BadLength { .. } => "too_long_for_type",
    }
}

/// The standard payload length of a message type in bits (min, max), ITU-R
/// M.1371-5; `None` for types outside 1–27.
pub fn standard_bits(msg_type: u8) -> Option<(usize, usize)> {
    Some(match msg_type {
        1..=4 | 9 | 11 | 18 | 22 => (168, 168),
        5 => (424, 424),
        6 => (88, 1008),
        7 | 13 => (72, 168),
        8 => (56, 1008),
        10 => (72, 72),
        12 => (72, 1008),
        14 => (40, 1008),
        15 => (88, 160),
        16 => (96, 144),
        17 => (80, 816),
        19 => (312, 312),
        20 => (72, 160),
        21 => (272, 360),
        23 => (160, 160),
        24 => (160, 168),
        25 => (40, 168),
        26 => (60, 1064),
        27 => (96, 96),
        _ => return None,
    })
}

/// Whether a payload of `bits` bits is shorter than its type's standard.
fn is_short(msg_type: u8, bits: usize) -> bool {
    standard_bits(msg_type).is_some_and(|(min, _)| bits < min)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_are_counted_by_type_and_cause() {
        let mut s = Stats::default();
        s.check_length(1, 168);
        s.check_length(5, 426);
        s.check_length(1, 163);
        s.reject_decode(&DecodeError::BadLength {
            msg_type: 5,
            bits: 400,
        });
        s.reject_decode(&DecodeError::BadLength {
            msg_type: 1,
            bits: 210,
        });
        let got: Vec<_> = s.lengths.iter().map(|(k, n)| (*k, *n)).collect();
        assert_eq!(
            got,
            [
                ((1, "short"), 1),
                ((1, "too_long"), 1),
                ((5, "long"), 1),
                ((5, "too_short"), 1)
            ]
        );
        assert_eq!(s.rejects["too_short_for_type"], 1);
        assert_eq!(s.rejects["too_long_for_type"], 1);
        assert!(s.render().contains("type 5  long"), "{}", s.render());
    }
}
