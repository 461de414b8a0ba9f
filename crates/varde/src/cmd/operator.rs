//! `varde operator`: operator accounts.
//!
//! `varde operator hash-token` reads a token on stdin (so it stays out of the shell's history) and
//! prints the `token_sha256 = "…"` line for a `[[serve.operators]]` account; `--new` makes a
//! random token, prints it once on stderr and its hash on stdout.

use anyhow::{Context, Result};
use std::io::Read;

/// Options of `varde operator`.
#[derive(Debug, clap::Args)]
pub struct OperatorArgs {
    #[command(subcommand)]
    command: OperatorCommand,
}

#[derive(Debug, clap::Subcommand)]
enum OperatorCommand {
    /// Print the `token_sha256` line of a token read on stdin (one line; the newline is dropped).
    HashToken(HashArgs),
}

/// Options of `varde operator hash-token`.
#[derive(Debug, clap::Args)]
struct HashArgs {
    /// Make a new random token instead of reading one: printed once on stderr.
    #[arg(long)]
    new: bool,
}

/// Runs `varde operator`.
pub fn run(args: &OperatorArgs) -> Result<()> {
    match &args.command {
        OperatorCommand::HashToken(h) => {
            let token = if h.new {
                let t = crate::serve::random_token();
                eprintln!("token: {t}");
                t
            } else {
                let mut s = String::new();
                std::io::stdin()
                    .read_to_string(&mut s)
                    .context("reading the token on stdin")?;
                let t = s.strip_suffix('\n').unwrap_or(&s);
                let t = t.strip_suffix('\r').unwrap_or(t).to_owned();
                anyhow::ensure!(!t.is_empty(), "no token on stdin");
                t
            };
            println!(
                "token_sha256 = \"{}\"",
                crate::serve::api::hash_token(token.as_bytes())
            );
            Ok(())
        }
    }
}
