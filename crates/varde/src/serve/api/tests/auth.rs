//! The token check: header, query and cookie; percent-decoding; the scheme's case.

use super::*;

#[tokio::test]
async fn tokens_are_accepted_or_refused_by_header_query_and_cookie() {
    let f = Fixture::new();
    let hdr = |v: &str| {
        Request::get("/api/vessels")
            .header(header::AUTHORIZATION, v)
            .body(Body::empty())
            .unwrap()
    };
    let cookie = |v: &str| {
        Request::get("/api/vessels")
            .header(header::COOKIE, v)
            .body(Body::empty())
            .unwrap()
    };
    let cases: Vec<(&str, Request<Body>, StatusCode)> = vec![
        (
            "no credentials",
            plain("/api/vessels"),
            StatusCode::UNAUTHORIZED,
        ),
        ("bearer", hdr("Bearer s3cret"), StatusCode::OK),
        ("bearer lower case", hdr("bearer s3cret"), StatusCode::OK),
        ("bearer upper case", hdr("BEARER s3cret"), StatusCode::OK),
        ("bearer mixed case", hdr("bEaReR s3cret"), StatusCode::OK),
        ("wrong bearer", hdr("Bearer nope"), StatusCode::UNAUTHORIZED),
        (
            "basic scheme",
            hdr("Basic s3cret"),
            StatusCode::UNAUTHORIZED,
        ),
        (
            "scheme without token",
            hdr("Bearer"),
            StatusCode::UNAUTHORIZED,
        ),
        ("empty bearer", hdr("Bearer "), StatusCode::UNAUTHORIZED),
        (
            "token query",
            plain("/api/vessels?token=s3cret"),
            StatusCode::OK,
        ),
        (
            "access_token query",
            plain("/api/vessels?access_token=s3cret"),
            StatusCode::OK,
        ),
        (
            "percent-encoded query",
            plain("/api/vessels?token=s3%63ret"),
            StatusCode::OK,
        ),
        (
            "wrong query",
            plain("/api/vessels?token=s3cre"),
            StatusCode::UNAUTHORIZED,
        ),
        (
            "other parameter",
            plain("/api/vessels?tok=s3cret"),
            StatusCode::UNAUTHORIZED,
        ),
        (
            "invalid UTF-8 query",
            plain("/api/vessels?token=%ff%fe"),
            StatusCode::UNAUTHORIZED,
        ),
        ("cookie", cookie("varde_token=s3cret"), StatusCode::OK),
        (
            "cookie among others",
            cookie("a=b; varde_token=s3cret; c=d"),
            StatusCode::OK,
        ),
        (
            "percent-encoded cookie",
            cookie("varde_token=%73%33cret"),
            StatusCode::OK,
        ),
        (
            "wrong cookie",
            cookie("varde_token=x"),
            StatusCode::UNAUTHORIZED,
        ),
    ];
    for (what, req, want) in cases {
        let r = f.send(req).await;
        assert_eq!(r.status, want, "{what}: {}", r.body);
        if want == StatusCode::UNAUTHORIZED {
            assert_eq!(r.error_code(), "unauthorized", "{what}");
            assert_eq!(r.headers["www-authenticate"], "Bearer", "{what}");
        }
    }
}

/// A token with characters that must be escaped in a URL and a cookie works through the query,
/// and the cookie set in return carries it back.
#[tokio::test]
async fn a_token_with_reserved_characters_round_trips_through_query_and_cookie() {
    let mut f = Fixture::new();
    f.state.token = "a b;c%d+é".into();
    let r = f
        .send(plain("/api/vessels?token=a%20b%3Bc%25d%2B%C3%A9"))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let set = r.headers[header::SET_COOKIE].to_str().unwrap().to_owned();
    let pair = set.split(';').next().unwrap();
    let req = Request::get("/api/vessels")
        .header(header::COOKIE, pair)
        .body(Body::empty())
        .unwrap();
    assert_eq!(f.send(req).await.status, StatusCode::OK, "cookie {pair}");
    // `+` in a query is a space.
    let plus = f
        .send(plain("/api/vessels?token=a+b%3Bc%25d%2B%C3%A9"))
        .await;
    assert_eq!(plus.status, StatusCode::OK);
}

#[tokio::test]
async fn a_browser_without_a_token_gets_an_html_refusal_and_healthz_needs_none() {
    let f = Fixture::new();
    let req = Request::get("/")
        .header(header::ACCEPT, "text/html")
        .body(Body::empty())
        .unwrap();
    let r = f.send(req).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(r.content_type().starts_with("text/html"), "{r:?}");
    assert!(r.body.contains("auth-error"));
    let h = f.send(plain("/healthz")).await;
    assert_eq!((h.status, h.body.as_str()), (StatusCode::OK, "ok\n"));
}
