//! `/api/status`: what time the picture shows and how it is fed, so that no clock on the map lies.
//!
//! The picture's clock is the event time of the newest report in the view; the wall clock is this
//! server's. A run fed by the simulator says `simulation` and its speed-up, one fed by recorded files
//! says `replay` with the files' names and speed, anything else is `live`.

use super::AppState;
use crate::serve::config::{SourceConfig, SourceKind};
use axum::extract::State;
use axum::Json;
use serde_json::{json, Value};

/// How the picture is fed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    /// Live feeds (TCP, UDP) or none: event time follows the wall clock.
    #[default]
    Live,
    /// The built-in simulator (the demo).
    Simulation,
    /// Recorded files replayed by their event times.
    Replay,
}

impl Mode {
    /// The name in the API.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Live => "live",
            Self::Simulation => "simulation",
            Self::Replay => "replay",
        }
    }
}

/// What the configured sources say about time, fixed at start.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RunInfo {
    /// Simulation if any source is the simulator, else replay if any is a file, else live.
    pub mode: Mode,
    /// Playback speed over real time of the simulator or files (0: as fast as possible); `None`
    /// when live. With several, the fastest.
    pub speed: Option<f64>,
    /// File names (without their directories) of the replayed files.
    pub files: Vec<String>,
}

impl RunInfo {
    /// The run described by `sources`.
    pub fn from_sources(sources: &[SourceConfig]) -> Self {
        let mut run = Self::default();
        let fastest = |s: Option<f64>, v: f64| {
            Some(match s {
                Some(s) if s == 0.0 || v == 0.0 => 0.0,
                Some(s) => s.max(v),
                None => v,
            })
        };
        let sims: Vec<f64> = sources
            .iter()
            .filter_map(|s| match s.kind {
                SourceKind::Sim { speed, .. } => Some(speed),
                _ => None,
            })
            .collect();
        if !sims.is_empty() {
            run.mode = Mode::Simulation;
            run.speed = sims.into_iter().fold(None, fastest);
            return run;
        }
        for s in sources {
            if let SourceKind::File { path, speed } = &s.kind {
                run.mode = Mode::Replay;
                run.speed = fastest(run.speed, *speed);
                run.files.push(
                    path.file_name()
                        .unwrap_or(path.as_os_str())
                        .to_string_lossy()
                        .into_owned(),
                );
            }
        }
        run
    }
}

/// Event time of the newest report in the view (unix ms), and how many vessels it holds.
fn picture_ms(state: &AppState) -> (Option<i64>, usize) {
    let mut newest: Option<i64> = None;
    let mut n = 0usize;
    state.view.for_every(|c| {
        n += 1;
        newest = Some(newest.map_or(c.last_seen_ms, |t| t.max(c.last_seen_ms)));
    });
    (newest, n)
}

/// The picture's clock beside the wall clock, and how the picture is fed.
pub async fn get(State(state): State<AppState>) -> Json<Value> {
    let wall = crate::serve::source::now_ms();
    let (picture, vessels) = tokio::task::spawn_blocking({
        let state = state.clone();
        move || picture_ms(&state)
    })
    .await
    .unwrap_or((None, 0));
    let run = &state.run;
    Json(json!({
        "mode": run.mode.as_str(),
        "speed": run.speed,
        "files": run.files,
        "picture_time": picture.map(varde_ais::time::rfc3339_ms),
        "wall_time": varde_ais::time::rfc3339_ms(wall),
        "picture_lag_s": picture.map(|p| (wall - p) as f64 / 1000.0),
        "vessels": vessels,
        "history": state.history.backend(),
    }))
}
