//! One NMEA 0183 `!xxVDM` / `!xxVDO` sentence, with its tag block and
//! trailing metadata.

use super::{hex_value, tagblock, TagBlock};

/// Longest line the parser looks at, in bytes. NMEA caps a sentence at 82
/// characters; tag blocks and trailing receiver metadata add a few hundred.
pub const MAX_LINE: usize = 1024;

/// Why a line is not a usable AIS sentence. Every cause lets the stream
/// continue: the line is counted and skipped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SentenceError {
    /// Blank line, comment, or another NMEA sentence (`$GPGGA` …).
    #[error("not an AIS sentence")]
    NotAis,
    /// Longer than [`MAX_LINE`].
    #[error("line longer than {MAX_LINE} bytes")]
    TooLong,
    /// The NMEA `*hh` checksum does not match the sentence.
    #[error("NMEA checksum mismatch: sentence says {given:02X}, computed {computed:02X}")]
    BadChecksum {
        /// Checksum written in the sentence.
        given: u8,
        /// Checksum computed over the sentence.
        computed: u8,
    },
    /// No `*hh` checksum, or one that is not hexadecimal.
    #[error("missing or malformed NMEA checksum")]
    MissingChecksum,
    /// A tag block opened with `\` but never closed.
    #[error("unterminated tag block")]
    UnterminatedTagBlock,
    /// Wrong number of fields or a field that is not what VDM requires.
    #[error("malformed VDM field: {0}")]
    Malformed(&'static str),
}

impl SentenceError {
    /// Whether the input stream can go on after this error (always, for
    /// line-level errors; kept for symmetry with I/O errors upstream).
    pub const fn can_continue(&self) -> bool {
        true
    }

    /// A short, stable snake_case name for counters.
    pub const fn cause(&self) -> &'static str {
        match self {
            Self::NotAis => "not_ais",
            Self::TooLong => "too_long",
            Self::BadChecksum { .. } => "bad_checksum",
            Self::MissingChecksum => "missing_checksum",
            Self::UnterminatedTagBlock => "unterminated_tag_block",
            Self::Malformed(_) => "malformed",
        }
    }
}

/// A parsed `!xxVDM`/`!xxVDO` sentence. Borrows the input line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sentence<'a> {
    /// Tag block in front of the sentence, if any.
    pub tag: Option<TagBlock<'a>>,
    /// Two-character talker (`AI`, `BS`, `AB`, `--` …).
    pub talker: [u8; 2],
    /// True for `VDO` (own ship), false for `VDM`.
    pub own_ship: bool,
    /// Number of sentences in the message (1–9).
    pub total: u8,
    /// This sentence's number (1-based).
    pub number: u8,
    /// Sequential message id (0–9) linking the parts of a multi-sentence
    /// message; `None` when empty.
    pub seq_id: Option<u8>,
    /// Radio channel (`A`, `B`, `1`, `2`), `None` when empty.
    pub channel: Option<u8>,
    /// Armoured payload characters.
    pub payload: &'a [u8],
    /// Fill bits (0–5) at the end of the payload.
    pub fill: u8,
    /// Unix milliseconds from trailing receiver metadata after the checksum
    /// (USCG `,b003669794,1272412827`, raishub `,raishub,1342569600`).
    pub trailer_time_ms: Option<i64>,
    /// The whole line without its line ending.
    pub line: &'a [u8],
}

impl<'a> Sentence<'a> {
    /// Event time from the tag block `c:` or, failing that, the trailer.
    pub fn time_ms(&self) -> Option<i64> {
        self.tag.and_then(|t| t.time_ms).or(self.trailer_time_ms)
    }
}

