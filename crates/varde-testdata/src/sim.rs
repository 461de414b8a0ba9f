//! A simulated recording with scripted incidents for a test: `varde sim --scenario builtin:all`
//! written to a folder with the incidents' asset layer, their expected outcomes and the watch list
//! they need, so a test replays or serves it with the rules it was written for.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The files of one recording, all in the folder it was written to.
#[derive(Debug, Clone)]
pub struct Recording {
    /// The feed (NMEA with tag blocks), `sim.nmea`.
    pub nmea: PathBuf,
    /// The incidents' infrastructure layer (GeoJSON), `assets.geojson`.
    pub layer: PathBuf,
    /// Every incident's expected outcome (JSON), `expect.json`.
    pub expect: PathBuf,
    /// The MMSIs the watch-list incidents need, one a line, `watch.txt`.
    pub watchlist: PathBuf,
}

impl Recording {
    /// Runs `varde` (the binary under test, `env!("CARGO_BIN_EXE_varde")`) as `sim --vessels
    /// VESSELS --hours HOURS --scenario builtin:all` plus `extra` (e.g. `--start`), writing into
    /// `dir`. Panics with sim's stderr if it fails.
    pub fn write(varde: &str, dir: &Path, vessels: u32, hours: u32, extra: &[&str]) -> Self {
        let r = Self {
            nmea: dir.join("sim.nmea"),
            layer: dir.join("assets.geojson"),
            expect: dir.join("expect.json"),
            watchlist: dir.join("watch.txt"),
        };
        let out = Command::new(varde)
            .args(["sim", "--vessels", &vessels.to_string()])
            .args(["--hours", &hours.to_string(), "--scenario", "builtin:all"])
            .arg("--layer-out")
            .arg(&r.layer)
            .arg("--expect-out")
            .arg(&r.expect)
            .arg("--watchlist-out")
            .arg(&r.watchlist)
            .args(extra)
            .output()
            .expect("varde sim starts");
        assert!(
            out.status.success(),
            "varde sim: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        std::fs::write(&r.nmea, &out.stdout).expect("the recording is written");
        r
    }

    /// `--layer LAYER --watchlist WATCHLIST`: the rules the incidents need, for `varde replay` or
    /// `varde serve`.
    pub fn rule_args(&self) -> Vec<String> {
        vec![
            "--layer".into(),
            self.layer.to_string_lossy().into_owned(),
            "--watchlist".into(),
            self.watchlist.to_string_lossy().into_owned(),
        ]
    }
}
