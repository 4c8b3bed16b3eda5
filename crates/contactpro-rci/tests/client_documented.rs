//! The client against a stub that answers as the product documentation says: projected lists,
//! full-replace PUTs, POSTs with a bare id, missing [ours] endpoints, smaller pages.

mod client_support;

use client_support::{CreateAnswer, Fault, Stub};
use contactpro_rci::{
    AuthenticationInput, ClientError, Endpoint, RightInput, SecretInput, SecretString, Support,
    UserInput,
};
use serde_json::json;
use std::sync::atomic::Ordering;

fn user_input(login: &str) -> UserInput {
    UserInput {
        first_name: "First".into(),
        surname: "Last".into(),
        login: login.into(),
        ..Default::default()
    }
}

fn query(hit: &client_support::Hit) -> String {
    hit.query.clone().unwrap_or_default()
}

#[tokio::test]
async fn update_keeps_every_field_the_client_does_not_manage() {
    let stub = Stub::start().await;
    let id = stub.state.add_user("agent");
    {
        let mut users = stub.state.users.lock().unwrap();
        let user = users[0].as_object_mut().unwrap();
        user.insert("phone".into(), json!("+358 40 123"));
        user.insert("chat".into(), json!("agent@chat"));
        user.insert("chatName".into(), json!("Agent"));
        user.insert("settings".into(), json!("TEMPLATE-1"));
        user.insert("synchronised".into(), json!(true));
        user.insert("someFutureField".into(), json!({"nested": [1, 2]}));
        user.insert("passwordExpiration".into(), json!("2027-01-01T00:00:00Z"));
    }
    let before = stub.state.users.lock().unwrap()[0].clone();
    let mut input = user_input("agent");
    input.title = Some("Team lead".into());
    input.email = Some("agent@example.com".into());
    stub.client().update_user(&id, &input).await.unwrap();

    let mut expected = before;
    expected["title"] = json!("Team lead");
    expected["email"] = json!("agent@example.com");
    let bodies = stub.state.bodies("PUT /users/:id");
    assert_eq!(bodies, vec![expected]);
    // Read first, then the whole object written back.
    let order: Vec<String> = stub
        .state
        .all_hits()
        .iter()
        .map(|h| format!("{} {}", h.method, h.route))
        .collect();
    assert_eq!(order, ["GET /users/:id", "PUT /users/:id"]);
}

#[tokio::test]
async fn authentication_put_keeps_received_fields_and_sends_a_password_only_when_set() {
    let stub = Stub::start().await;
    let id = stub.state.add_user("svc");
    stub.state.authentications.lock().unwrap().insert(
        id.clone(),
        json!({"login": "svc", "serviceAccount": false, "serviceAccountExpiration": null,
               "passwordExpiration": "2027-01-01T00:00:00Z", "passwordSet": true, "mfa": "on"}),
    );
    let client = stub.client();
    let mut input = AuthenticationInput {
        login: "svc".into(),
        password: None,
        service_account: true,
        service_account_expiration: Some("2030-01-01T00:00:00Z".into()),
    };
    client.set_authentication(&id, &input).await.unwrap();
    input.password = Some(SecretString::new("a-long-enough-password-123"));
    client.set_authentication(&id, &input).await.unwrap();

    let bodies = stub.state.bodies("PUT /users/:id/authentication");
    // The read-only passwordExpiration and passwordSet are this project's contract: not sent back.
    let expected = json!({"login": "svc", "serviceAccount": true,
        "serviceAccountExpiration": "2030-01-01T00:00:00Z", "mfa": "on"});
    assert_eq!(bodies[0], expected);
    let mut with_password = expected;
    with_password["password"] = json!("a-long-enough-password-123");
    assert_eq!(bodies[1], with_password);
}

