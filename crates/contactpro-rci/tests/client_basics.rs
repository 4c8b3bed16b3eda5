//! Client against a stub RCI: headers, paths, paging, exact lookups, error mapping, secrecy, config.

mod client_support;

use base64::Engine;
use client_support::{echoed, Fault, Stub, API_KEY, PASSWORD, USERNAME};
use contactpro_rci::{
    AuthenticationInput, ClientError, RciClient, SecretInput, SecretString, UserInput,
};
use std::collections::HashSet;

fn user_input(login: &str) -> UserInput {
    UserInput {
        first_name: "Api".into(),
        surname: "User".into(),
        login: login.into(),
        ..Default::default()
    }
}

#[tokio::test]
async fn sends_credentials_accept_and_json_content_type() {
    let stub = Stub::start().await;
    let client = stub.client();
    let id = client.create_user(&user_input("api.one")).await.unwrap();
    let user = client.get_user(&id).await.unwrap();
    assert_eq!(user.login, "api.one");

    let hits = stub.state.all_hits();
    assert_eq!(hits.len(), 2);
    for hit in &hits {
        assert_eq!(hit.headers["x-api-key"], API_KEY);
        let basic = format!("{USERNAME}:{PASSWORD}");
        let expected = format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(basic)
        );
        assert_eq!(hit.headers["authorization"], expected.as_str());
        // POST asks for the documented text/html (the bare id) and JSON.
        let accept = if hit.method == "POST" {
            "text/html, application/json"
        } else {
            "application/json"
        };
        assert_eq!(hit.headers["accept"], accept);
        assert_eq!(hit.headers.get_all("accept").iter().count(), 1);
        assert_eq!(hit.headers["user-agent"], "client-tests");
    }
    assert_eq!(hits[0].method, "POST");
    assert_eq!(hits[0].headers["content-type"], "application/json");
    assert_eq!(hits[1].route, "/users/:id");
    assert!(!hits[1].headers.contains_key("content-type"));
}

#[tokio::test]
async fn base_url_with_trailing_slash_works() {
    let stub = Stub::start().await;
    stub.state.add_user("someone");
    let mut config = stub.config();
    config.base_url = format!("{}/", stub.base_url).parse().unwrap();
    let client = RciClient::new(config).unwrap();
    assert_eq!(client.list_users(&[]).await.unwrap().len(), 1);
}

#[tokio::test]
async fn lists_follow_pages_until_an_empty_page() {
    let stub = Stub::start().await;
    let mut expected = HashSet::new();
    for i in 0..2500 {
        expected.insert(stub.state.add_user(&format!("user.{i}")));
    }
    let client = stub.client();
    let users = client.list_users(&[]).await.unwrap();
    let got: HashSet<String> = users.into_iter().map(|u| u.id).collect();
    assert_eq!(got, expected);

    let queries: Vec<String> = stub
        .state
        .hits("GET /users")
        .into_iter()
        .map(|h| h.query.unwrap_or_default())
        .collect();
    // A short page does not end the list (a server may page by less); the empty one does.
    assert_eq!(queries.len(), 4, "{queries:?}");
    for (q, offset) in queries.iter().zip([0, 1000, 2000, 2500]) {
        assert!(q.contains(&format!("offset={offset}&")), "{q}");
        assert!(q.contains("limit=1000"), "{q}");
    }
    assert_eq!(client.requests_sent(), 4);
}

#[tokio::test]
async fn filters_are_sent_and_exact_matches_picked() {
    let stub = Stub::start().await;
    stub.state.add_user("abc");
    stub.state.add_user("axc");
    let client = stub.client();

    let found = client.find_user_by_login("ABC").await.unwrap().unwrap();
    assert_eq!(found.login, "abc");
    let query = stub.state.hits("GET /users")[0].query.clone().unwrap();
    assert!(query.contains("login=ABC"), "{query}");
    // The server treats `?` as a wildcard and returns both; neither is literally "a?c".
    assert_eq!(
        client.list_users(&[("login", "a?c")]).await.unwrap().len(),
        2
    );
    assert!(client.find_user_by_login("a?c").await.unwrap().is_none());
    assert!(client.find_user_by_login("nobody").await.unwrap().is_none());

    stub.state.add_secret("db-prod");
    let upper = stub.state.add_secret("DB-PROD");
    assert_eq!(
        client
            .find_secret_by_name("DB-PROD")
            .await
            .unwrap()
            .unwrap()
            .id,
        upper
    );
    assert!(client.find_secret_by_name("db*").await.unwrap().is_none());
    assert!(client
        .find_secret_by_name("Db-Prod")
        .await
        .unwrap()
        .is_none());
}

