//! Lines in, [`Frame`]s out: one frame per complete AIS message (the sentences of a
//! multi-sentence group together, exactly as received, tag blocks included), with its source,
//! its time and its MMSI.
//!
//! - Time, live sources (TCP, UDP, the simulator): as `varde serve` gives it: the line's own time
//!   (tag block `c:`, trailer, `$PGHP`) within the configured tolerances of its receipt, else
//!   refused and counted (`time_ahead_of_receipt`, `time_behind_receipt`); without one, the
//!   receive time.
//! - Time, file sources: as `varde replay` gives it ([`Clock`]): an engine node consuming the
//!   stream sees the times a replay of the file sees. Messages replay skips for want of a time
//!   are counted (`untimed`), not published.
//! - MMSI: the decoded message's. A complete group whose payload does not decode to a message
//!   (unknown type, too short) is still published, to partition 0 without `Varde-Mmsi`, so the
//!   stream holds everything a decoder downstream could count; lines that do not make a valid
//!   sentence or group (bad checksum, garbage, orphan fragments) are refused and counted.

use super::counters::Counters;
use crate::cmd::replay::time::Clock;
use bytes::Bytes;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use varde_ais::{AisMessage, Decoder, Output};
use varde_nats::Frame;

/// How a line's message is placed in time.
pub enum Timing<'a> {
    /// A live line received at this unix ms.
    Received(i64),
    /// A recorded line: the replay clock decides.
    Replay(&'a mut Clock),
}

/// Tolerances of a live line's own time around its receipt (`[serve]` `future_tolerance_min`,
/// `past_tolerance_hours`).
#[derive(Debug, Clone, Copy)]
pub struct Tolerance {
    /// Milliseconds a line's own time may be ahead of its receipt.
    pub future_ms: i64,
    /// Milliseconds it may be behind (`i64::MAX`: no limit).
    pub past_ms: i64,
}

impl Tolerance {
    /// The tolerances of the `[serve]` settings.
    pub fn of(serve: &crate::serve::config::ServeConfig) -> Self {
        Self {
            future_ms: i64::from(serve.future_tolerance_min) * 60_000,
            past_ms: match serve.past_tolerance_hours {
                0 => i64::MAX,
                h => i64::from(h) * 3_600_000,
            },
        }
    }
}

/// Reassembles and frames the lines of one or more sources (each with its own index).
pub struct Framer {
    decoder: Decoder,
    names: Vec<String>,
    tolerance: Tolerance,
    counters: Arc<Counters>,
    /// Incomplete groups dropped by the decoder so far, already counted.
    dropped_groups: u64,
}

impl Framer {
    /// A framer for sources named `names` (indexed by source id).
    pub fn new(names: Vec<String>, tolerance: Tolerance, counters: Arc<Counters>) -> Self {
        Self {
            decoder: Decoder::new(),
            names,
            tolerance,
            counters,
            dropped_groups: 0,
        }
    }

    /// Counts the multi-sentence groups the decoder dropped incomplete since the last call
    /// (replaced by a new group, expired, evicted) as `incomplete_group`; at `end` of the input
    /// also those still waiting for a fragment (`incomplete_at_end`).
    pub fn count_groups(&mut self, end: bool) {
        let a = self.decoder.assembly_stats();
        let dropped = a.replaced + a.expired + a.evicted;
        self.counters
            .reject_n("incomplete_group", dropped - self.dropped_groups);
        self.dropped_groups = dropped;
        if end {
            self.counters
                .reject_n("incomplete_at_end", self.decoder.in_flight() as u64);
        }
    }

    fn name(&self, source: u32) -> &str {
        self.names.get(source as usize).map_or("?", String::as_str)
    }

    /// Counts a line longer than the line limit (dropped whole by the reader).
    pub fn overlong(&self, source: u32) {
        self.counters.lines.fetch_add(1, Ordering::Relaxed);
        self.counters
            .reject(self.name(source), "line_too_long", b"<line too long>");
    }