#[tokio::test]
async fn right_put_starts_from_the_server_copy() {
    let stub = Stub::start().await;
    let user = stub.state.add_user("u");
    let client = stub.client();
    let right = RightInput {
        object_type: "Queue".into(),
        object_id: "Q1".into(),
        access_types: vec!["View".into()],
        grant: vec![],
    };
    let rid = client.create_right(&user, &right).await.unwrap();
    stub.state.rights.lock().unwrap()[0].1["validUntil"] = json!("2031-01-01");
    let mut changed = right.clone();
    changed.access_types.push("Modify".into());
    client.update_right(&user, &rid, &changed).await.unwrap();
    assert_eq!(
        stub.state.bodies("PUT /users/:id/rights/:rid"),
        vec![json!({"objectType": "Queue", "objectId": "Q1",
                    "accessTypes": ["View", "Modify"], "grant": [], "validUntil": "2031-01-01"})]
    );
}

#[tokio::test]
async fn user_lists_name_the_fields_they_need_and_filters_win() {
    let stub = Stub::start().await;
    stub.state.add_user("abc");
    let client = stub.client();
    let users = client.list_users(&[]).await.unwrap();
    assert_eq!(users[0].login, "abc");
    let q = query(&stub.state.hits("GET /users")[0]);
    for field in [
        "login=*",
        "email=*",
        "title=*",
        "location=*",
        "timeZone=*",
        "uiLanguage=*",
        "promptLanguage=*",
        "externalId=*",
        "passwordExpiration=*",
        "serviceAccount=*",
        "userGroupIds=*",
        "roleIds=*",
    ] {
        assert!(q.contains(field), "{field} missing in {q}");
    }
    // The documented list projects only what is named, so no item needed a GET by id.
    assert!(stub.state.hits("GET /users/:id").is_empty());

    client.find_user_by_login("ABC").await.unwrap().unwrap();
    let q = query(stub.state.hits("GET /users").last().unwrap());
    assert!(q.contains("login=ABC"), "{q}");
    assert!(!q.contains("login=*"), "{q}");
}

#[tokio::test]
async fn extras_refused_once_then_never_asked_again() {
    let stub = Stub::start().await;
    stub.state.add_user("u1");
    stub.state.refuse_extras.store(true, Ordering::Relaxed);
    let client = stub.client();
    let users = client.list_users(&[]).await.unwrap();
    assert_eq!(users.len(), 1);
    assert_eq!(users[0].service_account, None);
    assert_eq!(users[0].user_group_ids, None);
    client.list_users(&[]).await.unwrap();
    // A clone shares what the client learned.
    client.clone().list_users(&[]).await.unwrap();

    let queries: Vec<String> = stub.state.hits("GET /users").iter().map(query).collect();
    let refused = queries
        .iter()
        .filter(|q| q.contains("serviceAccount"))
        .count();
    assert_eq!(refused, 1, "{queries:?}");
    // 1 refused + 3 lists of (one page + the empty page).
    assert_eq!(queries.len(), 7, "{queries:?}");
    assert!(queries[1].contains("login=*"), "{}", queries[1]);
}

#[tokio::test]
async fn a_field_absent_from_a_list_item_is_read_by_id() {
    let stub = Stub::start().await;
    stub.state.add_user("complete");
    let partial = stub.state.add_user("partial");
    stub.state.users.lock().unwrap()[1]
        .as_object_mut()
        .unwrap()
        .remove("title");
    let users = stub.client().list_users(&[]).await.unwrap();
    assert_eq!(users.len(), 2);
    let by_id = stub.state.hits("GET /users/:id");
    assert_eq!(by_id.len(), 1);
    assert_eq!(users[1].id, partial);
}

#[tokio::test]
async fn post_answered_with_a_bare_text_id_and_no_location() {
    let stub = Stub::start().await;
    *stub.state.create_answer.lock().unwrap() = CreateAnswer::TextOnly;
    let id = stub
        .client()
        .create_user(&user_input("text.id"))
        .await
        .unwrap();
    assert_eq!(id.len(), 32);
    assert_eq!(stub.state.users.lock().unwrap()[0]["id"], id.as_str());
    assert!(stub.state.hits("GET /users").is_empty(), "no lookup needed");
    let post = &stub.state.hits("POST /users")[0];
    assert_eq!(post.headers["accept"], "text/html, application/json");
}

