//! The query of `/collections/{id}/items`: `bbox`, `datetime`, `limit` (OGC
//! API – Features Part 1 Core, 17-069r3 §7.15) and `offset` (paging),
//! parsed from an untrusted raw query string into typed values or a typed
//! error the HTTP layer answers with 400.

use crate::time::{parse_date, parse_date_time};
use serde_json::{json, Value};
use std::fmt::Write;

/// Why a query was refused; every variant is a client error (HTTP 400).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QueryError {
    /// A parameter the API does not define (17-069r3 requires 400).
    #[error("unknown query parameter {0:?} (known: bbox, datetime, limit, offset, f)")]
    UnknownParameter(String),
    /// A parameter given twice.
    #[error("query parameter {0:?} is given more than once")]
    Repeated(String),
    /// Not valid percent-encoded UTF-8.
    #[error("query string is not valid percent-encoded UTF-8")]
    BadEncoding,
    /// A bad `bbox`.
    #[error(
        "bbox must be minLon,minLat,maxLon,maxLat (or with heights: minLon,minLat,minH,maxLon,maxLat,maxH) \
         in degrees, lon -180..180, lat -90..90, minLat <= maxLat; got {0:?}"
    )]
    BadBbox(String),
    /// A bad `datetime`.
    #[error(
        "datetime must be an RFC 3339 date-time or date, or an interval start/end with '..' \
         (or nothing) for an open end and start <= end, e.g. 2026-11-25T12:00:00Z/..; got {0:?}"
    )]
    BadDatetime(String),
    /// A bad `limit`.
    #[error("limit must be an integer of at least 1 (at most {max} is used); got {text:?}")]
    BadLimit {
        /// The value given.
        text: String,
        /// The largest limit served.
        max: usize,
    },
    /// A bad `offset`.
    #[error("offset must be a non-negative integer; got {0:?}")]
    BadOffset(String),
    /// A format other than JSON/GeoJSON asked for with `f`.
    #[error("f must be json or geojson; got {0:?}")]
    BadFormat(String),
}

impl QueryError {
    /// The HTTP status to answer with: always 400 Bad Request.
    pub const fn status(&self) -> u16 {
        400
    }

    /// The OGC API exception body (`{"code", "description"}`).
    pub fn to_exception(&self) -> Value {
        let code = match self {
            QueryError::UnknownParameter(_) | QueryError::Repeated(_) => "InvalidParameter",
            _ => "InvalidParameterValue",
        };
        json!({"code": code, "description": self.to_string()})
    }
}

/// Bounds of `limit`: the value used when none is given, and the largest
/// served (a larger request is served with this, not refused, per 17-069r3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// `limit` when the request has none.
    pub default: usize,
    /// The largest page.
    pub max: usize,
}

impl Default for Limits {
    /// 10 and 10 000, the values of the standard's OpenAPI fragment.
    fn default() -> Self {
        Limits {
            default: 10,
            max: 10_000,
        }
    }
}

/// A bounding box in CRS84 degrees. `min_lon > max_lon` is a box crossing
/// the antimeridian (17-069r3 §7.15.3).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BBox {
    /// West edge.
    pub min_lon: f64,
    /// South edge.
    pub min_lat: f64,
    /// East edge.
    pub max_lon: f64,
    /// North edge.
    pub max_lat: f64,
}

impl BBox {
    fn lon_ranges(&self) -> [(f64, f64); 2] {
        if self.min_lon <= self.max_lon {
            [(self.min_lon, self.max_lon), (1.0, -1.0)]
        } else {
            [(self.min_lon, 180.0), (-180.0, self.max_lon)]
        }
    }

    /// Whether the point is inside (edges included).
    pub fn contains(&self, lon: f64, lat: f64) -> bool {
        (self.min_lat..=self.max_lat).contains(&lat)
            && self
                .lon_ranges()
                .iter()
                .any(|(a, b)| (*a..=*b).contains(&lon))
    }

