//! `/api/status`: the picture's clock beside the wall clock, and the run's mode.

use super::{Fixture, T0};
use crate::serve::api::status::Mode;
use crate::serve::api::RunInfo;
use crate::serve::config::{SourceConfig, SourceKind};
use std::sync::Arc;

fn source(kind: SourceKind) -> SourceConfig {
    SourceConfig {
        name: "s".into(),
        kind,
    }
}

#[tokio::test]
async fn a_simulation_says_so_with_its_speed_and_the_newest_reports_time() {
    let mut f = Fixture::new();
    f.state.run = Arc::new(RunInfo::from_sources(&[source(SourceKind::Sim {
        vessels: 10,
        speed: 20.0,
    })]));
    let before = crate::serve::source::now_ms();
    let r = f.get("/api/status").await;
    assert_eq!(r.status, 200, "{}", r.body);
    let j = r.json();
    assert_eq!(j["mode"], "simulation");
    assert_eq!(j["speed"], 20.0);
    assert_eq!(j["files"], serde_json::json!([]));
    // The fixture's only vessel was last seen at T0 + 20 s.
    assert_eq!(j["picture_time"], varde_ais::time::rfc3339_ms(T0 + 20_000));
    let after = crate::serve::source::now_ms();
    // Same fixed-width RFC 3339 form: text order is time order.
    let wall = j["wall_time"].as_str().unwrap();
    assert!(
        wall >= varde_ais::time::rfc3339_ms(before - 1).as_str()
            && wall <= varde_ais::time::rfc3339_ms(after).as_str(),
        "{j}"
    );
    let lag = j["picture_lag_s"].as_f64().unwrap();
    let (lo, hi) = (
        (before - T0 - 20_000) as f64 / 1000.0,
        (after - T0 - 20_000) as f64 / 1000.0,
    );
    assert!(lag >= lo - 0.001 && lag <= hi + 0.001, "{j}");
}

#[tokio::test]
async fn a_replay_names_its_files_and_live_has_no_speed() {
    let mut f = Fixture::new();
    f.state.run = Arc::new(RunInfo::from_sources(&[
        source(SourceKind::File {
            path: "/var/lib/varde/ais-2025-11-24.nmea.gz".into(),
            speed: 60.0,
        }),
        source(SourceKind::Udp {
            bind: "127.0.0.1:10110".parse().unwrap(),
        }),
    ]));
    let j = f.get("/api/status").await.json();
    assert_eq!(j["mode"], "replay");
    assert_eq!(j["speed"], 60.0);
    assert_eq!(j["files"], serde_json::json!(["ais-2025-11-24.nmea.gz"]));

    f.state.run = Arc::new(RunInfo::from_sources(&[source(SourceKind::Udp {
        bind: "127.0.0.1:10110".parse().unwrap(),
    })]));
    let j = f.get("/api/status").await.json();
    assert_eq!(j["mode"], "live");
    assert!(j["speed"].is_null(), "{j}");
    assert_eq!(RunInfo::default().mode, Mode::Live);
}

#[tokio::test]
async fn an_empty_picture_has_no_time_and_the_status_needs_the_token() {
    let f = Fixture::new();
    let r = f
        .send(
            axum::http::Request::get("/api/status")
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, 401);
    let mut f = Fixture::new();
    f.state.view = crate::serve::view::VesselView::new();
    let j = f.get("/api/status").await.json();
    assert!(j["picture_time"].is_null(), "{j}");
    assert_eq!(j["vessels"], 0);
}

/// `varde serve` as parsed from its command line.
#[derive(clap::Parser)]
struct Cli {
    #[command(flatten)]
    serve: crate::serve::ServeArgs,
}

fn demo_run(args: &[&str]) -> Result<RunInfo, String> {
    use clap::Parser;
    let cli = Cli::try_parse_from(std::iter::once("serve").chain(args.iter().copied()))
        .map_err(|e| e.to_string())?;
    let mut cfg = crate::config::Config::default();
    crate::serve::apply_args(&mut cfg, &cli.serve).map_err(|e| e.to_string())?;
    Ok(RunInfo::from_sources(&cfg.serve.sources))
}

#[test]
fn the_demo_runs_at_20x_unless_told_and_says_so() {
    let run = demo_run(&["--demo"]).unwrap();
    assert_eq!((run.mode, run.speed), (Mode::Simulation, Some(20.0)));
    let run = demo_run(&["--demo", "--demo-speed", "1"]).unwrap();
    assert_eq!((run.mode, run.speed), (Mode::Simulation, Some(1.0)));
    for bad in ["0", "-3", "nan", "fast", "1e9"] {
        let e = demo_run(&["--demo", &format!("--demo-speed={bad}")]).unwrap_err();
        assert!(e.contains("is not a speed"), "{bad}: {e}");
    }
    let run = demo_run(&[]).unwrap();
    assert_eq!(run.mode, Mode::Live);
}
