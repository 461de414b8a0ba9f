//! A small, allocation-free JSON object writer for the hot output path.
//!
//! `serde_json` would need an intermediate value per message; gpsd-style
//! output is flat and known, so keys and values are appended straight into
//! the caller's buffer.

/// Appends one JSON object's members to a byte buffer.
///
/// Call [`JsonWriter::begin`], then the typed `*_field` methods, then
/// [`JsonWriter::end`]. Keys are trusted literals; string values are escaped.
pub struct JsonWriter<'a> {
    out: &'a mut Vec<u8>,
    first: bool,
}

impl<'a> JsonWriter<'a> {
    /// Starts an object (`{`) at the end of `out`.
    pub fn begin(out: &'a mut Vec<u8>) -> Self {
        out.push(b'{');
        Self { out, first: true }
    }

    /// Continues an object whose `{` and first members the caller already
    /// appended to `out` (as literal text).
    pub(crate) fn resume(out: &'a mut Vec<u8>) -> Self {
        Self { out, first: false }
    }

    /// Appends `v` in decimal with no key (after a literal `"key":`).
    #[inline]
    pub(crate) fn bare_uint(&mut self, v: u64) {
        write_u64(self.out, v, false);
    }

    /// Closes the object (`}`).
    pub fn end(self) {
        self.out.push(b'}');
    }

    #[inline]
    fn key(&mut self, key: &str) {
        // `,"key":` (or `"key":` first) in one reserve and copy.
        let mut buf = [0u8; 64];
        let k = key.as_bytes();
        if k.len() > buf.len() - 4 {
            if !self.first {
                self.out.push(b',');
            }
            self.first = false;
            self.out.push(b'"');
            self.out.extend_from_slice(k);
            self.out.extend_from_slice(b"\":");
            return;
        }
        buf[0] = b',';
        buf[1] = b'"';
        buf[2..2 + k.len()].copy_from_slice(k);
        buf[2 + k.len()] = b'"';
        buf[3 + k.len()] = b':';
        // Two branches so that each copy has a length known at compile time
        // once inlined with a literal key.
        if self.first {
            self.first = false;
            self.out.extend_from_slice(&buf[1..4 + k.len()]);
        } else {
            self.out.extend_from_slice(&buf[..4 + k.len()]);
        }
    }

    /// `"key":<unsigned integer>`.
    #[inline]
    pub fn uint(&mut self, key: &str, v: u64) {
        self.key(key);
        write_u64(self.out, v, false);
    }

    /// `"key":<signed integer>`.
    #[inline]
    pub fn int(&mut self, key: &str, v: i64) {
        self.key(key);
        write_u64(self.out, v.unsigned_abs(), v < 0);
    }

    /// `"key":true|false`.
    #[inline]
    pub fn bool(&mut self, key: &str, v: bool) {
        self.key(key);
        self.out
            .extend_from_slice(if v { b"true" } else { b"false" });
    }

    /// `"key":"<escaped string>"`.
    #[inline]
    pub fn str(&mut self, key: &str, v: &str) {
        self.key(key);
        write_json_string(self.out, v);
    }

    /// `"key":<number>` printed with a fixed number of decimals, as gpsd's
    /// `%.Nf` does (used for scaled output).
    #[inline]
    pub fn fixed(&mut self, key: &str, v: f64, decimals: usize) {
        self.key(key);
        write_fixed(self.out, v, decimals);
    }

    /// `"key":"<number>"`: [`JsonWriter::fixed`] quoted, as gpsd prints some
    /// scaled values.
    #[inline]
    pub fn fixed_str(&mut self, key: &str, v: f64, decimals: usize) {
        self.key(key);
        self.out.push(b'"');
        write_fixed(self.out, v, decimals);
        self.out.push(b'"');
    }

    /// `"key":` followed by raw, already valid JSON (arrays, nested objects).
    #[inline]
    pub fn raw(&mut self, key: &str, json: &[u8]) {
        self.key(key);
        self.out.extend_from_slice(json);
    }

    /// `"key":[` … use [`JsonWriter::array_end`] after pushing elements with
    /// [`JsonWriter::nested`] / [`JsonWriter::element_sep`].
    pub fn array_begin(&mut self, key: &str) {
        self.key(key);
        self.out.push(b'[');
    }

    /// Writes `,` between array elements.
    pub fn element_sep(&mut self) {
        self.out.push(b',');
    }

    /// Closes an array opened with [`JsonWriter::array_begin`].
    pub fn array_end(&mut self) {
        self.out.push(b']');
    }

    /// A nested object writer appending to the same buffer (for array
    /// elements); call `end()` on it before writing more to `self`.
    pub fn nested(&mut self) -> JsonWriter<'_> {
        JsonWriter::begin(self.out)
    }
}

