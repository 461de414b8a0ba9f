//! Words for alert summaries: one sentence a watch officer understands without a manual.

use crate::geo::NM_M;
use crate::picture::Vessel;

/// What an AIS ship type is called in a sentence.
pub fn type_word(ship_type: Option<u8>) -> &'static str {
    match ship_type {
        Some(30) => "fishing vessel",
        Some(31 | 32 | 52) => "tug",
        Some(33) => "dredger",
        Some(34) => "diving vessel",
        Some(35) => "military vessel",
        Some(36) => "sailing vessel",
        Some(37) => "pleasure craft",
        Some(50) => "pilot vessel",
        Some(51) => "search-and-rescue vessel",
        Some(53) => "port tender",
        Some(55) => "law-enforcement vessel",
        Some(58) => "medical transport",
        Some(60..=69) => "passenger ship",
        Some(70..=79) => "cargo ship",
        Some(80..=89) => "tanker",
        _ => "vessel",
    }
}

/// `Foreign law-enforcement vessel NAME (RU, MMSI 273345000)`.
pub fn who(v: &Vessel, home: bool) -> String {
    let origin = if home { "Norwegian" } else { "Foreign" };
    format!("{origin} {} {}", type_word(v.ship_type()), ident(v))
}

/// `NAME (RU, MMSI 273345000)`, or `MMSI 273345000 (RU)` when the name is unknown.
pub fn ident(v: &Vessel) -> String {
    let flag = v.flag().unwrap_or("flag unknown");
    match v.name() {
        Some(name) => format!("{name} ({flag}, MMSI {:09})", v.mmsi),
        None => format!("MMSI {:09} ({flag})", v.mmsi),
    }
}

/// ` (declared ship type changed at sea from military vessel (35) to fishing vessel (30) at 14:05)`
/// for a vessel of interest that relabelled itself; empty otherwise.
pub fn relabel_note(v: &Vessel) -> String {
    v.rare().watch.relabel.as_ref().map_or(String::new(), |r| {
        format!(
            " (declared ship type changed at sea from {} ({}) to {} ({}) at {})",
            type_word(Some(r.from)),
            r.from,
            type_word(Some(r.to)),
            r.to,
            crate::time::hhmm(r.time_ms)
        )
    })
}

/// Metres as nautical miles with one decimal: `3.2 nm`.
pub fn nm(m: f64) -> String {
    format!("{:.1} nm", m / NM_M)
}

/// Knots with one decimal: `8.5 kn`.
pub fn kn(v: f64) -> String {
    format!("{v:.1} kn")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::StaticInfo;

    #[test]
    fn describes_a_state_vessel() {
        let mut v = Vessel::new(273_345_000, 0);
        v.merge_static(&StaticInfo {
            name: Some("NIKOLAY CHIKER".into()),
            ship_type: Some(55),
            ..Default::default()
        });
        assert_eq!(
            who(&v, false),
            "Foreign law-enforcement vessel NIKOLAY CHIKER (RU, MMSI 273345000)"
        );
        assert_eq!(nm(1852.0 * 3.25), "3.2 nm");
    }
}
