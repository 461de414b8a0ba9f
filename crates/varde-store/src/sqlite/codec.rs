//! The compact encodings of schema v3: journal blocks and track chunks.
//!
//! # Journal block
//! One entry per line, in arrival order: `seq` delta from the previous entry (varint; the first
//! from the block's `first_seq - 1`), event time as a zigzag varint delta from the previous entry
//! (the first from the block's `min_time_ms`), the source id (varint, into `source_names`), the
//! line's length (varint) and its bytes. Sealed blocks are the same bytes compressed with zstd.
//!
//! # Track points
//! Points of one chunk are ascending in time; each is: time as a varint delta from the previous
//! point (the first from the chunk's `first_ms`; tail segments, which hold many vessels, also
//! carry the MMSI as a varint and the time as a zigzag delta), a flags byte, latitude and longitude
//! as zigzag varint deltas in AIS units (1/600,000 degree), speed and course in 1/10 knot and 1/10
//! degree, heading in degrees (varints), the navigational status (one byte) and the source id + 1
//! (0: none). A value that is not exactly what those units give back (not from AIS) is stored as
//! its 8 bytes instead, flagged, so every value reads back bit for bit.

use crate::error::{Result, StoreError};
use crate::record::PositionRecord;

/// zstd level of sealed journal blocks. Level 1: on simulated national traffic (8,192-line blocks)
/// 3 % larger than level 3 (about 0.7 B a line) at a third of the time; at level 3 compressing
/// was the store writer's largest single cost at 100 k lines/s.
const ZSTD_LEVEL: i32 = 1;

/// Appends `v` as a LEB128 varint.
pub fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Appends `v` zigzag-encoded as a varint.
pub fn put_zigzag(out: &mut Vec<u8>, v: i64) {
    put_varint(out, ((v << 1) ^ (v >> 63)) as u64);
}

/// A cursor over encoded bytes.
pub struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
    what: &'static str,
}

impl<'a> Reader<'a> {
    /// Reads `buf`, naming `what` in errors.
    pub fn new(buf: &'a [u8], what: &'static str) -> Self {
        Self { buf, pos: 0, what }
    }

    /// True once every byte is read.
    pub fn is_empty(&self) -> bool {
        self.pos >= self.buf.len()
    }

    /// Bytes read so far.
    pub fn position(&self) -> usize {
        self.pos
    }

    fn bad(&self, detail: &str) -> StoreError {
        StoreError::BadBlock {
            what: self.what,
            detail: format!("{detail} at byte {}", self.pos),
        }
    }

    /// One varint.
    pub fn varint(&mut self) -> Result<u64> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = *self
                .buf
                .get(self.pos)
                .ok_or_else(|| self.bad("truncated"))?;
            self.pos += 1;
            v |= u64::from(b & 0x7f) << shift;
            if b < 0x80 {
                return Ok(v);
            }
        }
        Err(self.bad("overlong varint"))
    }

    /// One zigzag varint.
    pub fn zigzag(&mut self) -> Result<i64> {
        let v = self.varint()?;
        Ok(((v >> 1) as i64) ^ -((v & 1) as i64))
    }

    /// One byte.
    pub fn byte(&mut self) -> Result<u8> {
        let b = *self
            .buf
            .get(self.pos)
            .ok_or_else(|| self.bad("truncated"))?;
        self.pos += 1;
        Ok(b)
    }

    /// `n` bytes.
    pub fn bytes(&mut self, n: usize) -> Result<&'a [u8]> {
        let end = self.pos.checked_add(n).filter(|&e| e <= self.buf.len());
        let end = end.ok_or_else(|| self.bad("truncated"))?;
        let s = &self.buf[self.pos..end];
        self.pos = end;
        Ok(s)
    }

    /// Eight bytes as an `f64`.
    pub fn f64(&mut self) -> Result<f64> {
        let b = self.bytes(8)?;
        Ok(f64::from_le_bytes(b.try_into().expect("eight bytes")))
    }
}

/// Compresses a sealed block.
pub fn compress(plain: &[u8]) -> Result<Vec<u8>> {
    zstd::bulk::compress(plain, ZSTD_LEVEL).map_err(|e| StoreError::BadBlock {
        what: "journal",
        detail: format!("compressing: {e}"),
    })
}

/// Decompresses a sealed block.
pub fn decompress(packed: &[u8]) -> Result<Vec<u8>> {
    zstd::stream::decode_all(packed).map_err(|e| StoreError::BadBlock {
        what: "journal",
        detail: format!("decompressing: {e}"),
    })
}

