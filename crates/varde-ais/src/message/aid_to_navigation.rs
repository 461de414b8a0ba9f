//! Type 21: aid-to-navigation report (272–368 bits).

use super::units::{self, PER_DEGREE_1_10000_MIN};
use super::{check_len, header, write_header, DecodeError};
use crate::bits::{BitWriter, Payload};
use crate::text::AisText;

/// Aid-to-navigation report (type 21): buoys, beacons, lights, virtual aids.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct AidToNavigationReport {
    /// Repeat indicator, 0–3.
    pub repeat: u8,
    /// Sender MMSI (99MIDxxxx for aids to navigation).
    pub mmsi: u32,
    /// Type of aid, 0–31 (e.g. 3 fixed offshore structure, 20–23 cardinal
    /// marks, 30 special mark).
    pub aid_type: u8,
    /// Name, first 20 six-bit characters.
    pub name: AisText<20>,
    /// Position accuracy flag: true = high (≤ 10 m).
    pub accuracy: bool,
    /// Longitude in 1/10000 minute; 181° = not available.
    pub lon: i32,
    /// Latitude in 1/10000 minute; 91° = not available.
    pub lat: i32,
    /// Distance to the bow, metres.
    pub to_bow: u16,
    /// Distance to the stern, metres.
    pub to_stern: u16,
    /// Distance to port side, metres.
    pub to_port: u8,
    /// Distance to starboard side, metres.
    pub to_starboard: u8,
    /// Type of electronic position fixing device, 0–15.
    pub epfd: u8,
    /// UTC second, 0–59; 60–63 special values.
    pub second: u8,
    /// Off-position indicator (valid for floating aids only).
    pub off_position: bool,
    /// Regional reserved bits (8).
    pub regional: u8,
    /// RAIM in use.
    pub raim: bool,
    /// Virtual aid flag: true = virtual (no physical aid).
    pub virtual_aid: bool,
    /// Assigned mode flag.
    pub assigned: bool,
    /// Spare bit.
    pub spare: bool,
    /// Name extension, up to 14 more characters after bit 272 (gpsd reads
    /// up to 16 when the payload is 368 bits).
    pub name_ext: AisText<16>,
}

impl AidToNavigationReport {
    #[inline(always)]
    pub(crate) fn decode(p: &Payload) -> Result<Self, DecodeError> {
        // A reader of its own, at bit 0: field positions are constants.
        let r = &mut p.reader();
        let (msg_type, repeat, mmsi) = header(r);
        check_len(r, msg_type, 272, 368)?;
        Ok(Self {
            repeat,
            mmsi,
            aid_type: r.u(5) as u8,
            name: r.text(20),
            accuracy: r.flag(),
            lon: r.i(28),
            lat: r.i(27),
            to_bow: r.u(9) as u16,
            to_stern: r.u(9) as u16,
            to_port: r.u(6) as u8,
            to_starboard: r.u(6) as u8,
            epfd: r.u(4) as u8,
            second: r.u(6) as u8,
            off_position: r.flag(),
            regional: r.u(8) as u8,
            raim: r.flag(),
            virtual_aid: r.flag(),
            assigned: r.flag(),
            spare: r.flag(),
            name_ext: r.text(r.remaining() / 6),
        })
    }

    pub(crate) fn encode(&self, w: &mut BitWriter) {
        write_header(w, 21, self.repeat, self.mmsi);
        w.u(5, self.aid_type.into())
            .text(20, &self.name)
            .flag(self.accuracy)
            .i(28, self.lon)
            .i(27, self.lat)
            .u(9, self.to_bow.into())
            .u(9, self.to_stern.into())
            .u(6, self.to_port.into())
            .u(6, self.to_starboard.into())
            .u(4, self.epfd.into())
            .u(6, self.second.into())
            .flag(self.off_position)
            .u(8, self.regional.into())
            .flag(self.raim)
            .flag(self.virtual_aid)
            .flag(self.assigned)
            .flag(self.spare)
            .text(self.name_ext.len(), &self.name_ext);
    }

    /// Writes the full name as gpsd shows it into `buf` and returns it: the
    /// 20-character name cut at the first `@`; when it has no `@`, the
    /// extension (cut at `@`) is appended; trailing spaces are removed.
    pub fn full_name<'b>(&self, buf: &'b mut [u8; 36]) -> &'b str {
        let raw = self.name.raw();
        let head = raw.find('@').map_or(raw, |i| &raw[..i]);
        let mut n = head.len().min(20);
        buf[..n].copy_from_slice(&head.as_bytes()[..n]);
        if head.len() == 20 {
            let ext = self.name_ext.as_str();
            let m = ext.len().min(16);
            buf[n..n + m].copy_from_slice(&ext.as_bytes()[..m]);
            n += m;
        }
        let s = std::str::from_utf8(&buf[..n]).unwrap_or("");
        s.trim_end_matches(' ')
    }

    /// Longitude in degrees, `None` when not available.
    pub fn lon_deg(&self) -> Option<f64> {
        units::lon_deg(self.lon, PER_DEGREE_1_10000_MIN)
    }

    /// Latitude in degrees, `None` when not available.
    pub fn lat_deg(&self) -> Option<f64> {
        units::lat_deg(self.lat, PER_DEGREE_1_10000_MIN)
    }
}
