//! `stop_retries` (StopProvider) as the client sees it. In a test binary of its own: it stops
//! retries for the whole process, and every other suite relies on them.
mod client_support;

use client_support::{Fault, Stub};
use contactpro_rci::{ClientError, UserInput};

/// After the stop, a failure is final at once, and a create whose response was lost is still
/// looked up (and adopted) rather than reported failed or sent again.
/// (Mutants: `stop_retries` doing nothing; `retries_stopped` always false.)
#[tokio::test]
async fn after_stop_retries_a_failure_is_final_and_a_lost_create_is_still_looked_up() {
    let stub = Stub::start().await;
    let id = stub.state.add_user("u");
    let client = stub.client(); // max_retries = 3
    contactpro_rci::stop_retries();

    stub.state
        .fault("GET /users/:id", [Fault::status(503, "busy", None)]);
    let error = client.get_user(&id).await.unwrap_err();
    assert!(
        matches!(
            error,
            ClientError::Server {
                status: 503,
                attempts: 1,
                ..
            }
        ),
        "{error:?}"
    );
    assert_eq!(stub.state.hits("GET /users/:id").len(), 1);

    stub.state.fault("POST /users", [Fault::CommitThenDrop]);
    let input = UserInput {
        first_name: "Api".into(),
        surname: "User".into(),
        login: "api.after.stop".into(),
        ..Default::default()
    };
    let created = client.create_user(&input).await.unwrap();
    assert_eq!(stub.state.hits("POST /users").len(), 1, "create re-sent");
    let users = stub.state.users.lock().unwrap().clone();
    assert_eq!(users.len(), 2);
    assert_eq!(users[1]["id"], created.as_str());
}