/// One decoded journal entry: `(seq, time_ms, source id, line)`.
pub type Entry = (i64, i64, i64, String);

/// Encodes journal entries (ascending `seq`) against `first_seq` and `min_time_ms`.
pub fn encode_lines<'a>(
    entries: impl IntoIterator<Item = (i64, i64, i64, &'a str)>,
    first_seq: i64,
    min_time_ms: i64,
    out: &mut Vec<u8>,
) {
    let (mut seq, mut time) = (first_seq - 1, min_time_ms);
    for (s, t, source, line) in entries {
        put_varint(out, (s - seq) as u64);
        put_zigzag(out, t.wrapping_sub(time));
        put_varint(out, source as u64);
        put_varint(out, line.len() as u64);
        out.extend_from_slice(line.as_bytes());
        (seq, time) = (s, t);
    }
}

/// Decodes what [`encode_lines`] wrote.
pub fn decode_lines(buf: &[u8], first_seq: i64, min_time_ms: i64) -> Result<Vec<Entry>> {
    let mut r = Reader::new(buf, "journal");
    let (mut seq, mut time) = (first_seq - 1, min_time_ms);
    let mut out = Vec::new();
    while !r.is_empty() {
        seq += r.varint()? as i64;
        time = time.wrapping_add(r.zigzag()?);
        let source = r.varint()? as i64;
        let n = r.varint()? as usize;
        let bytes = r.bytes(n)?;
        let line = std::str::from_utf8(bytes)
            .map_err(|_| r.bad("line is not UTF-8"))?
            .to_owned();
        out.push((seq, time, source, line));
    }
    Ok(out)
}

/// Running state of a point sequence (the previous point's values the next is a delta from).
#[derive(Debug, Clone, Copy)]
pub struct PointCtx {
    time: i64,
    lat: i64,
    lon: i64,
    mmsi: Option<u32>,
}

impl PointCtx {
    /// A chunk of one vessel starting at `first_ms`.
    pub fn chunk(first_ms: i64) -> Self {
        Self {
            time: first_ms,
            lat: 0,
            lon: 0,
            mmsi: None,
        }
    }

    /// A tail segment of many vessels, times from `min_ms`.
    pub fn segment(min_ms: i64) -> Self {
        Self {
            time: min_ms,
            lat: 0,
            lon: 0,
            mmsi: Some(0),
        }
    }
}

const SOG: u8 = 1;
const COG: u8 = 2;
const HEADING: u8 = 4;
const NAV: u8 = 8;
const RAW_LATLON: u8 = 16;
const RAW_KINEMATICS: u8 = 32;

/// AIS position units per degree.
const PER_DEGREE: f64 = 600_000.0;

fn ais_angle(v: f64) -> Option<i64> {
    let k = (v * PER_DEGREE).round();
    let k = k as i64; // saturating; -0.0 becomes 0 and fails the check below
    (k.unsigned_abs() <= 1 << 50 && (k as f64 / PER_DEGREE).to_bits() == v.to_bits()).then_some(k)
}

fn tenths(v: f64) -> Option<u64> {
    let k = (v * 10.0).round();
    ((0.0..=65_535.0).contains(&k) && f64::from(k as u16 as f32 / 10.0).to_bits() == v.to_bits())
        .then_some(k as u64)
}

fn whole(v: f64) -> Option<u64> {
    ((0.0..=65_535.0).contains(&v) && (v as u16 as f64).to_bits() == v.to_bits())
        .then_some(v as u64)
}

