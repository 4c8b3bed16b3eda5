//! A private CA and an HTTPS stub for 127.0.0.1 whose certificate it signed.

use axum::routing::get;
use axum::{Json, Router};
use serde_json::json;

/// Starts the stub; returns (base URL, the CA's certificate PEM).
pub async fn https_stub_signed_by_private_ca() -> (url::Url, String) {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let mut ca_params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "contactpro test private CA");
    let ca_key = rcgen::KeyPair::generate().unwrap();
    let ca = ca_params.self_signed(&ca_key).unwrap();
    let server_key = rcgen::KeyPair::generate().unwrap();
    let server = rcgen::CertificateParams::new(vec!["127.0.0.1".to_string()])
        .unwrap()
        .signed_by(&server_key, &ca, &ca_key)
        .unwrap();
    let config = axum_server::tls_rustls::RustlsConfig::from_pem(
        server.pem().into_bytes(),
        server_key.serialize_pem().into_bytes(),
    )
    .await
    .unwrap();
    let app = Router::new().route("/t/RI/rci/users", get(|| async { Json(json!([])) }));
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum_server::from_tcp_rustls(listener, config)
            .serve(app.into_make_service())
            .await
            .unwrap();
    });
    (format!("https://{addr}/t/RI").parse().unwrap(), ca.pem())
}
