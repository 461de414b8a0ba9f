//! Event-time formatting and stable hashing: the two things alert output needs to be byte-identical.

use std::fmt::Write as _;

/// Milliseconds in one minute.
pub const MINUTE_MS: i64 = 60_000;

/// Formats Unix milliseconds as RFC 3339 UTC: `2024-12-25T11:00:00Z`, with `.mmm` only when non-zero.
pub fn rfc3339(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let millis = ms.rem_euclid(1000);
    let days = secs.div_euclid(86_400);
    let sod = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    let mut out = String::with_capacity(24);
    let _ = write!(
        out,
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}",
        sod / 3600,
        sod / 60 % 60,
        sod % 60
    );
    if millis != 0 {
        let _ = write!(out, ".{millis:03}");
    }
    out.push('Z');
    out
}

/// `HH:MMZ` of an event time, for human summaries.
pub fn hhmm(ms: i64) -> String {
    let sod = ms.div_euclid(1000).rem_euclid(86_400);
    format!("{:02}:{:02}Z", sod / 3600, sod / 60 % 60)
}

/// A duration in milliseconds as `1 h 05 min`, `12 min` or `40 s`, for human summaries.
pub fn duration(ms: i64) -> String {
    let min = ms.max(0) / MINUTE_MS;
    if min == 0 {
        format!("{} s", ms.max(0) / 1000)
    } else if min >= 60 {
        format!("{} h {:02} min", min / 60, min % 60)
    } else {
        format!("{min} min")
    }
}

/// Days since 1970-01-01 to (year, month, day), proleptic Gregorian (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// FNV-1a, 64 bit: a stable hash (same bytes, same value, on every machine and run) for alert ids.
#[derive(Debug, Clone, Copy)]
pub struct Fnv64(u64);

impl Default for Fnv64 {
    fn default() -> Self {
        Self(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv64 {
    /// Feeds bytes, then a separator so that `("ab","c")` and `("a","bc")` differ.
    pub fn field(mut self, bytes: &[u8]) -> Self {
        for &b in bytes.iter().chain(std::iter::once(&0xff)) {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
        self
    }

    /// The hash value.
    pub fn value(self) -> u64 {
        self.0
    }

    /// The hash as 16 lower-case hex digits.
    pub fn hex(self) -> String {
        format!("{:016x}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_known_instants() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(1_735_124_400_000), "2024-12-25T11:00:00Z");
        assert_eq!(rfc3339(951_782_400_123), "2000-02-29T00:00:00.123Z");
        assert_eq!(hhmm(1_735_124_580_000), "11:03Z");
        assert_eq!(duration(65 * MINUTE_MS), "1 h 05 min");
    }

    #[test]
    fn fnv_separates_fields() {
        let a = Fnv64::default().field(b"ab").field(b"c").hex();
        let b = Fnv64::default().field(b"a").field(b"bc").hex();
        assert_ne!(a, b);
        assert_eq!(a.len(), 16);
    }
}
