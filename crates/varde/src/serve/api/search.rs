//! `/api/search?q=`: find a vessel by MMSI, IMO, name or call sign, from the in-memory view.
//!
//! Ranking: an exact match (the whole MMSI, IMO, name or call sign) before a prefix match before a
//! substring match (names and call signs only; numbers match exactly or by prefix); within a rank,
//! live vessels (seen within [`LIVE_MS`] of the newest report in the view) before silent ones, then
//! by name and MMSI. Text compares ignore ASCII case (AIS texts are upper-case ASCII). `IMO 9123456`
//! and `IMO9123456` search the IMO number only.
//!
//! The view mirrors the store's `vessels` table (loaded from it at start, pruned by the same
//! retention), so the store holds no vessel the view lacks: there is nothing to merge from it.
//! Partner tokens are refused (the path is not among `auth::PARTNER_PATHS`).

use super::error::AppError;
use super::extract::Query;
use super::params;
use super::AppState;
use crate::serve::view::{self, Compact};
use axum::extract::State;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use varde_ais::time::rfc3339_ms;

/// A vessel seen within this long of the newest report in the view counts as live.
pub const LIVE_MS: i64 = 30 * 60_000;
/// Longest query accepted, bytes (an AIS name is 20 characters; an MMSI 9 digits).
const MAX_QUERY: usize = 64;

/// Query of a search.
#[derive(Debug, Deserialize)]
pub struct SearchQuery {
    /// What to look for.
    q: Option<String>,
    /// Most hits (default 20, at most 200).
    limit: Option<String>,
}

/// How well a vessel matches, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Rank {
    /// The whole field.
    Exact,
    /// The field's start.
    Prefix,
    /// Somewhere in a name or call sign.
    Substring,
}

impl Rank {
    fn as_str(self) -> &'static str {
        match self {
            Rank::Exact => "exact",
            Rank::Prefix => "prefix",
            Rank::Substring => "substring",
        }
    }
}

/// A parsed search term.
#[derive(Debug, Clone, PartialEq)]
pub struct Term {
    /// The text, trimmed.
    text: String,
    /// The digits, when the term is all digits.
    digits: Option<String>,
    /// Only the IMO number (`IMO 9123456`).
    imo_only: bool,
}

