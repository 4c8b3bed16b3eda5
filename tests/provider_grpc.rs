//! The provider binary driven over the plugin protocol, as Terraform core drives it, against the
//! emulator: schema, validation diagnostics with attribute paths, configure diagnostics, plan,
//! apply, read, import and reads of objects deleted outside Terraform; the ephemeral resource
//! `contactpro_password` through every ephemeral RPC. And our plugin server itself: the handshake,
//! mutual TLS, every RPC, unknown RPCs, StopProvider and Shutdown.
mod support;

use std::collections::BTreeSet;
use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::{json, Value as Json};
use support::bins::provider_binary;
use support::diag::{assert_no_errors, has_errors};
use support::emulator::EmulatorProcess;
use support::grpc::ClientIdentity;
use support::proto::schema::{nested_block::NestingMode, Block};
use support::proto::{self as tf, health, plugin};
use support::rci::Rci;
use support::{Diag, ProviderProcess, UNKNOWN};

/// Settings the provider would otherwise read from the test runner's environment.
const CLEARED_ENV: [(&str, &str); 4] = [
    ("CONTACTPRO_URL", ""),
    ("CONTACTPRO_API_KEY", ""),
    ("CONTACTPRO_USERNAME", ""),
    ("CONTACTPRO_PASSWORD", ""),
];

fn provider() -> ProviderProcess {
    ProviderProcess::start_with_env(&provider_binary(), &CLEARED_ENV)
}

/// As Terraform starts it: with a client certificate, over mutual TLS.
fn provider_mtls() -> ProviderProcess {
    ProviderProcess::start_with_mtls(&provider_binary(), &CLEARED_ENV)
}

/// A provider configured for the emulator's `demo` tenant, over mutual TLS.
fn configured(rci: &Rci) -> ProviderProcess {
    configured_with(rci, 0)
}

fn configured_with(rci: &Rci, max_retries: u32) -> ProviderProcess {
    let p = provider_mtls();
    let env: std::collections::HashMap<_, _> = rci.provider_env().into_iter().collect();
    let diags = p.configure(&json!({
        "url": env["CONTACTPRO_URL"],
        "api_key": env["CONTACTPRO_API_KEY"],
        "username": env["CONTACTPRO_USERNAME"],
        "password": env["CONTACTPRO_PASSWORD"],
        "max_retries": max_retries,
    }));
    assert_no_errors("ConfigureProvider", &diags);
    p
}

fn names(block: &Block) -> BTreeSet<String> {
    block.attributes.iter().map(|a| a.name.clone()).collect()
}

fn write_only(block: &Block) -> BTreeSet<String> {
    block
        .attributes
        .iter()
        .filter(|a| a.write_only)
        .map(|a| a.name.clone())
        .collect()
}

fn sensitive(block: &Block) -> BTreeSet<String> {
    block
        .attributes
        .iter()
        .filter(|a| a.sensitive)
        .map(|a| a.name.clone())
        .collect()
}

fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| s.to_string()).collect()
}

fn errors(diags: &[Diag]) -> Vec<&Diag> {
    diags.iter().filter(|d| d.is_error()).collect()
}

