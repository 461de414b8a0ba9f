//! The `[cluster]` section: where the NATS servers are and how the log is laid out.

use serde::{Deserialize, Serialize};

/// Settings shared by the cluster's nodes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ClusterConfig {
    /// NATS server URLs (`nats://host:4222`, several for a cluster: the client fails over
    /// between them). `--nats` on the command line replaces them.
    pub nats: Vec<String>,
    /// MMSI partitions of the raw stream (`varde.raw.<mmsi % partitions>`); every node of one
    /// cluster must use the same number.
    pub partitions: u32,
    /// Copies of every message when a stream is created (3 on a three-node cluster, 1 on a
    /// single server). An existing stream is left as it is.
    pub replicas: usize,
    /// Seconds a `Nats-Msg-Id` is remembered for de-duplication when a stream is created.
    pub duplicate_window_s: u64,
    /// Frames published whose acknowledgement has not come back yet, at most (the pipelining
    /// window; beyond it the sources wait).
    pub max_in_flight: usize,
    /// Seconds to wait for a publish acknowledgement before the frame is sent again (same
    /// `Nats-Msg-Id`, so it is stored once).
    pub ack_timeout_s: u64,
}

impl Default for ClusterConfig {
    fn default() -> Self {
        Self {
            nats: Vec::new(),
            partitions: varde_nats::DEFAULT_PARTITIONS,
            replicas: 3,
            duplicate_window_s: 120,
            max_in_flight: 1024,
            ack_timeout_s: 5,
        }
    }
}

impl ClusterConfig {
    /// These settings with the command line's on top: `--nats` (when given), the partition count
    /// and the replicas.
    pub fn overridden(
        &self,
        nats: &[String],
        partitions: Option<u32>,
        replicas: Option<u64>,
    ) -> Self {
        let mut c = self.clone();
        if !nats.is_empty() {
            c.nats = nats.to_vec();
        }
        if let Some(p) = partitions {
            c.partitions = p;
        }
        if let Some(r) = replicas {
            c.replicas = r as usize;
        }
        c
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_section_parses_with_defaults_and_refuses_unknown_keys() {
        let c: ClusterConfig =
            toml::from_str("nats = [\"nats://a:4222\"]\npartitions = 8").unwrap();
        assert_eq!(c.nats, ["nats://a:4222"]);
        assert_eq!((c.partitions, c.replicas), (8, 3));
        assert!(toml::from_str::<ClusterConfig>("partitons = 8").is_err());
    }
}