    /// Whether the box `[west, south, east, north]` (not crossing the
    /// antimeridian) intersects this one.
    pub fn intersects(&self, [w, s, e, n]: [f64; 4]) -> bool {
        s <= self.max_lat
            && n >= self.min_lat
            && self
                .lon_ranges()
                .iter()
                .any(|(a, b)| a <= b && w <= *b && e >= *a)
    }
}

/// A closed time interval in unix milliseconds; `None` is an open end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Interval {
    /// First instant included.
    pub start: Option<i64>,
    /// Last instant included.
    pub end: Option<i64>,
}

impl Interval {
    /// Whether `t_ms` is inside.
    pub fn contains(&self, t_ms: i64) -> bool {
        self.overlaps(t_ms, Some(t_ms))
    }

    /// Whether `[from_ms, to_ms]` (`to_ms` `None`: still going on) overlaps.
    pub fn overlaps(&self, from_ms: i64, to_ms: Option<i64>) -> bool {
        self.start.is_none_or(|s| to_ms.is_none_or(|t| t >= s))
            && self.end.is_none_or(|e| from_ms <= e)
    }
}

/// A parsed items query.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ItemsQuery {
    /// Only features intersecting this box.
    pub bbox: Option<BBox>,
    /// Only features whose time intersects this interval.
    pub datetime: Option<Interval>,
    /// The `datetime` text as given (decoded), for paging links.
    pub datetime_text: Option<String>,
    /// Page size, within [`Limits`].
    pub limit: usize,
    /// Features skipped before the page.
    pub offset: usize,
}

/// Parses the raw (still percent-encoded) query string of an items request;
/// `None` or empty is no parameters. Never panics; every refusal is a
/// [`QueryError`].
pub fn parse_query(raw: Option<&str>, limits: Limits) -> Result<ItemsQuery, QueryError> {
    let mut q = ItemsQuery {
        limit: limits.default.clamp(1, limits.max.max(1)),
        ..ItemsQuery::default()
    };
    let mut seen: Vec<String> = Vec::new();
    for pair in raw.unwrap_or("").split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let (k, v) = (decode(k)?, decode(v)?);
        if seen.contains(&k) {
            return Err(QueryError::Repeated(k));
        }
        match k.as_str() {
            "bbox" => q.bbox = Some(parse_bbox(&v)?),
            "datetime" => {
                q.datetime = Some(parse_datetime(&v)?);
                q.datetime_text = Some(v);
            }
            "limit" => q.limit = parse_limit(&v, limits)?,
            "offset" => {
                q.offset = v
                    .parse::<u32>()
                    .ok()
                    .filter(|_| v.bytes().all(|b| b.is_ascii_digit()))
                    .ok_or(QueryError::BadOffset(v))? as usize
            }
            "f" => {
                if !matches!(v.as_str(), "json" | "geojson") {
                    return Err(QueryError::BadFormat(v));
                }
            }
            _ => return Err(QueryError::UnknownParameter(k)),
        }
        seen.push(k);
    }
    Ok(q)
}

fn decode(s: &str) -> Result<String, QueryError> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = b.get(i + 1..i + 3).ok_or(QueryError::BadEncoding)?;
            let digit = |c: u8| char::from(c).to_digit(16).ok_or(QueryError::BadEncoding);
            out.push((digit(hex[0])? * 16 + digit(hex[1])?) as u8);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| QueryError::BadEncoding)
}

/// Parses `minLon,minLat,maxLon,maxLat` (or the six-number form with heights,
/// which are ignored).
pub fn parse_bbox(s: &str) -> Result<BBox, QueryError> {
    let bad = || QueryError::BadBbox(s.to_string());
    let nums = s
        .split(',')
        .map(|t| {
            let t = t.trim();
            let ok = !t.is_empty()
                && t.bytes()
                    .all(|b| b.is_ascii_digit() || b"+-.eE".contains(&b));
            t.parse::<f64>().ok().filter(|v| ok && v.is_finite())
        })
        .collect::<Option<Vec<f64>>>()
        .ok_or_else(bad)?;
    let (min_lon, min_lat, max_lon, max_lat) = match nums.as_slice() {
        [a, b, c, d] => (*a, *b, *c, *d),
        [a, b, _, d, e, _] => (*a, *b, *d, *e),
        _ => return Err(bad()),
    };
    let lon_ok = |v: f64| (-180.0..=180.0).contains(&v);
    let lat_ok = |v: f64| (-90.0..=90.0).contains(&v);
    if lon_ok(min_lon)
        && lon_ok(max_lon)
        && lat_ok(min_lat)
        && lat_ok(max_lat)
        && min_lat <= max_lat
    {
        Ok(BBox {
            min_lon,
            min_lat,
            max_lon,
            max_lat,
        })
    } else {
        Err(bad())
    }
}

