//! Working an alert through a real `varde serve`: named operator accounts (tokens kept as the
//! hashes `varde operator hash-token` prints), roles (a viewer and a partner are refused, a bad
//! token is 401), each action stored with who and when and shown in the alert's history and the
//! list, refusals of actions the state does not allow, the dismissals export, the history after a
//! restart on the same store, and an account added to the configuration while the service runs.

mod serve_harness;

use serde_json::{json, Value};
use serve_harness::{hash_line, wait_until, Serve, TOKEN};
use std::path::Path;
use std::time::Duration;
use varde_store::{AlertRecord, Batch, SqliteStore, Store};

fn alert(id: &str, kind: &str, severity: &str, mmsi: u32, related: &[u32]) -> AlertRecord {
    let json = json!({
        "id": id, "kind": kind, "severity": severity, "mmsi": mmsi, "related_mmsi": related,
        "start": "2026-12-07T06:00:00Z", "lat": 60.1, "lon": 4.9, "summary": "seeded",
    });
    AlertRecord {
        id: id.into(),
        kind: kind.into(),
        mmsi,
        start_ms: 1_796_623_200_000,
        end_ms: None,
        open: true,
        zone: None,
        asset: None,
        lat: 60.1,
        lon: 4.9,
        json: json.to_string(),
        revision: 1,
    }
}

fn config(dir: &Path, data: &Path, operators: &str) -> std::path::PathBuf {
    let c = format!(
        "[serve]\nlisten = \"127.0.0.1:0\"\ntoken = \"{TOKEN}\"\ndata_dir = \"{}\"\n\n{operators}\n\
         [[share.partners]]\nid = \"nor\"\nsatisfies = [\"NOR\"]\ntoken = \"tok-nor\"\n",
        data.display()
    );
    let p = dir.join("varde.toml");
    std::fs::write(&p, c).unwrap();
    p
}

fn account(name: &str, role: &str) -> String {
    format!(
        "[[serve.operators]]\nname = \"{name}\"\nrole = \"{role}\"\n{}\n\n",
        hash_line(&format!("tok-{name}"))
    )
}

/// Status and body (JSON when it parses, else a string) of a request with `token`.
fn call(s: &Serve, method: &str, token: &str, path: &str, body: Option<Value>) -> (u16, Value) {
    s.call(method, token, path, body)
}

