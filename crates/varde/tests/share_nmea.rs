//! NMEA re-broadcast per partner (`[[share.nmea_out]]`) through `varde serve`, with pyais (the pinned
//! virtualenv of `scripts/py-peers`: `$VARDE_PY_PEERS`, else `target/py-peers`) as the peer: a
//! pyais `TCPConnection` on each partner's listener decodes exactly the vessels whose source
//! label that partner may receive (computed with `Partner::may_receive`, not listed by hand),
//! a multi-sentence group arrives whole, tag blocks are kept or stripped per `drop_station`.
//! Also: a client outside `allow` is closed at once; a partner with `coarsen_m` is refused an
//! NMEA listener at start; a client held back by its partner's delay loses what does not fit its
//! queue, counted, while ingest and a live client get every line; a partner whose `nmea` feed is
//! removed from the configuration is disconnected at the reload and refused after.
//!
//! Without pyais the peer test is skipped visibly (stderr and target/shared-data-skips.txt),
//! except under `CI=true`, where it fails.

mod serve_harness;
mod share_support;

use serve_harness::{position_line, wait_until, Serve};
use share_support::{
    nor_and_swe, now_s, partner, py_peers, serve_section, serve_with, share_of, token, Feed,
};
use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Read};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// nor and swe (stations dropped) given the nmea feed, and three listeners: nor's, swe's, and one
/// of nor's that allows no loopback client.
fn share() -> String {
    nor_and_swe("nmea", token) + NMEA_OUT
}

const NMEA_OUT: &str = r#"redact = { drop_station = true }

[[share.nmea_out]]
listen = "127.0.0.1:0"
partner = "nor"
allow = ["127.0.0.1/32", "::1"]

[[share.nmea_out]]
listen = "127.0.0.1:0"
partner = "swe"
allow = ["127.0.0.0/8"]

[[share.nmea_out]]
listen = "127.0.0.1:0"
partner = "nor"
allow = ["192.0.2.0/24"]
"#;

/// The virtualenv's python when pyais imports there; else a recorded skip (a failure under CI).
fn pyais() -> Option<PathBuf> {
    py_peers("share_nmea (pyais peer)", Some("pyais.stream")).map(|venv| venv.join("bin/python"))
}

/// A position report of `mmsi` split over two sentences (one group), tagged.
fn two_sentence_line(mmsi: u32, t_s: i64, lat: f64, lon: f64) -> String {
    use varde_ais::message::PositionReport;
    use varde_ais::nmea::{encode_sentences, EncodeOptions};
    let p = PositionReport {
        msg_type: 1,
        mmsi,
        speed: 100,
        lat: (lat * 600_000.0) as i32,
        lon: (lon * 600_000.0) as i32,
        second: (t_s % 60) as u8,
        ..PositionReport::default()
    };
    let opts = EncodeOptions {
        tag_time_s: Some(t_s),
        station: Some("2573999".into()),
        channel: b'A',
        seq_id: 3,
        max_chars: 16,
        group_id: 7,
        ..EncodeOptions::default()
    };
    let lines = encode_sentences(&varde_ais::AisMessage::Position(p).encode(), &opts);
    assert_eq!(lines.len(), 2, "{lines:?}");
    lines.join("\r\n")
}

/// The `n` listeners' addresses by partner, in configuration order, from the service's log.
fn listeners(s: &Serve, n: usize) -> Vec<(String, String)> {
    let mut out = Vec::new();
    wait_until("the NMEA listeners", 30, || {
        out = s
            .log
            .lock()
            .unwrap()
            .iter()
            .filter(|l| l.contains("NMEA re-broadcast listening"))
            .filter_map(|l| {
                let field = |k: &str| {
                    l.split_whitespace()
                        .find_map(|w| w.strip_prefix(k))
                        .map(str::to_owned)
                };
                Some((field("partner=")?, field("local=")?))
            })
            .collect();
        out.len() == n
    });
    out
}

/// Waits until the service has logged `n` NMEA clients connected.
fn wait_clients(s: &Serve, what: &str, n: usize) {
    wait_until(what, 30, || {
        s.log
            .lock()
            .unwrap()
            .iter()
            .filter(|l| l.contains("NMEA client connected"))
            .count()
            == n
    });
}

/// A pyais client: `(mmsi, tagged)` of each decoded message, in order, on a channel.
struct Peer {
    child: Child,
    rx: mpsc::Receiver<(u64, bool)>,
    seen: Vec<(u64, bool)>,
}

const CLIENT: &str = "
import sys
from pyais.stream import TCPConnection
host, port = sys.argv[1].rsplit(':', 1)
for msg in TCPConnection(host, port=int(port)):
    print(msg.decode().mmsi, 1 if msg.tag_block else 0, flush=True)
";

