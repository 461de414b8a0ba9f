//! Shared by the partner-sharing tests (`share_partners`, `share_ogc`, `share_nmea`,
//! `share_tak`): the TCP feeds `varde serve` reads its two sources from, the `[share]` section
//! resolved as the service resolves it, labels read back from the API's JSON, GETs with a
//! partner's token, and the external peers (the Python virtualenv, recorded skips). The service
//! itself is driven by `serve_harness`.

#![allow(dead_code)]

use serde_json::Value;
use std::io::Write;
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::Command;
use std::sync::mpsc;
use varde_share::config::{PartnerEntry, Share, ShareConfig};
use varde_share::{Label, Policies, Token};

/// A feed the service connects to: lines sent are ingested from that source.
pub struct Feed {
    tx: mpsc::Sender<String>,
}

impl Feed {
    /// Listens on a loopback port; returns the feed and its address for `[[serve.sources]]`.
    pub fn listen() -> (Self, String) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap().to_string();
        let (tx, rx) = mpsc::channel::<String>();
        std::thread::spawn(move || {
            let (mut conn, _) = listener.accept().unwrap();
            for line in rx {
                if conn.write_all(format!("{line}\r\n").as_bytes()).is_err() {
                    return;
                }
            }
        });
        (Self { tx }, addr)
    }

    /// Sends `lines`, each ended with CR LF.
    pub fn send(&self, lines: &[String]) {
        for l in lines {
            self.tx.send(l.clone()).unwrap();
        }
    }
}

/// The tail of the three-partner config after `nor_and_swe`: swe's redaction (positions
/// coarsened, stations dropped) and eu, 30 minutes late.
pub const SWE_REDACTION_AND_EU: &str = r#"redact = { drop_station = true, coarsen_m = 1000 }

[[share.partners]]
id = "eu"
satisfies = ["EU"]
token = "tok-eu"
redact = { delay_min = 30 }
"#;

/// `[serve]` on a loopback port with two TCP sources, `ais` and `radar`.
pub fn serve_section(ais: &str, radar: &str) -> String {
    serve_with("", &[("ais", ais), ("radar", radar)])
}

/// `[serve]` on a loopback port with the further keys `keys` (lines) and a TCP source for each
/// `(name, address)`.
pub fn serve_with(keys: &str, sources: &[(&str, &str)]) -> String {
    let mut out = format!("[serve]\nlisten = \"127.0.0.1:0\"\n{keys}\n");
    for (name, addr) in sources {
        out.push_str(&format!(
            "[[serve.sources]]\nname = \"{name}\"\nkind = \"tcp\"\naddress = \"{addr}\"\n\n"
        ));
    }
    out
}

/// The unix second now.
pub fn now_s() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// The `[share]` of a configuration text, resolved (other sections ignored).
pub fn share_of(text: &str) -> Share {
    #[derive(serde::Deserialize)]
    struct File {
        share: ShareConfig,
    }
    toml::from_str::<File>(text)
        .unwrap()
        .share
        .resolve()
        .unwrap()
}

/// The partner `id` of `share`.
pub fn partner(share: &Share, id: &str) -> PartnerEntry {
    share
        .partners
        .iter()
        .find(|p| p.partner.id == id)
        .unwrap_or_else(|| panic!("partner {id} configured"))
        .clone()
}

/// A label back from the API's JSON form.
pub fn json_label(v: &Value) -> Label {
    let p = Policies::builtin();
    let mut l = Label::unclassified();
    for (policy, name) in v["classification"].as_object().expect("classification") {
        l = l.join(&p.label(policy, name.as_str().unwrap()).unwrap());
    }
    if let Some(to) = v["releasable_to"].as_array() {
        l = l.releasable_to(to.iter().map(|t| Token::new(t.as_str().unwrap()).unwrap()));
    }
    l.with_caveats(
        v["caveats"]
            .as_array()
            .expect("caveats")
            .iter()
            .map(|t| Token::new(t.as_str().unwrap()).unwrap()),
    )
}

