//! `/api/arrivals` and `/api/arrivals.csv`: vessels bound for a Norwegian port that are inside, or
//! will enter within `hours`, the contiguous zone and the waters landward of it — the customs,
//! health and police picture of UNCLOS art. 33. The rule is `varde_geo::arrivals`; the vessels come
//! from the in-memory view.
//!
//! `eta` is the ETA of the vessel's last AIS message 5, resolved to a date-time
//! (`varde_ais::eta`), or `null`. The estimated time at the belt (`entry_estimate`) is the vessel's
//! last report time plus distance ÷ speed, or the ETA when only the ETA puts it in the horizon
//! (`basis: "eta"`). `last_port` is the `FROM` of a `FROM>TO` destination, else `null`.

use super::error::AppError;
use super::extract::Query;
use super::AppState;
use crate::serve::view;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::HashMap;
use varde_ais::time::rfc3339_ms;
use varde_geo::arrivals::{self, Approach, Motion, NorwegianDestination, PortNames};

/// Default horizon, hours.
pub const DEFAULT_HOURS: u32 = 24;
/// Longest horizon, hours (a week).
pub const MAX_HOURS: u32 = 168;

/// Query of the arrivals list.
#[derive(Debug, Deserialize)]
pub struct ArrivalsQuery {
    /// Horizon in hours, 1 to 168 (default 24).
    hours: Option<String>,
    /// `json` (default) or `csv`.
    format: Option<String>,
}

/// One vessel on the list.
#[derive(Debug, Clone)]
pub struct Arrival {
    mmsi: u32,
    name: Option<String>,
    callsign: Option<String>,
    imo: Option<u32>,
    flag: Option<String>,
    ship_type: Option<u8>,
    dest: NorwegianDestination,
    lat: f64,
    lon: f64,
    sog: Option<f64>,
    cog: Option<f64>,
    last_seen_ms: i64,
    eta_ms: Option<i64>,
    approach: Approach,
}

impl Arrival {
    /// Hours to the belt (0 inside).
    fn hours(&self) -> f64 {
        match self.approach {
            Approach::Inside => 0.0,
            Approach::Entering { hours, .. } => hours,
        }
    }

    fn status(&self) -> &'static str {
        match self.approach {
            Approach::Inside => "inside",
            Approach::Entering { .. } => "entering",
        }
    }

    fn entering(&self) -> Option<(Option<f64>, f64, &'static str)> {
        match self.approach {
            Approach::Inside => None,
            Approach::Entering {
                distance_m,
                hours,
                basis,
            } => Some((distance_m, hours, basis.as_str())),
        }
    }

    fn entry_estimate(&self) -> Option<String> {
        self.entering()
            .map(|(_, h, _)| rfc3339_ms(self.last_seen_ms + (h * 3_600_000.0).round() as i64))
    }

    fn json(&self) -> Value {
        let e = self.entering();
        json!({
            "mmsi": self.mmsi,
            "name": self.name,
            "callsign": self.callsign,
            "imo": self.imo,
            "flag": self.flag,
            "ship_type": self.ship_type,
            "destination": self.dest.destination,
            "port": self.dest.port.as_ref().map(|p| p.name.as_str()),
            "locode": self.dest.locode,
            "last_port": self.dest.last_port,
            "eta": self.eta_ms.map(rfc3339_ms),
            "status": self.status(),
            "hours_to_zone": e.map(|(_, h, _)| round(h, 2)),
            "distance_nm": e
                .and_then(|(d, _, _)| d)
                .map(|d| round(d / varde_geo::NAUTICAL_MILE_M, 1)),
            "basis": e.map(|(_, _, b)| b),
            "entry_estimate": self.entry_estimate(),
            "lat": self.lat,
            "lon": self.lon,
            "sog": self.sog,
            "cog": self.cog,
            "last_seen": rfc3339_ms(self.last_seen_ms),
        })
    }
}

fn round(v: f64, digits: i32) -> f64 {
    let k = 10f64.powi(digits);
    (v * k).round() / k
}

/// The horizon a query asks for.
fn hours(s: Option<&str>) -> Result<u32, AppError> {
    let Some(s) = s else {
        return Ok(DEFAULT_HOURS);
    };
    s.parse::<u32>()
        .ok()
        .filter(|h| (1..=MAX_HOURS).contains(h))
        .ok_or_else(|| {
            AppError::BadRequest(format!(
                "hours must be an integer from 1 to {MAX_HOURS}, got {s:?}"
            ))
        })
}

/// The arrivals list: JSON, or CSV with `?format=csv`.
pub async fn list(
    State(state): State<AppState>,
    Query(q): Query<ArrivalsQuery>,
) -> Result<Response, AppError> {
    let csv = match q.format.as_deref() {
        None | Some("json") => false,
        Some("csv") => true,
        Some(other) => {
            return Err(AppError::BadRequest(format!(
                "format must be json or csv, got {other:?}"
            )))
        }
    };
    respond(&state, hours(q.hours.as_deref())?, csv).await
}

/// `/api/arrivals.csv`: the list as CSV.
pub async fn csv(
    State(state): State<AppState>,
    Query(q): Query<ArrivalsQuery>,
) -> Result<Response, AppError> {
    respond(&state, hours(q.hours.as_deref())?, true).await
}

