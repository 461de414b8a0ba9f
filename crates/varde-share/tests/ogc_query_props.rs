//! The items query takes untrusted input: any string gives a query or a
//! typed error (never a panic), and a parsed query survives the round trip
//! through the paging links it writes.

use proptest::prelude::*;
use varde_share::ogc::{parse_bbox, parse_datetime, parse_query, Limits, QueryError};

fn query_like() -> impl Strategy<Value = String> {
    let key = prop_oneof![
        Just("bbox"),
        Just("datetime"),
        Just("limit"),
        Just("offset"),
        Just("f"),
        Just("x"),
        Just("")
    ];
    let value = prop_oneof![
        "[0-9.,+eE-]{0,30}",
        "[0-9TZ:./+-]{0,45}",
        "(%[0-9A-Fa-f]{0,2}|[a-z0-9,./:]){0,12}",
        any::<String>(),
    ];
    proptest::collection::vec((key, value), 0..5).prop_map(|kv| {
        kv.iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("&")
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    #[test]
    fn any_input_gives_a_query_or_a_typed_400(raw in prop_oneof![any::<String>(), query_like()]) {
        match parse_query(Some(&raw), Limits::default()) {
            Ok(q) => {
                prop_assert!((1..=10_000).contains(&q.limit));
                // What the paging links carry parses back to the same query.
                let again = parse_query(Some(&q.query_string(q.offset)), Limits::default()).unwrap();
                prop_assert_eq!(again, q);
            }
            Err(e) => {
                prop_assert_eq!(e.status(), 400);
                prop_assert!(e.to_exception()["description"].is_string());
            }
        }
        let _ = parse_bbox(&raw);
        let _ = parse_datetime(&raw);
    }

    #[test]
    fn valid_boxes_parse(w in -180.0f64..=180.0, e in -180.0f64..=180.0, s in -90.0f64..=90.0, n in -90.0f64..=90.0) {
        let r = parse_bbox(&format!("{w},{s},{e},{n}"));
        if s <= n {
            let b = r.unwrap();
            prop_assert_eq!((b.min_lon, b.min_lat, b.max_lon, b.max_lat), (w, s, e, n));
        } else {
            prop_assert!(matches!(r, Err(QueryError::BadBbox(_))));
        }
    }
}
