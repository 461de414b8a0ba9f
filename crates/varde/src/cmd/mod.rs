//! One module per subcommand.
pub mod audit;
pub mod backfill;
pub mod backup;
pub mod decode;
pub mod engine;
pub mod history;
pub mod ingest;
pub mod operator;
pub mod replay;
pub mod share;
pub mod sim;
