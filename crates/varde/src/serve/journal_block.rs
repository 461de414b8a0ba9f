//! Accepted lines on their way to the journal, many in one buffer.
//!
//! The engine thread used to hand the writer one [`RawRecord`] per line: two small allocations
//! (the line, ~75 B, and the source's name) made on the engine thread between the vessels' own
//! long-lived allocations of the same sizes, and freed a batch later on the writer thread. Tens of
//! thousands of them are in flight during a burst, so the allocator's pages of those sizes ended up
//! half full of vessels and half holes once the burst was over (`bench/memory/README.md`,
//! 2026-12-08: ~1.4 MB at 10 k vessels). A [`JournalBlock`] holds a chunk's lines in one growing
//! buffer; the writer makes the records from it on its own thread.

use std::sync::Arc;
use varde_store::RawRecord;

/// The lines of one store chunk, in arrival order: their bytes one after another, and per line its
/// end, its source (an index into the block's source names) and its event time.
#[derive(Debug, Default)]
pub struct JournalBlock {
    /// Source names by source index (shared by every block of a run).
    names: Arc<[String]>,
    /// The lines' text, one after another.
    text: String,
    /// Per line: its end in `text`, its source index, its event time (unix ms).
    lines: Vec<(u32, u32, i64)>,
    /// Lines and bytes the block taken last held: room reserved at the first push (one
    /// allocation each per block, not a dozen of doubling sizes; none while nothing comes).
    hint: (usize, usize),
}

/// One line of a [`JournalBlock`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JournalLine<'a> {
    /// Event time of the line, ms since the epoch.
    pub time_ms: i64,
    /// Name of the source the line came from (empty when the index names none).
    pub source: &'a str,
    /// The sentence as received, without line ending.
    pub line: &'a str,
}

impl JournalBlock {
    /// An empty block whose source indices name `names`.
    pub fn new(names: Arc<[String]>) -> Self {
        Self {
            names,
            ..Self::default()
        }
    }

    /// Adds `line` from source index `source`, at event time `time_ms`.
    pub fn push(&mut self, time_ms: i64, source: u32, line: &str) {
        if self.lines.capacity() == 0 {
            self.lines.reserve_exact(self.hint.0.max(1));
            self.text.reserve_exact(self.hint.1.max(line.len()));
        }
        self.text.push_str(line);
        self.lines.push((self.text.len() as u32, source, time_ms));
    }

    /// Lines held.
    pub fn len(&self) -> usize {
        self.lines.len()
    }

    /// Whether no line is held.
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// Takes the lines out, leaving an empty block with the same source names (and no buffers
    /// until its first line).
    pub fn take(&mut self) -> Self {
        let next = Self {
            hint: (self.lines.len(), self.text.len()),
            ..Self::new(self.names.clone())
        };
        std::mem::replace(self, next)
    }

    /// The lines, in the order they were pushed.
    pub fn iter(&self) -> impl Iterator<Item = JournalLine<'_>> {
        let mut start = 0;
        self.lines.iter().map(move |&(end, source, time_ms)| {
            let line = &self.text[start..end as usize];
            start = end as usize;
            JournalLine {
                time_ms,
                source: self.names.get(source as usize).map_or("", String::as_str),
                line,
            }
        })
    }

    /// The lines as the store's journal records.
    pub fn records(&self) -> impl Iterator<Item = RawRecord> + '_ {
        self.iter().map(|l| RawRecord {
            time_ms: l.time_ms,
            source: l.source.to_owned(),
            line: l.line.to_owned(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_come_back_in_order_with_their_sources_and_times() {
        let mut b = JournalBlock::new(vec!["ais-a".to_owned(), "ais-b".to_owned()].into());
        assert!(b.is_empty());
        b.push(10, 1, "!AIVDM,1,1,,A,one,0*00");
        b.push(20, 0, "");
        b.push(30, 7, "\\c:1*00\\!AIVDM,1,1,,B,tägg,0*00");
        assert_eq!(b.len(), 3);
        let got: Vec<_> = b.iter().collect();
        assert_eq!(
            got,
            vec![
                JournalLine {
                    time_ms: 10,
                    source: "ais-b",
                    line: "!AIVDM,1,1,,A,one,0*00"
                },
                JournalLine {
                    time_ms: 20,
                    source: "ais-a",
                    line: ""
                },
                // An index without a name is stored with an empty source, as before.
                JournalLine {
                    time_ms: 30,
                    source: "",
                    line: "\\c:1*00\\!AIVDM,1,1,,B,tägg,0*00"
                },
            ]
        );
        let recs: Vec<RawRecord> = b.records().collect();
        assert_eq!(recs[0].source, "ais-b");
        assert_eq!(recs[2].line, "\\c:1*00\\!AIVDM,1,1,,B,tägg,0*00");
        let taken = b.take();
        assert_eq!(taken.len(), 3);
        assert!(b.is_empty());
        b.push(40, 0, "x");
        assert_eq!(b.iter().next().map(|l| l.source), Some("ais-a"));
    }
}