/// Appends one point. `source` is its source id (`None`: no source). Points of a chunk must come
/// in ascending time.
pub fn encode_point(
    ctx: &mut PointCtx,
    p: &PositionRecord,
    source: Option<i64>,
    out: &mut Vec<u8>,
) {
    if let Some(m) = ctx.mmsi.as_mut() {
        put_varint(out, u64::from(p.mmsi));
        *m = p.mmsi;
        put_zigzag(out, p.time_ms.wrapping_sub(ctx.time));
    } else {
        put_varint(out, p.time_ms.wrapping_sub(ctx.time) as u64);
    }
    ctx.time = p.time_ms;
    let lat_lon = ais_angle(p.lat).zip(ais_angle(p.lon));
    let kin = [
        p.sog_kn.map(|v| tenths(v).is_some()),
        p.cog_deg.map(|v| tenths(v).is_some()),
        p.heading_deg.map(|v| whole(v).is_some()),
    ];
    let raw_kin = kin.contains(&Some(false));
    let mut flags = 0;
    for (bit, present) in [
        (SOG, p.sog_kn.is_some()),
        (COG, p.cog_deg.is_some()),
        (HEADING, p.heading_deg.is_some()),
        (NAV, p.nav_status.is_some()),
        (RAW_LATLON, lat_lon.is_none()),
        (RAW_KINEMATICS, raw_kin),
    ] {
        if present {
            flags |= bit;
        }
    }
    out.push(flags);
    match lat_lon {
        Some((lat, lon)) => {
            put_zigzag(out, lat.wrapping_sub(ctx.lat));
            put_zigzag(out, lon.wrapping_sub(ctx.lon));
            (ctx.lat, ctx.lon) = (lat, lon);
        }
        None => {
            out.extend_from_slice(&p.lat.to_le_bytes());
            out.extend_from_slice(&p.lon.to_le_bytes());
        }
    }
    let fields = [
        (p.sog_kn, tenths as fn(f64) -> Option<u64>),
        (p.cog_deg, tenths),
        (p.heading_deg, whole),
    ];
    for (v, quantum) in fields {
        if let Some(v) = v {
            if raw_kin {
                out.extend_from_slice(&v.to_le_bytes());
            } else {
                put_varint(out, quantum(v).expect("checked above"));
            }
        }
    }
    if let Some(n) = p.nav_status {
        out.push(n);
    }
    put_varint(out, source.map_or(0, |s| s as u64 + 1));
}

