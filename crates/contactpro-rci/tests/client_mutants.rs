//! Tests written against mutants that cargo-mutants found the other tests missed (`make mutants`;
//! docs/development.md, "Mutation testing", names each mutant). Kept apart from the other suites so
//! that each test says which behaviour it pins.
mod client_support;

use client_support::{Fault, Stub};
use contactpro_rci::{ClientError, Membership, RciClient, UserInput};
use serde_json::json;

fn user_input(login: &str) -> UserInput {
    UserInput {
        first_name: "Api".into(),
        surname: "User".into(),
        login: login.into(),
        ..Default::default()
    }
}

/// A port on which nothing listens: bound, then released.
async fn closed_port() -> u16 {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    listener.local_addr().unwrap().port()
}

/// A refused connection sent nothing, so a create that never connected cannot have committed: it
/// is retried without a lookup and reported as a transport failure, never as unresolved.
/// (Mutant: `Http::once` treating a connect error as a transport error that may have committed.)
#[tokio::test]
async fn create_that_never_connected_is_a_transport_failure_not_unresolved() {
    let stub = Stub::start().await;
    let mut config = stub.config();
    config.base_url = format!("http://127.0.0.1:{}/t/RI", closed_port().await)
        .parse()
        .unwrap();
    config.max_retries = 1;
    let client = RciClient::new(config).unwrap();
    let error = client
        .create_user(&user_input("api.never.sent"))
        .await
        .unwrap_err();
    assert!(
        matches!(error, ClientError::Transport { attempts: 2, .. }),
        "{error:?}"
    );
    // Two POST attempts and no lookup between them.
    assert_eq!(client.requests_sent(), 2);
}

/// A membership whose create may have committed, with the API down for the lookup, is named as a
/// membership, not as the user the request was sent under.
/// (Mutant: `created_what` without its membership arm.)
#[tokio::test]
async fn membership_create_lost_then_api_down_names_the_membership() {
    let stub = Stub::start().await;
    let user = stub.state.add_user("member");
    stub.state
        .fault("POST /users/:id/userGroups", [Fault::CommitThenDrop]);
    stub.state.fault(
        "GET /users/:id/userGroups",
        (0..4).map(|_| Fault::status(503, "down", None)),
    );
    let error = stub
        .client()
        .add_membership(&user, Membership::UserGroups, "G1")
        .await
        .unwrap_err();
    assert!(error.is_create_unresolved(), "{error:?}");
    let text = error.to_string();
    assert!(text.contains("a membership (user "), "{text}");
    assert_eq!(stub.state.hits("POST /users/:id/userGroups").len(), 1);
}

/// An error answer without a message of its own says what its status means.
/// (Mutant: `reason` returning an empty or made-up text.)
#[tokio::test]
async fn error_without_a_message_gets_the_status_reason() {
    let stub = Stub::start().await;
    let id = stub.state.add_user("u");
    stub.state
        .fault("GET /users/:id", [Fault::Json(400, json!({"status": 400}))]);
    let error = stub.client().get_user(&id).await.unwrap_err();
    assert!(
        matches!(&error, ClientError::Validation { status: 400, message, .. } if message == "Bad Request"),
        "{error:?}"
    );
}

/// A refused connection is reported as such, so an operator can tell it from a timeout.
/// (Mutant: `describe` returning an empty or made-up text.)
#[tokio::test]
async fn refused_connection_says_the_connection_failed() {
    let stub = Stub::start().await;
    let mut config = stub.config();
    config.base_url = format!("http://127.0.0.1:{}/t/RI", closed_port().await)
        .parse()
        .unwrap();
    config.max_retries = 0;
    let error = RciClient::new(config)
        .unwrap()
        .get_user("0123456789ABCDEF0123456789ABCDEF")
        .await
        .unwrap_err();
    let ClientError::Transport { message, .. } = &error else {
        panic!("{error:?}")
    };
    assert!(message.starts_with("connection failed: "), "{message}");
}

/// A body cut off after its headers is reported as an interrupted body, not a generic failure.
/// (Mutant: `describe` asking for a body error *and* a decode error.)
#[tokio::test]
async fn body_cut_off_midway_says_the_body_was_interrupted() {
    // A server that promises 100 bytes, sends 4 and closes: no stub route can do that.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        while let Ok((mut socket, _)) = listener.accept().await {
            let mut request = [0u8; 4096];
            let _ = socket.read(&mut request).await;
            let head =
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n";
            let _ = socket.write_all(format!("{head}[1,2").as_bytes()).await;
            let _ = socket.shutdown().await;
        }
    });
    let stub = Stub::start().await;
    let mut config = stub.config();
    config.base_url = format!("http://{addr}/t/RI").parse().unwrap();
    config.max_retries = 0;
    let error = RciClient::new(config)
        .unwrap()
        .get_user("0123456789ABCDEF0123456789ABCDEF")
        .await
        .unwrap_err();
    let ClientError::Transport { message, .. } = &error else {
        panic!("{error:?}")
    };
    assert!(
        message.starts_with("response body interrupted"),
        "{message}"
    );
}

/// A create that keeps failing in a way that may have committed is looked up before each new
/// attempt and re-sent while the lookup finds nothing: only a 409 ends it early.
/// (Mutant: `Http::create` giving up after the first lookup-and-fail, by testing `!= 409`.)
#[tokio::test]
async fn create_after_two_failures_that_may_have_committed_is_retried_until_it_succeeds() {
    let stub = Stub::start().await;
    stub.state.fault(
        "POST /users",
        [
            Fault::status(503, "maintenance", None),
            Fault::status(502, "gateway", None),
        ],
    );
    let id = stub
        .client()
        .create_user(&user_input("api.third.time"))
        .await
        .unwrap();
    assert_eq!(stub.state.hits("POST /users").len(), 3);
    // One lookup before each re-send; the stub holds no user, so each is one empty page.
    assert_eq!(stub.state.hits("GET /users").len(), 2);
    let users = stub.state.users.lock().unwrap();
    assert_eq!(users.len(), 1);
    assert_eq!(users[0]["id"], id.as_str());
}
