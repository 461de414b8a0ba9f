//! IEC 62320-1 / NMEA 4.10 tag blocks: `\s:2573345,c:1700000000*5A\`.

use super::hex_pair;
#[cfg(test)]
use super::hex_value;

/// The position of a sentence in a tag-block group (`g:1-2-3985` or the
/// NMEA 4.10 `1G2:3985` form).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TagGroup {
    /// Sentence number within the group, from 1.
    pub number: u8,
    /// Sentences in the group.
    pub total: u8,
    /// Group identifier (not reliable: some feeds use one id for everything).
    pub id: u32,
}

/// A parsed tag block. Borrows the line it came from.
///
/// The fields every line needs, `c:` time and `s:` station, are parsed
/// eagerly; the rare ones (grouping, line count, text, destination,
/// relative time) are read from the block when asked for, so that the
/// common parse stays small and fast.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TagBlock<'a> {
    /// `c:` receiver time in unix milliseconds (seconds are scaled up).
    pub time_ms: Option<i64>,
    /// `s:` source station, e.g. `2573345` or `rORBCOMM008`.
    pub station: Option<&'a str>,
    /// False when the `*hh` checksum is missing, non-hex or does not match.
    /// The block is still used: real feeds send wrong tag checksums while the
    /// sentence behind is fine.
    pub checksum_ok: bool,
    /// The `key:value` fields, without the checksum.
    fields: &'a [u8],
}

impl<'a> TagBlock<'a> {
    /// The `key:value,…` fields as sent, without the `*hh` checksum.
    pub fn fields(&self) -> &'a [u8] {
        self.fields
    }

    /// `g:` / `xGy:` grouping (the last valid `g:` wins; an NMEA 4.10
    /// `1G2:` form counts only while no group is known).
    pub fn group(&self) -> Option<TagGroup> {
        self.fold(None, |group, key, value| match key {
            b"g" => match parse_g(value) {
                Some(g) => Some(g),
                None if std::str::from_utf8(value).is_ok() => None,
                None => group,
            },
            b"c" | b"s" | b"n" | b"t" | b"d" | b"r" => group,
            // A non-UTF-8 value fails the group's id parse as well.
            _ => group.or_else(|| parse_nmea410_group(key, value)),
        })
    }

    /// `n:` line count.
    pub fn line_count(&self) -> Option<u32> {
        self.fold_str(b"n", None, |_, text| text.parse().ok())
    }

    /// `t:` free text.
    pub fn text(&self) -> Option<&'a str> {
        self.fold_str(b"t", None, |_, text| Some(text))
    }

    /// `d:` destination.
    pub fn destination(&self) -> Option<&'a str> {
        self.fold_str(b"d", None, |_, text| Some(text))
    }

    /// `r:` relative time.
    pub fn relative_time(&self) -> Option<i64> {
        self.fold_str(b"r", None, |_, text| text.parse().ok())
    }

    /// Folds `f` over the fields with key `key` whose value is UTF-8 (a
    /// value that is not leaves the result as it was).
    fn fold_str<T>(&self, key: &[u8], init: T, mut f: impl FnMut(T, &'a str) -> T) -> T {
        self.fold(init, |acc, k, v| match std::str::from_utf8(v) {
            Ok(text) if k == key => f(acc, text),
            _ => acc,
        })
    }

    /// Folds `f` over every `key:value` field, in order.
    fn fold<T>(&self, init: T, mut f: impl FnMut(T, &'a [u8], &'a [u8]) -> T) -> T {
        let mut acc = init;
        for field in self.fields.split(|&b| b == b',') {
            if let Some(colon) = colon_of(field) {
                acc = f(acc, &field[..colon], &field[colon + 1..]);
            }
        }
        acc
    }
}

/// Where a field's key ends.
#[inline]
fn colon_of(field: &[u8]) -> Option<usize> {
    match field {
        [k, b':', ..] if *k != b':' => Some(1),
        _ => field.iter().position(|&b| b == b':'),
    }
}

/// Parses the content between the two backslashes (without them).
/// Unknown fields are ignored; malformed known fields are dropped, never fatal.
#[inline(always)]
pub fn parse(inner: &[u8]) -> TagBlock<'_> {
    let (body, checksum_ok) = split_checksum(inner);
    let mut tag = TagBlock {
        time_ms: None,
        station: None,
        checksum_ok,
        fields: body,
    };
    // Tag blocks are short: plain loops beat memchr's set-up here.
    let mut rest = body;
    loop {
        // The usual `c:<digits>` is parsed in the pass that finds its end.
        if let [b'c', b':', tail @ ..] = rest {
            let (mut n, mut len, mut digits) = (0i64, 0usize, true);
            if let Some(v) = tail.get(..8).and_then(eight_digits) {
                (n, len) = (v, 8);
            }
            for &b in &tail[len..] {
                if b == b',' {
                    break;
                }
                let d = b.wrapping_sub(b'0');
                digits &= d <= 9;
                n = n.wrapping_mul(10).wrapping_add(i64::from(d));
                len += 1;
            }
            if digits && (1..=13).contains(&len) {
                tag.time_ms = Some(if len >= 12 { n } else { n * 1000 });
                if len == tail.len() {
                    break;
                }
                rest = &tail[len + 1..];
                continue;
            }
        }
        let end = rest.iter().position(|&b| b == b',');
        field_into(&mut tag, &rest[..end.unwrap_or(rest.len())]);
        match end {
            Some(e) => rest = &rest[e + 1..],
            None => break,
        }
    }
    tag
}

