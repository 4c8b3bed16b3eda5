//! The emulator's own attack surface: the tenant's `/_emulator` endpoints answer its admin only,
//! a stored secret's fingerprint is not its plain hash, and a loopback listener refuses requests
//! addressed to another host name (DNS rebinding).

mod emulator_support;

use emulator_support::{user_body, Emu, ADMIN, API_KEY};
use reqwest::Method;
use serde_json::{json, Value};

/// Every tenant endpoint under `/_emulator`, with a body it accepts.
fn tenant_endpoints() -> Vec<(Method, &'static str, Value)> {
    vec![
        (
            Method::POST,
            "check-secret",
            json!({"name": "guarded", "secret": "x"}),
        ),
        (
            Method::POST,
            "check-credentials",
            json!({"name": "guarded"}),
        ),
        (
            Method::POST,
            "check-password",
            json!({"login": ADMIN, "fingerprint": "00"}),
        ),
        (
            Method::PUT,
            "users/api.plain/password",
            json!({"password": "Plain-User-Password-1"}),
        ),
        (
            Method::PUT,
            "users/api.plain/rights",
            json!({"objectType": "User", "objectId": "00000000000000000000000000000000", "accessTypes": []}),
        ),
    ]
}

fn sha256_16(value: &str) -> String {
    ring::digest::digest(&ring::digest::SHA256, value.as_bytes())
        .as_ref()
        .iter()
        .take(16)
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[tokio::test]
async fn tenant_emulator_endpoints_answer_the_tenant_admin_only() {
    let emu = Emu::start().await;
    assert_eq!(
        emu.post("users", &[], user_body("api.plain")).await.status,
        201
    );
    emu.set_password("api.plain", "Plain-User-Password-1").await;
    let secret = json!({"name": "guarded", "type": "basic", "authenticationId": "api.plain",
                        "secret": "Plain-User-Password-1"});
    assert_eq!(emu.post("secrets", &[], secret).await.status, 201);
    let base = emu.running.base_url();

    for (method, endpoint, body) in tenant_endpoints() {
        let url = format!("{base}/_emulator/demo/{endpoint}");
        let send = |request: reqwest::RequestBuilder| {
            let body = body.clone();
            async move { request.json(&body).send().await.unwrap() }
        };
        let anonymous = send(emu.http.request(method.clone(), &url)).await;
        assert_eq!(anonymous.status(), 403, "{endpoint} without credentials");
        let key_only = send(
            emu.http
                .request(method.clone(), &url)
                .header("x-api-key", API_KEY),
        )
        .await;
        assert_eq!(key_only.status(), 401, "{endpoint} with the API key only");
        let wrong_password = emu
            .http
            .request(method.clone(), &url)
            .header("x-api-key", API_KEY)
            .basic_auth(ADMIN, Some("Not-The-Admin-Password-1"));
        assert_eq!(send(wrong_password).await.status(), 401, "{endpoint}");
        let plain_user = emu
            .http
            .request(method.clone(), &url)
            .header("x-api-key", API_KEY)
            .basic_auth("api.plain", Some("Plain-User-Password-1"));
        let refused = send(plain_user).await;
        assert_eq!(
            refused.status(),
            403,
            "{endpoint} as a user who is not the admin"
        );
        let message = refused.text().await.unwrap();
        assert!(message.contains("admin user only"), "{message}");
        let admin = send(emu.authed(method.clone(), &url)).await;
        assert!(
            admin.status().is_success(),
            "{endpoint} as admin: {}",
            admin.status()
        );
    }
    // The open ones hold no tenant data.
    for open in ["health", "stats"] {
        let response = emu
            .http
            .get(format!("{base}/_emulator/{open}"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{open}");
    }
    emu.shutdown().await;
}

#[tokio::test]
async fn the_credentials_fingerprint_is_not_a_guessable_hash() {
    let emu = Emu::start().await;
    let stored = "Guessable-Password-1";
    assert_eq!(
        emu.post("users", &[], user_body("api.guess")).await.status,
        201
    );
    emu.set_password("api.guess", stored).await;
    let secret = json!({"name": "guess", "type": "basic", "authenticationId": "api.guess", "secret": stored});
    assert_eq!(emu.post("secrets", &[], secret).await.status, 201);
    let base = emu.running.base_url();
    let answer: Value = emu
        .authed(
            Method::POST,
            &format!("{base}/_emulator/demo/check-credentials"),
        )
        .json(&json!({"name": "guess"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(answer["authenticates"], true);
    let fingerprint = answer["fingerprint"].as_str().unwrap();
    assert_eq!(fingerprint.len(), 32);
    assert_ne!(
        fingerprint,
        sha256_16(stored),
        "an unsalted hash lets a guess be tested offline"
    );
    // It still identifies the stored password within this run, for the admin.
    let matches = |fingerprint: String| {
        let request = emu
            .authed(
                Method::POST,
                &format!("{base}/_emulator/demo/check-password"),
            )
            .json(&json!({"login": "api.guess", "fingerprint": fingerprint}));
        async move {
            let answer: Value = request.send().await.unwrap().json().await.unwrap();
            answer["matches"].as_bool().unwrap()
        }
    };
    assert!(matches(fingerprint.to_string()).await);
    assert!(matches(sha256_16(stored)).await);
    assert!(!matches(sha256_16("Other-Password-2")).await);
    emu.shutdown().await;
}

#[tokio::test]
async fn a_loopback_listener_answers_loopback_host_names_only() {
    let emu = Emu::start().await;
    let port = emu.running.addr().port();
    let url = format!("{}/demo/RI/rci/users", emu.running.base_url());
    for host in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        "localhost".to_string(),
        format!("127.1.2.3:{port}"),
        format!("[::1]:{port}"),
    ] {
        let response = emu
            .authed(Method::GET, &url)
            .header("host", &host)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "Host: {host}");
    }
    for host in [
        format!("rebind.example:{port}"),
        "rebind.example".to_string(),
        format!("127.0.0.1.nip.io:{port}"),
        format!("0.0.0.0:{port}"),
    ] {
        for path in [
            "demo/RI/rci/users",
            "_emulator/stats",
            "_emulator/demo/check-secret",
        ] {
            let url = format!("{}/{path}", emu.running.base_url());
            let response = emu
                .authed(Method::GET, &url)
                .header("host", &host)
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 421, "Host: {host}, {path}");
            let body: Value = response.json().await.unwrap();
            let message = body["message"].as_str().unwrap_or_default();
            assert!(
                message.contains("DNS rebinding") && message.contains("localhost"),
                "{body}"
            );
        }
    }
    emu.shutdown().await;
}
