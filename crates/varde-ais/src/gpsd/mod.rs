//! gpsd-compatible AIS JSON (`gpsdecode -j`, and `-u -j` when unscaled).
//!
//! [`write_json`] prints one [`AisMessage`] as gpsd's `json_aivdm_dump`
//! does (without the `"device"` key), and [`Type24Merge`] reproduces gpsd's
//! pairing of type 24 parts A and B.
//!
//! # Layout
//! - `writer`: the allocation-free JSON object writer.
//! - `tables`: gpsd's legends (`status_text`, `shiptype_text`, …).
//! - `kinematic`: JSON of the position-bearing types (1–4, 9, 11, 17–19,
//!   21, 27).
//! - `other`: JSON of the remaining types.
//! - `type24`: the type 24 part A / part B merge.
//! - `asm`: application-specific fields of types 6 and 8 (DAC/FI).
pub mod asm;
mod kinematic;
mod other;
pub mod tables;
mod type24;
pub mod writer;

pub use type24::Type24Merge;
pub use writer::JsonWriter;

use crate::bits::BinaryData;
use crate::message::AisMessage;

/// Appends gpsd's JSON object for `msg` to `out` (no trailing newline).
///
/// `scaled` selects `gpsdecode -j` output (degrees, knots, legends);
/// otherwise the raw integers of `gpsdecode -u -j`. A type 24 part A or B
/// alone is printed as gpsd does with `split24` (a `"part"` key); use
/// [`Type24Merge`] to print what `gpsdecode` prints.
pub fn write_json(msg: &AisMessage, scaled: bool, out: &mut Vec<u8>) {
    // The fixed head as literal text between the numbers.
    out.extend_from_slice(b"{\"class\":\"AIS\",\"type\":");
    let mut w = JsonWriter::resume(out);
    w.bare_uint(msg.message_type().into());
    w.raw("repeat", b"");
    w.bare_uint(msg.repeat().into());
    w.raw("mmsi", b"");
    w.bare_uint(msg.mmsi().into());
    w.bool("scaled", scaled);
    if !kinematic::write(msg, scaled, &mut w) {
        other::write(msg, scaled, &mut w);
    }
    w.end();
}

/// A small fixed buffer for formatting without allocation.
pub(crate) struct StackStr<const N: usize> {
    buf: [u8; N],
    len: usize,
}

impl<const N: usize> StackStr<N> {
    pub(crate) fn new() -> Self {
        Self {
            buf: [0; N],
            len: 0,
        }
    }

    pub(crate) fn as_str(&self) -> &str {
        std::str::from_utf8(&self.buf[..self.len]).unwrap_or("")
    }

    pub(crate) fn as_bytes(&self) -> &[u8] {
        &self.buf[..self.len]
    }

    /// Pushes `v` in decimal, zero-padded to at least `width` digits (as
    /// `{v:0width$}`).
    pub(crate) fn push_padded(&mut self, v: u32, width: usize) {
        let mut digits = [b'0'; 10];
        let mut n = 0;
        let mut x = v;
        while x > 0 || n < width.max(1) {
            digits[n] = b'0' + (x % 10) as u8;
            x /= 10;
            n += 1;
            if n == digits.len() {
                break;
            }
        }
        for i in (0..n).rev() {
            self.push(digits[i]);
        }
    }

    pub(crate) fn push(&mut self, b: u8) {
        if self.len < N {
            self.buf[self.len] = b;
            self.len += 1;
        }
    }
}

impl<const N: usize> std::fmt::Write for StackStr<N> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        s.bytes().for_each(|b| self.push(b));
        Ok(())
    }
}

/// Writes `"key":"<bits>:<hex>"`, gpsd's form for undecoded binary data.
pub(crate) fn write_data(w: &mut JsonWriter<'_>, key: &str, data: &BinaryData) {
    write_hex(w, key, data.len_bits(), data.as_bytes(), None);
}

/// Writes `"key":"<bits>:<hex>"` for `bits` bits in `bytes`. When `last`
/// is given it replaces the final byte: gpsd copies whole bytes, so the
/// padding bits of its last byte hold whatever followed the data.
pub(crate) fn write_hex(
    w: &mut JsonWriter<'_>,
    key: &str,
    bits: usize,
    bytes: &[u8],
    last: Option<u8>,
) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut s = StackStr::<{ 8 + BinaryData::MAX_BITS / 4 }>::new();
    s.push(b'"');
    let mut n = itoa::Buffer::new();
    n.format(bits).bytes().for_each(|b| s.push(b));
    s.push(b':');
    let count = bytes.len();
    for (i, &b) in bytes.iter().enumerate() {
        let b = if i + 1 == count { last.unwrap_or(b) } else { b };
        s.push(HEX[usize::from(b >> 4)]);
        s.push(HEX[usize::from(b & 15)]);
    }
    s.push(b'"');
    w.raw(key, s.as_bytes());
}

/// Writes a position: raw integers, or degrees with `decimals` decimals.
pub(crate) fn write_lon_lat(
    w: &mut JsonWriter<'_>,
    scaled: bool,
    lon: i32,
    lat: i32,
    per_degree: f64,
    decimals: usize,
) {
    if scaled {
        w.fixed("lon", f64::from(lon) / per_degree, decimals);
        w.fixed("lat", f64::from(lat) / per_degree, decimals);
    } else {
        w.int("lon", lon.into());
        w.int("lat", lat.into());
    }
}
