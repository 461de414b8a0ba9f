//! Every query and path parameter: malformed or out-of-range values are JSON 400s (never a panic,
//! a plain-text rejection or a wrapped integer); good values pass.

use super::*;

#[tokio::test]
async fn invalid_values_are_json_400s_on_every_path() {
    let f = Fixture::new();
    let bad = [
        // vessels
        "/api/vessels?limit=-1",
        "/api/vessels?limit=abc",
        "/api/vessels?limit=1.5",
        "/api/vessels?limit=",
        "/api/vessels?limit=1&limit=2",
        "/api/vessels?since=25:61:99",
        "/api/vessels?since=2024-12-25T25:61:99Z",
        "/api/vessels?since=2024-02-30T00:00:00Z",
        "/api/vessels?since=2023-02-29T00:00:00Z",
        "/api/vessels?since=2024-13-01T00:00:00Z",
        "/api/vessels?since=2024-12-25T10:03:00.12%C3%A9Z",
        "/api/vessels?since=%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9",
        "/api/vessels?since=2024-12-25T10:03:00.%E2%82%AC",
        "/api/vessels?since=99999999999-12-25T10:03:00Z",
        "/api/vessels?since=2024-12-25T10:03:00",
        "/api/vessels?since=2024-12-25T10:03:00%2B25:00",
        "/api/vessels?since=99999999999999999999",
        "/api/vessels?since=9223372036854775807",
        "/api/vessels?since=",
        "/api/vessels?since=%ff",
        "/api/vessels?since=1764000000000%00",
        "/api/vessels?bbox=NaN,NaN,NaN,NaN",
        "/api/vessels?bbox=-inf,-90,inf,90",
        "/api/vessels?bbox=-1e999,-90,1e999,90",
        "/api/vessels?bbox=0,0,1e300,1",
        "/api/vessels?bbox=0,-91,1,1",
        "/api/vessels?bbox=5,60,4,61",
        "/api/vessels?bbox=1,2,3",
        "/api/vessels?bbox=1,2,3,4,5",
        "/api/vessels?bbox=a,b,c,d",
        // one vessel and its track
        "/api/vessels/abc",
        "/api/vessels/-1",
        "/api/vessels/4294967296",
        "/api/vessels/99999999999999999999999",
        "/api/vessels/1000000000",
        "/api/vessels/%C3%A9",
        "/api/vessels/257000001/track?from=x",
        "/api/vessels/257000001/track?to=2024-12-25T24:00:00Z",
        "/api/vessels/257000001/track?from=2024-12-26T00:00:00Z&to=2024-12-25T00:00:00Z",
        "/api/vessels/257000001/track?limit=-5",
        "/api/vessels/4294967296/track",
        // alerts and incidents share a query
        "/api/alerts?mmsi=-1",
        "/api/alerts?mmsi=4294967296",
        "/api/alerts?mmsi=abc",
        "/api/alerts?limit=-1",
        "/api/alerts?state=pending",
        "/api/alerts?from=25:61:99",
        "/api/alerts?to=%C3%A9",
        "/api/alerts?from=2024-12-25",
        "/api/incidents?mmsi=99999999999999999999",
        "/api/incidents?limit=x",
        "/api/incidents?from=2024-12-25T10:03:60.5%2B01:60",
    ];
    for uri in bad {
        let r = f.get(uri).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{uri}: {}", r.body);
        assert_eq!(r.error_code(), "bad_request", "{uri}");
        let message = r.json()["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        assert!(!message.is_empty(), "{uri}: message");
    }
}

#[tokio::test]
async fn valid_values_pass_and_huge_limits_are_capped() {
    let f = Fixture::new();
    let good = [
        "/api/vessels?limit=0",
        "/api/vessels?limit=99999999999999999999999999",
        "/api/vessels?since=2024-12-25T10:03:00Z",
        "/api/vessels?since=2024-12-25t10:03:00.123456z",
        "/api/vessels?since=2024-12-25T10:03:00%2B01:00",
        "/api/vessels?since=2024-02-29T00:00:00Z",
        "/api/vessels?since=1764000000000",
        "/api/vessels?since=-1",
        "/api/vessels?bbox=-180,-90,180,90",
        "/api/vessels?bbox=%201.5%20,59,6,61",
        "/api/vessels/257000001/track?from=2025-11-24T16:00:00Z&to=2025-11-24T16:00:10Z",
        "/api/vessels/257000001/track?limit=18446744073709551616",
        "/api/alerts?mmsi=257000001&state=open&from=0&to=1764000000000",
        "/api/alerts?limit=99999999999999999999999999",
        "/api/incidents?mmsi=257000001&kind=watchlist&zone=%C3%A9",
        "/api/alerts?kind=%ff&zone=%00",
        "/api/vessels?unknown=ignored",
    ];
    for uri in good {
        let r = f.get(uri).await;
        assert_eq!(r.status, StatusCode::OK, "{uri}: {}", r.body);
    }
    // The limit is applied, and a time range selects.
    let none = f.get("/api/vessels?limit=0").await.json();
    assert_eq!(none.as_array().unwrap().len(), 0);
    let two = f
        .get("/api/vessels/257000001/track?from=2025-11-24T16:00:00Z&to=2025-11-24T16:00:10Z")
        .await
        .json();
    assert_eq!(two["geometry"]["coordinates"].as_array().unwrap().len(), 2);
    let offset = f
        .get("/api/vessels/257000001/track?from=2025-11-24T17:00:10%2B01:00")
        .await
        .json();
    assert_eq!(
        offset["geometry"]["coordinates"].as_array().unwrap().len(),
        2
    );
}
