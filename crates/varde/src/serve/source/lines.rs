//! Splitting a byte stream (TCP reads, UDP datagrams) into bounded lines.

use crate::input::MAX_LINE;

/// Splits chunks into lines, keeping an unfinished line between chunks.
///
/// A line longer than [`MAX_LINE`] — whether it arrives in one chunk or is
/// split across several reads — is dropped whole and counted in
/// [`overlong`](Self::overlong); its tail up to the next newline is skipped
/// too, so no fragment of it reaches the decoder.
#[derive(Debug, Default)]
pub struct LineSplitter {
    pending: Vec<u8>,
    /// Skipping the rest of an over-long line.
    discarding: bool,
    /// Over-long lines dropped so far.
    pub overlong: u64,
}

impl LineSplitter {
    /// Feeds one chunk; calls `each` with every complete line.
    pub fn push(&mut self, chunk: &[u8], mut each: impl FnMut(&[u8])) {
        let mut rest = chunk;
        while let Some(i) = memchr::memchr(b'\n', rest) {
            let part = &rest[..i];
            rest = &rest[i + 1..];
            if std::mem::take(&mut self.discarding) {
                continue;
            }
            if self.pending.len() + part.len() > MAX_LINE {
                self.overlong += 1;
                self.pending.clear();
            } else if self.pending.is_empty() {
                each(part);
            } else {
                self.pending.extend_from_slice(part);
                each(&self.pending);
                self.pending.clear();
            }
        }
        if self.discarding {
            return;
        }
        if self.pending.len() + rest.len() > MAX_LINE {
            self.overlong += 1;
            self.pending.clear();
            self.discarding = true;
        } else {
            self.pending.extend_from_slice(rest);
        }
    }

    /// Ends the stream (a datagram, a closed connection): an unfinished
    /// line of acceptable length is passed to `each`.
    pub fn finish(&mut self, mut each: impl FnMut(&[u8])) {
        if !self.discarding && !self.pending.is_empty() {
            each(&self.pending);
        }
        self.pending.clear();
        self.discarding = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(chunks: &[&[u8]]) -> (Vec<Vec<u8>>, u64) {
        let mut s = LineSplitter::default();
        let mut out = Vec::new();
        for c in chunks {
            s.push(c, |l| out.push(l.to_vec()));
        }
        s.finish(|l| out.push(l.to_vec()));
        (out, s.overlong)
    }

    #[test]
    fn lines_across_reads_are_joined() {
        let (out, n) = split(&[b"ab", b"c\nde", b"f\n"]);
        assert_eq!(out, [b"abc".to_vec(), b"def".to_vec()]);
        assert_eq!(n, 0);
    }

    #[test]
    fn an_overlong_line_split_across_reads_is_dropped_whole_and_counted() {
        let long = vec![b'x'; MAX_LINE];
        let (out, n) = split(&[&long, b"yyyy", b"zz\nok\n"]);
        assert_eq!(out, [b"ok".to_vec()]);
        assert_eq!(n, 1);
    }

    #[test]
    fn an_overlong_line_in_one_read_is_counted() {
        let mut chunk = vec![b'x'; MAX_LINE + 1];
        chunk.extend_from_slice(b"\nok\n");
        let (out, n) = split(&[&chunk]);
        assert_eq!(out, [b"ok".to_vec()]);
        assert_eq!(n, 1);
    }
}
