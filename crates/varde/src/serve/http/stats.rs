//! Counters of the HTTP listener, exported on `/metrics`.

use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};

/// What the listener did with its connections.
#[derive(Debug, Default)]
pub struct HttpStats {
    /// Connections open now.
    pub open: AtomicU64,
    /// Connections accepted since start.
    pub accepted: AtomicU64,
    /// Connections closed because no byte moved for the idle timeout.
    pub idle_closed: AtomicU64,
    /// Connections that ended with an error, a header-read timeout included.
    pub errors: AtomicU64,
    /// Times the connection cap was reached (new clients waited).
    pub cap_reached: AtomicU64,
}

impl HttpStats {
    /// Appends these counters in Prometheus text format.
    pub fn render(&self, out: &mut String) {
        let rows: [(&str, &str, &str, &AtomicU64); 5] = [
            (
                "varde_http_connections",
                "gauge",
                "HTTP connections open.",
                &self.open,
            ),
            (
                "varde_http_connections_total",
                "counter",
                "HTTP connections accepted.",
                &self.accepted,
            ),
            (
                "varde_http_idle_closed_total",
                "counter",
                "HTTP connections closed after the idle timeout.",
                &self.idle_closed,
            ),
            (
                "varde_http_connection_errors_total",
                "counter",
                "HTTP connections ended by an error (header-read timeouts included).",
                &self.errors,
            ),
            (
                "varde_http_connection_cap_reached_total",
                "counter",
                "Times max_connections was reached and new clients had to wait.",
                &self.cap_reached,
            ),
        ];
        for (name, kind, help, v) in rows {
            let _ = writeln!(
                out,
                "# HELP {name} {help}\n# TYPE {name} {kind}\n{name} {}",
                v.load(Ordering::Relaxed)
            );
        }
    }
}