/// Parses an instant (`2026-11-25T12:00:00Z`, or a date for the whole day)
/// or an interval `start/end` whose ends are instants, dates (a date end
/// includes its whole day), `..` or empty (open).
pub fn parse_datetime(s: &str) -> Result<Interval, QueryError> {
    let bad = || QueryError::BadDatetime(s.to_string());
    const DAY_MS: i64 = 86_400_000;
    let one = |t: &str, end: bool| -> Option<i64> {
        parse_date_time(t).or_else(|| parse_date(t).map(|d| if end { d + DAY_MS - 1 } else { d }))
    };
    let interval = match s.split_once('/') {
        None => {
            let start = one(s, false).ok_or_else(bad)?;
            let end = one(s, true).ok_or_else(bad)?;
            Interval {
                start: Some(start),
                end: Some(end),
            }
        }
        Some((a, b)) => {
            let open = |t: &str| t.is_empty() || t == "..";
            let start = if open(a) {
                None
            } else {
                Some(one(a, false).ok_or_else(bad)?)
            };
            let end = if open(b) {
                None
            } else {
                Some(one(b, true).ok_or_else(bad)?)
            };
            Interval { start, end }
        }
    };
    match interval {
        Interval {
            start: Some(a),
            end: Some(b),
        } if a > b => Err(bad()),
        i => Ok(i),
    }
}

fn parse_limit(s: &str, limits: Limits) -> Result<usize, QueryError> {
    let bad = || QueryError::BadLimit {
        text: s.to_string(),
        max: limits.max,
    };
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    // Digits only: a parse failure is an overflow, i.e. above any maximum.
    let n = s.parse::<u64>().unwrap_or(u64::MAX);
    if n == 0 {
        return Err(bad());
    }
    Ok(usize::try_from(n)
        .unwrap_or(usize::MAX)
        .min(limits.max.max(1)))
}

fn encode_into(out: &mut String, s: &str) {
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~:".contains(&b) {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
}

impl ItemsQuery {
    /// The query string (without `?`) of this query at `offset`: `bbox`,
    /// `datetime`, `limit`, then `offset` when not 0 — for paging links.
    pub fn query_string(&self, offset: usize) -> String {
        let mut out = String::new();
        if let Some(b) = &self.bbox {
            let _ = write!(
                out,
                "bbox={},{},{},{}&",
                b.min_lon, b.min_lat, b.max_lon, b.max_lat
            );
        }
        if let Some(t) = &self.datetime_text {
            out.push_str("datetime=");
            encode_into(&mut out, t);
            out.push('&');
        }
        let _ = write!(out, "limit={}", self.limit);
        if offset > 0 {
            let _ = write!(out, "&offset={offset}");
        }
        out
    }

    /// Whether a GeoJSON feature matches `bbox` and `datetime`. Its extent
    /// is the bounding box of its geometry's coordinates — exact for points,
    /// an envelope test for lines and polygons (a feature without geometry
    /// matches no `bbox`); its time is `properties.start`…`end`
    /// (`end` null: still open) when it has a `start`, else
    /// `properties.time`; a feature without either is static and matches
    /// any `datetime`.
    pub fn matches(&self, feature: &Value) -> bool {
        if let Some(b) = &self.bbox {
            match geometry_bbox(&feature["geometry"]) {
                Some(ext) if b.intersects(ext) => {}
                _ => return false,
            }
        }
        if let Some(i) = &self.datetime {
            let p = &feature["properties"];
            let time = |k: &str| p[k].as_str().and_then(parse_date_time);
            if let Some(start) = time("start") {
                return i.overlaps(start, time("end"));
            }
            if let Some(t) = time("time") {
                return i.contains(t);
            }
        }
        true
    }
}

