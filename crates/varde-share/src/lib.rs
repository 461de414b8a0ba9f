//! Varde's sharing policy, free of I/O like the codec: what an item may be
//! released to and who may receive it.
//!
//! - [`Label`]: a confidentiality label shaped like STANAG 4774 — a
//!   classification under one or more policies ([`Policies`] orders each
//!   policy's classifications), a releasable-to set (the permissive category:
//!   nations and organisations such as `NOR`, `NATO`, `EU`) and caveats (the
//!   restrictive category). Labels form a lattice: [`Label::join`] gives the
//!   label of an item derived from several inputs (highest classification per
//!   policy, intersection of releasability, union of caveats).
//! - [`Partner`]: a recipient's clearance (which nations/organisations it
//!   satisfies, its highest classification per policy, the caveats it holds);
//!   [`Partner::may_receive`] decides one item.
//! - [`config`]: the `[share]` configuration (policies, labels by source,
//!   partners) as the binary reads it from TOML.
//! - [`item`]: the items a feed carries ([`VesselItem`], [`AlertItem`],
//!   [`FeatureItem`]), filled by the binary from its own records.
//! - [`redact`]: a partner's [`Redaction`](config::Redaction) applied to an
//!   item before encoding (drop the station, coarsen, delay).
//! - [`encode`]: the feeds' encoders — [`cot`] (Cursor-on-Target events),
//!   [`stanag4774`] (the label as XML), [`geojson`] (features, RFC 8142
//!   records, server-sent events).
//! - [`ogc`]: OGC API – Features documents and the items query parser.

mod error;
mod label;
mod partner;
mod policy;
mod time;
mod token;

pub mod config;
pub mod encode;
pub mod item;
pub mod ogc;
pub mod redact;

pub use encode::{cot, geojson, stanag4774};
pub use item::{AlertItem, AlertState, FeatureItem, VesselItem};

pub use error::ShareError;
pub use label::{Label, Releasability};
pub use partner::Partner;
pub use policy::{Policies, Policy};
pub use token::Token;
