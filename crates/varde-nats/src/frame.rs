//! The frame a decoded AIS message travels in on the raw stream: its sentences exactly as
//! received (tag blocks included), the source and the receive time.

use async_nats::HeaderMap;
use bytes::Bytes;
use sha2::{Digest, Sha256};

use crate::{MMSI_HEADER, RECEIVED_HEADER, SOURCE_HEADER};

/// A frame that cannot be read back from a message.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum FrameError {
    /// A required header is absent.
    #[error("frame header {0} is missing")]
    MissingHeader(&'static str),
    /// A header holds what it should not.
    #[error("frame header {name} is not valid: {value:?}")]
    BadHeader {
        /// The header.
        name: &'static str,
        /// What it held.
        value: String,
    },
}

/// One decoded AIS message (one or more sentences) with where and when it was received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    /// The source (feed) name.
    pub source: String,
    /// Receive time, unix milliseconds (event time from the tag block when the line had one).
    pub received_ms: i64,
    /// The MMSI the message decoded to, if any.
    pub mmsi: Option<u32>,
    /// The sentences, each without its line ending, joined by `\n`.
    pub lines: Bytes,
}

impl Frame {
    /// The sentences, one by one.
    pub fn sentences(&self) -> impl Iterator<Item = &[u8]> {
        self.lines.split(|b| *b == b'\n').filter(|l| !l.is_empty())
    }

    /// The de-duplication id (`Nats-Msg-Id`): SHA-256 over source, receive time and sentences,
    /// first 128 bits in hex. The same frame published again gets the same id.
    pub fn msg_id(&self) -> String {
        let mut h = Sha256::new();
        h.update(self.source.as_bytes());
        h.update([0]);
        h.update(self.received_ms.to_be_bytes());
        h.update(&self.lines);
        let d = h.finalize();
        d[..16].iter().map(|b| format!("{b:02x}")).collect()
    }

    /// The headers to publish with (source, receive time, MMSI, `Nats-Msg-Id`).
    pub fn headers(&self) -> HeaderMap {
        let mut m = HeaderMap::new();
        m.insert(SOURCE_HEADER, self.source.as_str());
        m.insert(RECEIVED_HEADER, self.received_ms.to_string().as_str());
        if let Some(mmsi) = self.mmsi {
            m.insert(MMSI_HEADER, mmsi.to_string().as_str());
        }
        m.insert("Nats-Msg-Id", self.msg_id().as_str());
        m
    }

    /// Reads a frame back from a message's headers and payload.
    pub fn from_message(headers: Option<&HeaderMap>, payload: Bytes) -> Result<Self, FrameError> {
        let get = |name: &'static str| headers.and_then(|h| h.get(name)).map(|v| v.as_str());
        let source = get(SOURCE_HEADER)
            .ok_or(FrameError::MissingHeader(SOURCE_HEADER))?
            .to_string();
        let rx = get(RECEIVED_HEADER).ok_or(FrameError::MissingHeader(RECEIVED_HEADER))?;
        let received_ms = rx.parse().map_err(|_| FrameError::BadHeader {
            name: RECEIVED_HEADER,
            value: rx.to_string(),
        })?;
        let mmsi = match get(MMSI_HEADER) {
            None => None,
            Some(v) => Some(v.parse().map_err(|_| FrameError::BadHeader {
                name: MMSI_HEADER,
                value: v.to_string(),
            })?),
        };
        Ok(Self {
            source,
            received_ms,
            mmsi,
            lines: payload,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame() -> Frame {
        Frame {
            source: "kystverket".into(),
            received_ms: 1_700_000_000_123,
            mmsi: Some(257_123_456),
            lines: Bytes::from_static(b"!AIVDM,2,1,3,B,55P5TL01,0*3A\n!AIVDM,2,2,3,B,1@0,2*11"),
        }
    }

    #[test]
    fn a_frame_survives_its_headers() {
        let f = frame();
        let back = Frame::from_message(Some(&f.headers()), f.lines.clone()).unwrap();
        assert_eq!(back, f);
        assert_eq!(back.sentences().count(), 2);
    }

    #[test]
    fn the_same_frame_gets_the_same_id_and_a_changed_one_another() {
        let f = frame();
        assert_eq!(f.msg_id(), frame().msg_id());
        assert_eq!(f.msg_id().len(), 32);
        let mut g = frame();
        g.received_ms += 1;
        assert_ne!(f.msg_id(), g.msg_id());
    }

    #[test]
    fn missing_or_bad_headers_are_errors() {
        assert_eq!(
            Frame::from_message(None, Bytes::new()),
            Err(FrameError::MissingHeader(SOURCE_HEADER))
        );
        let mut h = frame().headers();
        h.insert(RECEIVED_HEADER, "soon");
        assert!(matches!(
            Frame::from_message(Some(&h), Bytes::new()),
            Err(FrameError::BadHeader { .. })
        ));
    }
}
