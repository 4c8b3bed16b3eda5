//! Bad input (issue 6 item 8): a table of wrong configurations and provider settings. Each must be
//! rejected at plan time with an error that names the attribute and says what is wrong, and the
//! tenant must hold nothing new afterwards. Most rows go through the plugin protocol (the calls
//! `terraform plan` makes); a diverse subset also through the real `terraform plan`.
mod support;

use serde_json::{json, Map, Value as Json};
use support::bins::provider_binary;
use support::emulator::EmulatorProcess;
use support::rci::{workdir_for, Rci};
use support::{Diag, ProviderProcess, Terraform};

const SOME_ID: &str = "3906ECA4762C42588B55E5A66460D58E";
const GOOD_PASSWORD: &str = "Bad-Input-Password-1";

enum Input {
    /// A resource configuration (type, attributes and blocks as JSON).
    Resource(&'static str, Json),
    /// Provider settings over working defaults; `""` unsets one.
    Provider(Json),
}

struct Row {
    name: String,
    input: Input,
    /// Dotted attribute path without indexes, e.g. `right.access`.
    attribute: &'static str,
    phrase: String,
    /// Also run through the real `terraform plan`.
    cli: bool,
}

fn row(name: &str, input: Input, attribute: &'static str, phrase: &str) -> Row {
    Row {
        name: name.to_string(),
        input,
        attribute,
        phrase: phrase.to_string(),
        cli: false,
    }
}

fn with(base: Json, changes: Json) -> Json {
    let mut out = base;
    for (key, value) in changes.as_object().unwrap() {
        if value.is_null() {
            out.as_object_mut().unwrap().remove(key);
        } else {
            out[key] = value.clone();
        }
    }
    out
}

fn user(changes: Json) -> Input {
    let base = json!({"first_name": "Bad", "last_name": "Input", "login": "bad.input",
        "password": GOOD_PASSWORD});
    Input::Resource("contactpro_user", with(base, changes))
}

fn secret(changes: Json) -> Input {
    let base = json!({"name": "bad-input", "type": "header", "secret": "bad-input-value"});
    Input::Resource("contactpro_secret", with(base, changes))
}

fn rights(blocks: Json) -> Input {
    Input::Resource(
        "contactpro_user_rights",
        json!({"user_id": SOME_ID, "right": blocks}),
    )
}

fn right(changes: Json) -> Json {
    with(
        json!({"object_type": "queue", "object_id": SOME_ID, "access": ["view"]}),
        changes,
    )
}

fn provider(changes: Json) -> Input {
    Input::Provider(changes)
}

fn table(tenant_url_elsewhere: &str) -> Vec<Row> {
    let mut rows = Vec::new();
    for c in ['ä', 'ö', 'å', 'ü'] {
        rows.push(row(
            &format!("password with {c}"),
            user(json!({"password": format!("Bad-Input-Pass-{c}-1")})),
            "password",
            "not a printable ASCII character",
        ));
    }
    for c in ['€', '£', '¤', '½', '§'] {
        rows.push(row(
            &format!("password with {c}"),
            user(json!({"password": format!("Bad-Input-Pass-{c}-1")})),
            "password",
            "is one of ¤ £ € ½ §",
        ));
    }
    rows.extend([
        row(
            "1-character password",
            user(json!({"password": "x"})),
            "password",
            "at least 16",
        ),
        row(
            "15-character password",
            user(json!({"password": "Fifteen-chars-1"})),
            "password",
            "has 15 characters",
        ),
        row(
            "empty first name",
            user(json!({"first_name": ""})),
            "first_name",
            "must not be empty",
        ),
        row(
            "401-character first name",
            user(json!({"first_name": "f".repeat(401)})),
            "first_name",
            "has 401 characters; at most 400",
        ),
        row(
            "empty last name",
            user(json!({"last_name": ""})),
            "last_name",
            "must not be empty",
        ),
        row(
            "401-character last name",
            user(json!({"last_name": "l".repeat(401)})),
            "last_name",
            "has 401 characters; at most 400",
        ),
        row(
            "login with a space",
            user(json!({"login": "bad login"})),
            "login",
            "contains ' '",
        ),
        row(
            "login with !",
            user(json!({"login": "bad!login"})),
            "login",
            "contains '!'",
        ),
        row(
            "user_group_ids entry not an id",
            user(json!({"user_group_ids": ["All Users"]})),
            "user_group_ids",
            "is not an id",
        ),
        row(
            "role_ids entry not an id",
            user(json!({"role_ids": [SOME_ID.to_lowercase()]})),
            "role_ids",
            "is not an id",
        ),
        row(
            "service account without expiration",
            user(json!({"service_account": true})),
            "service_account_expires_at",
            "needs an expiration time",
        ),
        row(
            "expiration without service account",
            user(json!({"service_account_expires_at": "2099-01-01T00:00:00Z"})),
            "service_account_expires_at",
            "applies to service accounts only",
        ),
        row(
            "expiration \"tomorrow\"",
            user(json!({"service_account": true, "service_account_expires_at": "tomorrow"})),
            "service_account_expires_at",
            "is not an RFC 3339 timestamp",
        ),
        row(
            "expiration in month 13",
            user(json!({"service_account": true,
                "service_account_expires_at": "2027-13-01T00:00:00Z"})),
            "service_account_expires_at",
            "is not an RFC 3339 timestamp",
        ),
        row(
            "expiration in the past",
            user(json!({"service_account": true,
                "service_account_expires_at": "2001-01-01T00:00:00Z"})),
            "service_account_expires_at",
            "is not in the future",
        ),
        row(
            "secret name with a space",
            secret(json!({"name": "bad name"})),
            "name",
            "contains ' '",
        ),
        row(
            "secret name with /",
            secret(json!({"name": "bad/name"})),
            "name",
            "contains '/'",
        ),
        row(
            "secret name with ä",
            secret(json!({"name": "bäd-name"})),
            "name",
            "contains 'ä'",
        ),
        row(
            "empty secret name",
            secret(json!({"name": ""})),
            "name",
            "must not be empty",
        ),
        row(
            "256-character secret name",
            secret(json!({"name": "n".repeat(256)})),
            "name",
            "longer than 255",
        ),
        row(
            "oauth without access_token_url",
            secret(json!({"type": "oauth", "authentication_id": "client"})),
            "access_token_url",
            "needs `access_token_url`",
        ),
        row(
            "oauth without authentication_id",
            secret(json!({"type": "oauth", "access_token_url": "https://auth.example.com/t"})),
            "authentication_id",
            "needs `authentication_id`",
        ),
        row(
            "header with authentication_id",
            secret(json!({"authentication_id": "someone"})),
            "authentication_id",
            "takes no `authentication_id`",
        ),
        row(
            "basic without authentication_id",
            secret(json!({"type": "basic"})),
            "authentication_id",
            "needs `authentication_id`",
        ),
        row(
            "unknown secret type",
            secret(json!({"type": "bearer"})),
            "type",
            "is not a secret type",
        ),
        row(
            "access_token_url on a header secret",
            secret(json!({"access_token_url": "https://auth.example.com/t"})),
            "access_token_url",
            "only for `oauth`",
        ),
        row(
            "ftp access_token_url",
            secret(json!({"type": "oauth", "authentication_id": "c",
                "access_token_url": "ftp://auth.example.com/t"})),
            "access_token_url",
            "must start with https:// or http://",
        ),
        row(
            "access_token_url not a URL",
            secret(json!({"type": "oauth", "authentication_id": "c",
                "access_token_url": "not a url"})),
            "access_token_url",
            "is not a URL",
        ),
        row(
            "both secret and user_credentials",
            secret(json!({"type": "basic", "user_credentials": [{"user_id": SOME_ID}]})),
            "secret",
            "not both",
        ),
        row(
            "user_credentials on a header secret",
            secret(json!({"secret": null, "user_credentials": [{"user_id": SOME_ID}]})),
            "user_credentials",
            "works with `type = \"basic\"` only",
        ),
        row(
            "unknown access type",
            rights(json!([right(json!({"access": ["peek"]}))])),
            "right.access",
            "\"peek\" is not an access type",
        ),
        row(
            "unknown object type",
            rights(json!([right(json!({"object_type": "mailbox"}))])),
            "right.object_type",
            "\"mailbox\" is not an object type",
        ),
        row(
            "object_id not an id",
            rights(json!([right(json!({"object_id": "Chat Queues"}))])),
            "right.object_id",
            "is not an id",
        ),
        row(
            "grant not in access",
            rights(json!([right(json!({"grant": ["modify"]}))])),
            "right.grant",
            "is in `grant` but not in `access`",
        ),
        row(
            "duplicate right blocks",
            rights(json!([
                right(json!({})),
                right(json!({"access": ["view", "modify"]}))
            ])),
            "right.object_id",
            "appears in two `right` blocks",
        ),
        row(
            "empty access set",
            rights(json!([right(json!({"access": []}))])),
            "right.access",
            "at least one access type",
        ),
        row(
            "rights user_id not an id",
            Input::Resource(
                "contactpro_user_rights",
                json!({"user_id": "bad.input", "right": [right(json!({}))]}),
            ),
            "user_id",
            "is not a user id",
        ),
        row(
            "malformed provider url",
            provider(json!({"url": "not a url"})),
            "url",
            "is not a URL",
        ),
        row(
            "ftp provider url",
            provider(json!({"url": "ftp://127.0.0.1/demo/RI"})),
            "url",
            "is not http or https",
        ),
        row(
            "missing api_key",
            provider(json!({"api_key": ""})),
            "api_key",
            "CONTACTPRO_API_KEY",
        ),
        row(
            "missing password",
            provider(json!({"password": ""})),
            "password",
            "CONTACTPRO_PASSWORD",
        ),
        row(
            "max_retries 21",
            provider(json!({"max_retries": 21})),
            "max_retries",
            "out of range",
        ),
        row(
            "max_retries -1",
            provider(json!({"max_retries": -1})),
            "max_retries",
            "out of range",
        ),
        row(
            "request_timeout 0",
            provider(json!({"request_timeout": 0})),
            "request_timeout",
            "out of range",
        ),
        row(
            "unreadable ca_cert_file",
            provider(json!({"ca_cert_file": "/nonexistent/ca.pem"})),
            "ca_cert_file",
            "cannot be read",
        ),
        row(
            "wrong API key (403)",
            provider(json!({"api_key": "wrong-api-key"})),
            "api_key",
            "HTTP 403",
        ),
        row(
            "wrong password (401)",
            provider(json!({"password": "Wrong-Password-123456"})),
            "password",
            "HTTP 401",
        ),
        row(
            "unknown tenant (404)",
            provider(json!({"url": tenant_url_elsewhere})),
            "url",
            "HTTP 404",
        ),
    ]);
    // A diverse subset through the real CLI: characters, lengths, secrets, rights, dates,
    // malformed and missing settings, and the three that need the API.
    for name in [
        "password with €",
        "15-character password",
        "header with authentication_id",
        "unknown object type",
        "expiration in the past",
        "malformed provider url",
        "missing api_key",
        "wrong API key (403)",
        "wrong password (401)",
        "unknown tenant (404)",
    ] {
        let row = rows.iter_mut().find(|r| r.name == name).expect(name);
        row.cli = true;
    }
    rows
}

/// Objects a row could have created: users, secrets and every user's rights.
fn inventory(rci: &Rci) -> (usize, usize, usize) {
    let users = rci.list("users");
    let rights: usize = users
        .iter()
        .map(|u| {
            rci.list(&format!("users/{}/rights", u["id"].as_str().unwrap()))
                .len()
        })
        .sum();
    (users.len(), rci.list("secrets").len(), rights)
}

fn strip_indexes(path: &[String]) -> String {
    let names: Vec<&str> = path
        .iter()
        .filter(|s| s.parse::<u64>().is_err())
        .map(String::as_str)
        .collect();
    names.join(".")
}

/// The first error that names `attribute` (by path, else in its text) and contains `phrase`.
fn matching<'a>(diags: &'a [Diag], attribute: &str, phrase: &str) -> Option<(&'a Diag, bool)> {
    diags.iter().filter(|d| d.is_error()).find_map(|d| {
        let text = format!("{} {}", d.summary, d.detail);
        if !text.contains(phrase) {
            return None;
        }
        let by_path = strip_indexes(&d.attribute_path) == attribute;
        let leaf = attribute.rsplit('.').next().unwrap();
        let by_text =
            text.contains(&format!("`{attribute}`")) || text.contains(&format!("`{leaf}`"));
        (by_path || by_text).then_some((d, by_path))
    })
}

