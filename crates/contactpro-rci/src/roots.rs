//! The roots trusted besides `ca_cert_file`. Everywhere but macOS: the operating system's, through
//! rustls-native-certs (reqwest's `rustls-tls-native-roots`). On macOS that crate reads the
//! keychain through Apple's Security framework, which the release's cross build (cargo-zigbuild,
//! no Apple SDK) cannot link; there we read the system's PEM bundle, as curl and LibreSSL on macOS
//! do, so a CA added to the keychain only is not trusted: name it in `ca_cert_file`.

use std::path::Path;

use crate::error::ClientError;

/// The system bundle on macOS: `SSL_CERT_FILE` when set, as rustls-native-certs honours it.
#[cfg(target_os = "macos")]
pub const SYSTEM_BUNDLE: &str = "/etc/ssl/cert.pem";

/// Adds the roots the client trusts besides `ca_cert_file`.
#[cfg(not(target_os = "macos"))]
pub fn add_system_roots(
    builder: reqwest::ClientBuilder,
) -> Result<reqwest::ClientBuilder, ClientError> {
    // reqwest loads them itself (`rustls-tls-native-roots`).
    Ok(builder)
}

/// Adds the roots the client trusts besides `ca_cert_file`.
#[cfg(target_os = "macos")]
pub fn add_system_roots(
    mut builder: reqwest::ClientBuilder,
) -> Result<reqwest::ClientBuilder, ClientError> {
    let path = std::env::var_os("SSL_CERT_FILE")
        .filter(|p| !p.is_empty())
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| SYSTEM_BUNDLE.into());
    for cert in bundle(&path)? {
        builder = builder.add_root_certificate(cert);
    }
    Ok(builder)
}

/// Every certificate of a PEM bundle; an error names the file and what to do. Called on macOS
/// only, tested everywhere.
#[cfg_attr(not(target_os = "macos"), allow(dead_code))]
pub fn bundle(path: &Path) -> Result<Vec<reqwest::Certificate>, ClientError> {
    let unusable = |why: String| {
        ClientError::Config(format!(
            "the system's CA bundle {} {why}; set SSL_CERT_FILE to a PEM bundle of the roots to trust",
            path.display()
        ))
    };
    let pem = std::fs::read(path).map_err(|e| unusable(format!("cannot be read: {e}")))?;
    let certs = reqwest::Certificate::from_pem_bundle(&pem)
        .map_err(|_| unusable("is not a PEM bundle".into()))?;
    if certs.is_empty() {
        return Err(unusable("holds no certificate".into()));
    }
    Ok(certs)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pem() -> String {
        let key = rcgen::KeyPair::generate().unwrap();
        let params = rcgen::CertificateParams::new(vec!["ca.test".into()]).unwrap();
        params.self_signed(&key).unwrap().pem()
    }

    #[test]
    fn a_bundle_gives_every_certificate() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cert.pem");
        std::fs::write(&path, format!("# comment\n{}{}", pem(), pem())).unwrap();
        assert_eq!(bundle(&path).unwrap().len(), 2);
    }

    #[test]
    fn an_unusable_bundle_names_the_file_and_the_fix() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("missing.pem");
        let empty = dir.path().join("empty.pem");
        std::fs::write(&empty, "no certificate here\n").unwrap();
        for (path, why) in [
            (&missing, "cannot be read"),
            (&empty, "holds no certificate"),
        ] {
            let message = bundle(path).unwrap_err().to_string();
            assert!(message.contains(&path.display().to_string()), "{message}");
            assert!(message.contains(why), "{message}");
            assert!(message.contains("SSL_CERT_FILE"), "{message}");
        }
    }
}