impl Term {
    /// Parses `q`; an empty or overlong term is a 400.
    pub fn parse(q: &str) -> Result<Self, AppError> {
        let text = q.trim();
        if text.is_empty() || text.len() > MAX_QUERY {
            return Err(AppError::BadRequest(format!(
                "q must be 1 to {MAX_QUERY} bytes (an MMSI, IMO, name or call sign), got {q:?}"
            )));
        }
        let (imo_only, rest) = match text.get(..3) {
            Some(p) if p.eq_ignore_ascii_case("imo") && text.len() > 3 => {
                (true, text[3..].trim_start_matches([' ', ':']))
            }
            _ => (false, text),
        };
        let all_digits = !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit());
        if imo_only && !all_digits {
            // "IMOGEN": a name, not an IMO number.
            return Ok(Self {
                text: text.to_owned(),
                digits: None,
                imo_only: false,
            });
        }
        Ok(Self {
            text: text.to_owned(),
            digits: all_digits.then(|| rest.to_owned()),
            imo_only,
        })
    }

    /// The best match of this term in a vessel, and the field it matched.
    pub fn rank(
        &self,
        mmsi: u32,
        imo: Option<u32>,
        texts: [(&'static str, Option<&str>); 2],
    ) -> Option<(Rank, &'static str)> {
        let mut best: Option<(Rank, &'static str)> = None;
        let mut offer = |r: Option<Rank>, field: &'static str| {
            if let Some(r) = r {
                if best.is_none_or(|(b, _)| r < b) {
                    best = Some((r, field));
                }
            }
        };
        if let Some(d) = &self.digits {
            if !self.imo_only {
                offer(number(&mmsi.to_string(), d), "mmsi");
            }
            offer(imo.and_then(|i| number(&i.to_string(), d)), "imo");
        }
        if !self.imo_only {
            for (field, value) in texts {
                offer(value.and_then(|v| text(v, &self.text)), field);
            }
        }
        best
    }
}

fn number(value: &str, digits: &str) -> Option<Rank> {
    if value == digits {
        Some(Rank::Exact)
    } else {
        value.starts_with(digits).then_some(Rank::Prefix)
    }
}

fn text(value: &str, term: &str) -> Option<Rank> {
    let value = value.trim();
    let (v, t) = (value.as_bytes(), term.as_bytes());
    if v.len() < t.len() {
        return None;
    }
    if v.eq_ignore_ascii_case(t) {
        Some(Rank::Exact)
    } else if v[..t.len()].eq_ignore_ascii_case(t) {
        Some(Rank::Prefix)
    } else {
        v.windows(t.len())
            .any(|w| w.eq_ignore_ascii_case(t))
            .then_some(Rank::Substring)
    }
}

/// One hit, with what it is sorted by.
struct Hit {
    rank: Rank,
    field: &'static str,
    live: bool,
    name: String,
    mmsi: u32,
    json: Value,
}

fn hit_json(v: &Compact) -> Value {
    json!({
        "mmsi": v.mmsi,
        "name": v.name(),
        "callsign": v.callsign(),
        "imo": v.imo(),
        "flag": v.flag(),
        "ship_type": v.ship_type(),
        "destination": v.destination(),
        "lat": v.lat(),
        "lon": v.lon(),
        // Decoded f32 values written at their own precision (261.2, not 261.20001220703125).
        "sog": v.sog_kn().map(varde_ais::message::units::decoded_precision),
        "cog": v.cog_deg().map(varde_ais::message::units::decoded_precision),
        "last_seen": rfc3339_ms(v.last_seen_ms),
    })
}

/// Vessels matching `q`, best first.
pub async fn search(
    State(state): State<AppState>,
    Query(q): Query<SearchQuery>,
) -> Result<Json<Value>, AppError> {
    let term = Term::parse(q.q.as_deref().unwrap_or_default())?;
    let limit = params::limit(q.limit.as_deref(), 20, 200)?;
    let view = state.view.clone();
    let hits = tokio::task::spawn_blocking(move || find(&view, &term, limit))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(Json(Value::Array(hits)))
}

/// The best `limit` hits of `term` in the view, as JSON.
pub fn find(view: &view::VesselView, term: &Term, limit: usize) -> Vec<Value> {
    let mut newest = i64::MIN;
    let mut matched: Vec<(Rank, &'static str, i64, String, u32, Value)> = Vec::new();
    view.for_every(|v| {
        newest = newest.max(v.last_seen_ms);
        let texts = [("name", v.name()), ("callsign", v.callsign())];
        if let Some((rank, field)) = term.rank(v.mmsi, v.imo(), texts) {
            let name = v.name().unwrap_or_default().to_owned();
            matched.push((rank, field, v.last_seen_ms, name, v.mmsi, hit_json(v)));
        }
    });
    let mut hits: Vec<Hit> = matched
        .into_iter()
        .map(|(rank, field, seen, name, mmsi, json)| Hit {
            rank,
            field,
            live: seen >= newest.saturating_sub(LIVE_MS),
            name,
            mmsi,
            json,
        })
        .collect();
    hits.sort_by(|a, b| {
        (a.rank, !a.live, &a.name, a.mmsi).cmp(&(b.rank, !b.live, &b.name, b.mmsi))
    });
    hits.truncate(limit);
    hits.into_iter()
        .map(|mut h| {
            h.json["match"] = json!({ "field": h.field, "rank": h.rank.as_str() });
            h.json["live"] = h.live.into();
            h.json
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rank(
        q: &str,
        mmsi: u32,
        imo: Option<u32>,
        name: &str,
        cs: &str,
    ) -> Option<(Rank, &'static str)> {
        Term::parse(q)
            .unwrap()
            .rank(mmsi, imo, [("name", Some(name)), ("callsign", Some(cs))])
    }

    #[test]
    fn each_key_matches_at_its_rank() {
        let v = (257_123_456, Some(9_123_456), "NORDIC STAR", "LAXY7");
        let r = |q| rank(q, v.0, v.1, v.2, v.3);
        assert_eq!(r("257123456"), Some((Rank::Exact, "mmsi")));
        assert_eq!(r("2571"), Some((Rank::Prefix, "mmsi")));
        assert_eq!(r("9123456"), Some((Rank::Exact, "imo")));
        assert_eq!(r("IMO 912"), Some((Rank::Prefix, "imo")));
        assert_eq!(r("imo257123456"), None);
        assert_eq!(r("nordic star"), Some((Rank::Exact, "name")));
        assert_eq!(r("nord"), Some((Rank::Prefix, "name")));
        assert_eq!(r("star"), Some((Rank::Substring, "name")));
        assert_eq!(r("laxy7"), Some((Rank::Exact, "callsign")));
        assert_eq!(r("AXY"), Some((Rank::Substring, "callsign")));
        assert_eq!(r("123456"), None);
        assert_eq!(r("nothing"), None);
    }

    #[test]
    fn an_empty_or_overlong_query_is_refused() {
        assert!(Term::parse("  ").is_err());
        assert!(Term::parse(&"A".repeat(65)).is_err());
        // "IMOGEN" is a name.
        assert_eq!(
            rank("imogen", 1, None, "IMOGEN", ""),
            Some((Rank::Exact, "name"))
        );
    }
}
