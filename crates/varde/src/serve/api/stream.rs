//! `/api/stream`: Server-Sent Events of positions (`event: position`) and
//! alert changes (`event: alert`, same `id` = revision).

use super::AppState;
use crate::serve::metrics::Counter;
use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::stream::Stream;
use std::convert::Infallible;
use tokio_stream::wrappers::errors::BroadcastStreamRecvError;
use tokio_stream::wrappers::BroadcastStream;
use tokio_stream::StreamExt;

/// Subscribes to the live bus; the first event is `hello`. A client too slow to keep up loses the
/// oldest events (counted in `varde_live_lagged_total`).
pub async fn sse(
    State(state): State<AppState>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let metrics = state.metrics.clone();
    // A first event tells the client the subscription is in place.
    let hello = tokio_stream::once(Ok(Event::default().event("hello").data("{}")));
    let stream = BroadcastStream::new(state.live.subscribe()).filter_map(move |item| match item {
        Ok(ev) => Some(Ok(Event::default().event(ev.name).data(&*ev.data))),
        Err(BroadcastStreamRecvError::Lagged(n)) => {
            metrics.add(Counter::LiveLagged, n);
            None
        }
    });
    Sse::new(hello.chain(stream)).keep_alive(KeepAlive::default())
}
