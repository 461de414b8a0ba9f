use super::glob;
use crate::alert::Kind;
use crate::detectors::testkit::*;

#[test]
fn glob_matches() {
    assert!(glob("AKADEMIK*", "Akademik B. Petrov"));
    assert!(glob("*PETROV", "AKADEMIK B. PETROV"));
    assert!(glob("*RUSANOV*", "VLADIMIR RUSANOV"));
    assert!(!glob("AKADEMIK*", "VLADIMIR RUSANOV"));
    assert!(glob("EXACT", "exact") && !glob("EXACT", "EXACTLY"));
}

#[test]
fn foreign_state_vessel_entering_fires_and_merchant_does_not() {
    let mut k = Kit::new(cfg(), coast());
    k.stat(273_000_001, 0, "NIKOLAY CHIKER", 55);
    k.stat(273_000_002, 0, "CARGO ONE", 70);
    k.stat(257_000_003, 0, "KV SVALBARD", 55);
    for i in 0..10 {
        let lon = 4.0 + f64::from(i) * 0.04; // territorial sea from lon 4.3
        for m in [273_000_001, 273_000_002, 257_000_003] {
            k.pos(m, 60 + i64::from(i) * 60, 60.5, lon, 10.0, 90.0);
        }
    }
    let a = k.alerts_of(Kind::ZoneEntry);
    assert_eq!(a.len(), 1, "{a:#?}");
    assert_eq!(a[0].mmsi, 273_000_001);
    assert!(a[0].end.is_none(), "still inside");
    assert_eq!(
        a[0].zone.as_ref().map(|z| &*z.kind),
        Some("territorial_sea")
    );
    assert!(
        a[0].summary.starts_with(
            "Foreign law-enforcement vessel NIKOLAY CHIKER (RU, MMSI 273000001) entered"
        ),
        "{}",
        a[0].summary
    );
}

#[test]
fn entry_before_static_data_is_backfilled_to_entry_time() {
    let mut k = Kit::new(cfg(), coast());
    k.pos(273_000_001, 0, 60.5, 4.5, 10.0, 90.0);
    k.pos(273_000_001, 600, 60.5, 4.55, 10.0, 90.0);
    assert!(k.alerts_of(Kind::ZoneEntry).is_empty());
    k.stat(273_000_001, 700, "SOME WARSHIP", 35);
    let a = k.alerts_of(Kind::ZoneEntry);
    assert_eq!(a.len(), 1);
    assert_eq!(a[0].start, T0);
}

/// The glob as first written (upper-case both, then match): the allocation-free
/// version must agree with it everywhere.
fn glob_reference(pattern: &str, text: &str) -> bool {
    let (p, t) = (pattern.to_uppercase(), text.trim().to_uppercase());
    let mut parts = p.split('*');
    let first = parts.next().unwrap_or("");
    let Some(mut rest) = t.strip_prefix(first) else {
        return false;
    };
    let tail: Vec<&str> = parts.collect();
    for (i, part) in tail.iter().enumerate() {
        if i + 1 == tail.len() {
            return rest.ends_with(part);
        }
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    rest.is_empty()
}

#[test]
fn glob_agrees_with_the_reference() {
    let patterns = [
        "",
        "*",
        "**",
        "a",
        "A*",
        "*a",
        "*a*",
        "a*b",
        "a*b*c",
        "r*SAT*",
        "rORBCOMM*",
        "rEV*",
        "*ø*",
        "ÅS*",
    ];
    let texts = [
        "",
        "a",
        "A",
        "ab",
        "ba",
        "abc",
        "aXbYc",
        "acb",
        "rNORSAT3",
        "rorbcomm008",
        "rEV02",
        "2573345",
        " Åsgard ",
        "bø",
    ];
    for p in patterns {
        for t in texts {
            assert_eq!(glob(p, t), glob_reference(p, t), "pattern {p:?} text {t:?}");
        }
    }
}

#[test]
fn sailing_along_the_limit_is_one_alert_and_a_return_hours_later_is_another() {
    let mut k = Kit::new(cfg(), coast());
    k.stat(273_000_001, 0, "ALONG THE LIMIT", 35);
    // In and out of the territorial sea (from lon 4.3) every 5 minutes for an hour.
    for i in 0..60 {
        let lon = if (i / 5) % 2 == 0 { 4.31 } else { 4.29 };
        k.pos(
            273_000_001,
            60 + i * 60,
            60.5 + i as f64 * 0.001,
            lon,
            10.0,
            0.0,
        );
    }
    let a = k.alerts_of(Kind::ZoneEntry);
    assert_eq!(a.len(), 1, "{a:#?}");
    // Outside for two hours, then back: a new entry.
    k.pos(273_000_001, 60 + 3 * 3600, 60.7, 4.31, 10.0, 0.0);
    assert_eq!(k.alerts_of(Kind::ZoneEntry).len(), 2);
}