/// GET `base` + `path` with a bearer `token`: status, content type and body (error statuses too).
pub fn get_with(base: &str, token: &str, path: &str) -> (u16, String, String) {
    let r = match ureq::get(&format!("{base}{path}"))
        .set("Authorization", &format!("Bearer {token}"))
        .call()
    {
        Ok(r) => r,
        Err(ureq::Error::Status(_, r)) => r,
        Err(e) => panic!("GET {path}: {e}"),
    };
    let (status, media) = (r.status(), r.content_type().to_owned());
    (status, media, r.into_string().unwrap())
}

/// Whether `CI=true` (then a missing peer is a failure, not a skip).
fn under_ci() -> bool {
    std::env::var("CI").as_deref() == Ok("true")
}

/// A visible skip: `line` on stderr and appended to `target/shared-data-skips.txt`; under
/// `CI=true` a failure saying `absent` instead.
pub fn skip<T>(absent: &str, line: &str) -> Option<T> {
    assert!(!under_ci(), "CI=true but {absent}");
    eprintln!("{line}");
    let file = varde_testdata::skips_file();
    let _ = std::fs::create_dir_all(file.parent().unwrap());
    if let Ok(mut f) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(file)
    {
        let _ = writeln!(f, "{line}");
    }
    None
}

/// The Python peers' virtualenv (`scripts/py-peers`): `$VARDE_PY_PEERS`, else `target/py-peers`.
pub fn py_peers_dir() -> PathBuf {
    std::env::var_os("VARDE_PY_PEERS").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/py-peers"),
        PathBuf::from,
    )
}

/// The virtualenv when its python exists and (with `import`) imports that module there; else a
/// recorded skip of `user` (a failure under `CI=true`).
pub fn py_peers(user: &str, import: Option<&str>) -> Option<PathBuf> {
    let venv = py_peers_dir();
    let python = venv.join("bin/python");
    let ok = match import {
        Some(module) => Command::new(&python)
            .args(["-c", &format!("import {module}")])
            .output()
            .is_ok_and(|o| o.status.success()),
        None => python.exists(),
    };
    if ok {
        return Some(venv);
    }
    let what = import.unwrap_or("the Python peers");
    skip(
        &format!(
            "{what} is absent from {} (scripts/py-peers makes it)",
            venv.display()
        ),
        &format!(
            "skipped {user}: {what} is absent from {} (run scripts/py-peers)",
            venv.display()
        ),
    )
}

/// The `[share]` the sharing tests start from: the national sensor `radar` labelled
/// `NOR BEGRENSET//REL NOR`, and two partners given `feed`, each known by `credential(id)` (a
/// TOML line, e.g. [`token`]): `nor` (NOR, NATO; cleared NOR BEGRENSET) and, last, `swe` (SWE,
/// EU), so that a test may append swe's other keys (`redact`), then its own partners.
pub fn nor_and_swe(feed: &str, credential: impl Fn(&str) -> String) -> String {
    format!(
        r#"
[share.source_labels]
radar = {{ policy = "NOR", classification = "BEGRENSET", rel = ["NOR"] }}

[[share.partners]]
id = "nor"
satisfies = ["NOR", "NATO"]
clearance = {{ NOR = "BEGRENSET" }}
feeds = ["{feed}"]
{}

[[share.partners]]
id = "swe"
satisfies = ["SWE", "EU"]
feeds = ["{feed}"]
{}
"#,
        credential("nor"),
        credential("swe")
    )
}

/// Partner `id`'s API token line: `token = "tok-ID"`.
pub fn token(id: &str) -> String {
    format!("token = \"tok-{id}\"")
}

/// `text` without partner `id`'s `[[share.partners]]` table (it must be there).
pub fn without_partner(text: &str, id: &str) -> String {
    let start = text
        .find(&format!("[[share.partners]]\nid = \"{id}\"\n"))
        .unwrap_or_else(|| panic!("partner {id} in {text}"));
    let end = text[start + 1..]
        .find("\n[[")
        .map_or(text.len(), |i| start + 1 + i + 1);
    format!("{}{}", &text[..start], &text[end..])
}