#[test]
fn schema_declares_resources_data_sources_and_sensitive_attributes() {
    let p = provider();
    let schema = p.schema();
    assert_no_errors(
        "GetProviderSchema",
        &support::diag::convert(&schema.diagnostics),
    );

    let resources: BTreeSet<_> = schema.resource_schemas.keys().cloned().collect();
    assert_eq!(
        resources,
        set(&[
            "contactpro_secret",
            "contactpro_user",
            "contactpro_user_group",
            "contactpro_user_group_membership",
            "contactpro_user_right",
            "contactpro_user_rights",
            "contactpro_user_role_membership",
        ])
    );
    let data_sources: BTreeSet<_> = schema.data_source_schemas.keys().cloned().collect();
    assert_eq!(
        data_sources,
        set(&[
            "contactpro_queue",
            "contactpro_queue_group",
            "contactpro_queue_groups",
            "contactpro_queues",
            "contactpro_roles",
            "contactpro_secret",
            "contactpro_secrets",
            "contactpro_user",
            "contactpro_user_group",
            "contactpro_user_groups",
            "contactpro_users",
        ])
    );

    let provider_block = p.provider_block();
    assert_eq!(
        names(&provider_block),
        set(&[
            "url",
            "api_key",
            "username",
            "password",
            "max_retries",
            "request_timeout",
            "requests_per_second",
            "ca_cert_file",
            "insecure_http",
        ])
    );
    assert_eq!(sensitive(&provider_block), set(&["api_key", "password"]));

    let user = p.resource_block("contactpro_user");
    assert_eq!(
        names(&user),
        set(&[
            "id",
            "first_name",
            "last_name",
            "login",
            "email",
            "title",
            "location",
            "time_zone",
            "ui_language",
            "prompt_language",
            "external_id",
            "user_group_ids",
            "role_ids",
            "password",
            "password_wo",
            "password_wo_version",
            "service_account",
            "service_account_expires_at",
            "password_expires_at",
        ])
    );
    assert_eq!(sensitive(&user), set(&["password"]));
    assert_eq!(write_only(&user), set(&["password_wo"]));
    let id = user.attributes.iter().find(|a| a.name == "id").unwrap();
    assert!(
        id.computed && !id.optional && !id.required,
        "user id is computed only"
    );

    let secret = p.resource_block("contactpro_secret");
    assert!(names(&secret).is_superset(&set(&[
        "id",
        "name",
        "description",
        "type",
        "authentication_id",
        "access_token_url",
        "secret",
        "secret_wo",
        "secret_wo_version",
    ])));
    assert_eq!(sensitive(&secret), set(&["secret"]));
    assert_eq!(write_only(&secret), set(&["secret_wo"]));
    assert_eq!(write_only(&p.provider_block()), set(&[]));

    let rights = p.resource_block("contactpro_user_rights");
    assert_eq!(names(&rights), set(&["id", "user_id"]));
    let right = rights
        .block_types
        .iter()
        .find(|b| b.type_name == "right")
        .expect("a `right` block");
    assert_eq!(
        NestingMode::try_from(right.nesting).unwrap(),
        NestingMode::Set
    );
    assert_eq!(
        names(right.block.as_ref().unwrap()),
        set(&["object_type", "object_id", "access", "grant"])
    );
    assert!(sensitive(&rights).is_empty());

    // Every attribute of every resource carries a description.
    for (type_name, schema) in &schema.resource_schemas {
        for attribute in &schema.block.as_ref().unwrap().attributes {
            assert!(
                !attribute.description.trim().is_empty(),
                "{type_name}.{} has no description",
                attribute.name
            );
        }
    }
    for (type_name, attrs) in [
        ("contactpro_user_group", vec!["name", "id", "parent_id"]),
        ("contactpro_queue", vec!["name", "id", "channel"]),
        ("contactpro_queue_group", vec!["name", "id", "queue_ids"]),
        (
            "contactpro_user",
            vec!["login", "id", "first_name", "last_name"],
        ),
        (
            "contactpro_secret",
            vec!["name", "id", "type", "secret_set"],
        ),
    ] {
        let block = p.data_source_block(type_name);
        assert!(
            names(&block).is_superset(&set(&attrs)),
            "data source {type_name}: {:?}",
            names(&block)
        );
        // The secret data source is metadata only: no value attribute at all.
        assert!(
            !names(&block).contains("secret"),
            "{type_name} exposes a value"
        );
    }
}

#[test]
fn validation_diagnostics_carry_attribute_paths() {
    let p = provider();

    let diags = p.validate_resource(
        "contactpro_user",
        &json!({"first_name": "A", "last_name": "B", "login": "a.b", "password": "short"}),
    );
    let e = errors(&diags);
    assert_eq!(e.len(), 1, "{diags:?}");
    assert_eq!(e[0].attribute_path, ["password"]);
    assert!(e[0].detail.contains("at least 16"), "{}", e[0]);

    // Several problems at once, each on its own attribute.
    let diags = p.validate_resource(
        "contactpro_user",
        &json!({"first_name": "", "last_name": "B", "login": "a b",
                "user_group_ids": ["not-an-id"]}),
    );
    let paths: BTreeSet<Vec<String>> = errors(&diags)
        .iter()
        .map(|d| d.attribute_path.clone())
        .collect();
    let expected: BTreeSet<Vec<String>> =
        [vec!["first_name"], vec!["login"], vec!["user_group_ids"]]
            .iter()
            .map(|p| p.iter().map(|s| s.to_string()).collect())
            .collect();
    assert_eq!(paths, expected, "{diags:?}");

    // A nested block in a set: the provider reports the element by its position in the
    // configuration as an integer key, which the harness shows as "0".
    let id = "3906ECA4762C42588B55E5A66460D58E";
    let diags = p.validate_resource(
        "contactpro_user_rights",
        &json!({"user_id": id, "right": [
            {"object_type": "queue", "object_id": id, "access": ["peek"]},
        ]}),
    );
    let e = errors(&diags);
    assert_eq!(e.len(), 1, "{diags:?}");
    assert_eq!(e[0].attribute_path, ["right", "0", "access"]);
    assert!(
        e[0].detail.contains("\"peek\" is not an access type"),
        "{}",
        e[0]
    );

    let diags = p.validate_resource(
        "contactpro_secret",
        &json!({"name": "x", "type": "oauth", "authentication_id": "c", "secret": "v"}),
    );
    let e = errors(&diags);
    assert_eq!(e.len(), 1, "{diags:?}");
    assert_eq!(e[0].attribute_path, ["access_token_url"]);

    // A valid configuration has no diagnostics at all.
    let diags = p.validate_resource(
        "contactpro_secret",
        &json!({"name": "ok", "type": "header", "secret": "v"}),
    );
    assert!(diags.is_empty(), "{diags:?}");
}

