//! The line-oriented decoder: lines in, complete payloads ([`Frame`]s) out.
//!
//! It owns no I/O: the caller reads lines (from a file, socket, stdin) and
//! hands each one to [`Decoder::feed`]. Single-sentence messages are decoded
//! without allocation; multi-sentence messages go through the
//! [`Assembler`](crate::assemble::Assembler).

use crate::assemble::{Assembler, AssemblyStats, FragmentError, Limits};
use crate::bits::{ArmourError, Payload};
use crate::nmea::{self, SentenceError};
use crate::station::Station;
use crate::time::gatehouse_time_ms;

/// Why a line produced nothing. All causes let the stream continue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum LineError {
    /// The line is not a valid sentence.
    #[error(transparent)]
    Sentence(#[from] SentenceError),
    /// The payload's armouring is invalid or too long.
    #[error("payload: {0}")]
    Armour(#[from] ArmourError),
    /// A fragment could not be placed in a group.
    #[error(transparent)]
    Fragment(#[from] FragmentError),
}

impl LineError {
    /// Whether the stream can continue (always for line-level errors).
    pub const fn can_continue(&self) -> bool {
        true
    }

    /// A stable snake_case name for counters and logs.
    pub const fn cause(&self) -> &'static str {
        match self {
            Self::Sentence(e) => e.cause(),
            Self::Armour(ArmourError::BadChar(_)) => "bad_armour",
            Self::Armour(ArmourError::TooLong) => "payload_too_long",
            Self::Armour(ArmourError::BadFill(_)) => "bad_fill",
            Self::Fragment(FragmentError::Orphan) => "orphan_fragment",
            Self::Fragment(FragmentError::OutOfSequence) => "fragment_out_of_sequence",
            Self::Fragment(FragmentError::Armour(_)) => "bad_armour",
        }
    }
}

/// What one line yielded.
#[derive(Debug)]
pub enum Output<'a> {
    /// A complete message payload.
    Frame(Frame<'a>),
    /// A fragment was stored; the message is not complete yet.
    Partial,
    /// A non-AIS line that carried only metadata (Gatehouse `$PGHP` time).
    Metadata,
}

/// The raw sentence(s) that made a frame, kept for evidence.
#[derive(Debug, Clone, Copy)]
pub enum Raw<'a> {
    /// One line.
    Single(&'a [u8]),
    /// Several lines, `\n`-separated.
    Joined(&'a [u8]),
}

impl<'a> Raw<'a> {
    /// The bytes, lines separated by `\n`.
    pub fn as_bytes(&self) -> &'a [u8] {
        match self {
            Self::Single(b) | Self::Joined(b) => b,
        }
    }

    /// Each sentence line.
    pub fn lines(&self) -> impl Iterator<Item = &'a [u8]> {
        self.as_bytes().split(|&b| b == b'\n')
    }
}

/// A complete payload with what the framing told about it.
#[derive(Debug)]
pub struct Frame<'a> {
    /// The unarmoured message bits.
    pub payload: &'a Payload,
    /// Event time (unix ms): tag block `c:`, trailer timestamp, or `$PGHP`.
    pub time_ms: Option<i64>,
    /// Receiving station (tag block `s:`).
    pub station: Option<Station>,
    /// Radio channel of the (first) sentence.
    pub channel: Option<u8>,
    /// Talker of the sentence(s).
    pub talker: [u8; 2],
    /// True for `VDO` own-ship reports.
    pub own_ship: bool,
    /// False when a tag block's checksum was wrong (the message is still good).
    pub tag_checksum_ok: bool,
    /// Number of sentences the message spanned.
    pub sentences: u8,
    /// The original line(s).
    pub raw: Raw<'a>,
}

/// Line counters kept by the decoder.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DecoderStats {
    /// Lines fed.
    pub lines: u64,
    /// Valid AIS sentences.
    pub sentences: u64,
    /// Complete payloads produced.
    pub frames: u64,
    /// Frames whose tag block checksum was wrong.
    pub tag_checksum_bad: u64,
}

/// Turns lines into frames. One decoder per input stream is typical; several
/// streams may share one by passing distinct `source` ids.
#[derive(Debug, Default)]
pub struct Decoder {
    assembler: Assembler,
    single: Payload,
    pending_time_ms: Option<i64>,
    stats: DecoderStats,
}

impl Decoder {
    /// A decoder with default reassembly limits.
    pub fn new() -> Self {
        Self::default()
    }

    /// A decoder with explicit reassembly limits.
    pub fn with_limits(limits: Limits) -> Self {
        Self {
            assembler: Assembler::new(limits),
            ..Self::default()
        }
    }

    /// Line counters.
    pub fn stats(&self) -> DecoderStats {
        self.stats
    }

    /// Fragment drop counters.
    pub fn assembly_stats(&self) -> AssemblyStats {
        self.assembler.stats
    }

