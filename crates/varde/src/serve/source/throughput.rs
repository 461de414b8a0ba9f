//! One log line per source every interval: lines, reports, rejects and the
//! line rate since the previous one.

use super::SourceHealth;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

/// Logs every source's throughput every `every`, forever.
pub async fn run(sources: Vec<Arc<SourceHealth>>, every: Duration) {
    let mut last: Vec<u64> = sources
        .iter()
        .map(|h| h.lines.load(Ordering::Relaxed))
        .collect();
    let mut tick = tokio::time::interval(every);
    tick.tick().await;
    loop {
        tick.tick().await;
        for (h, prev) in sources.iter().zip(&mut last) {
            let lines = h.lines.load(Ordering::Relaxed);
            let rate = (lines - *prev) as f64 / every.as_secs_f64();
            *prev = lines;
            tracing::info!(
                source = %h.name,
                state = h.state().as_str(),
                lines,
                reports = h.reports.load(Ordering::Relaxed),
                rejects = h.rejects.load(Ordering::Relaxed),
                dropped = h.dropped.load(Ordering::Relaxed),
                lines_per_s = format_args!("{rate:.1}"),
                "throughput"
            );
        }
    }
}
