//! `listen` takes host names, not only socket addresses; a failure names the address.

mod http_support;

use http_support::{command, Serve, TOKEN};

#[test]
fn listen_accepts_a_host_name_on_the_command_line_and_in_the_config() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().to_str().unwrap();
    let server = Serve::start(&[
        "--listen",
        "localhost:0",
        "--token",
        TOKEN,
        "--data-dir",
        store,
    ]);
    assert_eq!(server.get("/healthz").0, 200);
    drop(server);
    let (_cfg_dir, cfg) = http_support::config("");
    let text = std::fs::read_to_string(&cfg)
        .unwrap()
        .replace("127.0.0.1:0", "localhost:0");
    std::fs::write(&cfg, text).unwrap();
    let server = Serve::start(&["--config", &cfg]);
    assert_eq!(server.get("/healthz").0, 200);
}

#[test]
fn an_address_that_cannot_be_bound_is_named_in_the_error() {
    let busy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let busy = busy.local_addr().unwrap().to_string();
    for bad in ["localhost", "localhost:99999", busy.as_str()] {
        let out = command(&["--listen", bad, "--token", TOKEN])
            .output()
            .unwrap();
        assert!(!out.status.success(), "{bad}: started");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(bad), "{bad}: error names it: {stderr}");
    }
}
