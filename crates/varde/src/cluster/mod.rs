//! Varde as a cluster on NATS JetStream (issue 13): ingest nodes publish decoded frames to the
//! raw stream, engine nodes turn it into alerts (`varde_nats` is the log contract).
//!
//! # Layout
//! - `config`: the `[cluster]` section (NATS servers, partitions, replicas, publish window).
//! - `connect`: the NATS connection every node opens.
//! - `layout`: the partition count recorded in NATS, and nodes started with another refused.
//! - `ingest/`: `varde ingest`: sources → frames → JetStream.
//! - `engine/`: `varde engine`: raw stream → watch engine → alerts and positions streams, with
//!   leases and snapshots.
//! - `api/`: `varde serve --cluster`: alerts and positions streams → store, view and live bus of
//!   the API node.
pub mod api;
pub mod config;
pub mod connect;
pub mod engine;
pub mod ingest;
pub mod layout;
