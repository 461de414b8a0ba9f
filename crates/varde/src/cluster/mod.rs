//! Varde as a cluster on NATS JetStream (issue 13): the nodes' commands' machinery.
pub mod engine;
