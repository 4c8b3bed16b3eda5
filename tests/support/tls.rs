//! A private CA and a server certificate for 127.0.0.1/localhost (rcgen), written as PEM files
//! into a temp dir, and a small admin client for an emulator that serves HTTPS with them.
//! Not in `support/mod.rs`, to keep that file untouched: include it with
//! `#[path = "support/tls.rs"] mod tls;` next to `mod support;`.
use std::path::PathBuf;

use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, KeyPair,
    KeyUsagePurpose,
};
use serde_json::Value as Json;

use crate::support::rci::ADMIN_PASSWORD;

pub struct TestPki {
    dir: tempfile::TempDir,
    pub ca_pem: String,
}

impl TestPki {
    /// A CA, and a server certificate it signed for `localhost` and `127.0.0.1`.
    pub fn generate() -> TestPki {
        let ca_key = KeyPair::generate().unwrap();
        let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
        ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca_params
            .distinguished_name
            .push(DnType::CommonName, "contactpro test CA");
        ca_params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        let ca = ca_params.self_signed(&ca_key).unwrap();

        let server_key = KeyPair::generate().unwrap();
        // rcgen turns names that parse as IP addresses into IP SANs.
        let mut params =
            CertificateParams::new(vec!["localhost".to_string(), "127.0.0.1".to_string()]).unwrap();
        params
            .distinguished_name
            .push(DnType::CommonName, "localhost");
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        let server = params.signed_by(&server_key, &ca, &ca_key).unwrap();

        let dir = tempfile::tempdir().unwrap();
        let pki = TestPki {
            dir,
            ca_pem: ca.pem(),
        };
        std::fs::write(pki.ca_path(), &pki.ca_pem).unwrap();
        std::fs::write(pki.cert_path(), server.pem()).unwrap();
        std::fs::write(pki.key_path(), server_key.serialize_pem()).unwrap();
        pki
    }

    pub fn ca_path(&self) -> PathBuf {
        self.dir.path().join("ca.pem")
    }

    pub fn cert_path(&self) -> PathBuf {
        self.dir.path().join("server.pem")
    }

    pub fn key_path(&self) -> PathBuf {
        self.dir.path().join("server-key.pem")
    }

    /// Emulator flags that make it serve HTTPS with the server certificate.
    pub fn emulator_args(&self) -> Vec<String> {
        vec![
            "--tls-cert".into(),
            self.cert_path().display().to_string(),
            "--tls-key".into(),
            self.key_path().display().to_string(),
        ]
    }
}

/// Admin calls to an HTTPS emulator that trust only the test CA (tenant `demo` defaults).
pub struct HttpsAdmin {
    base: String,
    root: String,
    runtime: tokio::runtime::Runtime,
    http: reqwest::Client,
}

impl HttpsAdmin {
    /// `emulator_base` is `https://127.0.0.1:PORT`.
    pub fn new(emulator_base: &str, pki: &TestPki) -> HttpsAdmin {
        let ca = reqwest::Certificate::from_pem(pki.ca_pem.as_bytes()).unwrap();
        HttpsAdmin {
            base: format!("{emulator_base}/demo/RI/rci"),
            root: emulator_base.to_string(),
            runtime: tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap(),
            http: reqwest::Client::builder()
                .use_rustls_tls()
                .tls_built_in_root_certs(false)
                .add_root_certificate(ca)
                .build()
                .unwrap(),
        }
    }

    fn get(&self, url: String, admin: bool) -> Json {
        self.runtime.block_on(async {
            let mut request = self.http.get(&url);
            if admin {
                request = request
                    .header("x-api-key", "demo-api-key")
                    .basic_auth("admin", Some(ADMIN_PASSWORD));
            }
            let response = request
                .send()
                .await
                .unwrap_or_else(|e| panic!("{url}: {e}"));
            assert!(
                response.status().is_success(),
                "{url}: {}",
                response.status()
            );
            response.json().await.unwrap()
        })
    }

    /// Every object of a list endpoint, e.g. `users`.
    pub fn list(&self, path: &str) -> Vec<Json> {
        let separator = if path.contains('?') { '&' } else { '?' };
        match self.get(format!("{}/{path}{separator}limit=1000", self.base), true) {
            Json::Array(items) => items,
            other => panic!("{path} is not a list: {other}"),
        }
    }

    /// RCI requests the emulator has answered so far (all tenants).
    pub fn requests_served(&self) -> u64 {
        let stats = self.get(format!("{}/_emulator/stats", self.root), false);
        stats["total"].as_u64().expect("stats.total")
    }
}
