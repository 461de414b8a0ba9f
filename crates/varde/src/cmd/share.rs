//! `varde share`: tools for sharing with partners.
//!
//! `varde share mint-pki --out DIR --partner swe --partner nor` makes a small test PKI for the TAK
//! feed: a CA (`ca.pem`, `ca.key`), a server certificate for `--host` names (`server.pem`,
//! `server.key`), and one client certificate per partner (`<id>.pem`, `<id>.key`); it prints each
//! client certificate's `certificate = "sha256:…"` line for `[[share.partners]]`. For tests and
//! trials: an operator's real PKI is its own.
//!
//! `varde share label --config varde.toml --source coastal-radar` prints the confidentiality label
//! of a source's items as STANAG 4774 XML (`ConfidentialityLabel`; several policies: one label
//! each inside `varde:labels`), for a partner's labelling or guard system; `--all` prints every
//! configured label.

use anyhow::{bail, Context, Result};
use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
    KeyUsagePurpose,
};
use std::path::{Path, PathBuf};

/// Options of `varde share`.
#[derive(Debug, clap::Args)]
pub struct ShareArgs {
    #[command(subcommand)]
    command: ShareCommand,
}

#[derive(Debug, clap::Subcommand)]
enum ShareCommand {
    /// Mint a test PKI: a CA, a server certificate and one client certificate per partner.
    MintPki(MintArgs),
    /// Print a source's confidentiality label (from `[share]`) as STANAG 4774 XML.
    Label(LabelArgs),
}

/// Options of `varde share label`.
#[derive(Debug, clap::Args)]
struct LabelArgs {
    /// The configuration file with the `[share]` section.
    #[arg(long)]
    config: PathBuf,
    /// The source (`[[serve.sources]] name`, or `layer:<id>`) whose label to print; without it,
    /// the label of a source not listed in `[share.source_labels]`.
    #[arg(long, conflicts_with = "all")]
    source: Option<String>,
    /// Every configured label, each preceded by an XML comment naming its source.
    #[arg(long)]
    all: bool,
}

/// Options of `varde share mint-pki`.
#[derive(Debug, clap::Args)]
struct MintArgs {
    /// Directory to write into (created; existing files are not overwritten).
    #[arg(long)]
    out: PathBuf,
    /// A partner id to mint a client certificate for (repeatable).
    #[arg(long = "partner", value_name = "ID")]
    partners: Vec<String>,
    /// A DNS name or IP address of the server certificate (repeatable; default localhost and
    /// 127.0.0.1).
    #[arg(long = "host", value_name = "NAME")]
    hosts: Vec<String>,
}

/// Runs `varde share …`.
pub fn run(args: &ShareArgs) -> Result<()> {
    match &args.command {
        ShareCommand::MintPki(m) => mint(m),
        ShareCommand::Label(l) => label(l),
    }
}

fn label(args: &LabelArgs) -> Result<()> {
    let cfg = crate::config::Config::load(Some(&args.config))?;
    let share = cfg
        .share
        .resolve()
        .with_context(|| format!("[share] in {}", args.config.display()))?;
    let now = crate::serve::source::now_ms();
    let xml = |l: &varde_share::Label| varde_share::stanag4774::label_xml(l, &share.policies, now);
    if args.all {
        let mut sources: Vec<_> = share.source_labels.iter().collect();
        sources.sort_by(|a, b| a.0.cmp(b.0));
        println!("<!-- default_label: {} -->", share.default_label);
        print!("{}", xml(&share.default_label));
        for (name, l) in sources {
            println!("<!-- source {}: {l} -->", name.replace("--", "- -"));
            print!("{}", xml(l));
        }
        return Ok(());
    }
    let l = match &args.source {
        Some(name) => share.label_for_source(name),
        None => &share.default_label,
    };
    print!("{}", xml(l));
    Ok(())
}

fn mint(args: &MintArgs) -> Result<()> {
    for p in &args.partners {
        if p.is_empty()
            || p == "ca"
            || p == "server"
            || !p
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.')
        {
            bail!("partner id {p:?}: use letters, digits, '-', '_' or '.' (and not ca or server)");
        }
    }
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("cannot create {}", args.out.display()))?;
    let ca_key = KeyPair::generate()?;
    let mut ca = CertificateParams::new(Vec::<String>::new())?;
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.distinguished_name
        .push(DnType::CommonName, "Varde test CA");
    ca.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    let ca_cert = ca.self_signed(&ca_key)?;
    write(&args.out, "ca.pem", &ca_cert.pem())?;
    write(&args.out, "ca.key", &ca_key.serialize_pem())?;
    let issuer = Issuer::new(ca, ca_key);

    let hosts = if args.hosts.is_empty() {
        vec!["localhost".to_owned(), "127.0.0.1".to_owned()]
    } else {
        args.hosts.clone()
    };
    let key = KeyPair::generate()?;
    let mut server = CertificateParams::new(hosts)?;
    server
        .distinguished_name
        .push(DnType::CommonName, "Varde TAK server");
    server.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    let cert = server.signed_by(&key, &issuer)?;
    write(&args.out, "server.pem", &cert.pem())?;
    write(&args.out, "server.key", &key.serialize_pem())?;
    println!("server: {}", args.out.join("server.pem").display());

    for p in &args.partners {
        let key = KeyPair::generate()?;
        let mut client = CertificateParams::new(Vec::<String>::new())?;
        client
            .distinguished_name
            .push(DnType::CommonName, p.as_str());
        client.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
        let cert = client.signed_by(&key, &issuer)?;
        write(&args.out, &format!("{p}.pem"), &cert.pem())?;
        write(&args.out, &format!("{p}.key"), &key.serialize_pem())?;
        println!(
            "partner {p}: certificate = \"sha256:{}\"",
            crate::serve::tak::tls::fingerprint(cert.der())
        );
    }
    Ok(())
}

/// Writes a new file (never over an existing one); keys readable by the owner only.
fn write(dir: &Path, name: &str, text: &str) -> Result<()> {
    use std::io::Write;
    let path = dir.join(name);
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    if name.ends_with(".key") {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    let mut f = o
        .open(&path)
        .with_context(|| format!("cannot create {} (not overwritten)", path.display()))?;
    f.write_all(text.as_bytes())
        .with_context(|| format!("cannot write {}", path.display()))
}