#[tokio::test]
async fn statuses_map_to_typed_errors_with_message_and_field() {
    let stub = Stub::start().await;
    let id = stub.state.add_user("target");
    let mut config = stub.config();
    config.max_retries = 0;
    let client = RciClient::new(config).unwrap();
    let cases = [400, 401, 403, 404, 409, 413, 415, 422, 429, 500, 502, 503];
    for status in cases {
        stub.state.fault(
            "GET /users/:id",
            [Fault::status(
                status,
                &format!("msg-{status}"),
                Some("login"),
            )],
        );
        let err = client.get_user(&id).await.unwrap_err();
        let text = err.to_string();
        match (status, &err) {
            (
                400 | 413 | 415 | 422,
                ClientError::Validation {
                    status: s,
                    message,
                    field,
                },
            ) => {
                assert_eq!(*s, status);
                assert_eq!(message, &format!("msg-{status}"));
                assert_eq!(field.as_deref(), Some("login"));
            }
            (401, ClientError::Unauthorized) => {}
            (403, ClientError::Forbidden { message }) => assert_eq!(message, "msg-403"),
            (404, ClientError::NotFound { what, message }) => {
                assert_eq!(what, &format!("user {id}"));
                assert_eq!(message, "msg-404");
                assert!(err.is_not_found());
            }
            (409, ClientError::Conflict { message, field }) => {
                assert_eq!(message, "msg-409");
                assert_eq!(field.as_deref(), Some("login"));
                assert!(err.is_conflict());
            }
            (429, ClientError::Throttled { attempts }) => assert_eq!(*attempts, 1),
            (
                500 | 502 | 503,
                ClientError::Server {
                    status: s,
                    message,
                    attempts,
                },
            ) => {
                assert_eq!(*s, status);
                assert_eq!(message, &format!("msg-{status}"));
                assert_eq!(*attempts, 1);
            }
            _ => panic!("HTTP {status} mapped to {err:?}"),
        }
        assert!(text.contains(&status.to_string()), "{text}");
    }
    // max_retries = 0: exactly one request per case.
    assert_eq!(client.requests_sent(), cases.len() as u64);
}

#[tokio::test]
async fn wrong_credentials_map_to_unauthorized_and_forbidden() {
    let stub = Stub::start().await;
    let mut config = stub.config();
    config.password = SecretString::new("wrong-password-1234");
    let err = RciClient::new(config)
        .unwrap()
        .list_users(&[])
        .await
        .unwrap_err();
    assert_eq!(err, ClientError::Unauthorized);

    let mut config = stub.config();
    config.api_key = SecretString::new("wrong-key");
    let err = RciClient::new(config)
        .unwrap()
        .list_users(&[])
        .await
        .unwrap_err();
    assert!(matches!(err, ClientError::Forbidden { .. }), "{err:?}");
}

fn assert_no_secret(text: &str, secrets: &[&str]) {
    for secret in secrets {
        assert!(!text.contains(secret), "secret leaked into: {text}");
    }
}