/// Eight ASCII digits as a number (SWAR), `None` if any byte is not one.
#[inline]
fn eight_digits(b: &[u8]) -> Option<i64> {
    let mut w = [0u8; 8];
    w.copy_from_slice(b);
    let v = u64::from_le_bytes(w);
    const F0: u64 = 0xf0f0_f0f0_f0f0_f0f0;
    const D0: u64 = 0x3030_3030_3030_3030;
    if v & F0 != D0 || (v.wrapping_add(0x0606_0606_0606_0606) & F0) != D0 {
        return None;
    }
    let t = v - D0;
    let t = (t.wrapping_mul(10) + (t >> 8)) & 0x00ff_00ff_00ff_00ff;
    let t = (t.wrapping_mul(100) + (t >> 16)) & 0x0000_ffff_0000_ffff;
    let t = (t.wrapping_mul(10_000) + (t >> 32)) & 0xffff_ffff;
    Some(t as i64)
}

/// One `key:value` field, for the eager keys `c` and `s`. A value that is
/// not UTF-8 leaves the tag as it was.
#[inline]
fn field_into<'a>(tag: &mut TagBlock<'a>, field: &'a [u8]) {
    // Only one-letter keys matter here.
    let (key, value) = match field {
        [k, b':', value @ ..] if *k != b':' => (*k, value),
        _ => return,
    };
    match key {
        b'c' => match parse_unix_time(value) {
            Some(t) => tag.time_ms = Some(t),
            None if std::str::from_utf8(value).is_ok() => tag.time_ms = None,
            None => {}
        },
        b's' => {
            if let Ok(text) = std::str::from_utf8(value) {
                tag.station = Some(text);
            }
        }
        _ => {}
    }
}

fn split_checksum(inner: &[u8]) -> (&[u8], bool) {
    let n = inner.len();
    // Usually `*hh` ends the block.
    let last = if n >= 3 && inner[n - 3] == b'*' && inner[n - 2] != b'*' && inner[n - 1] != b'*' {
        Some(n - 3)
    } else {
        inner.iter().rposition(|&b| b == b'*')
    };
    match last {
        Some(star) => {
            let body = &inner[..star];
            let ok = match inner[star + 1..] {
                [h, l] => hex_pair(h, l) == Some(super::sentence::xor_checksum(body)),
                _ => false,
            };
            (body, ok)
        }
        None => (inner, false),
    }
}

/// Unix time as seconds (≤ 11 digits) or milliseconds (12–13 digits), to ms.
#[inline]
pub fn parse_unix_time(v: &[u8]) -> Option<i64> {
    if v.is_empty() || v.len() > 13 {
        return None;
    }
    let mut n = 0i64;
    for &d in v {
        let d = d.wrapping_sub(b'0');
        if d > 9 {
            return None;
        }
        n = n * 10 + i64::from(d);
    }
    Some(if v.len() >= 12 { n } else { n * 1000 })
}

fn parse_g(v: &[u8]) -> Option<TagGroup> {
    let mut it = v.split(|&b| b == b'-');
    let number = small_int(it.next()?)?;
    let total = small_int(it.next()?)?;
    let id = std::str::from_utf8(it.next()?).ok()?.parse().ok()?;
    Some(TagGroup {
        number: u8::try_from(number).ok()?,
        total: u8::try_from(total).ok()?,
        id,
    })
}

/// The NMEA 4.10 form `1G2:58944` (sentence 1 of a group of 2, id 58944).
fn parse_nmea410_group(key: &[u8], value: &[u8]) -> Option<TagGroup> {
    let g = key.iter().position(|&b| b == b'G')?;
    let number = u8::try_from(small_int(&key[..g])?).ok()?;
    let total = u8::try_from(small_int(&key[g + 1..])?).ok()?;
    let id = std::str::from_utf8(value).ok()?.parse().ok()?;
    Some(TagGroup { number, total, id })
}

