//! The PostgreSQL store against the SQLite store it stands in for: the same random batches and
//! prunes into both, then every read of the `Store` trait must answer the same, to the bit.
//!
//! Needs a PostgreSQL server with PostGIS: `VARDE_TEST_PG` (a URL; `scripts/pg start` prints
//! one and `scripts/test` exports it). Without it the tests say they skipped, except under
//! `CI=true`, where they fail.

use std::sync::atomic::{AtomicU32, Ordering};

use postgres::{Client, NoTls};
use proptest::prelude::*;
use varde_pg::PgStore;
use varde_store::{
    AlertFilter, AlertRecord, AlertState, BBox, Batch, PositionRecord, RawRecord, ReleaseRecord,
    Retention, SourceStats, SqliteStore, Store, StoreError, VesselFilter, VesselRecord,
};

const DAY: i64 = 86_400_000;
/// 2026-12-05T00:00Z: the generated times span three days from here.
const T0: i64 = 1_796_428_800_000;

fn server() -> Option<String> {
    varde_testdata::pg_server("varde-pg differential")
}

/// A store in a fresh schema of the test database (tests run in parallel and never see each
/// other's tables).
fn fresh(url: &str) -> PgStore {
    fresh_named(url).0
}

/// [`fresh`], with the schema's name.
fn fresh_named(url: &str) -> (PgStore, String) {
    static N: AtomicU32 = AtomicU32::new(0);
    let schema = format!(
        "t{}_{}_{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_micros() % 1_000_000),
        N.fetch_add(1, Ordering::Relaxed)
    );
    let store = PgStore::connect_in(url, &schema).expect("open the PostgreSQL store");
    (store, schema)
}

/// One step applied to both stores.
#[derive(Debug, Clone)]
enum Step {
    Write(Batch),
    Prune(Retention),
}

fn time() -> impl Strategy<Value = i64> {
    // Three days, on a coarse grid so equal keys happen; now and then exactly on midnight.
    prop_oneof![
        (0i64..3 * 24 * 60).prop_map(|m| T0 + m * 60_000),
        (0i64..4).prop_map(|d| T0 + d * DAY),
    ]
}

fn opt<T: std::fmt::Debug + Clone>(
    s: impl Strategy<Value = T>,
) -> impl Strategy<Value = Option<T>> {
    prop::option::of(s)
}

fn coord(limit: f64, unavailable: f64) -> impl Strategy<Value = f64> {
    prop_oneof![8 => -limit..limit, 1 => Just(unavailable), 1 => Just(-0.0)]
}

fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("KRONPRINS HAAKON".to_owned()),
        Just("ÆGIR".to_owned()),
        "[A-Z ]{0,12}"
    ]
}

fn raw() -> impl Strategy<Value = RawRecord> {
    (
        time(),
        prop::sample::select(vec!["kystverket", "sat", "local"]),
        "[ -~]{0,40}",
    )
        .prop_map(|(time_ms, source, line)| RawRecord {
            time_ms,
            source: source.to_owned(),
            line,
        })
}

fn position() -> impl Strategy<Value = PositionRecord> {
    (
        (1u32..5, time(), coord(90.0, 91.0), coord(180.0, 181.0)),
        (
            opt(0.0..102.3f64),
            opt(0.0..360.0f64),
            opt(0.0..360.0f64),
            opt(0u8..16),
        ),
        opt(prop::sample::select(vec!["kystverket", "sat"])),
    )
        .prop_map(
            |((mmsi, time_ms, lat, lon), (sog_kn, cog_deg, heading_deg, nav_status), source)| {
                PositionRecord {
                    mmsi: 257_000_000 + mmsi,
                    time_ms,
                    lat,
                    lon,
                    sog_kn,
                    cog_deg,
                    heading_deg,
                    nav_status,
                    source: source.map(str::to_owned),
                }
            },
        )
}

