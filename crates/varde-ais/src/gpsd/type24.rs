//! gpsd's pairing of type 24 part A and part B reports.
//!
//! gpsd keeps, per radio channel, a ring of the last 8 part A reports
//! (MMSI and name). A part B whose MMSI is in the ring is printed merged
//! with that name (and the entry is cleared, so a repeated part B does not
//! match twice); a part A alone or an unmatched part B is never printed.
//! Reserved part numbers 2 and 3 are dropped (gpsd rejects them).

use crate::message::{AisMessage, StaticDataPart, StaticPartA};

/// Part A reports remembered per channel, as gpsd's `MAX_TYPE24_INTERLEAVE`.
pub const TYPE24_RING: usize = 8;

#[derive(Debug, Clone, Default)]
struct Ring {
    ships: [Option<(u32, StaticPartA)>; TYPE24_RING],
    next: usize,
}

/// Merges type 24 halves as `gpsdecode` does, in bounded memory (four
/// channels × 8 entries).
#[derive(Debug, Clone, Default)]
pub struct Type24Merge {
    rings: [Ring; 4],
}

impl Type24Merge {
    /// An empty merger.
    pub fn new() -> Self {
        Self::default()
    }

    /// Offers a message received without channel information (gpsd's
    /// channel A ring). See [`Type24Merge::offer_on`].
    pub fn offer(&mut self, msg: AisMessage) -> Option<AisMessage> {
        self.offer_on(b'A', msg)
    }

    /// Offers a message received on radio `channel` (the NMEA channel
    /// character: `A`/`1`, `B`/`2`, `C`, `D`; anything else counts as A).
    ///
    /// Returns what gpsd would print: any message that is not type 24 as
    /// is; a merged part A + B report when a part B completes a pair;
    /// `None` while a part A waits, for an unmatched part B, and for
    /// reserved part numbers.
    pub fn offer_on(&mut self, channel: u8, msg: AisMessage) -> Option<AisMessage> {
        let AisMessage::StaticData(mut report) = msg else {
            return Some(msg);
        };
        let ring = &mut self.rings[match channel {
            b'B' | b'2' => 1,
            b'C' => 2,
            b'D' => 3,
            _ => 0,
        }];
        match report.part {
            StaticDataPart::A(a) => {
                ring.ships[ring.next] = Some((report.mmsi, a));
                ring.next = (ring.next + 1) % TYPE24_RING;
                None
            }
            StaticDataPart::B(b) => {
                let slot = ring
                    .ships
                    .iter_mut()
                    .find(|s| matches!(s, Some((m, _)) if *m == report.mmsi))?;
                let (_, a) = slot.take()?;
                report.part = StaticDataPart::Both(a, b);
                Some(AisMessage::StaticData(report))
            }
            StaticDataPart::Both(..) => Some(AisMessage::StaticData(report)),
            StaticDataPart::Reserved { .. } => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bits::Payload;

    fn msg(s: &str, fill: u8) -> AisMessage {
        AisMessage::decode(&Payload::from_armoured(s.as_bytes(), fill).unwrap()).unwrap()
    }

    #[test]
    fn pairs_a_then_b_and_drops_the_rest() {
        let mut m = Type24Merge::new();
        assert!(m.offer(msg("H42O55i18tMET00000000000000", 2)).is_none());
        let merged = m.offer(msg("H42O55lti4hhhilD3nink000?050", 0)).unwrap();
        let AisMessage::StaticData(r) = &merged else {
            panic!()
        };
        assert_eq!(r.part_a().unwrap().shipname.as_str(), "PROGUY");
        assert_eq!(r.part_b().unwrap().callsign.as_str(), "TC6163");
        // The same part B again has no part A any more.
        assert!(m.offer(msg("H42O55lti4hhhilD3nink000?050", 0)).is_none());
    }

    #[test]
    fn channels_do_not_mix() {
        let mut m = Type24Merge::new();
        assert!(m
            .offer_on(b'A', msg("H42O55i18tMET00000000000000", 2))
            .is_none());
        assert!(m
            .offer_on(b'B', msg("H42O55lti4hhhilD3nink000?050", 0))
            .is_none());
    }
}