#[tokio::test]
async fn post_answered_with_only_location() {
    let stub = Stub::start().await;
    *stub.state.create_answer.lock().unwrap() = CreateAnswer::LocationOnly;
    let client = stub.client();
    let id = client.create_user(&user_input("loc.id")).await.unwrap();
    assert_eq!(stub.state.users.lock().unwrap()[0]["id"], id.as_str());
    let user = stub.state.add_user("holder");
    let secret = SecretInput {
        name: "s".into(),
        kind: "header".into(),
        secret: Some(SecretString::new("value-1")),
        ..Default::default()
    };
    let sid = client.create_secret(&secret).await.unwrap();
    assert_eq!(stub.state.secrets.lock().unwrap()[0]["id"], sid.as_str());
    assert!(stub.state.hits("GET /users").is_empty());
    assert!(stub.state.hits("GET /secrets").is_empty());
    assert_ne!(user, id);
}

#[tokio::test]
async fn post_answered_with_nothing_is_resolved_by_the_natural_key() {
    let stub = Stub::start().await;
    *stub.state.create_answer.lock().unwrap() = CreateAnswer::Nothing;
    let client = stub.client();
    let id = client
        .create_user(&user_input("found.by.login"))
        .await
        .unwrap();
    assert_eq!(stub.state.users.lock().unwrap()[0]["id"], id.as_str());
    let lookup = query(&stub.state.hits("GET /users")[0]);
    assert!(lookup.contains("login=found.by.login"), "{lookup}");
    assert_eq!(stub.state.hits("POST /users").len(), 1);

    let secret = SecretInput {
        name: "by-name".into(),
        kind: "header".into(),
        secret: Some(SecretString::new("value-2")),
        ..Default::default()
    };
    let sid = client.create_secret(&secret).await.unwrap();
    assert_eq!(stub.state.secrets.lock().unwrap()[0]["id"], sid.as_str());

    let right = RightInput {
        object_type: "Queue".into(),
        object_id: "Q7".into(),
        access_types: vec!["View".into()],
        grant: vec![],
    };
    let rid = client.create_right(&id, &right).await.unwrap();
    assert_eq!(stub.state.rights.lock().unwrap()[0].1["id"], rid.as_str());
}

#[tokio::test]
async fn missing_sub_resource_of_an_existing_user_is_unsupported_not_gone() {
    let stub = Stub::start().await;
    let id = stub.state.add_user("present");
    let client = stub.client();
    let missing = || Fault::status(404, "no such resource: users/{id}/authentication", None);
    stub.state
        .fault("GET /users/:id/authentication", [missing()]);
    let err = client.get_authentication(&id).await.unwrap_err();
    assert_eq!(
        err,
        ClientError::Unsupported {
            endpoint: "users/{id}/authentication",
            status: 404
        }
    );
    assert!(err.is_unsupported() && !err.is_not_found());
    assert_eq!(
        err.to_string(),
        "this tenant does not offer `users/{id}/authentication` (HTTP 404)"
    );

    // A write fails the same way, before any PUT.
    stub.state
        .fault("GET /users/:id/authentication", [missing()]);
    let input = AuthenticationInput {
        login: "present".into(),
        ..Default::default()
    };
    let err = client.set_authentication(&id, &input).await.unwrap_err();
    assert!(err.is_unsupported(), "{err:?}");
    assert!(stub.state.hits("PUT /users/:id/authentication").is_empty());

    // 405 on a membership list, 404 on the rights list.
    stub.state.fault(
        "GET /users/:id/userGroups",
        [Fault::status(405, "method not allowed", None)],
    );
    let err = client
        .list_memberships(&id, contactpro_rci::Membership::UserGroups)
        .await
        .unwrap_err();
    assert_eq!(
        err,
        ClientError::Unsupported {
            endpoint: "users/{id}/userGroups",
            status: 405
        }
    );
    stub.state
        .fault("GET /users/:id/rights", [Fault::status(404, "nope", None)]);
    assert!(client.list_rights(&id).await.unwrap_err().is_unsupported());
}

