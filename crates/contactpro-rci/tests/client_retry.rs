//! Client against a stub RCI: retries, Retry-After, lost creates adopted, idempotent deletes,
//! rate limit and the read cache. Timing is only ever checked as a lower bound.

mod client_support;

use client_support::{Fault, Stub};
use contactpro_rci::{
    ClientError, Membership, RciClient, RightInput, SecretInput, SecretString, UserInput,
};
use serde_json::json;
use std::time::{Duration, Instant};

fn user_input(login: &str) -> UserInput {
    UserInput {
        first_name: "Api".into(),
        surname: "User".into(),
        login: login.into(),
        ..Default::default()
    }
}

fn secret_input(name: &str) -> SecretInput {
    SecretInput {
        name: name.into(),
        kind: "header".into(),
        secret: Some(SecretString::new("header-secret-value")),
        ..Default::default()
    }
}

fn right_input(object_id: &str) -> RightInput {
    RightInput {
        object_type: "Queue".into(),
        object_id: object_id.into(),
        access_types: vec!["View".into()],
        grant: vec![],
    }
}

fn hang() -> Fault {
    Fault::CommitThenHang(Duration::from_secs(3))
}

#[tokio::test]
async fn get_retries_503_then_succeeds() {
    let stub = Stub::start().await;
    let id = stub.state.add_user("u");
    stub.state.fault(
        "GET /users/:id",
        [
            Fault::status(503, "busy", None),
            Fault::status(502, "gateway", None),
        ],
    );
    let client = stub.client();
    assert_eq!(client.get_user(&id).await.unwrap().id, id);
    assert_eq!(stub.state.hits("GET /users/:id").len(), 3);
    assert_eq!(client.requests_sent(), 3);
}