impl Peer {
    fn connect(python: &Path, addr: &str) -> Self {
        let mut child = Command::new(python)
            .args(["-c", CLIENT, addr])
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let out = BufReader::new(child.stdout.take().unwrap());
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for l in out.lines().map_while(Result::ok) {
                let mut w = l.split_whitespace();
                let (Some(m), Some(t)) = (w.next(), w.next()) else {
                    continue;
                };
                if tx.send((m.parse().unwrap(), t == "1")).is_err() {
                    return;
                }
            }
        });
        Self {
            child,
            rx,
            seen: Vec::new(),
        }
    }

    /// Reads until `mmsi` is decoded.
    fn until(&mut self, mmsi: u64) {
        while !self.seen.iter().any(|(m, _)| *m == mmsi) {
            match self.rx.recv_timeout(Duration::from_secs(30)) {
                Ok(x) => self.seen.push(x),
                Err(_) => panic!("pyais did not decode {mmsi}: {:?}", self.seen),
            }
        }
    }
}

impl Drop for Peer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn pyais_decodes_exactly_what_each_partner_may_receive() {
    let Some(python) = pyais() else { return };
    let dir = tempfile::tempdir().unwrap();
    let (ais, ais_addr) = Feed::listen();
    let (radar, radar_addr) = Feed::listen();
    let config = dir.path().join("varde.toml");
    std::fs::write(
        &config,
        format!("{}{}", serve_section(&ais_addr, &radar_addr), share()),
    )
    .unwrap();
    let s = Serve::start(&config, &[]);
    let addrs = listeners(&s, 3);
    assert_eq!(
        addrs.iter().map(|(p, _)| p.as_str()).collect::<Vec<_>>(),
        ["nor", "swe", "nor"]
    );

    // A client outside the allow-list is closed without a byte.
    let mut refused = TcpStream::connect(&addrs[2].1).unwrap();
    refused
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut buf = [0u8; 16];
    assert_eq!(refused.read(&mut buf).unwrap(), 0, "closed at once");

    let mut peers: BTreeMap<&str, Peer> = BTreeMap::new();
    peers.insert("nor", Peer::connect(&python, &addrs[0].1));
    peers.insert("swe", Peer::connect(&python, &addrs[1].1));
    wait_clients(&s, "both pyais clients connected", 2);

    let now = now_s();
    // (source, MMSI, seconds ago, lat, lon, split over two sentences)
    let reports = [
        ("ais", 257_000_001, 30, 60.1, 4.1, false),
        ("ais", 257_000_002, 20, 60.2, 4.2, false),
        ("ais", 257_000_003, 10, 60.3, 4.3, true),
        ("radar", 257_000_011, 30, 60.5, 4.5, false),
        ("radar", 257_000_012, 5, 60.6, 4.6, true),
    ];
    let sent: Vec<(&str, u32, String)> = reports
        .iter()
        .map(|&(src, mmsi, ago, lat, lon, two)| {
            let encode = if two {
                two_sentence_line
            } else {
                position_line
            };
            (src, mmsi, encode(mmsi, now - ago, lat, lon))
        })
        .collect();
    for (src, _, line) in &sent {
        let feed = if *src == "ais" { &ais } else { &radar };
        feed.send(std::slice::from_ref(line));
    }
    wait_until("every vessel ingested", 30, || {
        s.get("/api/vessels?limit=100").as_array().unwrap().len() == sent.len()
    });
    // A last open report: once a client decodes it, it has had everything before it.
    const LAST: u32 = 257_000_099;
    ais.send(&[position_line(LAST, now, 60.9, 4.9)]);

    let share = share_of(&share());
    for (id, peer) in &mut peers {
        peer.until(u64::from(LAST));
        let p = partner(&share, id);
        let want: BTreeSet<u64> = sent
            .iter()
            .filter(|(src, _, _)| p.partner.may_receive(share.label_for_source(src)))
            .map(|(_, m, _)| u64::from(*m))
            .chain([u64::from(LAST)])
            .collect();
        let got: BTreeSet<u64> = peer.seen.iter().map(|(m, _)| *m).collect();
        assert_eq!(got, want, "{id}");
        assert_eq!(
            peer.seen.len(),
            want.len(),
            "{id}: each once: {:?}",
            peer.seen
        );
        // Tag blocks name the receiving station: stripped for a partner that drops stations.
        let tagged = !p.redact.drop_station;
        assert!(
            peer.seen.iter().all(|(_, t)| *t == tagged),
            "{id}: {:?}",
            peer.seen
        );
    }
    // Releases are counted per partner on the nmea feed.
    let metrics = s.metrics();
    for id in ["nor", "swe"] {
        let n: u64 = metrics
            .lines()
            .find_map(|l| {
                l.strip_prefix(&format!(
                    "varde_share_released_total{{partner=\"{id}\",feed=\"nmea\"}} "
                ))
            })
            .unwrap_or_else(|| panic!("{metrics}"))
            .parse()
            .unwrap();
        assert_eq!(n as usize, peers[id].seen.len(), "{id}");
    }
}

