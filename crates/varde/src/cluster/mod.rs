//! Varde as a cluster on NATS JetStream (issue 13): ingest nodes publish decoded frames to the
//! raw stream (`varde_nats` is the log contract).
//!
//! # Layout
//! - `config`: the `[cluster]` section (NATS servers, partitions, replicas, publish window).
//! - `ingest/`: `varde ingest`: sources → frames → JetStream.
pub mod config;
pub mod ingest;
