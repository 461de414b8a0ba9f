//! Small formatting helpers shared by the application-message writers:
//! gpsd's position scaling, legends and partial timestamps.

use super::super::writer::JsonWriter;

/// Degrees per unit of a 1/1000-minute position.
const LATLON3_DIV: f64 = 60_000.0;
/// Degrees per unit of a 1/10000-minute position.
const LATLON4_DIV: f64 = 600_000.0;
/// Decimals for scaled 1/1000-minute positions.
const LATLON3_DECIMALS: usize = 6;
/// Decimals for scaled 1/10000-minute positions.
const LATLON4_DECIMALS: usize = 7;

pub(super) fn legend(table: &[&'static str], i: usize, otherwise: &'static str) -> &'static str {
    table.get(i).copied().unwrap_or(otherwise)
}

/// A position pair in 1/1000 minute: raw integers, or degrees with six
/// decimals when scaled.
pub(super) fn latlon3(w: &mut JsonWriter, k1: &str, v1: i32, k2: &str, v2: i32, scaled: bool) {
    if scaled {
        w.fixed(k1, f64::from(v1) / LATLON3_DIV, LATLON3_DECIMALS);
        w.fixed(k2, f64::from(v2) / LATLON3_DIV, LATLON3_DECIMALS);
    } else {
        w.int(k1, v1.into());
        w.int(k2, v2.into());
    }
}

/// A position pair in 1/10000 minute.
pub(super) fn latlon4(w: &mut JsonWriter, k1: &str, v1: i32, k2: &str, v2: i32, scaled: bool) {
    if scaled {
        w.fixed(k1, f64::from(v1) / LATLON4_DIV, LATLON4_DECIMALS);
        w.fixed(k2, f64::from(v2) / LATLON4_DIV, LATLON4_DECIMALS);
    } else {
        w.int(k1, v1.into());
        w.int(k2, v2.into());
    }
}

/// gpsd's partial ISO 8601 month-day-hour-minute: `"%02u-%02uT%02u:%02uZ"`
/// (`padded`, `zulu`), `"%02u-%02uT%02u:%02u"` or `"%u-%uT%u:%u"`.
pub(super) fn mdhm(month: u8, day: u8, hour: u8, minute: u8, padded: bool, zulu: bool) -> Small {
    let mut s = Small::new();
    s.num(month, padded);
    s.byte(b'-');
    s.num(day, padded);
    s.byte(b'T');
    s.num(hour, padded);
    s.byte(b':');
    s.num(minute, padded);
    if zulu {
        s.byte(b'Z');
    }
    s
}

pub(super) fn dhm(day: u8, hour: u8, minute: u8) -> Small {
    let mut s = Small::new();
    s.num(day, true);
    s.byte(b'T');
    s.num(hour, true);
    s.byte(b':');
    s.num(minute, true);
    s.byte(b'Z');
    s
}

/// A short string formatted on the stack (timestamps), silently cut at
/// capacity.
pub(super) struct Small {
    buf: [u8; 32],
    len: usize,
}

impl Small {
    pub(super) fn new() -> Self {
        Self {
            buf: [0; 32],
            len: 0,
        }
    }

    pub(super) fn as_str(&self) -> &str {
        std::str::from_utf8(&self.buf[..self.len]).unwrap_or("")
    }

    pub(super) fn byte(&mut self, b: u8) {
        if self.len < self.buf.len() {
            self.buf[self.len] = b;
            self.len += 1;
        }
    }

    /// `v` in decimal; `padded` as `%02u`, else `%u`.
    pub(super) fn num(&mut self, v: u8, padded: bool) {
        if v >= 100 {
            self.byte(b'0' + v / 100);
        }
        if v >= 10 || padded {
            self.byte(b'0' + v / 10 % 10);
        }
        self.byte(b'0' + v % 10);
    }
}

impl std::ops::Deref for Small {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl std::fmt::Write for Small {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        let n = s.len().min(self.buf.len() - self.len);
        self.buf[self.len..self.len + n].copy_from_slice(&s.as_bytes()[..n]);
        self.len += n;
        Ok(())
    }
}
