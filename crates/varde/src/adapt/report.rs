//! AIS messages → the engine's [`Report`]s.
//!
//! Only what the watch engine uses is carried over: positions of vessels
//! (types 1–3, 18, 19, 27, and SAR aircraft 9) and static data (5, 19, 24).
//! Base stations, aids to navigation and binary messages are not vessels.
//!
//! A vessel's position report whose position is unavailable (latitude 91°,
//! longitude 181°, or out of range: the GNSS receiver has no fix, as when it
//! is jammed) becomes a [`ReportKind::NoFix`]: the vessel was heard, its
//! position is unknown. (A SAR aircraft without a position is dropped.)
//!
//! Length: a message reaches here only at a length the codec accepts for its
//! type. One too short to hold its fields (a type 1 under 163 bits, a type 5
//! under 420) or longer than any transmitter sends (a type 1 over 204 bits)
//! is refused by the codec and counted by type and cause (`stats`), so no
//! position or identity from it can raise an alert. One off the standard
//! length within those bounds (a 426-bit type 5) has its fields at their
//! fixed offsets, whole, and is used; it is counted too.

use std::sync::Arc;
use varde_ais::message::units::{
    cog_deg, heading_deg, lat_deg, lon_deg, sog_knots, PER_DEGREE_1_10000_MIN, PER_DEGREE_1_10_MIN,
};
use varde_ais::message::StaticDataPart;
use varde_ais::station::Station;
use varde_ais::text::AisText;
use varde_ais::{AisMessage, Frame};
use varde_watch::picture::FxMap;
use varde_watch::{NoFix, PositionFix, RawLines, Report, ReportKind, StaticInfo, StationClass};

/// Builds the report(s) for one decoded message; type 19 gives both a
/// position and static data. `fallback_ms` is used when the frame carries
/// no event time (live input: receive time).
pub fn reports(
    msg: &AisMessage,
    frame: &Frame<'_>,
    fallback_ms: i64,
    stations: &mut Stations,
    out: &mut Vec<Report>,
) {
    let Some(mmsi) = vessel_mmsi(msg) else { return };
    let mut e = Emit {
        frame,
        time_ms: frame.time_ms.unwrap_or(fallback_ms),
        mmsi,
        stations,
        out,
        shared: None,
    };
    match msg {
        AisMessage::Position(m) => {
            e.push(fix(
                m.lat,
                m.lon,
                m.speed,
                m.course,
                m.heading,
                Some(m.status),
                StationClass::ClassA,
            ));
        }
        AisMessage::ClassBPosition(m) => {
            e.push(fix(
                m.lat,
                m.lon,
                m.speed,
                m.course,
                m.heading,
                None,
                StationClass::ClassB,
            ));
        }
        AisMessage::ClassBExtended(m) => {
            e.push(fix(
                m.lat,
                m.lon,
                m.speed,
                m.course,
                m.heading,
                None,
                StationClass::ClassB,
            ));
            e.push(Some(ReportKind::Static(StaticInfo {
                name: text(&m.shipname),
                ship_type: Some(m.shiptype),
                length_m: length(m.to_bow, m.to_stern),
                beam_m: length(u16::from(m.to_port), u16::from(m.to_starboard)),
                ..StaticInfo::default()
            })));
        }
        AisMessage::SarAircraft(m) => {
            // Type 9 gives speed in whole knots (1023: unknown), not tenths as ships do.
            let mut k = fix(
                m.lat,
                m.lon,
                1023,
                m.course,
                511,
                None,
                StationClass::SarAircraft,
            );
            if let Some(ReportKind::Position(p)) = &mut k {
                p.sog_kn = (m.speed < 1023).then_some(f32::from(m.speed));
            }
            e.push(k);
        }
        AisMessage::LongRange(m) => {
            let (lat, lon) = (
                lat_deg(m.lat, PER_DEGREE_1_10_MIN),
                lon_deg(m.lon, PER_DEGREE_1_10_MIN),
            );
            let sog_kn = (m.speed < 63).then_some(f32::from(m.speed));
            e.push(Some(match (lat, lon) {
                (Some(lat), Some(lon)) => ReportKind::Position(PositionFix {
                    lat,
                    lon,
                    sog_kn,
                    cog_deg: (m.course < 511).then_some(f32::from(m.course)),
                    heading_deg: None,
                    nav_status: Some(m.status),
                    class: StationClass::ClassA,
                }),
                _ => ReportKind::NoFix(NoFix {
                    sog_kn,
                    heading_deg: None,
                    nav_status: Some(m.status),
                    class: StationClass::ClassA,
                }),
            }));
        }
        AisMessage::StaticVoyage(m) => {
            e.push(Some(ReportKind::Static(StaticInfo {
                imo: (m.imo > 0).then_some(m.imo),
                callsign: text(&m.callsign),
                name: text(&m.shipname),
                ship_type: Some(m.shiptype),
                length_m: length(m.to_bow, m.to_stern),
                beam_m: length(u16::from(m.to_port), u16::from(m.to_starboard)),
                draught_m: (m.draught > 0).then(|| f32::from(m.draught) / 10.0),
                destination: text(&m.destination),
                eta_min: varde_ais::eta::resolve_eta_minute(
                    m.month, m.day, m.hour, m.minute, e.time_ms,
                )
                .and_then(std::num::NonZeroU32::new),
            })));
        }
        AisMessage::StaticData(m) => e.push(static_data(&m.part)),
        _ => {}
    }
}

