//! Shared by the TAK feed tests: a test PKI minted with `varde share mint-pki`, a blocking rustls
//! client, CoT event parsing (uid, type, the `<__label>` detail back to a `Label`). The sources, the `[share]`
//! and JSON labels come from `share_support`.

#![allow(dead_code)]

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName};
use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::mpsc;
use std::sync::Arc;
use std::time::{Duration, Instant};
use varde_share::{Label, Policies, Token};

/// A PKI from `varde share mint-pki`: its directory and each partner's `sha256:` fingerprint.
pub struct Pki {
    pub dir: PathBuf,
    pub fingerprints: BTreeMap<String, String>,
}

impl Pki {
    /// Mints a CA, a server certificate and client certificates for `partners` into `dir`.
    pub fn mint(dir: &Path, partners: &[&str]) -> Self {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_varde"));
        cmd.args(["share", "mint-pki", "--out", dir.to_str().unwrap()]);
        for p in partners {
            cmd.args(["--partner", p]);
        }
        let out = cmd.output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8(out.stdout).unwrap();
        let fingerprints = text
            .lines()
            .filter_map(|l| {
                let rest = l.strip_prefix("partner ")?;
                let (id, cert) = rest.split_once(": certificate = ")?;
                Some((id.to_owned(), cert.trim_matches('"').to_owned()))
            })
            .collect::<BTreeMap<_, _>>();
        assert_eq!(fingerprints.len(), partners.len(), "{text}");
        Self {
            dir: dir.to_path_buf(),
            fingerprints,
        }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// `[share.tak]` serving on `addr` with this PKI.
    pub fn tak_section(&self, addr: &str) -> String {
        format!(
            "[share.tak]\nlisten = \"{addr}\"\ncert = \"{}\"\nkey = \"{}\"\nclient_ca = \"{}\"\n",
            self.path("server.pem").display(),
            self.path("server.key").display(),
            self.path("ca.pem").display()
        )
    }
}

/// A loopback port free now.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// What a reader of a CoT stream sees.
#[derive(Debug)]
pub enum Msg {
    /// One `<?xml …?><event>…</event>` document.
    Event(String),
    /// The end: `Ok` on a clean close, `Err` with the TLS or I/O error.
    End(Result<(), String>),
}

#[allow(deprecated)] // ring: see serve::tak::tls
fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// Connects over TLS to `port`, trusting `ca`, presenting `identity` (cert, key) if any, and reads
/// CoT events on a thread.
pub fn tls_client(port: u16, ca: &Path, identity: Option<(&Path, &Path)>) -> mpsc::Receiver<Msg> {
    tls_client_sending(port, ca, identity, b"")
}

/// [`tls_client`] that first writes `first` to the server.
pub fn tls_client_sending(
    port: u16,
    ca: &Path,
    identity: Option<(&Path, &Path)>,
    first: &[u8],
) -> mpsc::Receiver<Msg> {
    let mut roots = rustls::RootCertStore::empty();
    for c in CertificateDer::pem_file_iter(ca).unwrap() {
        roots.add(c.unwrap()).unwrap();
    }
    let b = rustls::ClientConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots);
    let config = match identity {
        Some((cert, key)) => b
            .with_client_auth_cert(
                CertificateDer::pem_file_iter(cert)
                    .unwrap()
                    .map(Result::unwrap)
                    .collect(),
                PrivateKeyDer::from_pem_file(key).unwrap(),
            )
            .unwrap(),
        None => b.with_no_client_auth(),
    };
    let conn =
        rustls::ClientConnection::new(Arc::new(config), ServerName::try_from("localhost").unwrap())
            .unwrap();
    let tcp = TcpStream::connect(("127.0.0.1", port)).unwrap();
    let mut stream = rustls::StreamOwned::new(conn, tcp);
    if !first.is_empty() {
        stream.write_all(first).unwrap();
        stream.flush().unwrap();
    }
    read_events(stream)
}