#[tokio::test]
async fn sub_resource_and_user_both_missing_is_not_found() {
    let stub = Stub::start().await;
    let client = stub.client();
    let absent = "0123456789ABCDEF0123456789ABCDEF";
    let err = client.get_authentication(absent).await.unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    assert_eq!(stub.state.hits("GET /users/:id").len(), 1);
    assert!(client.list_rights(absent).await.unwrap_err().is_not_found());
}

#[tokio::test]
async fn secret_404_tells_gone_from_no_secrets_endpoint() {
    let stub = Stub::start().await;
    let client = stub.client();
    // The secret is gone, the list answers.
    let err = client.get_secret("GONE").await.unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    assert!(query(&stub.state.hits("GET /secrets")[0]).contains("limit=1"));

    stub.state.fault(
        "GET /secrets",
        [
            Fault::status(404, "no such resource: secrets", None),
            Fault::status(404, "no such resource: secrets", None),
        ],
    );
    let err = client.get_secret("ANY").await.unwrap_err();
    assert_eq!(
        err,
        ClientError::Unsupported {
            endpoint: "secrets",
            status: 404
        }
    );
    assert!(client
        .list_secrets(None)
        .await
        .unwrap_err()
        .is_unsupported());
}

#[tokio::test]
async fn a_server_paging_by_10_still_gives_every_item() {
    let stub = Stub::start().await;
    stub.state.page_cap.store(10, Ordering::Relaxed);
    for i in 0..25 {
        stub.state.add_user(&format!("user.{i}"));
    }
    let client = stub.client();
    let users = client.list_users(&[]).await.unwrap();
    assert_eq!(users.len(), 25);
    let offsets: Vec<String> = stub.state.hits("GET /users").iter().map(query).collect();
    assert_eq!(offsets.len(), 4, "{offsets:?}");
    assert!(offsets[3].contains("offset=25&"), "{}", offsets[3]);
}

/// The RCI documents paging for `users` only: a list answered whole whatever `offset` says is read
/// once, not refused as endless.
#[tokio::test]
async fn a_list_the_server_does_not_page_is_read_whole() {
    let stub = Stub::start().await;
    stub.state.unpaged.store(true, Ordering::Relaxed);
    for i in 0..3 {
        stub.state.add_user(&format!("user.{i}"));
    }
    let client = stub.client();
    let users = client.list_users(&[]).await.unwrap();
    assert_eq!(users.len(), 3);
    assert_eq!(stub.state.hits("GET /users").len(), 2);
}

#[tokio::test]
async fn refreshing_many_users_costs_few_list_requests() {
    let stub = Stub::start().await;
    let ids: Vec<String> = (0..2500)
        .map(|i| stub.state.add_user(&format!("u{i}")))
        .collect();
    let client = stub.client().with_read_cache(true);
    for id in &ids {
        client.get_user(id).await.unwrap();
    }
    let lists = stub.state.hits("GET /users").len();
    assert!(lists <= 2500 / 50 + 5, "{lists}");
    assert_eq!(client.requests_sent(), lists as u64);
}

#[tokio::test]
async fn queue_without_channel_decodes() {
    let stub = Stub::start().await;
    stub.state.queues.lock().unwrap().extend([
        json!({"id": "Q1", "name": "Sales"}),
        json!({"id": "Q2", "name": "Chat", "channel": "chat"}),
    ]);
    let queues = stub.client().list_queues(None).await.unwrap();
    assert_eq!(queues[0].channel, None);
    assert_eq!(queues[1].channel.as_deref(), Some("chat"));
}