#[test]
fn configure_names_each_missing_setting_and_its_variable() {
    let p = provider();
    let diags = p.configure(&json!({}));
    let e = errors(&diags);
    let got: Vec<(Vec<String>, bool)> = e
        .iter()
        .map(|d| {
            let attribute = d.attribute_path.join(".");
            let variable = format!("CONTACTPRO_{}", attribute.to_ascii_uppercase());
            (d.attribute_path.clone(), d.detail.contains(&variable))
        })
        .collect();
    let want: Vec<(Vec<String>, bool)> = ["url", "api_key", "username", "password"]
        .iter()
        .map(|a| (vec![a.to_string()], true))
        .collect();
    assert_eq!(got, want, "{diags:#?}");

    // One bad setting among good ones: exactly one diagnostic, on that attribute.
    let p = provider();
    let diags = p.configure(&json!({"url": "http://127.0.0.1:1/demo/RI", "api_key": "k",
        "username": "u", "password": "p", "request_timeout": 0}));
    let e = errors(&diags);
    assert_eq!(e.len(), 1, "{diags:?}");
    assert_eq!(e[0].attribute_path, ["request_timeout"]);
}

#[test]
fn plan_apply_read_import_and_deleted_objects() {
    let emulator = EmulatorProcess::start();
    let rci = Rci::new(emulator.base_url(), "demo");
    let p = configured(&rci);

    let user_config = json!({
        "first_name": "Grpc", "last_name": "Harness", "login": "grpc.harness",
        "email": "grpc@example.com", "password": "Grpc-Harness-Password-1",
    });
    let (planned, diags) = p.plan_create("contactpro_user", &user_config);
    assert_no_errors("plan user", &diags);
    assert_eq!(planned["id"], UNKNOWN);
    assert_eq!(planned["password_expires_at"], UNKNOWN);
    assert_eq!(planned["login"], "grpc.harness");
    assert!(
        rci.user_by_login("grpc.harness").is_none(),
        "plan wrote nothing"
    );

    let (user, diags) = p.apply_create("contactpro_user", &user_config);
    assert_no_errors("apply user", &diags);
    let user_id = user["id"]
        .as_str()
        .expect("id known after apply")
        .to_string();
    let remote = rci.user_by_login("grpc.harness").expect("created");
    assert_eq!(remote["id"], user_id.as_str());
    assert_eq!(remote["email"], "grpc@example.com");
    assert!(user["password_expires_at"].is_string(), "{user}");

    // Read round-trips: a refresh right after apply changes nothing.
    let (read, diags) = p.read("contactpro_user", &user);
    assert_no_errors("read user", &diags);
    assert_eq!(read, user);

    // Import by id and by login; both find the same user with the same attributes.
    for import_id in [user_id.as_str(), "grpc.harness"] {
        let (states, diags) = p.import("contactpro_user", import_id);
        assert_no_errors("import user", &diags);
        assert_eq!(states.len(), 1);
        let (imported, diags) = p.read("contactpro_user", &states[0]);
        assert_no_errors("read imported user", &diags);
        assert_eq!(imported["id"], user_id.as_str());
        assert_eq!(imported["login"], "grpc.harness");
        assert_eq!(imported["email"], "grpc@example.com");
        assert!(
            imported["password"].is_null(),
            "the password is never read back"
        );
    }
    let (_, diags) = p.import("contactpro_user", "nobody.here");
    assert!(
        errors(&diags)
            .iter()
            .any(|d| d.detail.contains("nobody.here")),
        "{diags:?}"
    );

    // Rights of the user on a seeded queue group.
    let group_id = rci.id_by_name("queueGroups", "Chat Queues");
    let rights_config = json!({"user_id": user_id, "right": [
        {"object_type": "queue_group", "object_id": group_id,
         "access": ["view", "manage_contact_history"]},
    ]});
    let (rights, diags) = p.apply_create("contactpro_user_rights", &rights_config);
    assert_no_errors("apply rights", &diags);
    assert_eq!(rights["id"], user_id.as_str());
    assert_eq!(rci.list(&format!("users/{user_id}/rights")).len(), 1);
    let (read, diags) = p.read("contactpro_user_rights", &rights);
    assert_no_errors("read rights", &diags);
    assert_eq!(read, rights);

    // A secret; import by name and by id.
    let secret_config = json!({"name": "grpc-secret", "type": "header", "secret": "grpc-value-1"});
    let (secret, diags) = p.apply_create("contactpro_secret", &secret_config);
    assert_no_errors("apply secret", &diags);
    let secret_id = secret["id"].as_str().unwrap().to_string();
    assert!(rci.secret_matches("grpc-secret", "grpc-value-1"));
    let (read, diags) = p.read("contactpro_secret", &secret);
    assert_no_errors("read secret", &diags);
    assert_eq!(read, secret);
    for import_id in ["grpc-secret", secret_id.as_str()] {
        let (states, diags) = p.import("contactpro_secret", import_id);
        assert_no_errors("import secret", &diags);
        assert_eq!(states.len(), 1);
        assert_eq!(states[0]["id"], secret_id.as_str());
        assert_eq!(states[0]["name"], "grpc-secret");
        assert!(
            states[0]["secret"].is_null(),
            "the value is never read back"
        );
    }

    // Data sources find seeded and created objects.
    let (group, diags) = p.read_data_source("contactpro_user_group", &json!({"name": "All Users"}));
    assert_no_errors("data user_group", &diags);
    assert!(
        group["id"].as_str().is_some_and(|id| id.len() == 32),
        "{group}"
    );
    let (found, diags) = p.read_data_source("contactpro_user", &json!({"login": "grpc.harness"}));
    assert_no_errors("data user", &diags);
    assert_eq!(found["id"], user_id.as_str());

    // Deleted outside Terraform: each read returns a null state (Terraform then plans a create).
    // A new process, as the next `terraform plan` would start, so no read snapshot is reused.
    drop(p);
    let p = configured(&rci);
    assert_eq!(rci.delete(&format!("secrets/{secret_id}")), 204);
    let (gone, diags) = p.read("contactpro_secret", &secret);
    assert!(!has_errors(&diags), "{diags:?}");
    assert_eq!(gone, Json::Null);

    assert_eq!(rci.delete(&format!("users/{user_id}")), 204);
    for (type_name, state) in [
        ("contactpro_user", &user),
        ("contactpro_user_rights", &rights),
    ] {
        let (gone, diags) = p.read(type_name, state);
        assert!(!has_errors(&diags), "{type_name}: {diags:?}");
        assert_eq!(gone, Json::Null, "{type_name}");
    }
}