/// Reads CoT events from `r` on a thread (split after each `</event>`).
pub fn read_events<R: Read + Send + 'static>(mut r: R) -> mpsc::Receiver<Msg> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut buf = Vec::new();
        let mut chunk = [0u8; 16384];
        loop {
            match r.read(&mut chunk) {
                Ok(0) => {
                    let _ = tx.send(Msg::End(Ok(())));
                    return;
                }
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
                Err(e) => {
                    let _ = tx.send(Msg::End(Err(e.to_string())));
                    return;
                }
            }
            while let Some(i) = find(&buf, b"</event>") {
                let ev: Vec<u8> = buf.drain(..i + 8).collect();
                let ev = String::from_utf8_lossy(&ev).trim().to_owned();
                if tx.send(Msg::Event(ev)).is_err() {
                    return;
                }
            }
        }
    });
    rx
}

fn find(h: &[u8], n: &[u8]) -> Option<usize> {
    h.windows(n.len()).position(|w| w == n)
}

/// Events until `done(events so far)` holds; panics on timeout or end.
pub fn until(
    rx: &mpsc::Receiver<Msg>,
    secs: u64,
    got: &mut Vec<String>,
    mut done: impl FnMut(&[String]) -> bool,
) {
    let deadline = Instant::now() + Duration::from_secs(secs);
    while !done(got) {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok(Msg::Event(e)) => got.push(e),
            Ok(Msg::End(r)) => panic!("stream ended ({r:?}) after {} events", got.len()),
            Err(_) => panic!("timed out after {} events: {:?}", got.len(), uids(got)),
        }
    }
}

/// Every event that arrives within `secs`, and how the stream ended if it did.
pub fn drain(rx: &mpsc::Receiver<Msg>, secs: f64) -> (Vec<String>, Option<Result<(), String>>) {
    let deadline = Instant::now() + Duration::from_secs_f64(secs);
    let mut got = Vec::new();
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok(Msg::Event(e)) => got.push(e),
            Ok(Msg::End(r)) => return (got, Some(r)),
            Err(_) => return (got, None),
        }
    }
}

/// The value of attribute `name` of the first element of `ev` that has it.
pub fn attr(ev: &str, name: &str) -> Option<String> {
    let pat = format!(" {name}=\"");
    let i = ev.find(&pat)? + pat.len();
    let j = ev[i..].find('"')?;
    Some(ev[i..i + j].to_owned())
}

/// The event's `<__label>` read back as a label.
pub fn event_label(ev: &str) -> Label {
    let i = ev.find("<__label").expect("a <__label> detail");
    let gt = ev[i..].find('>').unwrap() + i;
    // Self-closing when empty (as a TAK server may re-serialise it).
    let j = if ev[..gt].ends_with('/') {
        gt
    } else {
        ev[i..].find("</__label>").expect("</__label>") + i
    };
    let el = &ev[i..j];
    let p = Policies::builtin();
    let mut l = Label::unclassified();
    let mut rest = el;
    while let Some(k) = rest.find("<classification policy=\"") {
        rest = &rest[k + 24..];
        let q = rest.find('"').unwrap();
        let policy = &rest[..q];
        let gt = rest.find('>').unwrap();
        let lt = rest.find("</classification>").unwrap();
        l = l.join(&p.label(policy, &rest[gt + 1..lt]).unwrap());
    }
    let texts = |tag: &str| -> Vec<Token> {
        let (open, close) = (format!("<{tag}>"), format!("</{tag}>"));
        let mut out = Vec::new();
        let mut rest = el;
        while let Some(k) = rest.find(&open) {
            rest = &rest[k + open.len()..];
            let e = rest.find(&close).unwrap();
            out.push(Token::new(&rest[..e]).unwrap());
        }
        out
    };
    if attr(el, "rel").as_deref() == Some("list") {
        l = l.releasable_to(texts("rel"));
    }
    l.with_caveats(texts("caveat"))
}

/// The uids of events.
pub fn uids(evs: &[String]) -> Vec<String> {
    evs.iter().filter_map(|e| attr(e, "uid")).collect()
}
