//! Cursor-on-Target to TAK peers through `varde serve` (`[share.tak]`, `[[share.tak.push]]`).
//!
//! Two sources (open AIS, and a national sensor labelled `NOR BEGRENSET//REL NOR`), partners known
//! by client certificates minted with `varde share mint-pki`:
//! - over mutual TLS with a Rust (rustls) client: no certificate or one from another CA → the
//!   handshake is refused; an unknown certificate, or a partner without the `cot` feed → the
//!   connection closes with nothing sent; each partner receives exactly the vessels and alerts
//!   releasable to it (computed from the operator's labels with `Partner::may_receive`), each
//!   event's own label admits it; a partner removed from the configuration has its stream ended
//!   and is refused when it reconnects;
//! - real peers from PyPI: a `pytak` client connects with its client certificate and receives a
//!   vessel event; Varde pushes into a `taky` server and a plain subscriber of taky reads back only
//!   what the pushed-as partner may receive;
//! - 20 partners under load: nobody receives an item not releasable to it.

mod serve_harness;
mod share_support;
mod tak_support;

use serve_harness::{position_line, wait_until, Serve};
use share_support::{
    json_label, nor_and_swe, now_s, partner, py_peers, serve_section, share_of, without_partner,
    Feed,
};
use std::collections::BTreeSet;
use std::process::{Command, Stdio};
use tak_support::*;
use varde_share::config::PartnerEntry;

/// nor and swe (positions coarsened, stations dropped) given the cot feed, eu only geojson; each
/// known by its certificate (`@ID`, replaced by the fingerprint in [`share_section`]).
fn share() -> String {
    nor_and_swe("cot", |id| format!("certificate = \"@{id}\"")) + REST
}

const REST: &str = r#"redact = { drop_station = true, coarsen_m = 1000 }

[[share.partners]]
id = "eu"
satisfies = ["EU"]
feeds = ["geojson"]
certificate = "@eu"
"#;

fn share_section(pki: &Pki) -> String {
    let mut s = share();
    for (id, fp) in &pki.fingerprints {
        s = s.replace(&format!("\"@{id}\""), &format!("\"{fp}\""));
    }
    s
}

/// The uids partner `p` may receive: the operator's vessels and (with `alerts`) alerts whose
/// labels admit it.
fn expected(s: &Serve, p: &PartnerEntry, alerts: bool) -> BTreeSet<String> {
    let mut want = BTreeSet::new();
    for v in s.get("/api/vessels").as_array().unwrap() {
        if p.partner.may_receive(&json_label(&v["label"])) {
            want.insert(format!("MMSI-{}", v["mmsi"]));
        }
    }
    if alerts {
        for a in s.get("/api/alerts").as_array().unwrap() {
            if p.partner.may_receive(&json_label(&a["label"])) {
                want.insert(format!("VARDE-ALERT-{}", a["id"].as_str().unwrap()));
            }
        }
    }
    want
}

/// Checks every event: its own label admits the partner, a vessel is a sea-surface atom of
/// neutral or unknown affiliation; `direct` (from Varde, not re-serialised by a TAK server): an
/// XML document each, the banner in `access`.
fn check_events(id: &str, p: &PartnerEntry, evs: &[String], direct: bool) {
    for ev in evs {
        assert!(ev.ends_with("</event>"), "{id}: {ev}");
        if direct {
            assert!(ev.starts_with("<?xml"), "{id}: {ev}");
            assert!(attr(ev, "access").is_some(), "{ev}");
        }
        assert!(
            p.partner.may_receive(&event_label(ev)),
            "{id} received an item not releasable to it: {ev}"
        );
        let uid = attr(ev, "uid").unwrap();
        let ty = attr(ev, "type").unwrap();
        if uid.starts_with("MMSI-") {
            assert!(ty.starts_with("a-n-S") || ty.starts_with("a-u-S"), "{ev}");
        } else {
            assert!(uid.starts_with("VARDE-ALERT-"), "{ev}");
            assert!(ev.contains("<remarks>"), "{ev}");
        }
    }
}

fn set(evs: &[String]) -> BTreeSet<String> {
    uids(evs).into_iter().collect()
}

