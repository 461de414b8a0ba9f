//! XML text and attribute escaping shared by the XML encoders.

/// Appends `s` escaped for XML 1.0 character data or a double-quoted
/// attribute value. Characters XML 1.0 cannot carry at all (C0 controls
/// other than tab, LF and CR; U+FFFE, U+FFFF) become U+FFFD. In attributes,
/// tab, LF and CR are written as character references so that attribute
/// normalisation does not turn them into spaces.
pub(crate) fn escape_into(out: &mut String, s: &str, attribute: bool) {
    let plain = |b: u8| b >= 0x20 && !matches!(b, b'&' | b'<' | b'>' | b'"' | 0xEF);
    if s.bytes().all(plain) {
        // Nothing to escape (0xEF leads U+FFFE/U+FFFF, so those take the slow path).
        out.push_str(s);
        return;
    }
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attribute => out.push_str("&quot;"),
            '\t' if attribute => out.push_str("&#9;"),
            '\n' if attribute => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' | '\n' => out.push(c),
            '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => out.push('\u{fffd}'),
            _ => out.push(c),
        }
    }
}

/// Appends ` name="value"` with the value escaped.
pub(crate) fn attr(out: &mut String, name: &str, value: &str) {
    out.push(' ');
    out.push_str(name);
    out.push_str("=\"");
    escape_into(out, value, true);
    out.push('"');
}

/// Appends `<name>text</name>` with the text escaped.
pub(crate) fn text_element(out: &mut String, name: &str, text: &str) {
    out.push('<');
    out.push_str(name);
    out.push('>');
    escape_into(out, text, false);
    out.push_str("</");
    out.push_str(name);
    out.push('>');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_unwritable_characters() {
        let mut s = String::new();
        escape_into(&mut s, "a<b>&\"c\"\t\n\r\u{1}\u{ffff}é", true);
        assert_eq!(
            s,
            "a&lt;b&gt;&amp;&quot;c&quot;&#9;&#10;&#13;\u{fffd}\u{fffd}é"
        );
        let mut s = String::new();
        escape_into(&mut s, "\"x\"\t\n\r", false);
        assert_eq!(s, "\"x\"\t\n&#13;");
    }
}
