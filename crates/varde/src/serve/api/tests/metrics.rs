//! `/metrics`: behind the token unless `metrics_public`; process and build-info metrics.

use super::*;

#[tokio::test]
async fn metrics_need_the_token_unless_public_and_the_rest_always_does() {
    let closed = Fixture::new();
    assert_eq!(
        closed.send(plain("/metrics")).await.status,
        StatusCode::UNAUTHORIZED
    );
    let open = Fixture::with(true);
    let r = open.send(plain("/metrics")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("varde_lines_total"));
    assert_eq!(
        open.send(plain("/api/vessels")).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        open.get("/metrics").await.status,
        StatusCode::OK,
        "a token does no harm"
    );
}

/// The value of the sample `name` (exact series, labels included).
fn sample(text: &str, name: &str) -> Option<f64> {
    text.lines()
        .find_map(|l| l.strip_prefix(name)?.strip_prefix(' '))
        .map(|v| v.trim().parse().unwrap())
}

#[tokio::test]
async fn metrics_carry_build_info_http_and_process_metrics() {
    let f = Fixture::new();
    let text = f.get("/metrics").await.body;
    let build = text
        .lines()
        .find(|l| l.starts_with("varde_build_info{"))
        .unwrap_or_else(|| panic!("build info in {text}"));
    let version = format!("version=\"{}\"", env!("CARGO_PKG_VERSION"));
    assert!(build.contains(&version) && build.contains("commit=\"") && build.ends_with("} 1"));
    assert_eq!(sample(&text, "varde_http_connections"), Some(0.0));
    if cfg!(target_os = "linux") {
        let rss = sample(&text, "process_resident_memory_bytes").expect("rss");
        assert!(rss > 1e6, "rss {rss}");
        assert!(sample(&text, "process_cpu_seconds_total").expect("cpu") >= 0.0);
        assert!(sample(&text, "process_open_fds").expect("fds") >= 3.0);
        assert!(sample(&text, "process_max_fds").expect("max fds") >= 3.0);
        let start = sample(&text, "process_start_time_seconds").expect("start");
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs_f64();
        assert!(
            start <= now + 1.0 && start > now - 86_400.0,
            "start {start} now {now}"
        );
    }
    for l in text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        let value = l.rsplit(' ').next().unwrap();
        assert!(value.parse::<f64>().is_ok(), "sample line {l:?}");
    }
}