    /// Incomplete multi-sentence groups currently held.
    pub fn in_flight(&self) -> usize {
        self.assembler.in_flight()
    }

    /// Feeds one line from input stream `source` (line ending optional).
    pub fn feed<'a>(&'a mut self, source: u32, line: &'a [u8]) -> Result<Output<'a>, LineError> {
        self.stats.lines += 1;
        // Each parser's sentence goes its own way, so that the common one
        // stays in registers (no merged copy on the stack).
        if line.first() == Some(&b'\\') {
            if let Some(u) = nmea::parse_fast_unverified::<true>(line) {
                return self.fast(source, u);
            }
        } else if let Some(u) = nmea::parse_fast_unverified::<false>(line) {
            return self.fast(source, u);
        }
        self.reference(source, line)
    }

    /// A line the fast path does not take: the reference parser decides.
    #[cold]
    #[inline(never)]
    fn reference<'a>(&'a mut self, source: u32, line: &'a [u8]) -> Result<Output<'a>, LineError> {
        match nmea::parse_reference(line) {
            Ok(s) => self.sentence(source, s),
            Err(e) => self.sentence_error(line, e),
        }
    }

    /// A line of the common shape. Its checksum is checked here: for a
    /// single sentence, unarmouring reads the payload and folds its bytes
    /// into the checksum on the way. Anything amiss (checksum, armour, a `,`
    /// or `*` in a fragment's payload) sends the line to the strict parser,
    /// whose verdict counts.
    #[inline(always)]
    fn fast<'a>(
        &'a mut self,
        source: u32,
        u: nmea::Unverified<'a>,
    ) -> Result<Output<'a>, LineError> {
        let s = &u.sentence;
        if s.total == 1 {
            let (res, xor) = self.single.set_armoured_xor(s.payload, s.fill);
            if res.is_err() || !u.checksum_ok(xor) {
                return self.strict(source, s.line);
            }
            return Ok(self.single_frame(&u.sentence));
        }
        let (strict_needed, xor) = nmea::contains_either_xor(s.payload, b',', b'*');
        if strict_needed || !u.checksum_ok(xor) {
            return self.strict(source, s.line);
        }
        self.fragment(source, u.sentence)
    }

    /// A strictly parsed sentence (its payload holds no `,` or `*`).
    #[inline(always)]
    fn sentence<'a>(
        &'a mut self,
        source: u32,
        s: nmea::Sentence<'a>,
    ) -> Result<Output<'a>, LineError> {
        if s.total == 1 {
            if let Err(e) = self.single.set_armoured(s.payload, s.fill) {
                self.stats.sentences += 1;
                self.pending_time_ms = None;
                return Err(e.into());
            }
            return Ok(self.single_frame(&s));
        }
        self.fragment(source, s)
    }

    /// The frame of a single-sentence message, whose payload is unarmoured.
    #[inline(always)]
    fn single_frame<'a>(&'a mut self, s: &nmea::Sentence<'a>) -> Output<'a> {
        self.stats.sentences += 1;
        let pending = self.pending_time_ms.take();
        let time_ms = s.time_ms().or(pending);
        let tag_ok = s.tag.is_none_or(|t| t.checksum_ok);
        self.count_frame(tag_ok);
        Output::Frame(Frame {
            payload: &self.single,
            time_ms,
            station: s.tag.and_then(|t| t.station).map(Station::new),
            channel: s.channel,
            talker: s.talker,
            own_ship: s.own_ship,
            tag_checksum_ok: tag_ok,
            sentences: 1,
            raw: Raw::Single(s.line),
        })
    }

    /// One fragment of a multi-sentence message.
    ///
    /// Takes the sentence by value, so that only this path builds it in
    /// memory (a reference would make every line's sentence leave the
    /// registers).
    #[inline(never)]
    fn fragment<'a>(
        &'a mut self,
        source: u32,
        s: nmea::Sentence<'a>,
    ) -> Result<Output<'a>, LineError> {
        let s = &s;
        self.stats.sentences += 1;
        let pending = self.pending_time_ms.take();
        let time_ms = s.time_ms().or(pending);
        let Some(i) = self.assembler.push_slot(source, s, self.stats.lines)? else {
            return Ok(Output::Partial);
        };
        let tag_ok = {
            let g = self.assembler.slot_mut(i);
            g.time_ms = g.time_ms.or(time_ms);
            g.tag_checksum_ok
        };
        self.count_frame(tag_ok);
        let g = &*self.assembler.slot_mut(i);
        Ok(Output::Frame(Frame {
            payload: &g.payload,
            time_ms: g.time_ms,
            station: g.station,
            channel: s.channel,
            talker: s.talker,
            own_ship: s.own_ship,
            tag_checksum_ok: g.tag_checksum_ok,
            sentences: g.sentences,
            raw: Raw::Joined(&g.raw),
        }))
    }

    /// The strict parser's verdict on a line the fast path took.
    #[cold]
    #[inline(never)]
    fn strict<'a>(&'a mut self, source: u32, line: &'a [u8]) -> Result<Output<'a>, LineError> {
        match nmea::parse(line) {
            Ok(s) => self.sentence(source, s),
            Err(e) => self.sentence_error(line, e),
        }
    }

    fn sentence_error<'a>(
        &mut self,
        line: &[u8],
        e: SentenceError,
    ) -> Result<Output<'a>, LineError> {
        match e {
            SentenceError::NotAis => self.metadata_line(line),
            e => Err(e.into()),
        }
    }

    fn count_frame(&mut self, tag_ok: bool) {
        self.stats.frames += 1;
        self.stats.tag_checksum_bad += u64::from(!tag_ok);
    }

    fn metadata_line<'a>(&mut self, line: &[u8]) -> Result<Output<'a>, LineError> {
        match gatehouse_time_ms(line) {
            Some(t) => {
                self.pending_time_ms = Some(t);
                Ok(Output::Metadata)
            }
            None => Err(SentenceError::NotAis.into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assemble::FragmentError;

    /// What a fresh decoder must make of one line, from the strict parser
    /// alone: the model the fast path (checksum folded into unarmouring,
    /// lax payload checks) must agree with.
    fn model(line: &[u8]) -> Result<Option<(Vec<u8>, usize)>, LineError> {
        let s = match nmea::parse(line) {
            Ok(s) => s,
            Err(SentenceError::NotAis) if gatehouse_time_ms(line).is_some() => return Ok(None),
            Err(e) => return Err(e.into()),
        };
        if s.total == 1 {
            let p = Payload::from_armoured(s.payload, s.fill)?;
            return Ok(Some((p.as_bytes().to_vec(), p.len_bits())));
        }
        if s.number != 1 {
            return Err(FragmentError::Orphan.into());
        }
        Payload::new()
            .push_armoured(s.payload)
            .map_err(FragmentError::from)?;
        Ok(None)
    }

    fn fix_checksum(line: &[u8]) -> Option<Vec<u8>> {
        let bang = line.iter().position(|&b| b == b'!')?;
        let star = bang + 1 + line[bang + 1..].iter().position(|&b| b == b'*')?;
        if line.len() < star + 3 {
            return None;
        }
        let c = line[bang + 1..star].iter().fold(0u8, |a, &b| a ^ b);
        let mut l = line.to_vec();
        let hex = b"0123456789ABCDEF";
        l[star + 1] = hex[usize::from(c >> 4)];
        l[star + 2] = hex[usize::from(c & 15)];
        Some(l)
    }

    #[test]
    fn fast_path_agrees_with_the_strict_model() {
        let mut lines: Vec<Vec<u8>> = [
            &b"!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A"[..],
            b"\\s:2573345,c:1700000000*5A\\!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A",
            b"\\g:1-2-9999,c:1565218798*53\\!BSVDM,1,1,,A,13mb9U0P00PRk8fT5nw>4?wj2006,0*5D",
            b"!AIVDM,2,1,3,B,55P5TL01VIaAL@7WKO@mBplU@<PDhh000000001S;AJ::4A80?4i@E53,0*3E",
            b"!AIVDM,1,1,,A,,0*26",
            b"!AIVDM,1,1,,A,w,5*56",
            b"!AIVDM,1,1,,A,13u?etPv2;0n:dDPwUM1U1Cb069D,0*24,b003669794,1272412827",
            b"$PGHP,1,2013,3,13,10,39,18,375,219,,2190047,1,4A*57",
        ]
        .iter()
        .map(|l| l.to_vec())
        .collect();
        let root =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/ais/gpsd");
        if let Ok(text) = std::fs::read(root.join("sample.aivdm")) {
            lines.extend(text.split(|&b| b == b'\n').map(<[u8]>::to_vec));
        }
        let mut variants = Vec::new();
        for (n, line) in lines.iter().enumerate() {
            variants.push(line.clone());
            if n < 12 || n % 17 == 0 {
                for i in 0..line.len() {
                    for b in [b',', b'*', b'!', b'\\', b'0', b'5', b'x', b'w', b'W', 0x80] {
                        let mut m = line.clone();
                        m[i] = b;
                        variants.extend(fix_checksum(&m));
                        variants.push(m);
                    }
                    let mut m = line.clone();
                    m.remove(i);
                    variants.extend(fix_checksum(&m));
                }
            }
        }
        assert!(variants.len() > 1000);
        for v in &variants {
            let want = model(v);
            let mut d = Decoder::new();
            let got = match d.feed(0, v) {
                Ok(Output::Frame(f)) => {
                    Ok(Some((f.payload.as_bytes().to_vec(), f.payload.len_bits())))
                }
                Ok(Output::Partial | Output::Metadata) => Ok(None),
                Err(e) => Err(e),
            };
            assert_eq!(got, want, "{:?}", String::from_utf8_lossy(v));
        }
    }
}