#[derive(Default)]
struct Tally {
    tried: usize,
    at_validate: usize,
    at_configure: usize,
    at_plan: usize,
    needed_api: usize,
    named_by_path: usize,
}

fn provider_settings(rci: &Rci, changes: &Json) -> Json {
    let env: std::collections::HashMap<_, _> = rci.provider_env().into_iter().collect();
    let mut settings = json!({
        "url": env["CONTACTPRO_URL"], "api_key": env["CONTACTPRO_API_KEY"],
        "username": env["CONTACTPRO_USERNAME"], "password": env["CONTACTPRO_PASSWORD"],
        "max_retries": 0, "request_timeout": 10,
    });
    for (key, value) in changes.as_object().unwrap() {
        settings[key] = value.clone();
    }
    settings
}

const CLEARED_ENV: [(&str, &str); 4] = [
    ("CONTACTPRO_URL", ""),
    ("CONTACTPRO_API_KEY", ""),
    ("CONTACTPRO_USERNAME", ""),
    ("CONTACTPRO_PASSWORD", ""),
];

/// Runs one row over gRPC; returns the diagnostics and the step that rejected it.
fn run_grpc(configured: &ProviderProcess, rci: &Rci, input: &Input) -> (Vec<Diag>, &'static str) {
    let failed = |diags: &[Diag]| diags.iter().any(Diag::is_error);
    match input {
        Input::Resource(type_name, config) => {
            let diags = configured.validate_resource(type_name, config);
            if failed(&diags) {
                return (diags, "validate");
            }
            let (_, diags) = configured.plan_create(type_name, config);
            (diags, "plan")
        }
        Input::Provider(changes) => {
            let p = ProviderProcess::start_with_env(&provider_binary(), &CLEARED_ENV);
            let settings = provider_settings(rci, changes);
            let diags = p.validate_provider(&settings);
            if failed(&diags) {
                return (diags, "validate");
            }
            let diags = p.configure(&settings);
            if failed(&diags) {
                return (diags, "configure");
            }
            // What a plan reads first: a data source lookup.
            let (_, diags) =
                p.read_data_source("contactpro_user_group", &json!({"name": "All Users"}));
            (diags, "api")
        }
    }
}

