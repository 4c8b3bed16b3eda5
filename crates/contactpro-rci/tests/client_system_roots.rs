//! The client trusts the operating system's roots, as the `ca_cert_file` description says ("in
//! addition to the operating system's roots"): rustls-native-certs reads them, and honours
//! `SSL_CERT_FILE`, which stands in for the system store here. Alone in its binary, because it
//! sets a process-wide variable.

mod client_support;

use client_support::private_ca::https_stub_signed_by_private_ca;
use client_support::Stub;
use contactpro_rci::RciClient;

#[tokio::test]
async fn a_ca_in_the_system_store_is_trusted_without_ca_cert_pem() {
    let (base_url, ca_pem) = https_stub_signed_by_private_ca().await;
    let dir = std::env::temp_dir().join(format!("contactpro-roots-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bundle = dir.join("ca.pem");
    std::fs::write(&bundle, &ca_pem).unwrap();
    // Before the client is built: the roots are read then.
    std::env::set_var("SSL_CERT_FILE", &bundle);
    let stub = Stub::start().await;
    let mut config = stub.config();
    config.base_url = base_url;
    config.max_retries = 0;
    let client = RciClient::new(config).unwrap();
    let result = client.list_users(&[]).await;
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(result.unwrap().is_empty());
}
