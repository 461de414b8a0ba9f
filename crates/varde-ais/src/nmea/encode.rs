//! Encoder: an unarmoured [`Payload`] → NMEA sentence lines.

use crate::bits::Payload;
use std::fmt::Write;

/// XOR checksum over the bytes between `!`/`\` and `*`.
pub fn checksum(body: &[u8]) -> u8 {
    super::sentence::xor_checksum(body)
}

/// How to frame encoded sentences.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EncodeOptions {
    /// Two-character talker, e.g. `AI` or `BS`.
    pub talker: [u8; 2],
    /// Own-ship (`VDO`) instead of `VDM`.
    pub own_ship: bool,
    /// Radio channel, `A` or `B`.
    pub channel: u8,
    /// Sequential message id (0–9) for multi-sentence messages.
    pub seq_id: u8,
    /// Most armoured characters per sentence (60 keeps lines within 82 chars).
    pub max_chars: usize,
    /// When set, prefix each line with a tag block carrying `c:` (unix
    /// seconds) and, if given, `s:` station; multi-sentence messages also get
    /// `g:n-m-id`.
    pub tag_time_s: Option<i64>,
    /// Source station written as `s:` in the tag block.
    pub station: Option<String>,
    /// Group id used for `g:` on multi-sentence messages.
    pub group_id: u32,
}

impl Default for EncodeOptions {
    fn default() -> Self {
        Self {
            talker: *b"AI",
            own_ship: false,
            channel: b'A',
            seq_id: 0,
            max_chars: 60,
            tag_time_s: None,
            station: None,
            group_id: 1,
        }
    }
}

/// Encodes `payload` into one or more complete lines (no line endings).
pub fn encode_sentences(payload: &Payload, opts: &EncodeOptions) -> Vec<String> {
    let (armoured, fill) = payload.to_armoured();
    let max = opts.max_chars.max(1);
    let chunks: Vec<&str> = if armoured.is_empty() {
        vec![""]
    } else {
        armoured
            .as_bytes()
            .chunks(max)
            .map(|c| std::str::from_utf8(c).unwrap_or(""))
            .collect()
    };
    let total = chunks.len().min(9);
    let talker = std::str::from_utf8(&opts.talker).unwrap_or("AI");
    let kind = if opts.own_ship { "VDO" } else { "VDM" };
    let mut out = Vec::with_capacity(total);
    for (i, chunk) in chunks.iter().take(total).enumerate() {
        let mut line = String::with_capacity(100);
        if let Some(t) = opts.tag_time_s {
            let mut tag = String::new();
            if total > 1 {
                let _ = write!(tag, "g:{}-{}-{},", i + 1, total, opts.group_id);
            }
            if let Some(s) = &opts.station {
                let _ = write!(tag, "s:{s},");
            }
            let _ = write!(tag, "c:{t}");
            let _ = write!(line, "\\{tag}*{:02X}\\", checksum(tag.as_bytes()));
        }
        let seq = if total > 1 {
            (b'0' + opts.seq_id % 10) as char
        } else {
            '\0'
        };
        let mut body = format!("{talker}{kind},{total},{},", i + 1);
        if seq != '\0' {
            body.push(seq);
        }
        let f = if i + 1 == total { fill } else { 0 };
        let _ = write!(body, ",{},{chunk},{f}", opts.channel as char);
        let _ = write!(line, "!{body}*{:02X}", checksum(body.as_bytes()));
        out.push(line);
    }
    out
}