/// HCL of a JSON value (strings JSON-escaped, which HCL reads the same for these inputs).
fn hcl_value(value: &Json) -> String {
    value.to_string()
}

fn hcl_body(config: &Map<String, Json>, indent: &str) -> String {
    let mut out = String::new();
    for (key, value) in config {
        match value {
            Json::Null => {}
            // Arrays of objects are nested blocks.
            Json::Array(items) if items.first().is_some_and(Json::is_object) => {
                for item in items {
                    out.push_str(&format!("{indent}{key} {{\n"));
                    out.push_str(&hcl_body(item.as_object().unwrap(), &format!("{indent}  ")));
                    out.push_str(&format!("{indent}}}\n"));
                }
            }
            _ => out.push_str(&format!("{indent}{key} = {}\n", hcl_value(value))),
        }
    }
    out
}

fn cli_config(input: &Input) -> String {
    let mut provider_block = Map::new();
    provider_block.insert("max_retries".into(), json!(0));
    provider_block.insert("request_timeout".into(), json!(10));
    let resource = match input {
        Input::Resource(type_name, config) => {
            format!(
                "resource \"{type_name}\" \"bad\" {{\n{}}}\n",
                hcl_body(config.as_object().unwrap(), "  ")
            )
        }
        Input::Provider(changes) => {
            for (key, value) in changes.as_object().unwrap() {
                provider_block.insert(key.clone(), value.clone());
            }
            let Input::Resource(_, config) = user(json!({})) else {
                unreachable!()
            };
            format!(
                "resource \"contactpro_user\" \"good\" {{\n{}}}\n",
                hcl_body(config.as_object().unwrap(), "  ")
            )
        }
    };
    format!(
        "terraform {{\n  required_providers {{\n    contactpro = {{ source = \"contactpro/contactpro\" }}\n  }}\n}}\nprovider \"contactpro\" {{\n{}}}\ndata \"contactpro_user_group\" \"all\" {{\n  name = \"All Users\"\n}}\n{resource}",
        hcl_body(&provider_block, "  ")
    )
}

