//! The plural data sources over the plugin protocol against the emulator: wildcard filters,
//! an empty result that is not an error, a stable order, maps keyed by id, one list walk each;
//! and the exact not-found wording of the singular ones.
mod support;

use serde_json::{json, Value as Json};
use support::bins::provider_binary;
use support::diag::{assert_no_errors, has_errors};
use support::emulator::EmulatorProcess;
use support::rci::{workdir_for, Rci};
use support::{ProviderProcess, Terraform};

const CLEARED_ENV: [(&str, &str); 4] = [
    ("CONTACTPRO_URL", ""),
    ("CONTACTPRO_API_KEY", ""),
    ("CONTACTPRO_USERNAME", ""),
    ("CONTACTPRO_PASSWORD", ""),
];

fn configured(rci: &Rci) -> ProviderProcess {
    let p = ProviderProcess::start_with_env(&provider_binary(), &CLEARED_ENV);
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

fn post_id(rci: &Rci, path: &str, body: Json) -> String {
    let (status, answer) = rci.post(path, body.clone());
    assert_eq!(status, 201, "POST {path} {body}: {answer}");
    answer["id"].as_str().unwrap().to_string()
}

fn route_count(stats: &Json, key: &str) -> u64 {
    stats["byRoute"][key].as_u64().unwrap_or(0)
}

fn strings(value: &Json) -> Vec<String> {
    value
        .as_array()
        .unwrap_or_else(|| panic!("not a list: {value}"))
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect()
}

#[test]
fn plural_data_sources_filter_sort_and_allow_empty_results() {
    let emulator = EmulatorProcess::start();
    let rci = Rci::new(emulator.base_url(), "demo");
    // Made out of order; logins differ in case so the order must ignore it.
    let c = post_id(
        &rci,
        "users",
        json!({"firstName": "Carol", "surname": "Plural", "login": "plural.carol", "externalId": "X-3"}),
    );
    let a = post_id(
        &rci,
        "users",
        json!({"firstName": "Alice", "surname": "Plural", "login": "Plural.Alice", "email": "alice@example.com"}),
    );
    let b = post_id(
        &rci,
        "users",
        json!({"firstName": "Bob", "surname": "Other", "login": "plural.bob"}),
    );
    post_id(
        &rci,
        "secrets",
        json!({"name": "plural-b", "type": "header", "secret": "value-b-0001"}),
    );
    post_id(
        &rci,
        "secrets",
        json!({"name": "plural-a", "type": "basic", "authenticationId": "svc", "description": "first", "secret": "value-a-0001"}),
    );
    let p = configured(&rci);

    rci.reset_stats();
    let (users, diags) = p.read_data_source("contactpro_users", &json!({"login": "PLURAL.*"}));
    assert_no_errors("users login=PLURAL.*", &diags);
    assert_eq!(
        strings(&users["ids"]),
        vec![a.clone(), b.clone(), c.clone()]
    );
    assert_eq!(users["logins"][&a], "Plural.Alice", "stored spelling");
    assert_eq!(users["emails"], json!({ a.clone(): "alice@example.com" }));
    assert_eq!(users["external_ids"], json!({ c.clone(): "X-3" }));
    assert_eq!(users["last_names"][&b], "Other");
    let stats = rci.stats();
    // One walk: the page, then the empty page that ends it (the client reads until one).
    assert_eq!(
        route_count(&stats, "GET users"),
        2,
        "one list walk: {stats}"
    );
    assert_eq!(
        route_count(&stats, "GET users/{id}"),
        0,
        "no call per user: {stats}"
    );

    // Filters combine, take `?`, and apply to the fields the RCI filters by.
    let (users, diags) = p.read_data_source(
        "contactpro_users",
        &json!({"login": "plural.?o?", "last_name": "oth*"}),
    );
    assert_no_errors("users login and last_name", &diags);
    assert_eq!(strings(&users["ids"]), vec![b.clone()]);
    let (users, diags) = p.read_data_source("contactpro_users", &json!({"first_name": "carol"}));
    assert_no_errors("users first_name", &diags);
    assert_eq!(strings(&users["ids"]), vec![c.clone()]);

    // Nothing matches: not an error, empty results.
    let (none, diags) = p.read_data_source("contactpro_users", &json!({"login": "nobody.*"}));
    assert_no_errors("users without a match", &diags);
    assert_eq!(none["ids"], json!([]));
    assert_eq!(none["logins"], json!({}));

    let (secrets, diags) = p.read_data_source("contactpro_secrets", &json!({"name": "plural-*"}));
    assert_no_errors("secrets", &diags);
    let ids = strings(&secrets["ids"]);
    assert_eq!(ids.len(), 2);
    assert_eq!(secrets["names"][&ids[0]], "plural-a");
    assert_eq!(secrets["names"][&ids[1]], "plural-b");
    assert_eq!(secrets["types"][&ids[1]], "header");
    assert_eq!(secrets["descriptions"], json!({ ids[0].clone(): "first" }));
    assert_eq!(
        secrets["authentication_ids"],
        json!({ ids[0].clone(): "svc" })
    );
    let (none, diags) = p.read_data_source("contactpro_secrets", &json!({"name": "nothing-*"}));
    assert_no_errors("secrets without a match", &diags);
    assert_eq!(none["ids"], json!([]));

    // The directory lists: sorted by name, the unfiltered list is the tenant's, a filter narrows it.
    for (data_source, collection) in [
        ("contactpro_queues", "queues"),
        ("contactpro_queue_groups", "queueGroups"),
        ("contactpro_user_groups", "userGroups"),
        ("contactpro_roles", "roles"),
    ] {
        let tenant = rci.list(collection);
        let (all, diags) = p.read_data_source(data_source, &json!({}));
        assert_no_errors(data_source, &diags);
        let ids = strings(&all["ids"]);
        assert_eq!(ids.len(), tenant.len(), "{data_source}: {all}");
        let names: Vec<String> = ids
            .iter()
            .map(|id| all["names"][id].as_str().unwrap().to_lowercase())
            .collect();
        let mut sorted = names.clone();
        sorted.sort();
        assert_eq!(names, sorted, "{data_source} sorted by name");
        let first = tenant[0]["name"].as_str().unwrap();
        let pattern = format!("{}*", &first[..first.len() - 1].to_uppercase());
        let (some, diags) = p.read_data_source(data_source, &json!({"name": pattern}));
        assert_no_errors(data_source, &diags);
        assert!(
            strings(&some["ids"]).contains(&tenant[0]["id"].as_str().unwrap().to_string()),
            "{data_source} name={pattern}: {some}"
        );
        let (none, diags) = p.read_data_source(data_source, &json!({"name": "no such ?*"}));
        assert_no_errors(data_source, &diags);
        assert_eq!(none["ids"], json!([]), "{data_source}");
    }
    let (groups, _) =
        p.read_data_source("contactpro_user_groups", &json!({"name": "Sample * Group"}));
    let agents = rci.id_by_name("userGroups", "Sample Agents Group");
    assert!(groups["parent_ids"][&agents].is_string(), "{groups}");
    let (queues, _) = p.read_data_source("contactpro_queues", &json!({}));
    assert!(
        queues["channels"]
            .as_object()
            .is_some_and(|c| !c.is_empty()),
        "{queues}"
    );
}

#[test]
fn singular_data_sources_say_how_they_match() {
    let emulator = EmulatorProcess::start();
    let rci = Rci::new(emulator.base_url(), "demo");
    let id = post_id(
        &rci,
        "users",
        json!({"firstName": "Case", "surname": "Login", "login": "Case.Login"}),
    );
    let p = configured(&rci);

    // Found ignoring case; the state holds the stored login.
    let (found, diags) = p.read_data_source("contactpro_user", &json!({"login": "CASE.LOGIN"}));
    assert_no_errors("user by login in another case", &diags);
    assert_eq!(found["id"], id.as_str());
    assert_eq!(found["login"], "Case.Login");

    let (_, diags) = p.read_data_source("contactpro_user", &json!({"login": "no.such.login"}));
    assert!(has_errors(&diags));
    let text = format!("{} {}", diags[0].summary, diags[0].detail);
    assert!(text.contains("ignoring case"), "{text}");
    assert!(!text.contains("case-sensitive"), "{text}");
    assert_eq!(diags[0].attribute_path, vec!["login".to_string()]);

    // Names of secrets and queues match exactly, and a pattern is no pattern there.
    let (_, diags) = p.read_data_source("contactpro_queue", &json!({"name": "Chat*"}));
    assert!(has_errors(&diags));
    let text = format!("{} {}", diags[0].summary, diags[0].detail);
    assert!(text.contains("case-sensitive"), "{text}");
    assert!(text.contains("not wildcards"), "{text}");

    // Terraform takes the stored spelling from a data source configured with another one.
    for terraform in Terraform::all() {
        let wd = workdir_for(&terraform, &rci);
        wd.write_main_tf(
            r#"
terraform {
  required_providers {
    contactpro = { source = "contactpro/contactpro" }
  }
}
provider "contactpro" {}
data "contactpro_user" "x" {
  login = "CASE.LOGIN"
}
data "contactpro_users" "none" {
  login = "nobody.*"
}
output "login" {
  value = data.contactpro_user.x.login
}
output "none" {
  value = length(data.contactpro_users.none.ids)
}
"#,
        );
        wd.init();
        wd.apply();
        let outputs = wd.output_json();
        assert_eq!(
            outputs["login"]["value"], "Case.Login",
            "v{}",
            terraform.version
        );
        assert_eq!(outputs["none"]["value"], 0, "v{}", terraform.version);
    }
}

/// On a tenant that serves only the documented RCI: users still cost one list walk (no call per
/// user for the fields the documented list lacks), and the secrets list, which it lacks, fails
/// naming the endpoint instead of returning an empty result.
#[test]
fn plural_data_sources_on_a_documented_tenant() {
    let emulator = EmulatorProcess::start_with_args(&["--profile", "documented"]);
    let rci = Rci::new(emulator.base_url(), "demo");
    let id = post_id(
        &rci,
        "users",
        json!({"firstName": "Doc", "surname": "Umented", "login": "doc.umented", "timeZone": "Europe/Helsinki"}),
    );
    let p = configured(&rci);
    rci.reset_stats();
    let (users, diags) = p.read_data_source("contactpro_users", &json!({"login": "doc.*"}));
    assert_no_errors("users on a documented tenant", &diags);
    assert_eq!(strings(&users["ids"]), vec![id.clone()]);
    assert_eq!(users["time_zones"][&id], "Europe/Helsinki");
    assert_eq!(users["service_account_expirations"], json!({}));
    let stats = rci.stats();
    assert_eq!(route_count(&stats, "GET users/{id}"), 0, "{stats}");
    assert_eq!(
        route_count(&stats, "GET users/{id}/authentication"),
        0,
        "{stats}"
    );

    let (_, diags) = p.read_data_source("contactpro_secrets", &json!({}));
    assert!(has_errors(&diags), "{diags:?}");
    let text = format!("{} {}", diags[0].summary, diags[0].detail);
    assert!(text.contains("secrets"), "{text}");
}
