//! `ca_cert_pem`: a tenant whose certificate a private CA signed is trusted only when that CA is
//! given (the operating system's roots do not hold it).

mod client_support;

use client_support::private_ca::https_stub_signed_by_private_ca;
use client_support::Stub;
use contactpro_rci::{ClientError, RciClient};

#[tokio::test]
async fn private_ca_is_trusted_only_when_configured() {
    let (base_url, ca_pem) = https_stub_signed_by_private_ca().await;
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

    config.ca_cert_pem = Some(ca_pem.into_bytes());
    let trusted = RciClient::new(config).unwrap();
    assert!(trusted.list_users(&[]).await.unwrap().is_empty());
}
