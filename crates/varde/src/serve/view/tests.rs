//! The view against the store: the same vessels for the same question.

use super::*;
use varde_store::{Batch, SqliteStore, Store, VesselFilter};

fn vessel(mmsi: u32, lat: f64, lon: f64, seen: i64) -> VesselRecord {
    VesselRecord {
        mmsi,
        name: Some(format!("V{mmsi}")),
        lat: Some(lat),
        lon: Some(lon),
        last_seen_ms: seen,
        ..VesselRecord::default()
    }
}

/// A spread of vessels along the coast, some without a position, some written twice (the older
/// record last, as a late line would).
fn records() -> Vec<VesselRecord> {
    let mut v = Vec::new();
    for i in 0..2_000u32 {
        let lat = 57.0 + f64::from(i % 97) * 0.13;
        let lon = -2.0 + f64::from(i % 89) * 0.31;
        v.push(vessel(200_000_000 + i * 7, lat, lon, 1_000 + i64::from(i)));
    }
    v.push(VesselRecord {
        mmsi: 100,
        last_seen_ms: 5,
        ..VesselRecord::default()
    });
    v.push(vessel(200_000_000, 10.0, 10.0, 1));
    v
}

fn sorted_by_mmsi(mut v: Vec<VesselRecord>) -> Vec<VesselRecord> {
    v.sort_by_key(|r| r.mmsi);
    v
}

fn page_records(p: &Page) -> Vec<VesselRecord> {
    p.vessels.iter().map(|r| (**r).clone()).collect()
}

#[test]
fn a_box_from_the_view_equals_the_stores_answer() {
    let mut store = SqliteStore::open_in_memory().unwrap();
    let view = VesselView::new();
    let publisher = view.publisher();
    for r in records() {
        store
            .write_batch(&Batch {
                vessels: vec![r.clone()],
                ..Batch::default()
            })
            .unwrap();
        publisher.publish(&r);
    }
    assert_eq!(view.apply_pending(), 2_001);
    let boxes = [
        BBox::new(59.0, 4.0, 61.0, 8.0),
        BBox::new(57.0, -2.0, 57.0, -2.0),
        BBox::new(-90.0, -180.0, 90.0, 180.0),
        BBox::new(58.25, 3.1, 63.77, 19.9),
        BBox::new(0.0, 0.0, 1.0, 1.0),
    ];
    for b in boxes {
        for since_ms in [None, Some(1_500)] {
            let filter = VesselFilter {
                bbox: Some(b),
                since_ms,
                limit: None,
            };
            let want = sorted_by_mmsi(store.vessels(&filter).unwrap());
            let q = Query {
                bbox: Some(b),
                since_ms,
                after: None,
                limit: usize::MAX - 1,
            };
            let got = view.page(&q);
            assert!(!got.more);
            assert_eq!(page_records(&got), want, "{b:?} since {since_ms:?}");
        }
    }
    // A view loaded from the store at start answers the same.
    let loaded = VesselView::with(store.vessels(&VesselFilter::default()).unwrap());
    assert_eq!(loaded.len(), view.len());
    let q = Query {
        bbox: Some(boxes[0]),
        limit: 100_000,
        ..Query::default()
    };
    assert_eq!(page_records(&loaded.page(&q)), page_records(&view.page(&q)));
}

#[test]
fn pages_return_every_vessel_once_and_say_when_there_are_more() {
    let view = VesselView::with(records());
    for bbox in [None, Some(BBox::new(58.0, 0.0, 62.0, 15.0))] {
        let all = view.page(&Query {
            bbox,
            limit: usize::MAX - 1,
            ..Query::default()
        });
        let mut seen = Vec::new();
        let mut after = None;
        loop {
            let p = view.page(&Query {
                bbox,
                after,
                limit: 137,
                ..Query::default()
            });
            assert!(p.vessels.len() <= 137);
            seen.extend(p.vessels.iter().map(|r| r.mmsi));
            if !p.more {
                break;
            }
            after = p.vessels.last().map(|r| r.mmsi);
        }
        let want: Vec<u32> = all.vessels.iter().map(|r| r.mmsi).collect();
        assert_eq!(seen, want);
        assert!(
            want.windows(2).all(|w| w[0] < w[1]),
            "ascending, no repeats"
        );
    }
}