#[test]
fn tak_partners_over_mutual_tls_get_exactly_their_releasable_events() {
    let dir = tempfile::tempdir().unwrap();
    let pki = Pki::mint(&dir.path().join("pki"), &["nor", "swe", "eu", "stranger"]);
    let other = Pki::mint(&dir.path().join("other-ca"), &["nor"]);
    let (ais, ais_addr) = Feed::listen();
    let (radar, radar_addr) = Feed::listen();
    let port = free_port();
    let head = format!(
        "{}{}",
        serve_section(&ais_addr, &radar_addr),
        pki.tak_section(&format!("127.0.0.1:{port}"))
    );
    let share_text = share_section(&pki);
    let config = dir.path().join("varde.toml");
    std::fs::write(&config, format!("{head}{share_text}")).unwrap();
    let watchlist = dir.path().join("watch.txt");
    std::fs::write(&watchlist, "273999999\n273999998\n").unwrap();
    let s = Serve::start(&config, &["--watchlist", watchlist.to_str().unwrap()]);
    wait_until("the TAK listener", 30, || {
        s.logged(&["TAK (CoT over mutual TLS) listening"])
    });
    let share = share_of(&share_text);
    let ca = pki.path("ca.pem");
    let id = |name: &str| {
        (
            pki.path(&format!("{name}.pem")),
            pki.path(&format!("{name}.key")),
        )
    };

    let now = now_s();
    ais.send(&[
        position_line(257_000_001, now - 60, 60.1, 4.1),
        position_line(257_000_002, now - 50, 60.2, 4.2),
    ]);
    radar.send(&[
        position_line(257_000_003, now - 60, 60.3, 4.3),
        position_line(257_000_004, now - 50, 60.4, 4.4),
    ]);
    wait_until("4 vessels", 30, || {
        s.get("/api/vessels").as_array().unwrap().len() == 4
    });

    // No certificate, or one from another CA: the handshake is refused.
    let (oc, ok) = (other.path("nor.pem"), other.path("nor.key"));
    for (what, rx) in [
        ("no certificate", tls_client(port, &ca, None)),
        ("another CA", tls_client(port, &ca, Some((&oc, &ok)))),
    ] {
        let (evs, end) = drain(&rx, 10.0);
        assert!(evs.is_empty(), "{what}: {evs:?}");
        assert!(
            matches!(&end, Some(Err(e)) if e.contains("alert")),
            "{what}: the handshake is refused: {end:?}"
        );
    }
    // A certificate of the CA that is no partner's, and a partner without the cot feed: nothing.
    for who in ["stranger", "eu"] {
        let (c, k) = id(who);
        let (evs, end) = drain(&tls_client(port, &ca, Some((&c, &k))), 10.0);
        assert!(evs.is_empty(), "{who}: {evs:?}");
        assert!(end.is_some(), "{who}: the connection is closed");
    }
    // The refusal is logged as the connection closes: the log line may follow the close.
    wait_until("the refusals logged", 10, || {
        s.logged(&["TAK client refused", "unknown or revoked certificate"])
            && s.logged(&["TAK client refused", "not given the cot feed"])
    });

    // Partners: first the picture now.
    let mut streams = Vec::new();
    for who in ["nor", "swe"] {
        let (c, k) = id(who);
        let rx = tls_client(port, &ca, Some((&c, &k)));
        let p = partner(&share, who);
        let want = expected(&s, &p, false);
        assert!(!want.is_empty(), "{who} may receive something");
        let mut got = Vec::new();
        until(&rx, 20, &mut got, |g| set(g).is_superset(&want));
        streams.push((who, p, rx, got));
    }
    // Then live: new vessels and watch-list alerts from both sources.
    ais.send(&[
        position_line(257_000_005, now - 10, 60.5, 4.5),
        position_line(273_999_999, now - 10, 60.6, 4.6),
    ]);
    radar.send(&[
        position_line(257_000_006, now - 10, 60.7, 4.7),
        position_line(273_999_998, now - 10, 60.8, 4.8),
    ]);
    wait_until("8 vessels and 2 alerts", 30, || {
        s.get("/api/vessels").as_array().unwrap().len() == 8
            && s.get("/api/alerts").as_array().unwrap().len() >= 2
    });
    for (who, p, rx, got) in &mut streams {
        let want = expected(&s, p, true);
        until(rx, 20, got, |g| set(g).is_superset(&want));
        let (more, end) = drain(rx, 1.5);
        assert!(end.is_none(), "{who}: stream still open");
        got.extend(more);
        assert_eq!(set(got), want, "{who}: exactly the releasable items");
        check_events(who, p, got, true);
    }
    // nor sees the national sensor's items, swe does not; swe's positions are coarsened.
    assert!(set(&streams[0].3).contains("MMSI-257000003"));
    assert!(!set(&streams[1].3).contains("MMSI-257000003"));
    assert!(set(&streams[1].3).contains("MMSI-257000001"));
    let released = s.metrics();
    assert!(
        released.contains("varde_share_released_total{partner=\"nor\",feed=\"cot\"}"),
        "{released}"
    );

    // Revocation: swe removed from the configuration → its stream ends; reconnecting gets nothing.
    let without_swe = without_partner(&share_text, "swe");
    std::fs::write(&config, format!("{head}{without_swe}")).unwrap();
    let (_, end) = drain(&streams[1].2, 15.0);
    assert!(end.is_some(), "swe's stream ends after the reload");
    let (c, k) = id("swe");
    let (evs, end) = drain(&tls_client(port, &ca, Some((&c, &k))), 10.0);
    assert!(evs.is_empty() && end.is_some(), "revoked swe gets nothing");
    // nor goes on.
    ais.send(&[position_line(257_000_007, now, 60.9, 4.9)]);
    let mut got = Vec::new();
    until(&streams[0].2, 20, &mut got, |g| {
        set(g).contains("MMSI-257000007")
    });
    // A TAK client's ping is answered with a pong.
    let (c, k) = id("nor");
    let ping = "<?xml version=\"1.0\"?>\n<event version=\"2.0\" uid=\"nor-ping\" type=\"t-x-c-t\" \
                how=\"h-g-i-g-o\" time=\"2026-01-01T00:00:00Z\" start=\"2026-01-01T00:00:00Z\" \
                stale=\"2026-01-01T00:00:20Z\"><point lat=\"0\" lon=\"0\" hae=\"0\" ce=\"9999999\" \
                le=\"9999999\"/><detail/></event>";
    let rx = tls_client_sending(port, &ca, Some((&c, &k)), ping.as_bytes());
    let mut got = Vec::new();
    until(&rx, 20, &mut got, |g| {
        g.iter()
            .any(|e| attr(e, "type").as_deref() == Some("t-x-c-t-r"))
    });
}

