//! Typed configuration errors, collected so that all are reported at once.

use thiserror::Error;

/// One problem in the configuration.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum ConfigError {
    /// A value that must be greater than zero is not.
    #[error("{field}: must be greater than 0, got {value}")]
    NotPositive {
        /// Dotted path of the field.
        field: &'static str,
        /// The value found.
        value: f64,
    },
    /// A value lies outside its allowed range.
    #[error("{field}: must be within {min}..={max}, got {value}")]
    OutOfRange {
        /// Dotted path of the field.
        field: &'static str,
        /// The value found.
        value: f64,
        /// Smallest allowed value.
        min: f64,
        /// Largest allowed value.
        max: f64,
    },
    /// A MID that the ITU table does not assign.
    #[error("{field}: {mid} is not an assigned MID")]
    UnknownMid {
        /// Dotted path of the field.
        field: &'static str,
        /// The MID found.
        mid: u16,
    },
    /// A list that must not be empty is empty.
    #[error("{field}: must not be empty")]
    Empty {
        /// Dotted path of the field.
        field: &'static str,
    },
    /// A value names something this version does not know.
    #[error("{field}: unknown value {value:?}")]
    Unknown {
        /// Dotted path of the field.
        field: &'static str,
        /// The value found.
        value: String,
    },
}

/// Every error found by [`crate::config::Config::validate`].
#[derive(Debug, Clone, PartialEq, Error)]
#[error("{} configuration error(s):\n{}", .0.len(), render(.0))]
pub struct ConfigErrors(pub Vec<ConfigError>);

fn render(errors: &[ConfigError]) -> String {
    errors
        .iter()
        .map(|e| format!("  - {e}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Accumulates errors while sections check themselves.
#[derive(Debug, Default)]
pub(crate) struct Errors(Vec<ConfigError>);

impl Errors {
    pub(crate) fn positive(&mut self, field: &'static str, value: f64) {
        if value.is_nan() || value <= 0.0 {
            self.0.push(ConfigError::NotPositive { field, value });
        }
    }

    pub(crate) fn range(&mut self, field: &'static str, value: f64, min: f64, max: f64) {
        if value.is_nan() || value < min || value > max {
            self.0.push(ConfigError::OutOfRange {
                field,
                value,
                min,
                max,
            });
        }
    }

    pub(crate) fn mid(&mut self, field: &'static str, mid: u16) {
        if crate::picture::mid::country_of_mid(mid).is_none() {
            self.0.push(ConfigError::UnknownMid { field, mid });
        }
    }

    pub(crate) fn non_empty(&mut self, field: &'static str, len: usize) {
        if len == 0 {
            self.0.push(ConfigError::Empty { field });
        }
    }

    pub(crate) fn ship_types(&mut self, field: &'static str, types: &[u8]) {
        for &t in types.iter().filter(|&&t| t > 99) {
            self.0.push(ConfigError::OutOfRange {
                field,
                value: f64::from(t),
                min: 0.0,
                max: 99.0,
            });
        }
    }

    pub(crate) fn nav_statuses(&mut self, field: &'static str, statuses: &[u8]) {
        for &s in statuses.iter().filter(|&&s| s > 15) {
            self.0.push(ConfigError::OutOfRange {
                field,
                value: f64::from(s),
                min: 0.0,
                max: 15.0,
            });
        }
    }

    pub(crate) fn unknown(&mut self, field: &'static str, value: &str) {
        self.0.push(ConfigError::Unknown {
            field,
            value: value.to_owned(),
        });
    }

    pub(crate) fn finish(self) -> Result<(), ConfigErrors> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(ConfigErrors(self.0))
        }
    }
}
