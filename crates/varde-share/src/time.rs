//! RFC 3339 times: written always with milliseconds (CoT) or as the rest of
//! the API writes them, and read from untrusted query strings.

use varde_ais::time::{civil_from_days, days_from_civil};

/// `2026-11-25T12:00:00.000Z`: always three fraction digits, as CoT peers
/// commonly write them. Years outside 0000–9999 are clamped.
pub(crate) fn rfc3339_millis(ms: i64) -> String {
    // 0000-01-01 and 9999-12-31T23:59:59.999Z
    let ms = ms.clamp(-62_167_219_200_000, 253_402_300_799_999);
    let secs = ms.div_euclid(1000);
    let (y, mo, d) = civil_from_days(secs.div_euclid(86_400));
    let sod = secs.rem_euclid(86_400);
    format!(
        "{y:04}-{mo:02}-{d:02}T{:02}:{:02}:{:02}.{:03}Z",
        sod / 3600,
        sod % 3600 / 60,
        sod % 60,
        ms.rem_euclid(1000)
    )
}

/// As the HTTP API writes times: seconds, with milliseconds only when not zero.
pub(crate) fn rfc3339(ms: i64) -> String {
    varde_ais::time::rfc3339_ms(ms)
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        4 | 6 | 9 | 11 => 30,
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

fn digits(s: &str) -> Option<i64> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// `YYYY-MM-DD` as unix milliseconds of its first instant (UTC).
pub(crate) fn parse_date(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let (y, m, d) = (digits(&s[0..4])?, digits(&s[5..7])?, digits(&s[8..10])?);
    let m = u32::try_from(m).ok().filter(|m| (1..=12).contains(m))?;
    let d = u32::try_from(d)
        .ok()
        .filter(|d| *d >= 1 && *d <= days_in_month(y, m))?;
    Some(days_from_civil(y, m, d) * 86_400_000)
}

/// `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)` as unix milliseconds (the
/// fraction truncated to milliseconds; a leap second counts as :59.999).
pub(crate) fn parse_date_time(s: &str) -> Option<i64> {
    if !s.is_ascii() || s.len() < 20 {
        return None;
    }
    let day = parse_date(&s[..10])?;
    let b = s.as_bytes();
    if !matches!(b[10], b'T' | b't') || b[13] != b':' || b[16] != b':' {
        return None;
    }
    let (h, mi, sec) = (
        digits(&s[11..13])?,
        digits(&s[14..16])?,
        digits(&s[17..19])?,
    );
    if h > 23 || mi > 59 || sec > 60 {
        return None;
    }
    let mut rest = &s[19..];
    let mut frac_ms = 0;
    if let Some(f) = rest.strip_prefix('.') {
        let n = f.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 {
            return None;
        }
        for (i, c) in f.bytes().take(3).enumerate().take(n) {
            frac_ms += i64::from(c - b'0') * [100, 10, 1][i];
        }
        rest = &f[n..];
    }
    let offset_min = match rest {
        "Z" | "z" => 0,
        _ if rest.len() == 6 && rest.as_bytes()[3] == b':' => {
            let sign = match rest.as_bytes()[0] {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let (oh, om) = (digits(&rest[1..3])?, digits(&rest[4..6])?);
            if oh > 23 || om > 59 {
                return None;
            }
            sign * (oh * 60 + om)
        }
        _ => return None,
    };
    let (sec, frac_ms) = if sec == 60 { (59, 999) } else { (sec, frac_ms) };
    Some(day + ((h * 60 + mi - offset_min) * 60 + sec) * 1000 + frac_ms)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_and_reads_rfc3339() {
        let t = parse_date_time("2026-11-25T12:00:00Z").unwrap();
        assert_eq!(rfc3339_millis(t), "2026-11-25T12:00:00.000Z");
        assert_eq!(rfc3339_millis(t + 5), "2026-11-25T12:00:00.005Z");
        assert_eq!(rfc3339(t), "2026-11-25T12:00:00Z");
        assert_eq!(
            parse_date_time("2026-11-25T13:30:00.1234+01:30"),
            Some(t + 123)
        );
        assert_eq!(parse_date("2026-11-25"), Some(t - 12 * 3_600_000));
        for bad in [
            "2026-11-25",
            "2026-02-29T00:00:00Z",
            "2026-11-25T24:00:00Z",
            "2026-11-25T12:00:00",
            "2026-11-25T12:00:00.Z",
            "2026-11-25T12:00:00+1:00",
            "2026-11-25 12:00:00Z",
            "+026-11-25T12:00:00Z",
        ] {
            assert_eq!(parse_date_time(bad), None, "{bad}");
        }
    }
}
