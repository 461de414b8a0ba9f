//! Nation, organisation and caveat tokens.

use crate::ShareError;
use std::fmt;

/// A nation, organisation or caveat name as it appears in a label: upper
/// case, e.g. `NOR`, `NATO`, `EU`, `FVEY`. Cheap to clone.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Token(Box<str>);

impl Token {
    /// Checks and takes `s` (surrounding spaces trimmed; lower case is
    /// upper-cased).
    pub fn new(s: &str) -> Result<Self, ShareError> {
        let t = s.trim().to_ascii_uppercase();
        let ok = !t.is_empty()
            && t.len() <= 64
            && t.bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b"_- ".contains(&b));
        if ok {
            Ok(Token(t.into_boxed_str()))
        } else {
            Err(ShareError::BadToken(s.to_string()))
        }
    }

    /// The token's text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::Token;

    #[test]
    fn tokens_are_upper_case_and_checked() {
        assert_eq!(Token::new(" nor ").unwrap().as_str(), "NOR");
        assert!(Token::new("").is_err());
        assert!(Token::new("NO<R").is_err());
        assert!(Token::new("A,B").is_err());
    }
}
