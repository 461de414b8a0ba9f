//! Route information and text descriptions (IMO289 6/1/28, 8/1/27, 6/1/30, 8/1/29).

use crate::asm::{u16_, u8_};
use crate::bits::BitReader;
use crate::text::AisText;

/// One waypoint of a [`RouteInfo`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Waypoint {
    /// Longitude, 1/10000 minute.
    pub lon: i32,
    /// Latitude, 1/10000 minute.
    pub lat: i32,
}

/// Type 6 DAC 1 FI 28 and type 8 DAC 1 FI 27: IMO289 route information.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteInfo {
    /// Message linkage id.
    pub linkage: u16,
    /// Sender classification (0 ship, 1 authority, 2–7 reserved).
    pub sender: u8,
    /// Route type (0 undefined, 1 mandatory, 2 recommended, 3 alternative,
    /// 4 through ice, 5 ship route plan, 31 cancel).
    pub rtype: u8,
    /// Start month (UTC).
    pub month: u8,
    /// Start day (UTC).
    pub day: u8,
    /// Start hour (UTC).
    pub hour: u8,
    /// Start minute (UTC).
    pub minute: u8,
    /// Duration, minutes (0 = cancel route).
    pub duration: u32,
    /// Waypoints: exactly the transmitted count (0–31); waypoints beyond the
    /// payload read as zeros, as in gpsd.
    pub waypoints: Vec<Waypoint>,
}

/// Type 6 DAC 1 FI 30 and type 8 DAC 1 FI 29: IMO289 text description.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextDescription {
    /// Message linkage id.
    pub linkage: u16,
    /// Free text, all whole six-bit characters after the linkage id.
    pub text: AisText<161>,
}

/// Route type legends (`rtype_text`), indexed by [`RouteInfo::rtype`].
pub fn route_type_text(rtype: u8) -> &'static str {
    match rtype {
        0 => "Undefined (default)",
        1 => "Mandatory",
        2 => "Recommended",
        3 => "Alternative",
        4 => "Recommended route through ice",
        5 => "Ship route plan",
        31 => "Cancel route identified by message linkage",
        _ => "Reserved for future use.",
    }
}

pub(crate) fn route_info(r: &mut BitReader<'_>) -> RouteInfo {
    let linkage = u16_(r, 10);
    let sender = u8_(r, 3);
    let rtype = u8_(r, 5);
    let month = u8_(r, 4);
    let day = u8_(r, 5);
    let hour = u8_(r, 5);
    let minute = u8_(r, 6);
    let duration = r.u(18);
    let count = r.u(5);
    let waypoints = (0..count)
        .map(|_| Waypoint {
            lon: r.i(28),
            lat: r.i(27),
        })
        .collect();
    RouteInfo {
        linkage,
        sender,
        rtype,
        month,
        day,
        hour,
        minute,
        duration,
        waypoints,
    }
}

/// Linkage id, then as many whole characters as the data holds, at most
/// `max_chars` (gpsd's buffer: 153 for type 6, 161 for type 8).
pub(crate) fn text_description(
    r: &mut BitReader<'_>,
    len: usize,
    max_chars: usize,
) -> TextDescription {
    let linkage = u16_(r, 10);
    let chars = (len.saturating_sub(10) / 6).min(max_chars);
    TextDescription {
        linkage,
        text: r.text::<161>(chars),
    }
}