/// A pytak client: sends one event, exits 0 once it receives an `MMSI-…` event (printing its uid
/// and type), fails after 20 s.
const PYTAK_CLIENT: &str = r#"
import asyncio, os, sys, xml.etree.ElementTree as ET
from configparser import ConfigParser
import pytak

class Sender(pytak.QueueWorker):
    async def run(self):
        await self.put_queue(pytak.gen_cot(lat=67.9, lon=13.4, ce=10, hae=0, le=9999999,
                                           uid="PYTAK-1", stale=300, cot_type="a-f-G-U-C"))

class Receiver(pytak.QueueWorker):
    async def run(self):
        while True:
            ev = ET.fromstring(await self.queue.get())
            if ev.get("uid", "").startswith("MMSI-"):
                print("received", ev.get("uid"), ev.get("type"), flush=True)
                raise SystemExit(0)

async def main(url):
    cfg = ConfigParser()
    cfg["t"] = {"COT_URL": url, **{k: v for k, v in os.environ.items() if k.startswith("PYTAK_")}}
    tool = pytak.CLITool(cfg["t"]); await tool.setup()
    tool.add_tasks({Sender(tool.tx_queue, cfg["t"]), Receiver(tool.rx_queue, cfg["t"])})
    await tool.run()

asyncio.run(asyncio.wait_for(main(sys.argv[1]), 20))
"#;

struct Kill(std::process::Child);

impl Drop for Kill {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn real_tak_peers_pytak_client_and_taky_server() {
    let Some(py) = py_peers("real_tak_peers_pytak_client_and_taky_server", None) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let pki = Pki::mint(&dir.path().join("pki"), &["nor", "swe", "eu"]);