/// Pushes the reports of one frame; the evidence and station id are looked
/// up once, at the first report.
struct Emit<'a, 'f> {
    frame: &'a Frame<'f>,
    time_ms: i64,
    mmsi: u32,
    stations: &'a mut Stations,
    out: &'a mut Vec<Report>,
    shared: Option<(Option<Arc<str>>, RawLines)>,
}

impl Emit<'_, '_> {
    fn push(&mut self, kind: Option<ReportKind>) {
        let Some(kind) = kind else { return };
        let (source, raw) = self.shared.get_or_insert_with(|| {
            let raw = self.stations.raw(self.frame.raw.as_bytes());
            (self.frame.station.map(|s| self.stations.get(s)), raw)
        });
        self.out.push(Report {
            time_ms: self.time_ms,
            mmsi: self.mmsi,
            source: source.clone(),
            kind,
            raw: raw.clone(),
        });
    }
}

/// What the reports of one input share: receiving-station ids (one
/// allocation per station, not per report; bounded: cleared past 65,536 ids)
/// and the evidence bytes, refilled in place for every frame unless an alert
/// or a vessel still holds the previous ones.
///
/// With a pool ([`Stations::pooled`]), used when reports are handed to another thread in batches,
/// every frame's evidence is a buffer of its own taken from the pool (the reports of one frame share
/// it), refilled in place when nothing else holds it: the thread that reads can refill the next
/// frame's while the other still holds this one's, and the bytes are copied once.
#[derive(Debug, Default)]
pub struct Stations {
    ids: FxMap<Station, Arc<str>>,
    raw: RawLines,
    pool: Option<Vec<RawLines>>,
}

/// Spare evidence buffers a pool keeps at most (a few batches' worth).
const POOL_MAX: usize = 4096;

impl Stations {
    /// Stations whose evidence buffers come from a pool that [`Stations::recycle`] refills.
    pub fn pooled() -> Self {
        Self {
            pool: Some(Vec::new()),
            ..Self::default()
        }
    }

    /// The shared id of `s`.
    pub fn get(&mut self, s: Station) -> Arc<str> {
        if self.ids.len() > 65_536 {
            self.ids.clear();
        }
        self.ids
            .entry(s)
            .or_insert_with(|| s.as_str().into())
            .clone()
    }

    /// Takes back the evidence buffers of reports the engine is done with (kept only with a pool).
    pub fn recycle(&mut self, raw: impl IntoIterator<Item = RawLines>) {
        if let Some(pool) = &mut self.pool {
            for r in raw {
                if pool.len() >= POOL_MAX {
                    break;
                }
                pool.push(r);
            }
        }
    }

    /// Evidence holding `joined` (sentences separated by `\n`).
    fn raw(&mut self, joined: &[u8]) -> RawLines {
        match &mut self.pool {
            Some(pool) => {
                let mut own = pool.pop().unwrap_or_default();
                own.refill(joined);
                own
            }
            None => {
                self.raw.refill(joined);
                self.raw.clone()
            }
        }
    }
}

fn vessel_mmsi(msg: &AisMessage) -> Option<u32> {
    match msg {
        AisMessage::Position(_)
        | AisMessage::ClassBPosition(_)
        | AisMessage::ClassBExtended(_)
        | AisMessage::SarAircraft(_)
        | AisMessage::LongRange(_)
        | AisMessage::StaticVoyage(_)
        | AisMessage::StaticData(_) => Some(msg.mmsi()),
        _ => None,
    }
}

#[allow(clippy::too_many_arguments)]
fn fix(
    lat: i32,
    lon: i32,
    speed: u16,
    course: u16,
    heading: u16,
    status: Option<u8>,
    class: StationClass,
) -> Option<ReportKind> {
    let (Some(lat), Some(lon)) = (
        lat_deg(lat, PER_DEGREE_1_10000_MIN),
        lon_deg(lon, PER_DEGREE_1_10000_MIN),
    ) else {
        // Heard without a position (GNSS lost); an aircraft without one is not a vessel to watch.
        return (class != StationClass::SarAircraft).then_some(ReportKind::NoFix(NoFix {
            sog_kn: sog_knots(speed),
            heading_deg: heading_deg(heading),
            nav_status: status,
            class,
        }));
    };
    Some(ReportKind::Position(PositionFix {
        lat,
        lon,
        sog_kn: sog_knots(speed),
        cog_deg: cog_deg(course),
        heading_deg: heading_deg(heading),
        nav_status: status,
        class,
    }))
}

fn static_data(part: &StaticDataPart) -> Option<ReportKind> {
    let mut info = StaticInfo::default();
    let (a, b) = match part {
        StaticDataPart::A(a) => (Some(a), None),
        StaticDataPart::B(b) => (None, Some(b)),
        StaticDataPart::Both(a, b) => (Some(a), Some(b)),
        StaticDataPart::Reserved { .. } => return None,
    };
    if let Some(a) = a {
        info.name = text(&a.shipname);
    }
    if let Some(b) = b {
        info.callsign = text(&b.callsign);
        info.ship_type = Some(b.shiptype);
        info.length_m = length(b.to_bow, b.to_stern);
        info.beam_m = length(u16::from(b.to_port), u16::from(b.to_starboard));
    }
    Some(ReportKind::Static(info))
}

fn text<const N: usize>(t: &AisText<N>) -> Option<Box<str>> {
    let s = t.as_str().trim();
    (!s.is_empty()).then(|| s.into())
}

fn length(a: u16, b: u16) -> Option<u16> {
    let l = a + b;
    (l > 0).then_some(l)
}

#[cfg(test)]
mod tests;