/// Writes `v` as a quoted JSON string with the escapes gpsd uses.
#[inline]
pub fn write_json_string(out: &mut Vec<u8>, v: &str) {
    let bytes = v.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    // Runs without escapes are copied whole; eight bytes are checked at once.
    let mut clean = 0;
    while clean + 8 <= bytes.len() {
        let mut w = [0u8; 8];
        w.copy_from_slice(&bytes[clean..clean + 8]);
        if any_needs_escape(u64::from_le_bytes(w)) {
            break;
        }
        clean += 8;
    }
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate().skip(clean) {
        if needs_escape(b) {
            out.extend_from_slice(&bytes[start..i]);
            escape(out, b);
            start = i + 1;
        }
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}

/// Whether any byte of `w` [`needs_escape`] (exact for "any").
#[inline(always)]
fn any_needs_escape(w: u64) -> bool {
    const L: u64 = 0x0101_0101_0101_0101;
    const H: u64 = 0x8080_8080_8080_8080;
    let zero = |x: u64| x.wrapping_sub(L) & !x & H;
    let below_space = w.wrapping_sub(L * 0x20) & !w & H;
    (below_space
        | zero(w ^ (L * u64::from(b'"')))
        | zero(w ^ (L * u64::from(b'\\')))
        | zero(w ^ (L * 0x7f)))
        != 0
}

/// Two-digit decimal strings 00–99.
const PAIRS: &[u8; 200] = b"00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899";

/// Appends `v` in decimal, `-` first when `negative`.
#[inline]
fn write_u64(out: &mut Vec<u8>, v: u64, negative: bool) {
    // Most fields are small: one or two digits go straight in.
    if !negative && v < 100 {
        if v < 10 {
            out.push(b'0' + v as u8);
        } else {
            let p = v as usize * 2;
            out.extend_from_slice(&PAIRS[p..p + 2]);
        }
        return;
    }
    write_u64_long(out, v, negative);
}

fn write_u64_long(out: &mut Vec<u8>, mut v: u64, negative: bool) {
    // Digits right-aligned in the first 21 bytes; a fixed 21-byte copy and
    // a truncate avoid a variable-length memcpy.
    let mut buf = [0u8; 42];
    let mut i = 21;
    while v >= 100 {
        let p = (v % 100) as usize * 2;
        v /= 100;
        i -= 2;
        buf[i] = PAIRS[p];
        buf[i + 1] = PAIRS[p + 1];
    }
    if v >= 10 {
        let p = v as usize * 2;
        i -= 2;
        buf[i] = PAIRS[p];
        buf[i + 1] = PAIRS[p + 1];
    } else {
        i -= 1;
        buf[i] = b'0' + v as u8;
    }
    if negative {
        i -= 1;
        buf[i] = b'-';
    }
    let len = out.len() + 21 - i;
    out.extend_from_slice(&buf[i..i + 21]);
    out.truncate(len);
}

#[inline(always)]
fn needs_escape(b: u8) -> bool {
    b < 0x20 || b == b'"' || b == b'\\' || b == 0x7f
}

#[cold]
fn escape(out: &mut Vec<u8>, b: u8) {
    match b {
        b'"' => out.extend_from_slice(b"\\\""),
        b'\\' => out.extend_from_slice(b"\\\\"),
        b'\n' => out.extend_from_slice(b"\\n"),
        b'\r' => out.extend_from_slice(b"\\r"),
        b'\t' => out.extend_from_slice(b"\\t"),
        _ => {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.extend_from_slice(b"\\u00");
            out.push(HEX[usize::from(b >> 4)]);
            out.push(HEX[usize::from(b & 15)]);
        }
    }
}

/// Writes `v` with exactly `decimals` digits after the point (like `%.Nf`).
/// Same text as `format!("{v:.decimals$}")`.
#[inline]
pub fn write_fixed(out: &mut Vec<u8>, v: f64, decimals: usize) {
    let mut buf = [0u8; 64];
    match fixed_fast(v, decimals, &mut buf) {
        // A fixed 32-byte copy and a truncate: no variable-length memcpy.
        Some(start) => {
            let len = out.len() + 32 - start;
            out.extend_from_slice(&buf[start..start + 32]);
            out.truncate(len);
        }
        None => write_fixed_slow(out, v, decimals),
    }
}

#[cold]
fn write_fixed_slow(out: &mut Vec<u8>, v: f64, decimals: usize) {
    use std::io::Write;
    // `write!` into a Vec cannot fail.
    let _ = write!(out, "{v:.decimals$}");
}

/// `v` rounded to `decimals` digits by integer arithmetic, into `buf`
/// ending at byte 32; returns where the text starts. `None` when the result could differ from core::fmt's
/// exact decimal rounding: `v × 10^decimals` within rounding error of a
/// half (ties and near-ties), too large, not finite, or a negative value
/// that rounds to zero (`-0.0`).
#[inline]
pub(crate) fn fixed_fast(v: f64, decimals: usize, buf: &mut [u8; 64]) -> Option<usize> {
    const POW: [f64; 10] = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9];
    let scale = *POW.get(decimals)?;
    // 10^d is exact, so `a` is |v|·10^d correctly rounded: off by at most
    // a * 2^-53. Below 2^52, `a - trunc(a)` is exact.
    let a = v.abs() * scale;
    if a.is_nan() || a >= 4.0e15 {
        return None;
    }
    // Truncation is floor here (a >= 0), without a libm call.
    // (Through i64: one instruction each way, where u64 needs several.)
    let whole = a as i64;
    let frac = a - whole as f64;
    if (frac - 0.5).abs() <= a * (1.0 / 4_503_599_627_370_496.0) + 1e-300 {
        return None;
    }
    let mut r = whole as u64 + u64::from(frac > 0.5);
    let negative = v.is_sign_negative();
    if negative && r == 0 {
        return None;
    }
    // Right-aligned, ending at byte 32: fraction digits, point, integer
    // part (at most 16 digits), sign.
    let mut i = 32;
    if decimals > 0 {
        for _ in 0..decimals {
            i -= 1;
            buf[i] = b'0' + (r % 10) as u8;
            r /= 10;
        }
        i -= 1;
        buf[i] = b'.';
    }
    while r >= 100 {
        let p = (r % 100) as usize * 2;
        r /= 100;
        i -= 2;
        buf[i] = PAIRS[p];
        buf[i + 1] = PAIRS[p + 1];
    }
    if r >= 10 {
        let p = r as usize * 2;
        i -= 2;
        buf[i] = PAIRS[p];
        buf[i + 1] = PAIRS[p + 1];
    } else {
        i -= 1;
        buf[i] = b'0' + r as u8;
    }
    if negative {
        i -= 1;
        buf[i] = b'-';
    }
    Some(i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_a_flat_object() {
        let mut out = Vec::new();
        let mut w = JsonWriter::begin(&mut out);
        w.str("class", "AIS");
        w.uint("type", 1);
        w.int("turn", -127);
        w.bool("raim", false);
        w.str("name", "A \"B\"\\");
        w.fixed("lat", 48.381_633_3, 4);
        w.end();
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v["name"], "A \"B\"\\");
        assert_eq!(v["lat"], 48.3816);
        assert_eq!(v["turn"], -127);
    }

    #[test]
    fn integers_like_itoa() {
        let mut vals: Vec<i64> = vec![
            0,
            1,
            9,
            10,
            99,
            100,
            101,
            999,
            1000,
            i64::MAX,
            i64::MIN,
            -1,
            -10,
        ];
        let mut x = 1i64;
        while x < i64::MAX / 3 {
            vals.extend([x, x - 1, x + 1, -x, 3 * x + 7]);
            x *= 7;
        }
        for v in vals {
            let mut got = Vec::new();
            write_u64(&mut got, v.unsigned_abs(), v < 0);
            assert_eq!(String::from_utf8(got).unwrap(), v.to_string());
        }
        let mut got = b"x".to_vec();
        write_u64(&mut got, u64::MAX, false);
        assert_eq!(got, format!("x{}", u64::MAX).into_bytes());
    }

    #[test]
    fn escapes_like_before() {
        let reference = |s: &str| {
            let mut want = vec![b'"'];
            for &b in s.as_bytes() {
                match b {
                    b'"' => want.extend_from_slice(b"\\\""),
                    b'\\' => want.extend_from_slice(b"\\\\"),
                    b'\n' => want.extend_from_slice(b"\\n"),
                    b'\r' => want.extend_from_slice(b"\\r"),
                    b'\t' => want.extend_from_slice(b"\\t"),
                    0..=0x1f | 0x7f => want.extend_from_slice(format!("\\u{b:04x}").as_bytes()),
                    _ => want.push(b),
                }
            }
            want.push(b'"');
            want
        };
        let mut cases = vec!["é".to_owned(), String::new()];
        for b in 0u8..128 {
            for pad in 0..17 {
                let mut s = "abcdefghijklmnopq"[..pad].to_owned();
                s.push(char::from(b));
                s.push_str("rstuvwxyzé0123456789");
                cases.push(s);
            }
        }
        for s in cases {
            let mut got = Vec::new();
            write_json_string(&mut got, &s);
            assert_eq!(got, reference(&s), "{s:?}");
        }
    }

    #[test]
    fn fixed_matches_core_fmt() {
        let check = |v: f64, d: usize| {
            let mut got = Vec::new();
            write_fixed(&mut got, v, d);
            assert_eq!(
                String::from_utf8(got).unwrap(),
                format!("{v:.d$}"),
                "{v:e} {d}"
            );
        };
        for d in 0..=6 {
            for v in [
                0.0,
                -0.0,
                0.5,
                -0.5,
                0.125,
                0.05,
                1e15,
                -1e15,
                1e300,
                f64::NAN,
                f64::INFINITY,
            ] {
                check(v, d);
            }
        }
        for raw in (-108_000_000i32..108_000_000).step_by(9_973) {
            for (den, d) in [
                (600_000.0, 4),
                (600.0, 3),
                (10.0, 1),
                (60_000.0, 4),
                (1_000.0, 3),
            ] {
                check(f64::from(raw) / den, d);
                check(f64::from(raw) * 0.1, d);
            }
        }
        for raw in -2_000i32..2_000 {
            for d in 0..4 {
                check(f64::from(raw) / 10.0, d);
                check(f64::from(raw) * 0.05, d);
                check((f64::from(raw) - 600.0) / 10.0, d);
                let x = f64::from(raw) / 4.733;
                check(x * x.abs(), 2);
            }
        }
    }
}
