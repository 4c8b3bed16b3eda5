//! Automatic mutual TLS as go-plugin does it: Terraform passes its client certificate in
//! PLUGIN_CLIENT_CERT, we answer with a fresh self-signed server certificate in the handshake
//! line, and each side trusts exactly the other's certificate.
//!
//! Terraform's certificate is a self-signed ECDSA P-521 CA certificate. webpki refuses a CA
//! certificate as an end entity, and ring cannot verify P-521, so the client is checked here:
//! the presented certificate must be byte-for-byte the one Terraform announced, and its
//! handshake signature is verified (P-521 with the p521 crate, other schemes with ring).

use std::sync::Arc;

use anyhow::{anyhow, Context};
use rustls::client::danger::HandshakeSignatureValid;
use rustls::crypto::WebPkiSupportedAlgorithms;
use rustls::crypto::{ring, verify_tls12_signature, verify_tls13_signature, CryptoProvider};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{
    alg_id, AlgorithmIdentifier, CertificateDer, InvalidSignature, PrivateKeyDer,
    PrivatePkcs8KeyDer, SignatureVerificationAlgorithm, UnixTime,
};
use rustls::server::danger::{ClientCertVerified, ClientCertVerifier};
use rustls::{DigitallySignedStruct, DistinguishedName, Error, ServerConfig, SignatureScheme};
use tokio_rustls::TlsAcceptor;

pub struct ServerTls {
    certificate: CertificateDer<'static>,
    acceptor: TlsAcceptor,
}

impl ServerTls {
    pub fn new(client_cert_pem: &str) -> anyhow::Result<ServerTls> {
        let client = CertificateDer::from_pem_slice(client_cert_pem.as_bytes())
            .map_err(|e| anyhow!("PLUGIN_CLIENT_CERT is not a PEM certificate: {e}"))?;
        let (certificate, key) = server_certificate()?;
        let provider = Arc::new(ring::default_provider());
        let verifier = Arc::new(PinnedClient {
            expected: client.into_owned(),
            algorithms: with_p521(&provider),
        });
        let mut config = ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()?
            .with_client_cert_verifier(verifier)
            .with_single_cert(vec![certificate.clone()], key)?;
        // grpc-go (Terraform ≥ 1.10) refuses a TLS server that does not negotiate h2.
        config.alpn_protocols = vec![b"h2".to_vec()];
        Ok(ServerTls {
            certificate,
            acceptor: TlsAcceptor::from(Arc::new(config)),
        })
    }

    pub fn certificate_der(&self) -> &[u8] {
        &self.certificate
    }

    pub fn acceptor(&self) -> TlsAcceptor {
        self.acceptor.clone()
    }
}

/// A self-signed certificate for `localhost` (go-plugin checks that name), valid from a little in
/// the past for clock skew. Not a CA: Rust TLS clients refuse a CA certificate as a server's.
fn server_certificate() -> anyhow::Result<(CertificateDer<'static>, PrivateKeyDer<'static>)> {
    use rcgen::{CertificateParams, DnType, ExtendedKeyUsagePurpose, KeyPair, KeyUsagePurpose};
    let key = KeyPair::generate().context("generating the plugin's TLS key")?;
    let mut params = CertificateParams::new(vec!["localhost".to_string()])?;
    let now = time::OffsetDateTime::now_utc();
    params.not_before = now - time::Duration::minutes(5);
    params.not_after = now + time::Duration::days(365);
    params
        .distinguished_name
        .push(DnType::CommonName, "localhost");
    params
        .distinguished_name
        .push(DnType::OrganizationName, "terraform-provider-contactpro");
    params.key_usages = vec![
        KeyUsagePurpose::DigitalSignature,
        KeyUsagePurpose::KeyEncipherment,
        KeyUsagePurpose::KeyAgreement,
    ];
    params.extended_key_usages = vec![
        ExtendedKeyUsagePurpose::ServerAuth,
        ExtendedKeyUsagePurpose::ClientAuth,
    ];
    let cert = params.self_signed(&key)?;
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der()));
    Ok((cert.der().clone(), key))
}