#[test]
fn bad_inputs_are_rejected_at_plan_time_and_create_nothing() {
    let emulator = EmulatorProcess::start();
    let rci = Rci::new(emulator.base_url(), "demo");
    let elsewhere = format!("{}/nosuchtenant/RI", emulator.base_url());
    let rows = table(&elsewhere);
    assert!(rows.len() >= 40, "only {} rows", rows.len());

    let configured = ProviderProcess::start_with_env(&provider_binary(), &CLEARED_ENV);
    let diags = configured.configure(&provider_settings(&rci, &json!({})));
    support::diag::assert_no_errors("ConfigureProvider", &diags);

    let baseline = inventory(&rci);
    let mut tally = Tally::default();
    let mut failures = Vec::new();
    for row in &rows {
        tally.tried += 1;
        let (diags, step) = run_grpc(&configured, &rci, &row.input);
        match matching(&diags, row.attribute, &row.phrase) {
            Some((_, by_path)) => {
                match step {
                    "validate" => tally.at_validate += 1,
                    "configure" => tally.at_configure += 1,
                    "api" => tally.needed_api += 1,
                    _ => tally.at_plan += 1,
                }
                tally.named_by_path += usize::from(by_path);
            }
            None => failures.push(format!(
                "{}: no error naming `{}` with {:?} (stopped at {step}); got:\n    {}",
                row.name,
                row.attribute,
                row.phrase,
                diags
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("\n    ")
            )),
        }
        let now = inventory(&rci);
        if now != baseline {
            failures.push(format!(
                "{}: the tenant changed: {baseline:?} -> {now:?}",
                row.name
            ));
        }
    }

    // The CLI subset: the real `terraform plan` and its real error text, on every Terraform.
    let mut cli_summary = Vec::new();
    for terraform in Terraform::all() {
        let wd = workdir_for(&terraform, &rci);
        wd.write_main_tf(&cli_config(&user(json!({}))));
        wd.init();
        let mut cli_tried = 0;
        let mut cli_rejected = 0;
        for row in rows.iter().filter(|r| r.cli) {
            cli_tried += 1;
            wd.write_main_tf(&cli_config(&row.input));
            let out = wd.run(&["plan", "-input=false", "-no-color"]);
            let text = format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            // Newer Terraforms frame diagnostics with box-drawing characters.
            let text = text.replace(['│', '╷', '╵'], " ");
            let leaf = row.attribute.rsplit('.').next().unwrap();
            // Terraform shows an attribute path as the configuration line it points at
            // (`17:   password = ...`), and wraps long details: compare with whitespace collapsed.
            let names_attribute = text.contains(&format!("`{leaf}`"))
                || text
                    .lines()
                    .any(|l| l.split_whitespace().nth(1) == Some(leaf));
            let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
            let ok = out.status.code() == Some(1)
                && text.contains("Error: ")
                && names_attribute
                && flat.contains(&row.phrase);
            if ok {
                cli_rejected += 1;
            } else {
                failures.push(format!(
                    "CLI v{} {}: expected a plan error naming `{}` with {:?}; got exit {:?}:\n{text}",
                    terraform.version,
                    row.name,
                    row.attribute,
                    row.phrase,
                    out.status.code()
                ));
            }
            let now = inventory(&rci);
            if now != baseline {
                failures.push(format!(
                    "CLI v{} {}: the tenant changed: {baseline:?} -> {now:?}",
                    terraform.version, row.name
                ));
            }
        }
        cli_summary.push(format!(
            "bad inputs through `terraform plan` v{}: {cli_tried} tried, {cli_rejected} rejected",
            terraform.version
        ));
    }

    let rejected = tally.at_validate + tally.at_configure + tally.at_plan + tally.needed_api;
    println!(
        "bad inputs: {} tried, {rejected} rejected at plan time ({} by validation, {} by provider configuration, {} by plan, {} needed the API), {} of them with the attribute path set; tenant unchanged {:?} (users, secrets, rights)",
        tally.tried,
        tally.at_validate,
        tally.at_configure,
        tally.at_plan,
        tally.needed_api,
        tally.named_by_path,
        baseline
    );
    for line in &cli_summary {
        println!("{line}");
    }
    assert!(
        failures.is_empty(),
        "{} problems:\n{}",
        failures.len(),
        failures.join("\n\n")
    );
    assert_eq!(rejected, tally.tried);
}