#[test]
fn refuses_to_start_without_the_magic_cookie() {
    let mut cmd = Command::new(provider_binary());
    cmd.env_remove(support::grpc::MAGIC_COOKIE.0);
    let out = support::process::output_within(
        &mut cmd,
        "the provider without its cookie",
        support::process::QUICK,
    );
    assert!(!out.status.success(), "started without the cookie");
    assert!(out.stdout.is_empty(), "printed a handshake: {out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("This binary is a plugin"), "{stderr}");
}

#[test]
fn mutual_tls_requires_the_announced_client_certificate() {
    let p = provider_mtls();
    // The harness's own connection works (it checked the server's certificate from the
    // handshake), and so does a second one with the same client certificate.
    let schema = p.schema();
    assert!(schema.resource_schemas.contains_key("contactpro_user"));
    assert_eq!(p.try_connect(p.identity()), Ok(()));
    // No client certificate, or another one: refused.
    let without = p.try_connect(None);
    assert!(
        without.is_err(),
        "a connection without a client certificate was served"
    );
    let other = ClientIdentity::generate();
    let stranger = p.try_connect(Some(&other));
    assert!(
        stranger.is_err(),
        "a connection with an unknown client certificate was served"
    );
    // And the refusals did not disturb the server.
    assert_eq!(p.try_connect(p.identity()), Ok(()));
    assert!(
        p.stderr_output().contains("refused a plugin connection"),
        "{}",
        p.stderr_output()
    );
}

#[test]
fn every_other_rpc_answers() {
    let p = provider_mtls();
    let meta = p.call("GetMetadata", |mut c| async move {
        c.get_metadata(tf::get_metadata::Request {}).await
    });
    let mut resources: Vec<_> = meta.resources.iter().map(|r| r.type_name.clone()).collect();
    resources.sort();
    assert_eq!(
        resources,
        [
            "contactpro_secret",
            "contactpro_user",
            "contactpro_user_group",
            "contactpro_user_group_membership",
            "contactpro_user_right",
            "contactpro_user_rights",
            "contactpro_user_role_membership",
        ]
    );
    let mut data_sources: Vec<_> = meta
        .data_sources
        .iter()
        .map(|d| d.type_name.clone())
        .collect();
    data_sources.sort();
    assert_eq!(
        data_sources,
        [
            "contactpro_queue",
            "contactpro_queue_group",
            "contactpro_queue_groups",
            "contactpro_queues",
            "contactpro_roles",
            "contactpro_secret",
            "contactpro_secrets",
            "contactpro_user",
            "contactpro_user_group",
            "contactpro_user_groups",
            "contactpro_users",
        ]
    );
    assert!(meta.server_capabilities.unwrap().plan_destroy);
    let ephemeral: Vec<_> = meta
        .ephemeral_resources
        .iter()
        .map(|e| e.type_name.as_str())
        .collect();
    assert_eq!(ephemeral, ["contactpro_password"]);

    assert!(p
        .validate_provider(&json!({"url": "ftp://x"}))
        .iter()
        .any(|d| d.is_error()));
    assert!(p.validate_provider(&json!({})).is_empty());
    let diags = p.validate_data_source("contactpro_user_group", &json!({"name": "All Users"}));
    assert_no_errors("ValidateDataResourceConfig", &diags);

    // A state of the current schema version comes back as it was stored.
    let state = json!({"id": "3906ECA4762C42588B55E5A66460D58E", "user_id": "3906ECA4762C42588B55E5A66460D58E", "right": []});
    let version = p.schema().resource_schemas["contactpro_user_rights"].version;
    let (upgraded, diags) = p.upgrade("contactpro_user_rights", version, &state);
    assert_no_errors("UpgradeResourceState", &diags);
    assert_eq!(upgraded["user_id"], state["user_id"]);

    let identities = p.call("GetResourceIdentitySchemas", |mut c| async move {
        c.get_resource_identity_schemas(tf::get_resource_identity_schemas::Request {})
            .await
    });
    assert!(identities.identity_schemas.is_empty() && identities.diagnostics.is_empty());
    let functions = p.call("GetFunctions", |mut c| async move {
        c.get_functions(tf::get_functions::Request {}).await
    });
    assert!(functions.functions.is_empty());
    let called = p.call("CallFunction", |mut c| async move {
        let req = tf::call_function::Request {
            name: "nope".into(),
            arguments: vec![],
        };
        c.call_function(req).await
    });
    assert!(called.error.unwrap().text.contains("nope"));
    let moved = p.call("MoveResourceState", |mut c| async move {
        c.move_resource_state(tf::move_resource_state::Request::default())
            .await
    });
    assert!(has_errors(&support::diag::convert(&moved.diagnostics)));
    let identity = p.call("UpgradeResourceIdentity", |mut c| async move {
        c.upgrade_resource_identity(tf::upgrade_resource_identity::Request::default())
            .await
    });
    assert!(has_errors(&support::diag::convert(&identity.diagnostics)));
    // An unknown resource type is an error diagnostic, not a failed call.
    let diags = p.validate_resource_raw("contactpro_nope");
    assert!(
        diags.iter().any(|d| d.summary.contains("contactpro_nope")),
        "{diags:?}"
    );

    // go-plugin's services: health of "plugin", and the stdio and broker streams stay open.
    let channel = p.channel();
    let status = p.block_on(async {
        let mut health = health::health_client::HealthClient::new(channel.clone());
        let req = health::HealthCheckRequest {
            service: "plugin".into(),
        };
        health.check(req).await.unwrap().into_inner().status
    });
    assert_eq!(
        status,
        health::health_check_response::ServingStatus::Serving as i32
    );
    p.block_on(async {
        let mut stdio = plugin::grpc_stdio_client::GrpcStdioClient::new(channel.clone());
        let mut stream = stdio.stream_stdio(()).await.unwrap().into_inner();
        let next = tokio::time::timeout(Duration::from_millis(200), stream.message()).await;
        assert!(
            next.is_err(),
            "the stdio stream ended or sent data: {next:?}"
        );
        let mut broker = plugin::grpc_broker_client::GrpcBrokerClient::new(channel.clone());
        let outbound = tokio_stream::pending::<plugin::ConnInfo>();
        let mut stream = broker.start_stream(outbound).await.unwrap().into_inner();
        let next = tokio::time::timeout(Duration::from_millis(200), stream.message()).await;
        assert!(
            next.is_err(),
            "the broker stream ended or sent data: {next:?}"
        );
    });
}

#[test]
fn an_rpc_the_server_does_not_know_is_unimplemented() {
    let p = provider_mtls();
    // ListResource is protocol 6.10 (Terraform 1.14); a whole service that does not exist, too.
    for path in [
        "/tfplugin6.Provider/ListResource",
        "/tfplugin99.Nope/Anything",
    ] {
        let status = p.block_on(async {
            let mut grpc = tonic::client::Grpc::new(p.channel());
            grpc.ready().await.unwrap();
            let codec = tonic::codec::ProstCodec::<
                tf::get_metadata::Request,
                tf::get_metadata::Response,
            >::default();
            let path = tonic::codegen::http::uri::PathAndQuery::from_static(path);
            let request = tonic::Request::new(tf::get_metadata::Request {});
            grpc.unary(request, path, codec).await.unwrap_err()
        });
        assert_eq!(
            status.code(),
            tonic::Code::Unimplemented,
            "{path}: {status}"
        );
    }
    // Still serving.
    assert_eq!(p.try_connect(p.identity()), Ok(()));
}

#[test]
fn stop_provider_answers_and_keeps_serving_until_shutdown() {
    let mut p = provider_mtls();
    assert_eq!(p.stop(), "");
    // Terraform may still call, and open connections, after StopProvider.
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        p.wait_exit(Duration::ZERO).is_none(),
        "the process ended on StopProvider"
    );
    assert_no_errors(
        "after Stop",
        &p.validate_resource(
            "contactpro_secret",
            &json!({"name": "a", "type": "header", "secret": "v"}),
        ),
    );
    assert_eq!(p.try_connect(p.identity()), Ok(()));
    assert_eq!(p.stop(), "", "a second StopProvider");

    // The controller's Shutdown ends it, cleanly, even with go-plugin's stdio stream still open.
    let channel = p.channel();
    let _stdio = p.block_on(async {
        let mut stdio = plugin::grpc_stdio_client::GrpcStdioClient::new(channel.clone());
        let stream = stdio.stream_stdio(()).await.unwrap().into_inner();
        let mut controller = plugin::grpc_controller_client::GrpcControllerClient::new(channel);
        controller.shutdown(plugin::Empty {}).await.unwrap();
        stream
    });
    let status = p
        .wait_exit(Duration::from_secs(10))
        .expect("still running 10 s after Shutdown");
    assert!(status.success(), "{status}");
}

