//! The API contract against a real `varde serve`: simulated traffic with scripted incidents is
//! replayed through a file source, then every GET path of the served `/openapi.json` is called
//! (path parameters filled from the list answers before them) and each JSON answer is validated
//! against the document's schema for that path and status, formats (`date-time`) included. The
//! document is OpenAPI 3.1, so its schemas are JSON Schema 2020-12 as they stand.
//!
//! Paths are taken from the document, so a path added to it is called and checked too. A required
//! query parameter is given its `example` (or `default`, or first `enum` value).

mod serve_harness;

use serde_json::Value;
use serve_harness::{wait_until, Serve, TOKEN};
use std::collections::BTreeMap;
use varde_testdata::sim::Recording;

/// A GET with the token: status, content type and body.
fn get(s: &Serve, path: &str) -> (u16, String, String) {
    let r = ureq::get(&format!("{}{path}", s.base))
        .set("Authorization", &format!("Bearer {TOKEN}"))
        .call();
    let r = match r {
        Ok(r) => r,
        Err(ureq::Error::Status(_, r)) => r,
        Err(e) => panic!("GET {path}: {e}"),
    };
    let status = r.status();
    let ctype = r.content_type().to_owned();
    (status, ctype, r.into_string().unwrap())
}

/// Follows a local `$ref` (`#/components/...`) once.
fn deref<'a>(doc: &'a Value, v: &'a Value) -> &'a Value {
    match v.get("$ref").and_then(Value::as_str) {
        Some(r) => doc
            .pointer(r.trim_start_matches('#'))
            .unwrap_or_else(|| panic!("unresolved {r}")),
        None => v,
    }
}

/// Validates `body` against `schema`, resolving `#/components/...` in `doc`; the errors, each with
/// where in the body it is.
fn validate(doc: &Value, schema: &Value, body: &Value) -> Vec<String> {
    let mut root = schema.clone();
    root["components"] = doc["components"].clone();
    let validator = jsonschema::draft202012::options()
        .should_validate_formats(true)
        .build(&root)
        .unwrap_or_else(|e| panic!("schema {schema}: {e}"));
    validator
        .iter_errors(body)
        .take(5)
        .map(|e| format!("at {}: {e}", e.instance_path()))
        .collect()
}

/// Numbers that are an `f32` widened to `f64` (`261.20001220703125`): written at a precision the
/// data never had.
fn widened(v: &Value, at: &str, out: &mut Vec<String>) {
    match v {
        Value::Number(n) => {
            if let Some(x) = n.as_f64().filter(|_| !n.is_i64() && !n.is_u64()) {
                let f = x as f32;
                if f64::from(f) == x && x.to_string() != f.to_string() {
                    out.push(format!("{at}: {x} (an f32 {f} widened)"));
                }
            }
        }
        Value::Array(a) => a
            .iter()
            .enumerate()
            .for_each(|(i, v)| widened(v, &format!("{at}/{i}"), out)),
        Value::Object(m) => m
            .iter()
            .for_each(|(k, v)| widened(v, &format!("{at}/{k}"), out)),
        _ => {}
    }
}

