//! The client's answer when a create may have committed and the API then stops answering, so
//! the lookup that would settle it fails too (found by tests/reliability_crash.rs: the emulator
//! killed right after committing a POST). The error must say the outcome is unknown, the POST
//! must not be re-sent, and the object must be found by its unique key afterwards.
mod client_support;

use client_support::{Fault, Stub};
use contactpro_rci::{RightInput, SecretInput, SecretString, UserInput};

/// More failures than the stub client's attempts (max_retries 3 → 4 attempts).
fn outage() -> Vec<Fault> {
    (0..4).map(|_| Fault::status(503, "down", None)).collect()
}

#[tokio::test]
async fn user_create_lost_then_api_down_is_unresolved_not_resent() {
    let stub = Stub::start().await;
    stub.state.fault("POST /users", [Fault::CommitThenDrop]);
    stub.state.fault("GET /users", outage());
    let client = stub.client();
    let user = UserInput {
        first_name: "Api".into(),
        surname: "User".into(),
        login: "api.unresolved".into(),
        ..Default::default()
    };
    let error = client.create_user(&user).await.unwrap_err();
    assert!(error.is_create_unresolved(), "{error:?}");
    let text = error.to_string();
    assert!(
        text.contains("api.unresolved") && text.contains("unknown"),
        "{text}"
    );
    assert_eq!(stub.state.hits("POST /users").len(), 1, "create re-sent");

    // Once the API answers, an empty id resolves to the user the lost POST created.
    let found = client.user_id_or_login("", "api.unresolved").await.unwrap();
    let users = stub.state.users.lock().unwrap().clone();
    assert_eq!(users.len(), 1);
    assert_eq!(found.as_deref(), users[0]["id"].as_str());
    assert_eq!(client.user_id_or_login("", "nobody").await.unwrap(), None);
    assert_eq!(
        client
            .user_id_or_login("ABC", "ignored")
            .await
            .unwrap()
            .as_deref(),
        Some("ABC"),
        "a known id is used as is"
    );
}

#[tokio::test]
async fn secret_create_lost_then_api_down_is_unresolved_not_resent() {
    let stub = Stub::start().await;
    stub.state.fault("POST /secrets", [Fault::CommitThenDrop]);
    stub.state.fault("GET /secrets", outage());
    let client = stub.client();
    let secret = SecretInput {
        name: "cmi-unresolved".into(),
        kind: "header".into(),
        secret: Some(SecretString::new("unresolved-secret-value")),
        ..Default::default()
    };
    let error = client.create_secret(&secret).await.unwrap_err();
    assert!(error.is_create_unresolved(), "{error:?}");
    let text = error.to_string();
    assert!(text.contains("cmi-unresolved"), "{text}");
    assert!(
        !text.contains("unresolved-secret-value"),
        "secret value in the error"
    );
    assert_eq!(stub.state.hits("POST /secrets").len(), 1, "create re-sent");
    let found = client
        .secret_id_or_name("", "cmi-unresolved")
        .await
        .unwrap();
    let secrets = stub.state.secrets.lock().unwrap().clone();
    assert_eq!(secrets.len(), 1);
    assert_eq!(found.as_deref(), secrets[0]["id"].as_str());
}

#[tokio::test]
async fn create_failing_for_sure_is_not_reported_unresolved() {
    // Every POST answers 503 (which may have committed) and every lookup answers "not there":
    // the outcome is known, nothing was created, and the error is the server's.
    let stub = Stub::start().await;
    stub.state.fault("POST /users", outage());
    let client = stub.client();
    let user = UserInput {
        first_name: "Api".into(),
        surname: "User".into(),
        login: "api.failed".into(),
        ..Default::default()
    };
    let error = client.create_user(&user).await.unwrap_err();
    assert!(!error.is_create_unresolved(), "{error:?}");
    assert!(stub.state.users.lock().unwrap().is_empty());
}

#[tokio::test]
async fn right_create_lost_then_api_down_names_the_right() {
    let stub = Stub::start().await;
    let user = stub.state.add_user("u");
    stub.state
        .fault("POST /users/:id/rights", [Fault::CommitThenDrop]);
    stub.state.fault("GET /users/:id/rights", outage());
    let right = RightInput {
        object_type: "Queue".into(),
        object_id: "B2".into(),
        access_types: vec!["View".into()],
        grant: vec![],
    };
    let error = stub.client().create_right(&user, &right).await.unwrap_err();
    assert!(error.is_create_unresolved(), "{error:?}");
    assert!(error.to_string().contains("a right of user"), "{error}");
    assert_eq!(stub.state.hits("POST /users/:id/rights").len(), 1);
}
