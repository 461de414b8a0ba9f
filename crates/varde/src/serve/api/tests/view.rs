//! The vessel endpoints answer from the in-memory view; the store's readers answer side by side
//! while the writer writes.

use super::*;
use crate::serve::pipeline::Pipeline;
use crate::serve::view::VesselView;
use varde_store::RawRecord;

/// A position report of MMSI 258282856 (moored at 67.288 N, 14.386 E) with its event time.
const LINE: &str = "\\s:2573445,c:1721088000*0F\\!BSVDM,1,1,,A,13nDEJ5000Q1naPVP:@7bn800000,0*6D";

#[tokio::test]
async fn a_vessel_seen_by_the_engine_is_served_from_the_view() {
    let mut f = Fixture::new();
    let view = VesselView::new();
    f.state.view = view.clone();
    let no_layers: &[varde_geo::LayerSpec] = &[];
    let engine = crate::setup::build_engine(crate::config::Config::default(), no_layers).unwrap();
    let live = Arc::new(crate::serve::live::LiveHub::default());
    let mut pipe = Pipeline::new(engine, live, Vec::new(), Arc::new(Metrics::default()));
    pipe.view = view.publisher();
    pipe.restore(&[RawRecord {
        time_ms: 1_721_088_000_000,
        source: "test".into(),
        line: LINE.into(),
    }]);
    // No applier runs here: the request itself brings the pending report into the view.
    let uri = "/api/vessels/258282856";
    let one = f.get(uri).await;
    assert_eq!(one.status, StatusCode::OK, "{}", one.body);
    let v = one.json();
    assert_eq!(
        (v["lat"].as_f64(), v["lon"].as_f64()),
        (Some(67.288), Some(14.386))
    );
    assert_eq!(v["nav_status"], 5);
    assert_eq!(v["last_seen"], "2024-07-16T00:00:00Z");
    let in_box = f.get("/api/vessels?bbox=14,67,15,68").await.json();
    assert_eq!(in_box.as_array().map(Vec::len), Some(1));
    assert_eq!(in_box[0]["mmsi"], 258_282_856);
    // The store never had it: the answer came from the view.
    let stored = varde_store::SqliteStore::open_reader(f._dir.path()).unwrap();
    assert_eq!(stored.vessel(258_282_856).unwrap(), None);
}

/// The `Link: <...>; rel="next"` target of a reply, if any.
fn next_link(r: &Reply) -> Option<String> {
    let l = r.headers.get(header::LINK)?.to_str().ok()?;
    assert!(l.ends_with("; rel=\"next\""), "{l}");
    Some(l[l.find('<')? + 1..l.find('>')?].to_owned())
}

