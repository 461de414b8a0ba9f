//! One module per subcommand.
pub mod backup;
pub mod decode;
pub mod replay;
pub mod share;
pub mod sim;