#[test]
fn after_stop_provider_nothing_is_retried() {
    // Every RCI request is throttled (429, Retry-After: 1).
    let emulator = EmulatorProcess::start_with_args(&["--throttle-rate", "1"]);
    let rci = Rci::new(emulator.base_url(), "demo");
    let p = configured_with(&rci, 20);
    let config = json!({"name": "stopped", "type": "header", "secret": "v"});
    assert_eq!(p.stop(), "");
    let started = Instant::now();
    let (_, diags) = p.apply_create("contactpro_secret", &config);
    let elapsed = started.elapsed();
    assert!(
        diags
            .iter()
            .any(|d| d.is_error() && d.detail.contains("1 attempt")),
        "{diags:?}"
    );
    // Without the stop: 20 retries of at least 1 s each, for every request.
    assert!(elapsed < Duration::from_secs(5), "took {elapsed:?}");
    let stats = rci.stats();
    let throttled = stats["faults"]["throttle"].as_u64().unwrap();
    assert!(
        (1..=2).contains(&throttled),
        "plan and apply each sent at most one request: {stats}"
    );
}

#[test]
fn after_stop_provider_a_create_of_unknown_outcome_is_still_resolved() {
    // Every successful write loses its response: the create lands, the provider never hears.
    let emulator = EmulatorProcess::start_with_args(&["--lost-response-rate", "1"]);
    let rci = Rci::new(emulator.base_url(), "demo");
    let p = configured_with(&rci, 5);
    assert_eq!(p.stop(), "");
    let config = json!({"name": "landed-after-stop", "type": "header", "secret": "v1"});
    let (state, diags) = p.apply_create("contactpro_secret", &config);
    assert_no_errors("apply after Stop", &diags);
    let secrets: Vec<_> = rci
        .list("secrets")
        .into_iter()
        .filter(|s| s["name"] == "landed-after-stop")
        .collect();
    assert_eq!(secrets.len(), 1, "{secrets:?}");
    assert_eq!(
        state["id"], secrets[0]["id"],
        "the landed create is in the state"
    );
    assert_eq!(rci.stats()["byRoute"]["POST secrets"], 1, "{}", rci.stats());
}

