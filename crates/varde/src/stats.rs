//! Run counters printed by `--stats`: lines, sentences, messages by type and
//! every rejection by cause.

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
        }
    }
}

impl Stats {
    /// Counts one rejected line or payload.
    pub fn reject(&mut self, cause: &'static str) {
        *self.rejects.entry(cause).or_default() += 1;
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
        DecodeError::BadLength { .. } => "bad_message_length",
    }
}