#[test]
fn newer_records_win_and_pruning_drops_the_old() {
    let view = VesselView::new();
    let p = view.publisher();
    p.publish(&vessel(1, 60.0, 5.0, 10));
    p.publish(&vessel(1, 61.0, 5.0, 5));
    view.apply_pending();
    assert_eq!(view.get(1).unwrap().lat, Some(60.0));
    p.publish(&vessel(1, 62.0, 5.0, 4));
    view.apply_pending();
    assert_eq!(
        view.get(1).unwrap().lat,
        Some(60.0),
        "an older record loses"
    );
    p.publish(&vessel(1, 70.0, 25.0, 20));
    p.publish(&vessel(2, 60.0, 5.0, 3));
    view.apply_pending();
    let in_box = |b| {
        view.page(&Query {
            bbox: Some(b),
            limit: 10,
            ..Query::default()
        })
        .vessels
        .iter()
        .map(|r| r.mmsi)
        .collect::<Vec<_>>()
    };
    assert_eq!(in_box(BBox::new(69.0, 24.0, 71.0, 26.0)), [1]);
    assert_eq!(in_box(BBox::new(59.0, 4.0, 61.0, 6.0)), [2]);
    assert_eq!(view.prune_before(10), [2]);
    assert!(view.get(2).is_none());
    assert_eq!(in_box(BBox::new(59.0, 4.0, 61.0, 6.0)), Vec::<u32>::new());
    assert_eq!(view.len(), 1);
}

#[test]
fn slots_freed_by_pruning_are_reused_and_every_index_stays_right() {
    // More vessels than one chunk of the slab; the even ones pruned, then new ones take their
    // slots: boxes, pages and lookups must name the right records throughout.
    let n = 2 * CHUNK as u32 + 10;
    let lat = |m: u32| 50.0 + f64::from(m % 40) * 0.5;
    let view = VesselView::with((1..=n).map(|m| vessel(m, lat(m), 5.0, i64::from(m % 2) * 100)));
    assert_eq!(view.prune_before(50).len(), (n / 2) as usize);
    let p = view.publisher();
    for m in n + 1..=n + n / 2 {
        p.publish(&vessel(m, lat(m), 6.0, 200));
    }
    view.apply_pending();
    assert_eq!(view.len(), n as usize);
    let all = Query {
        limit: usize::MAX,
        ..Query::default()
    };
    let want: Vec<u32> = (1..=n)
        .filter(|m| m % 2 == 1)
        .chain(n + 1..=n + n / 2)
        .collect();
    let got: Vec<u32> = view.page(&all).vessels.iter().map(|r| r.mmsi).collect();
    assert_eq!(got, want);
    for m in [1, 2, n - 1, n + 1, n + n / 2] {
        let r = view.get(m);
        assert_eq!(
            r.as_ref().map(|r| r.mmsi),
            (m % 2 == 1 || m > n).then_some(m)
        );
    }
    let b = BBox::new(lat(3) - 0.1, 4.0, lat(3) + 0.1, 7.0);
    let boxed = view.page(&Query {
        bbox: Some(b),
        ..all
    });
    let want: Vec<u32> = want.into_iter().filter(|&m| lat(m) == lat(3)).collect();
    assert!(!want.is_empty());
    assert_eq!(
        boxed.vessels.iter().map(|r| r.mmsi).collect::<Vec<_>>(),
        want
    );
    assert!(boxed.vessels.iter().all(|r| r.lat == Some(lat(r.mmsi))));
}

#[test]
fn readers_answer_while_the_engine_publishes() {
    let view = VesselView::new();
    let publisher = view.publisher();
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let readers: Vec<_> = (0..4)
        .map(|_| {
            let (view, stop) = (view.clone(), stop.clone());
            std::thread::spawn(move || {
                let mut answers = 0u64;
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    let p = view.page(&Query {
                        bbox: Some(BBox::new(59.0, 4.0, 61.0, 6.0)),
                        limit: 50_000,
                        ..Query::default()
                    });
                    assert!(p.vessels.iter().all(|r| r.lat.is_some()));
                    answers += 1;
                }
                answers
            })
        })
        .collect();
    for round in 0..50i64 {
        for m in 0..1_000u32 {
            publisher.publish(&vessel(m, 59.0 + f64::from(m % 200) * 0.01, 5.0, round));
        }
        view.apply_pending();
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let answers: u64 = readers.into_iter().map(|r| r.join().unwrap()).sum();
    assert!(answers > 0);
    assert_eq!(view.len(), 1_000);
    assert!(view.get(999).is_some_and(|r| r.last_seen_ms == 49));
}

