//! The ETA of a static and voyage report (message 5) as a full UTC date-time.
//!
//! The message carries month, day, hour and minute only (0 month or day, hour 24 and minute 60 mean
//! "not available"). The year is the one that puts the ETA at its *next occurrence* after the
//! report: the earliest date-time with that month, day, hour and minute that is no more than
//! [`GRACE_MS`] before the report's time. A vessel running a day late keeps this year's ETA; an
//! ETA whose month and day lie further back than the grace is next year's (sent in December for
//! January). February 29 falls in the next leap year.
//!
//! Stored compactly as minutes since the Unix epoch in a `u32` ([`eta_minute`]), which covers the
//! years 1970 to 10136.

use crate::time::days_from_civil;

/// How long before the report an ETA may lie and still be this occurrence (a late vessel's stale
/// ETA): three days.
pub const GRACE_MS: i64 = 3 * 86_400_000;

/// Report times an ETA is resolved against: the years 1 to 9999.
const REPORT_RANGE_MS: std::ops::RangeInclusive<i64> = -62_135_596_800_000..=253_402_300_799_999;

/// Days in `month` of `year` (proleptic Gregorian).
fn month_days(year: i64, month: u32) -> u32 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

/// Year of unix milliseconds `ms`.
fn year_of(ms: i64) -> i64 {
    crate::time::civil_from_days(ms.div_euclid(86_400_000)).0
}

/// The ETA of message 5 fields as unix milliseconds, resolved against the report's time
/// `report_ms` (see the module's rule). `None` when any field is "not available" or out of range
/// (month 13, day 31 of April, hour 25, minute 61), or the report's time lies outside the years
/// 1 to 9999.
pub fn resolve_eta_ms(month: u8, day: u8, hour: u8, minute: u8, report_ms: i64) -> Option<i64> {
    let (month, day) = (u32::from(month), u32::from(day));
    if !REPORT_RANGE_MS.contains(&report_ms)
        || !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
        || hour > 23
        || minute > 59
    {
        return None;
    }
    let year = year_of(report_ms);
    // Within nine years there is always a leap year for February 29.
    (year - 1..=year + 8).find_map(|y| {
        if day > month_days(y, month) {
            return None;
        }
        let ms = (days_from_civil(y, month, day) * 1440 + i64::from(hour) * 60 + i64::from(minute))
            * 60_000;
        (ms >= report_ms.saturating_sub(GRACE_MS)).then_some(ms)
    })
}

/// An ETA in unix milliseconds as whole minutes since the epoch, when it fits a `u32` (the compact
/// form vessel records keep).
pub fn eta_minute(ms: i64) -> Option<u32> {
    u32::try_from(ms.div_euclid(60_000)).ok()
}

/// The ETA of [`resolve_eta_ms`] as minutes since the epoch ([`eta_minute`]).
pub fn resolve_eta_minute(month: u8, day: u8, hour: u8, minute: u8, report_ms: i64) -> Option<u32> {
    resolve_eta_ms(month, day, hour, minute, report_ms).and_then(eta_minute)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::rfc3339_ms;
    use proptest::prelude::*;

    fn at(y: i64, mo: u32, d: u32, h: i64, mi: i64) -> i64 {
        (days_from_civil(y, mo, d) * 1440 + h * 60 + mi) * 60_000
    }

    fn eta(mo: u8, d: u8, h: u8, mi: u8, report: i64) -> Option<String> {
        resolve_eta_ms(mo, d, h, mi, report).map(rfc3339_ms)
    }

    #[test]
    fn the_eta_is_its_next_occurrence() {
        let report = at(2026, 12, 7, 9, 30);
        assert_eq!(
            eta(12, 9, 14, 0, report).as_deref(),
            Some("2026-12-09T14:00:00Z")
        );
        // Early January, sent in December: next year.
        assert_eq!(
            eta(1, 3, 6, 15, report).as_deref(),
            Some("2027-01-03T06:15:00Z")
        );
        // A day late: still this year's.
        assert_eq!(
            eta(12, 6, 8, 0, report).as_deref(),
            Some("2026-12-06T08:00:00Z")
        );
        // Further back than the grace: next year's.
        assert_eq!(
            eta(11, 30, 8, 0, report).as_deref(),
            Some("2027-11-30T08:00:00Z")
        );
        // A December ETA heard on 2 January is last year's, two days late.
        assert_eq!(
            eta(12, 31, 12, 0, at(2027, 1, 2, 0, 0)).as_deref(),
            Some("2026-12-31T12:00:00Z")
        );
        // February 29 waits for a leap year.
        assert_eq!(
            eta(2, 29, 0, 0, report).as_deref(),
            Some("2028-02-29T00:00:00Z")
        );
    }

    #[test]
    fn not_available_and_impossible_fields_give_none() {
        let report = at(2026, 6, 1, 0, 0);
        for (mo, d, h, mi) in [
            (0, 5, 12, 0),
            (5, 0, 12, 0),
            (5, 5, 24, 0),
            (5, 5, 12, 60),
            (13, 1, 0, 0),
            (4, 31, 0, 0),
            (2, 30, 0, 0),
            (15, 31, 31, 63),
        ] {
            assert_eq!(
                resolve_eta_ms(mo, d, h, mi, report),
                None,
                "{mo}-{d} {h}:{mi}"
            );
        }
    }

    #[test]
    fn minutes_round_trip() {
        let ms = at(2026, 12, 9, 14, 0);
        assert_eq!(i64::from(eta_minute(ms).unwrap()) * 60_000, ms);
        assert_eq!(eta_minute(-60_000), None);
    }

    proptest! {
        #[test]
        fn a_resolved_eta_has_the_fields_and_is_the_first_after_the_grace(
            mo in 0u8..16, d in 0u8..32, h in 0u8..25, mi in 0u8..61,
            report in 0i64..4_000_000_000_000,
        ) {
            let Some(ms) = resolve_eta_ms(mo, d, h, mi, report) else {
                return Ok(());
            };
            prop_assert!(ms >= report - GRACE_MS);
            let days = ms.div_euclid(86_400_000);
            let (y, m, dd) = crate::time::civil_from_days(days);
            prop_assert_eq!((m, dd), (u32::from(mo), u32::from(d)));
            let minute_of_day = ms.rem_euclid(86_400_000) / 60_000;
            prop_assert_eq!(minute_of_day, i64::from(h) * 60 + i64::from(mi));
            // No earlier year's occurrence also lies after the grace.
            for earlier in y - 8..y {
                if u32::from(d) <= month_days(earlier, m) {
                    let e = (days_from_civil(earlier, m, dd) * 1440 + minute_of_day) * 60_000;
                    prop_assert!(e < report - GRACE_MS);
                }
            }
            // And it is within a leap cycle of the report.
            prop_assert!(ms - report < 9 * 366 * 86_400_000);
        }

        #[test]
        fn any_fields_resolve_without_panic(
            mo in any::<u8>(), d in any::<u8>(), h in any::<u8>(), mi in any::<u8>(),
            report in any::<i64>(),
        ) {
            let _ = resolve_eta_ms(mo, d, h, mi, report);
        }
    }
}
