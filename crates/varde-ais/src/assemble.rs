//! Multi-sentence reassembly with bounded memory.
//!
//! Fragments are keyed by (input source, talker, channel, sequence id), so
//! groups interleaved on channels A and B both survive. A group that is not
//! completed within [`Limits::max_age_lines`] lines or
//! [`Limits::max_age_ms`] of event time expires; at most
//! [`Limits::max_in_flight`] groups are held, the oldest evicted first.
//! Every dropped fragment is counted by cause.

use crate::bits::{ArmourError, Payload};
use crate::nmea::Sentence;
use crate::station::Station;

/// Bounds on what the assembler keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Groups held at once.
    pub max_in_flight: usize,
    /// Lines after which an incomplete group expires.
    pub max_age_lines: u64,
    /// Event time (ms) after which an incomplete group expires.
    pub max_age_ms: i64,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_in_flight: 256,
            max_age_lines: 2_000,
            max_age_ms: 60_000,
        }
    }
}

/// Why a fragment or a group was dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum FragmentError {
    /// A later fragment arrived with no matching group in flight.
    #[error("fragment without its first part")]
    Orphan,
    /// A fragment arrived out of order for its group; the group is dropped.
    #[error("fragment out of sequence")]
    OutOfSequence,
    /// The armoured payload was invalid.
    #[error("payload: {0}")]
    Armour(#[from] ArmourError),
}

/// Counters of dropped fragments and groups.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AssemblyStats {
    /// Incomplete groups replaced by a new first fragment with the same key.
    pub replaced: u64,
    /// Incomplete groups that expired (age in lines or event time).
    pub expired: u64,
    /// Incomplete groups evicted because too many were in flight.
    pub evicted: u64,
}

/// The key that ties fragments together.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Key {
    source: u32,
    talker: [u8; 2],
    channel: Option<u8>,
    seq_id: Option<u8>,
}

/// A completed multi-sentence message.
#[derive(Debug)]
pub struct Group {
    /// The joined payload.
    pub payload: Payload,
    /// Event time from the first fragment that had one.
    pub time_ms: Option<i64>,
    /// Station from the first fragment that had one.
    pub station: Option<Station>,
    /// False if any fragment's tag block checksum was bad.
    pub tag_checksum_ok: bool,
    /// The raw lines, `\n`-separated.
    pub raw: Vec<u8>,
    /// Number of sentences.
    pub sentences: u8,
    key: Key,
    next: u8,
    started_line: u64,
    /// In flight (a free slot otherwise).
    active: bool,
}

impl Group {
    fn empty() -> Self {
        Self {
            payload: Payload::new(),
            time_ms: None,
            station: None,
            tag_checksum_ok: true,
            raw: Vec::new(),
            sentences: 0,
            key: Key {
                source: 0,
                talker: [0; 2],
                channel: None,
                seq_id: None,
            },
            next: 0,
            started_line: 0,
            active: false,
        }
    }
}

/// Joins fragments into complete payloads.
///
/// Groups live in fixed slots that are reused (payload bytes cleared as far
/// as they were used, raw-line buffers kept), so a fragment never moves a
/// group; a completed group stays in its slot until the next fragment.
#[derive(Debug, Default)]
pub struct Assembler {
    slots: Vec<Group>,
    active: usize,
    limits: Limits,
    /// What was dropped so far.
    pub stats: AssemblyStats,
}

impl Assembler {
    /// An assembler with the given bounds.
    pub fn new(limits: Limits) -> Self {
        Self {
            slots: Vec::new(),
            active: 0,
            limits,
            stats: AssemblyStats::default(),
        }
    }

    /// Incomplete groups in flight.
    pub fn in_flight(&self) -> usize {
        self.active
    }

    /// Adds a fragment (`s.total > 1`). Returns the completed group when `s`
    /// is the last part, `Ok(None)` while incomplete.
    pub fn push(
        &mut self,
        source: u32,
        s: &Sentence<'_>,
        line_no: u64,
    ) -> Result<Option<Group>, FragmentError> {
        Ok(self
            .push_slot(source, s, line_no)?
            .map(|i| std::mem::replace(&mut self.slots[i], Group::empty())))
    }

