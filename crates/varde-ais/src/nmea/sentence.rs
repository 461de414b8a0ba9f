//! One NMEA 0183 `!xxVDM` / `!xxVDO` sentence, with its tag block and
//! trailing metadata.

use super::swar::{contains_either, find_byte};
use super::{hex_pair, hex_value, tagblock, TagBlock};

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
    match parse_fast(line) {
        Some(s) if !contains_either(s.payload, b',', b'*') => Ok(s),
        _ => parse_reference(line),
    }
}

/// [`parse`] without the scan of the payload for `,` and `*`: the caller
/// must check the payload (unarmouring rejects both bytes) and, if it holds
/// one, ask [`parse`] for the verdict. Identical to [`parse`] otherwise.
#[cfg(test)]
fn parse_lax(line: &[u8]) -> Result<Sentence<'_>, SentenceError> {
    match parse_fast(line) {
        Some(s) => Ok(s),
        None => parse_reference(line),
    }
}

/// A sentence from [`parse_fast_unverified`] whose NMEA checksum is still
/// to be checked: the caller folds the payload's bytes in (unarmouring
/// reads them anyway).
pub(crate) struct Unverified<'a> {
    /// The sentence, valid once [`Unverified::checksum_ok`] says so.
    pub(crate) sentence: Sentence<'a>,
    /// The checksum written in the line.
    given: u8,
    /// XOR of the checksummed bytes outside the payload.
    outer: u8,
}

impl Unverified<'_> {
    /// Whether the checksum matches, given the XOR of the payload bytes.
    #[inline(always)]
    pub(crate) fn checksum_ok(&self, payload_xor: u8) -> bool {
        self.outer ^ payload_xor == self.given
    }
}

/// The common shape only: `[\tag\]!ttVDx,t,n,[s],[c],payload,f*hh[trailer]`
/// with one-byte fields. `None` means "ask [`parse_reference`]", which
/// decides every other line (and every error). When this returns `Some`,
/// [`parse_reference`] returns the same sentence, provided the payload holds
/// no `,` or `*` (the caller checks, or lets unarmouring reject them).
#[inline(always)]
pub(crate) fn parse_fast(line: &[u8]) -> Option<Sentence<'_>> {
    let u = if line.first() == Some(&b'\\') {
        parse_fast_unverified::<true>(line)?
    } else {
        parse_fast_unverified::<false>(line)?
    };
    u.checksum_ok(xor_checksum(u.sentence.payload))
        .then_some(u.sentence)
}

/// [`parse_fast`] without the checksum: see [`Unverified`]. `TAG`: the
/// line starts with a tag block (`\`); each kind of line gets code of its
/// own, so that the common one carries nothing of tag blocks.
#[inline(always)]
pub(crate) fn parse_fast_unverified<const TAG: bool>(line: &[u8]) -> Option<Unverified<'_>> {
    debug_assert_eq!(TAG, line.first() == Some(&b'\\'));
    let line = trim_end(line);
    if line.len() > MAX_LINE {
        return None;
    }
    let (tag, rest) = if TAG {
        let end = find_byte(&line[1..], b'\\')? + 1;
        (Some(tagblock::parse(&line[1..end])), &line[end + 1..])
    } else {
        (None, line)
    };
    let rest = rest.strip_prefix(b"!")?;
    let n = rest.len();
    // Usually the checksum ends the line; otherwise (receiver trailer) the
    // first `*` is the checksum's.
    let star = if n >= 3 && rest[n - 3] == b'*' {
        n - 3
    } else {
        find_byte(rest, b'*')?
    };
    let body = &rest[..star];
    let after = &rest[star + 1..];
    let given = match after {
        [h, l, ..] => hex_pair(*h, *l)?,
        _ => return None,
    };
    // Leading fields, one byte each: `ttVDx,t,n,`.
    let [t0, t1, b'V', b'D', kind, b',', total, b',', number, b',', ..] = *body else {
        return None;
    };
    let number_byte = number;
    if matches!(t0, b'*' | b',') || matches!(t1, b'*' | b',') || !(kind == b'M' || kind == b'O') {
        return None;
    }
    let (total, number) = (total.wrapping_sub(b'0'), number.wrapping_sub(b'0'));
    if total > 9 || number > 9 || total == 0 || number == 0 || number > total {
        return None;
    }
    // Sequence id and channel, each one byte or empty: `[s],[c],` from byte
    // 10. Whether each is there varies from line to line, so this is
    // worked out without branches on it.
    let [b0, b1, b2, b3] = *body.get(10..14)? else {
        return None;
    };
    let has_seq = b0 != b',';
    let seq_ok = !has_seq | (b0.is_ascii_digit() & (b1 == b','));
    let c = if has_seq { b2 } else { b1 };
    let after_c = if has_seq { b3 } else { b2 };
    let has_channel = c != b',';
    let channel_ok = !has_channel | ((c != b'*') & (after_c == b','));
    if !(seq_ok & channel_ok) {
        return None;
    }
    let seq_id = has_seq.then_some(b0.wrapping_sub(b'0'));
    let channel = has_channel.then_some(c);
    let p = 12 + usize::from(has_seq) + usize::from(has_channel);
    // Trailing field: `,f`.
    let len = body.len();
    if len < p + 2 || body[len - 2] != b',' {
        return None;
    }
    let fill = body[len - 1].wrapping_sub(b'0');
    if fill > 5 {
        return None;
    }
    // XOR of the header `ttVDx,t,n,[s],[c],` and the `,f` after the payload,
    // from fixed offsets (no wait for `p`): the two commas after the
    // optional fields cancel out.
    let w1 = u64::from_le_bytes(body[..8].try_into().unwrap_or([0; 8]));
    let optional = if has_seq { b0 } else { 0 } ^ if has_channel { c } else { 0 };
    let outer = fold_xor(w1) ^ number_byte ^ b',' ^ optional ^ body[len - 2] ^ body[len - 1];
    let sentence = Sentence {
        tag,
        talker: [t0, t1],
        own_ship: kind == b'O',
        total,
        number,
        seq_id,
        channel,
        payload: &body[p..len - 2],
        fill,
        trailer_time_ms: if after.len() > 2 {
            trailer_time(&after[2..])
        } else {
            None
        },
        line,
    };
    Some(Unverified {
        sentence,
        given,
        outer,
    })
}