/// The value of a required query parameter: its example, default or first enum value.
fn query_value(doc: &Value, path: &str, p: &Value) -> String {
    let schema = deref(doc, &p["schema"]);
    let v = [
        &p["example"],
        &schema["example"],
        &schema["default"],
        &schema["enum"][0],
    ]
    .into_iter()
    .find(|v| !v.is_null())
    .unwrap_or_else(|| {
        panic!(
            "{path}: required query parameter {} has no example, default or enum for this test to call it with",
            p["name"]
        )
    });
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[test]
fn every_get_answer_matches_the_openapi_document() {
    let dir = tempfile::tempdir().unwrap();
    let rec = Recording::write(env!("CARGO_BIN_EXE_varde"), dir.path(), 20, 3, &[]);
    let config = dir.path().join("varde.toml");
    std::fs::write(
        &config,
        format!(
            "[serve]\nlisten = \"127.0.0.1:0\"\ntoken = \"{TOKEN}\"\ndata_dir = \"{}\"\n\n\
             [[serve.sources]]\nname = \"feed\"\nkind = \"file\"\npath = \"{}\"\nspeed = 0\n",
            dir.path().join("data").display(),
            rec.nmea.display(),
        ),
    )
    .unwrap();
    let s = Serve::start(&config, &["--layer", rec.layer.to_str().unwrap()]);
    wait_until("the feed replayed", 120, || {
        s.source("feed")["state"] == "done"
    });
    // Everything read is in the store once the alerts and tracks stop growing.
    let mut last = (0, 0);
    wait_until("the store caught up", 60, || {
        let alerts = s.get("/api/alerts?limit=10000").as_array().unwrap().len();
        let vessels = s.get("/api/vessels").as_array().unwrap().len();
        let now = (alerts, vessels);
        let settled = now == last && alerts > 0;
        last = now;
        std::thread::sleep(std::time::Duration::from_millis(400));
        settled
    });

    let (status, _, text) = get(&s, "/openapi.json");
    assert_eq!(status, 200);
    let doc: Value = serde_json::from_str(&text).unwrap();
    assert!(
        doc["openapi"].as_str().unwrap().starts_with("3.1"),
        "the schemas are validated as JSON Schema 2020-12, which is what OpenAPI 3.1 uses"
    );

    // List answers by path, to fill the path parameters of the paths below them.
    let mut answers: BTreeMap<String, Value> = BTreeMap::new();
    let mut paths: Vec<(&String, &Value)> = doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .filter_map(|(p, item)| Some((p, item.get("get")?)))
        .collect();
    // Parents before children: `/api/vessels` before `/api/vessels/{mmsi}`.
    paths.sort_by_key(|(p, _)| (p.matches('{').count(), p.len()));
    let (mut checked, mut failures) = (0, Vec::new());
    let mut seen = BTreeMap::<String, usize>::new();
    for (template, op) in paths {
        let params: Vec<&Value> = op["parameters"]
            .as_array()
            .map(|a| a.iter().map(|p| deref(&doc, p)).collect())
            .unwrap_or_default();
        let query: Vec<String> = params
            .iter()
            .filter(|p| p["in"] == "query" && p["required"] == true)
            .map(|p| {
                let name = p["name"].as_str().unwrap();
                format!("{name}={}", query_value(&doc, template, p))
            })
            .collect();
        // Only JSON answers are validated (text, metrics and event streams are not called: a
        // stream never ends).
        let Some(media) = op["responses"]
            .get("200")
            .map(|r| deref(&doc, r))
            .and_then(|r| r["content"].as_object())
            .and_then(|c| c.iter().find(|(t, _)| t.ends_with("json")))
            .map(|(_, m)| m)
        else {
            continue;
        };
        for path in fill(template, &answers, &params) {
            let url = if query.is_empty() {
                path.clone()
            } else {
                format!("{path}?{}", query.join("&"))
            };
            let (status, ctype, body) = get(&s, &url);
            assert_eq!(status, 200, "GET {url}: {body}");
            assert!(ctype.ends_with("json"), "GET {url}: content type {ctype}");
            let json: Value = serde_json::from_str(&body)
                .unwrap_or_else(|e| panic!("GET {url}: not JSON: {e}: {body}"));
            for e in validate(&doc, &media["schema"], &json) {
                failures.push(format!("GET {url}: {e}"));
            }
            let mut w = Vec::new();
            widened(&json, "", &mut w);
            failures.extend(w.into_iter().take(3).map(|e| format!("GET {url}: {e}")));
            // By concrete path (the template's own when it has no parameter).
            answers.insert(path.clone(), json);
            checked += 1;
            *seen.entry(template.clone()).or_default() += 1;
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // The validator does check: a vessel with a time that is no date-time, a speed that is a
    // string, and no MMSI is rejected on all three counts.
    let vessel = &doc["paths"]["/api/vessels/{mmsi}"]["get"]["responses"]["200"]["content"]
        ["application/json"]["schema"];
    let mut bad = answers["/api/vessels"][0].clone();
    bad["last_seen"] = "yesterday".into();
    bad["sog"] = "fast".into();
    bad.as_object_mut().unwrap().remove("mmsi");
    assert_eq!(validate(&doc, vessel, &bad).len(), 3, "{bad}");
    let mut w = Vec::new();
    widened(&serde_json::json!({"cog": f64::from(261.2f32)}), "", &mut w);
    assert_eq!(w.len(), 1);
    // The traffic reached every kind of answer the schemas describe.
    for (p, min) in [
        ("/api/vessels/{mmsi}", 5),
        ("/api/vessels/{mmsi}/track", 5),
        ("/api/alerts/{id}", 10),
        ("/api/layers/{id}", 3),
    ] {
        assert!(seen.get(p).copied().unwrap_or(0) >= min, "{p}: {seen:?}");
    }
    let alerts = answers["/api/alerts"].as_array().unwrap();
    for (field, what) in [("zone", "a zone"), ("asset", "an asset"), ("end", "an end")] {
        assert!(
            alerts.iter().any(|a| !a[field].is_null()) && alerts.iter().any(|a| a[field].is_null()),
            "alerts with and without {what}"
        );
    }
    assert!(!answers["/api/incidents"].as_array().unwrap().is_empty());
    eprintln!("{checked} answers checked: {seen:?}");
}

/// The concrete paths of `template`: itself when it has no parameter, else one per value of its
/// first parameter — found in the answer of the list path above it (its items' member of that
/// name, or a FeatureCollection's feature ids), else the parameter's `enum` — at most a dozen,
/// with the track lengths and alert shapes varied; further parameters are filled the same way.
fn fill(template: &str, answers: &BTreeMap<String, Value>, params: &[&Value]) -> Vec<String> {
    let Some(open) = template.find('{') else {
        return vec![template.to_owned()];
    };
    let close = open + template[open..].find('}').unwrap();
    let name = &template[open + 1..close];
    let list = template[..open].trim_end_matches('/');
    let text = |v: &Value| match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    };
    let values: Vec<String> = match answers.get(list) {
        Some(Value::Object(fc)) if fc.get("type") == Some(&"FeatureCollection".into()) => fc
            ["features"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|f| text(&f["id"]))
            .collect(),
        Some(Value::Array(items)) => {
            let v: Vec<String> = items.iter().filter_map(|i| text(&i[name])).collect();
            assert!(
                !v.is_empty(),
                "{template}: the items of {list} have no {name}"
            );
            v
        }
        _ => params
            .iter()
            .find(|p| p["in"] == "path" && p["name"] == name)
            .and_then(|p| p["schema"]["enum"].as_array())
            .unwrap_or_else(|| {
                panic!("{template}: no list answer at {list} (nor an enum) to take {{{name}}} from")
            })
            .iter()
            .filter_map(text)
            .collect(),
    };
    if values.is_empty() {
        return Vec::new();
    }
    // Spread over the list: first, last and evenly between.
    let step = (values.len() / 12).max(1);
    let mut picked: Vec<&String> = values.iter().step_by(step).collect();
    picked.extend(values.last());
    picked.dedup();
    picked
        .into_iter()
        .map(|v| format!("{}{v}{}", &template[..open], &template[close + 1..]))
        .flat_map(|p| fill(&p, answers, params))
        .collect()
}