/// An unknown tenant answers 404 for every object too; a refresh must not take that for
/// "deleted outside Terraform" (the plan would re-create everything) but say that `url` is wrong.
#[test]
fn unknown_tenant_is_not_mistaken_for_deleted_objects() {
    let emulator = EmulatorProcess::start();
    let rci = Rci::new(emulator.base_url(), "demo");
    let demo = ProviderProcess::start_with_env(&provider_binary(), &CLEARED_ENV);
    support::diag::assert_no_errors(
        "configure",
        &demo.configure(&provider_settings(&rci, &json!({}))),
    );
    let Input::Resource(_, user_config) = user(json!({})) else {
        unreachable!()
    };
    let (user_state, diags) = demo.apply_create("contactpro_user", &user_config);
    support::diag::assert_no_errors("create user", &diags);
    let user_id = user_state["id"].as_str().unwrap().to_string();
    let Input::Resource(_, secret_config) = secret(json!({})) else {
        unreachable!()
    };
    let (secret_state, diags) = demo.apply_create("contactpro_secret", &secret_config);
    support::diag::assert_no_errors("create secret", &diags);
    let rights_config = json!({"user_id": user_id, "right": [
        {"object_type": "secret", "object_id": secret_state["id"], "access": ["view"]}]});
    let (rights_state, diags) = demo.apply_create("contactpro_user_rights", &rights_config);
    support::diag::assert_no_errors("create rights", &diags);

    let elsewhere = format!("{}/nosuchtenant/RI", emulator.base_url());
    let wrong = ProviderProcess::start_with_env(&provider_binary(), &CLEARED_ENV);
    support::diag::assert_no_errors(
        "configure",
        &wrong.configure(&provider_settings(&rci, &json!({"url": elsewhere}))),
    );
    for (type_name, state) in [
        ("contactpro_user", &user_state),
        ("contactpro_secret", &secret_state),
        ("contactpro_user_rights", &rights_state),
    ] {
        let (_, diags) = wrong.read(type_name, state);
        assert!(
            matching(&diags, "url", "HTTP 404").is_some(),
            "{type_name}: a read against an unknown tenant must fail naming `url`: {diags:?}"
        );
    }
    // The objects are untouched, and the right tenant still reads them.
    for (type_name, state) in [
        ("contactpro_user", &user_state),
        ("contactpro_secret", &secret_state),
        ("contactpro_user_rights", &rights_state),
    ] {
        let (read, diags) = demo.read(type_name, state);
        support::diag::assert_no_errors(type_name, &diags);
        assert_eq!(&read, state, "{type_name}");
    }
    println!("unknown tenant: 3 of 3 refreshes fail naming `url` instead of dropping the object");
}