    // taky on loopback, plain TCP; a subscriber connected to it before Varde pushes.
    let taky_port = free_port();
    let taky_dir = dir.path().join("taky");
    std::fs::create_dir_all(taky_dir.join("dp-user")).unwrap();
    std::fs::write(
        taky_dir.join("taky.conf"),
        format!(
            "[taky]\nhostname = localhost\nnode_id = TAKY\nbind_ip = 127.0.0.1\nroot_dir = {}\n\
             [cot_server]\nport = {taky_port}\n[dp_server]\nupload_path = {}\n[ssl]\nenabled = false\n",
            taky_dir.display(),
            taky_dir.join("dp-user").display()
        ),
    )
    .unwrap();
    let _taky = Kill(
        Command::new(py.join("bin/taky"))
            .args(["-c", taky_dir.join("taky.conf").to_str().unwrap()])
            .current_dir(&taky_dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("taky starts"),
    );
    wait_until("taky listening", 30, || {
        std::net::TcpStream::connect(("127.0.0.1", taky_port)).is_ok()
    });
    let mut sub = std::net::TcpStream::connect(("127.0.0.1", taky_port)).unwrap();
    {
        use std::io::Write;
        // Announce the subscriber (taky routes to clients it knows).
        let t = "2026-01-01T00:00:00Z";
        write!(
            sub,
            "<?xml version=\"1.0\"?>\n<event version=\"2.0\" uid=\"SUB-1\" type=\"a-f-G-U-C\" \
             how=\"h-g-i-g-o\" time=\"{t}\" start=\"{t}\" stale=\"2099-01-01T00:00:00Z\">\
             <point lat=\"0\" lon=\"0\" hae=\"0\" ce=\"9999999\" le=\"9999999\"/>\
             <detail><contact callsign=\"SUB-1\"/></detail></event>"
        )
        .unwrap();
    }
    let from_taky = read_events(sub.try_clone().unwrap());

    let (ais, ais_addr) = Feed::listen();
    let (radar, radar_addr) = Feed::listen();
    let port = free_port();
    let config = dir.path().join("varde.toml");
    let share_text = share_section(&pki);
    std::fs::write(
        &config,
        format!(
            "{}{}\n[[share.tak.push]]\nurl = \"tcp://127.0.0.1:{taky_port}\"\npartner = \"swe\"\n{share_text}",
            serve_section(&ais_addr, &radar_addr),
            pki.tak_section(&format!("127.0.0.1:{port}")),
        ),
    )
    .unwrap();
    let s = Serve::start(&config, &[]);
    wait_until("the push connected to taky", 30, || {
        s.logged(&["TAK push connected"])
    });
    let now = now_s();
    ais.send(&[position_line(257_000_001, now - 30, 60.1, 4.1)]);
    radar.send(&[position_line(257_000_003, now - 30, 60.3, 4.3)]);
    wait_until("2 vessels", 30, || {
        s.get("/api/vessels").as_array().unwrap().len() == 2
    });

    // pytak, with nor's client certificate, receives a vessel from Varde's TLS port.
    let script = dir.path().join("pytak_client.py");
    std::fs::write(&script, PYTAK_CLIENT).unwrap();
    let out = Command::new(py.join("bin/python"))
        .arg(&script)
        .arg(format!("tls://localhost:{port}"))
        .env("PYTAK_TLS_CLIENT_CERT", pki.path("nor.pem"))
        .env("PYTAK_TLS_CLIENT_KEY", pki.path("nor.key"))
        .env("PYTAK_TLS_CLIENT_CAFILE", pki.path("ca.pem"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "pytak: {stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let words: Vec<&str> = stdout
        .lines()
        .find(|l| l.starts_with("received MMSI-"))
        .unwrap()
        .split_whitespace()
        .collect();
    assert!(
        words[2].starts_with("a-n-S") || words[2].starts_with("a-u-S"),
        "{stdout}"
    );
    assert!(s.logged(&["TAK partner connected", "nor"]));

    // Through taky: what swe may receive (the open vessel), never the national sensor's.
    let share = share_of(&share_text);
    let swe = partner(&share, "swe");
    let want = expected(&s, &swe, false);
    assert_eq!(want, BTreeSet::from(["MMSI-257000001".to_owned()]));
    let mut got = Vec::new();
    until(&from_taky, 20, &mut got, |g| set(g).is_superset(&want));
    let (more, _) = drain(&from_taky, 1.5);
    got.extend(more);
    let vessels: Vec<String> = got
        .iter()
        .filter(|e| attr(e, "uid").is_some_and(|u| u.starts_with("MMSI-")))
        .cloned()
        .collect();
    assert_eq!(set(&vessels), want, "taky's subscriber: {:?}", uids(&got));
    // taky re-serialises events (no declaration, no `access`); the label detail passes through.
    check_events("swe via taky", &swe, &vessels, false);
    let _ = sub.shutdown(std::net::Shutdown::Both);
}

#[test]
fn twenty_partners_under_load_receive_nothing_unreleasable() {
    let dir = tempfile::tempdir().unwrap();
    let ids: Vec<String> = (0..20).map(|i| format!("p{i:02}")).collect();
    let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
    let pki = Pki::mint(&dir.path().join("pki"), &refs);
    let (ais, ais_addr) = Feed::listen();
    let (radar, radar_addr) = Feed::listen();
    let port = free_port();
    let mut share_text = String::from(
        "[share.source_labels]\nradar = { policy = \"NOR\", classification = \"BEGRENSET\", rel = [\"NOR\"] }\n",
    );
    // Four kinds of partner: cleared for the sensor, NOR without the clearance, SWE/EU, NATO.
    for (i, id) in ids.iter().enumerate() {
        let (satisfies, clearance) = match i % 4 {
            0 => ("[\"NOR\", \"NATO\"]", "{ NOR = \"BEGRENSET\" }"),
            1 => ("[\"NOR\"]", "{}"),
            2 => ("[\"SWE\", \"EU\"]", "{}"),
            _ => ("[\"NATO\"]", "{ NATO = \"NATO RESTRICTED\" }"),
        };
        share_text.push_str(&format!(
            "\n[[share.partners]]\nid = \"{id}\"\nsatisfies = {satisfies}\nclearance = {clearance}\n\
             feeds = [\"cot\"]\ncertificate = \"{}\"\n",
            pki.fingerprints[id]
        ));
    }
    let config = dir.path().join("varde.toml");
    std::fs::write(
        &config,
        format!(
            "{}{}{share_text}",
            serve_section(&ais_addr, &radar_addr),
            pki.tak_section(&format!("127.0.0.1:{port}"))
        ),
    )
    .unwrap();
    let s = Serve::start(&config, &[]);
    wait_until("the TAK listener", 30, || {
        s.logged(&["TAK (CoT over mutual TLS) listening"])
    });
    let share = share_of(&share_text);
    let ca = pki.path("ca.pem");
    let streams: Vec<_> = ids
        .iter()
        .map(|id| {
            let (c, k) = (
                pki.path(&format!("{id}.pem")),
                pki.path(&format!("{id}.key")),
            );
            (id.clone(), tls_client(port, &ca, Some((&c, &k))))
        })
        .collect();
    wait_until("20 partners connected", 30, || {
        s.log
            .lock()
            .unwrap()
            .iter()
            .filter(|l| l.contains("TAK partner connected"))
            .count()
            == 20
    });
    // Load: 2 × 100 vessels, 5 reports each.
    let now = now_s();
    for round in 0..5i64 {
        let line = |base: u32, i: u32| {
            position_line(
                base + i,
                now - 100 + round * 10,
                60.0 + f64::from(i) * 0.01,
                4.0 + round as f64 * 0.001,
            )
        };
        ais.send(&(0..100).map(|i| line(257_100_000, i)).collect::<Vec<_>>());
        radar.send(&(0..100).map(|i| line(257_200_000, i)).collect::<Vec<_>>());
    }
    wait_until("200 vessels", 60, || {
        s.get("/api/vessels").as_array().unwrap().len() == 200
    });
    let mut received = Vec::new();
    for (id, rx) in &streams {
        let p = partner(&share, id);
        let want = expected(&s, &p, false);
        let mut got = Vec::new();
        until(rx, 30, &mut got, |g| set(g).is_superset(&want));
        received.push((p, want, got));
    }
    // Anything late would still arrive now.
    std::thread::sleep(std::time::Duration::from_millis(500));
    for ((id, rx), (p, want, mut got)) in streams.iter().zip(received) {
        got.extend(drain(rx, 0.01).0);
        assert_eq!(set(&got), want, "{id}");
        check_events(id, &p, &got, true);
    }
}
