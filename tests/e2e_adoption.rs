//! Bringing objects made outside Terraform under it, with Terraform >= 1.5 (import blocks,
//! `-generate-config-out`): users, their rights and secrets imported by id and by natural key;
//! the generated configuration validates, plans with nothing but the imports, and the apply that
//! imports them writes nothing (emulator stats), least of all a secret's value.
mod support;

use serde_json::{json, Value as Json};
use support::emulator::EmulatorProcess;
use support::rci::{plan, workdir_for, Rci};
use support::terraform::{describe, stdout};
use support::Terraform;

const HEADER: &str = r#"
terraform {
  required_providers {
    contactpro = { source = "contactpro/contactpro" }
  }
}
provider "contactpro" {}
"#;

/// Writes made to the tenant since the last reset: every POST, PUT or DELETE route counted.
pub fn writes(stats: &Json) -> Vec<String> {
    stats["byRoute"]
        .as_object()
        .map(|routes| {
            routes
                .iter()
                .filter(|(route, n)| {
                    n.as_u64().unwrap_or(0) > 0
                        && ["POST ", "PUT ", "DELETE ", "PATCH "]
                            .iter()
                            .any(|m| route.starts_with(m))
                })
                .map(|(route, n)| format!("{route} ×{n}"))
                .collect()
        })
        .unwrap_or_default()
}

fn created_id(rci: &Rci, path: &str, body: Json) -> String {
    let (status, answer) = rci.post(path, body.clone());
    assert_eq!(status, 201, "POST {path} {body}: {answer}");
    answer["id"].as_str().expect("id").to_string()
}