#[tokio::test]
async fn no_secret_value_in_any_error() {
    let stub = Stub::start().await;
    let client = stub.client();
    let id = stub.state.add_user("api.secretive");
    // Characters that URL-encoding changes, so each echoed form differs from the value.
    let weak = "weak pw/Q7+x&";
    let mut errors = Vec::new();

    // The stub echoes the rejected password in its message; the client must scrub it.
    let input = AuthenticationInput {
        login: "api.secretive".into(),
        password: Some(SecretString::new(weak)),
        service_account: false,
        service_account_expiration: None,
    };
    let err = client.set_authentication(&id, &input).await.unwrap_err();
    assert_eq!(err.field(), Some("password"));
    errors.push(err);

    let secret_value = "s3cr3t value/that+must=not&leak";
    stub.state.add_secret("dup");
    let secret = SecretInput {
        name: "dup".into(),
        kind: "header".into(),
        secret: Some(SecretString::new(secret_value)),
        ..Default::default()
    };
    errors.push(client.create_secret(&secret).await.unwrap_err());

    // Server messages that echo the admin password or API key are scrubbed too, in every form,
    // and so is the Basic header's base64 of `user:password`.
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("{USERNAME}:{PASSWORD}"));
    stub.state.fault(
        "GET /users/:id",
        [Fault::status(
            400,
            &format!(
                "bad {} {} Authorization: Basic {basic}",
                echoed(PASSWORD),
                echoed(API_KEY)
            ),
            None,
        )],
    );
    errors.push(client.get_user(&id).await.unwrap_err());

    // A long message is cut, but never in a way that leaves part of a secret behind.
    let long = format!("{}{PASSWORD}{}", "x".repeat(495), "y".repeat(5000));
    stub.state
        .fault("GET /users/:id", [Fault::status(400, &long, None)]);
    let err = client.get_user(&id).await.unwrap_err();
    let ClientError::Validation { message, .. } = &err else {
        panic!("{err:?}")
    };
    assert!(message.chars().count() <= 501, "{}", message.len());
    assert_no_secret(message, &[&PASSWORD[..5]]);
    errors.push(err);

    let mut config = stub.config();
    config.password = SecretString::new("another-wrong-password");
    errors.push(
        RciClient::new(config)
            .unwrap()
            .get_user(&id)
            .await
            .unwrap_err(),
    );

    // Transport errors: nothing listens on port 9 of localhost.
    let mut config = stub.config();
    config.base_url = "http://127.0.0.1:9/t/RI".parse().unwrap();
    config.max_retries = 1;
    let err = RciClient::new(config)
        .unwrap()
        .get_user(&id)
        .await
        .unwrap_err();
    assert!(
        matches!(err, ClientError::Transport { attempts: 2, .. }),
        "{err:?}"
    );
    errors.push(err);

    let mut config = stub.config();
    config.api_key = SecretString::new("key-with\nnewline");
    errors.push(RciClient::new(config).unwrap_err());

    let mut all: Vec<String> = [
        weak,
        secret_value,
        PASSWORD,
        API_KEY,
        "another-wrong-password",
        "key-with",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    // The encoded forms the stub echoes; none may survive either.
    for value in [weak, secret_value, PASSWORD, API_KEY] {
        all.push(base64::engine::general_purpose::STANDARD.encode(value));
        let form: String = url::form_urlencoded::byte_serialize(value.as_bytes()).collect();
        all.push(form.replace('+', "%20"));
        all.push(form);
    }
    all.push(basic);
    let all: Vec<&str> = all.iter().map(String::as_str).collect();
    for err in &errors {
        assert_no_secret(&format!("{err} | {err:?}"), &all);
    }
    assert_no_secret(&format!("{:?} {:?}", stub.config(), client), &all);
}

/// A config is shown (`{:?}`) before `RciClient::new` refuses user info: the URL is masked.
#[tokio::test]
async fn a_configs_debug_masks_the_urls_user_info_and_query() {
    let stub = Stub::start().await;
    let mut config = stub.config();
    config.base_url = "https://api:url-pw-4d2@tenant.example/t/RI?key=url-key-9a1"
        .parse()
        .unwrap();
    let shown = format!("{config:?}");
    assert!(shown.contains("tenant.example/t/RI"), "{shown}");
    assert_no_secret(&shown, &["url-pw-4d2", "url-key-9a1", PASSWORD, API_KEY]);
    let err = RciClient::new(config).unwrap_err();
    assert_no_secret(&format!("{err} {err:?}"), &["url-pw-4d2", "url-key-9a1"]);
}

#[tokio::test]
async fn invalid_settings_are_config_errors() {
    let stub = Stub::start().await;
    let check = |mutate: &dyn Fn(&mut contactpro_rci::ClientConfig)| {
        let mut config = stub.config();
        mutate(&mut config);
        match RciClient::new(config) {
            Err(ClientError::Config(_)) => {}
            other => panic!("expected a Config error, got {other:?}"),
        }
    };
    check(&|c| c.base_url = "ftp://host/t/RI".parse().unwrap());
    check(&|c| c.base_url = "http://u:p@host/t/RI".parse().unwrap());
    check(&|c| c.requests_per_second = Some(0.0));
    check(&|c| c.requests_per_second = Some(f64::NAN));
    check(&|c| c.requests_per_second = Some(1e-300));
    check(&|c| c.requests_per_second = Some(-5.0));
    check(&|c| c.request_timeout = std::time::Duration::ZERO);
    check(&|c| c.ca_cert_pem = Some(b"not a certificate".to_vec()));
    check(&|c| c.username = "a:b".into());
    assert!(RciClient::new(stub.config()).is_ok());
}
