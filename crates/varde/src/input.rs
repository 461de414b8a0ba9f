//! Reading recorded input: files (plain or gzip) and stdin, line by line
//! with a bound on line length so a corrupt feed cannot exhaust memory.

use anyhow::{Context, Result};
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;

/// Bytes of one line kept; the rest of an over-long line is skipped.
pub const MAX_LINE: usize = 4096;

/// Checks that `path` (`-` = stdin) names a file that can be read: an error names the path and
/// says what is wrong (missing, a directory, no permission).
pub fn check(path: &str) -> Result<()> {
    if path == "-" {
        return Ok(());
    }
    let meta = std::fs::metadata(path).with_context(|| format!("cannot open {path}"))?;
    if meta.is_dir() {
        anyhow::bail!(
            "{path} is a directory, not a file of NMEA lines: give the files in it (e.g. {}/*.gz)",
            path.trim_end_matches('/')
        );
    }
    Ok(())
}

/// Opens `path` (`-` = stdin), transparently gunzipping `.gz` or gzip magic.
pub fn open(path: &str) -> Result<Box<dyn BufRead>> {
    let raw: Box<dyn Read> = if path == "-" {
        Box::new(io::stdin().lock())
    } else {
        check(path)?;
        Box::new(File::open(Path::new(path)).with_context(|| format!("cannot open {path}"))?)
    };
    let mut buf = BufReader::with_capacity(1 << 18, raw);
    let gz = buf
        .fill_buf()
        .map(|b| b.starts_with(&[0x1f, 0x8b]))
        .unwrap_or(false);
    Ok(if gz {
        Box::new(BufReader::with_capacity(
            1 << 18,
            flate2::bufread::MultiGzDecoder::new(buf),
        ))
    } else {
        Box::new(buf)
    })
}

/// The error of reading `path` after `lines` lines, in words: a gzip stream that ends early is a
/// truncated file.
pub fn read_error(path: &str, lines: u64, e: &io::Error) -> anyhow::Error {
    let what = if e.kind() == io::ErrorKind::UnexpectedEof {
        "the gzip data ends early: the file is truncated".to_owned()
    } else {
        e.to_string()
    };
    anyhow::anyhow!("cannot read {path} after line {lines}: {what}")
}

/// Reads `path` (`-` = stdin) line by line, in order, handing every line to `each`, which returns
/// `Ok(false)` to stop early or an error to give up. A file that cannot be read to its end (a
/// truncated `.gz`) is not an error here: its lines up to the fault are handed over and the fault is
/// returned, naming the file and the line, for the caller to report after going on with the next file.
/// Errors: the file cannot be opened, or `each` failed.
pub fn for_each_line(
    path: &str,
    mut each: impl FnMut(Line<'_>) -> Result<bool>,
) -> Result<Option<anyhow::Error>> {
    let mut lines = LineReader::new(open(path)?);
    let mut read = 0u64;
    loop {
        match lines.next_line() {
            Ok(Some(line)) => {
                read += 1;
                if !each(line)? {
                    return Ok(None);
                }
            }
            Ok(None) => return Ok(None),
            Err(e) => return Ok(Some(read_error(path, read, &e))),
        }
    }
}

/// The modification time of `path`, unix milliseconds.
pub fn modified_ms(path: &str) -> Result<i64> {
    let t = std::fs::metadata(path)
        .and_then(|m| m.modified())
        .with_context(|| format!("cannot read the modification time of {path}"))?;
    Ok(match t.duration_since(std::time::UNIX_EPOCH) {
        Ok(d) => d.as_millis() as i64,
        Err(e) => -(e.duration().as_millis() as i64),
    })
}

/// Number of lines in `path` (gunzipped; a last line without an ending
/// counts).
pub fn count_lines(path: &str) -> Result<u64> {
    let mut lines = LineReader::new(open(path)?);
    let mut n = 0;
    while lines
        .next_line()
        .with_context(|| format!("cannot read {path}"))?
        .is_some()
    {
        n += 1;
    }
    Ok(n)
}

/// One line read by [`LineReader`].
pub enum Line<'a> {
    /// A line (without its ending), at most [`MAX_LINE`] bytes.
    Ok(&'a [u8]),
    /// A line longer than [`MAX_LINE`]; its bytes were skipped.
    TooLong,
}

/// Splits a byte stream into lines of bounded length.
pub struct LineReader<R> {
    inner: R,
    buf: Vec<u8>,
    /// Bytes of the line last returned straight from the reader's buffer, consumed on the next call.
    pending: usize,
}

impl<R: BufRead> LineReader<R> {
    /// Wraps a buffered reader.
    pub fn new(inner: R) -> Self {
        Self {
            inner,
            buf: Vec::with_capacity(256),
            pending: 0,
        }
    }

    /// The next line, or `None` at end of input.
    pub fn next_line(&mut self) -> io::Result<Option<Line<'_>>> {
        if self.pending > 0 {
            self.inner.consume(std::mem::take(&mut self.pending));
        }
        // Usual case: the whole line is in the reader's buffer; lend it without copying.
        let whole = match self.inner.fill_buf() {
            Ok(chunk) => memchr::memchr(b'\n', chunk).filter(|&i| i <= MAX_LINE),
            Err(_) => None, // the loop below retries or reports it
        };
        if let Some(i) = whole {
            self.pending = i + 1;
            let chunk = self.inner.fill_buf()?;
            return Ok(Some(Line::Ok(&chunk[..i])));
        }
        self.buf.clear();
        let mut too_long = false;
        let mut any = false;
        loop {
            let chunk = match self.inner.fill_buf() {
                Ok(c) => c,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if chunk.is_empty() {
                break;
            }
            any = true;
            let (take, done) = match memchr::memchr(b'\n', chunk) {
                Some(i) => (i, Some(i + 1)),
                None => (chunk.len(), None),
            };
            if !too_long {
                if self.buf.len() + take > MAX_LINE {
                    too_long = true;
                    self.buf.clear();
                } else {
                    self.buf.extend_from_slice(&chunk[..take]);
                }
            }
            let consumed = done.unwrap_or(take);
            self.inner.consume(consumed);
            if done.is_some() {
                break;
            }
        }
        if !any {
            return Ok(None);
        }
        Ok(Some(if too_long {
            Line::TooLong
        } else {
            Line::Ok(&self.buf)
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Lines lent from the reader's buffer and lines assembled across refills read the same.
    #[test]
    fn lines_across_buffer_boundaries_and_limits() {
        let long = "x".repeat(MAX_LINE + 10);
        let text = format!(
            "a,1\n\nbb,22\n{long}\nccc,333\n{}\ntail",
            "y".repeat(MAX_LINE)
        );
        for cap in [1, 3, 7, 64, 1 << 16] {
            let mut r = LineReader::new(io::BufReader::with_capacity(cap, text.as_bytes()));
            let mut got = Vec::new();
            while let Some(line) = r.next_line().unwrap() {
                got.push(match line {
                    Line::Ok(l) => String::from_utf8(l.to_vec()).unwrap(),
                    Line::TooLong => "<too long>".into(),
                });
            }
            let want = [
                "a,1",
                "",
                "bb,22",
                "<too long>",
                "ccc,333",
                &"y".repeat(MAX_LINE),
                "tail",
            ];
            assert_eq!(got, want, "buffer of {cap} bytes");
        }
    }
}