fn small_int(v: &[u8]) -> Option<u32> {
    if v.is_empty() || v.len() > 3 || !v.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(v.iter().fold(0, |a, &d| a * 10 + u32::from(d - b'0')))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every field of a tag block, eager.
    #[derive(Debug, PartialEq, Eq, Default)]
    struct Full<'a> {
        time_ms: Option<i64>,
        station: Option<&'a str>,
        group: Option<TagGroup>,
        line_count: Option<u32>,
        text: Option<&'a str>,
        destination: Option<&'a str>,
        relative_time: Option<i64>,
        checksum_ok: bool,
    }

    fn full<'a>(t: &TagBlock<'a>) -> Full<'a> {
        Full {
            time_ms: t.time_ms,
            station: t.station,
            group: t.group(),
            line_count: t.line_count(),
            text: t.text(),
            destination: t.destination(),
            relative_time: t.relative_time(),
            checksum_ok: t.checksum_ok,
        }
    }

    /// The original, straightforward parser: the reference for [`parse`].
    fn reference(inner: &[u8]) -> Full<'_> {
        let (body, checksum_ok) = match inner.iter().rposition(|&b| b == b'*') {
            Some(star) => {
                let body = &inner[..star];
                let given = &inner[star + 1..];
                let ok = given.len() == 2
                    && match (hex_value(given[0]), hex_value(given[1])) {
                        (Some(h), Some(l)) => (h << 4 | l) == body.iter().fold(0, |a, &b| a ^ b),
                        _ => false,
                    };
                (body, ok)
            }
            None => (inner, false),
        };
        let mut tag = Full {
            checksum_ok,
            ..Full::default()
        };
        for field in body.split(|&b| b == b',') {
            let Some(colon) = field.iter().position(|&b| b == b':') else {
                continue;
            };
            let (key, value) = (&field[..colon], &field[colon + 1..]);
            let Ok(text) = std::str::from_utf8(value) else {
                continue;
            };
            match key {
                b"c" => tag.time_ms = parse_unix_time(value),
                b"s" => tag.station = Some(text),
                b"g" => tag.group = parse_g(value),
                b"n" => tag.line_count = text.parse().ok(),
                b"t" => tag.text = Some(text),
                b"d" => tag.destination = Some(text),
                b"r" => tag.relative_time = text.parse().ok(),
                _ => tag.group = tag.group.or_else(|| parse_nmea410_group(key, value)),
            }
        }
        tag
    }

    #[test]
    fn agrees_with_reference() {
        let cases: &[&[u8]] = &[
            b"s:2573225,c:1733782037*63",
            b"c:1,c:\xff*00",
            b"c:1,c:x*00",
            b"g:1-2-3,g:x,s:\xfe,1G2:58944*",
            b"n:12,r:-5,t:hi,d:there,:c:1,c::1**",
            b"n:1,n:x,n:\xff,t:a,t:\xfe,d:b,d:,r:+3,r:\xff,s:,s:\xff,3G4:12,g:1-2-3,2G3:4*",
            b"g:1-2-3,g:\xff,1G2:77,c:12,c:1x,c:\xff,s:\xffx,s:ok*",
            b"c:123*4*",
            b"c:1234567890123,c:12345678901234,c:,c:1x,c:01*",
            b"s:ab,c:1700000000",
            b"",
            b"*",
            b"g:1-2-3,g:\xff",
        ];
        let mut n = 0;
        for case in cases {
            let case: Vec<u8> = case.to_vec();
            for i in 0..=case.len() {
                for b in [b',', b'*', b':', b'c', b'g', b'1', 0xff, b'G'] {
                    let mut m = case.clone();
                    if i < m.len() {
                        m[i] = b;
                    } else {
                        m.push(b);
                    }
                    assert_eq!(
                        full(&parse(&m)),
                        reference(&m),
                        "{:?}",
                        String::from_utf8_lossy(&m)
                    );
                    n += 1;
                }
            }
        }
        assert!(n > 100);
    }

    #[test]
    fn station_and_time_with_good_checksum() {
        let t = parse(b"s:2573225,c:1733782037*63");
        assert_eq!(t.station, Some("2573225"));
        assert_eq!(t.time_ms, Some(1_733_782_037_000));
        let t = parse(b"s:rEV02,c:1334337317*58");
        assert!(t.checksum_ok);
    }

    #[test]
    fn bad_or_non_hex_checksum_is_flagged_not_fatal() {
        let t = parse(b"s:2573345,c:1700000000*xx");
        assert!(!t.checksum_ok);
        assert_eq!(t.time_ms, Some(1_700_000_000_000));
        let t = parse(b"g:1-2-9999,c:1565218798*53");
        assert!(!t.checksum_ok);
        assert_eq!(
            t.group(),
            Some(TagGroup {
                number: 1,
                total: 2,
                id: 9999
            })
        );
    }

    #[test]
    fn nmea_410_group_form() {
        let t = parse(b"1G2:58944,s:2573225,c:1733782037*63");
        assert_eq!(
            t.group(),
            Some(TagGroup {
                number: 1,
                total: 2,
                id: 58944
            })
        );
        assert!(t.checksum_ok);
    }

    #[test]
    fn eight_digits_swar() {
        for v in [
            0u32, 1, 9, 10, 12_345_678, 99_999_999, 10_000_000, 1_565_218,
        ] {
            let s = format!("{v:08}");
            assert_eq!(eight_digits(s.as_bytes()), Some(i64::from(v)));
        }
        for bad in [&b"1234567/"[..], b"123:5678", b"1234,678", b"a2345678"] {
            assert_eq!(eight_digits(bad), None);
        }
    }

    #[test]
    fn milliseconds_are_kept() {
        assert_eq!(parse_unix_time(b"1700000000123"), Some(1_700_000_000_123));
        assert_eq!(parse_unix_time(b"17x"), None);
    }
}
