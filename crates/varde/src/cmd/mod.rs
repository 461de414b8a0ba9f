//! One module per subcommand.
pub mod backup;
pub mod decode;
pub mod replay;
pub mod sim;
