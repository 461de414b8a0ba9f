//! TLS set-up of the TAK feed: the server's mutual-TLS configuration (a client certificate from the
//! configured CA is required), the push client's, and a certificate's SHA-256 fingerprint — the
//! key partners are found by (`[[share.partners]] certificate = "sha256:…"`).
//!
//! The `ring` provider is used explicitly, so the choice never depends on which other crates
//! enabled which rustls features.

use anyhow::{anyhow, Context, Result};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::server::WebPkiClientVerifier;
use rustls::{ClientConfig, RootCertStore, ServerConfig};
use std::path::Path;
use std::sync::Arc;

// ring is chosen to keep aws-lc's C out of the build; it lacks post-quantum key exchange, which
// is why rustls 0.23.48 deprecates it as the default.
#[allow(deprecated)]
fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// The certificates of a PEM file (a chain: leaf first).
pub fn certs(path: &Path) -> Result<Vec<CertificateDer<'static>>> {
    let certs = CertificateDer::pem_file_iter(path)
        .and_then(|i| i.collect::<Result<Vec<_>, _>>())
        .with_context(|| format!("cannot read certificates from {}", path.display()))?;
    if certs.is_empty() {
        return Err(anyhow!("no certificate in {}", path.display()));
    }
    Ok(certs)
}

/// The private key of a PEM file (PKCS#8, PKCS#1 or SEC1).
pub fn key(path: &Path) -> Result<PrivateKeyDer<'static>> {
    PrivateKeyDer::from_pem_file(path)
        .with_context(|| format!("cannot read a private key from {}", path.display()))
}

/// A root store of the CA certificates in `path`.
pub fn roots(path: &Path) -> Result<RootCertStore> {
    let mut roots = RootCertStore::empty();
    for c in certs(path)? {
        roots
            .add(c)
            .with_context(|| format!("bad CA certificate in {}", path.display()))?;
    }
    Ok(roots)
}

/// The server side: `cert`/`key` presented, a client certificate issued by a CA of `client_ca`
/// required (a client without one fails the handshake).
pub fn server_config(cert: &Path, key_path: &Path, client_ca: &Path) -> Result<ServerConfig> {
    let verifier =
        WebPkiClientVerifier::builder_with_provider(Arc::new(roots(client_ca)?), provider())
            .build()
            .context("client certificate verifier")?;
    ServerConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()?
        .with_client_cert_verifier(verifier)
        .with_single_cert(certs(cert)?, key(key_path)?)
        .context("server certificate and key do not match")
}

/// The client side: the server must chain to `ca`; `identity` is the client certificate and key.
pub fn client_config(ca: &Path, identity: Option<(&Path, &Path)>) -> Result<ClientConfig> {
    let b = ClientConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()?
        .with_root_certificates(roots(ca)?);
    Ok(match identity {
        Some((cert, k)) => b
            .with_client_auth_cert(certs(cert)?, key(k)?)
            .context("client certificate and key do not match")?,
        None => b.with_no_client_auth(),
    })
}

/// Lower-case hex SHA-256 of a certificate's DER (`certificate_sha256` of a partner).
pub fn fingerprint(der: &[u8]) -> String {
    let d = ring::digest::digest(&ring::digest::SHA256, der);
    d.as_ref().iter().map(|b| format!("{b:02x}")).collect()
}