/// The XOR of the eight bytes of `x`.
#[inline(always)]
pub(crate) fn fold_xor(mut x: u64) -> u8 {
    x ^= x >> 32;
    x ^= x >> 16;
    x ^= x >> 8;
    x as u8
}

/// XOR of all bytes, eight at a time.
#[inline]
pub(crate) fn xor_checksum(b: &[u8]) -> u8 {
    let n = b.len();
    let mut chunks = b.chunks_exact(8);
    let mut acc = 0u64;
    for c in &mut chunks {
        acc ^= u64::from_le_bytes(c.try_into().unwrap_or([0; 8]));
    }
    let r = chunks.remainder().len();
    if n >= 8 {
        // The last eight bytes, without the 8 - r already counted (the low
        // bytes of a little-endian load); nothing when r is 0.
        let last = u64::from_le_bytes(b[n - 8..].try_into().unwrap_or([0; 8]));
        acc ^= last.checked_shr(8 * (8 - r) as u32).unwrap_or(0);
    } else {
        acc ^= chunks.remainder().iter().fold(0, |a, &b| a ^ u64::from(b));
    }
    fold_xor(acc)
}

/// The straightforward parser, the reference for [`parse_fast`]: decides
/// every line the fast path declines, and every error. Its payload never
/// holds `,` or `*`.
#[inline(never)]
pub(crate) fn parse_reference(line: &[u8]) -> Result<Sentence<'_>, SentenceError> {
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
    let computed = xor_checksum(body);
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

/// The first 10- or 13-digit field after the checksum is the receive time
/// (`after` starts behind the checksum; what precedes its first comma is
/// not a field).
fn trailer_time(after: &[u8]) -> Option<i64> {
    let mut rest = &after[find_byte(after, b',')? + 1..];
    loop {
        let end = find_byte(rest, b',').unwrap_or(rest.len());
        let f = &rest[..end];
        if (f.len() == 10 || f.len() == 13) && f.iter().all(u8::is_ascii_digit) {
            return tagblock::parse_unix_time(f);
        }
        rest = rest.get(end + 1..)?;
    }
}

fn trim_end(mut line: &[u8]) -> &[u8] {
    while let [rest @ .., b'\r' | b'\n' | b' ' | b'\t' | 0] = line {
        line = rest;
    }
    line
}