/// Configure makes no request, so a configuration that only creates objects relies on the
/// resources' one plan-time check per provider process: a wrong key, password or tenant must still
/// fail `terraform plan`, naming the setting, and create nothing.
#[test]
fn wrong_settings_fail_a_plan_that_only_creates() {
    let emulator = EmulatorProcess::start();
    let rci = Rci::new(emulator.base_url(), "demo");
    let before = inventory(&rci);
    let config = r#"
terraform {
  required_providers {
    contactpro = { source = "contactpro/contactpro" }
  }
}
provider "contactpro" {}

resource "contactpro_secret" "only" {
  name   = "create-only"
  type   = "header"
  secret = "create-only-value"
}

resource "contactpro_user" "only" {
  first_name = "Create"
  last_name  = "Only"
  login      = "create.only"
}
"#;
    let cases = [
        (
            "CONTACTPRO_API_KEY",
            "wrong-api-key".to_string(),
            "api_key",
            "HTTP 403",
        ),
        (
            "CONTACTPRO_PASSWORD",
            "Wrong-Password-123456".into(),
            "password",
            "HTTP 401",
        ),
        (
            "CONTACTPRO_URL",
            format!("{}/nosuchtenant/RI", emulator.base_url()),
            "url",
            "HTTP 404",
        ),
    ];
    let terraform = Terraform::v1_0_3();
    for (variable, value, attribute, status) in &cases {
        let mut wd = workdir_for(&terraform, &rci);
        wd.env(variable, value);
        wd.write_main_tf(config);
        wd.init();
        let out = wd.run(&["plan", "-input=false", "-no-color"]);
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(
            out.status.code(),
            Some(1),
            "{variable}: plan must fail:\n{text}"
        );
        assert!(
            text.contains(status) && text.contains(&format!("`{attribute}`")),
            "{variable}: the error must give {status} and name `{attribute}`:\n{text}"
        );
        assert!(!text.contains(value.as_str()) || *variable == "CONTACTPRO_URL");
        assert_eq!(
            inventory(&rci),
            before,
            "{variable}: nothing may be created"
        );
    }
    println!(
        "create-only plans: {} of {} wrong settings rejected at plan time",
        cases.len(),
        cases.len()
    );
}