#[test]
fn write_only_arguments_are_validated_without_showing_their_values() {
    let p = provider();
    let user = json!({"first_name": "A", "last_name": "B", "login": "a.b"});
    let with = |extra: Json| {
        let mut config = user.clone();
        config
            .as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        config
    };
    let paths = |diags: &[Diag]| -> BTreeSet<String> {
        errors(diags)
            .iter()
            .map(|d| d.attribute_path.join("."))
            .collect()
    };

    // The password policy applies to `password_wo`, and the error does not repeat the value.
    let diags = p.validate_resource(
        "contactpro_user",
        &with(json!({"password_wo": "short-value", "password_wo_version": "1"})),
    );
    assert_eq!(paths(&diags), set(&["password_wo"]), "{diags:?}");
    assert!(errors(&diags)[0].detail.contains("at least 16"));
    assert!(!format!("{diags:?}").contains("short-value"));

    // Exclusive with `password`, naming both; the version goes with the value.
    let diags = p.validate_resource(
        "contactpro_user",
        &with(json!({"password": "A-Valid-Password-0001", "password_wo": "A-Valid-Password-0002"})),
    );
    assert_eq!(
        paths(&diags),
        set(&["password_wo", "password_wo_version"]),
        "{diags:?}"
    );
    let conflict = errors(&diags)
        .into_iter()
        .find(|d| d.attribute_path == ["password_wo"])
        .unwrap();
    assert!(conflict.summary.contains("contactpro_user"), "{conflict}");
    assert!(
        conflict.detail.contains("`password`") && conflict.detail.contains("`password_wo`"),
        "{conflict}"
    );
    assert!(!format!("{diags:?}").contains("A-Valid-Password-000"));
    let diags = p.validate_resource(
        "contactpro_user",
        &with(json!({"password_wo_version": "1"})),
    );
    assert_eq!(paths(&diags), set(&["password_wo_version"]), "{diags:?}");

    // `secret_wo`: exclusive with `secret` and with `user_credentials`.
    let secret = json!({"name": "s", "type": "basic", "authentication_id": "u",
        "secret": "classic-value", "secret_wo": "write-only-value", "secret_wo_version": "1"});
    let diags = p.validate_resource("contactpro_secret", &secret);
    assert_eq!(paths(&diags), set(&["secret_wo"]), "{diags:?}");
    assert!(errors(&diags)[0].detail.contains("`secret`"));
    let id = "3906ECA4762C42588B55E5A66460D58E";
    let generated = json!({"name": "s", "type": "basic", "secret_wo": "write-only-value",
        "secret_wo_version": "1", "user_credentials": [{"user_id": id}]});
    let diags = p.validate_resource("contactpro_secret", &generated);
    assert_eq!(paths(&diags), set(&["secret_wo"]), "{diags:?}");
    assert!(errors(&diags)[0].detail.contains("`user_credentials`"));
    assert!(!format!("{diags:?}").contains("write-only-value"));
}

