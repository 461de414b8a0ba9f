//! The accepted journal lines as re-broadcast: tag blocks stripped or kept, one `\r\n` per
//! sentence, and the MMSI of the group (for the audit log).

/// `raw` (one accepted frame: one sentence, or a multi-sentence group joined by `\n`, each
/// sentence possibly behind an NMEA 4.10 tag block `\…\`) as sent on the wire: each sentence on
/// its own `\r\n`-ended line, in order, with its tag block unless `strip_tags`.
pub fn wire(raw: &str, strip_tags: bool) -> String {
    let mut out = String::with_capacity(raw.len() + 4);
    for line in raw.split('\n') {
        let line = line.trim_end_matches('\r');
        if line.is_empty() {
            continue;
        }
        out.push_str(if strip_tags { untagged(line) } else { line });
        out.push_str("\r\n");
    }
    out
}

/// The sentence of `line` without its tag blocks.
fn untagged(mut line: &str) -> &str {
    while let Some(rest) = line.strip_prefix('\\') {
        match rest.find('\\') {
            Some(end) => line = &rest[end + 1..],
            None => return line,
        }
    }
    line
}

/// The MMSI (bits 8–37 of the payload) of the first sentence of `raw`, when it has one.
pub fn mmsi(raw: &str) -> Option<u32> {
    let first = untagged(raw.split('\n').next()?.trim_end());
    let payload = first.split(',').nth(5)?;
    let mut bits: u64 = 0;
    let mut n = 0;
    for c in payload.bytes().take(7) {
        let v = c.checked_sub(48)?;
        let v = if v > 40 { v.checked_sub(8)? } else { v };
        if v > 63 {
            return None;
        }
        bits = (bits << 6) | u64::from(v);
        n += 1;
    }
    if n < 7 {
        return None;
    }
    // 42 bits read: the MMSI is bits 8..38 counted from the first.
    u32::try_from((bits >> 4) & ((1 << 30) - 1)).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const TAGGED: &str =
        "\\s:2573999,c:1764000000*5C\\!AIVDM,1,1,,A,13u?etPv2;0n:dDPwUM1U1Cb069D,0*24";

    #[test]
    fn tag_blocks_are_kept_or_stripped_and_groups_stay_together() {
        assert_eq!(wire(TAGGED, false), format!("{TAGGED}\r\n"));
        assert_eq!(
            wire(TAGGED, true),
            "!AIVDM,1,1,,A,13u?etPv2;0n:dDPwUM1U1Cb069D,0*24\r\n"
        );
        let group = "\\g:1-2-7*55\\!AIVDM,2,1,7,A,abc,0*00\n\\g:2-2-7*56\\!AIVDM,2,2,7,A,def,2*00";
        assert_eq!(
            wire(group, true),
            "!AIVDM,2,1,7,A,abc,0*00\r\n!AIVDM,2,2,7,A,def,2*00\r\n"
        );
        assert_eq!(wire("\\unterminated", true), "\\unterminated\r\n");
    }

    #[test]
    fn the_mmsi_is_read_from_the_payload() {
        assert_eq!(mmsi(TAGGED), Some(265_547_250));
        assert_eq!(mmsi("!AIVDM,1,1,,A,13u,0*00"), None);
        assert_eq!(mmsi("garbage"), None);
        assert_eq!(
            mmsi("!AIVDM,1,1,,A,\u{7f}\u{7f}\u{7f}\u{7f}\u{7f}\u{7f}\u{7f},0*00"),
            None
        );
    }
}
