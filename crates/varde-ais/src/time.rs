//! Calendar helpers: civil dates to unix time and back, without a date crate.

/// Days since 1970-01-01 for a proleptic Gregorian date (H. Hinnant's
/// `days_from_civil`).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Year, month, day for days since 1970-01-01.
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// Formats unix milliseconds as RFC 3339 UTC with second precision
/// (`2024-12-25T10:03:00Z`), or with milliseconds when they are not zero.
pub fn rfc3339_ms(ms: i64) -> String {
    let mut out = Vec::with_capacity(24);
    write_rfc3339_ms(&mut out, ms);
    String::from_utf8(out).unwrap_or_default()
}

/// Appends [`rfc3339_ms`]'s text to `out`, without allocating.
#[inline]
pub fn write_rfc3339_ms(out: &mut Vec<u8>, ms: i64) {
    let secs = ms.div_euclid(1000);
    let (y, mo, d) = civil_from_days(secs.div_euclid(86_400));
    let sod = secs.rem_euclid(86_400);
    let (h, mi, s) = (sod / 3600, sod % 3600 / 60, sod % 60);
    let frac = ms.rem_euclid(1000);
    if !(0..=9999).contains(&y) {
        rfc3339_slow(out, (y, mo, d), (h, mi, s), frac);
        return;
    }
    #[inline(always)]
    fn two(v: u32) -> [u8; 2] {
        [b'0' + (v / 10) as u8, b'0' + (v % 10) as u8]
    }
    let y = y as u32;
    let [y0, y1] = two(y / 100);
    let [y2, y3] = two(y % 100);
    let [mo0, mo1] = two(mo);
    let [d0, d1] = two(d);
    let [h0, h1] = two(h as u32);
    let [mi0, mi1] = two(mi as u32);
    let [s0, s1] = two(s as u32);
    let mut buf = [
        y0, y1, y2, y3, b'-', mo0, mo1, b'-', d0, d1, b'T', h0, h1, b':', mi0, mi1, b':', s0, s1,
        b'.', 0, 0, 0, b'Z',
    ];
    if frac == 0 {
        buf[19] = b'Z';
        out.extend_from_slice(&buf[..20]);
    } else {
        let f = frac as u32;
        buf[20] = b'0' + (f / 100) as u8;
        buf[21] = b'0' + (f / 10 % 10) as u8;
        buf[22] = b'0' + (f % 10) as u8;
        out.extend_from_slice(&buf);
    }
}

#[cold]
fn rfc3339_slow(
    out: &mut Vec<u8>,
    (y, mo, d): (i64, u32, u32),
    (h, mi, s): (i64, i64, i64),
    frac: i64,
) {
    let text = if frac == 0 {
        format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")
    } else {
        format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{frac:03}Z")
    };
    out.extend_from_slice(text.as_bytes());
}

/// Time from a Gatehouse `$PGHP,1,yyyy,m,d,h,m,s,ms,...` line (unix ms).
pub fn gatehouse_time_ms(line: &[u8]) -> Option<i64> {
    let rest = line.strip_prefix(b"$PGHP,1,")?;
    let mut f = rest
        .split(|&b| b == b',')
        .map(|v| std::str::from_utf8(v).ok()?.parse::<i64>().ok());
    let mut next = || f.next().flatten();
    let (y, mo, d, h, mi, s, ms) = (
        next()?,
        next()?,
        next()?,
        next()?,
        next()?,
        next()?,
        next()?,
    );
    let valid =
        (1..=12).contains(&mo) && (1..=31).contains(&d) && h < 24 && mi < 60 && s < 61 && ms < 1000;
    if !valid || !(1970..=9999).contains(&y) {
        return None;
    }
    let days = days_from_civil(y, mo as u32, d as u32);
    Some(((days * 24 + h) * 60 + mi) * 60_000 + s * 1000 + ms)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_round_trip() {
        for z in [-1000, 0, 1, 19_000, 20_447, 2_932_896] {
            let (y, m, d) = civil_from_days(z);
            assert_eq!(days_from_civil(y, m, d), z);
        }
        assert_eq!(rfc3339_ms(1_733_782_037_000), "2024-12-09T22:07:17Z");
    }

    /// The original `format!` version, the reference.
    fn reference(ms: i64) -> String {
        let secs = ms.div_euclid(1000);
        let (y, mo, d) = civil_from_days(secs.div_euclid(86_400));
        let sod = secs.rem_euclid(86_400);
        let (h, mi, s) = (sod / 3600, sod % 3600 / 60, sod % 60);
        let frac = ms.rem_euclid(1000);
        if frac == 0 {
            format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")
        } else {
            format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{frac:03}Z")
        }
    }

    #[test]
    fn matches_reference_format() {
        let mut ms = -70_000_000_000_000i64;
        while ms < 300_000_000_000_000 {
            for t in [ms, ms + 1, ms + 999, ms + 1000, ms - 1] {
                assert_eq!(rfc3339_ms(t), reference(t));
            }
            ms += 7_777_777_777;
        }
        for t in [
            i64::MIN / 2,
            0,
            -1,
            253_402_300_799_999,
            253_402_300_800_000,
        ] {
            assert_eq!(rfc3339_ms(t), reference(t));
        }
    }

    #[test]
    fn gatehouse_line() {
        let t =
            gatehouse_time_ms(b"$PGHP,1,2010,6,11,11,46,11,390,231,45,992190934,1,2B*5B").unwrap();
        assert_eq!(rfc3339_ms(t), "2010-06-11T11:46:11.390Z");
    }
}