/// Two users (one a service account with a group and a right), a basic and a header secret.
fn seed(rci: &Rci) -> (String, String) {
    let agents = rci.id_by_name("userGroups", "Sample Agents Group");
    let queue_group = rci.list("queueGroups")[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let one = created_id(
        rci,
        "users",
        json!({"firstName": "Adopt", "surname": "One", "login": "adopt.one",
               "email": "one@example.com", "timeZone": "Europe/Helsinki"}),
    );
    assert_eq!(
        rci.put(
            &format!("users/{one}/authentication"),
            json!({"login": "adopt.one", "password": "Correct-Horse-Battery-Staple-1",
                   "serviceAccount": true, "serviceAccountExpiration": "2030-06-30T00:00:00Z"}),
        ),
        204
    );
    assert_eq!(
        rci.post(&format!("users/{one}/userGroups"), json!({"id": agents}))
            .0,
        201
    );
    created_id(
        rci,
        &format!("users/{one}/rights"),
        json!({"objectType": "QueueGroup", "objectId": queue_group,
               "accessTypes": ["View", "ManageContactHistory"], "grant": []}),
    );
    created_id(
        rci,
        "users",
        json!({"firstName": "Adopt", "surname": "Two", "login": "Adopt.Two"}),
    );
    let basic = created_id(
        rci,
        "secrets",
        json!({"name": "adopt-basic", "description": "made by hand", "type": "basic",
               "authenticationId": "adopt.one", "secret": "value-owned-elsewhere-1"}),
    );
    created_id(
        rci,
        "secrets",
        json!({"name": "adopt-header", "type": "header", "secret": "value-owned-elsewhere-2"}),
    );
    (one, basic)
}

#[test]
fn generated_configuration_round_trips() {
    let Some(terraform) = Terraform::from_path() else {
        eprintln!("skipped: no Terraform >= 1.5 on PATH");
        return;
    };
    let emulator = EmulatorProcess::start();
    let rci = Rci::new(emulator.base_url(), "demo");
    let (one, basic) = seed(&rci);
    let wd = workdir_for(&terraform, &rci);
    wd.write_main_tf(&format!(
        r#"{HEADER}
import {{
  to = contactpro_user.by_id
  id = "{one}"
}}
import {{
  to = contactpro_user.by_login
  id = "adopt.two"
}}
import {{
  to = contactpro_user_rights.by_id
  id = "{one}"
}}
import {{
  to = contactpro_user_rights.by_login
  id = "adopt.two"
}}
import {{
  to = contactpro_secret.by_id
  id = "{basic}"
}}
import {{
  to = contactpro_secret.by_name
  id = "adopt-header"
}}
"#
    ));
    wd.init();
    let generate = wd.run(&[
        "plan",
        "-no-color",
        "-input=false",
        "-generate-config-out=generated.tf",
    ]);
    assert!(
        generate.status.success(),
        "plan -generate-config-out: {}",
        describe(&generate)
    );
    let generated = std::fs::read_to_string(wd.dir().join("generated.tf")).unwrap();
    for computed_only in ["value_managed", "password_expires_at"] {
        assert!(
            !generated.contains(computed_only),
            "computed-only `{computed_only}` in the generated configuration:\n{generated}"
        );
    }
    let validate = wd.run(&["validate", "-no-color"]);
    assert!(
        validate.status.success(),
        "the generated configuration does not validate: {}\n{generated}",
        describe(&validate)
    );

    let (code, text) = plan(&wd);
    assert_eq!(code, 2, "{text}");
    assert!(
        text.contains("Plan: 6 to import, 0 to add, 0 to change, 0 to destroy."),
        "the generated configuration plans more than the imports:\n{text}\n{generated}"
    );
    assert!(text.contains("value_managed"), "{text}");

    rci.reset_stats();
    let applied = wd.apply();
    let stats = rci.stats();
    assert!(
        writes(&stats).is_empty(),
        "the import apply wrote to the tenant: {:?}\n{}",
        writes(&stats),
        stdout(&applied)
    );
    let (code, text) = plan(&wd);
    assert_eq!(code, 0, "changes after the import apply:\n{text}");
    assert!(rci.secret_matches("adopt-basic", "value-owned-elsewhere-1"));
    assert!(rci.secret_matches("adopt-header", "value-owned-elsewhere-2"));

    // A metadata change still never carries the value.
    let edited = std::fs::read_to_string(wd.dir().join("generated.tf"))
        .unwrap()
        .replace("\"made by hand\"", "\"now managed by Terraform\"");
    wd.write_file("generated.tf", &edited);
    rci.reset_stats();
    wd.apply();
    let stats = rci.stats();
    assert_eq!(
        writes(&stats),
        vec!["PUT secrets/{id} ×1".to_string()],
        "expected one PUT of the secret's metadata"
    );
    assert_eq!(
        rci.get_ok(&format!("secrets/{basic}"))["description"],
        "now managed by Terraform"
    );
    assert!(rci.secret_matches("adopt-basic", "value-owned-elsewhere-1"));

    // Taking the value over shows in the plan; a new secret without a value fails at plan.
    // The generated `secret = null` of the edited secret becomes a value.
    let at = edited.find("now managed by Terraform").unwrap();
    let null_at = at + edited[at..].find("null # sensitive").unwrap();
    let owned = format!(
        "{}\"value-owned-by-terraform-1\"{}",
        &edited[..null_at],
        &edited[null_at + "null # sensitive".len()..]
    );
    wd.write_file("generated.tf", &owned);
    let (code, text) = plan(&wd);
    assert_eq!(code, 2, "{text}");
    assert!(
        text.contains("~ value_managed     = false -> true"),
        "{text}"
    );
    wd.write_file("generated.tf", &edited);
    wd.write_file(
        "new.tf",
        "resource \"contactpro_secret\" \"fresh\" {\n  name = \"adopt-fresh\"\n  type = \"header\"\n}\n",
    );
    rci.reset_stats();
    let failed = wd.run(&["plan", "-no-color", "-input=false"]);
    assert!(!failed.status.success());
    let text = describe(&failed);
    assert!(text.contains("a new secret needs a value"), "{text}");
    assert!(writes(&rci.stats()).is_empty());
    assert!(rci.secret_by_name("adopt-fresh").is_none());
}

/// 200 users (some service accounts, in groups, with optional fields) and 50 secrets of each type.
fn seed_tenant(rci: &Rci) {
    let agents = rci.id_by_name("userGroups", "Sample Agents Group");
    for n in 0..200 {
        let mut user = json!({"firstName": format!("First{n}"), "surname": format!("Last{n}"),
                              "login": format!("adopt.user{n:03}")});
        if n % 2 == 0 {
            user["email"] = json!(format!("user{n}@example.com"));
        }
        if n % 3 == 0 {
            user["timeZone"] = json!("Europe/Helsinki");
            user["title"] = json!("Agent");
            user["externalId"] = json!(format!("EXT-{n}"));
        }
        if n % 5 == 0 {
            user["location"] = json!("Espoo");
            user["uiLanguage"] = json!("en");
            user["promptLanguage"] = json!("fi");
        }
        let id = created_id(rci, "users", user);
        if n % 10 == 0 {
            let status = rci.put(
                &format!("users/{id}/authentication"),
                json!({"login": format!("adopt.user{n:03}"), "password": "Correct-Horse-Battery-Staple-1",
                       "serviceAccount": true, "serviceAccountExpiration": "2031-01-31T00:00:00Z"}),
            );
            assert_eq!(status, 204);
        }
        if n % 4 == 0 {
            let path = format!("users/{id}/userGroups");
            assert_eq!(rci.post(&path, json!({"id": agents})).0, 201);
        }
    }
    for n in 0..50 {
        let name = format!("adopt-secret-{n:02}");
        let secret = match n % 3 {
            0 => json!({"name": name, "type": "basic", "authenticationId": format!("svc{n}"),
                        "description": "made by hand", "secret": format!("basic-value-{n}")}),
            1 => json!({"name": name, "type": "oauth", "authenticationId": format!("client{n}"),
                        "accessTokenUrl": "https://auth.example.com/token", "secret": format!("oauth-value-{n}")}),
            _ => json!({"name": name, "type": "header", "secret": format!("header-value-{n}")}),
        };
        created_id(rci, "secrets", secret);
    }
}

/// The issue's "done when": a tenant with 200 users and 50 secrets made outside Terraform is
/// adopted by examples/adopt-a-tenant in one plan and one apply, and the next plan is clean.
#[test]
fn adopt_example_adopts_200_users_and_50_secrets() {
    let Some(terraform) = Terraform::from_path() else {
        eprintln!("skipped: no Terraform >= 1.7 on PATH");
        return;
    };
    let emulator = EmulatorProcess::start();
    let rci = Rci::new(emulator.base_url(), "demo");
    seed_tenant(&rci);
    let mut wd = workdir_for(&terraform, &rci);
    wd.use_example("adopt-a-tenant");
    wd.env("TF_VAR_user_login_pattern", "ADOPT.user*")
        .env("TF_VAR_secret_name_pattern", "adopt-secret-??");
    wd.init();

    let started = std::time::Instant::now();
    let (code, text) = plan(&wd);
    assert_eq!(code, 2, "{text}");
    assert!(
        text.contains("Plan: 250 to import, 0 to add, 0 to change, 0 to destroy."),
        "{text}"
    );
    rci.reset_stats();
    let applied = wd.apply();
    let stats = rci.stats();
    assert!(
        writes(&stats).is_empty(),
        "adopting wrote to the tenant: {:?}",
        writes(&stats)
    );
    assert!(
        stdout(&applied)
            .contains("Apply complete! Resources: 250 imported, 0 added, 0 changed, 0 destroyed."),
        "{}",
        stdout(&applied)
    );
    let (code, text) = plan(&wd);
    assert_eq!(code, 0, "changes after adopting:\n{text}");
    eprintln!(
        "plan + apply + plan of 250 adopted objects: {:.1} s, {} requests in the apply",
        started.elapsed().as_secs_f64(),
        stats["total"]
    );
    assert!(rci.secret_matches("adopt-secret-00", "basic-value-0"));
    assert!(rci.secret_matches("adopt-secret-01", "oauth-value-1"));
    let outputs = wd.output_json();
    assert_eq!(outputs["adopted_user_count"]["value"], 200);
    assert_eq!(outputs["adopted_secret_count"]["value"], 50);
}
