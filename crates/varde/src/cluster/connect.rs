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

/// How long a node keeps trying to set up a stream, bucket or consumer while JetStream cannot
/// answer yet (a cluster just started and still electing its leaders, or a node just died).
pub const SETUP_FOR: std::time::Duration = std::time::Duration::from_secs(60);

/// Runs `attempt` until it succeeds, for [`SETUP_FOR`] at most, waiting longer between tries
/// (200 ms doubling to 5 s); each failure is logged as about `what`.
pub async fn until_ready<T, F, Fut>(what: &str, mut attempt: F) -> Result<T>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T>>,
{
    let start = std::time::Instant::now();
    let mut wait = std::time::Duration::from_millis(200);
    loop {
        match attempt().await {
            Ok(t) => return Ok(t),
            Err(e) if start.elapsed() < SETUP_FOR => {
                tracing::warn!(error = %format!("{e:#}"), "{what}: not ready yet; retrying");
                tokio::time::sleep(wait).await;
                wait = (wait * 2).min(std::time::Duration::from_secs(5));
            }
            Err(e) => {
                return Err(e).with_context(|| format!("{what}: gave up after {SETUP_FOR:?}"))
            }
        }
    }
}

/// Gets or creates the stream `config` describes, through [`until_ready`].
pub async fn stream(
    js: &jetstream::Context,
    config: jetstream::stream::Config,
) -> Result<jetstream::stream::Stream> {
    let what = format!("the stream {}", config.name);
    until_ready(&what, || {
        let (js, config) = (js.clone(), config.clone());
        async move { Ok(js.get_or_create_stream(config).await?) }
    })
    .await
}