    /// Feeds one line of `source`; appends the frame it completes, if any, to `out`.
    pub fn line(&mut self, source: u32, line: &[u8], timing: Timing<'_>, out: &mut Vec<Frame>) {
        self.counters.lines.fetch_add(1, Ordering::Relaxed);
        let frame = match self.decoder.feed(source, line) {
            Ok(Output::Frame(f)) => f,
            Ok(_) => return,
            Err(e) => {
                let name = self.names.get(source as usize).map_or("?", String::as_str);
                return self.counters.reject(name, e.cause(), line);
            }
        };
        let mmsi = AisMessage::decode(frame.payload).ok().map(|m| m.mmsi());
        let own = frame.time_ms;
        let time = match timing {
            Timing::Received(rx) => match own {
                Some(t) if t > rx.saturating_add(self.tolerance.future_ms) => {
                    let name = self.names.get(source as usize).map_or("?", String::as_str);
                    return self.counters.reject(name, "time_ahead_of_receipt", line);
                }
                Some(t) if t < rx.saturating_sub(self.tolerance.past_ms) => {
                    let name = self.names.get(source as usize).map_or("?", String::as_str);
                    return self.counters.reject(name, "time_behind_receipt", line);
                }
                Some(t) => Some(t),
                None => Some(rx),
            },
            // Only messages the replay would hand to the engine move its clock, so the clock
            // here runs exactly as the replay's.
            Timing::Replay(clock) if mmsi.is_some() => clock.time(own, frame.sentences),
            Timing::Replay(clock) => own.or(clock.latest()),
        };
        let Some(received_ms) = time else {
            self.counters.untimed.fetch_add(1, Ordering::Relaxed);
            return;
        };
        if mmsi.is_none() {
            self.counters.unattributed.fetch_add(1, Ordering::Relaxed);
        }
        self.counters.frames.fetch_add(1, Ordering::Relaxed);
        out.push(Frame {
            source: self
                .names
                .get(source as usize)
                .map_or("?", String::as_str)
                .to_owned(),
            received_ms,
            mmsi,
            lines: Bytes::copy_from_slice(frame.raw.as_bytes()),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cmd::replay::time::TimeArgs;

    fn framer() -> (Framer, Arc<Counters>) {
        let c = Arc::new(Counters::default());
        let t = Tolerance {
            future_ms: 300_000,
            past_ms: i64::MAX,
        };
        (Framer::new(vec!["feed".into()], t, c.clone()), c)
    }

    const TWO: [&[u8]; 2] = [
        b"\\g:1-2-1,s:2573225,c:1721088007*4B\\!BSVDM,2,1,1,B,55?khb82HLnc<E=1?8058=@T>0<598TE8000001B6r1@A40HtGDSm51DQ0C@,0*0A",
        b"\\g:2-2-1,s:2573225,c:1721088007*48\\!BSVDM,2,2,1,B,00000000000,2*3F",
    ];

    #[test]
    fn a_two_sentence_message_is_one_frame_with_both_lines() {
        let (mut f, c) = framer();
        let mut out = Vec::new();
        for l in TWO {
            f.line(0, l, Timing::Received(1_721_088_008_000), &mut out);
        }
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].sentences().collect::<Vec<_>>(), TWO);
        assert_eq!(
            (out[0].received_ms, out[0].source.as_str()),
            (1_721_088_007_000, "feed")
        );
        assert!(out[0].mmsi.is_some());
        assert_eq!(c.rejected(), 0);
    }

    #[test]
    fn garbage_is_counted_and_a_file_takes_the_replay_time() {
        let (mut f, c) = framer();
        let mut clock = Clock::new(&TimeArgs {
            assume_rate: None,
            start: None,
            time_from_file: false,
        })
        .unwrap();
        let mut out = Vec::new();
        let lines: [&[u8]; 3] = [
            b"garbage",
            b"!BSVDM,1,1,,A,13mbpQo000QR3bj`fG=SVRt20000,0*19",
            b"\\s:2573515,c:1721088001*0A\\!BSVDM,1,1,,A,13mbpQo000QR3bj`fG=SVRt20000,0*19",
        ];
        for l in lines {
            clock.tick();
            f.line(0, l, Timing::Replay(&mut clock), &mut out);
        }
        assert_eq!(c.rejected(), 1, "{:?}", c.rejects());
        assert_eq!(c.untimed.load(Ordering::Relaxed), 1, "before any time");
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].received_ms, 1_721_088_001_000);
    }
}