fn act(s: &Serve, token: &str, id: &str, body: Value) -> (u16, Value) {
    call(
        s,
        "POST",
        token,
        &format!("/api/alerts/{id}/actions"),
        Some(body),
    )
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

fn parse_rfc3339_ms(s: &str) -> i64 {
    // YYYY-MM-DDTHH:MM:SS(.mmm)Z, UTC.
    assert!(s.ends_with('Z'), "{s}");
    let n = |a: usize, b: usize| s[a..b].parse::<i64>().unwrap();
    let (y, m, d) = (n(0, 4), n(5, 7), n(8, 10));
    let y2 = if m <= 2 { y - 1 } else { y };
    let era = y2.div_euclid(400);
    let yoe = y2 - era * 400;
    let doy = (153 * ((m + 9) % 12) + 2) / 5 + d - 1;
    let days = era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468;
    let ms = if s.len() > 20 { n(20, 23) } else { 0 };
    ((days * 86_400) + n(11, 13) * 3600 + n(14, 16) * 60 + n(17, 19)) * 1000 + ms
}

#[test]
fn operators_work_alerts_and_the_history_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    {
        let mut store = SqliteStore::open(&data).unwrap();
        store
            .write_batch(&Batch {
                alerts: vec![
                    alert("a1", "rendezvous", "high", 257_000_001, &[257_000_002]),
                    alert("a2", "ais_gap", "critical", 257_000_003, &[]),
                ],
                ..Batch::default()
            })
            .unwrap();
    }
    let operators = account("kari", "operator") + &account("vera", "viewer");
    let cfg = config(dir.path(), &data, &operators);
    let mut s = Serve::start(&cfg, &[]);

    // Who the map is open as.
    let (code, me) = call(&s, "GET", "tok-kari", "/api/me", None);
    assert_eq!(code, 200, "{me}");
    assert_eq!(
        (me["name"].as_str(), me["role"].as_str()),
        (Some("kari"), Some("operator"))
    );
    assert_eq!(
        me["operators"],
        json!(["operator", "kari"]),
        "viewers are not assignable"
    );
    let (_, me) = call(&s, "GET", TOKEN, "/api/me", None);
    assert_eq!(
        (me["name"].as_str(), me["role"].as_str()),
        (Some("operator"), Some("admin"))
    );

    // Roles: a bad token, a viewer, a partner.
    assert_eq!(act(&s, "tok-nobody", "a1", json!({"action": "ack"})).0, 401);
    let (code, body) = act(&s, "tok-vera", "a1", json!({"action": "ack"}));
    assert_eq!(code, 403, "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("viewer"),
        "{body}"
    );
    assert_eq!(
        call(&s, "GET", "tok-vera", "/api/alerts", None).0,
        200,
        "viewers read"
    );
    assert_eq!(act(&s, "tok-nor", "a1", json!({"action": "ack"})).0, 403);
    assert_eq!(
        call(&s, "GET", "tok-nor", "/api/alerts/dismissals", None).0,
        403
    );
    assert_eq!(call(&s, "GET", "tok-nor", "/api/me", None).0, 403);

    // Bad requests are refused with the cause, and nothing is stored for them.
    for (body, code) in [
        (json!({"action": "shrug"}), 400),
        (json!({"action": "dismiss"}), 400),
        (json!({"action": "dismiss", "reason": "  "}), 400),
        (json!({"action": "comment"}), 400),
        (json!({"action": "assign", "to": "vera"}), 400),
        (json!({"action": "assign"}), 400),
        (json!({"action": "ack", "colour": "red"}), 400),
    ] {
        let (got, b) = act(&s, "tok-kari", "a1", body.clone());
        assert_eq!(got, code, "{body}: {b}");
        assert!(b["error"]["message"].is_string(), "{b}");
    }
    assert_eq!(act(&s, "tok-kari", "zz", json!({"action": "ack"})).0, 404);

    // The officer works a1 to a dismissal.
    let before = now_ms();
    let steps = [
        (json!({"action": "ack"}), "acknowledged"),
        (
            json!({"action": "assign", "to": "operator"}),
            "acknowledged",
        ),
        (
            json!({"action": "comment", "text": "calling the vessel on ch 16"}),
            "acknowledged",
        ),
        (
            json!({"action": "escalate", "text": "no answer"}),
            "acknowledged",
        ),
        (
            json!({"action": "dismiss", "reason": "fishing, gear out; \"known\""}),
            "dismissed",
        ),
    ];
    for (body, state) in &steps {
        let (code, wf) = act(&s, "tok-kari", "a1", body.clone());
        assert_eq!(code, 201, "{body}: {wf}");
        assert_eq!(wf["state"], *state, "{wf}");
    }
    let after = now_ms();
    assert_eq!(
        act(
            &s,
            "tok-kari",
            "a1",
            json!({"action": "escalate", "text": "x"})
        )
        .0,
        409
    );
    assert_eq!(act(&s, "tok-kari", "a1", json!({"action": "ack"})).0, 409);
    // The service's own token acts as the admin "operator".
    let (code, wf) = act(
        &s,
        TOKEN,
        "a2",
        json!({"action": "comment", "text": "watching"}),
    );
    assert_eq!(code, 201, "{wf}");
    assert_eq!(wf["history"][0]["by"], "operator");

    let one = s.get("/api/alerts/a1");
    let wf = &one["workflow"];
    assert_eq!(wf["state"], "dismissed");
    assert_eq!(wf["assignee"], "operator");
    assert_eq!(wf["escalated"], true);
    let h = wf["history"].as_array().unwrap();
    let actions: Vec<&str> = h.iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["ack", "assign", "comment", "escalate", "dismiss"]);
    for e in h {
        assert_eq!(e["by"], "kari");
        let at = parse_rfc3339_ms(e["at"].as_str().unwrap());
        assert!(
            before - 1000 <= at && at <= after + 1000,
            "{e} not in [{before}, {after}]"
        );
    }
    assert_eq!(h[1]["to"], "operator");
    assert_eq!(h[2]["text"], "calling the vessel on ch 16");
    assert_eq!(h[3]["text"], "no answer");
    assert_eq!(h[4]["reason"], "fishing, gear out; \"known\"");

    // The list carries state and assignee; a partner's view carries no workflow.
    let list = s.get("/api/alerts");
    let row = |id: &str| {
        list.as_array()
            .unwrap()
            .iter()
            .find(|a| a["id"] == id)
            .unwrap()
            .clone()
    };
    assert_eq!(row("a1")["workflow"]["state"], "dismissed");
    assert_eq!(row("a1")["workflow"]["assignee"], "operator");
    assert_eq!(row("a2")["workflow"]["state"], "new");
    assert!(
        row("a2")["workflow"].get("history").is_none(),
        "the list is a summary"
    );
    let (_, partner) = call(&s, "GET", "tok-nor", "/api/alerts", None);
    assert!(
        partner
            .as_array()
            .unwrap()
            .iter()
            .all(|a| a.get("workflow").is_none()),
        "{partner}"
    );

    // The dismissals export.
    let (code, csv) = call(&s, "GET", TOKEN, "/api/alerts/dismissals?format=csv", None);
    assert_eq!(code, 200);
    let csv = csv.as_str().unwrap().to_owned();
    let lines: Vec<&str> = csv.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(
        lines[0],
        "alert_id,kind,severity,mmsi,vessels,alert_start,dismissed_at,by,reason"
    );
    assert_eq!(lines.len(), 2, "{csv}");
    let at = h[4]["at"].as_str().unwrap();
    assert_eq!(
        lines[1],
        format!(
            "a1,rendezvous,high,257000001,257000001 257000002,2026-12-07T06:00:00Z,{at},kari,\
             \"fishing, gear out; \"\"known\"\"\""
        )
    );
    let (code, jsonl) = call(
        &s,
        "GET",
        TOKEN,
        "/api/alerts/dismissals?format=jsonl",
        None,
    );
    assert_eq!(code, 200);
    let rows: Vec<Value> = match jsonl {
        Value::String(t) => t
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect(),
        one => vec![one],
    };
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["vessels"], json!([257_000_001, 257_000_002]));
    assert_eq!(rows[0]["severity"], "high");
    assert_eq!(
        call(&s, "GET", TOKEN, "/api/alerts/dismissals?format=xml", None).0,
        400
    );

    // A restart on the same store: the history is still there, unchanged.
    assert!(s.terminate(Duration::from_secs(30)).is_some(), "stops");
    let s = Serve::start(&cfg, &[]);
    assert_eq!(s.get("/api/alerts/a1")["workflow"], one["workflow"]);
    assert_eq!(
        s.get("/api/alerts/a2")["workflow"]["history"][0]["text"],
        "watching"
    );

    // An account added to the running service's configuration is taken up.
    assert_eq!(act(&s, "tok-ola", "a2", json!({"action": "ack"})).0, 401);
    std::fs::write(
        &cfg,
        std::fs::read_to_string(&cfg).unwrap() + &account("ola", "admin"),
    )
    .unwrap();
    wait_until("the new account", 20, || {
        s.logged(&["operator accounts reloaded"])
    });
    let (code, wf) = act(&s, "tok-ola", "a2", json!({"action": "ack"}));
    assert_eq!(code, 201, "{wf}");
    assert_eq!(wf["history"][1]["by"], "ola");
}
