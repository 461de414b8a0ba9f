//! Bounds of the live service under hostile input: a flood of distinct MMSIs is capped, counted and
//! logged, and the vessels tracked before it are kept.

mod serve_harness;

use serve_harness::{wait_until, Serve, TOKEN};
use std::process::Command;

#[test]
fn a_flood_of_new_mmsis_stops_at_the_vessel_cap_and_is_counted() {
    let dir = tempfile::tempdir().unwrap();
    let sim = Command::new(env!("CARGO_BIN_EXE_varde"))
        .args(["sim", "--vessels", "60", "--hours", "1"])
        .output()
        .unwrap();
    assert!(sim.status.success());
    let feed = dir.path().join("feed.nmea");
    std::fs::write(&feed, &sim.stdout).unwrap();
    let config = dir.path().join("varde.toml");
    std::fs::write(
        &config,
        format!(
            "[serve]\nlisten = \"127.0.0.1:0\"\ntoken = \"{TOKEN}\"\ndata_dir = \"{}\"\n\n\
             [[serve.sources]]\nname = \"file\"\nkind = \"file\"\npath = \"{}\"\nspeed = 0\n\n\
             [watch.track]\nmax_vessels = 20\n",
            dir.path().join("data").display(),
            feed.display()
        ),
    )
    .unwrap();
    let mut s = Serve::start(&config, &[]);
    wait_until("the file to be read", 120, || {
        s.get("/api/sources")[0]["state"] == "done"
    });
    wait_until("refusals counted", 30, || {
        s.metric("varde_vessels_refused_total").unwrap_or(0) > 0
    });
    wait_until("the picture at its cap", 30, || {
        s.metric("varde_vessels").unwrap_or(0) == 20
    });
    let listed = s.get("/api/vessels?limit=1000");
    assert!(listed.as_array().unwrap().len() <= 20, "{listed}");
    assert!(stop(&mut s));
}

/// SIGTERM; whether the service stopped cleanly within a minute.
fn stop(s: &mut Serve) -> bool {
    s.terminate(std::time::Duration::from_secs(60))
        .is_some_and(|status| status.success())
}