#[tokio::test]
async fn endpoint_support_is_checked_once_per_endpoint() {
    let stub = Stub::start().await;
    stub.state.add_user("someone");
    let own = stub.state.add_user(client_support::USERNAME);
    let client = stub.client();
    let checked = [
        Endpoint::Users,
        Endpoint::UserById,
        Endpoint::Authentication,
        Endpoint::Rights,
        Endpoint::Secrets,
        Endpoint::Queues,
        Endpoint::QueueGroups,
    ];
    for _ in 0..3 {
        let tasks: Vec<_> = checked
            .iter()
            .map(|e| {
                let c = client.clone();
                let e = *e;
                tokio::spawn(async move { (e, c.endpoint_support(e).await.unwrap()) })
            })
            .collect();
        for task in tasks {
            let (endpoint, support) = task.await.unwrap();
            let expected = match endpoint {
                Endpoint::QueueGroups => Support::Missing { status: 404 },
                _ => Support::Offered,
            };
            assert_eq!(support, expected, "{endpoint:?}");
        }
    }
    let hits = stub.state.all_hits();
    let count = |key: &str| {
        hits.iter()
            .filter(|h| format!("{} {}", h.method, h.route) == key)
            .count()
    };
    // Users: its own check plus the one lookup of the API user.
    assert_eq!(count("GET /users"), 2);
    assert_eq!(count("GET /users/:id"), 1);
    assert_eq!(count("GET /users/:id/authentication"), 1);
    assert_eq!(count("GET /users/:id/rights"), 1);
    assert_eq!(count("GET /secrets"), 1);
    assert_eq!(count("GET /queues"), 1);
    assert_eq!(count("GET /queueGroups"), 1);
    assert_eq!(hits.len(), 8);
    // The sub-resources were checked on the API user's own id.
    let lookup = hits
        .iter()
        .find(|h| h.route == "/users" && query(h).contains("login="))
        .unwrap();
    assert!(query(lookup).contains(&format!("login={}", client_support::USERNAME)));
    let auth = hits
        .iter()
        .find(|h| h.route == "/users/:id/authentication")
        .unwrap();
    assert!(auth.path.contains(&own), "{}", auth.path);
}

#[tokio::test]
async fn endpoint_support_without_a_visible_user_is_unknown() {
    let stub = Stub::start().await;
    let client = stub.client();
    assert_eq!(
        client.endpoint_support(Endpoint::Users).await.unwrap(),
        Support::Offered
    );
    let support = client
        .endpoint_support(Endpoint::Authentication)
        .await
        .unwrap();
    assert!(matches!(support, Support::Unknown { .. }), "{support:?}");
    assert!(stub.state.hits("GET /users/:id/authentication").is_empty());
    assert_eq!(Endpoint::ALL.len(), 10);
    assert_eq!(Endpoint::Authentication.path(), "users/{id}/authentication");
}

/// Accepts connections on a free loopback port and answers each request with `answer`;
/// returns the base URL and the count of connections accepted.
async fn raw_server(answer: String) -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let accepted = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = accepted.clone();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            counter.fetch_add(1, Ordering::SeqCst);
            let answer = answer.clone();
            tokio::spawn(async move {
                let mut buf = [0u8; 4096];
                let _ = stream.read(&mut buf).await;
                let _ = stream.write_all(answer.as_bytes()).await;
            });
        }
    });
    (format!("http://{addr}"), accepted)
}

/// A redirect could carry the API key and the Basic credentials to another host, so the client
/// never follows one (docs: "the RCI never redirects"): the target sees no connection at all.
#[tokio::test]
async fn redirects_are_not_followed() {
    let (target, target_connections) =
        raw_server("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n[]".into()).await;
    let redirect = format!(
        "HTTP/1.1 302 Found\r\nLocation: {target}/t/RI/rci/users\r\nContent-Length: 0\r\n\r\n"
    );
    let (origin, origin_connections) = raw_server(redirect).await;
    let stub = Stub::start().await;
    let mut config = stub.config();
    config.base_url = format!("{origin}/t/RI").parse().unwrap();
    let client = contactpro_rci::RciClient::new(config).unwrap();
    let result = client.list_users(&[]).await;
    assert!(result.is_err(), "a 302 is an error, not a list: {result:?}");
    assert!(origin_connections.load(Ordering::SeqCst) >= 1);
    assert_eq!(
        target_connections.load(Ordering::SeqCst),
        0,
        "the redirect was followed"
    );
}
