//! The tracing subscriber of `varde serve`: `RUST_LOG` filter (default `info`), to stderr.

/// Installs the subscriber (once; later calls do nothing).
pub fn init() {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .with_writer(std::io::stderr)
        .try_init();
}