/// A plan with a write-only argument: refused unless the client announces write-only support, and
/// then planned with the value null (Terraform rejects any other planned value there).
#[test]
fn write_only_arguments_follow_the_client_capabilities() {
    let emulator = EmulatorProcess::start();
    let rci = Rci::new(emulator.base_url(), "demo");
    let p = configured(&rci);
    let user = json!({"first_name": "Grpc", "last_name": "Wo", "login": "grpc.wo",
        "password_wo": "Grpc-Write-Only-Password-1", "password_wo_version": "1"});
    let secret = json!({"name": "grpc-wo", "type": "header",
        "secret_wo": "grpc-write-only-value", "secret_wo_version": "1"});
    let cases = [
        ("contactpro_user", &user, "password_wo"),
        ("contactpro_secret", &secret, "secret_wo"),
    ];
    for (allowed, capabilities) in [
        (false, None),
        (
            false,
            Some(tf::ClientCapabilities {
                deferral_allowed: true,
                write_only_attributes_allowed: false,
            }),
        ),
        (
            true,
            Some(tf::ClientCapabilities {
                deferral_allowed: true,
                write_only_attributes_allowed: true,
            }),
        ),
    ] {
        for (type_name, config, attribute) in cases {
            let planned = p.plan_as(type_name, &Json::Null, config, capabilities);
            let text = format!("{:?}", planned.diags);
            assert!(!text.contains("grpc-write-only-value") && !text.contains("Grpc-Write-Only"));
            if allowed {
                assert_no_errors(type_name, &planned.diags);
                assert!(planned.state[attribute].is_null(), "{}", planned.state);
                assert_eq!(planned.state[format!("{attribute}_version")], "1");
            } else {
                let e = errors(&planned.diags);
                assert_eq!(e.len(), 1, "{text}");
                assert_eq!(e[0].attribute_path, [attribute]);
                assert_eq!(
                    e[0].summary,
                    format!("{type_name}: `{attribute}` needs Terraform 1.11 or newer")
                );
            }
        }
    }
    assert!(rci.user_by_login("grpc.wo").is_none(), "plan wrote nothing");
}

