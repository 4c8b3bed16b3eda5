//! `ca_cert_pem`: a tenant behind a private CA is trusted only when its certificate is given.

mod client_support;

use axum::routing::get;
use axum::{Json, Router};
use client_support::Stub;
use contactpro_rci::{ClientError, RciClient};
use serde_json::json;

/// An HTTPS server for 127.0.0.1 with a fresh self-signed certificate; returns (base URL, cert PEM).
async fn https_stub() -> (url::Url, String) {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let cert = rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_string()]).unwrap();
    let cert_pem = cert.cert.pem();
    let config = axum_server::tls_rustls::RustlsConfig::from_pem(
        cert_pem.clone().into_bytes(),
        cert.key_pair.serialize_pem().into_bytes(),
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
    (format!("https://{addr}/t/RI").parse().unwrap(), cert_pem)
}

#[tokio::test]
async fn private_ca_is_trusted_only_when_configured() {
    let (base_url, cert_pem) = https_stub().await;
    // The plain-HTTP stub only lends its config shape here.
    let stub = Stub::start().await;
    let mut config = stub.config();
    config.base_url = base_url;
    config.max_retries = 0;

    let untrusted = RciClient::new(config.clone()).unwrap();
    let err = untrusted.list_users(&[]).await.unwrap_err();
    assert!(
        matches!(err, ClientError::Transport { attempts: 1, .. }),
        "{err:?}"
    );

    config.ca_cert_pem = Some(cert_pem.into_bytes());
    let trusted = RciClient::new(config).unwrap();
    assert!(trusted.list_users(&[]).await.unwrap().is_empty());
}