/// `[west, south, east, north]` of a GeoJSON geometry's positions, or `None`
/// when it has none (null, empty, or malformed).
pub fn geometry_bbox(geometry: &Value) -> Option<[f64; 4]> {
    fn walk(v: &Value, acc: &mut Option<[f64; 4]>, depth: usize) {
        let Some(arr) = v.as_array() else { return };
        if depth > 8 {
            return;
        }
        if let [Value::Number(x), Value::Number(y), ..] = arr.as_slice() {
            if let (Some(x), Some(y)) = (x.as_f64(), y.as_f64()) {
                let b = acc.get_or_insert([x, y, x, y]);
                *b = [b[0].min(x), b[1].min(y), b[2].max(x), b[3].max(y)];
            }
            return;
        }
        for c in arr {
            walk(c, acc, depth + 1);
        }
    }
    let mut acc = None;
    if let Some(gs) = geometry["geometries"].as_array() {
        for g in gs {
            if let Some([w, s, e, n]) = geometry_bbox(g) {
                walk(&json!([[w, s], [e, n]]), &mut acc, 0);
            }
        }
    } else {
        walk(&geometry["coordinates"], &mut acc, 0);
    }
    acc
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(s: &str) -> Result<ItemsQuery, QueryError> {
        parse_query(Some(s), Limits::default())
    }

    #[test]
    fn reads_bbox_datetime_limit_offset() {
        let x = q("bbox=10,65,15,69&datetime=2026-11-25T12:00:00Z%2F..&limit=50&offset=100&f=json")
            .unwrap();
        assert_eq!(
            x.bbox,
            Some(BBox {
                min_lon: 10.0,
                min_lat: 65.0,
                max_lon: 15.0,
                max_lat: 69.0
            })
        );
        let t = parse_date_time("2026-11-25T12:00:00Z").unwrap();
        assert_eq!(
            x.datetime,
            Some(Interval {
                start: Some(t),
                end: None
            })
        );
        assert_eq!((x.limit, x.offset), (50, 100));
        assert_eq!(
            x.query_string(150),
            "bbox=10,65,15,69&datetime=2026-11-25T12:00:00Z%2F..&limit=50&offset=150"
        );
        let d = q("").unwrap();
        assert_eq!((d.bbox, d.datetime, d.limit, d.offset), (None, None, 10, 0));
        assert_eq!(parse_query(None, Limits::default()).unwrap(), d);
    }

    #[test]
    fn datetime_forms() {
        let t = |s| parse_date_time(s).unwrap();
        let i = |s| parse_datetime(s).unwrap();
        let at = t("2026-11-25T12:00:00Z");
        assert_eq!(
            i("2026-11-25T12:00:00Z"),
            Interval {
                start: Some(at),
                end: Some(at)
            }
        );
        assert_eq!(
            i("../2026-11-25T12:00:00Z"),
            Interval {
                start: None,
                end: Some(at)
            }
        );
        assert_eq!(
            i("/2026-11-25T12:00:00Z"),
            Interval {
                start: None,
                end: Some(at)
            }
        );
        assert_eq!(i("../.."), Interval::default());
        let day = i("2026-11-25");
        assert!(day.contains(at) && day.contains(t("2026-11-25T23:59:59.999Z")));
        assert!(!day.contains(t("2026-11-26T00:00:00Z")));
        let span = i("2026-11-24/2026-11-25");
        assert!(
            span.contains(t("2026-11-25T23:00:00Z")) && !span.contains(t("2026-11-23T23:00:00Z"))
        );
        for bad in [
            "2026-11-25T12:00:00Z/2026-11-24T12:00:00Z",
            "yesterday",
            "2026-11-25T12:00:00Z/now",
            "2026-11-25T12:00:00Z/..//",
            "",
        ] {
            assert!(
                matches!(parse_datetime(bad), Err(QueryError::BadDatetime(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn refusals_are_typed() {
        assert!(matches!(q("bbox=1,2,3"), Err(QueryError::BadBbox(_))));
        assert!(matches!(q("bbox=0,80,10,70"), Err(QueryError::BadBbox(_))));
        assert!(matches!(q("bbox=0,0,181,1"), Err(QueryError::BadBbox(_))));
        assert!(matches!(q("bbox=nan,0,1,1"), Err(QueryError::BadBbox(_))));
        assert!(matches!(q("bbox=inf,0,1,1"), Err(QueryError::BadBbox(_))));
        assert!(matches!(q("limit=0"), Err(QueryError::BadLimit { .. })));
        assert!(matches!(q("limit=-5"), Err(QueryError::BadLimit { .. })));
        assert!(matches!(q("limit=ten"), Err(QueryError::BadLimit { .. })));
        assert!(matches!(q("offset=-1"), Err(QueryError::BadOffset(_))));
        assert!(matches!(q("limit=1&limit=2"), Err(QueryError::Repeated(_))));
        assert!(matches!(
            q("filter=x"),
            Err(QueryError::UnknownParameter(_))
        ));
        assert!(matches!(q("f=html"), Err(QueryError::BadFormat(_))));
        assert!(matches!(q("bbox=%zz"), Err(QueryError::BadEncoding)));
        assert!(matches!(q("bbox=%ff"), Err(QueryError::BadEncoding)));
        assert!(matches!(q("bbox=%4"), Err(QueryError::BadEncoding)));
        assert!(matches!(q("bbox=%+f"), Err(QueryError::BadEncoding)));
        let e = q("limit=0").unwrap_err();
        assert_eq!(e.status(), 400);
        assert_eq!(e.to_exception()["code"], "InvalidParameterValue");
    }

    #[test]
    fn large_limits_are_served_at_the_maximum() {
        assert_eq!(q("limit=10001").unwrap().limit, 10_000);
        assert_eq!(q("limit=99999999999999999999999").unwrap().limit, 10_000);
        assert_eq!(q("limit=1").unwrap().limit, 1);
    }

    #[test]
    fn boxes_across_the_antimeridian() {
        let b = parse_bbox("170,-10,-170,10").unwrap();
        assert!(b.contains(175.0, 0.0) && b.contains(-175.0, 0.0));
        assert!(!b.contains(0.0, 0.0) && !b.contains(175.0, 11.0));
        assert!(b.intersects([160.0, -1.0, 171.0, 1.0]));
        assert!(!b.intersects([-160.0, -1.0, 160.0, 1.0]));
        let six = parse_bbox("10,65,-100,15,69,100").unwrap();
        assert_eq!(six, parse_bbox("10,65,15,69").unwrap());
    }

    #[test]
    fn matches_features_by_extent_and_time() {
        let x = q("bbox=10,65,15,69&datetime=2026-11-25T00:00:00Z/2026-11-25T23:59:59Z").unwrap();
        let f = |lon: f64, lat: f64, props: Value| json!({"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]}, "properties": props});
        assert!(x.matches(&f(13.0, 67.0, json!({"time": "2026-11-25T12:00:00Z"}))));
        assert!(!x.matches(&f(13.0, 64.0, json!({"time": "2026-11-25T12:00:00Z"}))));
        assert!(!x.matches(&f(13.0, 67.0, json!({"time": "2026-11-26T12:00:00Z"}))));
        assert!(x.matches(&f(
            13.0,
            67.0,
            json!({"start": "2026-11-20T12:00:00Z", "end": null})
        )));
        assert!(!x.matches(&f(
            13.0,
            67.0,
            json!({"start": "2026-11-20T12:00:00Z", "end": "2026-11-21T00:00:00Z"})
        )));
        assert!(x.matches(&f(13.0, 67.0, json!({"name": "static"}))));
        let poly = json!({"type": "Feature", "properties": {}, "geometry": {"type": "Polygon",
            "coordinates": [[[5.0, 60.0], [11.0, 60.0], [11.0, 66.0], [5.0, 60.0]]]}});
        assert!(x.matches(&poly));
        assert!(!x.matches(&json!({"type": "Feature", "geometry": null, "properties": {}})));
    }
}
