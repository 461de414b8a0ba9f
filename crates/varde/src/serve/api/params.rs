//! Query and path values, parsed and range-checked: each malformed or out-of-range value is a
//! 400 `bad_request` that names the parameter, never a panic or a wrapped integer.

use super::error::AppError;
use varde_store::BBox;

/// Earliest time accepted, unix ms (0000-01-01T00:00:00Z).
const MIN_MS: i64 = -62_167_219_200_000;
/// Latest time accepted, unix ms (9999-12-31T23:59:59.999Z).
const MAX_MS: i64 = 253_402_300_799_999;
/// Largest MMSI (nine digits).
const MAX_MMSI: u32 = 999_999_999;

fn bad(msg: String) -> AppError {
    AppError::BadRequest(msg)
}

/// A time: RFC 3339 (`2024-12-25T10:03:00Z`, optional fraction, `Z` or `±HH:MM`) or unix ms,
/// between the years 0 and 9999.
pub fn time(name: &str, s: &str) -> Result<i64, AppError> {
    let parsed = if is_integer(s) {
        s.parse::<i64>().ok()
    } else {
        rfc3339(s)
    };
    parsed
        .filter(|ms| (MIN_MS..=MAX_MS).contains(ms))
        .ok_or_else(|| {
            bad(format!(
                "{name} must be an RFC 3339 time (2024-12-25T10:03:00Z) or unix ms between the \
                 years 0 and 9999, got {s:?}"
            ))
        })
}

/// An optional time.
pub fn opt_time(name: &str, s: Option<&str>) -> Result<Option<i64>, AppError> {
    s.map(|s| time(name, s)).transpose()
}

/// `from` and `to` of a time range, refused when `from` is after `to`.
pub fn range(from: Option<&str>, to: Option<&str>) -> Result<(Option<i64>, Option<i64>), AppError> {
    let (f, t) = (opt_time("from", from)?, opt_time("to", to)?);
    if let (Some(f), Some(t)) = (f, t) {
        if f > t {
            return Err(bad(format!(
                "from must not be after to, got {:?} > {:?}",
                from.unwrap_or_default(),
                to.unwrap_or_default()
            )));
        }
    }
    Ok((f, t))
}

/// A result count: a non-negative integer, `default` when absent, at most `max` (larger values,
/// however large, are capped).
pub fn limit(s: Option<&str>, default: usize, max: usize) -> Result<usize, AppError> {
    let Some(s) = s else {
        return Ok(default.min(max));
    };
    if !s.bytes().all(|c| c.is_ascii_digit()) || s.is_empty() {
        return Err(bad(format!(
            "limit must be a non-negative integer, got {s:?}"
        )));
    }
    // All digits: a parse failure can only be an overflow.
    Ok(s.parse::<usize>().map_or(max, |n| n.min(max)))
}

/// An MMSI: one to nine digits.
pub fn mmsi(s: &str) -> Result<u32, AppError> {
    let ok = (1..=9).contains(&s.len()) && s.bytes().all(|c| c.is_ascii_digit());
    ok.then(|| s.parse::<u32>().ok())
        .flatten()
        .filter(|m| *m <= MAX_MMSI)
        .ok_or_else(|| bad(format!("mmsi must be 1 to 9 digits, got {s:?}")))
}

/// An optional MMSI.
pub fn opt_mmsi(s: Option<&str>) -> Result<Option<u32>, AppError> {
    s.map(mmsi).transpose()
}

/// `minlon,minlat,maxlon,maxlat`: finite degrees, longitudes in [-180, 180], latitudes in
/// [-90, 90], each minimum at most its maximum.
pub fn bbox(s: &str) -> Result<BBox, AppError> {
    let v: Option<Vec<f64>> = s
        .split(',')
        .map(|x| x.trim().parse::<f64>().ok().filter(|f| f.is_finite()))
        .collect();
    let lon = -180.0..=180.0;
    let lat = -90.0..=90.0;
    match v.as_deref() {
        Some(&[min_lon, min_lat, max_lon, max_lat])
            if lon.contains(&min_lon)
                && lon.contains(&max_lon)
                && lat.contains(&min_lat)
                && lat.contains(&max_lat)
                && min_lat <= max_lat
                && min_lon <= max_lon =>
        {
            Ok(BBox {
                min_lat,
                min_lon,
                max_lat,
                max_lon,
            })
        }
        _ => Err(bad(format!(
            "bbox must be minlon,minlat,maxlon,maxlat in degrees (lon -180..180, lat -90..90, \
             min <= max), got {s:?}"
        ))),
    }
}

fn is_integer(s: &str) -> bool {
    let digits = s.strip_prefix('-').unwrap_or(s);
    !digits.is_empty() && digits.bytes().all(|c| c.is_ascii_digit())
}

/// `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`, every field in range; `None` otherwise.
fn rfc3339(s: &str) -> Option<i64> {
    if !s.is_ascii() || s.len() < 20 {
        return None;
    }
    let b = s.as_bytes();
    let num = |from: usize, to: usize| -> Option<i64> {
        let t = &s[from..to];
        t.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| t.parse().ok())?
    };
    let seps = [(4, b'-'), (7, b'-'), (13, b':'), (16, b':')];
    if seps.iter().any(|&(i, c)| b[i] != c) || !matches!(b[10], b'T' | b't') {
        return None;
    }
    let (y, mo, d) = (num(0, 4)?, num(5, 7)?, num(8, 10)?);
    let (h, mi, sec) = (num(11, 13)?, num(14, 16)?, num(17, 19)?);
    let mut rest = &s[19..];
    let mut ms = 0;
    if let Some(f) = rest.strip_prefix('.') {
        let n = f.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 {
            return None;
        }
        ms = format!("{:0<3}", &f[..n.min(3)]).parse::<i64>().ok()?;
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
            let (oh, om) = (num(s.len() - 5, s.len() - 3)?, num(s.len() - 2, s.len())?);
            if oh > 23 || om > 59 {
                return None;
            }
            sign * (oh * 60 + om)
        }
        _ => return None,
    };
    let month_ok = (1..=12).contains(&mo);
    if !month_ok || d < 1 || d > days_in_month(y, mo) || h > 23 || mi > 59 || sec > 60 {
        return None;
    }
    let days = varde_ais::time::days_from_civil(y, mo as u32, d as u32);
    Some((((days * 24 + h) * 60 + mi - offset_min) * 60 + sec) * 1000 + ms)
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}
