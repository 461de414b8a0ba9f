//! Every route of `app()`: status and content type, and the JSON errors of unknown resources.

use super::*;

#[tokio::test]
async fn every_route_answers_with_its_status_and_content_type() {
    let f = Fixture::new();
    let track = format!("/api/vessels/{MMSI}/track");
    let vessel = format!("/api/vessels/{MMSI}");
    let alert = format!("/api/alerts/{ALERT}");
    let cases: [(&str, StatusCode, &str); 16] = [
        ("/healthz", StatusCode::OK, "text/plain"),
        ("/api/vessels", StatusCode::OK, "application/json"),
        (&vessel, StatusCode::OK, "application/json"),
        (&track, StatusCode::OK, "application/json"),
        ("/api/alerts", StatusCode::OK, "application/json"),
        (&alert, StatusCode::OK, "application/json"),
        ("/api/incidents", StatusCode::OK, "application/json"),
        ("/api/layers", StatusCode::OK, "application/json"),
        ("/api/layers/zones", StatusCode::OK, "application/geo+json"),
        ("/api/sources", StatusCode::OK, "application/json"),
        ("/metrics", StatusCode::OK, "text/plain; version=0.0.4"),
        ("/openapi.json", StatusCode::OK, "application/json"),
        ("/", StatusCode::OK, "text/html"),
        ("/app.js", StatusCode::OK, "text/javascript"),
        ("/app.css", StatusCode::OK, "text/css"),
        ("/no-such-page", StatusCode::NOT_FOUND, "application/json"),
    ];
    for (uri, status, ctype) in cases {
        let r = f.get(uri).await;
        assert_eq!(r.status, status, "{uri}: {}", r.body);
        assert!(
            r.content_type().starts_with(ctype),
            "{uri}: content type {:?}, want {ctype}",
            r.content_type()
        );
    }
}

#[tokio::test]
async fn the_stream_is_server_sent_events_and_says_hello_first() {
    use http_body_util_free::first_chunk;
    let f = Fixture::new();
    let resp = app(f.state.clone())
        .oneshot(authed("/api/stream"))
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.headers()[header::CONTENT_TYPE], "text/event-stream");
    let chunk = first_chunk(resp.into_body()).await;
    assert!(chunk.starts_with("event: hello"), "{chunk:?}");
}

/// Reads one frame of a body that never ends, without another crate.
mod http_body_util_free {
    use futures_util::StreamExt;

    pub async fn first_chunk(body: axum::body::Body) -> String {
        let mut s = body.into_data_stream();
        let bytes = s.next().await.expect("a first event").expect("no error");
        String::from_utf8_lossy(&bytes).into_owned()
    }
}

#[tokio::test]
async fn resources_carry_the_stored_data() {
    let f = Fixture::new();
    let list = f.get("/api/vessels").await.json();
    assert_eq!(list[0]["mmsi"], MMSI);
    let one = f.get(&format!("/api/vessels/{MMSI}")).await.json();
    assert_eq!(one["name"], "TEST");
    let track = f.get(&format!("/api/vessels/{MMSI}/track")).await.json();
    assert_eq!(
        track["geometry"]["coordinates"].as_array().unwrap().len(),
        3
    );
    let alert = f.get(&format!("/api/alerts/{ALERT}")).await.json();
    assert_eq!(
        (alert["id"].as_str(), alert["revision"].as_u64()),
        (Some(ALERT), Some(1))
    );
    let layers = f.get("/api/layers").await.json();
    let ids: Vec<&str> = layers
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|l| l["id"].as_str())
        .collect();
    assert_eq!(ids, ["region_land", "zones", "land", "infrastructure"]);
}

#[tokio::test]
async fn unknown_resources_are_json_404s() {
    let f = Fixture::new();
    for uri in [
        "/api/vessels/257999999",
        "/api/alerts/no-such-alert",
        "/api/layers/no-such-layer",
        "/no-such-page",
        "/api/no-such-route",
    ] {
        let r = f.get(uri).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{uri}: {}", r.body);
        assert_eq!(r.error_code(), "not_found", "{uri}");
    }
}

/// The OpenAPI description and the router agree: every documented path answers (with the stored
/// vessel, alert, a layer and an OGC feature in its path parameters), and each path taking a value
/// that can be malformed documents 400.
#[tokio::test]
async fn every_documented_path_is_routed() {
    let f = Fixture::new();
    let doc = f.get("/openapi.json").await.json();
    let paths = doc["paths"].as_object().unwrap();
    assert!(paths.len() >= 13, "{paths:?}");
    // An OGC feature's id, as the collection lists it.
    let items = f.get("/ogc/collections/vessels/items?limit=1").await.json();
    let feature = match &items["features"][0]["id"] {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    // The streams never end: tested above and in tests/share_*.rs. POST-only paths (alert
    // actions) are tested through `varde serve` (tests/alert_workflow.rs).
    for (path, item) in paths.iter().filter(|(p, i)| {
        !["/api/stream", "/share/geojson"].contains(&p.as_str()) && i["get"].is_object()
    }) {
        let uri = path
            .replace("{collectionId}", "vessels")
            .replace("{featureId}", &feature)
            .replace("{mmsi}", &MMSI.to_string())
            .replace("/api/alerts/{id}", &format!("/api/alerts/{ALERT}"))
            .replace("/api/layers/{id}", "/api/layers/zones");
        // Required query parameters (search's `q`) take their documented example.
        let required: Vec<String> = item["get"]["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|p| p["in"] == "query" && p["required"] == true)
            .map(|p| {
                let example = p["example"]
                    .as_str()
                    .map(str::to_owned)
                    .or_else(|| p["schema"]["example"].as_str().map(str::to_owned))
                    .unwrap_or_else(|| panic!("{path}: required {} has no example", p["name"]));
                format!("{}={example}", p["name"].as_str().unwrap_or(""))
            })
            .collect();
        let uri = if required.is_empty() {
            uri
        } else {
            format!("{uri}?{}", required.join("&"))
        };
        let r = f.get(&uri).await;
        assert_eq!(r.status, StatusCode::OK, "{path} as {uri}: {}", r.body);
        // A path that takes a value which can be malformed documents 400: a query parameter
        // (other than the token) or a numeric path parameter. A path naming a thing by a string
        // (an alert id, an OGC collection or feature) answers an unknown one with 404.
        let malformable = item["get"]["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|p| match p["$ref"].as_str() {
                Some(r) => &doc["components"]["parameters"][r.rsplit('/').next().unwrap_or("")],
                None => p,
            })
            .any(|p| match p["in"].as_str() {
                Some("path") => p["schema"]["type"] != "string",
                _ => p["name"] != "access_token",
            });
        if malformable {
            assert!(
                item["get"]["responses"]["400"].is_object(),
                "{path} documents 400"
            );
        }
    }
}
