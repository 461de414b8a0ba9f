//! Encoders for partner feeds: every one writes an item together with its
//! label, and none does I/O.
//!
//! - [`cot`]: Cursor-on-Target 2.0 XML events (TAK).
//! - [`stanag4774`]: the label alone, as STANAG 4774 confidentiality label XML.
//! - [`geojson`]: RFC 7946 features and RFC 8142 / server-sent-event framing.

pub mod cot;
pub mod geojson;
pub mod stanag4774;
mod xml;