/// Written in the old top-level spelling (`[[nmea_out]]`, before `[[share.nmea_out]]`): still
/// read — its listener is checked and refused — with a deprecation warning.
#[test]
fn a_partner_whose_positions_are_coarsened_gets_no_nmea_listener() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("varde.toml");
    std::fs::write(
        &config,
        "[serve]\nlisten = \"127.0.0.1:0\"\n\n\
         [[share.partners]]\nid = \"swe\"\nsatisfies = [\"SWE\"]\nfeeds = [\"nmea\"]\ntoken = \"x\"\n\
         redact = { coarsen_m = 1000 }\n\n\
         [[nmea_out]]\nlisten = \"127.0.0.1:0\"\npartner = \"swe\"\nallow = [\"127.0.0.1\"]\n",
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_varde"))
        .args([
            "serve",
            "--config",
            config.to_str().unwrap(),
            "--token",
            "t",
        ])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        err.contains("[[share.nmea_out]] #1") && err.contains("coarsen_m"),
        "{err}"
    );
    assert!(
        err.contains(
            "the top-level [[nmea_out]] section is deprecated: write it as [[share.nmea_out]]"
        ),
        "{err}"
    );
}

#[test]
fn a_slow_client_loses_counted_lines_and_a_revoked_partner_is_disconnected() {
    let dir = tempfile::tempdir().unwrap();
    let (ais, ais_addr) = Feed::listen();
    let config = dir.path().join("varde.toml");
    // "late" is an hour behind with room for 3 lines: its client takes one line and waits; the
    // queue fills at once and the rest is dropped. "live" gets everything as it comes.
    std::fs::write(
        &config,
        format!(
            "{}[[share.partners]]\nid = \"live\"\nsatisfies = [\"NOR\"]\nfeeds = [\"nmea\"]\ntoken = \"a\"\n\n\
             [[share.partners]]\nid = \"late\"\nsatisfies = [\"NOR\"]\nfeeds = [\"nmea\"]\ntoken = \"b\"\n\
             redact = {{ delay_min = 60 }}\n\n\
             [[share.nmea_out]]\nlisten = \"127.0.0.1:0\"\npartner = \"live\"\nallow = [\"127.0.0.1\"]\n\n\
             [[share.nmea_out]]\nlisten = \"127.0.0.1:0\"\npartner = \"late\"\nallow = [\"127.0.0.1\"]\nqueue_lines = 3\n",
            serve_with("", &[("ais", &ais_addr)])
        ),
    )
    .unwrap();
    let s = Serve::start(&config, &[]);
    let addrs = listeners(&s, 2);
    let live = TcpStream::connect(&addrs[0].1).unwrap();
    let mut late = TcpStream::connect(&addrs[1].1).unwrap();
    wait_clients(&s, "both clients connected", 2);
    const N: u32 = 50;
    let now = now_s();
    let lines: Vec<String> = (0..N)
        .map(|i| position_line(257_200_000 + i, now, 60.0, 5.0))
        .collect();
    ais.send(&lines);
    // Ingest is not held up by the stalled client.
    wait_until("every vessel ingested", 30, || {
        s.get("/api/vessels?limit=100").as_array().unwrap().len() == N as usize
    });
    // The live client gets every line.
    live.set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let mut reader = BufReader::new(live);
    for _ in 0..N {
        let mut l = String::new();
        assert!(reader.read_line(&mut l).unwrap() > 0, "a line");
        assert!(l.contains("!AIVDM,1,1,"), "{l}");
    }
    // The late client has received nothing yet (held an hour).
    late.set_read_timeout(Some(Duration::from_millis(500)))
        .unwrap();
    let mut buf = [0u8; 64];
    assert!(late.read(&mut buf).is_err(), "nothing is released early");
    // What did not fit in its queue is dropped and counted.
    let dropped = s
        .metric("varde_share_dropped_total{partner=\"late\"}")
        .unwrap();
    let n = u64::from(N);
    assert!((n - 5..=n - 3).contains(&dropped), "dropped {dropped}");

    // The live partner loses its nmea feed in the configuration: its connection is closed within
    // seconds of the reload, and a new one is closed at once.
    let text = std::fs::read_to_string(&config).unwrap();
    let revoked = text.replacen(
        "id = \"live\"\nsatisfies = [\"NOR\"]\nfeeds = [\"nmea\"]",
        "id = \"live\"\nsatisfies = [\"NOR\"]\nfeeds = [\"geojson\"]",
        1,
    );
    assert_ne!(text, revoked);
    std::fs::write(&config, revoked).unwrap();
    reader
        .get_ref()
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    let mut rest = Vec::new();
    assert_eq!(
        reader.read_to_end(&mut rest).map_err(|e| e.kind()),
        Ok(0),
        "closed after the reload, nothing more sent"
    );
    let mut again = TcpStream::connect(&addrs[0].1).unwrap();
    again
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    assert_eq!(again.read(&mut buf).unwrap(), 0, "refused after the reload");
}
