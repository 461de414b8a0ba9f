//! Latency samples and their percentiles.

use std::time::Duration;

/// Latencies of one endpoint, microseconds.
#[derive(Debug, Default, Clone)]
pub struct Samples {
    us: Vec<u64>,
    /// Answers that were not 200 (or failed to arrive).
    pub errors: u64,
    /// Bytes of the bodies received.
    pub bytes: u64,
    /// Items in the JSON arrays counted (vessels in a box).
    pub items: u64,
    /// Answers whose items were counted.
    pub counted: u64,
}

impl Samples {
    /// Adds one latency.
    pub fn add(&mut self, d: Duration) {
        self.us.push(d.as_micros() as u64);
    }

    /// Merges another thread's samples.
    pub fn merge(&mut self, o: Samples) {
        self.us.extend(o.us);
        self.errors += o.errors;
        self.bytes += o.bytes;
        self.items += o.items;
        self.counted += o.counted;
    }

    /// Requests answered.
    pub fn count(&self) -> usize {
        self.us.len()
    }

    /// The `p`th percentile (nearest rank), milliseconds; 0 with no samples.
    pub fn percentile_ms(&mut self, p: f64) -> f64 {
        if self.us.is_empty() {
            return 0.0;
        }
        self.us.sort_unstable();
        let rank = ((p / 100.0) * self.us.len() as f64).ceil() as usize;
        self.us[rank.clamp(1, self.us.len()) - 1] as f64 / 1000.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles() {
        let mut s = Samples::default();
        for ms in 1..=100 {
            s.add(Duration::from_millis(ms));
        }
        assert_eq!(s.percentile_ms(50.0), 50.0);
        assert_eq!(s.percentile_ms(99.0), 99.0);
        assert_eq!(s.percentile_ms(100.0), 100.0);
    }
}