/// Parses one line (line ending optional). Verifies the NMEA checksum.
pub fn parse(line: &[u8]) -> Result<Sentence<'_>, SentenceError> {
    let line = trim_end(line);
    if line.len() > MAX_LINE {
        return Err(SentenceError::TooLong);
    }
    let (tag, rest) = split_tag_block(line)?;
    let rest = match rest.first() {
        Some(b'!') => &rest[1..],
        // Some feeds drop the leading '!' (gpsd's sample has one such line):
        // without it the line is not trusted.
        _ => return Err(SentenceError::NotAis),
    };
    let star = memchr_byte(b'*', rest).ok_or(SentenceError::MissingChecksum)?;
    let body = &rest[..star];
    let after = &rest[star + 1..];
    let given = match (
        after.first().and_then(|&c| hex_value(c)),
        after.get(1).and_then(|&c| hex_value(c)),
    ) {
        (Some(h), Some(l)) => h << 4 | l,
        _ => return Err(SentenceError::MissingChecksum),
    };
    if body.len() < 5 || !(body[2..5] == *b"VDM" || body[2..5] == *b"VDO") {
        return Err(SentenceError::NotAis);
    }
    let computed = body.iter().fold(0u8, |a, &b| a ^ b);
    if computed != given {
        return Err(SentenceError::BadChecksum { given, computed });
    }
    let mut s = parse_fields(body)?;
    s.tag = tag;
    s.trailer_time_ms = trailer_time(&after[2..]);
    s.line = line;
    Ok(s)
}

fn parse_fields(body: &[u8]) -> Result<Sentence<'_>, SentenceError> {
    let mut f = body.split(|&b| b == b',');
    let head = f.next().unwrap_or_default();
    let total = digit(f.next(), "fragment count")?;
    let number = digit(f.next(), "fragment number")?;
    let seq = f.next().ok_or(SentenceError::Malformed("sequence id"))?;
    let chan = f.next().ok_or(SentenceError::Malformed("channel"))?;
    let payload = f.next().ok_or(SentenceError::Malformed("payload"))?;
    let fill = digit(f.next(), "fill bits")?;
    if f.next().is_some() {
        return Err(SentenceError::Malformed("too many fields"));
    }
    if total == 0 || number == 0 || number > total {
        return Err(SentenceError::Malformed("fragment numbering"));
    }
    if fill > 5 {
        return Err(SentenceError::Malformed("fill bits"));
    }
    let seq_id = match seq {
        [] => None,
        [d] if d.is_ascii_digit() => Some(d - b'0'),
        _ => return Err(SentenceError::Malformed("sequence id")),
    };
    let channel = match chan {
        [] => None,
        [c, ..] => Some(*c),
    };
    Ok(Sentence {
        tag: None,
        talker: [head[0], head[1]],
        own_ship: head[4] == b'O',
        total,
        number,
        seq_id,
        channel,
        payload,
        fill,
        trailer_time_ms: None,
        line: body,
    })
}

fn digit(f: Option<&[u8]>, what: &'static str) -> Result<u8, SentenceError> {
    match f {
        Some([d]) if d.is_ascii_digit() => Ok(d - b'0'),
        _ => Err(SentenceError::Malformed(what)),
    }
}

fn split_tag_block(line: &[u8]) -> Result<(Option<TagBlock<'_>>, &[u8]), SentenceError> {
    if line.first() != Some(&b'\\') {
        return Ok((None, line));
    }
    let end = memchr_byte(b'\\', &line[1..]).ok_or(SentenceError::UnterminatedTagBlock)? + 1;
    Ok((Some(tagblock::parse(&line[1..end])), &line[end + 1..]))
}

/// The first 10- or 13-digit field after the checksum is the receive time.
fn trailer_time(after: &[u8]) -> Option<i64> {
    after
        .split(|&b| b == b',')
        .skip(1)
        .find(|f| (f.len() == 10 || f.len() == 13) && f.iter().all(u8::is_ascii_digit))
        .and_then(tagblock::parse_unix_time)
}

fn trim_end(mut line: &[u8]) -> &[u8] {
    while let [rest @ .., b'\r' | b'\n' | b' ' | b'\t' | 0] = line {
        line = rest;
    }
    line
}

#[inline]
fn memchr_byte(needle: u8, hay: &[u8]) -> Option<usize> {
    hay.iter().position(|&b| b == needle)
}