    /// The group completed by the last [`Assembler::push_slot`].
    pub(crate) fn slot_mut(&mut self, i: usize) -> &mut Group {
        &mut self.slots[i]
    }

    fn drop_slot(&mut self, i: usize) {
        self.slots[i].active = false;
        self.active -= 1;
    }

    /// [`Assembler::push`] without moving the group: returns the index of
    /// the completed group's slot.
    pub(crate) fn push_slot(
        &mut self,
        source: u32,
        s: &Sentence<'_>,
        line_no: u64,
    ) -> Result<Option<usize>, FragmentError> {
        let key = Key {
            source,
            talker: s.talker,
            channel: s.channel,
            seq_id: s.seq_id,
        };
        // At most one active group per key: a first part replaces it.
        let found = self.slots.iter().position(|g| g.active && g.key == key);
        if s.number == 1 {
            if let Some(i) = found {
                self.drop_slot(i);
                self.stats.replaced += 1;
            }
            self.expire(line_no, s.time_ms());
            return self.start(key, s, line_no).map(|()| None);
        }
        let Some(i) = found else {
            return Err(FragmentError::Orphan);
        };
        let g = &mut self.slots[i];
        if g.next != s.number || usize::from(g.sentences) != usize::from(s.total) {
            self.drop_slot(i);
            return Err(FragmentError::OutOfSequence);
        }
        if let Err(e) = g.payload.push_armoured(s.payload) {
            self.drop_slot(i);
            return Err(e.into());
        }
        absorb(g, s);
        if s.number < s.total {
            g.next += 1;
            return Ok(None);
        }
        self.drop_slot(i);
        self.slots[i].payload.drop_fill(s.fill)?;
        Ok(Some(i))
    }

    fn start(&mut self, key: Key, s: &Sentence<'_>, line_no: u64) -> Result<(), FragmentError> {
        if self.active >= self.limits.max_in_flight {
            if let Some(oldest) = (0..self.slots.len())
                .filter(|&i| self.slots[i].active)
                .min_by_key(|&i| self.slots[i].started_line)
            {
                self.drop_slot(oldest);
                self.stats.evicted += 1;
            }
        }
        let i = match self.slots.iter().position(|g| !g.active) {
            Some(i) => i,
            None => {
                self.slots.push(Group::empty());
                self.slots.len() - 1
            }
        };
        let g = &mut self.slots[i];
        // Replaces what the slot held before (clearing only what was used).
        g.payload.set_armoured(s.payload, 0)?;
        g.time_ms = None;
        g.station = None;
        g.tag_checksum_ok = true;
        g.raw.clear();
        g.raw
            .reserve(s.line.len() * usize::from(s.total) + usize::from(s.total));
        g.sentences = s.total;
        g.key = key;
        g.next = 2;
        g.started_line = line_no;
        absorb(g, s);
        g.active = true;
        self.active += 1;
        Ok(())
    }

    fn expire(&mut self, line_no: u64, now_ms: Option<i64>) {
        let limits = self.limits;
        let mut expired = 0;
        for g in self.slots.iter_mut().filter(|g| g.active) {
            let by_lines = line_no.saturating_sub(g.started_line) > limits.max_age_lines;
            let by_time =
                matches!((now_ms, g.time_ms), (Some(n), Some(t)) if n - t > limits.max_age_ms);
            if by_lines || by_time {
                g.active = false;
                expired += 1;
            }
        }
        self.active -= expired;
        self.stats.expired += expired as u64;
    }
}

fn absorb(g: &mut Group, s: &Sentence<'_>) {
    if g.time_ms.is_none() {
        g.time_ms = s.time_ms();
    }
    if let Some(tag) = s.tag {
        g.tag_checksum_ok &= tag.checksum_ok;
        if g.station.is_none() {
            g.station = tag.station.map(Station::new);
        }
    }
    if !g.raw.is_empty() {
        g.raw.push(b'\n');
    }
    g.raw.extend_from_slice(s.line);
}
