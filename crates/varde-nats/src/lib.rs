//! Varde's log on NATS JetStream: the contract between ingest nodes (`varde ingest`), engine
//! nodes (`varde engine`) and API nodes (`varde serve --cluster`).
//!
//! - Decoded AIS messages travel as [`Frame`]s on the raw stream [`RAW_STREAM`], one subject per
//!   MMSI partition ([`raw_subject`], [`partition_of`]). The stream sequence is global across
//!   partitions, so a consumer of every partition sees the ingest order.
//! - Each frame carries a `Nats-Msg-Id` ([`Frame::msg_id`]) derived from its content, so a frame
//!   published twice (a lost ack, a restarted ingest node) is stored once within the stream's
//!   duplicate window.
//! - This crate knows NATS and nothing of AIS or of Varde's other crates; the binary adapts.

pub mod frame;
pub mod streams;

pub use frame::{Frame, FrameError};
pub use streams::Layout;

/// The raw stream: every decoded AIS message's sentences, partitioned by MMSI.
pub const RAW_STREAM: &str = "VARDE_RAW";
/// Subject prefix of the raw stream (`varde.raw.<partition>`).
pub const RAW_PREFIX: &str = "varde.raw";
/// The alerts stream: every alert revision the engine nodes raise, as the alert JSON.
pub const ALERTS_STREAM: &str = "VARDE_ALERTS";
/// Subject prefix of the alerts stream (`varde.alerts.<partition>`).
pub const ALERTS_PREFIX: &str = "varde.alerts";
/// The positions stream: vessel positions and records for API nodes.
pub const POSITIONS_STREAM: &str = "VARDE_POSITIONS";
/// Subject prefix of the positions stream (`varde.pos.<partition>`).
pub const POSITIONS_PREFIX: &str = "varde.pos";
/// KV bucket of partition leases (key: partition, value: the owning node).
pub const LEASES_BUCKET: &str = "varde_leases";
/// KV bucket of the cluster's layout, written once by the first node that finds it empty.
pub const LAYOUT_BUCKET: &str = "varde_layout";
/// Key of [`LAYOUT_BUCKET`] holding the MMSI partition count of the raw stream (decimal text).
pub const LAYOUT_PARTITIONS_KEY: &str = "partitions";
/// Object store of engine snapshots (one object per partition set, with the stream sequence it covers).
pub const SNAPSHOTS_BUCKET: &str = "varde_snapshots";

/// Header: the source (feed) name the frame was received on.
pub const SOURCE_HEADER: &str = "Varde-Source";
/// Header: the receive time, unix milliseconds.
pub const RECEIVED_HEADER: &str = "Varde-Received-Ms";
/// Header: the MMSI of the decoded message (absent when the frame could not be attributed).
pub const MMSI_HEADER: &str = "Varde-Mmsi";

/// Header of an alert message: the alert's revision number.
pub const REVISION_HEADER: &str = "Varde-Revision";
/// Header of an alert message: the event's number among its engine's alert events (from 1,
/// never reused: an engine node taking over publishes only numbers above the stream's last).
pub const EVENT_HEADER: &str = "Varde-Event";
/// Header of an alert message: what happened to the alert (`opened`, `updated`, `closed`,
/// `retracted`).
pub const EVENT_KIND_HEADER: &str = "Varde-Event-Kind";
/// Header of an alert message: the raw-stream sequence of the frame that raised it.
pub const RAW_SEQ_HEADER: &str = "Varde-Raw-Seq";

/// Stream of what an area node's pairwise detectors did that partition nodes apply (spoofing
/// episodes, incidents of pairwise alerts), and how far the area node has read.
pub const AREA_STREAM: &str = "VARDE_AREA";
/// Subject prefix of [`AREA_STREAM`]: `varde.area.<area>.effect.<n>` and
/// `varde.area.<area>.progress`.
pub const AREA_PREFIX: &str = "varde.area";

/// The subject of an area node's effect number `n` (one subject each, so the stream keeps every
/// effect while keeping only the newest progress message).
pub fn area_effect_subject(area: &str, n: u64) -> String {
    format!("{AREA_PREFIX}.{area}.effect.{n}")
}

/// The subject of an area node's progress: the last raw-stream sequence it has handled.
pub fn area_progress_subject(area: &str) -> String {
    format!("{AREA_PREFIX}.{area}.progress")
}

/// Default number of MMSI partitions.
pub const DEFAULT_PARTITIONS: u32 = 16;

/// The partition of `mmsi` among `partitions` (> 0).
pub fn partition_of(mmsi: u32, partitions: u32) -> u32 {
    mmsi % partitions.max(1)
}

/// The raw-stream subject of `partition`.
pub fn raw_subject(partition: u32) -> String {
    format!("{RAW_PREFIX}.{partition}")
}

/// The alerts-stream subject of `partition`.
pub fn alerts_subject(partition: u32) -> String {
    format!("{ALERTS_PREFIX}.{partition}")
}

/// The positions-stream subject of `partition`.
pub fn positions_subject(partition: u32) -> String {
    format!("{POSITIONS_PREFIX}.{partition}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partitions_spread_mmsis() {
        assert_eq!(partition_of(257_000_001, 16), 257_000_001 % 16);
        assert_eq!(partition_of(5, 0), 0);
        assert_eq!(raw_subject(3), "varde.raw.3");
    }
}