#[tokio::test]
async fn the_vessel_list_pages_every_vessel_exactly_once_and_says_when_there_are_more() {
    let mut f = Fixture::new();
    let records = (0..250u32).map(|i| VesselRecord {
        mmsi: 211_000_000 + i * 13,
        lat: Some(59.0 + f64::from(i % 50) * 0.05),
        lon: Some(4.0 + f64::from(i % 7) * 0.5),
        last_seen_ms: T0 + i64::from(i),
        ..VesselRecord::default()
    });
    f.state.view = VesselView::with(records.clone());
    for (first, want) in [
        ("/api/vessels?limit=60".to_owned(), records.clone().count()),
        (
            format!(
                "/api/vessels?limit=7&bbox=4.4,59.5,6.1,61&since={}",
                T0 + 100
            ),
            records
                .clone()
                .filter(|r| {
                    let (lat, lon) = (r.lat.unwrap(), r.lon.unwrap());
                    (59.5..=61.0).contains(&lat)
                        && (4.4..=6.1).contains(&lon)
                        && r.last_seen_ms >= T0 + 100
                })
                .count(),
        ),
    ] {
        let (mut uri, mut seen, mut pages) = (first.clone(), Vec::new(), 0);
        loop {
            let r = f.get(&uri).await;
            assert_eq!(r.status, StatusCode::OK, "{uri}: {}", r.body);
            let page = r.json();
            seen.extend(
                page.as_array()
                    .unwrap()
                    .iter()
                    .map(|v| v["mmsi"].as_u64().unwrap()),
            );
            pages += 1;
            match next_link(&r) {
                Some(next) => uri = next,
                None => break,
            }
        }
        let mut unique = seen.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), seen.len(), "{first}: a vessel twice");
        assert_eq!(seen.len(), want, "{first}: every vessel");
        assert!(seen.windows(2).all(|w| w[0] < w[1]), "{first}: by MMSI");
        assert!(pages > 1, "{first}: {pages} pages");
    }
    // The default page is 20,000 vessels: one page here, and no Link.
    let all = f.get("/api/vessels").await;
    assert_eq!(all.json().as_array().map(Vec::len), Some(250));
    assert_eq!(next_link(&all), None);
    let bad = f.get("/api/vessels?after=abc").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn store_readers_answer_side_by_side_while_the_writer_writes() {
    let f = Fixture::new();
    let dir = f._dir.path().to_path_buf();
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let writer = {
        let stop = stop.clone();
        std::thread::spawn(move || {
            let mut w = SqliteStore::open(&dir).unwrap();
            let mut i = 0i64;
            // Bounded, so a slow machine does not grow the track without end.
            while !stop.load(std::sync::atomic::Ordering::Relaxed) && i < 200 {
                let mut batch = Batch::new();
                for k in 0..200 {
                    batch.positions.push(PositionRecord {
                        mmsi: MMSI,
                        time_ms: T0 + 30_000 + (i * 200 + k) * 1_000,
                        lat: 60.0,
                        lon: 5.0,
                        ..PositionRecord::default()
                    });
                }
                w.write_batch(&batch).unwrap();
                i += 1;
                std::thread::sleep(std::time::Duration::from_millis(1));
            }
            i
        })
    };
    let track = format!("/api/vessels/{MMSI}/track");
    let mut last = 0;
    for _ in 0..5 {
        let requests = (0..16).map(|i| {
            let uri = if i % 2 == 0 {
                track.clone()
            } else {
                "/api/alerts".to_owned()
            };
            let state = f.state.clone();
            tokio::spawn(async move {
                let resp = app(state).oneshot(authed(&uri)).await.unwrap();
                let status = resp.status();
                let body = axum::body::to_bytes(resp.into_body(), 1 << 28)
                    .await
                    .unwrap();
                (
                    uri,
                    status,
                    serde_json::from_slice::<serde_json::Value>(&body).unwrap(),
                )
            })
        });
        for r in futures_util::future::join_all(requests).await {
            let (uri, status, body) = r.unwrap();
            assert_eq!(status, StatusCode::OK, "{uri}: {body}");
            if uri == track {
                let n = body["geometry"]["coordinates"].as_array().unwrap().len();
                assert!(n >= 3, "the first three points are always there: {n}");
                last = last.max(n);
            } else {
                assert_eq!(body[0]["id"], ALERT);
            }
        }
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let batches = writer.join().unwrap();
    assert!(batches > 0, "the writer wrote meanwhile");
    assert!(last >= 3);
}

/// A bbox page asked for twice with nothing changed in between is the kept one (the same bytes);
/// once a newer record is published, or a vessel's label changes, the next answer shows it.
#[tokio::test]
async fn a_kept_page_is_never_served_after_the_view_or_the_labels_change() {
    let f = Fixture::new();
    let uri = "/api/vessels?bbox=4,59,6,61";
    let first = f.get(uri).await;
    let again = f.get(uri).await;
    assert_eq!(first.body, again.body);
    let m = f.get("/metrics").await.body;
    assert!(
        m.contains("varde_api_page_cache_total{result=\"hit\"} 1\n"),
        "the second answer was the kept page: {m}"
    );
    assert_eq!(again.json()[0]["lat"], 60.002);

    let publisher = f.state.view.publisher();
    publisher.publish(&VesselRecord {
        mmsi: MMSI,
        name: Some("TEST".into()),
        lat: Some(60.5),
        lon: Some(5.5),
        last_seen_ms: T0 + 30_000,
        ..VesselRecord::default()
    });
    let moved = f.get(uri).await.json();
    assert_eq!(
        (moved[0]["lat"].as_f64(), moved[0]["lon"].as_f64()),
        (Some(60.5), Some(5.5))
    );

    let before = f.get(uri).await.json();
    let secret = varde_share::Policies::builtin()
        .label("NOR", "BEGRENSET")
        .unwrap();
    let id = f.state.share.table.intern(&secret);
    f.state.share.vessels.set_all([(MMSI, id)]);
    let relabelled = f.get(uri).await.json();
    assert_ne!(before[0]["label"], relabelled[0]["label"]);
    assert_eq!(
        relabelled[0]["label"],
        serde_json::to_value(&secret).unwrap(),
        "the new label"
    );
}