/// Reads one point written by [`encode_point`]; `mmsi` is the chunk's vessel (ignored for
/// segments, which carry their own). The source comes back as its id in `source`.
pub fn decode_point(
    ctx: &mut PointCtx,
    r: &mut Reader<'_>,
    mmsi: u32,
) -> Result<(PositionRecord, Option<i64>)> {
    let mmsi = match ctx.mmsi {
        Some(_) => {
            let m = u32::try_from(r.varint()?).map_err(|_| r.bad("MMSI out of range"))?;
            ctx.mmsi = Some(m);
            ctx.time = ctx.time.wrapping_add(r.zigzag()?);
            m
        }
        None => {
            ctx.time = ctx.time.wrapping_add(r.varint()? as i64);
            mmsi
        }
    };
    let flags = r.byte()?;
    let (lat, lon) = if flags & RAW_LATLON != 0 {
        (r.f64()?, r.f64()?)
    } else {
        ctx.lat = ctx.lat.wrapping_add(r.zigzag()?);
        ctx.lon = ctx.lon.wrapping_add(r.zigzag()?);
        (ctx.lat as f64 / PER_DEGREE, ctx.lon as f64 / PER_DEGREE)
    };
    let raw = flags & RAW_KINEMATICS != 0;
    let mut field = |bit: u8, tenth: bool| -> Result<Option<f64>> {
        if flags & bit == 0 {
            return Ok(None);
        }
        if raw {
            return Ok(Some(r.f64()?));
        }
        let k = r.varint()?;
        Ok(Some(if tenth {
            f64::from(k as u16 as f32 / 10.0)
        } else {
            k as f64
        }))
    };
    let sog_kn = field(SOG, true)?;
    let cog_deg = field(COG, true)?;
    let heading_deg = field(HEADING, false)?;
    let nav_status = if flags & NAV != 0 {
        Some(r.byte()?)
    } else {
        None
    };
    let source = r.varint()?.checked_sub(1).map(|s| s as i64);
    Ok((
        PositionRecord {
            mmsi,
            time_ms: ctx.time,
            lat,
            lon,
            sog_kn,
            cog_deg,
            heading_deg,
            nav_status,
            source: None,
        },
        source,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn opt_f64() -> impl Strategy<Value = Option<f64>> {
        prop_oneof![
            Just(None),
            (0u16..1023).prop_map(|k| Some(f64::from(f32::from(k) / 10.0))),
            any::<f64>().prop_map(Some),
        ]
    }

    fn point() -> impl Strategy<Value = (PositionRecord, Option<i64>)> {
        let angle = prop_oneof![
            (-54_000_000i32..54_000_000).prop_map(|k| f64::from(k) / PER_DEGREE),
            any::<f64>(),
        ];
        (
            (any::<u32>(), 0i64..4_000_000_000_000, angle.clone(), angle),
            (
                opt_f64(),
                opt_f64(),
                opt_f64(),
                proptest::option::of(any::<u8>()),
            ),
            proptest::option::of(0i64..1_000),
        )
            .prop_map(|((mmsi, time_ms, lat, lon), (sog, cog, hdg, nav), src)| {
                let p = PositionRecord {
                    mmsi,
                    time_ms,
                    lat,
                    lon,
                    sog_kn: sog,
                    cog_deg: cog,
                    heading_deg: hdg.map(|h| {
                        if h.is_finite() {
                            h.abs().floor() % 360.0
                        } else {
                            h
                        }
                    }),
                    nav_status: nav,
                    source: None,
                };
                (p, src)
            })
    }

    fn same(a: &PositionRecord, b: &PositionRecord) -> bool {
        let bits = |v: Option<f64>| v.map(f64::to_bits);
        a.mmsi == b.mmsi
            && a.time_ms == b.time_ms
            && a.lat.to_bits() == b.lat.to_bits()
            && a.lon.to_bits() == b.lon.to_bits()
            && bits(a.sog_kn) == bits(b.sog_kn)
            && bits(a.cog_deg) == bits(b.cog_deg)
            && bits(a.heading_deg) == bits(b.heading_deg)
            && a.nav_status == b.nav_status
    }

    proptest! {
        #[test]
        fn chunk_points_round_trip_bit_for_bit(mut pts in proptest::collection::vec(point(), 0..40)) {
            pts.sort_by_key(|p| p.0.time_ms);
            let first = pts.first().map_or(0, |p| p.0.time_ms);
            for p in &mut pts { p.0.mmsi = 7; }
            let mut buf = Vec::new();
            let mut ctx = PointCtx::chunk(first);
            for (p, s) in &pts { encode_point(&mut ctx, p, *s, &mut buf); }
            let mut ctx = PointCtx::chunk(first);
            let mut r = Reader::new(&buf, "track");
            for (p, s) in &pts {
                let (q, t) = decode_point(&mut ctx, &mut r, 7).unwrap();
                prop_assert!(same(p, &q), "{p:?} != {q:?}");
                prop_assert_eq!(*s, t);
            }
            prop_assert!(r.is_empty());
        }

        #[test]
        fn segment_points_round_trip_in_any_order(pts in proptest::collection::vec(point(), 0..40)) {
            let min = pts.iter().map(|p| p.0.time_ms).min().unwrap_or(0);
            let mut buf = Vec::new();
            let mut ctx = PointCtx::segment(min);
            for (p, s) in &pts { encode_point(&mut ctx, p, *s, &mut buf); }
            let mut ctx = PointCtx::segment(min);
            let mut r = Reader::new(&buf, "track");
            for (p, s) in &pts {
                let (q, t) = decode_point(&mut ctx, &mut r, 0).unwrap();
                prop_assert!(same(p, &q), "{p:?} != {q:?}");
                prop_assert_eq!(*s, t);
            }
            prop_assert!(r.is_empty());
        }

        #[test]
        fn journal_lines_round_trip_packed(
            lines in proptest::collection::vec((1i64..5, any::<i64>(), 0i64..300, ".{0,90}"), 0..60),
            first in 1i64..1_000_000,
        ) {
            let mut seq = first - 1;
            let entries: Vec<(i64, i64, i64, String)> = lines
                .into_iter()
                .map(|(gap, t, s, l)| { seq += gap; (seq, t, s, l) })
                .collect();
            let first_seq = entries.first().map_or(first, |e| e.0);
            let min = entries.iter().map(|e| e.1).min().unwrap_or(0);
            let mut buf = Vec::new();
            encode_lines(entries.iter().map(|e| (e.0, e.1, e.2, e.3.as_str())), first_seq, min, &mut buf);
            let packed = compress(&buf).unwrap();
            let back = decode_lines(&decompress(&packed).unwrap(), first_seq, min).unwrap();
            prop_assert_eq!(back, entries);
        }

        #[test]
        fn garbage_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
            let _ = decode_lines(&bytes, 1, 0);
            let _ = decompress(&bytes);
            let mut ctx = PointCtx::segment(0);
            let mut r = Reader::new(&bytes, "track");
            while !r.is_empty() {
                if decode_point(&mut ctx, &mut r, 0).is_err() { break; }
            }
        }
    }
}