fn vessel() -> impl Strategy<Value = VesselRecord> {
    (
        (
            1u32..6,
            opt(name()),
            opt("[A-Z0-9]{4,7}"),
            opt(1_000_000u32..9_999_999),
        ),
        (
            opt(0u8..100),
            opt("[A-Z]{2}"),
            opt(1.0..400.0f64),
            opt(1.0..60.0f64),
            opt(0.1..25.0f64),
        ),
        (
            opt(name()),
            opt(coord(90.0, 91.0)),
            opt(coord(180.0, 181.0)),
        ),
        (
            opt(0.0..102.3f64),
            opt(0.0..360.0f64),
            opt(0.0..360.0f64),
            opt(0u8..16),
            time(),
        ),
        opt(time()),
    )
        .prop_map(
            |(
                (mmsi, name, callsign, imo),
                (ship_type, flag, length_m, beam_m, draught_m),
                (destination, lat, lon),
                (sog_kn, cog_deg, heading_deg, nav_status, last_seen_ms),
                eta_ms,
            )| VesselRecord {
                mmsi: 257_000_000 + mmsi,
                name,
                callsign,
                imo,
                ship_type,
                flag,
                length_m,
                beam_m,
                draught_m,
                destination,
                lat,
                lon,
                sog_kn,
                cog_deg,
                heading_deg,
                nav_status,
                last_seen_ms,
                eta_ms,
            },
        )
}

fn alert() -> impl Strategy<Value = AlertRecord> {
    (
        (
            0u32..5,
            0u32..4,
            prop::sample::select(vec!["zone_entry", "ais_gap", "loitering"]),
        ),
        (time(), opt(0i64..DAY), any::<bool>()),
        (
            opt(prop::sample::select(vec!["territorial_sea", "eez"])),
            opt(Just("Skagerrak 4".to_owned())),
        ),
        (
            coord(90.0, 91.0),
            coord(180.0, 181.0),
            prop::sample::select(vec!["low", "medium", "high"]),
        ),
    )
        .prop_map(
            |((n, revision, kind), (start_ms, len, open), (zone, asset), (lat, lon, sev))| {
                AlertRecord {
                    id: format!("{kind}-{n}"),
                    kind: kind.to_owned(),
                    mmsi: 257_000_000 + n,
                    start_ms,
                    end_ms: len.map(|l| start_ms + l),
                    open,
                    zone: zone.map(str::to_owned),
                    asset,
                    lat,
                    lon,
                    json: format!(
                        "{{\"severity\":\"{sev}\",\"revision\":{revision},\"text\":\"ø\"}}"
                    ),
                    revision,
                }
            },
        )
}

fn source() -> impl Strategy<Value = SourceStats> {
    (
        prop::sample::select(vec!["kystverket", "sat", "Local", "local"]),
        0u64..1_000_000,
        0u64..1_000,
        opt(time()),
    )
        .prop_map(|(name, reports, rejects, last_report_ms)| SourceStats {
            name: name.to_owned(),
            kind: "tcp".into(),
            state: "connected".into(),
            reports,
            rejects,
            last_report_ms,
        })
}

fn release() -> impl Strategy<Value = ReleaseRecord> {
    (time(), prop::sample::select(vec!["swe", "eu"]), 0u32..5).prop_map(|(time_ms, partner, n)| {
        ReleaseRecord {
            time_ms,
            partner: partner.to_owned(),
            feed: "api".into(),
            item_id: format!("vessel:{}", 257_000_000 + n),
            label: "{\"classification\":\"UNCLASSIFIED\"}".into(),
        }
    })
}

fn batch() -> impl Strategy<Value = Batch> {
    (
        prop::collection::vec(raw(), 0..12),
        prop::collection::vec(position(), 0..20),
        prop::collection::vec(vessel(), 0..8),
        prop::collection::vec(alert(), 0..8),
        prop::collection::vec(source(), 0..3),
        prop::collection::vec(release(), 0..3),
    )
        .prop_map(
            |(raw, positions, vessels, alerts, sources, releases)| Batch {
                raw,
                positions,
                vessels,
                alerts,
                sources,
                releases,
            },
        )
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        6 => batch().prop_map(Step::Write),
        1 => (opt(time()), opt(time()), opt(time()), opt(time())).prop_map(|(r, p, v, a)| {
            Step::Prune(Retention {
                raw_before_ms: r,
                positions_before_ms: p,
                vessels_before_ms: v,
                alerts_before_ms: a,
            })
        }),
    ]
}

