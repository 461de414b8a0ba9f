//! "View as partner": an operator asks for a partner's view (`X-Varde-View-As: <id>`,
//! `?as_partner=<id>` or the map's `varde_view_as` cookie) and gets exactly what that partner's
//! own token gets — the same items, the same redaction (coarsened positions, dropped evidence,
//! delay) — without it being a release: the release counters and the audit log do not move. A
//! partner cannot view as another partner, a viewer account cannot preview, an unknown partner is
//! 404, and the operator endpoints a partner cannot read are refused while previewing.

mod serve_harness;
mod share_support;

use serde_json::Value;
use serve_harness::{hash_line, position_line, wait_until, Serve, TOKEN};
use share_support::{nor_and_swe, now_s, serve_with, token, Feed};

use share_support::SWE_REDACTION_AND_EU as REST;

/// GET `path` with `token` and extra `headers`: status and body (JSON when it parses).
fn get(s: &Serve, token: &str, path: &str, headers: &[(&str, &str)]) -> (u16, Value) {
    let mut req =
        ureq::get(&format!("{}{path}", s.base)).set("Authorization", &format!("Bearer {token}"));
    for (k, v) in headers {
        req = req.set(k, v);
    }
    let r = match req.call() {
        Ok(r) => r,
        Err(ureq::Error::Status(_, r)) => r,
        Err(e) => panic!("GET {path}: {e}"),
    };
    let status = r.status();
    let text = r.into_string().unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

/// The sum of the samples of metric lines starting with `prefix`.
fn sum(metrics: &str, prefix: &str) -> u64 {
    metrics
        .lines()
        .filter(|l| l.starts_with(prefix))
        .filter_map(|l| l.rsplit(' ').next()?.parse::<u64>().ok())
        .sum()
}

#[test]
fn an_operator_previews_exactly_what_a_partner_receives_without_releasing_it() {
    let dir = tempfile::tempdir().unwrap();
    let (ais, ais_addr) = Feed::listen();
    let (radar, radar_addr) = Feed::listen();
    let accounts = format!(
        "[[serve.operators]]\nname = \"vera\"\nrole = \"viewer\"\n{}\n\n\
         [[serve.operators]]\nname = \"kari\"\nrole = \"operator\"\n{}\n\n",
        hash_line("tok-vera"),
        hash_line("tok-kari")
    );
    let config = dir.path().join("varde.toml");
    std::fs::write(
        &config,
        format!(
            "{}{accounts}{}{REST}",
            serve_with("", &[("ais", &ais_addr), ("radar", &radar_addr)]),
            nor_and_swe("geojson", token)
        ),
    )
    .unwrap();
    let watchlist = dir.path().join("watch.txt");
    std::fs::write(&watchlist, "273999999\n273999998\n").unwrap();
    let s = Serve::start(&config, &["--watchlist", watchlist.to_str().unwrap()]);
    let now = now_s();
    let old = now - 2 * 3600;
    ais.send(&[
        position_line(257_000_001, old, 60.1, 4.1),
        position_line(257_000_002, now - 60, 60.2, 4.2),
        position_line(273_999_999, old, 60.3, 4.3),
    ]);
    radar.send(&[
        position_line(257_000_003, old, 60.5, 4.5),
        position_line(273_999_998, old, 60.6, 4.6),
    ]);
    let len = |v: &Value| v.as_array().map_or(0, Vec::len);
    wait_until("every vessel and both watch-list alerts", 30, || {
        len(&s.get("/api/vessels")) == 5 && len(&s.get("/api/alerts")) >= 2
    });
    let paths = [
        "/api/vessels",
        "/api/vessels/257000001",
        "/api/vessels/257000003",
        "/api/vessels/257000001/track",
        "/api/alerts",
        "/api/incidents",
        "/api/layers",
    ];

    // What each partner gets with its own token (these are releases, audited).
    let mut own = Vec::new();
    for id in ["nor", "swe", "eu"] {
        let tok = format!("tok-{id}");
        for p in paths {
            own.push((id, p, get(&s, &tok, p, &[])));
        }
    }
    // The partners' views differ, so the comparison below can tell them apart.
    let vessels_of = |id: &str| {
        own.iter()
            .find(|(i, p, _)| *i == id && *p == "/api/vessels")
            .unwrap()
            .2
            .clone()
    };
    assert_ne!(vessels_of("nor"), vessels_of("swe"));
    assert_ne!(vessels_of("swe"), vessels_of("eu"));
    let alerts_of = |id: &str| {
        own.iter()
            .find(|(i, p, _)| *i == id && *p == "/api/alerts")
            .unwrap()
            .2
             .1
            .clone()
    };
    assert!(len(&alerts_of("nor")) >= 2);
    assert!(
        len(&alerts_of("swe")) < len(&alerts_of("nor")),
        "the radar's alert is not releasable to swe"
    );
    assert_eq!(vessels_of("nor").1.as_array().unwrap().len(), 5);
    let operator_vessels = get(&s, TOKEN, "/api/vessels", &[]).1;
    assert_ne!(operator_vessels, vessels_of("swe").1, "swe's are coarsened");

    let before = s.metrics();
    let released = sum(&before, "varde_share_released_total{");
    let recorded = sum(&before, "varde_audit_recorded_total ");
    assert!(released > 0 && recorded > 0, "{before}");

    // The preview: the same status and body for every path, by header (the service's token and
    // an operator account) and by query parameter.
    for (id, path, want) in &own {
        for tok in [TOKEN, "tok-kari"] {
            let got = get(&s, tok, path, &[("X-Varde-View-As", id)]);
            assert_eq!(&got, want, "{tok} viewing as {id}: {path}");
        }
        let sep = if path.contains('?') { '&' } else { '?' };
        let got = get(&s, TOKEN, &format!("{path}{sep}as_partner={id}"), &[]);
        assert_eq!(&got, want, "?as_partner={id}: {path}");
    }
    // And by the map's cookie.
    let got = get(
        &s,
        TOKEN,
        "/api/vessels",
        &[("Cookie", "varde_view_as=swe")],
    );
    assert_eq!(got, vessels_of("swe"));

    // Not a release: nothing counted, nothing audited.
    let after = s.metrics();
    assert_eq!(
        sum(&after, "varde_share_released_total{"),
        released,
        "{after}"
    );
    assert_eq!(
        sum(&after, "varde_audit_recorded_total "),
        recorded,
        "{after}"
    );

    // /api/me lists the partners to preview and which one is previewed.
    let (status, me) = get(&s, TOKEN, "/api/me", &[("X-Varde-View-As", "swe")]);
    assert_eq!(status, 200);
    assert_eq!(me["partners"], serde_json::json!(["nor", "swe", "eu"]));
    assert_eq!(me["previewing"], "swe");
    assert_eq!(get(&s, TOKEN, "/api/me", &[]).1["previewing"], Value::Null);
    assert_eq!(
        get(&s, "tok-vera", "/api/me", &[]).1["partners"],
        serde_json::json!([])
    );

    // Refusals: a partner viewing as another, a viewer previewing, an unknown partner, and an
    // operator endpoint the partner cannot read.
    let (status, body) = get(&s, "tok-swe", "/api/vessels", &[("X-Varde-View-As", "nor")]);
    assert_eq!(status, 403, "{body}");
    assert_eq!(
        get(&s, "tok-swe", "/api/vessels?as_partner=nor", &[]).0,
        403
    );
    assert_eq!(
        get(
            &s,
            "tok-vera",
            "/api/vessels",
            &[("X-Varde-View-As", "swe")]
        )
        .0,
        403
    );
    assert_eq!(
        get(&s, TOKEN, "/api/vessels", &[("X-Varde-View-As", "dk")]).0,
        404
    );
    assert_eq!(get(&s, "tok-swe", "/api/sources", &[]).0, 403);
    assert_eq!(
        get(&s, TOKEN, "/api/sources", &[("X-Varde-View-As", "swe")]).0,
        403
    );
    // Without a preview the operator still sees everything.
    assert_eq!(get(&s, TOKEN, "/api/vessels", &[]).1, operator_vessels);
    drop((ais, radar));
}
