//! The service's logs through the binary's stderr: no colour codes when stderr is not a terminal,
//! one JSON object a line with `--log-json` or `log_format = "json"`, and a clear line when no
//! source is configured.

mod http_support;

use http_support::{config, Serve, TOKEN};

const NO_SOURCES: &str = "no sources configured: nothing will be ingested; add [[serve.sources]]";

#[test]
fn text_logs_to_a_pipe_have_no_colour_codes_and_say_when_no_source_is_configured() {
    let dir = tempfile::tempdir().unwrap();
    let mut server = Serve::start(&[
        "--listen",
        "127.0.0.1:0",
        "--token",
        TOKEN,
        "--data-dir",
        dir.path().to_str().unwrap(),
    ]);
    assert!(server.stop().success());
    let log = server.stderr();
    assert!(log.contains(NO_SOURCES), "{log}");
    assert!(log.contains("listening"), "{log}");
    assert!(!log.contains('\u{1b}'), "colour codes in a pipe: {log:?}");
}

#[test]
fn a_configured_source_is_not_reported_missing() {
    let (_dir, cfg) = config("[[serve.sources]]\nname = \"sim\"\nkind = \"sim\"\nvessels = 5\n");
    let mut server = Serve::start(&["--config", &cfg]);
    assert!(server.stop().success());
    let log = server.stderr();
    assert!(log.contains("listening"), "{log}");
    assert!(!log.contains("no sources configured"), "{log}");
}

#[test]
fn json_logs_are_one_object_a_line_by_flag_and_by_config() {
    let (_dir, cfg) = config("log_format = \"json\"");
    let dir = tempfile::tempdir().unwrap();
    let by_flag = [
        "--log-json",
        "--listen",
        "127.0.0.1:0",
        "--token",
        TOKEN,
        "--data-dir",
        dir.path().to_str().unwrap(),
    ];
    for args in [&by_flag[..], &["--config", &cfg][..]] {
        let mut server = Serve::start(args);
        assert!(server.stop().success());
        let log = server.stderr();
        let lines: Vec<serde_json::Value> = log
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{args:?}: {e}: {l:?}")))
            .collect();
        assert!(lines.len() >= 3, "{args:?}: {log}");
        for l in &lines {
            assert!(l["level"].is_string() && l["timestamp"].is_string(), "{l}");
        }
        let said = |m: &str| lines.iter().any(|l| l["fields"]["message"] == m);
        assert!(said(NO_SOURCES), "{args:?}: {log}");
        assert!(said("listening"), "{args:?}: {log}");
    }
}

#[test]
fn an_alert_opening_and_closing_is_one_log_line_each() {
    let sim = std::process::Command::new(env!("CARGO_BIN_EXE_varde"))
        .args([
            "sim",
            "--vessels",
            "10",
            "--hours",
            "3",
            "--scenario",
            "builtin:all",
        ])
        .output()
        .unwrap();
    assert!(sim.status.success());
    let dir = tempfile::tempdir().unwrap();
    let feed = dir.path().join("feed.nmea");
    std::fs::write(&feed, &sim.stdout).unwrap();
    let (_cfg_dir, cfg) = config(&format!(
        "[[serve.sources]]\nname = \"file\"\nkind = \"file\"\npath = \"{}\"\nspeed = 0\n",
        feed.display()
    ));
    let mut server = Serve::start(&["--config", &cfg]);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    while !server.stderr().contains("alert closed") {
        assert!(std::time::Instant::now() < deadline, "{}", server.stderr());
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    assert!(server.stop().success());
    let log = server.stderr();
    let opened: Vec<&str> = log.lines().filter(|l| l.contains("alert opened")).collect();
    assert!(!opened.is_empty(), "{log}");
    assert!(
        opened
            .iter()
            .all(|l| l.contains("kind=") && l.contains("id=")),
        "{opened:?}"
    );
    // One line per alert opened, whatever its revisions.
    let mut ids: Vec<&str> = opened
        .iter()
        .filter_map(|l| l.split_whitespace().find(|w| w.starts_with("id=")))
        .collect();
    let n = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), n, "{opened:?}");
}
