//! One NATS connection for every kind of node: the URL list read, connection events logged, and
//! NATS waited for when it is not up yet.

use anyhow::{Context, Result};
use async_nats::jetstream;

/// Connects to the NATS servers `urls` (each `nats://host:port` or `host:port`) under the client
/// name `name` and returns a JetStream context. Waits for NATS when none is up yet.
pub async fn jetstream<'a>(
    urls: impl IntoIterator<Item = &'a str>,
    name: String,
) -> Result<jetstream::Context> {
    let addrs = urls
        .into_iter()
        .map(|u| {
            u.trim()
                .parse::<async_nats::ServerAddr>()
                .with_context(|| format!("not a NATS URL: {u:?}"))
        })
        .collect::<Result<Vec<_>>>()?;
    let client = async_nats::ConnectOptions::new()
        .name(name)
        .retry_on_initial_connect()
        .event_callback(|e| async move {
            match e {
                async_nats::Event::Connected => tracing::info!("connected to NATS"),
                async_nats::Event::Disconnected => {
                    tracing::warn!("disconnected from NATS; reconnecting")
                }
                other => tracing::info!(event = %other, "NATS"),
            }
        })
        .connect(addrs)
        .await
        .context("cannot connect to NATS")?;
    Ok(jetstream::new(client))
}
