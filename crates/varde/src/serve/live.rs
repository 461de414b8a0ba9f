//! What the pipeline publishes to live subscribers (SSE) and the store.

use std::sync::Arc;
use tokio::sync::broadcast;

/// One live event, pre-serialised once for every subscriber.
#[derive(Debug, Clone)]
pub struct LiveEvent {
    /// SSE event name: `position` or `alert`.
    pub name: &'static str,
    /// JSON data.
    pub data: Arc<str>,
}

/// The fan-out to live subscribers. A slow subscriber lags and loses the
/// oldest events (counted by the stream), never slowing ingest.
pub type LiveBus = broadcast::Sender<LiveEvent>;

/// Capacity of the live bus.
pub const LIVE_CAPACITY: usize = 16_384;