/// Every read of the trait, on both stores, must agree.
fn same_reads(pg: &PgStore, lite: &SqliteStore) {
    assert_eq!(pg.counts().unwrap(), lite.counts().unwrap(), "counts");
    assert_eq!(pg.sources().unwrap(), lite.sources().unwrap(), "sources");
    let boxes = [
        None,
        Some(BBox::new(-10.0, -20.0, 45.0, 100.0)),
        Some(BBox::new(0.0, 100.0, 90.0, -100.0)), // across the antimeridian
        Some(BBox::new(-90.0, -180.0, 90.0, 180.0)),
    ];
    for bbox in boxes {
        for since_ms in [None, Some(T0 + DAY)] {
            for limit in [None, Some(2)] {
                let f = VesselFilter {
                    bbox,
                    since_ms,
                    limit,
                };
                assert_eq!(pg.vessels(&f).unwrap(), lite.vessels(&f).unwrap(), "{f:?}");
            }
        }
    }
    for n in 0..6 {
        let mmsi = 257_000_000 + n;
        assert_eq!(pg.vessel(mmsi).unwrap(), lite.vessel(mmsi).unwrap());
        for (from, to, limit) in [
            (i64::MIN, i64::MAX, usize::MAX),
            (T0 + DAY / 2, T0 + 2 * DAY, 5),
            (T0 + DAY, T0, 10),
            (T0, T0 + 3 * DAY, 0),
        ] {
            assert_eq!(
                pg.track(mmsi, from, to, limit).unwrap(),
                lite.track(mmsi, from, to, limit).unwrap(),
                "track {mmsi} {from} {to} {limit}"
            );
        }
    }
    for (w, (from, to)) in [
        (i64::MIN, i64::MAX),
        (T0 + DAY / 2, T0 + 2 * DAY),
        (T0 + DAY, T0),
        (T0 + 5 * DAY, i64::MAX),
    ]
    .into_iter()
    .enumerate()
    {
        let vessels = lite.tracked_vessels(from, to).unwrap();
        assert_eq!(
            pg.tracked_vessels(from, to).unwrap(),
            vessels,
            "tracked_vessels {from} {to}"
        );
        for n in 0..6 {
            let mmsi = 257_000_000 + n;
            for limit in [0, 1, 3, usize::MAX] {
                assert_eq!(
                    pg.track_page(mmsi, from, to, limit).unwrap(),
                    lite.track_page(mmsi, from, to, limit).unwrap(),
                    "track_page {mmsi} {from} {to} {limit}"
                );
            }
            // Page by page, each from just after the last point: the whole track, and a vessel
            // is listed exactly when it has a point in the window.
            let whole = lite.track(mmsi, from, to, usize::MAX).unwrap();
            assert_eq!(vessels.contains(&mmsi), !whole.is_empty(), "{mmsi} listed");
            if w >= 2 {
                continue; // the empty windows: nothing to page through
            }
            for store in [pg as &dyn Store, lite as &dyn Store] {
                let mut paged = Vec::new();
                let mut next = from;
                loop {
                    let page = store.track_page(mmsi, next, to, 2).unwrap();
                    let Some(last) = page.last() else { break };
                    next = last.time_ms + 1;
                    paged.extend(page);
                }
                assert_eq!(paged, whole, "paged track {mmsi} {from} {to}");
            }
        }
    }
    let filters = [
        AlertFilter::default(),
        AlertFilter {
            state: AlertState::Open,
            ..AlertFilter::default()
        },
        AlertFilter {
            state: AlertState::Closed,
            kind: Some("ais_gap".into()),
            ..AlertFilter::default()
        },
        AlertFilter {
            zone: Some("eez".into()),
            asset: Some("Skagerrak 4".into()),
            ..AlertFilter::default()
        },
        AlertFilter {
            severity: vec!["high".into(), "low".into()],
            mmsi: Some(257_000_001),
            ..AlertFilter::default()
        },
        AlertFilter {
            from_ms: Some(T0 + DAY),
            to_ms: Some(T0 + 2 * DAY),
            limit: Some(3),
            ..AlertFilter::default()
        },
    ];
    for f in &filters {
        assert_eq!(pg.alerts(f).unwrap(), lite.alerts(f).unwrap(), "{f:?}");
    }
    for kind in ["zone_entry", "ais_gap", "loitering"] {
        for n in 0..5 {
            let id = format!("{kind}-{n}");
            assert_eq!(pg.alert(&id).unwrap(), lite.alert(&id).unwrap(), "{id}");
            assert_eq!(
                pg.alert_revisions(&id).unwrap(),
                lite.alert_revisions(&id).unwrap(),
                "{id} revisions"
            );
        }
    }
    for (since, limit) in [(i64::MIN, usize::MAX), (T0 + DAY, 7), (T0 + 5 * DAY, 10)] {
        assert_eq!(
            pg.raw_since(since, limit).unwrap(),
            lite.raw_since(since, limit).unwrap(),
            "raw_since {since} {limit}"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn every_read_matches_the_sqlite_store(steps in prop::collection::vec(step(), 1..8)) {
        let Some(url) = server() else { return Ok(()) };
        let mut pg = fresh(&url);
        let mut lite = SqliteStore::open_in_memory().unwrap();
        for s in &steps {
            match s {
                Step::Write(b) => {
                    pg.write_batch(b).unwrap();
                    lite.write_batch(b).unwrap();
                }
                Step::Prune(r) => {
                    prop_assert_eq!(pg.prune_with(r).unwrap(), lite.prune_with(r).unwrap(), "{:?}", r);
                }
            }
            same_reads(&pg, &lite);
        }
    }
}

#[test]
fn retention_drops_whole_days_and_trims_the_one_across_the_cut() {
    let Some(url) = server() else { return };
    let mut pg = fresh(&url);
    let points: Vec<PositionRecord> = (0..4 * 24)
        .map(|h| PositionRecord {
            mmsi: 257_000_001,
            time_ms: T0 + h * 3_600_000,
            lat: 60.0,
            lon: 5.0,
            sog_kn: None,
            cog_deg: None,
            heading_deg: None,
            nav_status: None,
            source: None,
        })
        .collect();
    pg.write_batch(&Batch {
        positions: points,
        ..Batch::default()
    })
    .unwrap();
    let days: Vec<i64> = pg
        .position_partitions()
        .unwrap()
        .iter()
        .map(|r| r.0)
        .collect();
    assert_eq!(days, vec![T0, T0 + DAY, T0 + 2 * DAY, T0 + 3 * DAY]);
    // Cut at noon of the third day: two days dropped, half of the third deleted.
    let counts = pg
        .prune_with(&Retention {
            positions_before_ms: Some(T0 + 2 * DAY + DAY / 2),
            ..Retention::default()
        })
        .unwrap();
    assert_eq!(counts.positions, 2 * 24 + 12);
    let days: Vec<i64> = pg
        .position_partitions()
        .unwrap()
        .iter()
        .map(|r| r.0)
        .collect();
    assert_eq!(days, vec![T0 + 2 * DAY, T0 + 3 * DAY], "whole days dropped");
    let track = pg
        .track(257_000_001, i64::MIN, i64::MAX, usize::MAX)
        .unwrap();
    assert_eq!(track.len(), 12 + 24);
    assert_eq!(track[0].time_ms, T0 + 2 * DAY + DAY / 2);
}

#[test]
fn a_failing_batch_stores_nothing() {
    let Some(url) = server() else { return };
    let mut pg = fresh(&url);
    let bad = Batch {
        raw: vec![RawRecord {
            time_ms: T0,
            source: "kystverket".into(),
            line: "!AIVDM,1,1,,A,13aEOK?P00PD2wVMdLDRhgvL289?,0*26".into(),
        }],
        sources: vec![SourceStats {
            name: "kystverket".into(),
            kind: "tcp".into(),
            state: "connected".into(),
            reports: u64::MAX, // does not fit the column: the batch must fail as a whole
            rejects: 0,
            last_report_ms: None,
        }],
        ..Batch::default()
    };
    assert!(matches!(
        pg.write_batch(&bad),
        Err(StoreError::OutOfRange { .. })
    ));
    assert_eq!(
        pg.counts().unwrap().raw,
        0,
        "the journal line went with the failed batch"
    );
}

#[test]
fn a_newer_schema_is_refused() {
    let Some(url) = server() else { return };
    let (pg, schema) = fresh_named(&url);
    drop(pg);
    // The store just made, marked as written by a future build.
    let mut admin = Client::connect(&url, NoTls).unwrap();
    admin
        .execute(
            &format!(
                "UPDATE {schema}.varde_meta SET value = value + 1 WHERE key = 'schema_version'"
            ),
            &[],
        )
        .unwrap();
    let err = PgStore::connect_in(&url, &schema).unwrap_err();
    assert!(matches!(err, StoreError::SchemaTooNew { .. }), "{err}");
}
