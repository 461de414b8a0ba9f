//! Type 5: Class A static and voyage-related data (424 bits, two slots).

use super::{header, write_header, DecodeError};
use crate::bits::{BitWriter, Payload};
use crate::text::AisText;

/// Static and voyage-related data of a Class A station (type 5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct StaticAndVoyageData {
    /// Repeat indicator, 0–3.
    pub repeat: u8,
    /// Sender MMSI.
    pub mmsi: u32,
    /// AIS version indicator, 0–3 (0 = ITU-R M.1371-1).
    pub ais_version: u8,
    /// IMO ship number (30 bits); 0 = not available.
    pub imo: u32,
    /// Call sign, 7 six-bit characters.
    pub callsign: AisText<7>,
    /// Ship name, 20 six-bit characters.
    pub shipname: AisText<20>,
    /// Type of ship and cargo, 0–255 (0 = not available; 30 fishing, 37
    /// pleasure craft, 60–69 passenger, 70–79 cargo, 80–89 tanker).
    pub shiptype: u8,
    /// Distance from the reference point to the bow, metres (511 = ≥ 511 m).
    pub to_bow: u16,
    /// Distance to the stern, metres.
    pub to_stern: u16,
    /// Distance to port side, metres (63 = ≥ 63 m).
    pub to_port: u8,
    /// Distance to starboard side, metres.
    pub to_starboard: u8,
    /// Type of electronic position fixing device, 0–15.
    pub epfd: u8,
    /// ETA month, 1–12; 0 = not available.
    pub month: u8,
    /// ETA day, 1–31; 0 = not available.
    pub day: u8,
    /// ETA hour, 0–23; 24 = not available.
    pub hour: u8,
    /// ETA minute, 0–59; 60 = not available.
    pub minute: u8,
    /// Maximum present static draught in 1/10 metre; 0 = not available.
    pub draught: u8,
    /// Destination, 20 six-bit characters.
    pub destination: AisText<20>,
    /// Data terminal equipment: false = available, true = not available.
    pub dte: bool,
    /// Spare bit, kept for exact re-encoding.
    pub spare: bool,
}

impl StaticAndVoyageData {
    #[inline(always)]
    pub(crate) fn decode(p: &Payload) -> Result<Self, DecodeError> {
        // A reader of its own, at bit 0: field positions are constants.
        let r = &mut p.reader();
        let (msg_type, repeat, mmsi) = header(r);
        let bits = r.len();
        // Many transmitters send 420 or 422 bits; gpsd accepts them.
        if bits < 420 {
            return Err(DecodeError::BadLength { msg_type, bits });
        }
        Ok(Self {
            repeat,
            mmsi,
            ais_version: r.u(2) as u8,
            imo: r.u(30),
            callsign: r.text(7),
            shipname: r.text(20),
            shiptype: r.u(8) as u8,
            to_bow: r.u(9) as u16,
            to_stern: r.u(9) as u16,
            to_port: r.u(6) as u8,
            to_starboard: r.u(6) as u8,
            epfd: r.u(4) as u8,
            month: r.u(4) as u8,
            day: r.u(5) as u8,
            hour: r.u(5) as u8,
            minute: r.u(6) as u8,
            draught: r.u(8) as u8,
            destination: r.text(20),
            dte: bits >= 423 && r.flag(),
            spare: bits >= 424 && r.flag(),
        })
    }

    pub(crate) fn encode(&self, w: &mut BitWriter) {
        write_header(w, 5, self.repeat, self.mmsi);
        w.u(2, self.ais_version.into())
            .u(30, self.imo)
            .text(7, &self.callsign)
            .text(20, &self.shipname)
            .u(8, self.shiptype.into())
            .u(9, self.to_bow.into())
            .u(9, self.to_stern.into())
            .u(6, self.to_port.into())
            .u(6, self.to_starboard.into())
            .u(4, self.epfd.into())
            .u(4, self.month.into())
            .u(5, self.day.into())
            .u(5, self.hour.into())
            .u(6, self.minute.into())
            .u(8, self.draught.into())
            .text(20, &self.destination)
            .flag(self.dte)
            .flag(self.spare);
    }

    /// Draught in metres, `None` when not available.
    pub fn draught_m(&self) -> Option<f32> {
        (self.draught != 0).then(|| f32::from(self.draught) / 10.0)
    }

    /// Overall length in metres (bow + stern), `None` when unknown.
    pub fn length_m(&self) -> Option<u16> {
        let l = self.to_bow + self.to_stern;
        (l != 0).then_some(l)
    }

    /// Overall beam in metres (port + starboard), `None` when unknown.
    pub fn beam_m(&self) -> Option<u8> {
        let b = self.to_port + self.to_starboard;
        (b != 0).then_some(b)
    }
}