#[tokio::test]
async fn retries_are_bounded_by_max_retries() {
    let stub = Stub::start().await;
    let id = stub.state.add_user("u");
    let client = stub.client(); // max_retries = 3
    stub.state.fault(
        "GET /users/:id",
        (0..10).map(|_| Fault::status(503, "down", None)),
    );
    let err = client.get_user(&id).await.unwrap_err();
    assert!(
        matches!(
            err,
            ClientError::Server {
                status: 503,
                attempts: 4,
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(stub.state.hits("GET /users/:id").len(), 4);

    stub.state.faults.lock().unwrap().clear();
    stub.state.fault(
        "GET /users/:id",
        (0..10).map(|_| Fault::status(429, "slow down", None)),
    );
    let err = client.get_user(&id).await.unwrap_err();
    assert_eq!(err, ClientError::Throttled { attempts: 4 });

    // Not retried: a client error is final.
    stub.state.faults.lock().unwrap().clear();
    stub.state
        .fault("GET /users/:id", [Fault::status(400, "bad", None)]);
    let before = client.requests_sent();
    assert!(client.get_user(&id).await.is_err());
    assert_eq!(client.requests_sent() - before, 1);
}

#[tokio::test]
async fn retry_after_is_honoured() {
    let stub = Stub::start().await;
    let id = stub.state.add_user("u");
    stub.state.fault(
        "GET /users/:id",
        [Fault::Status {
            status: 429,
            message: "slow down".into(),
            field: None,
            retry_after: Some(1),
        }],
    );
    stub.client().get_user(&id).await.unwrap();
    let hits = stub.state.hits("GET /users/:id");
    assert_eq!(hits.len(), 2);
    let waited = hits[1].at - hits[0].at;
    assert!(waited >= Duration::from_secs(1), "retried after {waited:?}");
}

#[tokio::test]
async fn throttled_create_is_retried_without_lookup() {
    let stub = Stub::start().await;
    stub.state
        .fault("POST /users", [Fault::status(429, "slow down", None)]);
    let id = stub.state.users.lock().unwrap().len();
    assert_eq!(id, 0);
    let new_id = stub
        .client()
        .create_user(&user_input("api.t"))
        .await
        .unwrap();
    assert_eq!(stub.state.hits("POST /users").len(), 2);
    // 429 is refused before any write, so no lookup is needed.
    assert_eq!(stub.state.hits("GET /users").len(), 0);
    assert_eq!(stub.state.users.lock().unwrap()[0]["id"], new_id.as_str());
}

#[tokio::test]
async fn create_failing_before_commit_is_looked_up_then_resent() {
    let stub = Stub::start().await;
    stub.state
        .fault("POST /users", [Fault::status(503, "maintenance", None)]);
    let id = stub
        .client()
        .create_user(&user_input("api.x"))
        .await
        .unwrap();
    assert_eq!(stub.state.hits("POST /users").len(), 2);
    assert_eq!(stub.state.hits("GET /users").len(), 1);
    let users = stub.state.users.lock().unwrap();
    assert_eq!(users.len(), 1);
    assert_eq!(users[0]["id"], id.as_str());
}

#[tokio::test]
async fn user_create_with_dropped_connection_is_adopted_not_duplicated() {
    let stub = Stub::start().await;
    stub.state.add_user("other.user");
    stub.state.fault("POST /users", [Fault::CommitThenDrop]);
    let id = stub
        .client()
        .create_user(&user_input("api.lost"))
        .await
        .unwrap();
    let users = stub.state.users.lock().unwrap().clone();
    assert_eq!(users.len(), 2, "{users:?}");
    let created = users.iter().find(|u| u["login"] == "api.lost").unwrap();
    assert_eq!(created["id"], id.as_str());
    assert_eq!(
        stub.state.hits("POST /users").len(),
        1,
        "create was re-sent"
    );
}

#[tokio::test]
async fn secret_create_with_timed_out_response_is_adopted() {
    let stub = Stub::start().await;
    stub.state.add_secret("cmi-other");
    stub.state.fault("POST /secrets", [hang()]);
    let mut config = stub.config();
    config.request_timeout = Duration::from_millis(300);
    let client = RciClient::new(config).unwrap();
    let id = client
        .create_secret(&secret_input("cmi-upload"))
        .await
        .unwrap();
    let secrets = stub.state.secrets.lock().unwrap().clone();
    assert_eq!(secrets.len(), 2);
    assert_eq!(
        secrets.iter().filter(|s| s["name"] == "cmi-upload").count(),
        1
    );
    assert_eq!(
        secrets.iter().find(|s| s["name"] == "cmi-upload").unwrap()["id"],
        id.as_str()
    );
    assert_eq!(stub.state.hits("POST /secrets").len(), 1);
}

#[tokio::test]
async fn right_and_membership_creates_with_lost_responses_are_adopted() {
    let stub = Stub::start().await;
    let user = stub.state.add_user("u");
    let client = stub.client();
    let other = client
        .create_right(&user, &right_input("A1"))
        .await
        .unwrap();

    stub.state
        .fault("POST /users/:id/rights", [Fault::CommitThenDrop]);
    let id = client
        .create_right(&user, &right_input("B2"))
        .await
        .unwrap();
    assert_ne!(id, other);
    let rights = stub.state.rights.lock().unwrap().clone();
    assert_eq!(rights.len(), 2);
    assert_eq!(rights[1].1["id"], id.as_str());
    assert_eq!(rights[1].1["objectId"], "B2");

    stub.state
        .fault("POST /users/:id/userGroups", [Fault::CommitThenDrop]);
    client
        .add_membership(&user, Membership::UserGroups, "G1")
        .await
        .unwrap();
    assert_eq!(stub.state.memberships.lock().unwrap().len(), 1);
    assert_eq!(stub.state.hits("POST /users/:id/userGroups").len(), 1);
}

#[tokio::test]
async fn conflict_on_a_retry_is_resolved_by_lookup() {
    let stub = Stub::start().await;
    // Commit and lose the answer; the first lookup reads a stale (empty) list, so the client
    // re-sends and gets 409, which must be resolved by a second lookup, not reported.
    stub.state.fault("POST /users", [Fault::CommitThenDrop]);
    stub.state
        .fault("GET /users", [Fault::Json(200, json!([]))]);
    let id = stub
        .client()
        .create_user(&user_input("api.race"))
        .await
        .unwrap();
    assert_eq!(stub.state.hits("POST /users").len(), 2);
    // Stale list, then the second lookup's page and the empty page that ends it.
    assert_eq!(stub.state.hits("GET /users").len(), 3);
    let users = stub.state.users.lock().unwrap();
    assert_eq!(users.len(), 1);
    assert_eq!(users[0]["id"], id.as_str());
}

#[tokio::test]
async fn conflict_on_first_attempt_is_reported() {
    let stub = Stub::start().await;
    stub.state.add_user("taken");
    let err = stub
        .client()
        .create_user(&user_input("TAKEN"))
        .await
        .unwrap_err();
    assert!(err.is_conflict(), "{err:?}");
    assert_eq!(err.field(), Some("login"));
    assert_eq!(
        stub.state.hits("GET /users").len(),
        0,
        "no adoption on a genuine conflict"
    );
    assert_eq!(stub.state.users.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn create_validation_error_is_not_retried() {
    let stub = Stub::start().await;
    stub.state.fault(
        "POST /users",
        [Fault::status(400, "bad login", Some("login"))],
    );
    let err = stub
        .client()
        .create_user(&user_input("x"))
        .await
        .unwrap_err();
    assert_eq!(err.field(), Some("login"));
    assert_eq!(stub.state.hits("POST /users").len(), 1);
    assert!(stub.state.users.lock().unwrap().is_empty());
}

#[tokio::test]
async fn delete_whose_response_was_lost_counts_as_done() {
    let stub = Stub::start().await;
    let id = stub.state.add_user("gone.soon");
    stub.state
        .fault("DELETE /users/:id", [Fault::CommitThenDrop]);
    let client = stub.client();
    client.delete_user(&id).await.unwrap();
    assert!(stub.state.users.lock().unwrap().is_empty());
    assert_eq!(stub.state.hits("DELETE /users/:id").len(), 2);

    // A first-attempt 404 is a real NotFound.
    let err = client.delete_user(&id).await.unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    assert!(err.to_string().contains(&id));

    // So is a 404 after a 429 (refused before any write).
    stub.state
        .fault("DELETE /secrets/:id", [Fault::status(429, "slow", None)]);
    let err = client.delete_secret("ABSENT").await.unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
}

#[tokio::test]
async fn put_is_retried_after_500() {
    let stub = Stub::start().await;
    let id = stub.state.add_user("u");
    stub.state
        .fault("PUT /users/:id", [Fault::status(500, "oops", None)]);
    let mut input = user_input("u");
    input.first_name = "Renamed".into();
    stub.client().update_user(&id, &input).await.unwrap();
    assert_eq!(stub.state.hits("PUT /users/:id").len(), 2);
    assert_eq!(stub.state.users.lock().unwrap()[0]["firstName"], "Renamed");
}

#[tokio::test]
async fn rate_limit_is_shared_by_clones() {
    let stub = Stub::start().await;
    let id = stub.state.add_user("u");
    let mut config = stub.config();
    config.requests_per_second = Some(20.0);
    let client = RciClient::new(config).unwrap();
    let started = Instant::now();
    let tasks: Vec<_> = (0..10)
        .map(|_| {
            let c = client.clone();
            let id = id.clone();
            tokio::spawn(async move { c.get_user(&id).await.map(|_| ()) })
        })
        .collect();
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    // 10 requests at 20/s need at least 9 intervals of 50 ms, however fast the server is.
    assert!(
        started.elapsed() >= Duration::from_millis(440),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(client.requests_sent(), 10);
    // On the server's side: the last request cannot arrive before its slot, 9 intervals after
    // the first. (The span between first and last arrival is no bound: on a busy machine the
    // first request's connection may take longer than the later ones'.)
    let hits = stub.state.hits("GET /users/:id");
    let last = hits.iter().map(|h| h.at).max().unwrap();
    assert!(
        last.duration_since(started) >= Duration::from_millis(440),
        "{:?}",
        last.duration_since(started)
    );
}

#[tokio::test]
async fn read_cache_answers_many_reads_with_one_list_and_never_serves_own_writes_stale() {
    let stub = Stub::start().await;
    let ids: Vec<String> = (0..50)
        .map(|i| stub.state.add_user(&format!("u{i}")))
        .collect();
    let client = stub.client().with_read_cache(true);
    for id in &ids {
        assert_eq!(&client.get_user(id).await.unwrap().id, id);
    }
    // One page and the empty page that ends the list.
    assert_eq!(client.requests_sent(), 2);
    assert_eq!(stub.state.hits("GET /users/:id").len(), 0);

    let mut input = user_input("u0");
    input.surname = "Changed".into();
    client.update_user(&ids[0], &input).await.unwrap();
    assert_eq!(client.get_user(&ids[0]).await.unwrap().surname, "Changed");
    client.delete_user(&ids[1]).await.unwrap();
    assert!(client.get_user(&ids[1]).await.unwrap_err().is_not_found());

    let user = &ids[2];
    client.create_right(user, &right_input("Q1")).await.unwrap();
    let before = client.requests_sent();
    assert_eq!(client.list_rights(user).await.unwrap().len(), 1);
    assert_eq!(client.list_rights(user).await.unwrap().len(), 1);
    assert_eq!(client.requests_sent() - before, 2);
    client.create_right(user, &right_input("Q2")).await.unwrap();
    assert_eq!(client.list_rights(user).await.unwrap().len(), 2);

    // Without the cache every read is a request.
    let plain = stub.client();
    for id in &ids[2..12] {
        plain.get_user(id).await.unwrap();
    }
    assert_eq!(plain.requests_sent(), 10);
}

#[tokio::test]
async fn read_cache_loads_once_for_concurrent_readers() {
    let stub = Stub::start().await;
    let ids: Vec<String> = (0..30)
        .map(|i| stub.state.add_user(&format!("u{i}")))
        .collect();
    let secret = stub.state.add_secret("s1");
    let client = stub.client().with_read_cache(true);
    let tasks: Vec<_> = ids
        .iter()
        .cloned()
        .map(|id| {
            let c = client.clone();
            tokio::spawn(async move { c.get_user(&id).await.map(|u| u.id == id) })
        })
        .collect();
    for task in tasks {
        assert!(task.await.unwrap().unwrap());
    }
    // Each list: one page and the empty page that ends it.
    assert_eq!(stub.state.hits("GET /users").len(), 2);
    assert_eq!(client.get_secret(&secret).await.unwrap().name, "s1");
    assert_eq!(client.get_secret(&secret).await.unwrap().name, "s1");
    assert_eq!(stub.state.hits("GET /secrets").len(), 2);
    assert_eq!(client.requests_sent(), 4);
}

#[tokio::test]
async fn read_cache_is_not_used_when_lists_return_a_reduced_projection() {
    let stub = Stub::start().await;
    let id = stub.state.add_user("full");
    // A list item without `email` must not be read as "email is null".
    stub.state.users.lock().unwrap()[0]
        .as_object_mut()
        .unwrap()
        .remove("email");
    let client = stub.client().with_read_cache(true);
    assert_eq!(client.get_user(&id).await.unwrap().id, id);
    assert_eq!(client.get_user(&id).await.unwrap().id, id);
    assert_eq!(stub.state.hits("GET /users").len(), 2);
    assert_eq!(stub.state.hits("GET /users/:id").len(), 2);
}