/// The JSON objects the API built before the view (`serde_json::json!`), as the reference; the
/// values decoded as `f32` at their decoded precision (`7.3`, not `7.300000190734863`).
fn reference_json(v: &VesselRecord, detail: bool) -> serde_json::Value {
    use varde_ais::time::rfc3339_ms;
    let short = |x: Option<f64>| x.map(varde_ais::message::units::decoded_precision);
    let mut o = serde_json::json!({
        "mmsi": v.mmsi, "name": v.name, "callsign": v.callsign, "imo": v.imo, "flag": v.flag,
        "ship_type": v.ship_type, "ship_type_text": v.ship_type.map(varde_ais::gpsd::tables::ship_type),
        "lat": v.lat, "lon": v.lon, "sog": short(v.sog_kn), "cog": short(v.cog_deg),
        "heading": short(v.heading_deg),
        "nav_status": v.nav_status, "last_seen": rfc3339_ms(v.last_seen_ms),
    });
    if detail {
        o["length_m"] = serde_json::json!(short(v.length_m));
        o["beam_m"] = serde_json::json!(short(v.beam_m));
        o["draught_m"] = serde_json::json!(short(v.draught_m));
        o["destination"] = serde_json::json!(v.destination);
    }
    o
}

#[test]
fn the_json_is_byte_for_byte_what_the_api_wrote_before() {
    let full = VesselRecord {
        mmsi: 257_000_001,
        name: Some("NORNE \"X\"".into()),
        callsign: Some("LAXY".into()),
        imo: Some(9_123_456),
        ship_type: Some(70),
        flag: Some("NO".into()),
        length_m: Some(120.0),
        beam_m: Some(20.5),
        draught_m: Some(f64::from(7.3f32)),
        destination: Some("BERGEN".into()),
        eta_ms: Some(1_764_061_200_000),
        lat: Some(60.123_456_7),
        lon: Some(-5.25),
        sog_kn: Some(f64::from(12.3f32)),
        cog_deg: Some(181.5),
        heading_deg: Some(180.0),
        nav_status: Some(0),
        last_seen_ms: 1_764_000_000_123,
    };
    let bare = VesselRecord {
        mmsi: 1,
        ..VesselRecord::default()
    };
    let detail = serde_json::to_string(&json::VesselJson::detail(&full)).unwrap();
    assert!(
        detail.contains("\"draught_m\":7.3,") && detail.contains("\"sog\":12.3}"),
        "{detail}"
    );
    for v in [&full, &bare] {
        let list = serde_json::to_string(&json::VesselJson::list(v)).unwrap();
        assert_eq!(list, reference_json(v, false).to_string());
        let detail = serde_json::to_string(&json::VesselJson::detail(v)).unwrap();
        assert_eq!(detail, reference_json(v, true).to_string());
    }
    let view = VesselView::with([full.clone(), bare.clone()]);
    let (body, next) = view.page_json(&Query {
        limit: 1,
        ..Query::default()
    });
    assert_eq!(next, Some(1), "more after the first page");
    assert_eq!(
        String::from_utf8(body).unwrap(),
        format!("[{}]", reference_json(&bare, false))
    );
    let (body, next) = view.page_json(&Query {
        limit: 5,
        after: Some(1),
        ..Query::default()
    });
    assert_eq!(next, None);
    assert_eq!(
        String::from_utf8(body).unwrap(),
        format!("[{}]", reference_json(&full, false))
    );
}

/// The entry a page copies is the one written for the record in the view: a newer record
/// published replaces it, an older one does not, and a pruned vessel's slot reused by another
/// vessel shows that vessel's entry.
#[test]
fn a_page_shows_the_entry_of_the_record_the_view_holds() {
    let view = VesselView::with([vessel(7, 60.0, 5.0, 1_000)]);
    let page = |view: &VesselView| {
        let (body, _) = view.page_json(&Query {
            limit: 10,
            ..Query::default()
        });
        String::from_utf8(body).unwrap()
    };
    let expect = |vs: &[&VesselRecord]| {
        let items: Vec<String> = vs
            .iter()
            .map(|v| reference_json(v, false).to_string())
            .collect();
        format!("[{}]", items.join(","))
    };
    let p = view.publisher();
    let mut moved = vessel(7, 61.5, 4.25, 2_000);
    moved.name = Some("RENAMED".into());
    moved.sog_kn = Some(f64::from(9.7f32));
    p.publish(&moved);
    p.publish(&vessel(7, 0.0, 0.0, 1_500));
    assert_eq!(page(&view), expect(&[&moved]), "the newer record's entry");
    view.prune_before(3_000);
    let other = vessel(8, 59.0, 10.0, 4_000);
    p.publish(&other);
    assert_eq!(
        page(&view),
        expect(&[&other]),
        "the reused slot's new entry"
    );
}
