//! One module per subcommand.
pub mod decode;
pub mod replay;
pub mod sim;