/// ring's verification algorithms plus ECDSA P-521 / SHA-512.
fn with_p521(provider: &CryptoProvider) -> WebPkiSupportedAlgorithms {
    static ALL: std::sync::OnceLock<Vec<&'static dyn SignatureVerificationAlgorithm>> =
        std::sync::OnceLock::new();
    static MAPPING: std::sync::OnceLock<
        Vec<(
            SignatureScheme,
            &'static [&'static dyn SignatureVerificationAlgorithm],
        )>,
    > = std::sync::OnceLock::new();
    let base = provider.signature_verification_algorithms;
    let all = ALL.get_or_init(|| {
        let mut all = base.all.to_vec();
        all.push(&P521_SHA512);
        all
    });
    let mapping = MAPPING.get_or_init(|| {
        let mut mapping = base.mapping.to_vec();
        mapping.push((SignatureScheme::ECDSA_NISTP521_SHA512, P521_ONLY));
        mapping
    });
    WebPkiSupportedAlgorithms {
        all: all.as_slice(),
        mapping: mapping.as_slice(),
    }
}

#[derive(Debug)]
struct P521Sha512;
static P521_SHA512: P521Sha512 = P521Sha512;
static P521_ONLY: &[&dyn SignatureVerificationAlgorithm] = &[&P521_SHA512];

impl SignatureVerificationAlgorithm for P521Sha512 {
    fn verify_signature(
        &self,
        public_key: &[u8],
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), InvalidSignature> {
        use p521::ecdsa::signature::Verifier;
        let key =
            p521::ecdsa::VerifyingKey::from_sec1_bytes(public_key).map_err(|_| InvalidSignature)?;
        let signature =
            p521::ecdsa::Signature::from_der(signature).map_err(|_| InvalidSignature)?;
        key.verify(message, &signature)
            .map_err(|_| InvalidSignature)
    }

    fn public_key_alg_id(&self) -> AlgorithmIdentifier {
        alg_id::ECDSA_P521
    }

    fn signature_alg_id(&self) -> AlgorithmIdentifier {
        alg_id::ECDSA_SHA512
    }
}

/// Accepts exactly the certificate Terraform announced, and requires one.
#[derive(Debug)]
struct PinnedClient {
    expected: CertificateDer<'static>,
    algorithms: WebPkiSupportedAlgorithms,
}

impl ClientCertVerifier for PinnedClient {
    fn root_hint_subjects(&self) -> &[DistinguishedName] {
        // No hint: Go clients then offer their certificate whatever its issuer.
        &[]
    }

    fn verify_client_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _now: UnixTime,
    ) -> Result<ClientCertVerified, Error> {
        if end_entity.as_ref() == self.expected.as_ref() {
            Ok(ClientCertVerified::assertion())
        } else {
            Err(Error::InvalidCertificate(
                rustls::CertificateError::ApplicationVerificationFailure,
            ))
        }
    }

    fn client_auth_mandatory(&self) -> bool {
        true
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, Error> {
        verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, Error> {
        tracing::debug!(scheme = ?dss.scheme, "client handshake signature");
        verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use p521::ecdsa::signature::Signer;

    #[test]
    fn p521_signatures_verify_and_forgeries_do_not() {
        let key = p521::ecdsa::SigningKey::random(&mut p521::elliptic_curve::rand_core::OsRng);
        let public = p521::ecdsa::VerifyingKey::from(&key)
            .to_encoded_point(false)
            .as_bytes()
            .to_vec();
        let signature: p521::ecdsa::Signature = key.sign(b"handshake transcript");
        let der = signature.to_der();
        let verify = |message: &[u8], sig: &[u8]| {
            P521_SHA512.verify_signature(&public, message, sig).is_ok()
        };
        assert!(verify(b"handshake transcript", der.as_bytes()));
        assert!(!verify(b"another transcript", der.as_bytes()));
        assert!(!verify(b"handshake transcript", b"not a signature"));
    }

    #[test]
    fn the_client_must_present_exactly_the_announced_certificate() {
        let cert = |cn: &str| {
            let key = rcgen::KeyPair::generate().unwrap();
            let params = rcgen::CertificateParams::new(vec![cn.to_string()]).unwrap();
            params.self_signed(&key).unwrap().der().clone()
        };
        let (announced, other) = (cert("localhost"), cert("localhost"));
        let provider = ring::default_provider();
        let verifier = PinnedClient {
            expected: announced.clone(),
            algorithms: with_p521(&provider),
        };
        let now = UnixTime::now();
        assert!(verifier.client_auth_mandatory());
        assert!(verifier.verify_client_cert(&announced, &[], now).is_ok());
        assert!(verifier.verify_client_cert(&other, &[], now).is_err());
        assert!(verifier
            .supported_verify_schemes()
            .contains(&SignatureScheme::ECDSA_NISTP521_SHA512));
    }
}