/// `contactpro_password` through every ephemeral RPC, on a provider that was never configured:
/// it makes no API call. Terraform calls these only from 1.10 on.
#[test]
fn ephemeral_password_through_every_ephemeral_rpc() {
    use contactpro_rules::{check_password, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH};
    const TYPE: &str = "contactpro_password";
    let p = provider_mtls();

    // The schema: `length` optional and computed (a default), `result` computed and sensitive.
    let schemas = &p.schema().ephemeral_resource_schemas;
    assert_eq!(
        schemas.keys().cloned().collect::<BTreeSet<_>>(),
        set(&[TYPE])
    );
    let block = p.ephemeral_block(TYPE);
    assert_eq!(names(&block), set(&["length", "result"]));
    assert_eq!(sensitive(&block), set(&["result"]));
    assert!(write_only(&block).is_empty());
    let attribute = |name: &str| block.attributes.iter().find(|a| a.name == name).unwrap();
    let (length, result) = (attribute("length"), attribute("result"));
    assert!(length.optional && length.computed && !length.required);
    assert!(result.computed && !result.optional && !result.required);
    assert!(
        block.description.contains("policy"),
        "{}",
        block.description
    );

    // Validation at plan: `length` within the policy's bounds, named with the fix; unknown or
    // unset is fine.
    for ok in [
        json!({}),
        json!({"length": UNKNOWN}),
        json!({"length": 16}),
        json!({"length": 256}),
    ] {
        assert_no_errors(
            "ValidateEphemeralResourceConfig",
            &p.validate_ephemeral(TYPE, &ok),
        );
    }
    for (bad, says) in [
        (json!(8), "at least 16"),
        (json!(257), "at most 256"),
        (json!(20.5), "not a whole number"),
    ] {
        let diags = p.validate_ephemeral(TYPE, &json!({ "length": bad }));
        let e = errors(&diags);
        assert_eq!(e.len(), 1, "{diags:?}");
        assert_eq!(e[0].attribute_path, ["length"]);
        assert_eq!(e[0].summary, "contactpro_password: invalid `length`");
        assert!(e[0].detail.contains(says), "{}", e[0]);
        assert!(
            e[0].detail
                .contains("Set `length` to a whole number from 16 to 256"),
            "{}",
            e[0]
        );
    }

    // Open: a fresh password that meets the policy, every time; the result keeps `length`.
    let mut seen = BTreeSet::new();
    for (config, expected) in [
        (json!({}), 40),
        (json!({"length": MIN_PASSWORD_LENGTH}), MIN_PASSWORD_LENGTH),
        (json!({"length": 33}), 33),
        (json!({"length": MAX_PASSWORD_LENGTH}), MAX_PASSWORD_LENGTH),
        (json!({}), 40),
    ] {
        let opened = p.open_ephemeral(TYPE, &config, None);
        assert_no_errors("OpenEphemeralResource", &opened.diags);
        assert_eq!(opened.result["length"], expected, "{config}");
        let password = opened.result["result"].as_str().expect("a password");
        assert_eq!(password.chars().count(), expected);
        assert!(check_password(password).is_ok());
        for class in [
            |c: char| c.is_ascii_uppercase(),
            |c: char| c.is_ascii_lowercase(),
            |c: char| c.is_ascii_digit(),
            |c: char| !c.is_ascii_alphanumeric(),
        ] {
            assert!(password.chars().any(class), "every character class");
        }
        assert!(seen.insert(password.to_string()), "a new value each time");
        // Nothing to renew or close: no renew time, no private data.
        assert!(opened.renew_at.is_none() && opened.deferred.is_none());
        assert!(opened.private.as_deref().unwrap_or_default().is_empty());
    }

    // A configuration not yet known (a plan): an unknown result, with or without deferral
    // allowed, for the plan to go on with; nothing is generated.
    for capabilities in [
        None,
        Some(tf::ClientCapabilities {
            deferral_allowed: true,
            write_only_attributes_allowed: true,
        }),
    ] {
        let opened = p.open_ephemeral(TYPE, &json!({"length": UNKNOWN}), capabilities);
        assert_no_errors("OpenEphemeralResource (unknown)", &opened.diags);
        assert_eq!(opened.result, json!({"length": UNKNOWN, "result": UNKNOWN}));
        assert!(opened.deferred.is_none());
    }

    // Open refuses what Validate refuses, and returns no result then.
    let opened = p.open_ephemeral(TYPE, &json!({"length": 12}), None);
    assert_eq!(errors(&opened.diags).len(), 1, "{:?}", opened.diags);
    assert!(opened.result.is_null());

    // Renew and Close answer cleanly.
    let (renew_at, diags) = p.renew_ephemeral(TYPE, None);
    assert!(renew_at.is_none() && diags.is_empty(), "{diags:?}");
    assert!(p.close_ephemeral(TYPE, None).is_empty());
    assert!(p.close_ephemeral(TYPE, Some(Vec::new())).is_empty());

    // An ephemeral type the provider does not have: each RPC says so, naming it.
    let nope = "contactpro_nope";
    let answers = [
        p.validate_ephemeral(nope, &json!({})),
        p.open_ephemeral(nope, &json!({}), None).diags,
        p.renew_ephemeral(nope, None).1,
        p.close_ephemeral(nope, None),
    ];
    for diags in answers {
        let e = errors(&diags);
        assert_eq!(e.len(), 1, "{diags:?}");
        assert_eq!(
            e[0].summary,
            "Could not find ephemeral resource `contactpro_nope` in provider"
        );
    }
    let stderr = p.stderr_output();
    assert!(
        seen.iter()
            .all(|password| !stderr.contains(password.as_str())),
        "a password in the provider's log"
    );
}
