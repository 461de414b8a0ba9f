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

    /// Closes the object (`}`).
    pub fn end(self) {
        self.out.push(b'}');
    }

    fn key(&mut self, key: &str) {
        if !self.first {
            self.out.push(b',');
        }
        self.first = false;
        self.out.push(b'"');
        self.out.extend_from_slice(key.as_bytes());
        self.out.extend_from_slice(b"\":");
    }

    /// `"key":<unsigned integer>`.
    pub fn uint(&mut self, key: &str, v: u64) {
        self.key(key);
        self.out
            .extend_from_slice(itoa::Buffer::new().format(v).as_bytes());
    }

    /// `"key":<signed integer>`.
    pub fn int(&mut self, key: &str, v: i64) {
        self.key(key);
        self.out
            .extend_from_slice(itoa::Buffer::new().format(v).as_bytes());
    }

    /// `"key":true|false`.
    pub fn bool(&mut self, key: &str, v: bool) {
        self.key(key);
        self.out
            .extend_from_slice(if v { b"true" } else { b"false" });
    }

    /// `"key":"<escaped string>"`.
    pub fn str(&mut self, key: &str, v: &str) {
        self.key(key);
        write_json_string(self.out, v);
    }

    /// `"key":<number>` printed with a fixed number of decimals, as gpsd's
    /// `%.Nf` does (used for scaled output).
    pub fn fixed(&mut self, key: &str, v: f64, decimals: usize) {
        self.key(key);
        write_fixed(self.out, v, decimals);
    }

    /// `"key":` followed by raw, already valid JSON (arrays, nested objects).
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
pub fn write_json_string(out: &mut Vec<u8>, v: &str) {
    out.push(b'"');
    for &b in v.as_bytes() {
        match b {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            0..=0x1f | 0x7f => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.extend_from_slice(b"\\u00");
                out.push(HEX[usize::from(b >> 4)]);
                out.push(HEX[usize::from(b & 15)]);
            }
            _ => out.push(b),
        }
    }
    out.push(b'"');
}

/// Writes `v` with exactly `decimals` digits after the point (like `%.Nf`).
pub fn write_fixed(out: &mut Vec<u8>, v: f64, decimals: usize) {
    use std::io::Write;
    // `write!` into a Vec cannot fail.
    let _ = write!(out, "{v:.decimals$}");
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
}
