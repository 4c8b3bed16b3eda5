//! The provider binary driven over the plugin protocol, as Terraform core drives it, against the
//! emulator: schema, validation diagnostics with attribute paths, configure diagnostics, plan,
//! apply, read, import and reads of objects deleted outside Terraform.
mod support;

use std::collections::BTreeSet;

use serde_json::{json, Value as Json};
use support::bins::provider_binary;
use support::diag::{assert_no_errors, has_errors};
use support::emulator::EmulatorProcess;
use support::proto::schema::{nested_block::NestingMode, Block};
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

/// A provider configured for the emulator's `demo` tenant.
fn configured(rci: &Rci) -> ProviderProcess {
    let p = provider();
    let env: std::collections::HashMap<_, _> = rci.provider_env().into_iter().collect();
    let diags = p.configure(&json!({
        "url": env["CONTACTPRO_URL"],
        "api_key": env["CONTACTPRO_API_KEY"],
        "username": env["CONTACTPRO_USERNAME"],
        "password": env["CONTACTPRO_PASSWORD"],
        "max_retries": 0,
    }));
    assert_no_errors("ConfigureProvider", &diags);
    p
}

fn names(block: &Block) -> BTreeSet<String> {
    block.attributes.iter().map(|a| a.name.clone()).collect()
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
            "contactpro_secret",
            "contactpro_user",
            "contactpro_user_group",
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
            "service_account",
            "service_account_expires_at",
            "password_expires_at",
        ])
    );
    assert_eq!(sensitive(&user), set(&["password"]));
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
    ])));
    assert_eq!(sensitive(&secret), set(&["secret"]));

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
