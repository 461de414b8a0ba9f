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

mod error;
mod label;
mod partner;
mod policy;
mod token;

pub mod config;

pub use error::ShareError;
pub use label::{Label, Releasability};
pub use partner::Partner;
pub use policy::{Policies, Policy};
pub use token::Token;