#[inline]
fn memchr_byte(needle: u8, hay: &[u8]) -> Option<usize> {
    memchr::memchr(needle, hay)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every line of the shared AIS data (when present), plus hand-made edge
    /// cases.
    fn lines() -> Vec<Vec<u8>> {
        let mut out: Vec<Vec<u8>> = [
            &b"!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A"[..],
            b"!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A\r\n",
            b"\\s:2573345,c:1700000000*5A\\!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A",
            b"!AIVDM,2,1,3,B,55P5TL01VIaAL@7WKO@mBplU@<PDhh000000001S;AJ::4A80?4i@E53,0*3E",
            b"!AIVDM,1,1,,A,,0*26",
            b"!AIVDM,1,1,,,,0*26",
            b"!AIVDM,1,1,,AB,13u?etPv2;0n:dDPwUM1U1Cb069D,0*23",
            b"!AIVDMX,1,1,,A,13u?etPv2;0n:dDPwUM1U1Cb069D,0*23",
            b"!AIVDM,1,1,,A,13u?etPv2;0n:dDPwUM1U1Cb069D,0*24,b003669794,1272412827",
            b"!AIVDM,1,1,,A,PAY,0*00,x,0*00",
            b"!AIVDM,1,1,,A,P*Y,0*00",
            b"!AIVDM,1,1,,A,P,Y,0*00",
            b"!AI*DM,1,1,,A,PY,0*00",
            b"!AIVDM,1,1,1,*,PY,0*00",
        ]
        .iter()
        .map(|l| l.to_vec())
        .collect();
        let root =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/ais");
        let mut stack = vec![root];
        while let Some(dir) = stack.pop() {
            let Ok(rd) = std::fs::read_dir(&dir) else {
                continue;
            };
            for e in rd.flatten() {
                let p = e.path();
                if p.is_dir() {
                    stack.push(p);
                } else if let Ok(bytes) = std::fs::read(&p) {
                    if bytes.len() < 20_000_000 {
                        out.extend(bytes.split(|&b| b == b'\n').map(<[u8]>::to_vec));
                    }
                }
            }
        }
        out
    }

    /// Fixes the checksum of a mutated line so that it reaches field parsing.
    fn with_checksum(line: &[u8]) -> Option<Vec<u8>> {
        let bang = line.iter().position(|&b| b == b'!')?;
        let star = bang + 1 + line[bang + 1..].iter().position(|&b| b == b'*')?;
        let mut l = line.to_vec();
        let c = xor_checksum(&line[bang + 1..star]);
        if l.len() < star + 3 {
            return None;
        }
        let hex = b"0123456789ABCDEF";
        l[star + 1] = hex[usize::from(c >> 4)];
        l[star + 2] = hex[usize::from(c & 15)];
        Some(l)
    }

    #[test]
    fn fast_path_agrees_with_reference() {
        let mut checked = 0usize;
        for (n, line) in lines().into_iter().enumerate() {
            let mut variants = vec![line.clone()];
            // Mutations of the edge cases and of a sample of real lines.
            if line.len() < 200 && (n < 20 || n % 211 == 0) {
                for i in 0..line.len() {
                    for b in [b',', b'*', b'!', b'\\', b'1', b'0', b'9', b'A', b'O', b'x'] {
                        let mut m = line.clone();
                        m[i] = b;
                        variants.extend(with_checksum(&m));
                        variants.push(m);
                    }
                    let mut m = line.clone();
                    m.remove(i);
                    variants.extend(with_checksum(&m));
                    variants.push(m);
                }
            }
            for v in variants {
                let strict = parse_reference(&v);
                assert_eq!(parse(&v), strict, "{:?}", String::from_utf8_lossy(&v));
                let lax = parse_lax(&v);
                match (&lax, &strict) {
                    (Ok(l), _) if memchr::memchr2(b',', b'*', l.payload).is_some() => {}
                    _ => assert_eq!(lax, strict, "{:?}", String::from_utf8_lossy(&v)),
                }
                checked += 1;
            }
        }
        assert!(checked > 100);
    }

    #[test]
    fn trailer_time_as_split_fields() {
        let reference = |after: &[u8]| {
            after
                .split(|&b| b == b',')
                .skip(1)
                .find(|f| (f.len() == 10 || f.len() == 13) && f.iter().all(u8::is_ascii_digit))
                .and_then(tagblock::parse_unix_time)
        };
        for t in [
            &b""[..],
            b",",
            b"1272412827",
            b",1272412827",
            b",b003669794,1272412827",
            b",raishub,1342569600",
            b",s28089,d-103,T39.44353985,x147521,r08TPHI1,1242958962",
            b",1234567890123,",
            b",123456789,12345678901,1234567890",
            b",,,1234567890x,1234567890",
            b"x,,",
        ] {
            assert_eq!(
                trailer_time(t),
                reference(t),
                "{:?}",
                String::from_utf8_lossy(t)
            );
        }
    }

    #[test]
    fn xor_matches_bytewise_fold() {
        let data: Vec<u8> = (0..200u32).map(|i| (i * 37 + 11) as u8).collect();
        for n in 0..data.len() {
            let want = data[..n].iter().fold(0u8, |a, &b| a ^ b);
            assert_eq!(xor_checksum(&data[..n]), want);
        }
    }
}