async fn respond(state: &AppState, hours: u32, csv: bool) -> Result<Response, AppError> {
    let (view, geo) = (state.view.clone(), state.geo.clone());
    let list = tokio::task::spawn_blocking(move || find(&view, &geo, f64::from(hours)))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?;
    if csv {
        let disposition = format!("attachment; filename=\"varde-arrivals-{hours}h.csv\"");
        return Ok((
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
                (header::CONTENT_DISPOSITION, disposition),
            ],
            to_csv(&list),
        )
            .into_response());
    }
    Ok(axum::Json(Value::Array(list.iter().map(Arrival::json).collect())).into_response())
}

/// The vessels of the view on the list within `hours`, soonest at the belt first (those inside
/// first), then by MMSI.
pub fn find(view: &view::VesselView, geo: &varde_geo::Geography, hours: f64) -> Vec<Arrival> {
    let names = PortNames::norwegian(geo);
    // Candidates are copied out under the view's read lock; the geometry runs after.
    let mut candidates = Vec::new();
    let mut read: HashMap<String, Option<NorwegianDestination>> = HashMap::new();
    view.for_every(|v| {
        let (Some(text), Some(lat), Some(lon)) = (v.destination(), v.lat(), v.lon()) else {
            return;
        };
        let dest = read
            .entry(text.to_owned())
            .or_insert_with(|| names.read(text))
            .clone();
        if let Some(dest) = dest {
            candidates.push((v.record(), dest, lat, lon));
        }
    });
    let mut list: Vec<Arrival> = candidates
        .into_iter()
        .filter_map(|(r, dest, lat, lon)| {
            let m = Motion {
                lat,
                lon,
                sog_kn: r.sog_kn,
                cog_deg: r.cog_deg,
            };
            let toward = dest.port.as_ref().map(|p| (p.lat, p.lon));
            let eta_h = r
                .eta_ms
                .map(|eta| (eta - r.last_seen_ms) as f64 / 3_600_000.0);
            let approach = arrivals::approach(geo, &m, toward, eta_h, hours)?;
            Some(Arrival {
                mmsi: r.mmsi,
                name: r.name,
                callsign: r.callsign,
                imo: r.imo,
                flag: r.flag,
                ship_type: r.ship_type,
                dest,
                lat,
                lon,
                // Decoded f32 values at their own precision (261.2, not 261.20001220703125).
                sog: r.sog_kn.map(varde_ais::message::units::decoded_precision),
                cog: r.cog_deg.map(varde_ais::message::units::decoded_precision),
                last_seen_ms: r.last_seen_ms,
                eta_ms: r.eta_ms,
                approach,
            })
        })
        .collect();
    list.sort_by(|a, b| a.hours().total_cmp(&b.hours()).then(a.mmsi.cmp(&b.mmsi)));
    list
}

/// The CSV columns, in order.
pub const CSV_HEADER: &str = "mmsi,name,callsign,imo,flag,destination,port,last_port,eta,status,\
                              hours_to_zone,entry_estimate,lat,lon,sog,cog,last_seen";

/// The list as CSV (RFC 4180: CRLF line ends, fields with `,` `"` or line breaks quoted; a text
/// starting with `=`, `+`, `-` or `@` gets a leading `'` so a spreadsheet does not run it).
pub fn to_csv(list: &[Arrival]) -> String {
    let mut out = String::from(CSV_HEADER);
    out.push_str("\r\n");
    let num = |v: Option<f64>| v.map(|v| v.to_string()).unwrap_or_default();
    for a in list {
        let e = a.entering();
        let fields = [
            a.mmsi.to_string(),
            text(a.name.as_deref()),
            text(a.callsign.as_deref()),
            a.imo.map(|i| i.to_string()).unwrap_or_default(),
            text(a.flag.as_deref()),
            text(Some(&a.dest.destination)),
            text(a.dest.port.as_ref().map(|p| p.name.as_str())),
            text(a.dest.last_port.as_deref()),
            a.eta_ms.map(rfc3339_ms).unwrap_or_default(),
            a.status().to_owned(),
            num(e.map(|(_, h, _)| round(h, 2))),
            a.entry_estimate().unwrap_or_default(),
            a.lat.to_string(),
            a.lon.to_string(),
            num(a.sog),
            num(a.cog),
            rfc3339_ms(a.last_seen_ms),
        ];
        out.push_str(&fields.join(","));
        out.push_str("\r\n");
    }
    out
}

/// A text field as a CSV cell (empty when absent).
fn text(s: Option<&str>) -> String {
    s.map(super::csv::cell).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_text_is_quoted_and_defused() {
        assert_eq!(text(None), "");
        assert_eq!(text(Some("BERGEN")), "BERGEN");
        assert_eq!(text(Some("A,B")), "\"A,B\"");
        assert_eq!(text(Some("SAY \"HI\"")), "\"SAY \"\"HI\"\"\"");
        assert_eq!(text(Some("=CMD()")), "'=CMD()");
        assert_eq!(CSV_HEADER.split(',').count(), 17);
    }

    #[test]
    fn hours_are_range_checked() {
        assert_eq!(hours(None).unwrap(), 24);
        assert_eq!(hours(Some("6")).unwrap(), 6);
        for bad in ["0", "169", "-1", "x", "1.5"] {
            assert!(hours(Some(bad)).is_err(), "{bad}");
        }
    }
}
